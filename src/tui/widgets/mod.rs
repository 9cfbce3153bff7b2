//! Reusable pieces drawn over or around the panes.

pub mod bars;
pub mod dialog;
pub mod editor;
pub mod filter;
pub mod help;
