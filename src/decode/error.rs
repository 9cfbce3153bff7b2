//! Why a value does not decode, in one line.

/// A value that is not whole in the format it was read as: the format, the
/// byte offset where reading failed and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format}: {reason} at byte {offset}")]
pub struct Error {
    pub format: &'static str,
    pub offset: usize,
    pub reason: String,
}

impl Error {
    /// An error of `format` at `offset`.
    pub fn new(format: &'static str, offset: usize, reason: impl Into<String>) -> Error {
        Error {
            format,
            offset,
            reason: reason.into(),
        }
    }
}

/// `read` (a value and the bytes it took) when it took all `len` bytes;
/// otherwise an error saying another `item` follows, for formats where
/// values are often written one after another.
pub(crate) fn whole(
    format: &'static str,
    item: &str,
    len: usize,
    read: (super::Node, usize),
) -> Result<super::Node, Error> {
    let (node, used) = read;
    if used < len {
        return Err(Error::new(
            format,
            used,
            format!(
                "another {item} follows the first ({} more bytes)",
                len - used
            ),
        ));
    }
    Ok(node)
}
