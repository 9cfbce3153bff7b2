//! Keeping the list through rescans and outages: a rescan shows the last
//! list until the first page of the new one arrives (marked stale if that
//! never happens), the new list reopens the folders that were open and
//! selects the same row again, a filter that leaves few keys opens the way
//! to them, and a scan that failed because the server was away goes on by
//! itself once the server answers again.

use super::store::Store;
use super::tree::{Row, Tree};
use super::{Layout, State};
use crate::tui::msg::{Effect, ReqId};
use crate::upstash::Error;

/// How the list is kept and brought back; see the module's text.
#[derive(Debug)]
pub(super) struct Refresh {
    /// The list shown is older than a rescan that failed or was stopped
    /// before its first page.
    pub stale: bool,
    /// The next page that arrives replaces the list shown.
    pub swap: bool,
    /// Folders to reopen and the row to select again as the new list fills.
    pub restore: Option<Restore>,
    /// A filter is set: while it leaves few keys, their folders open.
    pub narrow: bool,
    /// The user has not moved since the scan started, so the scan may
    /// still place the selection.
    pub untouched: bool,
    /// The scan stopped on a failure that the server coming back cures.
    pub recover: bool,
    /// Whether the scan may go on by itself when the server answers again:
    /// once per outage, so a scan that keeps failing is not retried forever.
    pub may_retry: bool,
}

impl Default for Refresh {
    fn default() -> Self {
        Refresh {
            stale: false,
            swap: false,
            restore: None,
            narrow: false,
            untouched: true,
            recover: false,
            may_retry: true,
        }
    }
}

/// What the list looked like before a rescan replaced it.
#[derive(Debug)]
pub(super) struct Restore {
    /// Paths of the folders that were open and have not come back yet.
    open: Vec<Vec<u8>>,
    selected: Option<Selected>,
}

/// The selected row, by name, so it can be found in the new list.
#[derive(Debug)]
enum Selected {
    Key(Vec<u8>),
    Folder(Vec<u8>),
}

impl State {
    /// Starts over with an empty list.
    pub(super) fn clear_list(&mut self) {
        self.store = Store::default();
        self.tree = Tree::new(&self.delimiter);
        self.details.clear();
        self.detail_req = None;
        self.gone.clear();
        self.selected = 0;
        self.offset = 0;
        self.refresh.stale = false;
        self.refresh.swap = false;
        self.refresh.restore = None;
    }

    /// Replaces the list shown by the new scan's, remembering what was
    /// open and selected.
    pub(super) fn swap_in(&mut self) {
        let selected = match self.row(self.selected) {
            Some(Row::Key { id, .. }) => Some(Selected::Key(self.store.key(id).to_vec())),
            Some(Row::Folder { .. }) => self.selected_folder().map(Selected::Folder),
            None => None,
        };
        let open = self.tree.open_paths();
        self.clear_list();
        self.refresh.restore = Some(Restore { open, selected });
        // The row selected when the list was replaced is the user's choice,
        // to be selected again as the new list fills.
        self.refresh.untouched = true;
    }

    /// After a page: reopens the folders that were open and selects the
    /// row that was selected.
    pub(super) fn after_page(&mut self) {
        if let Some(mut restore) = self.refresh.restore.take() {
            restore.open.retain(|path| match self.tree.folder_at(path) {
                Some(f) => {
                    self.tree.set_open(f, true);
                    false
                }
                None => true,
            });
            // Not through a full scan: finding a row among a million
            // siblings on every page would cost more than the scan.
            if self.refresh.untouched
                && !self.full
                && let Some(index) = restore.selected.as_ref().and_then(|s| self.index_of(s))
            {
                self.place(index);
            }
            self.refresh.restore = Some(restore);
        }
        self.place(self.selected);
    }

    /// Once a filtered scan stops (done or paused) with few keys: opens the
    /// way to them and selects the first, unless the user chose a row.
    pub(super) fn narrowed(&mut self) {
        if self.refresh.narrow && self.key_count() <= self.window() {
            self.open_all();
            if self.refresh.untouched && self.refresh.restore.is_none() {
                self.select_first_key();
            }
            self.place(self.selected);
        }
    }

    fn index_of(&self, selected: &Selected) -> Option<usize> {
        match selected {
            Selected::Key(key) => self.index_of_key(self.find(key)?, key),
            Selected::Folder(path) => self.tree.index_of_folder(self.tree.folder_at(path)?),
        }
    }

    /// Opens the folders above every listed key (there are few).
    fn open_all(&mut self) {
        if self.layout != Layout::Tree {
            return;
        }
        let keys: Vec<Vec<u8>> = (0..self.store.len() as super::KeyId)
            .filter(|id| self.gone.binary_search(id).is_err())
            .map(|id| self.store.key(id).to_vec())
            .collect();
        for key in keys {
            self.open_path(&key);
        }
    }

    fn select_first_key(&mut self) {
        let first = match self.layout {
            Layout::Flat => Some(0),
            Layout::Tree => self
                .tree
                .rows_from(0)
                .position(|r| matches!(r, Row::Key { .. })),
        };
        if let Some(index) = first {
            self.place(index);
        }
    }

    /// Takes a failed page: the list stays as it is (the last one, marked
    /// stale, when no page of the new scan came), and a failure of the
    /// network or the server is retried once it answers again.
    pub(super) fn on_failed(&mut self, e: &Error) {
        self.error = Some(format!("scan failed: {}", self.reason(e)));
        self.refresh.stale = self.refresh.swap;
        self.refresh.recover = e.is_retryable();
    }

    /// A failure in words, with the request timeout named when it ran out.
    pub(super) fn reason(&self, e: &Error) -> String {
        match (e, self.timeout) {
            (Error::Timeout, Some(t)) => format!(
                "no reply within {} (--timeout)",
                humantime::format_duration(t)
            ),
            _ => e.to_string(),
        }
    }

    /// Takes whether the Monitor's probe was answered: when the server
    /// answers again after a scan failed for want of it, the scan goes on
    /// from where it stopped, and the rows' details are read again.
    pub fn on_health(&mut self, up: bool, next_id: &mut dyn FnMut() -> ReqId) -> Vec<Effect> {
        if !up {
            self.refresh.may_retry = true;
            return Vec::new();
        }
        let mut effects = Vec::new();
        if self.detail_error.take().is_some() {
            self.details.clear();
            effects.push(Effect::DebounceRows);
        }
        if self.refresh.recover && self.refresh.may_retry && !self.scanning() {
            self.refresh.recover = false;
            self.refresh.may_retry = false;
            tracing::info!("the server answers again: the failed scan goes on");
            effects.extend(self.resume(next_id));
        }
        effects
    }
}
