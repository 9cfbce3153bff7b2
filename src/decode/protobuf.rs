//! Protobuf's wire format without a schema: a message as a [`Node::Record`]
//! of its fields named by number (`"1"`, `"2.fixed64"`, `"3.group"`), in
//! stored order, repeated fields repeated.
//!
//! A varint shows unsigned, with its zigzag (`sint`) reading and, when its
//! top bit is set, its `int64` reading as remarks; fixed32 and fixed64 show
//! unsigned with their float reading. A length-delimited payload is a
//! nested message when all of it parses as one, else text when it is
//! printable UTF-8, else bytes (with its reading as packed varints when
//! there is one). Every payload is tried at most once, and the bytes tried
//! are bounded by a multiple of the input, so garbage is cheap.

use super::limits::Budget;
use super::{Error, Limits, Node, layout};

const FORMAT: &str = "protobuf";

/// How many times over its input a value may be scanned while payloads are
/// tried as messages and as text.
const WORK_PER_BYTE: usize = 16;

/// The largest field number protobuf allows (2^29 - 1).
const MAX_FIELD: u64 = (1 << 29) - 1;

/// Decodes `bytes` as one protobuf message (the empty message included).
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Node, Error> {
    let mut r = Reader {
        buf: bytes,
        budget: Budget::new(limits),
        work: bytes
            .len()
            .saturating_mul(WORK_PER_BYTE)
            .saturating_add(4096),
    };
    let mut pos = 0;
    Ok(Node::Record(r.fields(&mut pos, bytes.len(), 0, None)?))
}

struct Reader<'a> {
    buf: &'a [u8],
    budget: Budget,
    /// Bytes that may still be scanned for nested messages and text.
    work: usize,
}

fn err(offset: usize, reason: impl Into<String>) -> Error {
    Error::new(FORMAT, offset, reason)
}

impl Reader<'_> {
    fn varint(&self, pos: &mut usize, end: usize) -> Result<u64, Error> {
        let at = *pos;
        let mut v = 0u64;
        for i in 0..10 {
            let Some(&b) = self.buf[..end].get(*pos) else {
                return Err(err(at, "a varint cut short"));
            };
            *pos += 1;
            if i == 9 && b > 1 {
                return Err(err(at, "a varint longer than 64 bits"));
            }
            v |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(err(at, "a varint longer than 64 bits"))
    }

    fn fixed<const N: usize>(&self, pos: &mut usize, end: usize) -> Result<[u8; N], Error> {
        let at = *pos;
        match self.buf[..end].get(at..at + N) {
            Some(s) => {
                *pos += N;
                let mut a = [0u8; N];
                a.copy_from_slice(s);
                Ok(a)
            }
            None => Err(err(at, format!("a fixed{} cut short", N * 8))),
        }
    }

    /// The fields from `pos` to `end`, or to the end of `group`.
    fn fields(
        &mut self,
        pos: &mut usize,
        end: usize,
        depth: usize,
        group: Option<u64>,
    ) -> Result<Vec<(String, Node)>, Error> {
        let mut out = Vec::new();
        loop {
            if *pos >= end {
                return match group {
                    Some(g) => Err(err(*pos, format!("group {g} has no end"))),
                    None => Ok(out),
                };
            }
            if !self.budget.take() {
                let from = *pos;
                match group {
                    Some(g) => self.skip_group(pos, end, g)?,
                    None => *pos = end,
                }
                let cut = format!("{} more bytes, past the node budget", *pos - from);
                out.push((String::new(), Node::Cut(cut)));
                return Ok(out);
            }
            let at = *pos;
            let key = self.varint(pos, end)?;
            let (num, wire) = (key >> 3, key & 7);
            if num == 0 || num > MAX_FIELD {
                return Err(err(at, format!("field number {num} is out of range")));
            }
            let field = match wire {
                0 => (num.to_string(), varint_node(self.varint(pos, end)?)),
                1 => {
                    let v = u64::from_le_bytes(self.fixed(pos, end)?);
                    let x = layout::float(f64::from_bits(v), layout::Dialect::Data);
                    (
                        format!("{num}.fixed64"),
                        noted(v, vec![format!("double {x}")]),
                    )
                }
                5 => {
                    let v = u32::from_le_bytes(self.fixed(pos, end)?);
                    let x = f32::from_bits(v);
                    // The float32's own shortest digits.
                    let x = x.to_string().parse().unwrap_or(f64::from(x));
                    let x = layout::float(x, layout::Dialect::Data);
                    (
                        format!("{num}.fixed32"),
                        noted(v.into(), vec![format!("float {x}")]),
                    )
                }
                2 => {
                    let len_at = *pos;
                    let len = self.varint(pos, end)?;
                    let left = end - *pos;
                    let len = usize::try_from(len)
                        .ok()
                        .filter(|&l| l <= left)
                        .ok_or_else(|| {
                            err(
                                len_at,
                                format!("field {num} needs {len} bytes, {left} left"),
                            )
                        })?;
                    let start = *pos;
                    *pos += len;
                    (num.to_string(), self.payload(start, start + len, depth + 1))
                }
                3 if depth + 1 >= self.budget.depth => {
                    let from = *pos;
                    self.skip_group(pos, end, num)?;
                    let cut = format!("a group of {} bytes, past the depth limit", *pos - from);
                    (format!("{num}.group"), Node::Cut(cut))
                }
                3 => {
                    let inner = self.fields(pos, end, depth + 1, Some(num))?;
                    (format!("{num}.group"), Node::Record(inner))
                }
                4 if group == Some(num) => return Ok(out),
                4 => return Err(err(at, format!("the end of group {num}, never started"))),
                w => return Err(err(at, format!("wire type {w} in field {num}"))),
            };
            out.push(field);
        }
    }

    /// Steps past the end of `group`, checking the fields on the way
    /// without building them, iteratively.
    fn skip_group(&mut self, pos: &mut usize, end: usize, group: u64) -> Result<(), Error> {
        let mut open = vec![group];
        while let Some(&g) = open.last() {
            if *pos >= end {
                return Err(err(*pos, format!("group {g} has no end")));
            }
            let at = *pos;
            let key = self.varint(pos, end)?;
            let (num, wire) = (key >> 3, key & 7);
            match wire {
                0 => {
                    self.varint(pos, end)?;
                }
                1 => {
                    self.fixed::<8>(pos, end)?;
                }
                5 => {
                    self.fixed::<4>(pos, end)?;
                }
                2 => {
                    let len = self.varint(pos, end)?;
                    match usize::try_from(len).ok().filter(|&l| l <= end - *pos) {
                        Some(l) => *pos += l,
                        None => return Err(err(at, format!("field {num} is cut short"))),
                    }
                }
                3 => open.push(num),
                4 if num == g => {
                    open.pop();
                }
                4 => return Err(err(at, format!("the end of group {num}, never started"))),
                w => return Err(err(at, format!("wire type {w} in field {num}"))),
            }
        }
        Ok(())
    }

    /// A length-delimited payload: a message, text, or bytes.
    fn payload(&mut self, start: usize, end: usize, depth: usize) -> Node {
        let bytes = &self.buf[start..end];
        if bytes.is_empty() {
            return Node::Str(String::new());
        }
        if self.work < bytes.len() {
            return Node::Bytes(bytes.to_vec());
        }
        self.work -= bytes.len();
        let text = text(bytes);
        if depth < self.budget.depth {
            let saved = self.budget;
            let mut pos = start;
            match self.fields(&mut pos, end, depth, None) {
                Ok(fields) => {
                    let message = Node::Record(fields);
                    return match text {
                        // Short text often parses as a message too; say so.
                        Some(s) => Node::Noted {
                            value: Box::new(message),
                            note: format!("or text {}", preview(s)),
                        },
                        None => message,
                    };
                }
                Err(_) => self.budget = saved,
            }
        }
        match text {
            Some(s) => Node::Str(s.to_owned()),
            None => match packed(bytes) {
                Some(note) => Node::Noted {
                    value: Box::new(Node::Bytes(bytes.to_vec())),
                    note,
                },
                None => Node::Bytes(bytes.to_vec()),
            },
        }
    }
}

