//! The binary-exact reply model shared by the client and the gateway, and the
//! JSON and base64 rules of the Upstash REST protocol
//! (<https://upstash.com/docs/redis/features/restapi>).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

mod json;
pub use json::Json;

/// One Redis reply as it travels over Upstash REST (RESP2 semantics).
///
/// Doubles arrive as `Bytes` (RESP2 bulk strings) and stay exact. `Status` is
/// only produced for replies that are known to be simple strings: the
/// top-level `"OK"` that Upstash leaves unencoded, or what the gateway reads
/// from RESP.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reply {
    Nil,
    Int(i64),
    Bytes(Vec<u8>),
    Status(String),
    Array(Vec<Reply>),
    /// An error reply nested in a pipeline or transaction result.
    Error(String),
}

impl Reply {
    /// The bytes of a string-like reply (`Bytes` or `Status`).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Reply::Bytes(b) => Some(b),
            Reply::Status(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The reply as text when it is a string-like reply holding valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        self.as_bytes().and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The reply as an integer: `Int`, or a string holding a decimal integer.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Reply::Int(i) => Some(*i),
            _ => self.as_str().and_then(|s| s.parse().ok()),
        }
    }

    /// The elements of an array reply.
    pub fn as_array(&self) -> Option<&[Reply]> {
        match self {
            Reply::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Consumes an array reply into its elements.
    pub fn into_array(self) -> Option<Vec<Reply>> {
        match self {
            Reply::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Consumes a string-like reply into its bytes.
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        match self {
            Reply::Bytes(b) => Some(b),
            Reply::Status(s) => Some(s.into_bytes()),
            _ => None,
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Reply::Nil)
    }

    /// Encodes this reply as the JSON `result` value.
    ///
    /// With `base64`, every string is base64-encoded except a *top-level*
    /// status `OK`: Upstash's documented exception, and the one rule that
    /// both official SDKs decode (TypeScript exempts only the top level).
    /// Errors never appear here: the caller puts them in `{"error": ...}`.
    pub fn to_json(&self, base64: bool) -> Value {
        // Cannot fail: the form has no maps, so no key that is not a string.
        serde_json::to_value(self.json(base64)).unwrap_or(Value::Null)
    }

    /// The same JSON `result` value as [`Reply::to_json`], written straight
    /// into a serializer.
    pub fn json(&self, base64: bool) -> Json<'_> {
        Json {
            reply: self,
            base64,
            top: true,
        }
    }

    /// Decodes a JSON `result` value sent with `Upstash-Encoding: base64`.
    ///
    /// A top-level `"OK"` is the unencoded status; any other string is
    /// base64. A string that is not valid base64 is kept as its raw text (as
    /// the TS SDK does), so a server that ignores the header still works.
    pub fn from_json_base64(v: &Value) -> Result<Reply, String> {
        if let Value::String(s) = v
            && s == "OK"
        {
            return Ok(Reply::Status("OK".into()));
        }
        Self::from_json_inner(v, true)
    }

    /// Decodes a JSON `result` value sent without base64 (text as-is).
    pub fn from_json_plain(v: &Value) -> Result<Reply, String> {
        Self::from_json_inner(v, false)
    }

    fn from_json_inner(v: &Value, base64: bool) -> Result<Reply, String> {
        Ok(match v {
            Value::Null => Reply::Nil,
            Value::Number(n) => match n.as_i64() {
                Some(i) => Reply::Int(i),
                // Not an integer Redis would send; keep its exact text.
                None => Reply::Bytes(n.to_string().into_bytes()),
            },
            Value::String(s) => {
                if base64 {
                    match B64.decode(s.as_bytes()) {
                        Ok(b) => Reply::Bytes(b),
                        Err(_) => Reply::Bytes(s.clone().into_bytes()),
                    }
                } else {
                    Reply::Bytes(s.clone().into_bytes())
                }
            }
            Value::Array(items) => Reply::Array(
                items
                    .iter()
                    .map(|i| Self::from_json_inner(i, base64))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Bool(b) => Reply::Int(i64::from(*b)),
            Value::Object(_) => return Err("unexpected JSON object inside a result".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn top_level_ok_stays_plain_nested_ok_is_encoded() {
        assert_eq!(Reply::Status("OK".into()).to_json(true), json!("OK"));
        assert_eq!(
            Reply::Array(vec![Reply::Status("OK".into())]).to_json(true),
            json!(["T0s="])
        );
        assert_eq!(Reply::Bytes(b"OK".to_vec()).to_json(true), json!("T0s="));
    }

    #[test]
    fn reference_examples_round_trip() {
        let scan = json!(["MA==", ["a2V5MQ==", "a2V5Mg=="]]);
        let r = Reply::from_json_base64(&scan).unwrap();
        assert_eq!(
            r,
            Reply::Array(vec![
                Reply::Bytes(b"0".to_vec()),
                Reply::Array(vec![
                    Reply::Bytes(b"key1".to_vec()),
                    Reply::Bytes(b"key2".to_vec())
                ])
            ])
        );
        assert_eq!(r.to_json(true), scan);
        assert_eq!(Reply::from_json_base64(&json!(5)).unwrap(), Reply::Int(5));
        assert_eq!(Reply::from_json_base64(&json!(null)).unwrap(), Reply::Nil);
    }

    #[test]
    fn all_bytes_survive_base64() {
        let all: Vec<u8> = (0..=255).collect();
        let r = Reply::Bytes(all.clone());
        assert_eq!(Reply::from_json_base64(&r.to_json(true)).unwrap(), r);
    }

    #[test]
    fn invalid_base64_is_kept_as_text() {
        assert_eq!(
            Reply::from_json_base64(&json!("not base64!")).unwrap(),
            Reply::Bytes(b"not base64!".to_vec())
        );
    }

    #[test]
    fn i64_extremes_are_exact() {
        for i in [i64::MIN, i64::MAX, 0, -1] {
            let j = Reply::Int(i).to_json(true);
            assert_eq!(Reply::from_json_base64(&j).unwrap(), Reply::Int(i));
        }
    }
}
