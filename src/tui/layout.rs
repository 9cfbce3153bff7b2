//! Where each pane goes for a terminal size; shared by drawing and mouse hits.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::panes::Pane;

/// The screen split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub keys: Rect,
    pub value: Rect,
    pub console: Rect,
    pub monitor: Rect,
    pub status: Rect,
}

impl Areas {
    /// Splits `screen`: title, Keys | Value, Console | Monitor, status.
    pub fn new(screen: Rect) -> Areas {
        let [title, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(screen);
        // Small screens give the browser most of the room.
        let bottom = if body.height < 30 {
            body.height / 3
        } else {
            body.height * 2 / 7
        };
        let [top, low] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(bottom)]).areas(body);
        let left = if screen.width < 120 { 50 } else { 40 };
        let [keys, value] = Layout::horizontal([
            Constraint::Percentage(left),
            Constraint::Percentage(100 - left),
        ])
        .areas(top);
        let [console, monitor] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(low);
        Areas {
            title,
            keys,
            value,
            console,
            monitor,
            status,
        }
    }

    /// The pane under a screen position.
    pub fn pane_at(&self, at: Position) -> Option<Pane> {
        [
            (self.keys, Pane::Keys),
            (self.value, Pane::Value),
            (self.console, Pane::Console),
            (self.monitor, Pane::Monitor),
        ]
        .into_iter()
        .find(|(r, _)| r.contains(at))
        .map(|(_, p)| p)
    }
}
