//! BSON documents into a [`Node`]: a document as a map in stored order,
//! dates as [`Node::Timestamp`], and MongoDB's own types in the shell's
//! notation (`ObjectId("…")`, `UUID("…")`, `Binary(b"…", 5)`,
//! `Timestamp(t, i)`, `Decimal128("…")`).
//!
//! The `bson` crate reads the elements without copying; depth, the node
//! budget and the offsets of errors are kept here.

use super::limits::Budget;
use super::{Error, Limits, Node};
use bson::RawBsonRef;
use bson::raw::{RawArray, RawDocument};

const FORMAT: &str = "bson";

/// The smallest document: a length and the closing zero.
const MIN_DOC: usize = 5;

/// Decodes `bytes` as exactly one BSON document; bytes after it are an
/// error (a dump of several documents is not one value).
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Node, Error> {
    super::error::whole(
        FORMAT,
        "document",
        bytes.len(),
        decode_prefix(bytes, limits)?,
    )
}

/// Decodes the document at the start of `bytes`, and how many bytes it took.
pub fn decode_prefix(bytes: &[u8], limits: &Limits) -> Result<(Node, usize), Error> {
    let len = match bytes.get(..4) {
        Some(&[a, b, c, d]) => i32::from_le_bytes([a, b, c, d]),
        _ => return Err(Error::new(FORMAT, 0, "no document length")),
    };
    let len = usize::try_from(len)
        .ok()
        .filter(|&l| (MIN_DOC..=bytes.len()).contains(&l))
        .ok_or_else(|| {
            Error::new(
                FORMAT,
                0,
                format!("a document length of {len} in {} bytes", bytes.len()),
            )
        })?;
    let doc = RawDocument::from_bytes(&bytes[..len]).map_err(|e| error(0, &e))?;
    let mut r = Reader {
        base: bytes.as_ptr() as usize,
        budget: Budget::new(limits),
    };
    Ok((Node::Map(r.document(doc, 0)?), len))
}

struct Reader {
    /// The address of the first byte, so an inner document knows its offset.
    base: usize,
    budget: Budget,
}

/// A `bson` error as one of ours.
fn error(at: usize, e: &bson::error::Error) -> Error {
    let mut reason = match &e.message {
        Some(m) => m.clone(),
        None => e.kind.to_string(),
    };
    if let Some(key) = &e.key {
        reason.push_str(&format!(" (key {key:?})"));
    }
    Error::new(FORMAT, at, reason)
}

impl Reader {
    fn offset(&self, doc: &RawDocument) -> usize {
        (doc.as_bytes().as_ptr() as usize).saturating_sub(self.base)
    }

    fn document(&mut self, doc: &RawDocument, depth: usize) -> Result<Vec<(Node, Node)>, Error> {
        let mut out = Vec::new();
        let start = self.offset(doc);
        let mut at = start + 4;
        for element in doc.iter_elements() {
            let element = element.map_err(|e| error(at, &e))?;
            if !(self.budget.take() && self.budget.take()) {
                let left = start + doc.as_bytes().len() - at;
                out.push((
                    Node::Cut(format!("{left} more bytes, past the node budget")),
                    Node::Null,
                ));
                break;
            }
            let key = element.key().as_str();
            let value = element.value().map_err(|e| error(at, &e))?;
            out.push((Node::Str(key.into()), self.value(value, at, depth + 1)?));
            at += 1 + key.len() + 1 + element.size();
        }
        Ok(out)
    }

    fn array(&mut self, arr: &RawArray, at: usize, depth: usize) -> Result<Node, Error> {
        let doc = RawDocument::from_bytes(arr.as_bytes()).map_err(|e| error(at, &e))?;
        // An array is a document keyed "0", "1", …; the keys are dropped.
        let pairs = self.document(doc, depth)?;
        Ok(Node::List(
            pairs
                .into_iter()
                .map(|(k, v)| match k {
                    Node::Cut(_) => k,
                    _ => v,
                })
                .collect(),
        ))
    }

