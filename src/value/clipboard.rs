//! The OSC 52 escape sequence that puts bytes on the clipboard of the
//! terminal the user sits at, also over SSH.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::human;

/// The largest value copied by default: many terminals drop longer sequences.
pub const DEFAULT_CAP: usize = 1024 * 1024;

/// A value too large for the clipboard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is too large to copy (the clipboard takes at most {}); save it to a file instead", human::bytes(*.size as u64), human::bytes(*.cap as u64))]
pub struct TooLarge {
    /// The value's size in bytes.
    pub size: usize,
    /// The most the clipboard takes, in bytes.
    pub cap: usize,
}

/// `ESC ] 52 ; c ; base64(bytes) BEL`, or an error above `cap` bytes.
pub fn osc52(bytes: &[u8], cap: usize) -> Result<String, TooLarge> {
    if bytes.len() > cap {
        return Err(TooLarge {
            size: bytes.len(),
            cap,
        });
    }
    Ok(format!("\x1b]52;c;{}\x07", B64.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_sequence() {
        assert_eq!(osc52(b"hi\xff", 10), Ok("\x1b]52;c;aGn/\x07".to_string()));
        assert_eq!(osc52(b"", 0), Ok("\x1b]52;c;\x07".to_string()));
    }

    #[test]
    fn refuses_above_the_cap() {
        let e = osc52(&[0; 2048], 1024).expect_err("too large");
        assert_eq!(
            e.to_string(),
            "2 KiB is too large to copy (the clipboard takes at most 1 KiB); save it to a file instead"
        );
    }
}
