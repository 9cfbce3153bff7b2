//! Searches and walks that take many requests: one page per step, each
//! step sent when the last one came back, so the pane stays responsive,
//! shows progress and the requests spent, and `Esc` stops between two steps.
//!
//! What a search is depends on the kind: hashes, sets and sorted sets are
//! filtered by the server (HSCAN/SSCAN/ZSCAN MATCH on field names or
//! members, a glob; text without glob characters means "contains"); lists
//! and streams are read page by page and matched here (text, smart case, or
//! a glob on the whole element); strings and documents search the loaded text.

use super::super::page::{Page, PageReq, Rows};
use super::super::{Kind, human, search};
use super::{Fetch, Id, Session, Wait};

/// Rows per request while walking: more than a screen, fewer requests.
pub(super) const WALK_ROWS: usize = 1000;

/// A walk through a key's pages, one request per step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seek {
    /// Where the walk stops.
    pub goal: Goal,
    /// Requests sent so far.
    pub requests: usize,
    /// Rows returned so far (for a filtered scan, the matches).
    pub read: u64,
    /// Elements the server was asked to examine (a scan's COUNT per request).
    pub examined: u64,
    /// The next request.
    req: PageReq,
    /// The first page replaces the loaded rows (a new search).
    replace: bool,
}

/// Where a [`Seek`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The scan's end (`G` on a hash, a set or a search).
    End,
    /// A filtered scan until it holds this many rows.
    Rows(usize),
    /// The next (or previous) row that matches, read page by page.
    Find { back: bool },
}

impl Seek {
    /// What the walk has done so far, for the status line.
    pub fn progress(&self, s: &Session) -> String {
        let total = s.header.as_ref().and_then(|h| h.len);
        let unit = unit(s.kind.as_ref());
        let requests = match self.requests {
            1 => "1 request".to_string(),
            n => format!("{} requests", human::count(n as u64)),
        };
        let of = total.map_or(String::new(), |t| format!(" of {}", human::count(t)));
        match self.goal {
            Goal::Find { .. } => format!(
                "{requests}, {} {unit}{of} read",
                human::count(self.read.min(total.unwrap_or(u64::MAX)))
            ),
            _ => {
                let examined = self.examined.min(total.unwrap_or(u64::MAX));
                let mut text = format!(
                    "{requests}, about {} {unit}{of} examined",
                    human::count(examined)
                );
                if s.filtered() {
                    text.push_str(&format!(", {} matching", human::count(s.len() as u64)));
                }
                text
            }
        }
    }
}

/// What a key's rows are called.
fn unit(kind: Option<&Kind>) -> &'static str {
    match kind {
        Some(Kind::Hash) => "fields",
        Some(Kind::Set | Kind::ZSet) => "members",
        Some(Kind::Stream) => "entries",
        Some(Kind::String | Kind::Json) => "bytes",
        _ => "elements",
    }
}

/// `req` asking for `n` rows at a time (scans, lists, streams).
fn widened(req: PageReq, n: usize) -> PageReq {
    match req {
        PageReq::HashScan(mut s) => {
            s.count = s.count.max(n);
            PageReq::HashScan(s)
        }
        PageReq::SetScan(mut s) => {
            s.count = s.count.max(n);
            PageReq::SetScan(s)
        }
        PageReq::ZScan(mut s) => {
            s.count = s.count.max(n);
            PageReq::ZScan(s)
        }
        PageReq::ListRange { start, count } => PageReq::ListRange {
            start,
            count: count.max(n),
        },
        PageReq::Stream { after, count, rev } => PageReq::Stream {
            after,
            count: count.max(n),
            rev,
        },
        other => other,
    }
}

fn scan_count(req: &PageReq) -> u64 {
    match req {
        PageReq::HashScan(s) | PageReq::SetScan(s) | PageReq::ZScan(s) => s.count as u64,
        _ => 0,
    }
}

/// The parts of row `i` a search looks at: a hash's field name (the server
/// filters on it) and value, a member, an element, a stream entry's id,
/// fields and values.
pub(super) fn parts(rows: &Rows, i: usize) -> Vec<&[u8]> {
    match rows {
        Rows::Fields(r) => r
            .get(i)
            .map(|(f, v)| vec![f.as_slice(), v.as_slice()])
            .unwrap_or_default(),
        Rows::Scored { rows, .. } => rows
            .get(i)
            .map(|(m, _)| vec![m.as_slice()])
            .unwrap_or_default(),
        Rows::Items { items, .. } | Rows::Members(items) => {
            items.get(i).map(|v| vec![v.as_slice()]).unwrap_or_default()
        }
        Rows::Entries(e) => e
            .get(i)
            .map(|e| {
                let mut v = vec![e.id.as_slice()];
                for (f, x) in &e.fields {
                    v.push(f);
                    v.push(x);
                }
                v
            })
            .unwrap_or_default(),
        Rows::Chunk { .. } | Rows::Json(_) | Rows::Unavailable(_) => Vec::new(),
    }
}

