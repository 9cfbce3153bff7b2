//! The Console's engine, free of any UI: the command table, input parsing,
//! completion, hints, checks before sending, history and the scrollback.

pub mod table;

pub use table::CommandTable;
