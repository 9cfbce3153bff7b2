//! What a session shows: elements, positions, highlights, the countdown.

use std::ops::Range;
use std::time::{Duration, Instant};

use super::super::clipboard::{self, TooLarge};
use super::super::format::{Body, Format, Rendered, hex, wrap};
use super::super::page::{PageReq, Rows};
use super::super::{Header, Kind, escape, human, search};
use super::{Order, Session};

impl Session {
    /// The bytes of row `i`: a hash value, a list element, a set or zset
    /// member, a stream entry as `field value` lines; for a string or
    /// document, everything loaded.
    pub fn element(&self, i: usize) -> Option<Vec<u8>> {
        match self.rows.as_ref()? {
            Rows::Chunk { bytes, .. } | Rows::Json(bytes) => Some(bytes.clone()),
            Rows::Fields(r) => r.get(i).map(|(_, v)| v.clone()),
            Rows::Scored { rows, .. } => rows.get(i).map(|(m, _)| m.clone()),
            Rows::Items { items, .. } | Rows::Members(items) => items.get(i).cloned(),
            Rows::Entries(e) => e.get(i).map(|e| {
                let lines: Vec<String> = e
                    .fields
                    .iter()
                    .map(|(f, v)| format!("{} {}", escape::line(f), escape::line(v)))
                    .collect();
                lines.join("\n").into_bytes()
            }),
            Rows::Unavailable(_) => None,
        }
    }

    /// What identifies row `i` beside its element, for the detail: a hash
    /// field's name, a list index, a stream entry's id.
    pub fn element_label(&self, i: usize) -> Vec<String> {
        let line = match self.rows.as_ref() {
            Some(Rows::Fields(r)) => r.get(i).map(|(f, _)| format!("field {}", escape::line(f))),
            Some(Rows::Items { start, .. }) => Some(format!("index {}", start + i as u64)),
            // A member's score is in the detail's title.
            Some(Rows::Entries(e)) => e.get(i).map(|e| format!("id {}", escape::line(&e.id))),
            _ => None,
        };
        line.into_iter().collect()
    }

    /// The OSC 52 sequence that copies the selected element (or the loaded
    /// string).
    pub fn copy(&self, cap: usize) -> Option<Result<String, TooLarge>> {
        self.element(self.selected)
            .map(|bytes| clipboard::osc52(&bytes, cap))
    }

    /// Which part of a string is loaded when not all of it is: "the first
    /// 192 KiB of 20 MiB", "bytes 19.9 MiB-20 MiB of 20 MiB".
    pub fn loaded_part(&self) -> Option<String> {
        let Some(Rows::Chunk { offset, bytes }) = &self.rows else {
            return None;
        };
        let total = self.header.as_ref().and_then(|h| h.len)?;
        let end = offset + bytes.len() as u64;
        if *offset == 0 && end >= total {
            return None;
        }
        Some(if *offset == 0 {
            format!("the first {} of {}", human::bytes(end), human::bytes(total))
        } else {
            format!(
                "bytes {}-{} of {}",
                human::bytes(*offset),
                human::bytes(end),
                human::bytes(total)
            )
        })
    }

    /// Where the user is: "rows 1-200 of 1 000 000" or "showing 64 KiB of 12.3 MiB".
    pub fn position(&self) -> String {
        let total = self.header.as_ref().and_then(|h| h.len);
        match &self.rows {
            Some(Rows::Chunk { bytes, offset }) => {
                let total = total.unwrap_or(bytes.len() as u64);
                if bytes.len() as u64 >= total {
                    human::bytes(total)
                } else if *offset > 0 {
                    // A window later in the string (after G).
                    self.loaded_part().unwrap_or_default()
                } else {
                    let shown = format!(
                        "showing {} of {}",
                        human::bytes(bytes.len() as u64),
                        human::bytes(total)
                    );
                    if self.has_more() {
                        shown
                    } else {
                        format!(
                            "{shown} (the {} cap; save it to a file for all of it)",
                            human::bytes(self.limits.string_cap)
                        )
                    }
                }
            }
            Some(Rows::Json(bytes)) => human::bytes(bytes.len() as u64),
            Some(rows) => {
                let filtered = self.order.pattern.is_some();
                let first = self.window_start();
                let line = human::rows(
                    first,
                    rows.len() as u64,
                    if filtered { None } else { total },
                );
                if filtered {
                    format!("{line} matching")
                } else {
                    line
                }
            }
            None => String::new(),
        }
    }

    /// Ranges of the search needle in `text` (empty without a search, and
    /// for a glob, which matches whole names rather than places in them).
    pub fn highlights(&self, text: &[u8]) -> Vec<Range<usize>> {
        match self.needle.as_deref() {
            Some(n) if !search::is_glob(n) => search::find(text, n),
            _ => Vec::new(),
        }
    }