/// Whether `text` holds `needle` (smart case), or matches it whole when it
/// is a glob.
pub(super) fn hit(text: &[u8], needle: &[u8]) -> bool {
    if search::is_glob(needle) {
        search::glob_match(needle, text)
    } else {
        !search::find(text, needle).is_empty()
    }
}

impl Session {
    /// Sends the next step of the walk under way, if there is one and
    /// nothing else is in flight.
    pub fn step(&mut self, id: Id) -> Option<Fetch> {
        if self.waiting.is_some() {
            return None;
        }
        let req = self.seek.as_ref()?.req.clone();
        self.waiting = Some((id, Wait::Seek));
        Some(self.page(id, req))
    }

    /// The walk under way, if any.
    pub fn seek(&self) -> Option<&Seek> {
        self.seek.as_ref()
    }

    /// Starts a walk from `req` and sends its first step.
    pub(super) fn start_seek(
        &mut self,
        goal: Goal,
        req: PageReq,
        replace: bool,
        id: Id,
    ) -> Option<Fetch> {
        self.waiting = None;
        if self.hold(goal, &req, replace) {
            self.seek = None;
            return None;
        }
        self.seek = Some(Seek {
            goal,
            requests: 0,
            read: 0,
            examined: 0,
            req: widened(req, WALK_ROWS),
            replace,
        });
        self.step(id)
    }

    /// Applies one step's page and decides whether the walk goes on.
    pub(super) fn on_seek_page(&mut self, page: Page) {
        let Some(mut seek) = self.seek.take() else {
            return;
        };
        seek.requests += 1;
        seek.read += page.rows.len() as u64;
        seek.examined += scan_count(&seek.req);
        match seek.goal {
            Goal::End | Goal::Rows(_) => {
                if seek.replace {
                    self.rows = Some(page.rows);
                    self.base = 0;
                    seek.replace = false;
                } else {
                    self.append(page.rows);
                }
                self.next = page.next;
                let reached = match seek.goal {
                    Goal::Rows(want) => self.len() >= want,
                    _ => false,
                };
                match (&self.next, reached) {
                    (Some(next), false) => {
                        seek.req = next.clone();
                        self.seek = Some(seek);
                    }
                    _ => self.finish(&seek, reached),
                }
            }
            Goal::Find { back } => self.find_step(seek, page, back),
        }
    }

    /// The walk is over: select where it led and say what it cost.
    fn finish(&mut self, seek: &Seek, reached: bool) {
        let last = self.len().saturating_sub(1);
        let what = seek.progress(self);
        match seek.goal {
            Goal::End => {
                self.selected = last;
                self.say(format!("at the end: {what}"), false);
            }
            Goal::Rows(want) if reached => {
                self.selected = self.selected.max(want.saturating_sub(1)).min(last);
                if want == 1 {
                    self.say(format!("found: {what}"), false);
                }
            }
            Goal::Rows(1) => {
                let needle = self.needle.as_deref().map(super::super::escape::line);
                self.say(
                    format!(
                        "no {} match {}: the whole scan was read ({what})",
                        unit(self.kind.as_ref()),
                        needle.unwrap_or_default()
                    ),
                    false,
                );
            }
            Goal::Rows(_) => self.say(format!("no more matches: {what}"), false),
            Goal::Find { .. } => {}
        }
    }

    /// One page of a text search through a list or stream.
    fn find_step(&mut self, mut seek: Seek, page: Page, back: bool) {
        let needle = self.needle.clone().unwrap_or_default();
        let rows = &page.rows;
        let matches = |i: &usize| parts(rows, *i).iter().any(|p| hit(p, &needle));
        let found = if back {
            (0..rows.len()).rev().find(matches)
        } else {
            (0..rows.len()).find(matches)
        };
        if let Some(i) = found {
            let what = seek.progress(self);
            if let Rows::Entries(_) = rows {
                // Entries carry no position: count the rows walked past.
                self.base = self.window_start() + self.len() as u64 + seek.read - rows.len() as u64;
            }
            self.rows = Some(page.rows);
            self.next = page.next;
            self.render();
            self.selected = i;
            self.say(format!("found: {what}"), false);
            return;
        }
        let next = if back {
            match &page.rows {
                Rows::Items { start, .. } if *start > 0 => {
                    let k = WALK_ROWS.min(*start as usize);
                    Some(PageReq::ListRange {
                        start: start - k as u64,
                        count: k,
                    })
                }
                _ => None,
            }
        } else {
            page.next
        };
        match next {
            Some(req) => {
                seek.req = req;
                self.seek = Some(seek);
            }
            None => {
                let what = seek.progress(self);
                let side = if back { "above" } else { "below" };
                self.say(format!("no match {side}: {what}"), false);
            }
        }
    }

