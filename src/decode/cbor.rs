//! CBOR into a [`Node`]: integers exact (bignums too), half, single and
//! double floats, definite and indefinite lengths, `undefined` and simple
//! values, date tags 0 and 1 as [`Node::Timestamp`], and every other tag as
//! [`Node::Tagged`] around its value.
//!
//! `minicbor` reads the items; the tree, the budget and the cuts are here.

mod extra;

use super::limits::Budget;
use super::{Error, Limits, Node};
use minicbor::Decoder;
use minicbor::data::Type;

const FORMAT: &str = "cbor";

/// Decodes `bytes` as exactly one CBOR item; bytes left after it are an
/// error (a CBOR sequence is not one value).
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Node, Error> {
    super::error::whole(FORMAT, "item", bytes.len(), decode_prefix(bytes, limits)?)
}

/// Decodes the CBOR item at the start of `bytes`, and how many bytes it took.
pub fn decode_prefix(bytes: &[u8], limits: &Limits) -> Result<(Node, usize), Error> {
    if bytes.is_empty() {
        return Err(Error::new(FORMAT, 0, "no value"));
    }
    let mut r = Reader {
        d: Decoder::new(bytes),
        budget: Budget::new(limits),
    };
    let node = if r.budget.take() {
        r.value(0)?
    } else {
        r.skip()?;
        Node::Cut("a value past the node budget".into())
    };
    Ok((node, r.d.position()))
}

struct Reader<'b> {
    d: Decoder<'b>,
    budget: Budget,
}

/// A minicbor error as one of ours, at `at` (its own text names a position
/// of its own, which is dropped).
fn error(at: usize, e: &minicbor::decode::Error) -> Error {
    let reason = if e.is_end_of_input() {
        "the value is cut short".to_owned()
    } else {
        let text = e.to_string();
        match text.split_once(" at position ") {
            Some((head, tail)) => {
                let rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("{head}{rest}")
            }
            None => text,
        }
    };
    Error::new(FORMAT, at, reason)
}

