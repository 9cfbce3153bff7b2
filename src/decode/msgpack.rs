//! MessagePack into a [`Node`]: integers exact, maps in stored order with
//! keys of any kind, `bin` as bytes, ext types as [`Node::Ext`] and the
//! timestamp ext (-1) as [`Node::Timestamp`].
//!
//! `rmp` names the markers; lengths are read here so that no claimed length
//! is trusted for an allocation (see [`Budget::reserve`]).

use super::cursor::Cursor;
use super::limits::Budget;
use super::{Error, Limits, Node};
use rmp::Marker;

const FORMAT: &str = "msgpack";

/// The ext type msgpack reserves for timestamps.
const TIMESTAMP: i8 = -1;

/// Decodes `bytes` as exactly one msgpack value; bytes left after it are an
/// error (a stream of values is not one value).
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Node, Error> {
    super::error::whole(FORMAT, "value", bytes.len(), decode_prefix(bytes, limits)?)
}

/// Decodes the msgpack value at the start of `bytes`, and how many bytes it
/// took, for callers that read a stream of values.
pub fn decode_prefix(bytes: &[u8], limits: &Limits) -> Result<(Node, usize), Error> {
    let mut r = Reader {
        c: Cursor::new(bytes, FORMAT),
        budget: Budget::new(limits),
    };
    if r.c.at_end() {
        return Err(r.c.err(0, "no value"));
    }
    let node = if r.budget.take() {
        r.value(0)?
    } else {
        r.skip(1)?;
        Node::Cut("a value past the node budget".into())
    };
    Ok((node, r.c.pos))
}

/// A value's marker with its length fields read, and its bytes when it
/// holds bytes.
enum Head<'a> {
    Nil,
    Bool(bool),
    Uint(u64),
    Int(i64),
    F32(f32),
    F64(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(u64),
    Map(u64),
    Ext(i8, &'a [u8]),
}

struct Reader<'a> {
    c: Cursor<'a>,
    budget: Budget,
}

impl<'a> Reader<'a> {
    fn len(&mut self, bytes: u8) -> Result<u64, Error> {
        Ok(match bytes {
            1 => self.c.u8("a length")?.into(),
            2 => u16::from_be_bytes(self.c.array("a length")?).into(),
            _ => u32::from_be_bytes(self.c.array("a length")?).into(),
        })
    }

