//! The Keys pane: the scan that fills it, the key store, the tree and the
//! selection. Views live in `view.rs`; this file only changes state.

mod component;
mod edits;
pub mod glob;
mod natural;
mod refresh;
mod scanning;
pub mod store;
pub mod tree;
pub mod view;

use std::collections::HashMap;
use std::time::Duration;

use store::{KeyId, Store};
use tree::{Row, Tree};

use crate::scan::{Budget, Scan};
use crate::tui::msg::{Effect, ReqId};
use crate::tui::theme::Kind;
use crate::upstash::{Error, Reply};

/// Tree by delimiter, or every key in arrival order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Tree,
    Flat,
}

/// Details fetched for a visible key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// Milliseconds to live; -1 when the key has no expiry, -2 when it is gone.
    pub ttl_ms: i64,
}

/// The Keys pane's state.
#[derive(Debug)]
pub struct State {
    store: Store,
    tree: Tree,
    delimiter: Vec<u8>,
    layout: Layout,
    selected: usize,
    offset: usize,
    height: usize,
    pattern: Option<Vec<u8>>,
    kind_filter: usize,
    budget: Budget,
    scan: Option<Scan>,
    scan_req: Option<ReqId>,
    full: bool,
    server_types: Option<bool>,
    dbsize: Option<i64>,
    count_req: Option<ReqId>,
    details: HashMap<KeyId, Detail>,
    detail_req: Option<(ReqId, Vec<KeyId>)>,
    error: Option<String>,
    /// Why the types and TTLs of the visible rows could not be read, until they can.
    detail_error: Option<String>,
    /// The client's request timeout, named when a scan gives up waiting.
    timeout: Option<Duration>,
    refresh: refresh::Refresh,
    /// Keys deleted from the TUI since the scan, sorted: the flat list skips them.
    gone: Vec<KeyId>,
}

impl State {
    /// An empty pane splitting keys on `delimiter`, scanning with `budget`.
    pub fn new(delimiter: &[u8], budget: Budget) -> State {
        State {
            store: Store::default(),
            tree: Tree::new(delimiter),
            delimiter: delimiter.to_vec(),
            layout: if delimiter.is_empty() {
                Layout::Flat
            } else {
                Layout::Tree
            },
            selected: 0,
            offset: 0,
            height: 10,
            pattern: None,
            kind_filter: 0,
            budget,
            scan: None,
            scan_req: None,
            full: false,
            server_types: None,
            dbsize: None,
            count_req: None,
            details: HashMap::new(),
            detail_req: None,
            error: None,
            detail_error: None,
            timeout: None,
            refresh: refresh::Refresh::default(),
            gone: Vec::new(),
        }
    }

    /// Names the client's request timeout in the message of a scan that
    /// gave up waiting.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Adds one key (already known to be new) to the store and the tree.
    pub fn insert(&mut self, key: &[u8], kind: Kind) {
        let id = self.store.push(key, kind);
        self.tree.insert(id, key);
    }

