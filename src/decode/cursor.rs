//! Reading a byte slice front to back, with the offset of every failure.

use super::Error;

/// A position in the bytes of one value, for one format's errors.
pub(crate) struct Cursor<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
    format: &'static str,
}

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8], format: &'static str) -> Cursor<'a> {
        Cursor {
            buf,
            pos: 0,
            format,
        }
    }

    /// An error of this format at `offset`.
    pub fn err(&self, offset: usize, reason: impl Into<String>) -> Error {
        Error::new(self.format, offset, reason)
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The next `n` bytes, or an error naming `what` was cut short.
    pub fn take(&mut self, n: u64, what: &str) -> Result<&'a [u8], Error> {
        let left = self.remaining();
        match usize::try_from(n) {
            Ok(n) if n <= left => {
                let s = &self.buf[self.pos..self.pos + n];
                self.pos += n;
                Ok(s)
            }
            _ => Err(self.err(self.pos, format!("{what} needs {n} bytes, {left} left"))),
        }
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }

    /// `N` bytes as an array, for `from_be_bytes` and `from_le_bytes`.
    pub fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Error> {
        let s = self.take(N as u64, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
}
