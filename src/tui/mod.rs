//! STUB: the terminal UI.
