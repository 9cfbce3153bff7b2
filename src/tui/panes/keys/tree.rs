//! The folder tree over the key store, built incrementally as keys arrive.
//!
//! Each folder keeps its key count and the number of rows it shows when open,
//! updated along the path of every insert (O(depth)), so that neither an
//! insert nor drawing a window of rows ever walks all the keys.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::hash::{BuildHasher, RandomState};
use std::ops::Bound;

use hashbrown::HashTable;

use super::natural::Name;
use super::store::KeyId;

/// Index of a folder in the [`Tree`]; the root is 0.
pub type FolderId = u32;

const ROOT: FolderId = 0;

#[derive(Debug, Default)]
struct Folder {
    parent: FolderId,
    name: Box<[u8]>,
    depth: u16,
    open: bool,
    /// Keys anywhere below.
    count: u64,
    /// Rows shown below this folder's own row while it is open.
    rows: u64,
    /// Sub-folders by name, in natural order (`2` before `10`).
    children: BTreeMap<Name, FolderId>,
    /// Keys directly in this folder, in arrival order.
    leaves: Vec<KeyId>,
}

/// One visible row of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Folder { id: FolderId, depth: u16 },
    Key { id: KeyId, depth: u16 },
}

/// Folders by delimiter, with per-folder counts.
#[derive(Debug)]
pub struct Tree {
    delimiter: Vec<u8>,
    folders: Vec<Folder>,
    /// Folder ids by (parent, name), hashed without copying the name.
    index: HashTable<FolderId>,
    hasher: RandomState,
}

impl Tree {
    /// An empty tree splitting keys on `delimiter` (empty: no folders).
    pub fn new(delimiter: &[u8]) -> Tree {
        let root = Folder {
            open: true,
            ..Folder::default()
        };
        Tree {
            delimiter: delimiter.to_vec(),
            folders: vec![root],
            index: HashTable::new(),
            hasher: RandomState::new(),
        }
    }

    /// Places key `id` (whose bytes are `key`) under its folders.
    pub fn insert(&mut self, id: KeyId, key: &[u8]) {
        let mut folder = ROOT;
        self.folders[0].count += 1;
        if !self.delimiter.is_empty() {
            let mut rest = key;
            while let Some(pos) = find(rest, &self.delimiter) {
                folder = self.child(folder, &rest[..pos]);
                self.folders[folder as usize].count += 1;
                rest = &rest[pos + self.delimiter.len()..];
            }
        }
        self.folders[folder as usize].leaves.push(id);
        self.bump(folder, 1);
    }

    fn lookup(&self, parent: FolderId, name: &[u8]) -> Option<FolderId> {
        let hash = self.hasher.hash_one((parent, name));
        let folders = &self.folders;
        self.index
            .find(hash, |&id| {
                let f = &folders[id as usize];
                f.parent == parent && *f.name == *name
            })
            .copied()
    }

    fn child(&mut self, parent: FolderId, name: &[u8]) -> FolderId {
        if let Some(id) = self.lookup(parent, name) {
            return id;
        }
        let id = self.folders.len() as FolderId;
        let depth = self.folders[parent as usize].depth + 1;
        self.folders.push(Folder {
            parent,
            name: name.into(),
            depth,
            ..Folder::default()
        });
        self.folders[parent as usize]
            .children
            .insert(Name(name.into()), id);
        let Tree {
            index,
            folders,
            hasher,
            ..
        } = self;
        let hash = hasher.hash_one((parent, name));
        index.insert_unique(hash, id, |&f| {
            let f = &folders[f as usize];
            hasher.hash_one((f.parent, &*f.name))
        });
        self.bump(parent, 1);
        id
    }

    /// Adds `delta` rows inside `folder` and in every open ancestor that shows them.
    fn bump(&mut self, mut folder: FolderId, delta: i64) {
        loop {
            let f = &mut self.folders[folder as usize];
            f.rows = f.rows.saturating_add_signed(delta);
            if folder == ROOT || !f.open {
                return;
            }
            folder = f.parent;
        }
    }

    /// The folder that holds `key` (the root for keys without a delimiter).
    pub fn folder_of(&self, key: &[u8]) -> FolderId {
        let mut folder = ROOT;
        if self.delimiter.is_empty() {
            return folder;
        }
        let mut rest = key;
        while let Some(pos) = find(rest, &self.delimiter) {
            match self.lookup(folder, &rest[..pos]) {
                Some(c) => folder = c,
                None => return folder,
            }
            rest = &rest[pos + self.delimiter.len()..];
        }
        folder
    }

    /// Opens or closes a folder.
    pub fn set_open(&mut self, id: FolderId, open: bool) {
        let Some(f) = self.folders.get_mut(id as usize) else {
            return;
        };
        if id == ROOT || f.open == open {
            return;
        }
        f.open = open;
        let (rows, parent) = (f.rows as i64, f.parent);
        self.bump(parent, if open { rows } else { -rows });
    }

    /// Whether a folder is open.
    pub fn is_open(&self, id: FolderId) -> bool {
        self.folders.get(id as usize).is_some_and(|f| f.open)
    }

    /// The folder's own name segment.
    pub fn name(&self, id: FolderId) -> &[u8] {
        &self.folders[id as usize].name
    }

    /// Keys anywhere below the folder.
    pub fn count(&self, id: FolderId) -> u64 {
        self.folders[id as usize].count
    }

