//! Draws the Monitor pane: health, latency, watched queues, cost, errors and
//! server facts first, then the last errors, the latency chart, the split
//! table and the slowest requests. Lines wrap between whole figures, and a
//! pane too small for all of it scrolls (its bottom border says where).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};
use unicode_width::UnicodeWidthStr;

use super::State;
use super::format::{age, count, rtt};
use crate::monitor::Level;
use crate::monitor::latency::Split;
use crate::tui::text::{escape, fit, wrap_parts, wrap_words};
use crate::tui::theme::Theme;

/// A borrowed view of the Monitor pane.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub focused: bool,
}

/// Hands out the content's rows from the top until there are none left.
pub(super) struct Rows {
    area: Rect,
    next: u16,
}

impl Rows {
    pub(super) fn take(&mut self, height: u16) -> Option<Rect> {
        if self.next + height > self.area.bottom() {
            return None;
        }
        let r = Rect::new(self.area.x, self.next, self.area.width, height);
        self.next += height;
        Some(r)
    }

    fn left(&self) -> u16 {
        self.area.bottom().saturating_sub(self.next)
    }

    /// The content's width.
    pub(super) fn width(&self) -> usize {
        self.area.width as usize
    }

    pub(super) fn line(&mut self, line: Line<'_>, buf: &mut Buffer) -> bool {
        match self.take(1) {
            Some(r) => {
                line.render(r, buf);
                true
            }
            None => false,
        }
    }

    /// Whole `parts` on as many lines as they need (see [`styled`]).
    pub(super) fn wrapped<S: AsRef<str>>(
        &mut self,
        parts: &[S],
        sep: &str,
        style: Style,
        buf: &mut Buffer,
    ) {
        for line in styled(parts, sep, style, self.width()) {
            if !self.line(line, buf) {
                return;
            }
        }
    }
}

/// Whole `parts` as lines of `style` at most `width` wide (see [`wrap_parts`]).
fn styled<S: AsRef<str>>(parts: &[S], sep: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap_parts(parts, sep, width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let mut block = t.pane_block(" 4 Monitor ", self.focused);
        let inner = block.inner(area);
        let content = self.content(inner.width);
        let total = content.area.height;
        let offset = (self.state.offset().min(u16::MAX as usize) as u16)
            .min(total.saturating_sub(inner.height));
        if total > inner.height {
            let last = (offset + inner.height).min(total);
            block = block.title_bottom(Line::styled(
                format!(" {}-{last} of {total} j/k ", offset + 1),
                t.dim,
            ));
        }
        block.render(area, buf);
        for y in 0..inner.height.min(total - offset) {
            for x in 0..inner.width {
                buf[(inner.x + x, inner.y + y)] = content[(x, offset + y)].clone();
            }
        }
    }
}

/// Lines the pane's content takes at `width` (inside the border), for
/// scrolling.
pub fn content_height(state: &State, width: u16) -> u16 {
    let theme = Theme::default();
    View {
        state,
        theme: &theme,
        focused: false,
    }
    .content(width)
    .area
    .height
}

