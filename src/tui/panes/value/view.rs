//! The Value pane's view: a two-line header, the body, and the detail of the
//! selected element over it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::{State, body};
use crate::tui::text::{escape, fit, ttl};
use crate::tui::theme::Theme;
use crate::value::format::{Rendered, wrap};
use crate::value::session::Goal;
use crate::value::{Kind, Session, human};

/// Rows of body inside a Value pane of `area` (borders and three header lines off).
pub fn body_height(area: Rect) -> usize {
    area.height.saturating_sub(5) as usize
}

/// A borrowed view of the Value pane.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub focused: bool,
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = t.pane_block(" 2 Value ", self.focused);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(s) = self.state.session() else {
            Line::styled("Enter on a key opens it here.", t.dim).render(inner, buf);
            return;
        };
        let width = inner.width as usize;
        let mut lines = vec![
            self.title_line(s, width),
            self.facts_line(s, width),
            self.status_line(s, width),
        ];
        let height = body_height(area);
        let body_lines = match (s.rendered(), s.rows()) {
            (Some(r), _) => {
                let mut v = notes(r, width, t);
                let room = height.saturating_sub(v.len());
                let w = body::Window {
                    wrap: s.wrapped(),
                    base: s.window_start(),
                    // The notes above take rows the selection does not know
                    // of: at the bottom, the last line stays in sight.
                    top: if s.selected() + height >= s.len() {
                        s.selected().max(s.len().saturating_sub(room))
                    } else {
                        s.selected()
                    },
                    height: room,
                    width,
                };
                v.extend(body::text(&r.body, w, t, &|l| s.highlights(l.as_bytes())));
                v
            }
            (None, Some(rows)) => {
                let mut v = groups(s, width, t);
                let room = height.saturating_sub(v.len());
                v.extend(body::rows(s, rows, room, width, t));
                v
            }
            (None, None) if s.error().is_some() => vec![Line::styled(
                s.error().unwrap_or_default().to_string(),
                t.error,
            )],
            (None, None) => match s.header().map(|h| &h.kind) {
                Some(Kind::Missing) => gone(width, t),
                Some(Kind::Other(name)) => vec![Line::styled(
                    format!(
                        "a {name} value (a module type) cannot be shown here; the Console can read it"
                    ),
                    t.warn,
                )],
                _ => vec![Line::styled("loading…", t.dim)],
            },
        };
        lines.extend(body_lines);
        Paragraph::new(lines).render(inner, buf);
        if let Some(d) = self.state.detail() {
            let area = Rect {
                y: inner.y + 3,
                height: inner.height.saturating_sub(3),
                ..inner
            };
            Clear.render(area, buf);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focused)
                .title(Span::styled(
                    format!(
                        " row {}{} · {} (f format, y copy, Esc close) ",
                        d.index + 1,
                        score_of(s, d.index),
                        d.format.label()
                    ),
                    t.title,
                ));
            let inner = block.inner(area);
            block.render(area, buf);
            let width = inner.width as usize;
            let mut v: Vec<Line> = d
                .label
                .iter()
                .flat_map(|l| wrapped(l, width, t.dim))
                .collect();
            v.extend(notes(&d.rendered, width, t));
            let room = (inner.height as usize).saturating_sub(v.len());
            let w = body::Window {
                wrap: &d.wrap,
                base: 0,
                top: d.scroll,
                height: room,
                width: inner.width as usize,
            };
            v.extend(body::text(&d.rendered.body, w, t, &|l| {
                s.highlights(l.as_bytes())
            }));
            Paragraph::new(v).render(inner, buf);
        }
    }
}

