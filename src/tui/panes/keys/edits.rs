//! Keeping the list true after the TUI itself writes: a created or restored
//! key appears (when the filters would list it), a deleted one disappears,
//! a renamed one moves and a new TTL shows, all without a rescan.

use super::store::KeyId;
use super::{Detail, State, glob};
use crate::value::Kind;

impl State {
    /// Lists a key the TUI wrote, if the MATCH pattern and the type filter
    /// would list it and it is not listed yet; returns whether it was added.
    pub fn add_key(&mut self, key: &[u8], kind: Option<Kind>, ttl_ms: Option<i64>) -> bool {
        if self.find(key).is_some() || !self.would_list(key, kind.as_ref()) {
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
        self.place(self.selected);
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
        self.place(self.selected);
        true
    }

    /// Shows a new TTL (milliseconds, -1 for none) on a listed key.
    pub fn set_key_ttl(&mut self, key: &[u8], ttl_ms: i64) {
        if let Some(id) = self.find(key) {
            self.details.insert(id, Detail { ttl_ms });
        }
    }

    /// Opens the folders above a listed key and selects its row; returns
    /// whether the key is listed (a filter may hide it).
    pub fn reveal(&mut self, key: &[u8]) -> bool {
        let Some(id) = self.find(key) else {
            return false;
        };
        if self.layout == super::Layout::Tree {
            self.open_path(key);
        }
        match self.index_of_key(id, key) {
            Some(index) => {
                self.select(index);
                true
            }
            None => false,
        }
    }

    /// Opens the folders above `key`, outermost first, so that each opening
    /// counts in an open parent.
    pub(super) fn open_path(&mut self, key: &[u8]) {
        let mut above = Vec::new();
        let mut f = self.tree.folder_of(key);
        while f != super::tree::ROOT {
            above.push(f);
            f = self.tree.parent(f);
        }
        for f in above.into_iter().rev() {
            self.tree.set_open(f, true);
        }
    }

    /// The row of listed key `id` (whose bytes are `key`), if it is visible.
    pub(super) fn index_of_key(&self, id: KeyId, key: &[u8]) -> Option<usize> {
        match self.layout {
            super::Layout::Flat => Some(id as usize - self.gone.partition_point(|&g| g < id)),
            super::Layout::Tree => self.tree.index_of_leaf(self.tree.folder_of(key), id),
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

    /// A key of a type not known yet is listed under any type filter.
    fn would_list(&self, key: &[u8], kind: Option<&Kind>) -> bool {
        let pattern_ok = self
            .pattern
            .as_deref()
            .is_none_or(|p| glob::matches(p, key));
        let kind_ok = self
            .kind_filter()
            .is_none_or(|want| kind.is_none_or(|k| k == want));
        pattern_ok && kind_ok
    }

    /// The id of a listed key: among the keys directly in its folder.
    pub(super) fn find(&self, key: &[u8]) -> Option<KeyId> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Budget;
    use crate::tui::panes::keys::Layout;

    fn state(keys: &[&str]) -> State {
        let mut s = State::new(b":", Budget::default());
        s.set_height(50);
        for k in keys {
            s.insert(k.as_bytes(), Some(Kind::String));
        }
        s
    }

    #[test]
    fn reveal_opens_the_folders_above_and_selects_the_key() {
        let mut s = state(&["a:x", "b:c:1", "b:c:2", "b:d", "top"]);
        // Rows, all folders closed: a, b, top.
        assert_eq!(s.len(), 3);
        assert!(s.reveal(b"b:c:2"));
        assert_eq!(s.selected_key(), Some(&b"b:c:2"[..]));
        // Rows now: a, b, c, 1, 2, d, top.
        assert_eq!(s.len(), 7);
        assert!(s.reveal(b"top"));
        assert_eq!(s.selected_key(), Some(&b"top"[..]));
        assert!(s.reveal(b"b:d"));
        assert_eq!(s.selected_key(), Some(&b"b:d"[..]));
        assert!(!s.reveal(b"b:missing"));
    }

    #[test]
    fn a_type_filter_lists_keys_of_its_type_and_keys_not_typed_yet() {
        let mut s = state(&[]);
        let mut id = 0;
        let mut next = || {
            id += 1;
            id
        };
        // all -> string -> hash
        s.cycle_kind(&mut next);
        s.cycle_kind(&mut next);
        assert_eq!(s.kind_filter(), Some(&Kind::Hash));
        let tsdb = Some(Kind::Other("TSDB-TYPE".into()));
        assert!(
            !s.add_key(b"ts:1", tsdb.clone(), None),
            "a module type is not a hash"
        );
        assert!(!s.add_key(b"s", Some(Kind::String), None));
        assert!(s.add_key(b"h", Some(Kind::Hash), None));
        assert!(
            s.add_key(b"restored", None, None),
            "its type is not known yet"
        );
        // Without a filter every type is listed, module types included.
        for _ in 0..Kind::FILTERS.len() - 1 {
            s.cycle_kind(&mut next);
        }
        assert_eq!(s.kind_filter(), None);
        assert!(s.add_key(b"ts:1", tsdb.clone(), None));
        assert!(s.reveal(b"ts:1"));
        assert_eq!(s.selected_kind(), tsdb);
    }

    #[test]
    fn reveal_in_the_flat_list_skips_deleted_keys() {
        let mut s = state(&["k1", "k2", "k3", "k4"]);
        s.toggle_layout();
        assert_eq!(s.layout(), Layout::Flat);
        assert!(s.remove_key(b"k2"));
        assert!(s.reveal(b"k4"));
        assert_eq!(s.selected(), 2);
        assert_eq!(s.selected_key(), Some(&b"k4"[..]));
    }
}
