//! Keeping the list true after the TUI itself writes: a created or restored
//! key appears (when the filters would list it), a deleted one disappears,
//! a renamed one moves and a new TTL shows, all without a rescan.

use super::store::KeyId;
use super::{Detail, State, glob};
use crate::tui::theme::Kind;

impl State {
    /// Lists a key the TUI wrote, if the MATCH pattern and the type filter
    /// would list it and it is not listed yet; returns whether it was added.
    pub fn add_key(&mut self, key: &[u8], kind: Kind, ttl_ms: Option<i64>) -> bool {
        if self.find(key).is_some() || !self.would_list(key, kind) {
            return false;
        }
        if let Some(scan) = self.scan.as_mut() {
            scan.remember(key);
        }
        let id = self.store.push(key, kind);
        self.tree.insert(id, key);
        if let Some(ttl_ms) = ttl_ms {
            self.details.insert(id, Detail { ttl_ms });
        }
        self.dbsize = self.dbsize.map(|n| n + 1);
        self.select(self.selected);
        true
    }

    /// Takes a deleted key out of the list; returns whether it was listed.
    pub fn remove_key(&mut self, key: &[u8]) -> bool {
        let Some(id) = self.find(key) else {
            return false;
        };
        self.tree.remove(id, key);
        if let Err(pos) = self.gone.binary_search(&id) {
            self.gone.insert(pos, id);
        }
        self.details.remove(&id);
        self.dbsize = self.dbsize.map(|n| (n - 1).max(0));
        self.select(self.selected);
        true
    }

    /// Shows a new TTL (milliseconds, -1 for none) on a listed key.
    pub fn set_key_ttl(&mut self, key: &[u8], ttl_ms: i64) {
        if let Some(id) = self.find(key) {
            self.details.insert(id, Detail { ttl_ms });
        }
    }

    /// Keys listed now.
    pub fn key_count(&self) -> usize {
        self.store.len() - self.gone.len()
    }

    /// Whether `key` is listed (a deleted key is not).
    pub fn is_listed(&self, key: &[u8]) -> bool {
        self.find(key).is_some()
    }

    /// The prefix of the selected row for a new key: a folder's path with the
    /// delimiter, or the folder of the selected key.
    pub fn selected_prefix(&self) -> Vec<u8> {
        if self.layout != super::Layout::Tree {
            return Vec::new();
        }
        let folder = match self.row(self.selected) {
            Some(super::tree::Row::Folder { id, .. }) => id,
            Some(super::tree::Row::Key { id, .. }) => self.tree.folder_of(self.store.key(id)),
            None => return Vec::new(),
        };
        self.tree.path(folder, &self.delimiter)
    }

    /// The selected folder's full path (without the trailing delimiter).
    pub fn selected_folder(&self) -> Option<Vec<u8>> {
        match self.row(self.selected)? {
            super::tree::Row::Folder { id, .. } if self.layout == super::Layout::Tree => {
                let mut path = self.tree.path(id, &self.delimiter);
                path.truncate(path.len().saturating_sub(self.delimiter.len()));
                Some(path)
            }
            _ => None,
        }
    }

    /// The delimiter that splits keys into folders.
    pub fn delimiter(&self) -> &[u8] {
        &self.delimiter
    }

    fn would_list(&self, key: &[u8], kind: Kind) -> bool {
        let pattern_ok = self
            .pattern
            .as_deref()
            .is_none_or(|p| glob::matches(p, key));
        let kind_ok = self
            .kind_filter()
            .is_none_or(|want| kind == Kind::Unknown || Kind::parse(want) == kind);
        pattern_ok && kind_ok
    }

    /// The id of a listed key: among the keys directly in its folder.
    fn find(&self, key: &[u8]) -> Option<KeyId> {
        let folder = self.tree.folder_of(key);
        self.tree
            .keys_in(folder)
            .iter()
            .copied()
            .find(|&id| self.store.key(id) == key)
    }

    /// The key on row `index` of the flat list, skipping deleted keys.
    pub(super) fn flat_id(&self, index: usize) -> KeyId {
        let mut id = index as KeyId;
        for &g in &self.gone {
            if g <= id {
                id += 1;
            } else {
                break;
            }
        }
        id
    }
}
