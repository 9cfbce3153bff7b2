//! STUB: typed client errors, each one clear line, token-free.

/// A failed request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Other(String),
}
