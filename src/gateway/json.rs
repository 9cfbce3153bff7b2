//! Replies serialized straight into the response body as Upstash JSON, with
//! the same bytes as [`Reply::to_json`] but without building a
//! `serde_json::Value` tree first: a page of 1 000 keys and types is 2 000
//! strings, and the tree's allocations were a large part of the gateway's
//! time when listing keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};

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

/// One JSON `result` value; `top` marks the level where `OK` stays plain.
struct Value<'a> {
    reply: &'a Reply,
    base64: bool,
    top: bool,
}

impl Serialize for Single<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("result", &top(self.reply, self.base64))?;
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
            r => map.serialize_entry("result", &top(r, self.base64))?,
        }
        map.end()
    }
}

fn top(reply: &Reply, base64: bool) -> Value<'_> {
    Value {
        reply,
        base64,
        top: true,
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.reply {
            Reply::Nil => s.serialize_unit(),
            Reply::Int(i) => s.serialize_i64(*i),
            Reply::Status(st) if self.top && self.base64 && st == "OK" => s.serialize_str(st),
            Reply::Status(st) => string(s, st.as_bytes(), self.base64),
            Reply::Bytes(b) => string(s, b, self.base64),
            Reply::Array(items) => s.collect_seq(items.iter().map(|reply| Value {
                reply,
                base64: self.base64,
                top: false,
            })),
            Reply::Error(e) => s.serialize_str(e),
        }
    }
}

/// Strings up to this many bytes are encoded on the stack: keys and type
/// names, two per key in a SCAN WITHTYPE page, then cost no allocation.
const SHORT: usize = 96;

fn string<S: Serializer>(s: S, b: &[u8], base64: bool) -> Result<S::Ok, S::Error> {
    if base64 && b.len() <= SHORT {
        let mut buf = [0u8; SHORT / 3 * 4];
        let n = B64.encode_slice(b, &mut buf).map_err(S::Error::custom)?;
        s.serialize_str(std::str::from_utf8(&buf[..n]).map_err(S::Error::custom)?)
    } else if base64 {
        s.serialize_str(&B64.encode(b))
    } else {
        // Without base64 Upstash replaces invalid UTF-8 with U+FFFD (§7.1).
        s.serialize_str(&String::from_utf8_lossy(b))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sample() -> Vec<Reply> {
        vec![
            Reply::Status("OK".into()),
            Reply::Status("PONG".into()),
            Reply::Nil,
            Reply::Int(-42),
            Reply::Bytes(b"caf\xc3\xa9 \"q\"\n\xff".to_vec()),
            Reply::Bytes(vec![0xfe; SHORT]),
            Reply::Bytes(vec![0xfe; SHORT + 1]),
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
                let slow = json!({ "result": reply.to_json(base64) }).to_string();
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
                    r => json!({ "result": r.to_json(base64) }),
                })
                .collect();
            assert_eq!(fast, serde_json::Value::Array(slow).to_string());
        }
    }
}
