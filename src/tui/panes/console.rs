//! The Console pane: what it will hold, until it is built.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// A borrowed view of the Console pane.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub focused: bool,
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused {
                t.border_focused
            } else {
                t.border
            })
            .title(Span::styled(" 3 Console ", t.title));
        Paragraph::new(Line::styled("An interactive Redis console: type commands, see replies as redis-cli shows them, with history and completion.", t.dim))
            .wrap(Wrap { trim: true })
            .block(block)
            .render(area, buf);
    }
}
