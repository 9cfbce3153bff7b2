//! Draws the Monitor pane: health, latency, cost, errors, server facts and
//! watched queues first; the latency chart, the split table, the last
//! errors and the slowest requests as the pane's height allows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

use super::State;
use super::format::{age, count, rate, rtt};
use crate::monitor::Level;
use crate::monitor::latency::Split;
use crate::monitor::queue::Queue;
use crate::tui::text::{escape, fit};
use crate::tui::theme::Theme;

/// Samples shown in a queue's sparkline.
const SPARK: u16 = 16;

/// A borrowed view of the Monitor pane.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub focused: bool,
}

/// Hands out the pane's rows from the top until there are none left.
struct Rows {
    area: Rect,
    next: u16,
}

impl Rows {
    fn take(&mut self, height: u16) -> Option<Rect> {
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

    fn line(&mut self, line: Line<'_>, buf: &mut Buffer) -> bool {
        match self.take(1) {
            Some(r) => {
                line.render(r, buf);
                true
            }
            None => false,
        }
    }
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = t.pane_block(" 4 Monitor ", self.focused);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut rows = Rows {
            area: inner,
            next: inner.y,
        };
        let width = inner.width as usize;
        let e = self.state.engine();
        let fitted = |s: String| fit(&s, width);

        rows.line(self.health_line(width), buf);
        let m = e.minute(Split::All, self.state.now());
        let s = e.latency().session(Split::All);
        let latency = if s.count == 0 {
            "latency: no requests yet".to_string()
        } else {
            format!(
                "1m p50 {} p95 {} p99 {} max {} · session p99 {} ({} req)",
                rtt(m.p50),
                rtt(m.p95),
                rtt(m.p99),
                rtt(m.max),
                rtt(s.p99),
                count(s.count)
            )
        };
        rows.line(Line::raw(fitted(latency)), buf);
        // Watched queues come before the rest: in a small pane they are what
        // someone keeps the Monitor open for.
        self.queues(&mut rows, buf);
        let (c, own, total) = (e.cost().minute(), e.cost().own_minute(), e.cost().total());
        let budget = e
            .settings()
            .budget
            .commands_per_minute
            .map_or(String::new(), |b| format!(" · budget {b} cmd/min"));
        let cost = format!(
            "{} req/min ({} monitor) · {} cmd/min · total {} req {} cmd{budget}",
            c.requests,
            own.requests,
            c.commands,
            count(total.requests),
            count(total.commands),
        );
        rows.line(Line::raw(fitted(cost)), buf);
        rows.line(self.errors_line(width), buf);
        if let Some(line) = self.facts_line(width) {
            rows.line(line, buf);
        }
        self.last_errors(&mut rows, buf);
        self.chart(&mut rows, buf);
        self.splits(&mut rows, buf);
        self.slowest(&mut rows, buf);
    }
}

impl View<'_> {
    fn health_line(&self, width: usize) -> Line<'static> {
        let t = self.theme;
        let h = self.state.engine().health();
        if self.state.engine().ticks() == 0 {
            return Line::styled(fit("● waiting for the first probe", width), t.dim);
        }
        let (label, style) = match h.level() {
            Level::Ok => ("OK", t.ok),
            Level::Degraded => ("DEGRADED", t.warn),
            Level::Down => ("DOWN", t.error),
        };
        let since = age(self.state.now().saturating_duration_since(h.since()));
        let rest = fit(
            &format!(" {since} · {}", h.reason()),
            width.saturating_sub(label.len() + 2),
        );
        Line::from(vec![
            Span::styled(format!("● {label}"), style),
            Span::raw(rest),
        ])
    }

    fn errors_line(&self, width: usize) -> Line<'static> {
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
            return Line::styled("no errors", self.theme.dim);
        }
        let minute = if minute.is_empty() {
            "none".into()
        } else {
            minute
        };
        let style = if minute == "none" {
            Style::new()
        } else {
            self.theme.warn
        };
        Line::styled(
            fit(&format!("errors 1m: {minute} · session: {session}"), width),
            style,
        )
    }

    fn facts_line(&self, width: usize) -> Option<Line<'static>> {
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
        (!parts.is_empty()).then(|| Line::styled(fit(&parts.join(" · "), width), self.theme.dim))
    }

    fn queues(&self, rows: &mut Rows, buf: &mut Buffer) {
        let queues = self.state.engine().queues();
        let suggested: Vec<String> = self.state.suggestions().map(|s| escape(&s.key)).collect();
        if !suggested.is_empty() {
            let text = format!(
                "Celery queues found: {} (a: watch them)",
                suggested.join(", ")
            );
            let width = rows.area.width as usize;
            rows.line(Line::styled(fit(&text, width), self.theme.warn), buf);
        } else if queues.is_empty() {
            let text = "no watched keys: w on a key in Keys watches it";
            let width = rows.area.width as usize;
            rows.line(Line::styled(fit(text, width), self.theme.dim), buf);
        }
        for q in queues {
            let Some(area) = rows.take(1) else { return };
            self.queue_row(q, area, buf);
        }
    }

    fn queue_row(&self, q: &Queue, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let spark = if area.width >= 60 { SPARK } else { 0 };
        let length = q.last().map_or("-".into(), |r| r.length.to_string());
        let rates = q.rates().map_or("-".into(), |r| {
            let mut s = rate(r.net);
            if let (Some(i), Some(o)) = (r.enqueue, r.dequeue) {
                s.push_str(&format!(" in {i:.1} out {o:.1}"));
            }
            s
        });
        let drain = match q.drain_time() {
            Some(d) if d.is_zero() => "empty".to_string(),
            Some(d) => format!("drains in {}", age(d)),
            None => String::new(),
        };
        let mut marks = Vec::new();
        if q.stalled() {
            marks.push(Span::styled(" STALLED", t.error));
        }
        if q.alert() {
            marks.push(Span::styled(" ALERT", t.warn));
        }
        if let Some(err) = q.error() {
            marks.push(Span::styled(format!(" {err}"), t.error));
        }
        let key_w = (area.width as usize / 4).clamp(6, 40);
        let head = format!(
            "{:<key_w$} {:<6} {:>7} ",
            fit(&escape(q.key()), key_w),
            q.kind().label(),
            length
        );
        let head_w = head.chars().count() as u16;
        Line::raw(head).render(area, buf);
        let mut x = area.x + head_w;
        if spark > 0 && x + spark < area.right() {
            let data = q.sparkline();
            let tail = &data[data.len().saturating_sub(spark as usize)..];
            Sparkline::default()
                .data(tail)
                .style(t.ok)
                .render(Rect::new(x, area.y, spark, 1), buf);
            x += spark + 1;
        }
        let mut spans = vec![Span::raw(format!("{rates} {drain}"))];
        spans.extend(marks);
        if x < area.right() {
            Line::from(spans).render(Rect::new(x, area.y, area.right() - x, 1), buf);
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
            if rows.left() < 2 || !rows.line(Line::styled(fit(&text, width), style), buf) {
                return;
            }
        }
    }

    fn chart(&self, rows: &mut Rows, buf: &mut Buffer) {
        let e = self.state.engine();
        let buckets = e.series().buckets(self.state.now());
        if buckets.is_empty() || rows.left() < 3 {
            return;
        }
        let height = (rows.left() - 1).min(4);
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
        if rows.left() < 3 || !used {
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
        if slow.is_empty() || rows.left() < 2 {
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
