//! The key arena: every key's bytes stored once, back to back, addressed by
//! index, with its type in one byte beside it.

use super::super::super::theme::Kind;

/// Index of a key in the [`Store`].
pub type KeyId = u32;

/// Bytes in one page of key bytes (a longer key gets a page of its own).
const PAGE: usize = 1 << 20;

/// All loaded keys: pages of key bytes plus end offsets, so a million keys
/// cost little more than their bytes. Pages are allocated once at full size
/// and never grow: one growing buffer would leave its outgrown copies behind
/// in the allocator, as resident as the keys themselves.
#[derive(Debug, Default)]
pub struct Store {
    pages: Vec<Vec<u8>>,
    /// The first key of each page.
    page_first: Vec<KeyId>,
    /// Where each key ends within its page (a page is far below 4 GiB, and
    /// a Redis key is at most 512 MiB).
    ends: Vec<u32>,
    kinds: Vec<Kind>,
}

impl Store {
    /// Appends a key (the caller has already removed duplicates).
    pub fn push(&mut self, key: &[u8], kind: Kind) -> KeyId {
        let id = self.ends.len() as KeyId;
        let fits = self
            .pages
            .last()
            .is_some_and(|page| page.capacity() - page.len() >= key.len());
        if !fits {
            self.pages.push(Vec::with_capacity(PAGE.max(key.len())));
            self.page_first.push(id);
        }
        if let Some(page) = self.pages.last_mut() {
            page.extend_from_slice(key);
            self.ends.push(page.len() as u32);
        }
        self.kinds.push(kind);
        id
    }

    /// The bytes of key `id`.
    pub fn key(&self, id: KeyId) -> &[u8] {
        let i = id as usize;
        let p = self.page_first.partition_point(|&first| first <= id) - 1;
        let start = if self.page_first[p] == id {
            0
        } else {
            self.ends[i - 1] as usize
        };
        &self.pages[p][start..self.ends[i] as usize]
    }

    /// The type of key `id`, `Kind::Unknown` until it is known.
    pub fn kind(&self, id: KeyId) -> Kind {
        self.kinds
            .get(id as usize)
            .copied()
            .unwrap_or(Kind::Unknown)
    }

    /// Records the type of key `id`.
    pub fn set_kind(&mut self, id: KeyId, kind: Kind) {
        if let Some(k) = self.kinds.get_mut(id as usize) {
            *k = kind;
        }
    }

    /// How many keys are stored.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no key is stored.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}
