//! The Monitor pane: what it will hold, until it is built.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// A borrowed view of the Monitor pane.
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
            .title(Span::styled(" 4 Monitor ", t.title));
        Paragraph::new(Line::styled("Live request telemetry: latency percentiles, request rate, bytes each way and the last error.", t.dim))
            .wrap(Wrap { trim: true })
            .block(block)
            .render(area, buf);
    }
}
