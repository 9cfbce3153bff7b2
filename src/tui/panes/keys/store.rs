//! The key arena: every key's bytes stored once, back to back, addressed by
//! index, with its type in one byte beside it.

use super::super::super::theme::Kind;

/// Index of a key in the [`Store`].
pub type KeyId = u32;

/// All loaded keys: one byte buffer plus end offsets, so a million keys cost
/// little more than their bytes.
#[derive(Debug, Default)]
pub struct Store {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    kinds: Vec<Kind>,
}

impl Store {
    /// Appends a key (the caller has already removed duplicates).
    pub fn push(&mut self, key: &[u8], kind: Kind) -> KeyId {
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
        self.kinds.push(kind);
        (self.ends.len() - 1) as KeyId
    }

    /// The bytes of key `id`.
    pub fn key(&self, id: KeyId) -> &[u8] {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
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
