//! The bytes of a pickle, read forward with the offset kept for errors.

use super::Error;

/// A forward reader over the pickle's bytes.
pub(super) struct Input<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Where the opcode being read started, for error offsets.
    pub op_at: usize,
    /// The opcode being read, named in truncation errors.
    pub op_name: &'static str,
}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            op_at: 0,
            op_name: "",
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// An error at the opcode being read.
    pub fn error(&self, reason: impl Into<String>) -> Error {
        Error::new("pickle", self.op_at, reason)
    }

    /// An error about the opcode being read, named first ("APPEND on an int").
    pub fn op_error(&self, what: &str) -> Error {
        self.error(format!("{} {what}", self.op_name))
    }

    fn truncated(&self) -> Error {
        self.error(format!(
            "{} is cut short (the value ends at byte {})",
            self.op_name,
            self.bytes.len()
        ))
    }

    /// The next `n` bytes; lengths are checked against what is left before
    /// anything is allocated, so a forged 2^63 length costs nothing.
    pub fn take(&mut self, n: u64) -> Result<&'a [u8], Error> {
        if n > self.remaining() as u64 {
            return Err(self.truncated());
        }
        let n = n as usize;
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned little-endian integer of `width` bytes (1 to 8).
    pub fn uint(&mut self, width: u8) -> Result<u64, Error> {
        let b = self.take(width.into())?;
        Ok(b.iter().rev().fold(0, |v, &byte| v << 8 | u64::from(byte)))
    }

    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(self.uint(4)? as u32)
    }

    pub fn i32(&mut self) -> Result<i32, Error> {
        Ok(self.u32()? as i32)
    }

    pub fn u64(&mut self) -> Result<u64, Error> {
        self.uint(8)
    }

    /// A protocol-0 argument: the bytes up to the next newline, without it.
    pub fn line(&mut self) -> Result<&'a [u8], Error> {
        let rest = &self.bytes[self.pos..];
        match memchr::memchr(b'\n', rest) {
            Some(i) => {
                self.pos += i + 1;
                Ok(&rest[..i])
            }
            None => Err(self.truncated()),
        }
    }
}
