//! The key arena: every key's bytes stored once, back to back, addressed by
//! index, with its type in one byte beside it.

use crate::value::Kind;

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
    /// Each key's type as an index into `names` plus one; 0 while unknown.
    kinds: Vec<u8>,
    /// The types seen, each once: a server has a handful.
    names: Vec<Kind>,
}

impl Store {
    /// Appends a key (the caller has already removed duplicates).
    pub fn push(&mut self, key: &[u8], kind: Option<Kind>) -> KeyId {
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
        let code = kind.map_or(0, |k| self.code(k));
        self.kinds.push(code);
        id
    }

    /// The byte that stands for `kind`. Past 255 distinct types (no server
    /// has that many) a new one is stored as not known.
    fn code(&mut self, kind: Kind) -> u8 {
        if let Some(i) = self.names.iter().position(|k| *k == kind) {
            return i as u8 + 1;
        }
        if self.names.len() >= usize::from(u8::MAX) {
            return 0;
        }
        self.names.push(kind);
        self.names.len() as u8
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

    /// The type of key `id`, `None` until it is known.
    pub fn kind(&self, id: KeyId) -> Option<&Kind> {
        let code = *self.kinds.get(id as usize)?;
        self.names.get(usize::from(code).checked_sub(1)?)
    }

    /// Records the type of key `id`.
    pub fn set_kind(&mut self, id: KeyId, kind: Kind) {
        if (id as usize) < self.kinds.len() {
            let code = self.code(kind);
            self.kinds[id as usize] = code;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_take_one_byte_a_key_and_keep_their_names() {
        let mut s = Store::default();
        let a = s.push(b"a", Some(Kind::Hash));
        let b = s.push(b"b", None);
        let c = s.push(b"c", Some(Kind::Other("TSDB-TYPE".into())));
        let d = s.push(b"d", Some(Kind::Hash));
        assert_eq!(s.kind(a), Some(&Kind::Hash));
        assert_eq!(s.kind(b), None);
        assert_eq!(s.kind(c), Some(&Kind::Other("TSDB-TYPE".into())));
        assert_eq!(s.kind(d), Some(&Kind::Hash));
        s.set_kind(b, Kind::Missing);
        assert_eq!(s.kind(b), Some(&Kind::Missing));
        assert_eq!(s.names.len(), 3, "each type is kept once");
        assert_eq!(s.kind(99), None);
        for i in 0..300 {
            s.set_kind(a, Kind::Other(format!("T{i}")));
        }
        assert_eq!(s.names.len(), 255);
        assert_eq!(s.kind(a), None, "past 255 types a new one is not known");
        assert_eq!(s.kind(d), Some(&Kind::Hash));
    }
}
