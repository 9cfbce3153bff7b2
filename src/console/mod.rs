//! The Console's engine, free of any UI: the command table, input parsing,
//! completion, hints, checks before sending, history and the scrollback.

pub mod cache;
pub mod check;
pub mod chunk;
pub mod complete;
pub mod hint;
pub mod history;
pub mod input;
pub mod queue;
pub mod scrollback;
pub mod send;
pub mod table;
pub mod touch;

pub use check::{Confirm, Context, Verdict, check, check_all};
pub use input::{Argv, Input, parse};
pub use scrollback::Scrollback;
pub use send::{Sent, send};
pub use table::CommandTable;
pub use touch::{Touched, touched};
