//! The Value pane's view: a two-line header, the body, and the detail of the
//! selected element over it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::{State, body};
use crate::tui::text::{escape, fit, ttl};
use crate::tui::theme::{Kind as Badge, Theme};
use crate::value::format::Rendered;
use crate::value::{Session, human};

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
                let mut v = notes(r, t);
                let room = height.saturating_sub(v.len());
                v.extend(body::text(&r.body, s.selected(), room, width, t, &|l| {
                    s.highlights(l.as_bytes())
                }));
                v
            }
            (None, Some(rows)) => body::rows(s, rows, height, width, t),
            (None, None) if s.error().is_some() => vec![Line::styled(
                s.error().unwrap_or_default().to_string(),
                t.error,
            )],
            (None, None) => vec![Line::styled("loading…", t.dim)],
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
            let mut v = notes(&d.rendered, t);
            let room = (inner.height as usize).saturating_sub(v.len());
            v.extend(body::text(
                &d.rendered.body,
                d.scroll,
                room,
                inner.width as usize,
                t,
                &|l| s.highlights(l.as_bytes()),
            ));
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
            let badge = Badge::parse(h.kind.name());
            spans.push(Span::styled(badge.badge(), t.badge(badge)));
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
        if s.rendered().is_some() {
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
        if s.is_loading() {
            parts.push("loading…".into());
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
fn notes(r: &Rendered, t: &Theme) -> Vec<Line<'static>> {
    let mut v = Vec::new();
    if let Some(k) = r.inflated {
        let cut = if r.cut { ", cut" } else { "" };
        v.push(Line::styled(
            format!("{} value, shown decompressed{cut}", k.label()),
            t.warn,
        ));
    }
    if let Some(n) = &r.note {
        v.push(Line::styled(n.clone(), t.warn));
    }
    v
}