impl Reader<'_> {
    fn skip(&mut self) -> Result<(), Error> {
        let at = self.d.position();
        self.d.skip().map_err(|e| error(at, &e))
    }

    fn value(&mut self, depth: usize) -> Result<Node, Error> {
        let at = self.d.position();
        let ty = self.d.datatype().map_err(|e| error(at, &e))?;
        match ty {
            Type::Array | Type::ArrayIndef | Type::Map | Type::MapIndef | Type::Tag
                if depth >= self.budget.depth =>
            {
                self.skip()?;
                let what = match ty {
                    Type::Array | Type::ArrayIndef => "an array",
                    Type::Tag => "a tagged value",
                    _ => "a map",
                };
                Ok(Node::Cut(format!(
                    "{what} of {} bytes, past the depth limit",
                    self.d.position() - at
                )))
            }
            Type::Array | Type::ArrayIndef => self.array(at, depth),
            Type::Map | Type::MapIndef => self.map(at, depth),
            Type::Tag => {
                let tag = self.d.tag().map_err(|e| error(at, &e))?.as_u64();
                let value = self.value(depth + 1)?;
                Ok(extra::tagged(tag, value))
            }
            ty => self.scalar(ty, at),
        }
    }

    // Containers and scalars live apart from `value` so that its frame,
    // repeated at every depth, stays small.
    #[inline(never)]
    fn scalar(&mut self, ty: Type, at: usize) -> Result<Node, Error> {
        let d = &mut self.d;
        let e = |e: minicbor::decode::Error| error(at, &e);
        Ok(match ty {
            Type::Bool => Node::Bool(d.bool().map_err(e)?),
            Type::Null => {
                d.null().map_err(e)?;
                Node::Null
            }
            Type::Undefined => {
                d.undefined().map_err(e)?;
                Node::Undefined
            }
            Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
                Node::Int(d.u64().map_err(e)?.to_string())
            }
            Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
                Node::Int(d.int().map_err(e)?.to_string())
            }
            Type::F16 => match d.input().get(at + 1..at + 3) {
                Some(&[hi, lo]) => {
                    d.set_position(at + 3);
                    Node::Float(extra::short_f32(extra::half(u16::from_be_bytes([hi, lo]))))
                }
                _ => return Err(Error::new(FORMAT, at, "the value is cut short")),
            },
            Type::F32 => Node::Float(extra::short_f32(d.f32().map_err(e)?)),
            Type::F64 => Node::Float(d.f64().map_err(e)?),
            Type::Simple => Node::Noted {
                value: Box::new(Node::Int(d.simple().map_err(e)?.to_string())),
                note: "simple value".into(),
            },
            Type::Bytes => Node::Bytes(d.bytes().map_err(e)?.to_vec()),
            Type::BytesIndef => {
                let mut v = Vec::new();
                for chunk in d.bytes_iter().map_err(e)? {
                    v.extend_from_slice(chunk.map_err(e)?);
                }
                Node::Bytes(v)
            }
            Type::String => match d.str() {
                Ok(s) => Node::Str(s.to_owned()),
                Err(err) => match extra::raw_text(d.input(), at) {
                    // Text that is not UTF-8 is kept as its bytes.
                    Some((raw, end)) if std::str::from_utf8(raw).is_err() => {
                        d.set_position(end);
                        Node::Noted {
                            value: Box::new(Node::Bytes(raw.to_vec())),
                            note: "text that is not UTF-8".into(),
                        }
                    }
                    _ => return Err(e(err)),
                },
            },
            Type::StringIndef => {
                let mut s = String::new();
                for chunk in d.str_iter().map_err(e)? {
                    s.push_str(chunk.map_err(e)?);
                }
                Node::Str(s)
            }
            Type::Break => return Err(Error::new(FORMAT, at, "a break outside any container")),
            Type::Unknown(b) => {
                return Err(Error::new(
                    FORMAT,
                    at,
                    format!("reserved initial byte {b:#04x}"),
                ));
            }
            // Containers and tags are read by `value`.
            _ => return Err(Error::new(FORMAT, at, "an unexpected item")),
        })
    }

    #[inline(never)]
    fn array(&mut self, at: usize, depth: usize) -> Result<Node, Error> {
        let len = self.d.array().map_err(|e| error(at, &e))?;
        let left = self.d.input().len() - self.d.position();
        let mut v = Vec::with_capacity(self.budget.reserve(len.unwrap_or(0), left));
        let mut i = 0u64;
        while self.more(len, i)? {
            if !self.budget.take() {
                let n = self.skip_rest(len, i)?;
                v.push(Node::Cut(format!(
                    "{n} more elements, past the node budget"
                )));
                break;
            }
            v.push(self.value(depth + 1)?);
            i += 1;
        }
        Ok(Node::List(v))
    }

    #[inline(never)]
    fn map(&mut self, at: usize, depth: usize) -> Result<Node, Error> {
        let len = self.d.map().map_err(|e| error(at, &e))?;
        let left = self.d.input().len() - self.d.position();
        let mut v = Vec::with_capacity(self.budget.reserve(len.unwrap_or(0), left / 2));
        let items = len.map(|n| n.saturating_mul(2));
        let mut i = 0u64;
        while self.more(items, i)? {
            if !(self.budget.take() && self.budget.take()) {
                let n = self.skip_rest(items, i)? / 2;
                v.push((
                    Node::Cut(format!("{n} more entries, past the node budget")),
                    Node::Null,
                ));
                break;
            }
            let k = self.value(depth + 1)?;
            let at = self.d.position();
            if !self.more(items, i + 1)? {
                return Err(Error::new(FORMAT, at, "a map key without its value"));
            }
            v.push((k, self.value(depth + 1)?));
            i += 2;
        }
        Ok(Node::Map(v))
    }

    /// Whether element `i` of a container of `len` items (`None`: up to a
    /// break) is there; the break is consumed.
    fn more(&mut self, len: Option<u64>, i: u64) -> Result<bool, Error> {
        match len {
            Some(n) => Ok(i < n),
            None => {
                let at = self.d.position();
                match self.d.datatype().map_err(|e| error(at, &e))? {
                    Type::Break => {
                        self.d.set_position(at + 1);
                        Ok(false)
                    }
                    _ => Ok(true),
                }
            }
        }
    }

    /// Skips the items of a container from item `i` on; how many there were.
    fn skip_rest(&mut self, len: Option<u64>, mut i: u64) -> Result<u64, Error> {
        let from = i;
        while self.more(len, i)? {
            self.skip()?;
            i += 1;
        }
        Ok(i - from)
    }
}

#[cfg(test)]
mod tests;
