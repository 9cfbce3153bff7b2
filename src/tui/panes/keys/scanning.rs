//! The Keys pane's scan: starting, paging, continuing and stopping it, and
//! the filters that restart it.

use super::State;
use super::store::Store;
use super::tree::Tree;
use crate::scan::{self, Query, Scan, Status};
use crate::tui::msg::{Effect, ReqId};
use crate::tui::theme::Kind;
use crate::upstash::{Error, Reply};

impl State {
    /// Forgets the loaded keys and starts a new scan with the current filters.
    pub fn rescan(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        self.store = Store::default();
        self.tree = Tree::new(&self.delimiter);
        self.details.clear();
        self.detail_req = None;
        self.gone.clear();
        self.selected = 0;
        self.offset = 0;
        self.full = false;
        self.error = None;
        let query = Query {
            pattern: self.pattern.clone(),
            kind: self.kind_filter().map(str::to_owned),
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

    /// Takes a scan page; replies to a superseded scan are dropped.
    pub fn on_scanned(
        &mut self,
        req: ReqId,
        request: &scan::Request,
        result: Result<Vec<Reply>, Error>,
        next_id: &mut dyn FnMut() -> ReqId,
    ) -> Vec<Effect> {
        if self.scan_req != Some(req) {
            return Vec::new();
        }
        self.scan_req = None;
        let Some(scan) = self.scan.as_mut() else {
            return Vec::new();
        };
        match scan.apply(request, result) {
            Ok(found) => {
                self.server_types = scan.server_types();
                for f in found {
                    let kind = f.kind.as_deref().map_or(Kind::Unknown, Kind::parse);
                    self.insert(&f.key, kind);
                }
                let mut effects: Vec<Effect> = self.next_page(next_id).into_iter().collect();
                effects.push(Effect::DebounceRows);
                effects
            }
            // Upstash refuses SCAN and KEYS to read-only tokens; a key
            // named in full is still looked up directly.
            Err(Error::NoPermission(_)) => {
                self.error = Some(
                    "this token may not list keys (read-only tokens cannot SCAN): \
                     / and a full key name opens it"
                        .into(),
                );
                Vec::new()
            }
            Err(e) => {
                self.error = Some(format!("scan failed: {e}"));
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
        self.pattern = (!pattern.is_empty() && pattern != "*").then(|| pattern.as_bytes().to_vec());
        self.rescan(next_id)
    }

    /// Moves to the next type filter and rescans.
    pub fn cycle_kind(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        self.kind_filter = (self.kind_filter + 1) % Kind::FILTERS.len();
        self.rescan(next_id)
    }

    /// Continues a paused scan by one more budget window.
    pub fn continue_scan(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        match self.scan.as_mut() {
            Some(scan) if scan.status() == Status::Paused && self.scan_req.is_none() => {
                scan.extend();
                self.next_page(next_id).into_iter().collect()
            }
            _ => Vec::new(),
        }
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

    /// Stops a running scan; a reply still in flight is dropped. Returns
    /// whether there was one to stop.
    pub fn stop(&mut self) -> bool {
        let running = self.scan_req.take().is_some();
        if let Some(scan) = self.scan.as_mut() {
            scan.pause();
        }
        self.full = false;
        running
    }
}
