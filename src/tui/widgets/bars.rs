//! The title bar (host, health, read-only badge) and the status bar (hints
//! for the focused pane and the last message).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::tui::app::{Health, Notice};
use crate::tui::text::fit;
use crate::tui::theme::Theme;

/// The top line.
pub struct Title<'a> {
    pub host: &'a str,
    pub health: &'a Health,
    pub read_only: bool,
    /// The frugal cost profile is on.
    pub frugal: bool,
    pub profile: Option<&'a (String, Option<Color>)>,
    pub theme: &'a Theme,
}

impl Widget for Title<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (dot, style, note) = match self.health {
            Health::Unknown => ("●", t.dim, String::new()),
            Health::Up(rtt) => ("●", t.ok, format!(" {} ms", rtt.as_millis())),
            Health::Degraded(_) => ("●", t.warn, " degraded".to_owned()),
            Health::Down(_) => ("●", t.error, " unreachable".to_owned()),
            Health::Refused { note, .. } => ("●", t.error, format!(" {note}")),
        };
        let mut spans = vec![
            Span::styled(" upstash-tui ", t.title),
            Span::styled(dot, style),
            Span::raw(" "),
            Span::raw(fit(self.host, (area.width as usize).saturating_sub(40))),
            Span::styled(note, t.dim),
        ];
        if let Some((name, color)) = self.profile {
            let style = match color {
                Some(c) if !t.mono => Style::new().fg(Color::Black).bg(*c),
                _ => t.title,
            };
            spans.push(Span::raw("  "));
            spans.push(Span::styled(format!(" {name} "), style));
        }
        if self.frugal {
            spans.push(Span::raw("  "));
            let style = if t.mono {
                t.title
            } else {
                Style::new().fg(Color::Black).bg(Color::Green)
            };
            spans.push(Span::styled(" FRUGAL ", style));
        }
        if self.read_only {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                " READ-ONLY ",
                if t.mono {
                    t.title
                } else {
                    Style::new().fg(Color::Black).bg(Color::Yellow)
                },
            ));
        }
        Line::from(spans).render(area, buf);
    }
}

/// The bottom line: the first hint (help) always, then news, then as many
/// of the other hints as fit, in their order of importance.
pub struct Status<'a> {
    pub hints: &'a [(String, &'static str)],
    pub notice: Option<&'a Notice>,
    pub theme: &'a Theme,
}

/// A hint's width: ` key what `.
fn hint_width((key, what): &(String, &str)) -> usize {
    key.width() + what.width() + 3
}

impl Widget for Status<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let width = area.width as usize;
        let first = self.hints.first().map_or(0, hint_width);
        // News matters more than the other hints, which are always the same.
        let notice = self.notice.map(|n| {
            let text = fit(&n.text, width.saturating_sub(first + 1));
            (text, if n.error { t.error } else { t.ok })
        });
        let room = width.saturating_sub(notice.as_ref().map_or(0, |(s, _)| s.width() + 1));
        let mut spans = Vec::new();
        let mut used = 0;
        for hint in self.hints {
            let w = hint_width(hint);
            if used + w > room {
                break;
            }
            used += w;
            spans.push(Span::styled(format!(" {}", hint.0), t.hint_key));
            spans.push(Span::styled(format!(" {} ", hint.1), t.dim));
        }
        if let Some((text, style)) = notice {
            spans.push(Span::raw(" ".repeat(room.saturating_sub(used) + 1)));
            spans.push(Span::styled(text, style));
        }
        Line::from(spans).render(area, buf);
    }
}
