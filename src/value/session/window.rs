//! The rows held in memory are a window onto the key: pages join it at the
//! end as the selection moves down and at the start as it moves up, `G`
//! replaces it with the key's last page and `g` with its first. A window
//! keeps at most [`Limits::max_loaded_rows`] rows: past that, rows leave
//! from the other end.

use crate::upstash::Error;

use super::super::Kind;
use super::super::page::{PageReq, Rows};
use super::super::tail::Tail;
use super::{Fetch, Goal, Id, Session, Wait};

impl Session {
    /// Moves the selection (a row, or the top line of a text body) by
    /// `delta`, and asks for the page after (or before) the window when the
    /// selection nears its end (or its start).
    pub fn move_by(&mut self, delta: isize, id: Id) -> Option<Fetch> {
        let last = self.len().saturating_sub(1);
        let before = self.selected;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        let margin = self.limits.rows / 4;
        if delta < 0 && self.selected <= margin {
            let fetch = self.before(id);
            if fetch.is_none() && before == 0 && self.window_start() > 0 {
                self.say_window_top();
            }
            return fetch;
        }
        if delta > 0 && self.selected + margin >= self.len() {
            return self.more(id);
        }
        None
    }

    /// Fetches the next page (or string range) if there is one and nothing
    /// is being waited for; a string stops at its cap.
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
            _ if self.filtered() => {
                // A filtered scan may return nothing for many pages: walk on
                // until one more row matches.
                let next = self.next.clone()?;
                let want = self.len() + 1;
                return self.start_seek(Goal::Rows(want), next, false, id);
            }
            _ => self.next.clone()?,
        };
        self.waiting = Some((id, Wait::Page { replace: false }));
        Some(self.page(id, req))
    }

    /// The rest of a string whose loaded start is marked as a format that
    /// only reads whole (a pickle, BSON, compressed or not) but stops short,
    /// in one range up to the string cap, so that it can be shown decoded
    /// rather than as hex with a reason.
    pub fn rest_to_decode(&mut self, id: Id) -> Option<Fetch> {
        if self.waiting.is_some() {
            return None;
        }
        let (Some(Rows::Chunk { offset: 0, bytes }), Some(h)) = (&self.rows, &self.header) else {
            return None;
        };
        let short = self.rendered.as_ref().is_some_and(|r| r.short);
        if !short {
            return None;
        }
        let whole = super::super::Limits {
            string_page: self.limits.string_cap,
            ..self.limits.clone()
        };
        let req = PageReq::string_more(bytes.len() as u64, h.len.unwrap_or(0), &whole)?;
        self.waiting = Some((id, Wait::Page { replace: false }));
        Some(self.page(id, req))
    }

    /// Fetches the page before the window, for kinds that can go back.
    fn before(&mut self, id: Id) -> Option<Fetch> {
        if self.waiting.is_some() {
            return None;
        }
        let req = self.prev_req()?;
        self.waiting = Some((id, Wait::Before));
        Some(self.page(id, req))
    }

    pub(super) fn page(&self, id: Id, req: PageReq) -> Fetch {
        Fetch::Page {
            id,
            key: self.key.clone(),
            req,
        }
    }

    /// The request for the rows just before the window, if it can be made.
    pub(super) fn prev_req(&self) -> Option<PageReq> {
        let rows = self.limits.rows.max(1);
        match self.rows.as_ref()? {
            Rows::Items { start, .. } if *start > 0 => {
                let k = rows.min(*start as usize);
                Some(PageReq::ListRange {
                    start: start - k as u64,
                    count: k,
                })
            }
            Rows::Scored { start: Some(s), .. } if *s > 0 && !self.filtered() => {
                let k = rows.min(*s as usize);
                Some(PageReq::ZRange {
                    start: s - k as u64,
                    count: k,
                    rev: self.order.rev,
                })
            }
            Rows::Chunk { offset, bytes } if *offset > 0 => {
                let k = self.limits.string_page.min(*offset);
                (bytes.len() as u64 + k <= self.limits.string_cap).then(|| PageReq::Range {
                    offset: offset - k,
                    len: k,
                })
            }
            // Entries before the first, newest first, turned round on arrival.
            Rows::Entries(e) if self.base > 0 => Some(PageReq::Stream {
                after: Some(e.first()?.id.clone()),
                count: rows,
                rev: !self.order.rev,
            }),
            _ => None,
        }
    }

    /// Whether the rows are filtered by the server (a MATCH scan).
    pub(super) fn filtered(&self) -> bool {
        self.order.pattern.is_some() && self.kind.as_ref().is_some_and(Kind::has_server_match)
    }

    /// The position of the window's first row in the key (rows, or bytes).
    pub fn window_start(&self) -> u64 {
        match &self.rows {
            Some(Rows::Items { start, .. })
            | Some(Rows::Scored {
                start: Some(start), ..
            }) => *start,
            Some(Rows::Chunk { offset, .. }) => *offset,
            _ => self.base,
        }
    }

    fn say_window_top(&mut self) {
        let n = crate::value::human::count(self.window_start());
        let text = match &self.rows {
            Some(Rows::Chunk { .. }) => format!(
                "the {} before this are not held (a string is held {} at a time): g goes to its start",
                crate::value::human::bytes(self.window_start()),
                crate::value::human::bytes(self.limits.string_cap)
            ),
            _ => format!(
                "the first {n} rows are no longer held (a scan cannot go back): g starts over"
            ),
        };
        self.say(text, false);
    }

    /// Adds a later page's rows; past the row cap the first rows leave.
    pub(super) fn append(&mut self, more: Rows) {
        match &mut self.rows {
            Some(rows) => {
                if !rows.extend(more.clone()) {
                    *rows = more;
                }
            }
            None => self.rows = Some(more),
        }
        let Some(rows) = self.rows.take() else { return };
        let over = match rows {
            Rows::Chunk { .. } | Rows::Json(_) | Rows::Unavailable(_) => 0,
            _ => rows.len().saturating_sub(self.limits.max_loaded_rows),
        };
        if over > 0 {
            if !matches!(
                rows,
                Rows::Items { .. } | Rows::Scored { start: Some(_), .. }
            ) {
                self.base += over as u64;
            }
            self.selected = self.selected.saturating_sub(over);
        }
        self.rows = Some(rows.skip(over));
    }

    /// Puts an earlier page's rows before the window; the selection stays
    /// on its row.
    pub(super) fn prepend(&mut self, page: Rows) {
        let page = match page {
            Rows::Entries(mut e) => {
                // Fetched in the other order; fewer than asked: the stream's start.
                if e.len() < self.limits.rows.max(1) {
                    self.base = e.len() as u64;
                }
                e.reverse();
                Rows::Entries(e)
            }
            other => other,
        };
        let lines_before = self.len();
        let n = page.len();
        let Some(old) = self.rows.take() else {
            self.rows = Some(page);
            return;
        };
        let mut rows = page;
        if !rows.extend(old.clone()) {
            self.rows = Some(old);
            return;
        }
        if let Rows::Entries(_) = rows {
            self.base = self.base.saturating_sub(n as u64);
        }
        self.rows = Some(rows);
        self.render();
        // A text body counts lines, not rows.
        self.selected += self.len().saturating_sub(lines_before);
    }

    /// Starts over from the first page in `order` (new direction or filter).
    pub(super) fn restart(&mut self, id: Id) -> Option<Fetch> {
        let req = self.order.first(self.kind.as_ref()?, &self.limits)?;
        self.selected = 0;
        self.seek = None;
        if self.filtered() {
            return self.start_seek(Goal::Rows(1), req, true, id);
        }
        self.waiting = Some((id, Wait::Page { replace: true }));
        Some(self.page(id, req))
    }

    /// Reverses a sorted set (by rank) or a stream (by id); says why not for
    /// other kinds.
    pub fn toggle_order(&mut self, id: Id) -> Option<Fetch> {
        let kind = self.kind.clone();
        if !matches!(kind, Some(Kind::ZSet | Kind::Stream)) {
            let what = kind.as_ref().map_or("this value", Kind::name);
            self.say(
                format!(
                    "R reverses sorted sets and streams only; a {what} has no order to turn (G goes to its end)"
                ),
                false,
            );
            return None;
        }
        if self.filtered() {
            self.say(
                "a search shows matches in scan order, which has no reverse (Esc ends the search)",
                false,
            );
            return None;
        }
        self.order.rev = !self.order.rev;
        self.restart(id)
    }

    /// `g`: the first row, loading the first page when the window starts later.
    pub fn top(&mut self, id: Id) -> Option<Fetch> {
        if self.window_start() == 0 {
            self.selected = 0;
            return None;
        }
        self.restart(id)
    }

    /// `G`: the last row. A list, sorted set, stream or string jumps to its
    /// last page; a hash, a set or a search walks its scan to the end.
    pub fn bottom(&mut self, id: Id) -> Option<Fetch> {
        let last = self.len().saturating_sub(1);
        let at_end = match (&self.rows, &self.header) {
            (Some(Rows::Chunk { offset, bytes }), Some(h)) => {
                offset + bytes.len() as u64 >= h.len.unwrap_or(0)
            }
            (Some(Rows::Json(_) | Rows::Unavailable(_)), _) | (None, _) => true,
            _ => self.next.is_none(),
        };
        if at_end {
            self.selected = last;
            return None;
        }
        // Whatever was in flight is superseded.
        self.seek = None;
        let scan = self.filtered() || matches!(self.kind, Some(Kind::Hash | Kind::Set));
        if scan {
            let next = self.next.clone()?;
            return self.start_seek(Goal::End, next, false, id);
        }
        self.waiting = Some((id, Wait::Tail));
        Some(Fetch::Tail {
            id,
            key: self.key.clone(),
            kind: self.kind.clone()?,
            rev: self.order.rev,
            limits: self.limits.clone(),
        })
    }

    /// Applies the last page (`G`); false if it is stale.
    pub fn on_tail(&mut self, id: Id, result: Result<Tail, Error>) -> bool {
        if !matches!(self.take_wait(id), Some(Wait::Tail)) {
            return false;
        }
        match result {
            Ok(tail) => {
                let n = tail.page.rows.len() as u64;
                if let Some(h) = &mut self.header {
                    h.len = Some(tail.len);
                }
                self.base = match tail.page.rows {
                    Rows::Entries(_) => tail.len.saturating_sub(n),
                    _ => 0,
                };
                self.rows = Some(tail.page.rows);
                self.next = None;
                self.error = None;
                self.changed.clear();
                self.render();
                self.selected = self.len().saturating_sub(1);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        true
    }
}