impl View<'_> {
    /// Every line of the pane, drawn into a buffer as tall as they need.
    fn content(&self, width: u16) -> Buffer {
        let e = self.state.engine();
        let room = 64
            + 6 * e.queues().len()
            + self.state.suggestions().count()
            + e.telemetry().slowest.len();
        let mut buf = Buffer::empty(Rect::new(0, 0, width, room.min(u16::MAX as usize) as u16));
        let mut rows = Rows {
            area: buf.area,
            next: 0,
        };
        // The first line of the health and of the latency, then the watched
        // queues: in a small pane they are what someone keeps the Monitor
        // open for. What did not fit on those first lines follows.
        let mut later = Vec::new();
        for mut lines in [self.health(width as usize), self.latency(width as usize)] {
            if !lines.is_empty() {
                rows.line(lines.remove(0), &mut buf);
            }
            later.extend(lines);
        }
        self.queues(&mut rows, &mut buf);
        for line in later {
            rows.line(line, &mut buf);
        }
        let (c, own, total) = (e.cost().minute(), e.cost().own_minute(), e.cost().total());
        let mut cost = vec![
            format!("{} req/min ({} monitor)", c.requests, own.requests),
            format!("{} cmd/min", c.commands),
            format!(
                "total {} req {} cmd",
                count(total.requests),
                count(total.commands)
            ),
        ];
        if let Some(b) = e.settings().budget.commands_per_minute {
            cost.push(format!("budget {b} cmd/min"));
        }
        rows.wrapped(&cost, " · ", Style::new(), &mut buf);
        self.errors(&mut rows, &mut buf);
        self.facts(&mut rows, &mut buf);
        self.last_errors(&mut rows, &mut buf);
        self.chart(&mut rows, &mut buf);
        self.splits(&mut rows, &mut buf);
        self.slowest(&mut rows, &mut buf);
        buf.resize(Rect::new(0, 0, width, rows.next));
        buf
    }

    /// The health line, wrapped at `width`.
    fn health(&self, width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let h = self.state.engine().health();
        if self.state.engine().ticks() == 0 {
            return styled(&["● waiting for the first probe"], " ", t.dim, width);
        }
        let (label, style) = match h.level() {
            Level::Ok => ("OK", t.ok),
            Level::Degraded => ("DEGRADED", t.warn),
            Level::Down => ("DOWN", t.error),
        };
        let since = age(self.state.now().saturating_duration_since(h.since()));
        let head = format!("● {label}");
        // The reason follows on the first line if it fits whole; else it
        // gets lines of its own, which a small pane shows after the queues.
        let first = format!("{head} {since}");
        let one = format!("{first} · {}", h.reason());
        let lines = if one.width() <= width {
            vec![one]
        } else {
            let mut lines = vec![first];
            lines.extend(wrap_words(h.reason(), width));
            lines
        };
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| match line.strip_prefix(&head) {
                Some(rest) if i == 0 => Line::from(vec![
                    Span::styled(head.clone(), style),
                    Span::raw(rest.to_owned()),
                ]),
                _ => Line::raw(line),
            })
            .collect()
    }

    /// The latency figures, wrapped at `width` between whole figures.
    fn latency(&self, width: usize) -> Vec<Line<'static>> {
        let e = self.state.engine();
        let m = e.minute(Split::All, self.state.now());
        let s = e.latency().session(Split::All);
        if s.count == 0 {
            return styled(&["latency: no requests yet"], " ", Style::new(), width);
        }
        let parts = [
            format!("1m p50 {}", rtt(m.p50)),
            format!("p95 {}", rtt(m.p95)),
            format!("p99 {}", rtt(m.p99)),
            format!("max {}", rtt(m.max)),
            format!("· session p99 {}", rtt(s.p99)),
            format!("({} req)", count(s.count)),
        ];
        // A line that starts with the session's figures needs no `·`.
        wrap_parts(&parts, " ", width)
            .into_iter()
            .map(|l| Line::raw(l.strip_prefix("· ").map(str::to_owned).unwrap_or(l)))
            .collect()
    }

    fn errors(&self, rows: &mut Rows, buf: &mut Buffer) {
        let e = self.state.engine().errors();
        let list = |counts: Vec<(crate::upstash::ErrorKind, u64)>| {
            counts
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{} {n}", k.label()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (minute, session) = (list(e.minute()), list(e.session()));
        if session.is_empty() {
            rows.wrapped(&["no errors"], " ", self.theme.dim, buf);
            return;
        }
        let (minute, style) = if minute.is_empty() {
            ("none".to_owned(), Style::new())
        } else {
            (minute, self.theme.warn)
        };
        let parts = [
            format!("errors 1m: {minute}"),
            format!("session: {session}"),
        ];
        rows.wrapped(&parts, " · ", style, buf);
    }

    fn facts(&self, rows: &mut Rows, buf: &mut Buffer) {
        let f = self.state.engine().facts();
        let mut parts = Vec::new();
        if let Some(n) = f.dbsize {
            parts.push(format!("dbsize {n}"));
        }
        for (name, value) in f.shown().into_iter().take(4) {
            let name = name.trim_end_matches("_human");
            parts.push(format!("{name} {value}"));
        }
        if let Some(err) = &f.error {
            parts.push(err.clone());
        }
        rows.wrapped(&parts, " · ", self.theme.dim, buf);
    }

    fn queues(&self, rows: &mut Rows, buf: &mut Buffer) {
        const HINT: &str = "(a: watch them)";
        let queues = self.state.engine().queues();
        let mut systems: Vec<&str> = self.state.suggestions().map(|s| s.system).collect();
        systems.dedup();
        for system in &systems {
            let suggested: Vec<String> = self
                .state
                .suggestions()
                .filter(|s| s.system == *system)
                .map(|s| escape(&s.key))
                .collect();
            // One line a system: the names when they fit, else how many
            // (`a` lists them all among the watched queues).
            let named = format!("{system} queues found: {}", suggested.join(", "));
            let line = if named.width() + HINT.width() < rows.width() {
                named
            } else {
                format!("{} {system} queues found", suggested.len())
            };
            // The hint wraps as a whole onto a line of its own when narrow.
            rows.wrapped(&[line.as_str(), HINT], " ", self.theme.warn, buf);
        }
        if let Some((parts, asking)) = self.state.sweep.line() {
            let style = if asking {
                self.theme.warn
            } else {
                self.theme.dim
            };
            rows.wrapped(&parts, " ", style, buf);
        }
        if systems.is_empty() && queues.is_empty() {
            let text = "no watched keys: w on a key in Keys watches it";
            rows.wrapped(&[text], " ", self.theme.dim, buf);
        }
        for q in queues {
            super::queues::Row {
                queue: q,
                theme: self.theme,
            }
            .render(rows, buf);
        }
    }

    fn last_errors(&self, rows: &mut Rows, buf: &mut Buffer) {
        let lines: Vec<_> = self.state.engine().errors().last().collect();
        let width = rows.area.width as usize;
        for l in lines.iter().rev().take(3) {
            let ago = age(self.state.now().saturating_duration_since(l.at));
            let text = match l.hint {
                Some(hint) => format!("{ago} ago {}: {} (hint: {hint})", l.kind.label(), l.text),
                None => format!("{ago} ago {}: {}", l.kind.label(), l.text),
            };
            let style = if l.hint.is_some() {
                self.theme.warn
            } else {
                self.theme.error
            };
            // A long error keeps its first lines; the log has the rest.
            for line in wrap_words(&text, width).into_iter().take(4) {
                if !rows.line(Line::styled(line, style), buf) {
                    return;
                }
            }
        }
    }

    fn chart(&self, rows: &mut Rows, buf: &mut Buffer) {
        let e = self.state.engine();
        let buckets = e.series().buckets(self.state.now());
        if buckets.is_empty() || rows.left() < 3 {
            return;
        }
        let height = 4;
        let peak = buckets.iter().map(|b| b.max).max().unwrap_or_default();
        let step = age(e.series().step());
        let title = format!("round trip, mean per {step} (peak {})", rtt(peak));
        rows.line(
            Line::styled(fit(&title, rows.area.width as usize), self.theme.dim),
            buf,
        );
        let Some(area) = rows.take(height) else {
            return;
        };
        let data: Vec<u64> = buckets
            .iter()
            .map(|b| u64::try_from(b.mean.as_micros()).unwrap_or(u64::MAX))
            .collect();
        let tail = &data[data.len().saturating_sub(area.width as usize)..];
        Sparkline::default()
            .data(tail)
            .style(self.theme.ok)
            .render(area, buf);
    }

    fn splits(&self, rows: &mut Rows, buf: &mut Buffer) {
        let e = self.state.engine();
        let used = Split::ALL[1..]
            .iter()
            .any(|s| e.latency().session(*s).count > 0);
        if !used {
            return;
        }
        let width = rows.area.width as usize;
        rows.line(
            Line::styled(
                fit("kind         1m p50   p99    max  session p99", width),
                self.theme.dim,
            ),
            buf,
        );
        for split in &Split::ALL[1..] {
            let m = e.minute(*split, self.state.now());
            let s = e.latency().session(*split);
            if s.count == 0 {
                continue;
            }
            let text = format!(
                "{:<12} {:>7} {:>6} {:>6} {:>8}",
                split.label(),
                rtt(m.p50),
                rtt(m.p99),
                rtt(m.max),
                rtt(s.p99)
            );
            if !rows.line(Line::raw(fit(&text, width)), buf) {
                return;
            }
        }
    }

    fn slowest(&self, rows: &mut Rows, buf: &mut Buffer) {
        let slow = &self.state.engine().telemetry().slowest;
        if slow.is_empty() {
            return;
        }
        let width = rows.area.width as usize;
        rows.line(Line::styled("slowest recent requests", self.theme.dim), buf);
        for r in slow {
            let text = format!("{:>8}  {:?}  {}", rtt(r.rtt), r.kind, r.names);
            if !rows.line(Line::raw(fit(&text, width)), buf) {
                return;
            }
        }
    }
}
