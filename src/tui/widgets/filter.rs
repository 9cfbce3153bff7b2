//! A one-line input box drawn over the top of a pane: the Keys pane's MATCH
//! filter and the Value pane's search. It opens empty, so typing starts a
//! new pattern; the one in use is one `Up` away (`[filter] history_prev`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::editor::TextArea;
use crate::tui::theme::Theme;

/// The text being typed and the pattern in use before.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub input: TextArea,
    /// The pattern in use, brought back by `Up`.
    previous: Option<String>,
    /// What was typed before `Up`, given back by `Down`.
    typed: Option<String>,
}

impl Prompt {
    /// An empty prompt; `previous` (if any and not empty) is one `Up` away.
    pub fn new(previous: Option<String>) -> Prompt {
        Prompt {
            input: TextArea::default(),
            previous: previous.filter(|p| !p.is_empty()),
            typed: None,
        }
    }

    /// The pattern `Up` brings back.
    pub fn previous(&self) -> Option<&str> {
        self.previous.as_deref()
    }

    /// Brings back the pattern in use, keeping what was typed for [`Prompt::forth`].
    pub fn back(&mut self) {
        if let Some(previous) = &self.previous
            && self.typed.is_none()
        {
            self.typed = Some(self.input.text());
            self.input.set_text(previous);
        }
    }

    /// Gives back what was typed before [`Prompt::back`].
    pub fn forth(&mut self) {
        if let Some(typed) = self.typed.take() {
            self.input.set_text(&typed);
        }
    }
}

/// A one-line text box with a title saying what it is for.
pub struct Filter<'a> {
    pub prompt: &'a Prompt,
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

    /// Columns for the text: the box less its borders and the `/`.
    fn room(area: Rect) -> usize {
        usize::from(area.width.saturating_sub(3))
    }

    /// The terminal cursor position inside the box.
    pub fn cursor(&self, area: Rect) -> (u16, u16) {
        let x = self.prompt.input.window(Self::room(area)).cursor;
        let x = u16::try_from(x + 1).unwrap_or(u16::MAX);
        (area.x + 1 + x.min(area.width.saturating_sub(2)), area.y + 1)
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
        let input = &self.prompt.input;
        let mut spans = vec![Span::styled("/", t.hint_key)];
        match self.prompt.previous() {
            // The empty box says what Up brings back.
            Some(previous) if input.is_empty() => {
                let room = Self::room(area).saturating_sub(1);
                let hint = crate::tui::text::fit(&format!("↑ {previous}"), room);
                spans.push(Span::raw(" "));
                spans.push(Span::styled(hint, t.dim));
            }
            _ => spans.push(Span::raw(input.window(Self::room(area)).text)),
        }
        Line::from(spans).render(inner, buf);
    }
}
