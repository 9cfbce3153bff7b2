//! Decompressed bytes that stop at a cap, and how a stream ended.

use std::io::{ErrorKind, Read};

/// Output kept up to a cap; what would go past it is dropped and remembered.
#[derive(Debug)]
pub(super) struct Out {
    pub(super) bytes: Vec<u8>,
    cap: usize,
    /// More output was produced than the cap holds.
    pub(super) over: bool,
}

impl Out {
    pub(super) fn new(cap: usize) -> Out {
        Out {
            bytes: Vec::new(),
            cap,
            over: false,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Appends what fits under the cap.
    pub(super) fn push(&mut self, chunk: &[u8]) {
        let take = self.room_for(chunk.len());
        self.bytes.extend_from_slice(&chunk[..take]);
    }

    /// Copies `len` bytes starting `distance` back (an LZ77 match; the copy may
    /// overlap what it writes). `false` when `distance` reaches before the start.
    pub(super) fn copy_back(&mut self, distance: usize, len: usize) -> bool {
        if distance == 0 || distance > self.bytes.len() {
            return false;
        }
        let len = self.room_for(len);
        let start = self.bytes.len() - distance;
        if distance >= len {
            self.bytes.extend_from_within(start..start + len);
        } else {
            // An overlapping match repeats its last `distance` bytes.
            for i in 0..len {
                let b = self.bytes[start + i];
                self.bytes.push(b);
            }
        }
        true
    }

    /// How many of `len` more bytes fit, with room reserved for them. The
    /// vector grows by doubling but never past the cap, so a bomb costs at
    /// most the cap whatever it claims.
    fn room_for(&mut self, len: usize) -> usize {
        let room = self.cap - self.bytes.len();
        if len > room {
            self.over = true;
        }
        let len = len.min(room);
        if self.bytes.capacity() - self.bytes.len() < len {
            let want = (self.bytes.capacity() * 2)
                .max(self.bytes.len() + len)
                .max(256)
                .min(self.cap);
            self.bytes.reserve_exact(want - self.bytes.len());
        }
        len
    }
}

/// How a compressed stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum End {
    /// The stream's own end was reached (and its checksum, where it has one, held).
    Complete,
    /// The input ran out mid-stream: a partial value.
    Truncated,
    /// The bytes are not a valid stream; the text says why (and where, when known).
    Invalid(String),
}

/// Reads a decompressing reader into `out` until its end, an error, or the cap.
pub(super) fn drain(mut reader: impl Read, out: &mut Out) -> End {
    // One byte past the cap tells "exactly cap" from "more than cap".
    let mut buf = vec![0u8; (out.cap - out.len() + 1).min(64 * 1024)];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return End::Complete,
            Ok(n) => {
                out.push(&buf[..n]);
                if out.over {
                    return End::Complete;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return io_end(&e),
        }
    }
}

/// How a decoder's I/O error ended its stream.
pub(super) fn io_end(e: &std::io::Error) -> End {
    match e.kind() {
        ErrorKind::UnexpectedEof => End::Truncated,
        ErrorKind::OutOfMemory => {
            End::Invalid("its window is larger than this viewer decodes".to_string())
        }
        _ => End::Invalid(first_line(&e.to_string())),
    }
}

/// The first line of a library's error text, for a one-line note.
pub(super) fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}