/// A varint, unsigned, with the readings that differ.
fn varint_node(v: u64) -> Node {
    let mut notes = Vec::new();
    if v >> 63 == 1 {
        notes.push(format!("int64 {}", v as i64));
    }
    if v != 0 {
        notes.push(format!("zigzag {}", zigzag(v)));
    }
    noted(v, notes)
}

fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn noted(v: u64, notes: Vec<String>) -> Node {
    let value = Node::Int(v.to_string());
    if notes.is_empty() {
        return value;
    }
    Node::Noted {
        value: Box::new(value),
        note: notes.join(", "),
    }
}

/// `bytes` as text when they are UTF-8 with nothing unprintable but line
/// breaks and tabs. Control bytes, which open most messages, are looked
/// for first.
fn text(bytes: &[u8]) -> Option<&str> {
    if bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7f)
    {
        return None;
    }
    let s = std::str::from_utf8(bytes).ok()?;
    s.chars()
        .all(|c| matches!(c, '\n' | '\r' | '\t') || !c.is_control())
        .then_some(s)
}

/// Text quoted and shortened for a remark.
fn preview(s: &str) -> String {
    const MAX: usize = 40;
    let mut it = s.char_indices();
    match it.nth(MAX) {
        Some((i, _)) => format!("{:?}…", &s[..i]),
        None => format!("{s:?}"),
    }
}

/// The payload read as packed varints (a repeated scalar field), when all
/// of it reads so and it holds more than one.
fn packed(bytes: &[u8]) -> Option<String> {
    const SHOWN: usize = 16;
    let mut vals = Vec::new();
    let mut n = 0;
    let mut v = 0u64;
    let mut shift = 0;
    for &b in bytes {
        if shift >= 64 || (shift == 63 && b > 1) {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b < 0x80 {
            if vals.len() < SHOWN {
                vals.push(v.to_string());
            }
            n += 1;
            v = 0;
            shift = 0;
        }
    }
    if shift != 0 || n < 2 {
        return None;
    }
    let more = if n > SHOWN { ", …" } else { "" };
    Some(format!("packed varints [{}{more}]", vals.join(", ")))
}

#[cfg(test)]
mod tests;
