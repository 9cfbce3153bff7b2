//! The four panes: concrete state structs with borrowed views.

pub mod console;
pub mod keys;
pub mod monitor;
pub mod value;

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
