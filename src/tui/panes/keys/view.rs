//! Drawing the Keys pane: only the rows in the window are touched.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::tree::Row;
use super::{Layout, State};
use crate::scan::Status;
use crate::tui::text::{escape, fit, ttl};
use crate::tui::theme::Theme;

/// A borrowed view of the Keys pane.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub focused: bool,
}

/// Rows the list shows inside a pane of `area` (border and header excluded).
pub fn list_height(area: Rect) -> usize {
    area.height.saturating_sub(3) as usize
}

impl View<'_> {
    fn header(&self) -> Line<'static> {
        let s = self.state;
        let t = self.theme;
        let pattern = s.pattern().map_or_else(|| "*".to_owned(), escape);
        let mut spans = vec![
            Span::styled("/", t.hint_key),
            Span::raw(pattern),
            Span::styled(" type ", t.dim),
            Span::raw(s.kind_filter().unwrap_or("all")),
            Span::raw(match s.key_count() {
                1 => " 1 key".to_owned(),
                n => format!(" {n} keys"),
            }),
        ];
        if let Some(scan) = s.scan() {
            let total = s.dbsize().map_or_else(|| "?".to_owned(), |n| n.to_string());
            let examined = match (scan.status(), s.dbsize()) {
                (Status::Done, Some(n)) => n.max(0) as u64,
                (_, Some(n)) => scan.examined().min(n.max(0) as u64),
                _ => scan.examined(),
            };
            spans.push(Span::styled(format!(" scanned {examined}/{total}"), t.dim));
            let state = match scan.status() {
                _ if s.full() && s.scanning() => (" full scan… Esc stops", t.warn),
                _ if s.scanning() => (" scanning…", t.warn),
                Status::Paused => (" paused: c more, L all", t.warn),
                Status::Done => (" done", t.ok),
                Status::Running => ("", t.dim),
            };
            spans.push(Span::styled(state.0, state.1));
        }
        Line::from(spans)
    }

    fn row(&self, row: Row, width: usize, selected: bool) -> Line<'static> {
        let s = self.state;
        let t = self.theme;
        let (mut spans, used) = match row {
            Row::Folder { id, depth } => {
                let indent = "  ".repeat(depth as usize);
                let arrow = if s.tree().is_open(id) { "▾ " } else { "▸ " };
                let count = format!(" ({})", s.tree().count(id));
                let fixed = indent.width() + arrow.width() + count.width();
                let name = fit(&escape(s.tree().name(id)), width.saturating_sub(fixed));
                let used = fixed + name.width();
                let spans = vec![
                    Span::raw(indent),
                    Span::styled(arrow, t.folder),
                    Span::styled(name, t.folder),
                    Span::styled(count, t.dim),
                ];
                (spans, used)
            }
            Row::Key { id, depth } => {
                let indent = "  ".repeat(depth as usize);
                let kind = s.store().kind(id);
                let key = s.store().key(id);
                let shown = match s.layout() {
                    Layout::Tree => s.tree().leaf_name(key),
                    Layout::Flat => key,
                };
                let ttl = s.detail(id).map_or_else(String::new, |d| match d.ttl_ms {
                    -1 => String::new(),
                    ms => ttl(ms),
                });
                let fixed = indent.width() + 5 + ttl.width() + 1;
                let name = fit(&escape(shown), width.saturating_sub(fixed));
                let pad = width.saturating_sub(fixed + name.width());
                let spans = vec![
                    Span::raw(indent),
                    Span::styled(kind.badge(), t.badge(kind)),
                    Span::raw(" "),
                    Span::raw(name),
                    Span::raw(" ".repeat(pad + 1)),
                    Span::styled(ttl, t.dim),
                ];
                (spans, width)
            }
        };
        if selected {
            spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
            return Line::from(spans).style(t.selected);
        }
        Line::from(spans)
    }
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = t.pane_block(" 1 Keys ", self.focused);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let width = inner.width as usize;
        self.header().render(Rect { height: 1, ..inner }, buf);
        let list = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        let s = self.state;
        if let Some(err) = s.error() {
            Line::styled(fit(err, width), t.error).render(Rect { height: 1, ..list }, buf);
            return;
        }
        if s.is_empty() {
            let msg = if s.scanning() {
                "scanning…"
            } else {
                "no keys"
            };
            Line::styled(msg, t.dim).render(Rect { height: 1, ..list }, buf);
            return;
        }
        for (i, row) in s.visible().take(list.height as usize).enumerate() {
            let index = s.offset() + i;
            let line = self.row(row, width, index == s.selected());
            let y = list.y + i as u16;
            line.render(
                Rect {
                    y,
                    height: 1,
                    ..list
                },
                buf,
            );
        }
    }
}
