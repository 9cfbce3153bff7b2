//! One open key as the Value pane sees it, free of UI types: what is loaded,
//! what is selected, how it is shown, and which request it waits for.
//!
//! Every method that needs the network returns a [`Fetch`] tagged with the
//! id the caller gave; only the reply carrying the id being waited for is
//! applied, so a reply for a key already left (or a superseded page) is
//! dropped. The caller turns a `Fetch` into a task and feeds the result back
//! with [`Session::on_opened`] or [`Session::on_page`].

mod order;
mod read;
mod run;

use std::time::Instant;

use crate::upstash::Error;

use super::format::{self, Format, Rendered};
use super::page::{Page, PageReq, Rows};
use super::{Header, Kind, Limits, Opened, diff, search};

pub use order::{Fetch, Id, Order};
pub use read::{body_line, body_lines};
pub use run::{Done, run};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Open {
        refresh: bool,
    },
    /// A page that replaces the rows (new order or filter) or extends them.
    Page {
        replace: bool,
    },
}

/// The state of one open key.
#[derive(Debug)]
pub struct Session {
    key: Vec<u8>,
    kind: Option<Kind>,
    limits: Limits,
    header: Option<Header>,
    loaded_at: Option<Instant>,
    rows: Option<Rows>,
    next: Option<PageReq>,
    waiting: Option<(Id, Wait)>,
    error: Option<String>,
    selected: usize,
    format: Format,
    order: Order,
    needle: Option<Vec<u8>>,
    changed: Vec<usize>,
    rendered: Option<Rendered>,
    auto: bool,
}

impl Session {
    /// A session for `key`, whose type the Keys pane may already know;
    /// [`Session::reload`] starts loading it.
    pub fn new(key: &[u8], kind: Option<Kind>, limits: Limits) -> Session {
        Session {
            key: key.to_vec(),
            kind,
            limits,
            header: None,
            loaded_at: None,
            rows: None,
            next: None,
            waiting: None,
            error: None,
            selected: 0,
            format: Format::Auto,
            order: Order::default(),
            needle: None,
            changed: Vec::new(),
            rendered: None,
            auto: false,
        }
    }

    /// Loads the header and first page again (keeping the selection).
    pub fn reload(&mut self, id: Id) -> Fetch {
        self.open(id, false)
    }

    /// Auto-refresh: reloads and marks what changed; nothing while a
    /// request is still out, so refreshes never pile up.
    pub fn refresh(&mut self, id: Id) -> Option<Fetch> {
        (self.waiting.is_none()).then(|| self.open(id, true))
    }

    fn open(&mut self, id: Id, refresh: bool) -> Fetch {
        self.waiting = Some((id, Wait::Open { refresh }));
        Fetch::Open {
            id,
            key: self.key.clone(),
            kind: self.kind.clone(),
            order: self.order.clone(),
        }
    }

