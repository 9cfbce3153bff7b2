//! The console's output: each command with its round-trip time and replies.
//! Replies are kept as they arrived and formatted only for the lines on
//! screen, so a 100 000-element reply costs nothing until it is scrolled to.
//! Top-level array elements (and each reply of a pipeline) are the units of
//! formatting: "chunks" of one or more lines.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use super::cache::Cache;
use super::chunk::{chunk_count, echo, element, escape_controls, header, wrap};
use super::input::Argv;
use crate::redis_cli::{Mode, restore_status};
use crate::upstash::Reply;

/// How many commands are kept; older ones are dropped.
pub const MAX_ENTRIES: usize = 500;

/// What a line shows, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command as typed, with its round-trip time.
    Input,
    /// Part of a reply.
    Output,
    /// An error reply or a failure.
    Error,
    /// Help text and other local messages.
    Notice,
}

/// One line ready to draw (control characters already escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
}

/// Identifies a command's entry until its reply arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId(u64);

#[derive(Debug)]
enum Body {
    Pending,
    Replies {
        replies: Vec<Reply>,
        starts: Vec<usize>,
        chunks: usize,
    },
    Failed(String),
    Text(Vec<String>, Kind),
}

#[derive(Debug)]
struct Entry {
    id: EntryId,
    /// What is shown of the command typed (see [`echo`]).
    input: String,
    rtt: Option<Duration>,
    body: Body,
}

/// A place in the scrollback: entry, chunk within it, line within the chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    entry: usize,
    chunk: usize,
    line: usize,
}

/// The commands and replies shown in the Console pane.
#[derive(Debug)]
pub struct Scrollback {
    entries: VecDeque<Entry>,
    next_id: u64,
    mode: Mode,
    /// The first line on screen; `None` follows the newest output.
    top: Option<Pos>,
    /// Recently formatted large chunks, newest last.
    cache: Cache,
    /// Lines longer than this many cells wrap.
    width: usize,
    #[cfg(test)]
    formatted: std::cell::Cell<usize>,
}

impl Default for Scrollback {
    fn default() -> Self {
        Scrollback {
            entries: VecDeque::new(),
            next_id: 0,
            mode: Mode::Tty,
            top: None,
            cache: Cache::default(),
            width: usize::MAX,
            #[cfg(test)]
            formatted: std::cell::Cell::new(0),
        }
    }
}

impl Scrollback {
    /// Adds a command waiting for its reply.
    pub fn push_command(&mut self, input: &str) -> EntryId {
        self.push(input, Body::Pending)
    }

    /// Adds a local answer (help, a refusal, a parse error).
    pub fn push_text(&mut self, input: &str, lines: Vec<String>, kind: Kind) {
        self.push(input, Body::Text(lines, kind));
    }

