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
    /// What happened, in one sentence.
    pub headline: &'a str,
    pub theme: &'a Theme,
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let lines = vec![
            Line::styled(self.headline.to_owned(), t.warn),
            Line::styled("o overwrite with yours · e edit again · Esc cancel", t.dim),
        ];
        // A narrow pane wraps the two lines; words leave a row's slack each.
        let width = area.width.max(1) as usize;
        let rows: usize = lines
            .iter()
            .map(|l| match l.width().div_ceil(width) {
                0 | 1 => 1,
                n => n + 1,
            })
            .sum();
        let [head, body] =
            Layout::vertical([Constraint::Length(rows.min(6) as u16), Constraint::Fill(1)])
                .areas(area);
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
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
