//! The Value pane: for now the type, TTL and size of the opened key.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::msg::{Effect, ReqId};
use crate::tui::text::{escape, size, ttl};
use crate::tui::theme::{Kind, Theme};
use crate::upstash::{Error, Reply};

/// What is known about the opened key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub kind: String,
    pub ttl_ms: i64,
    pub bytes: Option<i64>,
}

/// A reply being waited for, or its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loadable<T> {
    Idle,
    Loading(ReqId),
    Ready(T),
    Failed(String),
}

/// The Value pane's state.
#[derive(Debug)]
pub struct State {
    key: Option<Vec<u8>>,
    info: Loadable<Info>,
}

impl Default for State {
    fn default() -> Self {
        State {
            key: None,
            info: Loadable::Idle,
        }
    }
}

impl State {
    /// Opens `key`: returns the effect that reads its type, TTL and size.
    pub fn open(&mut self, key: &[u8], req: ReqId) -> Effect {
        self.key = Some(key.to_vec());
        self.info = Loadable::Loading(req);
        Effect::Inspect {
            req,
            key: key.to_vec(),
        }
    }

    /// Takes the TYPE, PTTL, MEMORY USAGE replies; stale ones are dropped.
    pub fn on_inspected(&mut self, req: ReqId, result: Result<Vec<Reply>, Error>) {
        if self.info != Loadable::Loading(req) {
            return;
        }
        self.info = match result {
            Ok(r) => Loadable::Ready(Info {
                kind: r.first().and_then(Reply::as_str).unwrap_or("?").to_owned(),
                ttl_ms: r.get(1).and_then(Reply::as_int).unwrap_or(-1),
                bytes: r.get(2).and_then(Reply::as_int),
            }),
            Err(e) => Loadable::Failed(e.to_string()),
        };
    }

    /// The opened key.
    pub fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    /// What is known about the opened key.
    pub fn info(&self) -> &Loadable<Info> {
        &self.info
    }
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
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused {
                t.border_focused
            } else {
                t.border
            })
            .title(Span::styled(" 2 Value ", t.title));
        let Some(key) = self.state.key() else {
            Paragraph::new(Line::styled("Enter on a key opens it here.", t.dim))
                .block(block)
                .render(area, buf);
            return;
        };
        let mut lines = vec![Line::from(vec![
            Span::styled("key   ", t.dim),
            Span::raw(escape(key)),
        ])];
        match &self.state.info {
            Loadable::Idle => {}
            Loadable::Loading(_) => lines.push(Line::styled("loading…", t.dim)),
            Loadable::Failed(e) => lines.push(Line::styled(e.clone(), t.error)),
            Loadable::Ready(info) => {
                let kind = Kind::parse(&info.kind);
                lines.push(Line::from(vec![
                    Span::styled("type  ", t.dim),
                    Span::styled(kind.badge(), t.badge(kind)),
                    Span::raw(format!(" {}", info.kind)),
                ]));
                let ttl = match info.ttl_ms {
                    -1 => "no expiry".to_owned(),
                    -2 => "gone".to_owned(),
                    ms => ttl(ms),
                };
                lines.push(Line::from(vec![
                    Span::styled("ttl   ", t.dim),
                    Span::raw(ttl),
                ]));
                let bytes = info.bytes.map_or_else(|| "unknown".to_owned(), size);
                lines.push(Line::from(vec![
                    Span::styled("size  ", t.dim),
                    Span::raw(bytes),
                ]));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}
