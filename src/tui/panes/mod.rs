//! The four panes: concrete state structs with borrowed views, each
//! speaking the one [`Component`] contract that dialogs speak too.

pub mod console;
mod contract;
pub mod keys;
pub mod monitor;
pub mod value;

pub use contract::{Component, Ctx, Facts, Notice, Outcome, Question, Request, Then, Used, View};

/// Which pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Keys,
    Value,
    Console,
    Monitor,
}

impl Pane {
    /// The panes in focus order.
    pub const ALL: [Pane; 4] = [Pane::Keys, Pane::Value, Pane::Console, Pane::Monitor];

    /// The next pane in focus order, wrapping around (backwards with `back`).
    pub fn cycle(self, back: bool) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ALL.len();
        Pane::ALL[if back { (i + n - 1) % n } else { (i + 1) % n }]
    }
}

/// The lines a moving action scrolls a view by, `page` lines a page.
pub fn scroll_lines(action: crate::tui::msg::Action, page: isize) -> Option<isize> {
    use crate::tui::msg::Action;
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-page),
        Action::PageDown => Some(page),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    }
}
