//! The folder tree over the key store, built incrementally as keys arrive.
//!
//! Each folder keeps its key count and the number of rows it shows when open,
//! updated along the path of every insert (O(depth)), so that neither an
//! insert nor drawing a window of rows ever walks all the keys.

use std::cmp::Ordering;
use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;

use super::natural;
use super::store::KeyId;

mod edits;

/// Index of a folder in the [`Tree`]; the root is 0.
pub type FolderId = u32;

pub(super) const ROOT: FolderId = 0;

/// Most sub-folders in one chunk of a folder's sorted children. Chunks keep
/// an insert in the middle of a huge folder (keys arrive in hash order) to a
/// short shift, without a B-tree node and a name copy per entry.
const CHUNK: usize = 512;

/// No sub-folders (see `Folder::children`).
const NONE: u32 = u32::MAX;

/// One folder. Kept small because a key space often has one folder per
/// entity (`user:N:profile`), so there can be as many folders as keys: counts
/// are u32 like [`KeyId`], the name lives in the tree's name arena, and a
/// folder holding a single key keeps it inline instead of in a `Vec`.
#[derive(Debug)]
struct Folder {
    parent: FolderId,
    /// This folder's name is `names[name_start..name_start + name_len]`.
    name_start: u32,
    name_len: u32,
    /// Keys anywhere below.
    count: u32,
    /// Rows shown below this folder's own row while it is open.
    rows: u32,
    /// Keys directly in this folder: with one key, that key; with more, the
    /// index of their list in `Tree::leaves`.
    leaf: u32,
    leaf_count: u32,
    depth: u16,
    open: bool,
    /// Index of this folder's sub-folders in `Tree::children`, `NONE` if it
    /// has none (most folders, so an index rather than an empty `Vec`).
    children: u32,
}

