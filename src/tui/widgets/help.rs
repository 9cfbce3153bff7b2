//! The help overlay, generated from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Every binding, by context.
pub struct Help<'a> {
    pub keymap: &'a Keymap,
    pub theme: &'a Theme,
}

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let sections = self.keymap.help();
        let key_width = sections
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(k, _)| k.chars().count()))
            .max()
            .unwrap_or(0);
        let mut lines = Vec::new();
        for (title, rows) in sections {
            lines.push(Line::styled(title, t.title));
            for (keys, what) in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<key_width$}  "), t.hint_key),
                    Span::raw(what),
                ]));
            }
        }
        let col_width = key_width as u16 + 24;
        let rows = area.height.saturating_sub(2).max(1) as usize;
        let columns = lines.len().div_ceil(rows).max(1) as u16;
        let width = (col_width * columns + 2).min(area.width);
        let height = (lines.len().min(rows) as u16 + 2).min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(" Keys (Esc closes) ", t.title));
        let inner = block.inner(popup);
        block.render(popup, buf);
        for (i, chunk) in lines.chunks(rows).enumerate() {
            let x = inner.x + i as u16 * col_width;
            if x >= inner.right() {
                break;
            }
            let column = Rect {
                x,
                width: col_width.min(inner.right() - x),
                ..inner
            };
            Paragraph::new(chunk.to_vec()).render(column, buf);
        }
    }
}
