//! Upstash JSON response bodies (`{"result": ...}` and the `/pipeline`
//! list) serialized straight into the body: each reply is written by
//! [`Reply::json`], with no `serde_json::Value` tree in between.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::upstash::Reply;

/// `{"result": ...}` for one reply that is not an error.
pub struct Single<'a> {
    pub reply: &'a Reply,
    pub base64: bool,
}

/// A `/pipeline` or `/multi-exec` answer: `[{"result": ...} | {"error": ...}, ...]`.
pub struct Items<'a> {
    pub replies: &'a [Reply],
    pub base64: bool,
}

impl Serialize for Single<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("result", &self.reply.json(self.base64))?;
        map.end()
    }
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.replies.iter().map(|reply| Item {
            reply,
            base64: self.base64,
        }))
    }
}

struct Item<'a> {
    reply: &'a Reply,
    base64: bool,
}

impl Serialize for Item<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        match self.reply {
            Reply::Error(e) => map.serialize_entry("error", e)?,
            r => map.serialize_entry("result", &r.json(self.base64))?,
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as B64;
    use serde_json::{Value, json};

    use super::*;

    /// The JSON `result` value built as a tree, by the protocol's rules
    /// (with base64, every string encoded but a top-level status `OK`;
    /// integers as numbers, nil as null), to check the serializer against.
    fn reference(r: &Reply, base64: bool, top: bool) -> Value {
        let string = |b: &[u8]| {
            if base64 {
                Value::String(B64.encode(b))
            } else {
                Value::String(String::from_utf8_lossy(b).into_owned())
            }
        };
        match r {
            Reply::Status(s) if top && base64 && s == "OK" => json!("OK"),
            Reply::Nil => Value::Null,
            Reply::Int(i) => json!(i),
            Reply::Bytes(b) => string(b),
            Reply::Status(s) => string(s.as_bytes()),
            Reply::Array(items) => items.iter().map(|i| reference(i, base64, false)).collect(),
            Reply::Error(e) => json!(e),
        }
    }

    fn sample() -> Vec<Reply> {
        vec![
            Reply::Status("OK".into()),
            Reply::Status("PONG".into()),
            Reply::Nil,
            Reply::Int(-42),
            Reply::Bytes(b"caf\xc3\xa9 \"q\"\n\xff".to_vec()),
            // Either side of the length encoded on the stack.
            Reply::Bytes(vec![0xfe; 96]),
            Reply::Bytes(vec![0xfe; 97]),
            Reply::Error("ERR bad".into()),
            Reply::Array(vec![
                Reply::Status("OK".into()),
                Reply::Bytes(b"k".to_vec()),
                Reply::Array(vec![Reply::Nil, Reply::Int(7)]),
                Reply::Error("ERR inner".into()),
            ]),
        ]
    }

    #[test]
    fn single_replies_match_the_value_form() {
        for base64 in [false, true] {
            for reply in sample().iter().filter(|r| !matches!(r, Reply::Error(_))) {
                let fast = serde_json::to_string(&Single { reply, base64 }).expect("json");
                let slow = json!({ "result": reference(reply, base64, true) }).to_string();
                assert_eq!(fast, slow, "{reply:?} base64={base64}");
            }
        }
    }

    #[test]
    fn items_match_the_value_form() {
        for base64 in [false, true] {
            let replies = sample();
            let fast = serde_json::to_string(&Items {
                replies: &replies,
                base64,
            })
            .expect("json");
            let slow: Vec<_> = replies
                .iter()
                .map(|r| match r {
                    Reply::Error(e) => json!({ "error": e }),
                    r => json!({ "result": reference(r, base64, true) }),
                })
                .collect();
            assert_eq!(fast, serde_json::Value::Array(slow).to_string());
        }
    }
}