    /// The folder that holds a folder (the root holds itself).
    pub fn parent(&self, id: FolderId) -> FolderId {
        self.folders[id as usize].parent
    }

    /// Rows visible in the whole tree.
    pub fn len(&self) -> usize {
        self.folders[0].rows as usize
    }

    /// Whether the tree shows nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many folders exist besides the root.
    pub fn folders(&self) -> usize {
        self.folders.len() - 1
    }

    /// The part of `key` shown in the tree (after its last delimiter).
    pub fn leaf_name<'k>(&self, key: &'k [u8]) -> &'k [u8] {
        match rfind(key, &self.delimiter) {
            Some(pos) if !self.delimiter.is_empty() => &key[pos + self.delimiter.len()..],
            _ => key,
        }
    }

    /// The visible row at `index`, if any.
    pub fn row(&self, index: usize) -> Option<Row> {
        self.rows_from(index).next()
    }

    /// The row index of folder `id`, if it is visible (walks up its ancestors).
    pub fn index_of_folder(&self, id: FolderId) -> Option<usize> {
        if id == ROOT || id as usize >= self.folders.len() {
            return None;
        }
        let mut index = 0u64;
        let mut cur = id;
        while cur != ROOT {
            let f = &self.folders[cur as usize];
            let parent = &self.folders[f.parent as usize];
            if !parent.open {
                return None;
            }
            for (_, &c) in parent
                .children
                .range((Bound::Unbounded, Bound::Excluded(&Name(f.name.clone()))))
            {
                let sib = &self.folders[c as usize];
                index += 1 + if sib.open { sib.rows } else { 0 };
            }
            if f.parent != ROOT {
                index += 1;
            }
            cur = f.parent;
        }
        Some(index as usize)
    }

    /// Visible rows starting at `index`, in display order.
    pub fn rows_from(&self, index: usize) -> Rows<'_> {
        let mut rows = Rows {
            tree: self,
            stack: Vec::new(),
        };
        let mut folder = ROOT;
        let mut i = index as u64;
        'descend: loop {
            let f = &self.folders[folder as usize];
            for (name, &c) in &f.children {
                if i == 0 {
                    rows.push(folder, Bound::Included(name), 0);
                    return rows;
                }
                i -= 1;
                let child = &self.folders[c as usize];
                if child.open {
                    if i < child.rows {
                        rows.push(folder, Bound::Excluded(name), 0);
                        folder = c;
                        continue 'descend;
                    }
                    i -= child.rows;
                }
            }
            if (i as usize) < f.leaves.len() {
                rows.stack.push(Frame {
                    folder,
                    children: None,
                    leaf: i as usize,
                });
            }
            return rows;
        }
    }
}

struct Frame<'t> {
    folder: FolderId,
    children: Option<btree_map::Range<'t, Name, FolderId>>,
    leaf: usize,
}

/// An iterator over visible rows; each step costs O(log siblings).
pub struct Rows<'t> {
    tree: &'t Tree,
    stack: Vec<Frame<'t>>,
}

impl<'t> Rows<'t> {
    fn push(&mut self, folder: FolderId, from: Bound<&Name>, leaf: usize) {
        let children = &self.tree.folders[folder as usize].children;
        let range = children.range((from, Bound::Unbounded));
        self.stack.push(Frame {
            folder,
            children: Some(range),
            leaf,
        });
    }
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        loop {
            let tree = self.tree;
            let frame = self.stack.last_mut()?;
            if let Some(range) = frame.children.as_mut() {
                if let Some((_, &c)) = range.next() {
                    let child = &tree.folders[c as usize];
                    if child.open {
                        self.push(c, Bound::Unbounded, 0);
                    }
                    return Some(Row::Folder {
                        id: c,
                        depth: child.depth - 1,
                    });
                }
                frame.children = None;
            }
            let f = &tree.folders[frame.folder as usize];
            if let Some(&id) = f.leaves.get(frame.leaf) {
                frame.leaf += 1;
                return Some(Row::Key { id, depth: f.depth });
            }
            self.stack.pop();
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() == 1 {
        return hay.iter().position(|&b| b == needle[0]);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts kept incrementally agree with a full walk, whatever is open.
    #[test]
    fn incremental_rows_match_a_full_walk() {
        let mut tree = Tree::new(b":");
        let mut n = 0u32;
        for round in 0..6u32 {
            for i in 0..40u32 {
                let key = format!("a{}:b{}:c{}", i % 3, (i * 7 + round) % 5, i);
                tree.insert(n, key.as_bytes());
                n += 1;
            }
            tree.insert(n, format!("top{round}").as_bytes());
            n += 1;
            // Open or close a few folders in a varying pattern.
            for f in (1..=tree.folders() as FolderId).filter(|f| (f + round) % 3 == 0) {
                let open = !tree.is_open(f);
                tree.set_open(f, open);
            }
            let all: Vec<Row> = tree.rows_from(0).collect();
            assert_eq!(all.len(), tree.len(), "round {round}");
            for (i, row) in all.iter().enumerate() {
                assert_eq!(tree.row(i), Some(*row), "row {i}, round {round}");
                if let Row::Folder { id, .. } = row {
                    assert_eq!(tree.index_of_folder(*id), Some(i));
                }
            }
            assert_eq!(tree.count(0), u64::from(n));
        }
    }
}
