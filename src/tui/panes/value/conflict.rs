//! The conflict view: what is on the server now beside what the user wrote,
//! after a checked write found the value changed and wrote nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::edit::to_text;
use crate::tui::theme::Theme;

/// Both sides of a conflict, side by side.
pub struct View<'a> {
    /// The value now (`None`: the element or member is gone).
    pub current: Option<&'a [u8]>,
    /// The user's text, as typed.
    pub mine: &'a str,
    pub theme: &'a Theme,
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let [head, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
        Paragraph::new(vec![
            Line::styled(
                "Someone changed this since you loaded it: nothing was written.",
                t.warn,
            ),
            Line::styled("o overwrite with yours · e edit again · Esc cancel", t.dim),
        ])
        .render(head, buf);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        let now = match self.current {
            Some(bytes) => to_text(bytes).0,
            None => "(gone)".to_owned(),
        };
        for (rect, title, text) in [
            (left, " now on the server ", now),
            (right, " yours ", self.mine.to_owned()),
        ] {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.border)
                .title(Line::styled(title, t.title));
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .block(block)
                .render(rect, buf);
        }
    }
}
