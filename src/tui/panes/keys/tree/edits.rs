//! What the TUI's own writes need from the tree: taking a deleted key out
//! (with the folders it leaves empty) and a folder's full path.

use std::hash::BuildHasher as _;

use super::{FolderId, NONE, ROOT, Tree, find};
use crate::tui::panes::keys::store::KeyId;

impl Tree {
    /// Removes key `id` (whose bytes are `key`); false if it is not in the tree.
    pub fn remove(&mut self, id: KeyId, key: &[u8]) -> bool {
        let mut path = vec![ROOT];
        if !self.delimiter.is_empty() {
            let mut rest = key;
            while let Some(pos) = find(rest, &self.delimiter) {
                let Some(child) = self.lookup(path[path.len() - 1], &rest[..pos]) else {
                    return false;
                };
                path.push(child);
                rest = &rest[pos + self.delimiter.len()..];
            }
        }
        let folder = path[path.len() - 1];
        if !self.take_leaf(folder, id) {
            return false;
        }
        self.bump(folder, -1);
        for &f in &path {
            let f = &mut self.folders[f as usize];
            f.count = f.count.saturating_sub(1);
        }
        // Deepest first, so a parent is checked after its emptied child left it.
        for &f in path.iter().skip(1).rev() {
            if self.folders[f as usize].count == 0 {
                self.detach(f);
            }
        }
        true
    }

    /// The full path of `folder` with a trailing delimiter (empty for the root).
    pub fn path(&self, folder: FolderId, delimiter: &[u8]) -> Vec<u8> {
        let mut parts = Vec::new();
        let mut cur = folder;
        while cur != ROOT && (cur as usize) < self.folders.len() {
            parts.push(self.name(cur));
            cur = self.parent(cur);
        }
        let mut out = Vec::new();
        for part in parts.iter().rev() {
            out.extend_from_slice(part);
            out.extend_from_slice(delimiter);
        }
        out
    }

    /// The row of key `id`, which lies directly in `folder`, if that
    /// folder's rows are visible: after the folder's row and its sub-folders.
    pub fn index_of_leaf(&self, folder: FolderId, id: KeyId) -> Option<usize> {
        let f = self.folders.get(folder as usize)?;
        if !f.open {
            return None;
        }
        let start = match folder {
            ROOT => 0,
            _ => self.index_of_folder(folder)? + 1,
        };
        let before = f.rows.saturating_sub(f.leaf_count) as usize;
        let pos = self.leaves_of(f).iter().position(|&k| k == id)?;
        Some(start + before + pos)
    }

    /// The folder at `path` (its names joined by the delimiter, without a
    /// trailing one), if it exists.
    pub fn folder_at(&self, path: &[u8]) -> Option<FolderId> {
        if self.delimiter.is_empty() || path.is_empty() {
            return None;
        }
        let mut folder = ROOT;
        let mut rest = path;
        loop {
            let (name, tail) = match find(rest, &self.delimiter) {
                Some(pos) => (&rest[..pos], Some(&rest[pos + self.delimiter.len()..])),
                None => (rest, None),
            };
            folder = self.lookup(folder, name)?;
            match tail {
                Some(t) => rest = t,
                None => return Some(folder),
            }
        }
    }

    /// Every open folder's path (as [`Tree::folder_at`] takes it).
    pub fn open_paths(&self) -> Vec<Vec<u8>> {
        (1..self.folders.len() as FolderId)
            .filter(|&id| self.folders[id as usize].open && self.attached(id))
            .map(|id| {
                let mut p = self.path(id, &self.delimiter);
                p.truncate(p.len().saturating_sub(self.delimiter.len()));
                p
            })
            .collect()
    }

    /// Whether a folder is still in the tree (an emptied one is detached).
    fn attached(&self, id: FolderId) -> bool {
        self.folders[id as usize].count > 0
    }

    /// The keys directly in `folder`, in arrival order.
    pub fn keys_in(&self, folder: FolderId) -> &[KeyId] {
        self.folders
            .get(folder as usize)
            .map_or(&[], |f| self.leaves_of(f))
    }

    fn take_leaf(&mut self, folder: FolderId, id: KeyId) -> bool {
        let f = &mut self.folders[folder as usize];
        match f.leaf_count {
            0 => false,
            1 if f.leaf == id => {
                f.leaf_count = 0;
                true
            }
            1 => false,
            n => {
                let Some(list) = self.leaves.get_mut(f.leaf as usize) else {
                    return false;
                };
                let Some(pos) = list.iter().position(|&k| k == id) else {
                    return false;
                };
                list.remove(pos);
                f.leaf_count = n - 1;
                if n == 2 {
                    // Back to the inline form; the list's memory is freed.
                    let other = list[0];
                    *list = Vec::new();
                    f.leaf = other;
                }
                true
            }
        }
    }

    /// Takes an empty folder out of its parent's children and the name index.
    fn detach(&mut self, id: FolderId) {
        let parent = self.folders[id as usize].parent;
        let list = self.folders[parent as usize].children;
        if list != NONE
            && let Some(chunks) = self.children.get_mut(list as usize)
        {
            for chunk in chunks.iter_mut() {
                chunk.retain(|&c| c != id);
            }
            chunks.retain(|ch| !ch.is_empty());
        }
        let hash = self
            .hasher
            .hash_one((parent, self.folder_name(&self.folders[id as usize])));
        if let Ok(entry) = self.index.find_entry(hash, |&f| f == id) {
            entry.remove();
        }
        self.bump(parent, -1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::Row;
    use super::*;

    #[test]
    fn removing_keys_drops_emptied_folders_and_keeps_rows_consistent() {
        let keys = ["a:1", "a:2", "a:b:3", "c", "d:e:f:4"];
        let mut tree = Tree::new(b":");
        for (i, k) in keys.iter().enumerate() {
            tree.insert(i as KeyId, k.as_bytes());
        }
        for f in 1..=tree.folders() as FolderId {
            tree.set_open(f, true);
        }
        assert!(tree.remove(4, b"d:e:f:4"));
        assert!(
            !tree.remove(4, b"d:e:f:4"),
            "a second removal finds nothing"
        );
        assert!(tree.remove(2, b"a:b:3"));
        assert!(tree.remove(0, b"a:1"));
        let rows: Vec<Row> = tree.rows_from(0).collect();
        assert_eq!(rows.len(), tree.len());
        let a = tree.folder_of(b"a:x");
        assert_eq!(
            rows,
            vec![
                Row::Folder { id: a, depth: 0 },
                Row::Key { id: 1, depth: 1 },
                Row::Key { id: 3, depth: 0 },
            ]
        );
        assert_eq!(tree.count(0), 2);
        assert_eq!(tree.keys_in(a), &[1]);
        assert_eq!(tree.path(a, b":"), b"a:");
        // A folder emptied and filled again is found and shown once.
        tree.insert(5, b"d:e:f:4");
        assert_eq!(tree.rows_from(0).count(), tree.len());
        assert_eq!(tree.count(0), 3);
        let d = tree.folder_of(b"d:x");
        assert_eq!(tree.index_of_folder(d), Some(2));
    }
}
