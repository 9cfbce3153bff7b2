//! One open key as the Value pane sees it, free of UI types: what is loaded,
//! what is selected, how it is shown, and which request it waits for.
//!
//! Every method that needs the network returns a [`Fetch`] tagged with the
//! id the caller gave; only the reply carrying the id being waited for is
//! applied, so a reply for a key already left (or a superseded page) is
//! dropped. The caller turns a `Fetch` into a task and feeds the result back
//! with [`Session::on_opened`] or [`Session::on_page`].

mod ask;
mod order;
mod read;
mod run;
mod seek;
mod window;

use std::time::Instant;

use crate::upstash::Error;

use super::format::{self, Format, Rendered, wrap};
use super::page::{Page, PageReq, Rows};
use super::{Header, Kind, Limits, Opened, diff};

pub use order::{Fetch, Id, Order};
pub use read::{body_line, body_lines};
pub use run::{Done, run};
pub use seek::{Goal, Seek};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Open {
        refresh: bool,
    },
    /// A page that replaces the rows (new order or filter) or extends them.
    Page {
        replace: bool,
    },
    /// A page that goes before the rows (moving up from the window's top).
    Before,
    /// The last page (`G`).
    Tail,
    /// One step of a [`Seek`].
    Seek,
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
    /// Rows dropped from the front of a long walk (the window's first row
    /// for kinds whose rows carry no position).
    base: u64,
    seek: Option<Seek>,
    news: Option<(String, bool)>,
    /// Columns a text body wraps at (0: not known yet, no wrapping).
    width: usize,
    /// The screen lines of a text or JSON body at `width`.
    wrap: Vec<std::ops::Range<usize>>,
    /// Walks estimated above this many requests wait for a yes.
    ask_above: Option<u64>,
    /// The walk waiting for it.
    held: Option<ask::Held>,
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
            base: 0,
            seek: None,
            news: None,
            width: 0,
            wrap: Vec::new(),
            ask_above: None,
            held: None,
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
            limits: self.limits.clone(),
        }
    }

    /// Applies an open reply; false (and nothing changes) if it is stale.
    pub fn on_opened(&mut self, id: Id, result: Result<Opened, Error>, now: Instant) -> bool {
        let Some(Wait::Open { refresh }) = self.take_wait(id) else {
            return false;
        };
        match result {
            // A window away from the first page (after G, a search or a
            // long walk) is not the first page's to refresh: the header is.
            Ok(o) if refresh && self.window_start() > 0 && o.header.kind != Kind::Missing => {
                self.header = Some(o.header);
                self.loaded_at = Some(now);
                self.changed.clear();
                self.error = None;
            }
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
                if !refresh {
                    self.base = 0;
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
        let wait = match self.take_wait(id) {
            Some(w @ (Wait::Page { .. } | Wait::Before | Wait::Seek)) => w,
            _ => return false,
        };
        match result {
            Ok(page) => {
                self.error = None;
                self.changed.clear();
                match wait {
                    Wait::Page { replace: true } => {
                        self.rows = Some(page.rows);
                        self.base = 0;
                        self.next = page.next;
                    }
                    Wait::Before => self.prepend(page.rows),
                    Wait::Seek => self.on_seek_page(page),
                    _ => {
                        self.append(page.rows);
                        self.next = page.next;
                    }
                }
                self.after_rows_changed();
            }
            Err(e) => {
                self.seek = None;
                self.error = Some(e.to_string());
            }
        }
        true
    }

    /// Whether the load or page tagged `id` is the one awaited.
    pub fn waits_for(&self, id: Id) -> bool {
        self.waiting.is_some_and(|(want, _)| want == id)
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
        self.rewrap();
    }

    fn rewrap(&mut self) {
        self.wrap = self
            .rendered
            .as_ref()
            .and_then(|r| wrap::text_of(&r.body))
            .map(|t| wrap::lines(t, self.width))
            .unwrap_or_default();
    }

    /// Wraps text bodies at `width` columns; the top line stays near the
    /// same text.
    pub fn set_width(&mut self, width: usize) {
        if width == self.width {
            return;
        }
        let at = self.wrap.get(self.selected).map(|r| r.start);
        self.width = width;
        self.rewrap();
        if let Some(at) = at {
            self.selected = self
                .wrap
                .partition_point(|r| r.end < at)
                .min(self.len().saturating_sub(1));
        }
    }

    /// The next format `f` offers for the string, or for the selected row
    /// (see [`Format::cycle`]); it then applies to every row.
    pub fn cycle_format(&mut self) {
        let cap = self.limits.decompress_cap;
        self.format = match &self.rows {
            Some(Rows::Chunk { bytes, .. } | Rows::Json(bytes)) => {
                self.format.cycle(Some(bytes), cap)
            }
            _ => {
                let sample = self.element(self.selected);
                self.format.cycle(sample.as_deref(), cap)
            }
        };
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

    /// Keeps a text body's top line within its last screen of `page` lines.
    pub fn keep_page(&mut self, page: usize) {
        if self.rendered.is_some() {
            self.selected = self.selected.min(self.len().saturating_sub(page.max(1)));
        }
    }

    /// Leaves a line for the status bar.
    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.news = Some((text.into(), error));
    }

    /// The line for the status bar the last call left, once.
    pub fn take_news(&mut self) -> Option<(String, bool)> {
        self.news.take()
    }

    /// Stops what is in flight (a load, a search, a walk to the end) and
    /// keeps what is loaded; false when nothing was.
    pub fn stop(&mut self) -> bool {
        if let Some(seek) = self.seek.take() {
            self.waiting = None;
            let what = seek.progress(self);
            self.say(format!("stopped: {what}"), false);
            return true;
        }
        match self.waiting.take() {
            Some((_, Wait::Open { .. })) if self.rows.is_none() => {
                self.error = Some("loading stopped (r loads it again)".into());
                true
            }
            Some(_) => {
                self.say("loading stopped (r loads it again)", false);
                true
            }
            None => false,
        }
    }
}