    /// Searches for `needle`: a server-side filter for hashes, sets and
    /// sorted sets; the next matching row for lists and streams, read page
    /// by page; the next matching line of a string or document.
    pub fn search(&mut self, needle: &[u8], id: Id) -> Option<Fetch> {
        if needle.is_empty() {
            return self.clear_search(id);
        }
        self.needle = Some(needle.to_vec());
        self.seek = None;
        if self.kind.as_ref().is_some_and(Kind::has_server_match) {
            self.order.pattern = Some(search::pattern(needle));
            return self.restart(id);
        }
        self.find(false, true, id)
    }

    /// `n` / `N`: the next or previous match.
    pub fn find_next(&mut self, back: bool, id: Id) -> Option<Fetch> {
        if self.needle.is_none() {
            self.say("no search yet: / starts one", false);
            return None;
        }
        if !self.filtered() {
            return self.find(back, false, id);
        }
        // Every row of a filtered scan is a match.
        let last = self.len().saturating_sub(1);
        match back {
            false if self.selected < last => self.selected += 1,
            false => match self.next.clone() {
                Some(next) if self.waiting.is_none() => {
                    let want = self.len() + 1;
                    return self.start_seek(Goal::Rows(want), next, false, id);
                }
                Some(_) => self.say("still searching (Esc stops)", false),
                None => self.say(
                    format!(
                        "no more matches: {} in all",
                        human::count(self.len() as u64)
                    ),
                    false,
                ),
            },
            true if self.selected > 0 => self.selected -= 1,
            true => self.say("this is the first match", false),
        }
        None
    }

    /// The next (or previous) matching row from the selection (itself
    /// included when `inclusive`), walking beyond the window if needed.
    fn find(&mut self, back: bool, inclusive: bool, id: Id) -> Option<Fetch> {
        let from = self.selected;
        let len = self.len();
        let found = if back {
            (0..from).rev().find(|&i| self.is_match(i))
        } else {
            let start = if inclusive { from } else { from + 1 };
            (start..len).find(|&i| self.is_match(i))
        };
        if let Some(i) = found {
            self.selected = i;
            return None;
        }
        if self.rendered.is_some() {
            self.say_no_text_match(back);
            return None;
        }
        let req = if back {
            self.prev_req()
        } else {
            self.next.clone()
        };
        match req {
            Some(req) if matches!(self.kind, Some(Kind::List) | Some(Kind::Stream)) => {
                // A stream cannot be walked backwards by the same requests.
                if back && matches!(self.kind, Some(Kind::Stream)) {
                    self.say(
                        "no match above in the loaded entries (N reads loaded entries only)",
                        false,
                    );
                    return None;
                }
                self.start_seek(Goal::Find { back }, req, false, id)
            }
            _ => {
                let side = if back { "above" } else { "below" };
                self.say(
                    format!(
                        "no match {side}: every row of the {} was read",
                        self.kind.as_ref().map_or("value", Kind::name)
                    ),
                    false,
                );
                None
            }
        }
    }

    fn say_no_text_match(&mut self, back: bool) {
        let side = if back { "above" } else { "below" };
        let total = self.header.as_ref().and_then(|h| h.len);
        let text = match (&self.rows, total) {
            (Some(Rows::Chunk { bytes, .. }), Some(t)) if (bytes.len() as u64) < t => format!(
                "no match {side} in the loaded {} of {} (the search reads loaded text; G loads the end, o saves all of it)",
                human::bytes(bytes.len() as u64),
                human::bytes(t)
            ),
            _ => format!("no match {side}"),
        };
        self.say(text, false);
    }

    /// Whether row `i` (or line `i` of a text body) matches the search.
    pub(super) fn is_match(&self, i: usize) -> bool {
        let Some(needle) = self.needle.as_deref() else {
            return false;
        };
        if self.rendered.is_some() {
            return self.line(i).is_some_and(|l| hit(l.as_bytes(), needle));
        }
        if self.filtered() {
            return true;
        }
        self.rows
            .as_ref()
            .is_some_and(|rows| parts(rows, i).iter().any(|p| hit(p, needle)))
    }

    /// Drops the search; a server-side filter is lifted by reloading.
    pub fn clear_search(&mut self, id: Id) -> Option<Fetch> {
        self.needle = None;
        if matches!(self.seek.as_ref().map(|s| s.goal), Some(Goal::Find { .. })) {
            self.seek = None;
            self.waiting = None;
        }
        if self.order.pattern.take().is_some() {
            return self.restart(id);
        }
        None
    }

    /// What kind of search `/` starts on this key, for the search box.
    pub fn search_kind(&self) -> &'static str {
        match self.kind {
            Some(Kind::Hash) => "glob on field names, filtered by the server (HSCAN MATCH)",
            Some(Kind::Set) => "glob on members, filtered by the server (SSCAN MATCH)",
            Some(Kind::ZSet) => "glob on members, filtered by the server (ZSCAN MATCH)",
            Some(Kind::List) => "text or glob in elements, read page by page",
            Some(Kind::Stream) => "text or glob in entries, read page by page",
            _ => "text in the loaded value",
        }
    }
}
