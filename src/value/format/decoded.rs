//! Serialised values (pickle, msgpack, CBOR, BSON, protobuf's wire format)
//! read with the decoders of [`crate::decode`] and laid out as one tree, with the
//! envelopes applications wrap them in (Flask-Caching's `!` before a pickle).
//!
//! `auto` tries the binary decoders only on bytes that are not text, and only
//! those whose first byte says "a container" (a pickle's `PROTO`, a msgpack
//! map or array), so that a short string is never shown as a number of
//! another format. Protobuf's wire format has no such mark: it is offered by
//! `f` when it reads, never picked by `auto`.

pub use crate::decode::layout::Dialect;
use crate::decode::layout::layout;
use crate::decode::{self, Node, bson, cbor, msgpack, pickle, protobuf};

use super::json::Pretty;

/// Bytes of laid-out text a decoded value may fill (the rest is counted).
pub const LAYOUT_CAP: usize = 4 * 1024 * 1024;

/// A serialisation format with a decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    Pickle,
    Msgpack,
    Cbor,
    Bson,
    Protobuf,
}

impl Codec {
    /// Every codec, in the order `f` offers them.
    pub const ALL: [Codec; 5] = [
        Codec::Pickle,
        Codec::Msgpack,
        Codec::Cbor,
        Codec::Bson,
        Codec::Protobuf,
    ];

    /// Its name, in the pane and on the command line.
    pub fn label(self) -> &'static str {
        match self {
            Codec::Pickle => "pickle",
            Codec::Msgpack => "msgpack",
            Codec::Cbor => "cbor",
            Codec::Bson => "bson",
            Codec::Protobuf => "protobuf",
        }
    }

    /// Whether `auto` may pick it: formats whose bytes say what they are.
    fn guessed(self) -> bool {
        !matches!(self, Codec::Protobuf)
    }

    /// Whether `data`'s first byte is how this format starts a container.
    fn looks_like(self, data: &[u8]) -> bool {
        match (self, data) {
            // PROTO 2..=5, then at least STOP; protocols 0 and 1 have no
            // PROTO and start with a container, a global or a mark.
            (Codec::Pickle, [0x80, 2..=5, _, ..] | [b'(' | b'}' | b']' | b'c' | b'\x80', ..]) => {
                data.last() == Some(&b'.')
            }
            // fixmap, fixarray, array 16/32, map 16/32, with something in
            // it: a lone 0x80 is an empty map, but more likely just a byte.
            (Codec::Msgpack, [0x80..=0x9f | 0xdc..=0xdf, _, ..]) => true,
            // An array or a map with something in it, or a tag (dates,
            // bignums, the self-describing 0xd9d9f7).
            (Codec::Cbor, [0x81..=0x9f | 0xa1..=0xbf | 0xc0..=0xdb, _, ..]) => true,
            // A document says its own length and ends with a NUL.
            (Codec::Bson, [a, b, c, d, .., 0]) => {
                u32::from_le_bytes([*a, *b, *c, *d]) as usize == data.len()
            }
            _ => false,
        }
    }

    /// Reads `data` whole as this format; the error says where and why not.
    pub fn decode(self, data: &[u8]) -> Result<Tree, String> {
        let (mut envelope, data) = envelope(self, data);
        let (node, warning) = self.read(data)?;
        let node = match rq_call(&node) {
            Some(call) if self == Codec::Pickle && envelope.is_none() => {
                envelope = Some("RQ job call");
                call
            }
            _ => with_json(node, &mut 0),
        };
        Ok(Tree {
            pretty: layout(&node, self.dialect(), LAYOUT_CAP),
            codec: self,
            envelope,
            warning,
            cut: has_cut(&node),
        })
    }

    /// `data` read whole as this format, and for a pickle what loading it
    /// would run.
    fn read(self, data: &[u8]) -> Result<(Node, Option<String>), String> {
        let limits = decode::Limits::default();
        let node = match self {
            Codec::Pickle => {
                let p = pickle::decode(data, &limits).map_err(why)?;
                let warning = p.warning();
                return Ok((p.node, warning));
            }
            Codec::Msgpack => msgpack::decode(data, &limits),
            Codec::Cbor => cbor::decode(data, &limits),
            Codec::Bson => bson::decode(data, &limits),
            Codec::Protobuf => protobuf::decode(data, &limits),
        };
        Ok((node.map_err(why)?, None))
    }

    /// The notation its trees are written in.
    fn dialect(self) -> Dialect {
        match self {
            Codec::Pickle => Dialect::Python,
            _ => Dialect::Data,
        }
    }

    /// Whether `data` starts as this format marks itself, even when it does
    /// not read whole (a value cut short, a corrupt one): then `auto` says
    /// why rather than showing hex without a word.
    fn marked(self, data: &[u8]) -> bool {
        match self {
            Codec::Pickle => matches!(data, [0x80, 2..=5, ..] | [b'!', 0x80, 2..=5, ..]),
            Codec::Bson => self.looks_like(data),
            _ => false,
        }
    }
}

