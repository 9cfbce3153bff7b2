//! The scrollback's memory of large formatted chunks, so that a
//! multi-megabyte string is formatted once rather than for every frame.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use super::scrollback::{EntryId, Line};

/// Chunks with more text than this (in bytes) are kept.
const KEEP_ABOVE: usize = 16 * 1024;
/// How many are kept.
const SLOTS: usize = 4;

/// A chunk: the entry and the chunk's index in it.
pub type Key = (EntryId, usize);

/// A few recently formatted large chunks, newest last. Views read the
/// scrollback through `&self`, hence the cell.
#[derive(Debug, Default)]
pub struct Cache {
    slots: RefCell<VecDeque<(Key, Arc<Vec<Line>>)>>,
}

impl Cache {
    /// The lines of chunk `key`, formatted by `format` unless kept.
    pub fn get_or_format(&self, key: Key, format: impl FnOnce() -> Vec<Line>) -> Arc<Vec<Line>> {
        if let Some((_, lines)) = self.slots.borrow().iter().find(|(k, _)| *k == key) {
            return Arc::clone(lines);
        }
        let lines = Arc::new(format());
        if lines.iter().map(|l| l.text.len()).sum::<usize>() > KEEP_ABOVE {
            let mut slots = self.slots.borrow_mut();
            if slots.len() == SLOTS {
                slots.pop_front();
            }
            slots.push_back((key, Arc::clone(&lines)));
        }
        lines
    }

    /// Forgets everything (the output changed or is shown differently).
    pub fn clear(&mut self) {
        self.slots.get_mut().clear();
    }
}
