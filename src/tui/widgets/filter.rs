//! A one-line input box drawn over the top of a pane: the Keys pane's MATCH
//! filter and the Value pane's search.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use tui_input::Input;

use crate::tui::theme::Theme;

/// A one-line text box with a title saying what it is for.
pub struct Filter<'a> {
    pub input: &'a Input,
    pub theme: &'a Theme,
    /// Shown in the top border, e.g. " MATCH (Enter applies, Esc cancels) ".
    pub title: &'a str,
}

impl Filter<'_> {
    /// Where the box goes inside a pane's area: over its top three rows.
    pub fn area(pane: Rect) -> Rect {
        Rect {
            height: pane.height.min(3),
            ..pane
        }
    }

    /// The terminal cursor position inside the box.
    pub fn cursor(&self, area: Rect) -> (u16, u16) {
        let width = area.width.saturating_sub(3) as usize;
        let scroll = self.input.visual_scroll(width);
        let x = (self.input.visual_cursor().saturating_sub(scroll) + 1) as u16;
        (area.x + 1 + x, area.y + 1)
    }
}

impl Widget for Filter<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(self.title, t.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let width = inner.width.saturating_sub(2) as usize;
        let scroll = self.input.visual_scroll(width);
        let shown: String = self.input.value().chars().skip(scroll).collect();
        Line::from(vec![Span::styled("/", t.hint_key), Span::raw(shown)]).render(inner, buf);
    }
}
