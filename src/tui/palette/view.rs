//! Draws the command palette: a box over the middle of the screen with the
//! query on top and the matching entries under it, keys on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::State;
use crate::tui::text::fit;
use crate::tui::theme::Theme;

/// The most entries shown at once.
const ROWS: u16 = 14;

/// A borrowed view of the palette.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    /// Shown in the top border: how to run and close.
    pub title: &'a str,
}

impl View<'_> {
    /// Where the box goes on a screen of `screen`: the status bar below
    /// it stays in sight, with the palette's keys.
    pub fn area(screen: Rect) -> Rect {
        let width = 72.min(screen.width);
        let height = (ROWS + 3).min(screen.height.saturating_sub(1));
        Rect {
            x: screen.x + (screen.width - width) / 2,
            y: screen.y + (screen.height - height) / 3,
            width,
            height,
        }
    }

    /// The terminal cursor, in the query line.
    pub fn cursor(&self, area: Rect) -> (u16, u16) {
        let room = usize::from(area.width.saturating_sub(4));
        let x = self.state.query().window(room).cursor;
        let x = u16::try_from(x + 2).unwrap_or(u16::MAX);
        (area.x + 1 + x.min(area.width.saturating_sub(3)), area.y + 1)
    }
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, t) = (self.state, self.theme);
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(self.title, t.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let width = usize::from(inner.width);
        let query = s.query().window(width.saturating_sub(2)).text;
        Line::from(vec![Span::styled("> ", t.hint_key), Span::raw(query)])
            .render(Rect { height: 1, ..inner }, buf);
        let rows = usize::from(inner.height.saturating_sub(1));
        if rows == 0 {
            return;
        }
        let offset = s.selected().saturating_sub(rows - 1);
        let mut shown = 0;
        for (row, (i, entry)) in s.shown().enumerate().skip(offset).take(rows).enumerate() {
            let keys = fit(&entry.keys, width / 3);
            let room = width.saturating_sub(keys.width() + 3);
            let title = fit(&entry.title, room);
            let pad = width.saturating_sub(title.width() + keys.width() + 2);
            let style = if i == s.selected() {
                t.selected
            } else {
                Style::default()
            };
            let line = Line::from(vec![
                Span::styled(format!(" {title}{}", " ".repeat(pad)), style),
                Span::styled(format!("{keys} "), t.hint_key),
            ]);
            let y = inner.y + 1 + row as u16;
            line.render(Rect::new(inner.x, y, inner.width, 1), buf);
            shown += 1;
        }
        if shown == 0 {
            Line::styled(" nothing matches", t.dim)
                .render(Rect::new(inner.x, inner.y + 1, inner.width, 1), buf);
        }
    }
}
