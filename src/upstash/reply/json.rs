//! A reply written as its Upstash JSON `result` value straight into a
//! serializer, without building a `serde_json::Value` tree first: a page of
//! 1 000 keys and types is 2 000 strings, and the tree's allocations were a
//! large part of the gateway's time when listing keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::ser::{Error as _, Serialize, Serializer};

use super::Reply;

/// A reply as its JSON `result` value; see [`Reply::to_json`] for the rules.
pub struct Json<'a> {
    pub(super) reply: &'a Reply,
    pub(super) base64: bool,
    /// Whether this is the top level, where a status `OK` stays plain.
    pub(super) top: bool,
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.reply {
            Reply::Nil => s.serialize_unit(),
            Reply::Int(i) => s.serialize_i64(*i),
            Reply::Status(st) if self.top && self.base64 && st == "OK" => s.serialize_str(st),
            Reply::Status(st) => string(s, st.as_bytes(), self.base64),
            Reply::Bytes(b) => string(s, b, self.base64),
            Reply::Array(items) => s.collect_seq(items.iter().map(|reply| Json {
                reply,
                base64: self.base64,
                top: false,
            })),
            // An error inside an array (for example a script's error table)
            // has no JSON form in Upstash's protocol; carry its text.
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
        // Without base64 Upstash replaces invalid UTF-8 with U+FFFD.
        s.serialize_str(&String::from_utf8_lossy(b))
    }
}