impl View<'_> {
    /// The type badge and the key.
    fn title_line(&self, s: &Session, width: usize) -> Line<'static> {
        let t = self.theme;
        let mut spans = Vec::new();
        if let Some(h) = s.header() {
            spans.push(t.badge(Some(&h.kind)));
            spans.push(Span::raw(" "));
        }
        let key = fit(&escape(s.key()), width.saturating_sub(5));
        spans.push(Span::styled(key, t.title));
        Line::from(spans)
    }

    /// TTL (counting down), length, encoding, memory and consumer groups.
    fn facts_line(&self, s: &Session, width: usize) -> Line<'static> {
        let t = self.theme;
        let mut spans = Vec::new();
        if let Some(h) = s.header() {
            if h.kind == Kind::Missing {
                return Line::styled("gone: TYPE says none", t.warn);
            }
            let ttl_text = match (h.ttl_ms, self.state.now()) {
                (None, _) => "no expiry".to_string(),
                (Some(_), Some(now)) => {
                    let left = s.ttl_left(now).unwrap_or_default();
                    format!("ttl {}", ttl(left.as_millis() as i64))
                }
                (Some(ms), None) => format!("ttl {}", ttl(ms)),
            };
            let mut facts = vec![ttl_text];
            if let Some(len) = h.len {
                facts.push(format!("len {}", human::count(len)));
            }
            if let Some(e) = &h.encoding {
                facts.push(e.clone());
            }
            if let Some(m) = h.memory {
                facts.push(human::bytes(m));
            }
            if !h.groups.is_empty() {
                let pending: i64 = h.groups.iter().map(|g| g.pending).sum();
                let groups = match h.groups.len() {
                    1 => "1 group".to_string(),
                    n => format!("{n} groups"),
                };
                facts.push(format!("{groups}, {pending} pending"));
            }
            spans.push(Span::styled(fit(&facts.join(" · "), width), t.dim));
        }
        Line::from(spans)
    }

    /// Position, format, order, search, auto-refresh and loading state.
    fn status_line(&self, s: &Session, width: usize) -> Line<'static> {
        let t = self.theme;
        let mut parts = vec![s.position()];
        if s.rendered().is_some() || s.rows().is_some() {
            parts.push(format!("format {}", s.format().label()));
        }
        if s.order().rev {
            parts.push("reversed".into());
        }
        if let Some(n) = s.needle() {
            parts.push(format!("/{}", escape(n)));
        }
        if s.auto_refresh() {
            parts.push(match s.changed().len() {
                0 => "auto-refresh".to_string(),
                n => format!("auto-refresh: {n} changed"),
            });
        }
        if let (Some(p), Some(seek)) = (s.progress(), s.seek()) {
            let what = match seek.goal {
                Goal::End => "going to the end",
                _ => "searching",
            };
            parts.push(format!("{what}… {p} · Esc stops"));
        } else if s.is_loading() {
            parts.push("loading… (Esc stops)".into());
        } else if s.has_more() {
            parts.push("more below".into());
        }
        let style = if s.error().is_some() { t.error } else { t.dim };
        let mut text = parts.join(" · ");
        if let (Some(e), Some(_)) = (s.error(), s.rows()) {
            text = format!("{text} · {e}");
        }
        Line::styled(fit(&text, width), style)
    }
}

/// Most consumer groups listed above a stream's entries.
const GROUP_LINES: usize = 3;

/// A stream's consumer groups, one line each: name, consumers, pending,
/// lag (entries not yet delivered) and the last id delivered.
fn groups(s: &Session, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let Some(h) = s.header() else {
        return Vec::new();
    };
    let mut out: Vec<Line<'static>> = h
        .groups
        .iter()
        .take(GROUP_LINES)
        .flat_map(|g| {
            let lag = g.lag.map_or("lag ?".to_string(), |l| {
                format!("lag {}", human::count(l.max(0) as u64))
            });
            let consumers = match g.consumers {
                1 => "1 consumer".to_string(),
                n => format!("{n} consumers"),
            };
            let text = format!(
                "group {} · {consumers} · {} pending · {lag} · last {}",
                escape(&g.name),
                human::count(g.pending.max(0) as u64),
                escape(&g.last_delivered)
            );
            // Wrapped, not cut: every figure is read whole.
            wrapped(&text, width, t.dim)
        })
        .collect();
    if h.groups.len() > GROUP_LINES {
        let more = h.groups.len() - GROUP_LINES;
        out.push(Line::styled(
            format!("… {more} more groups (XINFO GROUPS in the Console)"),
            t.dim,
        ));
    }
    out
}

/// `text` wrapped at `width` columns, as lines in `style`.
fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    wrap::lines(text, width.max(1))
        .into_iter()
        .map(|r| Line::styled(text[r].to_string(), style))
        .collect()
}

/// What the pane says about a key that no longer exists.
fn gone(width: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut v = wrapped("This key no longer exists.", width, t.warn);
    v.extend(wrapped(
        "It was deleted or expired, or it was a list, set, hash or sorted set whose last element was removed (Redis deletes empty collections).",
        width,
        t.dim,
    ));
    v.extend(wrapped(
        "w watches it in the Monitor (it shows when it comes back) · r reloads",
        width,
        t.dim,
    ));
    v
}

/// ` · score 1e+308` for a sorted-set row, as Redis prints scores; empty otherwise.
fn score_of(s: &Session, index: usize) -> String {
    match s.rows() {
        Some(crate::value::page::Rows::Scored { rows, .. }) => rows
            .get(index)
            .map(|(_, score)| format!(" · score {}", crate::value::score::display(score)))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Lines about how a body is shown: decompressed, cut, or not the asked format.
fn notes(r: &Rendered, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut v = Vec::new();
    if let Some(w) = r.warning() {
        v.extend(wrapped(&format!("⚠ {w}"), width, t.error));
    }
    let cut = if r.cut { ", cut" } else { "" };
    match (r.layers(), r.inflated) {
        (Some(layers), _) => v.extend(wrapped(
            &format!("{layers} · read-only view{cut}"),
            width,
            t.dim,
        )),
        (None, Some(k)) => v.extend(wrapped(
            &format!("{} value, shown decompressed{cut}", k.label()),
            width,
            t.warn,
        )),
        (None, None) => {}
    }
    if let Some(n) = &r.note {
        v.extend(wrapped(n, width, t.warn));
    }
    v
}