    fn value(&mut self, v: RawBsonRef, at: usize, depth: usize) -> Result<Node, Error> {
        let call = |callee: &str, args: Vec<Node>| Node::Call {
            callee: callee.into(),
            args,
            kwargs: Vec::new(),
            state: None,
        };
        let s = |s: &str| Node::Str(s.into());
        Ok(match v {
            RawBsonRef::Document(d) if depth >= self.budget.depth => Node::Cut(format!(
                "a document of {} bytes, past the depth limit",
                d.as_bytes().len()
            )),
            RawBsonRef::Array(a) if depth >= self.budget.depth => Node::Cut(format!(
                "an array of {} bytes, past the depth limit",
                a.as_bytes().len()
            )),
            RawBsonRef::Document(d) => Node::Map(self.document(d, depth)?),
            RawBsonRef::Array(a) => self.array(a, at, depth)?,
            RawBsonRef::Double(x) => Node::Float(x),
            RawBsonRef::String(x) => s(x),
            RawBsonRef::Boolean(b) => Node::Bool(b),
            RawBsonRef::Null => Node::Null,
            RawBsonRef::Undefined => Node::Undefined,
            RawBsonRef::Int32(n) => Node::Int(n.to_string()),
            RawBsonRef::Int64(n) => Node::Int(n.to_string()),
            RawBsonRef::DateTime(t) => {
                let ms = t.timestamp_millis();
                Node::Timestamp {
                    secs: ms.div_euclid(1000),
                    nanos: (ms.rem_euclid(1000) as u32) * 1_000_000,
                }
            }
            RawBsonRef::ObjectId(id) => call("ObjectId", vec![s(&id.to_hex())]),
            RawBsonRef::Binary(b) => binary(u8::from(b.subtype), b.bytes),
            RawBsonRef::Timestamp(t) => call(
                "Timestamp",
                vec![
                    Node::Int(t.time.to_string()),
                    Node::Int(t.increment.to_string()),
                ],
            ),
            RawBsonRef::Decimal128(d) => call("Decimal128", vec![s(&d.to_string())]),
            RawBsonRef::RegularExpression(r) => {
                call("RegExp", vec![s(r.pattern.as_str()), s(r.options.as_str())])
            }
            RawBsonRef::JavaScriptCode(c) => call("Code", vec![s(c)]),
            RawBsonRef::JavaScriptCodeWithScope(c) => {
                let scope = if depth >= self.budget.depth {
                    Node::Cut("a scope, past the depth limit".into())
                } else {
                    Node::Map(self.document(c.scope, depth)?)
                };
                call("Code", vec![s(c.code), scope])
            }
            RawBsonRef::Symbol(x) => call("Symbol", vec![s(x)]),
            RawBsonRef::MaxKey => Node::Global("MaxKey".into()),
            RawBsonRef::MinKey => Node::Global("MinKey".into()),
            RawBsonRef::DbPointer(_) => call("DBPointer", Vec::new()),
        })
    }
}

/// Binary data: plain bytes for the generic subtype, a UUID's usual text
/// for subtypes 3 and 4, `Binary(bytes, subtype)` otherwise.
fn binary(subtype: u8, bytes: &[u8]) -> Node {
    match (subtype, uuid::Uuid::from_slice(bytes)) {
        (0, _) => Node::Bytes(bytes.to_vec()),
        (3 | 4, Ok(id)) => Node::Call {
            callee: "UUID".into(),
            args: vec![Node::Str(id.hyphenated().to_string())],
            kwargs: Vec::new(),
            state: None,
        },
        _ => Node::Call {
            callee: "Binary".into(),
            args: vec![Node::Bytes(bytes.to_vec()), Node::Int(subtype.to_string())],
            kwargs: Vec::new(),
            state: None,
        },
    }
}

#[cfg(test)]
mod tests;