/// How many JSON texts inside a decoded value are read as trees; past it
/// they stay strings.
const NESTED_JSON: usize = 1_000;

/// `node` with each string that holds a JSON object or array read as the
/// tree it stands for (a pickled dict holding a JSON payload), noted so.
fn with_json(node: Node, budget: &mut usize) -> Node {
    let walk = |v: Vec<Node>, b: &mut usize| v.into_iter().map(|n| with_json(n, b)).collect();
    match node {
        Node::Str(text) if *budget < NESTED_JSON && super::json::is_container(text.as_bytes()) => {
            match serde_json::from_str::<JsonNode>(&text) {
                Ok(JsonNode(value)) => {
                    *budget += 1;
                    Node::Noted {
                        value: Box::new(value),
                        note: "JSON text".into(),
                    }
                }
                Err(_) => Node::Str(text),
            }
        }
        Node::List(v) => Node::List(walk(v, budget)),
        Node::Tuple(v) => Node::Tuple(walk(v, budget)),
        Node::Set(v) => Node::Set(walk(v, budget)),
        Node::Map(pairs) => Node::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k, with_json(v, budget)))
                .collect(),
        ),
        Node::Record(fields) => Node::Record(
            fields
                .into_iter()
                .map(|(k, v)| (k, with_json(v, budget)))
                .collect(),
        ),
        Node::Call {
            callee,
            args,
            kwargs,
            state,
        } => Node::Call {
            callee,
            args: walk(args, budget),
            kwargs: kwargs
                .into_iter()
                .map(|(k, v)| (k, with_json(v, budget)))
                .collect(),
            state: state.map(|s| Box::new(with_json(*s, budget))),
        },
        other => other,
    }
}

/// A JSON text as a tree, in the document's own key order (duplicate keys
/// kept) and with its numbers' own text.
struct JsonNode(Node);

