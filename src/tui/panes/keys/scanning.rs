//! The Keys pane's scan: starting, paging, continuing and stopping it, and
//! the filters that restart it.

use std::time::Duration;

use super::State;
use crate::scan::{self, Query, Scan, Status};
use crate::tui::msg::{Effect, ReqId};
use crate::upstash::{Error, Reply};
use crate::value::Kind;

impl State {
    /// Scans again with the same filters; the list shown stays until the
    /// new scan's first page replaces it.
    pub fn rescan(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        self.start(true, next_id)
    }

    /// Starts a scan with the current filters: over the list shown
    /// (`keep`), or from an empty one.
    fn start(&mut self, keep: bool, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        if keep && !self.store.is_empty() {
            self.refresh.swap = true;
        } else {
            self.clear_list();
        }
        self.full = false;
        self.error = None;
        self.refresh.recover = false;
        self.refresh.untouched = true;
        self.refresh.narrow = self.pattern.is_some() || self.kind_filter().is_some();
        let query = Query {
            pattern: self.pattern.clone(),
            kind: self.kind_filter.clone(),
            count: None,
        };
        let mut scan = Scan::new(query, self.budget);
        if self.server_types == Some(false) {
            scan = scan.without_types();
        }
        self.scan = Some(scan);
        let count = next_id();
        self.count_req = Some(count);
        let mut effects = vec![Effect::Count { req: count }];
        effects.extend(self.next_page(next_id));
        effects
    }

    fn next_page(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Option<Effect> {
        let request = self.scan.as_ref()?.next_request();
        match request {
            Some(request) => {
                let req = next_id();
                self.scan_req = Some(req);
                Some(Effect::Scan { req, request })
            }
            None => {
                self.scan_req = None;
                None
            }
        }
    }

    /// Takes a scan page and the time it took; replies to a superseded
    /// scan are dropped.
    pub fn on_scanned(
        &mut self,
        req: ReqId,
        request: &scan::Request,
        result: Result<Vec<Reply>, Error>,
        elapsed: Duration,
        next_id: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        if self.scan_req != Some(req) {
            return Vec::new();
        }
        self.scan_req = None;
        let Some(scan) = self.scan.as_mut() else {
            return Vec::new();
        };
        match scan.apply(request, result, elapsed) {
            Ok(found) => {
                self.server_types = scan.server_types();
                if self.refresh.swap {
                    self.swap_in();
                }
                self.error = None;
                self.refresh.may_retry = true;
                for f in found {
                    self.insert(&f.key, f.kind);
                }
                self.after_page();
                let mut effects: Vec<Effect> = self.next_page(next_id).into_iter().collect();
                if effects.is_empty() {
                    self.narrowed();
                }
                effects.push(Effect::DebounceRows);
                effects
            }
            // Upstash refuses SCAN and KEYS to read-only tokens; a key
            // named in full is still looked up directly.
            Err(Error::NoPermission(_)) => {
                self.scan = None;
                self.error = Some(
                    "this token may not list keys (read-only tokens cannot SCAN): \
                     / and a full key name opens it"
                        .into(),
                );
                Vec::new()
            }
            Err(e) => {
                self.on_failed(&e);
                Vec::new()
            }
        }
    }

    /// Takes the `DBSIZE` reply.
    pub fn on_counted(&mut self, req: ReqId, result: Result<i64, Error>) {
        if self.count_req == Some(req) {
            self.count_req = None;
            self.dbsize = result.ok();
        }
    }

    /// Sets the MATCH pattern (empty: everything) and rescans.
    pub fn set_pattern(
        &mut self,
        pattern: &str,
        next_id: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        self.set_pattern_bytes(pattern.as_bytes(), next_id)
    }

    /// Lists only the keys matching `pattern`, a glob of bytes, from the start.
    pub fn set_pattern_bytes(
        &mut self,
        pattern: &[u8],
        next_id: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        self.pattern = (!pattern.is_empty() && pattern != b"*").then(|| pattern.to_vec());
        self.start(false, next_id)
    }

    /// Moves to the next type filter and rescans.
    pub fn cycle_kind(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        self.kind_filter = Kind::next_filter(self.kind_filter.as_ref());
        self.start(false, next_id)
    }

    /// Continues a paused scan by one more budget window, or a failed one
    /// from the page that failed.
    pub fn continue_scan(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        match self.scan.as_mut() {
            Some(scan) if scan.status() == Status::Paused && self.scan_req.is_none() => {
                scan.extend();
                self.error = None;
                self.next_page(next_id).into_iter().collect()
            }
            Some(_) if self.error.is_some() => self.resume(next_id),
            _ => Vec::new(),
        }
    }

    /// Sends again the page that failed (and `DBSIZE`, if it is unknown).
    pub(super) fn resume(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        if self.scan_req.is_some() {
            return Vec::new();
        }
        self.error = None;
        self.refresh.recover = false;
        let mut effects = Vec::new();
        if self.dbsize.is_none() {
            let count = next_id();
            self.count_req = Some(count);
            effects.push(Effect::Count { req: count });
        }
        effects.extend(self.next_page(next_id));
        effects
    }

    /// Scans to the end without a budget until stopped.
    pub fn full_scan(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        let Some(scan) = self.scan.as_mut() else {
            return Vec::new();
        };
        if scan.status() == Status::Done {
            return Vec::new();
        }
        scan.unlimited();
        self.full = true;
        if self.scan_req.is_some() {
            return Vec::new();
        }
        self.next_page(next_id).into_iter().collect()
    }

    /// Why `c` (or `L`, `full`) left the scan as it was, if it says nothing
    /// by itself: a full scan that starts shows in the header.
    pub fn why_not_more(&self, full: bool) -> Option<&'static str> {
        match self.scan.as_ref().map(Scan::status) {
            None => Some("no scan to continue: r scans"),
            Some(Status::Done) => Some("the scan is complete: every matching key is listed"),
            Some(_) if self.scanning() && !full => Some("the scan is running (Esc stops it)"),
            Some(_) => None,
        }
    }

    /// Stops a running scan; a reply still in flight is dropped. Returns
    /// whether there was one to stop.
    pub fn stop(&mut self) -> bool {
        let running = self.scan_req.take().is_some();
        if let Some(scan) = self.scan.as_mut() {
            scan.pause();
        }
        self.full = false;
        // Stopped before its first page: the list shown is the last one.
        self.refresh.stale |= running && self.refresh.swap;
        running
    }
}