    /// The effect that fetches TYPE and TTL for visible keys that lack them.
    pub fn fetch_details(&mut self, next_id: &mut dyn FnMut() -> ReqId) -> Option<Effect> {
        let ids: Vec<KeyId> = self
            .visible()
            .filter_map(|row| match row {
                Row::Key { id, .. } if !self.details.contains_key(&id) => Some(id),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return None;
        }
        let req = next_id();
        let keys = ids.iter().map(|&id| self.store.key(id).to_vec()).collect();
        self.detail_req = Some((req, ids));
        Some(Effect::Detail { req, keys })
    }

    /// Forgets `key`'s TYPE and TTL so the next detail fetch reads them
    /// again (after a write changed the key).
    pub fn forget_detail(&mut self, key: &[u8]) {
        let ids: Vec<KeyId> = self
            .visible()
            .filter_map(|row| match row {
                Row::Key { id, .. } if self.store.key(id) == key => Some(id),
                _ => None,
            })
            .collect();
        for id in ids {
            self.details.remove(&id);
        }
    }

    /// Takes TYPE and PTTL replies (two per key) for the visible keys.
    pub fn on_detailed(&mut self, req: ReqId, result: Result<Vec<Reply>, Error>) {
        let Some((_, ids)) = self.detail_req.take_if(|(r, _)| *r == req) else {
            return;
        };
        let replies = match result {
            Ok(r) => r,
            Err(e) => {
                self.detail_error = Some(format!("types and TTLs not read: {}", self.reason(&e)));
                return;
            }
        };
        self.detail_error = None;
        for (id, pair) in ids.into_iter().zip(replies.chunks(2)) {
            if let Some(kind) = pair.first().and_then(Reply::as_str) {
                self.store.set_kind(id, Kind::parse(kind));
            }
            let ttl_ms = pair.get(1).and_then(Reply::as_int).unwrap_or(-1);
            self.details.insert(id, Detail { ttl_ms });
        }
    }

    /// Moves the selection by `delta` rows, keeping it in view.
    pub fn move_by(&mut self, delta: isize) {
        self.refresh.untouched = false;
        let len = self.len();
        if len == 0 {
            self.selected = 0;
            return;
        }
        self.place(self.selected.saturating_add_signed(delta).min(len - 1));
    }

    /// Selects row `index` (clamped), scrolling as needed: the user's choice,
    /// which a scan still filling the list no longer moves.
    pub fn select(&mut self, index: usize) {
        self.refresh.untouched = false;
        self.place(index);
    }

    /// Puts the selection on row `index` (clamped), scrolling as needed.
    fn place(&mut self, index: usize) {
        let window = self.window();
        self.selected = index.min(self.len().saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + window {
            self.offset = self.selected + 1 - window;
        }
    }

    /// Scrolls the window by `delta` rows, dragging the selection along.
    pub fn scroll(&mut self, delta: isize) {
        self.refresh.untouched = false;
        let window = self.window();
        let max = self.len().saturating_sub(window);
        self.offset = self.offset.saturating_add_signed(delta).min(max);
        let last = self.offset + window.saturating_sub(1);
        self.selected = self.selected.clamp(self.offset, last.max(self.offset));
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    /// Sets how many rows the pane has below its header (from the layout).
    pub fn set_height(&mut self, height: usize) {
        self.height = height.max(1);
        self.place(self.selected);
    }

    /// Rows the list shows: the pane's rows less the line a failure takes.
    pub fn window(&self) -> usize {
        let notice = usize::from(self.problem().is_some());
        self.height.saturating_sub(notice).max(1)
    }

    /// Opens, closes or toggles the selected folder; on a key, `h` goes to its folder.
    pub fn fold(&mut self, open: Option<bool>) {
        self.refresh.untouched = false;
        match self.row(self.selected) {
            Some(Row::Folder { id, .. }) => {
                let want = open.unwrap_or(!self.tree.is_open(id));
                if !want && !self.tree.is_open(id) {
                    self.select_parent_folder(id);
                    return;
                }
                self.tree.set_open(id, want);
            }
            Some(Row::Key { .. }) if open == Some(false) && self.layout == Layout::Tree => {
                self.select_folder_of_key();
            }
            _ => {}
        }
        self.place(self.selected);
    }

    fn select_parent_folder(&mut self, id: tree::FolderId) {
        let parent = self.tree.parent(id);
        if let Some(i) = self.tree.index_of_folder(parent) {
            self.place(i);
        }
    }

    fn select_folder_of_key(&mut self) {
        if let Some(key) = self.selected_key() {
            let folder = self.tree.folder_of(key);
            if let Some(i) = self.tree.index_of_folder(folder) {
                self.place(i);
            }
        }
    }

    /// The key on the selected row, if the row is a key.
    pub fn selected_key(&self) -> Option<&[u8]> {
        match self.row(self.selected)? {
            Row::Key { id, .. } => Some(self.store.key(id)),
            Row::Folder { .. } => None,
        }
    }

    /// The type of the key on the selected row, as far as it is known.
    pub fn selected_kind(&self) -> Option<Kind> {
        match self.row(self.selected)? {
            Row::Key { id, .. } => Some(self.store.kind(id)),
            Row::Folder { .. } => None,
        }
    }

    /// Switches between tree and flat lists.
    pub fn toggle_layout(&mut self) {
        self.layout = match self.layout {
            Layout::Tree if !self.delimiter.is_empty() => Layout::Flat,
            _ if self.delimiter.is_empty() => Layout::Flat,
            _ => Layout::Tree,
        };
        self.selected = 0;
        self.offset = 0;
        self.refresh.untouched = false;
    }

    /// Rows shown (tree rows or keys).
    pub fn len(&self) -> usize {
        match self.layout {
            Layout::Tree => self.tree.len(),
            Layout::Flat => self.store.len() - self.gone.len(),
        }
    }

    /// Whether the pane has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn row(&self, index: usize) -> Option<Row> {
        match self.layout {
            Layout::Tree => self.tree.row(index),
            Layout::Flat => (index < self.len()).then(|| Row::Key {
                id: self.flat_id(index),
                depth: 0,
            }),
        }
    }

    /// The rows in the window, in order (touches only those rows).
    pub fn visible(&self) -> Box<dyn Iterator<Item = Row> + '_> {
        match self.layout {
            Layout::Tree => Box::new(self.tree.rows_from(self.offset).take(self.window())),
            Layout::Flat => {
                let end = (self.offset + self.window()).min(self.len());
                Box::new((self.offset..end).map(|i| Row::Key {
                    id: self.flat_id(i),
                    depth: 0,
                }))
            }
        }
    }

    /// The selected row index.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row in the window.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The current layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The type filter, `None` for all types.
    pub fn kind_filter(&self) -> Option<&'static str> {
        Kind::FILTERS[self.kind_filter]
    }

    /// The MATCH pattern, if any.
    pub fn pattern(&self) -> Option<&[u8]> {
        self.pattern.as_deref()
    }

    /// Whether a scan request is in flight.
    pub fn scanning(&self) -> bool {
        self.scan_req.is_some()
    }

    /// The running scan, for progress.
    pub fn scan(&self) -> Option<&Scan> {
        self.scan.as_ref()
    }

    /// Whether the scan in flight is to replace the list shown.
    pub fn refreshing(&self) -> bool {
        self.refresh.swap
    }

    /// Whether a full scan (`L`) is running.
    pub fn full(&self) -> bool {
        self.full
    }

    /// `DBSIZE`, once known.
    pub fn dbsize(&self) -> Option<i64> {
        self.dbsize
    }

    /// Why the last scan stopped, if it failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The line the pane shows above the list: a failed scan, else rows
    /// whose details could not be read.
    pub fn problem(&self) -> Option<&str> {
        self.error.as_deref().or(self.detail_error.as_deref())
    }

    /// Whether the list shown is the last one, older than a rescan that
    /// failed or was stopped before it could replace it.
    pub fn stale(&self) -> bool {
        self.refresh.stale
    }

    /// The key store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The folder tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Details of a key, once fetched.
    pub fn detail(&self, id: KeyId) -> Option<Detail> {
        self.details.get(&id).copied()
    }
}