    /// Applies an open reply; false (and nothing changes) if it is stale.
    pub fn on_opened(&mut self, id: Id, result: Result<Opened, Error>, now: Instant) -> bool {
        let Some(Wait::Open { refresh }) = self.take_wait(id) else {
            return false;
        };
        match result {
            Ok(o) => {
                self.kind = Some(o.header.kind.clone());
                self.changed = match (&self.rows, &o.page) {
                    (Some(old), Some(new)) if refresh => diff::changed(old, &new.rows),
                    _ => Vec::new(),
                };
                self.header = Some(o.header);
                self.loaded_at = Some(now);
                let (old_rows, old_next) = (self.rows.take(), self.next.take());
                let (mut rows, mut next) = match o.page {
                    Some(p) => (Some(p.rows), p.next),
                    None => (None, None),
                };
                // A refresh reloads the first page only: rows loaded beyond
                // it stay (as last loaded), so the selection keeps its place.
                if let (true, Some(new), Some(old)) = (refresh, &mut rows, old_rows) {
                    let n = new.len();
                    if old.len() > n && new.extend(old.skip(n)) {
                        next = old_next;
                    }
                }
                self.rows = rows;
                self.next = next;
                self.error = None;
                self.after_rows_changed();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        true
    }

    /// Applies a page reply; false (and nothing changes) if it is stale.
    pub fn on_page(&mut self, id: Id, result: Result<Page, Error>) -> bool {
        let Some(Wait::Page { replace }) = self.take_wait(id) else {
            return false;
        };
        match result {
            Ok(page) => {
                match &mut self.rows {
                    Some(rows) if !replace => {
                        rows.extend(page.rows);
                    }
                    rows => *rows = Some(page.rows),
                }
                self.next = page.next;
                self.error = None;
                self.changed.clear();
                self.after_rows_changed();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        true
    }

    fn take_wait(&mut self, id: Id) -> Option<Wait> {
        match self.waiting {
            Some((want, wait)) if want == id => {
                self.waiting = None;
                Some(wait)
            }
            _ => None,
        }
    }

    fn after_rows_changed(&mut self) {
        self.render();
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    /// Re-renders a string or document body in the current format.
    fn render(&mut self) {
        self.rendered = match &self.rows {
            Some(Rows::Chunk { bytes, .. } | Rows::Json(bytes)) => Some(format::render(
                bytes,
                self.format,
                self.limits.decompress_cap,
            )),
            _ => None,
        };
    }

    /// Moves the selection (a row, or the top line of a text body) by
    /// `delta`, and asks for the next page when it nears the loaded end.
    pub fn move_by(&mut self, delta: isize, id: Id) -> Option<Fetch> {
        let last = self.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        let near_end = self.selected + self.limits.rows / 4 >= self.len();
        if near_end { self.more(id) } else { None }
    }

    /// Fetches the next page (or string range) if there is one and nothing
    /// is being waited for; bounded by the string cap and the row cap.
    pub fn more(&mut self, id: Id) -> Option<Fetch> {
        if self.waiting.is_some() {
            return None;
        }
        let req = match (&self.rows, &self.header) {
            (Some(Rows::Chunk { bytes, offset }), Some(h)) => PageReq::string_more(
                offset + bytes.len() as u64,
                h.len.unwrap_or(0),
                &self.limits,
            )?,
            (Some(rows), _) if rows.len() >= self.limits.max_loaded_rows => return None,
            _ => self.next.clone()?,
        };
        self.waiting = Some((id, Wait::Page { replace: false }));
        Some(Fetch::Page {
            id,
            key: self.key.clone(),
            req,
        })
    }

    /// Starts over from the first page in `order` (new direction or filter).
    fn restart(&mut self, id: Id) -> Option<Fetch> {
        let req = self.order.first(self.kind.as_ref()?, &self.limits)?;
        self.selected = 0;
        self.waiting = Some((id, Wait::Page { replace: true }));
        Some(Fetch::Page {
            id,
            key: self.key.clone(),
            req,
        })
    }

    /// Reverses a sorted set (by rank) or a stream (by id).
    pub fn toggle_order(&mut self, id: Id) -> Option<Fetch> {
        if !matches!(self.kind, Some(Kind::ZSet | Kind::Stream)) || self.order.pattern.is_some() {
            return None;
        }
        self.order.rev = !self.order.rev;
        self.restart(id)
    }

    /// Searches for `needle`: highlights it in loaded rows and, for hash,
    /// set and zset, asks the server for the rows that contain it.
    pub fn search(&mut self, needle: &[u8], id: Id) -> Option<Fetch> {
        if needle.is_empty() {
            return self.clear_search(id);
        }
        self.needle = Some(needle.to_vec());
        if self.kind.as_ref().is_some_and(Kind::has_server_match) {
            self.order.pattern = Some(search::contains_pattern(needle));
            return self.restart(id);
        }
        // Loaded rows only: jump to the first that matches.
        if let Some(i) = (0..self.len()).find(|&i| !self.matches(i).is_empty()) {
            self.selected = i;
        }
        None
    }

    /// Drops the search; a server-side filter is lifted by reloading.
    pub fn clear_search(&mut self, id: Id) -> Option<Fetch> {
        self.needle = None;
        if self.order.pattern.take().is_some() {
            return self.restart(id);
        }
        None
    }

    /// Cycles auto, text, JSON, hex.
    pub fn cycle_format(&mut self) {
        self.format = self.format.cycle();
        self.render();
    }

    /// Turns auto-refresh on or off; returns whether it is now on.
    pub fn toggle_auto(&mut self) -> bool {
        self.auto = !self.auto;
        if !self.auto {
            self.changed.clear();
        }
        self.auto
    }
}