    /// What the walk under way (a search, `G` on a scan) has done so far.
    pub fn progress(&self) -> Option<String> {
        self.seek.as_ref().map(|s| s.progress(self))
    }

    /// How many rows the selection moves over: table rows, or lines of a
    /// string or document body.
    pub fn len(&self) -> usize {
        match (&self.rendered, &self.rows) {
            (Some(_), _) if !self.wrap.is_empty() => self.wrap.len(),
            (Some(r), _) => body_lines(&r.body),
            (None, Some(rows)) => rows.len(),
            (None, None) => 0,
        }
    }

    /// Screen line `i` of a text body (wrapped when the width is known).
    pub fn line(&self, i: usize) -> Option<String> {
        let r = self.rendered.as_ref()?;
        match (wrap::text_of(&r.body), self.wrap.get(i)) {
            (Some(text), Some(range)) => text.get(range.clone()).map(str::to_string),
            _ => body_line(&r.body, i),
        }
    }

    /// The screen lines of a text or JSON body, as ranges into its text;
    /// empty when it is not wrapped.
    pub fn wrapped(&self) -> &[Range<usize>] {
        &self.wrap
    }

    /// Whether there is nothing to move over.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The time to live left now, counting down from the last load.
    pub fn ttl_left(&self, now: Instant) -> Option<Duration> {
        let h = self.header.as_ref()?;
        h.ttl_left(now.saturating_duration_since(self.loaded_at?))
    }

    /// The key, as bytes.
    pub fn key(&self) -> &[u8] {
        &self.key
    }
    /// The key's type, once known.
    pub fn kind(&self) -> Option<&Kind> {
        self.kind.as_ref()
    }
    /// The header of the last load.
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }
    /// The rows loaded so far.
    pub fn rows(&self) -> Option<&Rows> {
        self.rows.as_ref()
    }
    /// A string or document body in the current format.
    pub fn rendered(&self) -> Option<&Rendered> {
        self.rendered.as_ref()
    }
    /// The selected row, or the top line of a text body.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The format the user chose.
    pub fn format(&self) -> Format {
        self.format
    }
    /// The order and server-side filter of the pages.
    pub fn order(&self) -> &Order {
        &self.order
    }
    /// The text being searched for.
    pub fn needle(&self) -> Option<&[u8]> {
        self.needle.as_deref()
    }
    /// Rows that changed at the last auto-refresh.
    pub fn changed(&self) -> &[usize] {
        &self.changed
    }
    /// The last failure, as one line.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    /// Whether a request is out.
    pub fn is_loading(&self) -> bool {
        self.waiting.is_some()
    }
    /// Whether auto-refresh is on.
    pub fn auto_refresh(&self) -> bool {
        self.auto
    }
    /// The commands one auto-refresh sends (the header's and the first
    /// page), when it is on.
    pub fn refresh_commands(&self) -> Option<u64> {
        let kind = self.kind.as_ref().filter(|_| self.auto)?;
        let page = self.order.first(kind, &self.limits).is_some();
        Some((super::super::header::command_count(kind) + usize::from(page)) as u64)
    }
    /// Whether more can be loaded: rows beyond those loaded, or string
    /// bytes below the cap.
    pub fn has_more(&self) -> bool {
        match (&self.rows, &self.header) {
            (Some(Rows::Chunk { offset, bytes }), Some(h)) => PageReq::string_more(
                offset + bytes.len() as u64,
                h.len.unwrap_or(0),
                &self.limits,
            )
            .is_some(),
            _ => self.next.is_some(),
        }
    }
}

/// Lines in a rendered body (a kombu summary is one line per part).
pub fn body_lines(body: &Body) -> usize {
    match body {
        Body::Text(t) => t.lines().count().max(1),
        Body::Json(p) => p.text.lines().count(),
        Body::Tree(t) => t.pretty.text.lines().count(),
        Body::Hex(b) => hex::line_count(b.len()),
        Body::Kombu(m) => m.summary().len(),
    }
}

/// Line `i` of a rendered body as text (hex lines as the dump shows them).
pub fn body_line(body: &Body, i: usize) -> Option<String> {
    match body {
        Body::Text(t) => t.split('\n').nth(i).map(str::to_string),
        Body::Json(p) => p.text.split('\n').nth(i).map(str::to_string),
        Body::Tree(t) => t.pretty.text.split('\n').nth(i).map(str::to_string),
        Body::Hex(b) => (i < hex::line_count(b.len())).then(|| hex::line(b, i, 0)),
        Body::Kombu(m) => m
            .summary()
            .into_iter()
            .nth(i)
            .map(|(l, v)| format!("{l} {v}")),
    }
}
