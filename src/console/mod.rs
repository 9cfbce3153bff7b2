//! completion, hints, checks before sending, history and the scrollback.

pub mod check;
pub mod history;
pub mod table;

pub use check::{Confirm, Context, Verdict, check, check_all};
pub use table::CommandTable;