    fn ext(&mut self, len: u64) -> Result<Head<'a>, Error> {
        let ty = self.c.u8("an ext type")? as i8;
        Ok(Head::Ext(ty, self.c.take(len, "an ext")?))
    }

    fn head(&mut self) -> Result<Head<'a>, Error> {
        let at = self.c.pos;
        let c = &mut self.c;
        Ok(match Marker::from_u8(c.u8("a value")?) {
            Marker::FixPos(n) => Head::Uint(n.into()),
            Marker::FixNeg(n) => Head::Int(n.into()),
            Marker::Null => Head::Nil,
            Marker::True => Head::Bool(true),
            Marker::False => Head::Bool(false),
            Marker::U8 => Head::Uint(c.u8("a u8")?.into()),
            Marker::U16 => Head::Uint(u16::from_be_bytes(c.array("a u16")?).into()),
            Marker::U32 => Head::Uint(u32::from_be_bytes(c.array("a u32")?).into()),
            Marker::U64 => Head::Uint(u64::from_be_bytes(c.array("a u64")?)),
            Marker::I8 => Head::Int((c.u8("an i8")? as i8).into()),
            Marker::I16 => Head::Int(i16::from_be_bytes(c.array("an i16")?).into()),
            Marker::I32 => Head::Int(i32::from_be_bytes(c.array("an i32")?).into()),
            Marker::I64 => Head::Int(i64::from_be_bytes(c.array("an i64")?)),
            Marker::F32 => Head::F32(f32::from_be_bytes(c.array("an f32")?)),
            Marker::F64 => Head::F64(f64::from_be_bytes(c.array("an f64")?)),
            Marker::FixStr(n) => Head::Str(c.take(n.into(), "a str")?),
            Marker::Str8 => Head::Str(self.sized(1, "a str")?),
            Marker::Str16 => Head::Str(self.sized(2, "a str")?),
            Marker::Str32 => Head::Str(self.sized(4, "a str")?),
            Marker::Bin8 => Head::Bin(self.sized(1, "a bin")?),
            Marker::Bin16 => Head::Bin(self.sized(2, "a bin")?),
            Marker::Bin32 => Head::Bin(self.sized(4, "a bin")?),
            Marker::FixArray(n) => Head::Array(n.into()),
            Marker::Array16 => Head::Array(self.len(2)?),
            Marker::Array32 => Head::Array(self.len(4)?),
            Marker::FixMap(n) => Head::Map(n.into()),
            Marker::Map16 => Head::Map(self.len(2)?),
            Marker::Map32 => Head::Map(self.len(4)?),
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => {
                let n = self.len(1)?;
                self.ext(n)?
            }
            Marker::Ext16 => {
                let n = self.len(2)?;
                self.ext(n)?
            }
            Marker::Ext32 => {
                let n = self.len(4)?;
                self.ext(n)?
            }
            Marker::Reserved => return Err(self.c.err(at, "reserved marker 0xc1")),
        })
    }

    /// Bytes preceded by a length of `width` bytes.
    fn sized(&mut self, width: u8, what: &str) -> Result<&'a [u8], Error> {
        let n = self.len(width)?;
        self.c.take(n, what)
    }

    fn value(&mut self, depth: usize) -> Result<Node, Error> {
        Ok(match self.head()? {
            Head::Nil => Node::Null,
            Head::Bool(b) => Node::Bool(b),
            Head::Uint(n) => Node::Int(n.to_string()),
            Head::Int(n) => Node::Int(n.to_string()),
            // The float32's own shortest digits: 0.1, not 0.10000000149011612.
            Head::F32(x) => Node::Float(x.to_string().parse().unwrap_or(x.into())),
            Head::F64(x) => Node::Float(x),
            Head::Str(s) => match std::str::from_utf8(s) {
                Ok(s) => Node::Str(s.into()),
                Err(_) => Node::Noted {
                    value: Box::new(Node::Bytes(s.to_vec())),
                    note: "a str that is not UTF-8".into(),
                },
            },
            Head::Bin(b) => Node::Bytes(b.to_vec()),
            Head::Ext(TIMESTAMP, data) => timestamp(data),
            Head::Ext(tag, data) => Node::Ext {
                tag: tag.into(),
                data: data.to_vec(),
            },
            Head::Array(n) if depth >= self.budget.depth => {
                self.skip(n)?;
                Node::Cut(format!("an array of {n} elements, past the depth limit"))
            }
            Head::Map(n) if depth >= self.budget.depth => {
                self.skip(n.saturating_mul(2))?;
                Node::Cut(format!("a map of {n} entries, past the depth limit"))
            }
            Head::Array(n) => {
                let mut v = Vec::with_capacity(self.budget.reserve(n, self.c.remaining()));
                for i in 0..n {
                    if !self.budget.take() {
                        self.skip(n - i)?;
                        v.push(Node::Cut(format!(
                            "{} more elements, past the node budget",
                            n - i
                        )));
                        break;
                    }
                    v.push(self.value(depth + 1)?);
                }
                Node::List(v)
            }
            Head::Map(n) => {
                let mut v = Vec::with_capacity(self.budget.reserve(n, self.c.remaining() / 2));
                for i in 0..n {
                    if !(self.budget.take() && self.budget.take()) {
                        self.skip((n - i).saturating_mul(2))?;
                        v.push((
                            Node::Cut(format!("{} more entries, past the node budget", n - i)),
                            Node::Null,
                        ));
                        break;
                    }
                    let k = self.value(depth + 1)?;
                    v.push((k, self.value(depth + 1)?));
                }
                Node::Map(v)
            }
        })
    }

    /// Steps over `count` values without building them, iteratively, so
    /// neither depth nor size costs more than reading the bytes.
    fn skip(&mut self, mut count: u64) -> Result<(), Error> {
        while count > 0 {
            count -= 1;
            match self.head()? {
                Head::Array(n) => count = count.saturating_add(n),
                Head::Map(n) => count = count.saturating_add(n.saturating_mul(2)),
                _ => {}
            }
        }
        Ok(())
    }
}

/// The timestamp ext in its 32, 64 and 96-bit layouts; any other payload
/// stays an ext with a remark.
fn timestamp(data: &[u8]) -> Node {
    let parsed = match data.len() {
        4 => data
            .try_into()
            .ok()
            .map(|b| (u32::from_be_bytes(b).into(), 0)),
        8 => data.try_into().ok().map(|b| {
            let v = u64::from_be_bytes(b);
            ((v & 0x3_ffff_ffff) as i64, (v >> 34) as u32)
        }),
        12 => match (data[..4].try_into(), data[4..].try_into()) {
            (Ok(n), Ok(s)) => Some((i64::from_be_bytes(s), u32::from_be_bytes(n))),
            _ => None,
        },
        _ => None,
    };
    match parsed {
        Some((secs, nanos)) if nanos < 1_000_000_000 => Node::Timestamp { secs, nanos },
        _ => Node::Noted {
            value: Box::new(Node::Ext {
                tag: TIMESTAMP.into(),
                data: data.to_vec(),
            }),
            note: "not a valid timestamp".into(),
        },
    }
}

#[cfg(test)]
mod tests;
