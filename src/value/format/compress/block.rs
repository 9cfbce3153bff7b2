//! LZ4 blocks and raw Snappy, decoded by hand into the bounded output.
//!
//! `lz4_flex` and `snap` decode these only whole, into a buffer of the size
//! the data claims; here a block stops at the cap, keeps what decoded from a
//! partial value, and never sizes anything by a claimed length.

use super::out::{End, Out};

/// Reads bytes of a block, counting where it is for error messages.
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// A little-endian integer of `n` bytes (at most 4).
    fn le(&mut self, n: usize) -> Option<usize> {
        let s = self.take(n)?;
        Some(
            s.iter()
                .rev()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b)),
        )
    }

    fn rest(&self) -> &'a [u8] {
        &self.data[self.pos.min(self.data.len())..]
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// An LZ4 block: sequences of literals and matches, the last one literals only.
pub(super) fn lz4(data: &[u8], out: &mut Out) -> End {
    let mut c = Cursor { data, pos: 0 };
    if c.done() {
        return End::Truncated;
    }
    loop {
        let at = c.pos;
        let Some(token) = c.byte() else {
            return End::Truncated;
        };
        let Some(literals) = lz4_length(&mut c, usize::from(token >> 4)) else {
            return End::Truncated;
        };
        match c.take(literals) {
            Some(s) => out.push(s),
            None => {
                out.push(c.rest());
                return End::Truncated;
            }
        }
        if out.over || c.done() {
            return End::Complete;
        }
        let Some(distance) = c.le(2) else {
            return End::Truncated;
        };
        let Some(len) = lz4_length(&mut c, usize::from(token & 0x0f)) else {
            return End::Truncated;
        };
        if !out.copy_back(distance, len + 4) {
            return End::Invalid(before_start(distance, at));
        }
        if out.over {
            return End::Complete;
        }
    }
}

/// A 4-bit length, extended by bytes of 255 and one below 255 when it is 15.
fn lz4_length(c: &mut Cursor, nibble: usize) -> Option<usize> {
    let mut len = nibble;
    if nibble == 15 {
        loop {
            let b = c.byte()?;
            len = len.saturating_add(usize::from(b));
            if b != 255 {
                break;
            }
        }
    }
    Some(len)
}

/// python-lz4's `lz4.block.compress` layout: the uncompressed size as 4 bytes
/// little-endian, then an LZ4 block. The size is checked, never allocated.
pub(super) fn lz4_sized(data: &[u8], out: &mut Out) -> End {
    let Some((size, block)) = data.split_first_chunk::<4>() else {
        return End::Truncated;
    };
    let size = u32::from_le_bytes(*size) as usize;
    match lz4(block, out) {
        End::Complete if !out.over && out.len() != size => End::Invalid(format!(
            "the size prefix says {size} bytes, the block holds {}",
            out.len()
        )),
        End::Complete if out.over && out.len() > size => {
            End::Invalid(format!("more than the {size} bytes the size prefix says"))
        }
        End::Invalid(why) => End::Invalid(offset_by(why, 4)),
        end => end,
    }
}

/// Raw Snappy: the uncompressed length as a varint, then literals and copies.
pub(super) fn snappy(data: &[u8], out: &mut Out) -> End {
    let mut c = Cursor { data, pos: 0 };
    let mut size = 0usize;
    for i in 0..5 {
        let Some(b) = c.byte() else {
            return End::Truncated;
        };
        size |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
        if i == 4 {
            return End::Invalid("the length at byte 0 is longer than 5 bytes".to_string());
        }
    }
    while !c.done() {
        let at = c.pos;
        let Some(tag) = c.byte() else {
            return End::Truncated;
        };
        let upper = usize::from(tag >> 2);
        let copy = match tag & 3 {
            0 => {
                let len = match upper {
                    0..60 => Some(upper + 1),
                    _ => c.le(upper - 59).map(|n| n + 1),
                };
                let Some(len) = len else {
                    return End::Truncated;
                };
                match c.take(len) {
                    Some(s) => out.push(s),
                    None => {
                        out.push(c.rest());
                        return End::Truncated;
                    }
                }
                None
            }
            1 => c
                .byte()
                .map(|b| (4 + (upper & 7), (upper >> 3) << 8 | usize::from(b))),
            2 => c.le(2).map(|d| (upper + 1, d)),
            _ => c.le(4).map(|d| (upper + 1, d)),
        };
        if let Some((len, distance)) = copy {
            if !out.copy_back(distance, len) {
                return End::Invalid(before_start(distance, at));
            }
        } else if tag & 3 != 0 {
            return End::Truncated;
        }
        if out.over {
            return End::Complete;
        }
        if out.len() > size {
            return End::Invalid(format!("more than the {size} bytes its length says"));
        }
    }
    if out.len() == size {
        End::Complete
    } else {
        End::Invalid(format!(
            "its length says {size} bytes, the data holds {}",
            out.len()
        ))
    }
}

fn before_start(distance: usize, at: usize) -> String {
    format!("a match {distance} bytes back reaches before the start, at byte {at}")
}

/// Shifts the "at byte N" of a message by a prefix's length.
fn offset_by(why: String, prefix: usize) -> String {
    match why.rsplit_once("at byte ") {
        Some((head, n)) => match n.parse::<usize>() {
            Ok(n) => format!("{head}at byte {}", n + prefix),
            Err(_) => why,
        },
        None => why,
    }
}