impl<'de> serde::Deserialize<'de> for JsonNode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<JsonNode, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = JsonNode;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E>(self) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Int(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Int(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<JsonNode, E> {
        Ok(JsonNode(Node::Str(v)))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonNode, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonNode(n)) = seq.next_element()? {
            items.push(n);
        }
        Ok(JsonNode(Node::List(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonNode, A::Error> {
        let mut pairs = Vec::new();
        while let Some((k, JsonNode(v))) = map.next_entry::<String, JsonNode>()? {
            pairs.push((Node::Str(k), v));
        }
        Ok(JsonNode(Node::Map(pairs)))
    }
}

/// A decoder's error without the format's name, which the caller says:
/// `unknown opcode 0xf3 at byte 17`.
fn why(e: decode::Error) -> String {
    format!("{} at byte {}", e.reason, e.offset)
}

/// A decoded value, laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    /// The text and its colour spans.
    pub pretty: Pretty,
    pub codec: Codec,
    /// The application envelope around it, if any (`Flask-Caching`).
    pub envelope: Option<&'static str>,
    /// What loading it would run, for a pickle that calls more than
    /// constructors of data: shown above it, never run.
    pub warning: Option<String>,
    /// The decoder stopped at its node budget or depth limit.
    pub cut: bool,
}

impl Tree {
    /// The layers read, outermost first: `Flask-Caching › pickle`.
    pub fn layers(&self) -> Vec<&'static str> {
        self.envelope
            .into_iter()
            .chain([self.codec.label()])
            .collect()
    }
}

/// The envelope an application puts around `codec`'s bytes, and the bytes
/// inside: Flask-Caching writes `!` before a pickle.
fn envelope(codec: Codec, data: &[u8]) -> (Option<&'static str>, &[u8]) {
    match (codec, data) {
        (Codec::Pickle, [b'!', rest @ ..]) if Codec::Pickle.looks_like(rest) => {
            (Some("Flask-Caching"), rest)
        }
        _ => (None, data),
    }
}

/// RQ's job `data`: `(func_name, instance, args, kwargs)` pickled, shown
/// as the call it stands for, `tasks.send_email('ada@example.com', retries=2)`
/// (a method call names its instance first).
fn rq_call(node: &Node) -> Option<Node> {
    let Node::Tuple(parts) = node else {
        return None;
    };
    let [
        Node::Str(func),
        instance,
        Node::Tuple(args),
        Node::Map(kwargs),
    ] = &parts[..]
    else {
        return None;
    };
    let dotted = func
        .split('.')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
    let kwargs = kwargs
        .iter()
        .map(|(k, v)| match k {
            Node::Str(k) => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let args = match instance {
        Node::Null => args.clone(),
        other => std::iter::once(other.clone())
            .chain(args.iter().cloned())
            .collect(),
    };
    dotted.then(|| Node::Call {
        callee: func.clone(),
        args,
        kwargs,
        state: None,
    })
}

/// The decoder `auto` picks for `data`, with what it read. Text is only
/// taken for a pickle (protocols 0 and 1 are ASCII) that starts with a
/// container, a global or a mark and reads whole.
pub fn guess(data: &[u8]) -> Option<Tree> {
    let text = super::is_text(data);
    Codec::ALL
        .into_iter()
        .filter(|c| c.guessed() && c.looks_like(envelope(*c, data).1))
        .filter(|c| !text || *c == Codec::Pickle)
        .find_map(|c| c.decode(data).ok())
}

/// Why `data`, which starts as a format marks itself, does not read in it:
/// `not a whole pickle: …`, for `auto` to say beside the hex.
pub fn failure(data: &[u8]) -> Option<String> {
    Codec::ALL
        .into_iter()
        .find(|c| c.marked(data))
        .and_then(|c| {
            c.decode(data)
                .err()
                .map(|e| format!("not a whole {}: {e}", c.label()))
        })
}

/// The codecs that read `data` whole, in the order `f` offers them; not
/// protobuf for text, which nearly always reads as some message.
pub fn applicable(data: &[u8]) -> Vec<Codec> {
    let text = super::is_text(data);
    Codec::ALL
        .into_iter()
        .filter(|c| !(text && *c == Codec::Protobuf))
        .filter(|c| c.decode(data).is_ok())
        .collect()
}

/// `node` on one line, for a cell or a summary: the layout's lines joined.
pub fn one_line(node: &Node, dialect: Dialect) -> String {
    let p = layout(node, dialect, 64 * 1024);
    let mut out = String::with_capacity(p.text.len());
    for line in p.text.lines().map(str::trim) {
        let glue = !out.is_empty()
            && !out.ends_with(['(', '[', '{'])
            && !line.starts_with([')', ']', '}']);
        if glue {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A kombu message body in another serialiser than JSON, by its content
/// type: the task call `[args, kwargs, embed]` on one line each.
pub fn kombu_body(content_type: &str, body: &[u8]) -> Option<Vec<String>> {
    let codec = match content_type {
        "application/x-python-serialize" => Codec::Pickle,
        "application/x-msgpack" => Codec::Msgpack,
        _ => return None,
    };
    match codec.read(body).ok()?.0 {
        Node::List(parts) | Node::Tuple(parts) => {
            Some(parts.iter().map(|p| one_line(p, codec.dialect())).collect())
        }
        _ => None,
    }
}

fn has_cut(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n, Node::Cut(_)) {
            return true;
        }
        stack.extend(n.children());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_short_values_are_never_guessed() {
        for data in [
            &b"hello"[..],
            b"42",
            b"\x00",
            b"\x05",
            b"\x80",
            b"N.",
            b"(no.",
        ] {
            assert!(guess(data).is_none(), "{data:?}");
        }
    }

    #[test]
    fn json_text_inside_a_decoded_value_is_read_as_a_tree() {
        // msgpack {"payload": "{\"a\": [1, 2]}", "plain": "{not json"}
        let mut m = vec![0x82, 0xa7];
        m.extend(b"payload");
        m.push(0xad);
        m.extend(br#"{"a": [1, 2]}"#);
        m.push(0xa5);
        m.extend(b"plain");
        m.push(0xa9);
        m.extend(b"{not json");
        let t = guess(&m).expect("msgpack");
        assert!(
            t.pretty
                .text
                .contains(r#""payload": {"a": [1, 2]},  // JSON text"#),
            "{}",
            t.pretty.text
        );
        assert!(
            t.pretty.text.contains(r#""plain": "{not json""#),
            "{}",
            t.pretty.text
        );
        // Keys in the document's order, not sorted.
        let mut m = vec![0x81, 0xa1, b'p', 0xad];
        m.extend(br#"{"z":1,"a":2}"#);
        let t = guess(&m).expect("msgpack");
        assert!(
            t.pretty.text.contains(r#"{"z": 1, "a": 2}"#),
            "{}",
            t.pretty.text
        );
    }

    #[test]
    fn a_pickle_cut_short_says_why() {
        let whole = b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e.";
        assert!(guess(whole).is_some());
        assert_eq!(failure(whole), None);
        let cut = &whole[..whole.len() - 3];
        assert!(guess(cut).is_none());
        let why = failure(cut).expect("a reason");
        assert_eq!(
            why,
            "not a whole pickle: FRAME of 9 bytes, but only 6 are left at byte 2"
        );
        assert_eq!(failure(b"plain"), None);
    }

    #[test]
    fn an_ascii_pickle_that_calls_something_is_guessed_and_flagged() {
        let evil = b"cos\nsystem\n(S'touch /tmp/x'\ntR.";
        let t = guess(evil).expect("a protocol 0 pickle");
        assert_eq!(t.codec, Codec::Pickle);
        assert_eq!(t.pretty.text, "os.system('touch /tmp/x')");
        assert!(
            t.warning
                .as_deref()
                .is_some_and(|w| w.contains("os.system"))
        );
    }

    #[test]
    fn a_msgpack_map_is_guessed_and_protobuf_only_offered() {
        // {"a": 1}
        let map = b"\x81\xa1a\x01";
        let t = guess(map).expect("msgpack");
        assert_eq!(t.codec, Codec::Msgpack);
        assert_eq!(t.pretty.text, r#"{"a": 1}"#);
        // {"a": 1} in CBOR and in BSON.
        let t = guess(b"\xa1\x61a\x01").expect("cbor");
        assert_eq!(t.codec, Codec::Cbor);
        assert_eq!(t.pretty.text, r#"{"a": 1}"#);
        let doc = b"\x0c\x00\x00\x00\x10a\x00\x01\x00\x00\x00\x00";
        let t = guess(doc).expect("bson");
        assert_eq!(t.codec, Codec::Bson);
        assert_eq!(t.pretty.text, r#"{"a": 1}"#);
        // Field 1, varint 150: a protobuf message, never guessed.
        let pb = b"\x08\x96\x01";
        assert!(guess(pb).is_none());
        assert!(applicable(b"plain words").is_empty());
        assert!(applicable(pb).contains(&Codec::Protobuf));
    }
}