    fn push(&mut self, input: &str, body: Body) -> EntryId {
        let id = EntryId(self.next_id);
        self.next_id += 1;
        self.entries.push_back(Entry {
            id,
            input: echo(input),
            rtt: None,
            body,
        });
        if self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
            if let Some(top) = &mut self.top {
                *top = match top.entry.checked_sub(1) {
                    Some(entry) => Pos { entry, ..*top },
                    None => Pos {
                        entry: 0,
                        chunk: 0,
                        line: 0,
                    },
                };
            }
        }
        id
    }

    /// Fills in a command's replies (one per command sent) or its failure.
    /// `cmds` are the commands sent, to restore replies that redis-cli would
    /// print as status (`PONG`, `string`).
    pub fn finish(
        &mut self,
        id: EntryId,
        cmds: &[Argv],
        result: Result<Vec<Reply>, String>,
        rtt: Duration,
    ) {
        let Some(e) = self.entries.iter_mut().find(|e| e.id == id) else {
            return;
        };
        e.rtt = Some(rtt);
        self.cache.clear();
        e.body = match result {
            Err(msg) => Body::Failed(msg),
            Ok(replies) => {
                let replies: Vec<Reply> = replies
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| match cmds.get(i) {
                        Some(c) => restore_status(c, r),
                        None => r,
                    })
                    .collect();
                let mut starts = Vec::with_capacity(replies.len());
                let mut chunks = 0;
                for r in &replies {
                    starts.push(chunks);
                    chunks += chunk_count(r);
                }
                Body::Replies {
                    replies,
                    starts,
                    chunks,
                }
            }
        };
    }

    /// Shows a local answer in place of an entry's reply (a command that was not sent after all).
    pub fn finish_text(&mut self, id: EntryId, lines: Vec<String>, kind: Kind) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.body = Body::Text(lines, kind);
            self.cache.clear();
        }
    }

    /// Sets the width lines wrap at; positions start again at their chunk's top.
    pub fn set_width(&mut self, width: usize) {
        let width = width.max(1);
        if width == self.width {
            return;
        }
        self.width = width;
        self.cache.clear();
        if let Some(top) = &mut self.top {
            top.line = 0;
        }
    }

    /// Forgets everything shown.
    pub fn clear(&mut self) {
        self.cache.clear();
        self.entries.clear();
        self.top = None;
    }

    /// How replies are shown.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Switches between redis-cli, raw and JSON output.
    pub fn toggle_mode(&mut self) {
        self.mode = match self.mode {
            Mode::Tty => Mode::Raw,
            Mode::Raw => Mode::Json,
            Mode::Json => Mode::Tty,
        };
        self.cache.clear();
        if let Some(top) = &mut self.top {
            top.line = 0;
        }
    }

    /// Whether the view follows the newest output.
    pub fn is_following(&self) -> bool {
        self.top.is_none()
    }

    /// The `height` lines on screen.
    pub fn window(&self, height: usize) -> Vec<Line> {
        let Some(mut pos) = self.top.or_else(|| self.bottom_top(height)) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(height);
        while out.len() < height {
            let lines = self.chunk(pos.entry, pos.chunk);
            out.extend(
                lines
                    .iter()
                    .skip(pos.line)
                    .take(height - out.len())
                    .cloned(),
            );
            match self.next_chunk(pos) {
                Some(p) => pos = p,
                None => break,
            }
        }
        out
    }

    /// Scrolls towards older output.
    pub fn scroll_up(&mut self, n: usize, height: usize) {
        let Some(mut pos) = self.top.or_else(|| self.bottom_top(height)) else {
            return;
        };
        let mut n = n;
        while n > 0 {
            if pos.line >= n {
                pos.line -= n;
                break;
            }
            n -= pos.line + 1;
            match self.prev_chunk(pos) {
                Some(p) => {
                    pos = Pos {
                        line: self.chunk(p.entry, p.chunk).len().saturating_sub(1),
                        ..p
                    }
                }
                None => {
                    pos.line = 0;
                    break;
                }
            }
        }
        self.top = Some(pos);
    }

    /// Scrolls towards newer output; reaching the end follows it again.
    pub fn scroll_down(&mut self, n: usize, height: usize) {
        let Some(mut pos) = self.top else {
            return;
        };
        let mut n = n;
        while n > 0 {
            let count = self.chunk(pos.entry, pos.chunk).len();
            if pos.line + n < count {
                pos.line += n;
                break;
            }
            n -= count - pos.line;
            match self.next_chunk(pos) {
                Some(p) => pos = p,
                None => break,
            }
        }
        self.top = Some(pos);
        if self
            .bottom_top(height)
            .is_none_or(|b| self.not_after(b, pos))
        {
            self.top = None;
        }
    }

    /// Jumps to the oldest output.
    pub fn to_top(&mut self) {
        if !self.entries.is_empty() {
            self.top = Some(Pos {
                entry: 0,
                chunk: 0,
                line: 0,
            });
        }
    }

    /// Jumps to the newest output and follows it.
    pub fn to_bottom(&mut self) {
        self.top = None;
    }

    /// Whether `a` is at or before `b`.
    fn not_after(&self, a: Pos, b: Pos) -> bool {
        (a.entry, a.chunk, a.line) <= (b.entry, b.chunk, b.line)
    }

    /// The first line of the last screenful.
    fn bottom_top(&self, height: usize) -> Option<Pos> {
        let entry = self.entries.len().checked_sub(1)?;
        let mut pos = Pos {
            entry,
            chunk: self.chunks(entry) - 1,
            line: 0,
        };
        let mut need = height.max(1);
        loop {
            let count = self.chunk(pos.entry, pos.chunk).len();
            if count >= need {
                pos.line = count - need;
                return Some(pos);
            }
            need -= count;
            match self.prev_chunk(pos) {
                Some(p) => pos = p,
                None => return Some(pos),
            }
        }
    }

    fn chunks(&self, entry: usize) -> usize {
        1 + match self.entries.get(entry).map(|e| &e.body) {
            Some(Body::Pending | Body::Failed(_)) => 1,
            Some(Body::Replies { chunks, .. }) => *chunks,
            Some(Body::Text(lines, _)) => lines.len(),
            None => 0,
        }
    }

    fn next_chunk(&self, p: Pos) -> Option<Pos> {
        if p.chunk + 1 < self.chunks(p.entry) {
            Some(Pos {
                chunk: p.chunk + 1,
                line: 0,
                ..p
            })
        } else if p.entry + 1 < self.entries.len() {
            Some(Pos {
                entry: p.entry + 1,
                chunk: 0,
                line: 0,
            })
        } else {
            None
        }
    }

    fn prev_chunk(&self, p: Pos) -> Option<Pos> {
        if p.chunk > 0 {
            Some(Pos {
                chunk: p.chunk - 1,
                line: 0,
                ..p
            })
        } else {
            let entry = p.entry.checked_sub(1)?;
            Some(Pos {
                entry,
                chunk: self.chunks(entry) - 1,
                line: 0,
            })
        }
    }

    /// One chunk's lines, from the cache when it is a large one.
    fn chunk(&self, entry: usize, chunk: usize) -> Arc<Vec<Line>> {
        let Some(id) = self.entries.get(entry).map(|e| e.id) else {
            return Arc::default();
        };
        self.cache
            .get_or_format((id, chunk), || self.format_chunk(entry, chunk))
    }

    /// Formats one chunk: this is the only place replies become text.
    fn format_chunk(&self, entry: usize, chunk: usize) -> Vec<Line> {
        let Some(e) = self.entries.get(entry) else {
            return Vec::new();
        };
        #[cfg(test)]
        self.formatted.set(self.formatted.get() + 1);
        let Some(c) = chunk.checked_sub(1) else {
            return rows(Kind::Input, &header(&e.input, e.rtt), self.width);
        };
        let (kind, text) = match &e.body {
            Body::Pending => (Kind::Notice, "…".to_string()),
            Body::Failed(msg) => (Kind::Error, format!("(error) {msg}")),
            Body::Text(lines, kind) => (*kind, lines.get(c).cloned().unwrap_or_default()),
            Body::Replies {
                replies, starts, ..
            } => {
                let r = starts.partition_point(|&s| s <= c).saturating_sub(1);
                let Some(reply) = replies.get(r) else {
                    return Vec::new();
                };
                let kind = if matches!(reply, Reply::Error(_)) {
                    Kind::Error
                } else {
                    Kind::Output
                };
                (
                    kind,
                    element(reply, c - starts.get(r).copied().unwrap_or(0), self.mode),
                )
            }
        };
        rows(kind, &text, self.width)
    }
}

/// A chunk's text as rows on screen: control characters escaped, each line
/// wrapped at `width` cells.
fn rows(kind: Kind, text: &str, width: usize) -> Vec<Line> {
    text.split('\n')
        .flat_map(|l| wrap(&escape_controls(l), width))
        .map(|text| Line { kind, text })
        .collect()
}

#[cfg(test)]
#[path = "scrollback_tests.rs"]
mod tests;
