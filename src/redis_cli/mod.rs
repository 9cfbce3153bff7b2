//! redis-cli compatible argument quoting and reply formatting, shared by
//! `exec`, `scan` and the console.

pub mod format;
pub mod split;

pub use format::{Mode, format, restore_status, to_json};
pub use split::{SplitError, join, quote, repr, split};
