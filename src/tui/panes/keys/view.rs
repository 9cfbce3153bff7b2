//! Drawing the Keys pane: only the rows in the window are touched.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::tree::Row;
use super::{Layout, State};
use crate::scan::{Scan, Status};
use crate::tui::text::{count, escape, fit, ttl, wrap_words};
use crate::tui::theme::Theme;
use crate::value::Kind;

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

/// One part of the header line; parts of lower rank go first when the
/// line is too narrow, so that no part is ever cut (a number least of all).
struct Part {
    spans: Vec<Span<'static>>,
    rank: u8,
    /// A shorter form, taken before the part is left out.
    short: Option<Span<'static>>,
}

impl Part {
    fn new(rank: u8, spans: Vec<Span<'static>>) -> Part {
        Part {
            spans,
            rank,
            short: None,
        }
    }

    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.width()).sum()
    }
}

impl View<'_> {
    fn parts(&self) -> Vec<Part> {
        let s = self.state;
        let t = self.theme;
        let pattern = s.pattern().map_or_else(|| "*".to_owned(), escape);
        let mut parts = vec![
            Part::new(2, vec![Span::styled("/", t.hint_key), Span::raw(pattern)]),
            Part::new(
                5,
                vec![
                    Span::styled("type ", t.dim),
                    Span::raw(s.kind_filter().map_or("all", Kind::name).to_owned()),
                ],
            ),
            Part::new(
                0,
                vec![Span::raw(count(s.key_count() as u64, "key", "keys"))],
            ),
        ];
        let Some(scan) = s.scan() else {
            return parts;
        };
        let lookup = crate::scan::literal_of(s.pattern().unwrap_or_default()).is_some();
        // A finished scan went through every key: without DBSIZE its own
        // sum of COUNT hints would only be a guess at how many.
        let unknown_end = scan.status() == Status::Done && s.dbsize().is_none();
        if !lookup && !unknown_end {
            // What the scan examined, never fewer than it found, out of a
            // total never below what is listed.
            let found = scan.found().max(s.key_count() as u64);
            let total = s.dbsize().map(|n| (n.max(0) as u64).max(found));
            let examined = match (scan.status(), total) {
                (Status::Done, Some(n)) => n,
                (_, Some(n)) => scan.examined().max(found).min(n),
                _ => scan.examined().max(found),
            };
            let total = total.map_or_else(|| "?".to_owned(), |n| n.to_string());
            parts.push(Part::new(
                4,
                vec![Span::styled(format!("scanned {examined}/{total}"), t.dim)],
            ));
        }
        // The state in full, and in one word when the pane is narrow.
        let (state, short, style) = match scan.status() {
            _ if s.full() && s.scanning() => ("full scan… Esc stops", "full scan…", t.warn),
            _ if s.scanning() && s.refreshing() => ("refreshing… Esc stops", "refreshing…", t.warn),
            _ if s.scanning() => ("scanning… Esc stops", "scanning…", t.warn),
            _ if s.error().is_some() && s.stale() => ("stale list · c retries", "stale", t.error),
            _ if s.error().is_some() => ("failed · c retries", "failed", t.error),
            Status::Paused if s.stale() => ("stale list · c continues", "stale", t.warn),
            Status::Paused => ("paused: c more, L all", "paused", t.warn),
            Status::Done if lookup => ("looked up", "looked up", t.ok),
            Status::Done => ("done", "done", t.ok),
            Status::Running => ("", "", t.dim),
        };
        if !state.is_empty() {
            // A lookup's end is plain from its count; a scan's state is not.
            let rank = if lookup && !s.scanning() { 3 } else { 1 };
            let mut part = Part::new(rank, vec![Span::styled(state, style)]);
            part.short = Some(Span::styled(short, style));
            parts.push(part);
        }
        parts
    }

    /// The header: as many whole parts as fit, most important first, shown
    /// in their order.
    fn header(&self, width: usize) -> Line<'static> {
        const SEP: &str = " · ";
        let mut parts = self.parts();
        let total = |parts: &[Part]| {
            parts.iter().map(Part::width).sum::<usize>()
                + SEP.width() * parts.len().saturating_sub(1)
        };
        while total(&parts) > width && parts.len() > 1 {
            let Some(mut worst) = (0..parts.len()).max_by_key(|&i| (parts[i].rank, i)) else {
                break;
            };
            // The filter and the counts are worth more than the state's
            // hints (`c more, L all`): those go first.
            if parts[worst].rank < 3
                && let Some(i) = parts.iter().position(|p| p.short.is_some())
            {
                worst = i;
            }
            match parts[worst].short.take() {
                Some(short) => parts[worst].spans = vec![short],
                None => {
                    parts.remove(worst);
                }
            }
        }
        let mut spans = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(SEP, self.theme.dim));
            }
            spans.extend(part.spans);
        }
        Line::from(spans)
    }

    /// What the list area says when there are no rows.
    fn empty(&self) -> String {
        let s = self.state;
        let paused = s.scan().map(Scan::status) == Some(Status::Paused);
        match s.pattern() {
            _ if s.scanning() => "scanning…".to_owned(),
            _ if paused => format!(
                "none among the first {} keys: c scans on, L to the end",
                s.scan().map_or(0, Scan::examined)
            ),
            Some(p) if crate::scan::literal_of(p).is_some() => {
                format!("no key named {}", escape(p))
            }
            Some(p) => format!("no keys match {}", escape(p)),
            None => "no keys".to_owned(),
        }
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
                    t.badge(kind),
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
        self.header(width).render(Rect { height: 1, ..inner }, buf);
        let mut list = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        let s = self.state;
        if let Some(problem) = s.problem().filter(|_| list.height > 0) {
            let style = if s.error().is_some() { t.error } else { t.warn };
            Line::styled(fit(problem, width), style).render(Rect { height: 1, ..list }, buf);
            list.y += 1;
            list.height -= 1;
        }
        if list.height == 0 {
            return;
        }
        if s.is_empty() {
            let lines = wrap_words(&self.empty(), width);
            for (y, line) in (list.y..list.bottom()).zip(lines) {
                Line::styled(line, t.dim).render(
                    Rect {
                        y,
                        height: 1,
                        ..list
                    },
                    buf,
                );
            }
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