impl Default for Folder {
    fn default() -> Folder {
        Folder {
            parent: ROOT,
            name_start: 0,
            name_len: 0,
            count: 0,
            rows: 0,
            leaf: 0,
            leaf_count: 0,
            depth: 0,
            open: false,
            children: NONE,
        }
    }
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
    /// Every folder's name, back to back (see `Folder::name_start`); u32
    /// offsets suffice, as the names are a fraction of the loaded key bytes.
    names: Vec<u8>,
    /// Sub-folders of the folders that have some, in natural order of their
    /// names (`2` before `10`), cut into sorted chunks of at most [`CHUNK`].
    children: Vec<Vec<Vec<FolderId>>>,
    /// Key lists of the folders holding more than one key, in arrival order.
    leaves: Vec<Vec<KeyId>>,
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
            names: Vec::new(),
            children: Vec::new(),
            leaves: Vec::new(),
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
        self.push_leaf(folder, id);
        self.bump(folder, 1);
    }

    /// Appends key `id` to the keys directly in `folder`.
    fn push_leaf(&mut self, folder: FolderId, id: KeyId) {
        let f = &mut self.folders[folder as usize];
        match f.leaf_count {
            0 => f.leaf = id,
            1 => {
                let list = self.leaves.len() as u32;
                self.leaves.push(vec![f.leaf, id]);
                f.leaf = list;
            }
            _ => {
                if let Some(list) = self.leaves.get_mut(f.leaf as usize) {
                    list.push(id);
                }
            }
        }
        f.leaf_count += 1;
    }

    /// The keys directly in a folder, in arrival order.
    fn leaves_of<'t>(&'t self, f: &'t Folder) -> &'t [KeyId] {
        match f.leaf_count {
            0 => &[],
            1 => std::slice::from_ref(&f.leaf),
            _ => self.leaves.get(f.leaf as usize).map_or(&[], Vec::as_slice),
        }
    }

    /// A folder's sub-folders, as sorted chunks.
    fn children_of<'t>(&'t self, f: &'t Folder) -> &'t [Vec<FolderId>] {
        self.children
            .get(f.children as usize)
            .map_or(&[], Vec::as_slice)
    }

    fn folder_name<'t>(&'t self, f: &'t Folder) -> &'t [u8] {
        let start = f.name_start as usize;
        &self.names[start..start + f.name_len as usize]
    }

    fn lookup(&self, parent: FolderId, name: &[u8]) -> Option<FolderId> {
        let hash = self.hasher.hash_one((parent, name));
        self.index
            .find(hash, |&id| {
                let f = &self.folders[id as usize];
                f.parent == parent && self.folder_name(f) == name
            })
            .copied()
    }

    fn child(&mut self, parent: FolderId, name: &[u8]) -> FolderId {
        if let Some(id) = self.lookup(parent, name) {
            return id;
        }
        let id = self.folders.len() as FolderId;
        let depth = self.folders[parent as usize].depth + 1;
        let name_start = self.names.len() as u32;
        self.names.extend_from_slice(name);
        self.folders.push(Folder {
            parent,
            name_start,
            name_len: name.len() as u32,
            depth,
            ..Folder::default()
        });
        self.add_child(parent, id, name);
        let Tree {
            index,
            folders,
            names,
            hasher,
            ..
        } = self;
        let hash = hasher.hash_one((parent, name));
        index.insert_unique(hash, id, |&f| {
            let f = &folders[f as usize];
            let start = f.name_start as usize;
            hasher.hash_one((f.parent, &names[start..start + f.name_len as usize]))
        });
        self.bump(parent, 1);
        id
    }

    /// Files sub-folder `id`, named `name`, in order among `parent`'s children.
    fn add_child(&mut self, parent: FolderId, id: FolderId, name: &[u8]) {
        let mut list = self.folders[parent as usize].children;
        if list == NONE {
            list = self.children.len() as u32;
            self.children.push(Vec::new());
            self.folders[parent as usize].children = list;
        }
        let Some(slot) = self.children.get_mut(list as usize) else {
            return;
        };
        let mut chunks = std::mem::take(slot);
        let before = |c: &FolderId| {
            natural::cmp(self.folder_name(&self.folders[*c as usize]), name) == Ordering::Less
        };
        let last = chunks.len().saturating_sub(1);
        let ci = chunks
            .partition_point(|ch| ch.last().is_some_and(before))
            .min(last);
        match chunks.get_mut(ci) {
            None => chunks.push(vec![id]),
            Some(ch) => {
                let pos = ch.partition_point(before);
                if ch.len() < CHUNK {
                    ch.insert(pos, id);
                } else if ci == last && pos == ch.len() {
                    // Names arriving in order fill chunks completely.
                    chunks.push(vec![id]);
                } else {
                    let mut right = ch.split_off(CHUNK / 2);
                    ch.shrink_to_fit();
                    match pos.checked_sub(CHUNK / 2) {
                        Some(p) => right.insert(p, id),
                        None => ch.insert(pos, id),
                    }
                    chunks.insert(ci + 1, right);
                }
            }
        }
        if let Some(slot) = self.children.get_mut(list as usize) {
            *slot = chunks;
        }
    }

    /// Adds `delta` rows inside `folder` and in every open ancestor that shows them.
    fn bump(&mut self, mut folder: FolderId, delta: i64) {
        loop {
            let f = &mut self.folders[folder as usize];
            f.rows = (i64::from(f.rows) + delta).clamp(0, i64::from(u32::MAX)) as u32;
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
        let (rows, parent) = (i64::from(f.rows), f.parent);
        self.bump(parent, if open { rows } else { -rows });
    }

    /// Whether a folder is open.
    pub fn is_open(&self, id: FolderId) -> bool {
        self.folders.get(id as usize).is_some_and(|f| f.open)
    }

    /// The folder's own name segment.
    pub fn name(&self, id: FolderId) -> &[u8] {
        self.folder_name(&self.folders[id as usize])
    }

    /// Keys anywhere below the folder.
    pub fn count(&self, id: FolderId) -> u64 {
        u64::from(self.folders[id as usize].count)
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
            for &c in self.children_of(parent).iter().flatten() {
                if c == cur {
                    break;
                }
                let sib = &self.folders[c as usize];
                index += 1 + if sib.open { u64::from(sib.rows) } else { 0 };
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
            let positions = self
                .children_of(f)
                .iter()
                .enumerate()
                .flat_map(|(ci, ch)| ch.iter().enumerate().map(move |(pi, &c)| ((ci, pi), c)));
            for ((ci, pi), c) in positions {
                if i == 0 {
                    rows.push(folder, (ci, pi), 0);
                    return rows;
                }
                i -= 1;
                let child = &self.folders[c as usize];
                if child.open {
                    if i < u64::from(child.rows) {
                        rows.push(folder, (ci, pi + 1), 0);
                        folder = c;
                        continue 'descend;
                    }
                    i -= u64::from(child.rows);
                }
            }
            if i < u64::from(f.leaf_count) {
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

struct Frame {
    folder: FolderId,
    /// The next child to show, as (chunk, position in chunk); `None` once
    /// the children are done.
    children: Option<(usize, usize)>,
    leaf: usize,
}

/// An iterator over visible rows; each step costs O(log siblings).
pub struct Rows<'t> {
    tree: &'t Tree,
    stack: Vec<Frame>,
}

impl Rows<'_> {
    fn push(&mut self, folder: FolderId, from: (usize, usize), leaf: usize) {
        self.stack.push(Frame {
            folder,
            children: Some(from),
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
            if let Some((mut ci, mut pi)) = frame.children {
                let chunks = tree.children_of(&tree.folders[frame.folder as usize]);
                while chunks.get(ci).is_some_and(|ch| pi >= ch.len()) {
                    (ci, pi) = (ci + 1, 0);
                }
                if let Some(&c) = chunks.get(ci).and_then(|ch| ch.get(pi)) {
                    frame.children = Some((ci, pi + 1));
                    let child = &tree.folders[c as usize];
                    if child.open {
                        self.push(c, (0, 0), 0);
                    }
                    return Some(Row::Folder {
                        id: c,
                        depth: child.depth - 1,
                    });
                }
                frame.children = None;
            }
            let f = &tree.folders[frame.folder as usize];
            if let Some(&id) = tree.leaves_of(f).get(frame.leaf) {
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

#[cfg(test)]
mod chunk_tests {
    use super::*;

    /// Sub-folders arriving in scrambled order, enough to split chunks many
    /// times, still show in natural order and find their own rows.
    #[test]
    fn many_sub_folders_stay_in_natural_order() {
        let mut tree = Tree::new(b":");
        let n = 5 * CHUNK as u32 + 7;
        for i in 0..n {
            // A permutation of 0..n: 1021 is prime and does not divide n.
            let k = (u64::from(i) * 1021 % u64::from(n)) as u32;
            tree.insert(i, format!("f{k}:x").as_bytes());
        }
        for i in 0..n {
            tree.insert(n + i, format!("f{i}:y").as_bytes());
        }
        let names: Vec<String> = tree
            .rows_from(0)
            .map(|row| match row {
                Row::Folder { id, .. } => String::from_utf8_lossy(tree.name(id)).into_owned(),
                Row::Key { .. } => String::new(),
            })
            .collect();
        let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        assert_eq!(names, want);
        tree.set_open(tree.folder_of(b"f700:x"), true);
        let all: Vec<Row> = tree.rows_from(0).collect();
        assert_eq!(all.len(), tree.len());
        for (i, row) in all.iter().enumerate() {
            assert_eq!(tree.row(i), Some(*row), "row {i}");
            if let Row::Folder { id, .. } = row {
                assert_eq!(tree.index_of_folder(*id), Some(i));
            }
        }
    }
}
