//! The session trash: what each destructive action replaced or removed, most
//! recent last, so that the last action can be undone.

use std::collections::VecDeque;

use super::inverse::Inverse;
use super::snapshot::Snapshot;

/// The default limit on what one action may capture: 16 MiB.
pub const DEFAULT_CAP: usize = 16 * 1024 * 1024;
/// How many actions the trash keeps before dropping the oldest.
const KEEP: usize = 64;

/// How an action is reversed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reversal {
    /// Put the captured keys back (RESTORE ... REPLACE with their TTL).
    Restore(Vec<Snapshot>),
    /// Rename `to` back to `from`, then put back what `to` held before.
    Rename {
        from: Vec<u8>,
        to: Vec<u8>,
        replaced: Vec<Snapshot>,
    },
    /// Apply the inverse of an edit inside `key` (a field, element, member,
    /// score, entry or string), checked like the edit was.
    Edit { key: Vec<u8>, inverse: Inverse },
}

/// One undoable action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A number unique in this session.
    pub id: u64,
    /// What was done, for the trash view (`delete user:1`, `bulk delete cache:*`).
    pub label: String,
    /// How to reverse it.
    pub reversal: Reversal,
    /// When it was done.
    pub at: std::time::SystemTime,
}

/// One line of the trash view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: u64,
    pub label: String,
    /// How many keys undoing it writes.
    pub keys: usize,
    /// How many bytes it holds.
    pub bytes: usize,
    /// When it was done.
    pub at: std::time::SystemTime,
}

/// The actions that can still be undone.
#[derive(Debug, Default)]
pub struct Trash {
    entries: VecDeque<Entry>,
    next_id: u64,
}

impl Entry {
    fn item(&self) -> Item {
        let (keys, bytes) = match &self.reversal {
            Reversal::Restore(s) => (s.len(), s.iter().map(Snapshot::size).sum()),
            Reversal::Rename { replaced, .. } => (
                replaced.len() + 1,
                replaced.iter().map(Snapshot::size).sum(),
            ),
            Reversal::Edit { key, inverse } => (1, key.len() + inverse.size()),
        };
        Item {
            id: self.id,
            label: self.label.clone(),
            keys,
            bytes,
            at: self.at,
        }
    }
}

impl Trash {
    /// Records an action; the oldest is dropped past the session limit.
    pub fn push(&mut self, label: String, reversal: Reversal) -> u64 {
        self.next_id += 1;
        self.entries.push_back(Entry {
            id: self.next_id,
            label,
            reversal,
            at: std::time::SystemTime::now(),
        });
        if self.entries.len() > KEEP {
            self.entries.pop_front();
        }
        self.next_id
    }

    /// Takes the most recent action out, to undo it.
    pub fn pop(&mut self) -> Option<Entry> {
        self.entries.pop_back()
    }

    /// Takes the action `id` out, to undo it out of order.
    pub fn take(&mut self, id: u64) -> Option<Entry> {
        let pos = self.entries.iter().position(|e| e.id == id)?;
        self.entries.remove(pos)
    }

    /// Puts an action back after its undo failed.
    pub fn put_back(&mut self, entry: Entry) {
        let pos = self.entries.partition_point(|e| e.id < entry.id);
        self.entries.insert(pos, entry);
    }

    /// What can still be restored, most recent first.
    pub fn list(&self) -> Vec<Item> {
        self.entries.iter().rev().map(Entry::item).collect()
    }
}
