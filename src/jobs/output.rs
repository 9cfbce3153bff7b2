//! What a job reports on the way and what it did.

use crate::edit::{Deletion, DryRun, Item, KeyInfo, Report, Undo, Undone};

/// How far a running job has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A bulk delete finished a batch.
    Bulk(crate::edit::Progress),
}

/// What a job did.
#[derive(Debug, Clone)]
pub enum Done {
    Created {
        key: Vec<u8>,
        kind: &'static str,
        ttl_ms: Option<i64>,
    },
    /// Nothing written: the key exists; what it is and whether undo is possible.
    Exists {
        info: KeyInfo,
        undo: Undo,
    },
    Renamed {
        from: Vec<u8>,
        to: Vec<u8>,
    },
    /// Nothing renamed: the new name is taken.
    TargetExists {
        info: KeyInfo,
        undo: Undo,
    },
    /// Nothing renamed: the key is gone.
    SourceMissing,
    TtlSet {
        key: Vec<u8>,
        ttl_ms: i64,
    },
    Prepared(Deletion),
    Deleted {
        keys: Vec<Vec<u8>>,
        removed: i64,
    },
    Counted(DryRun),
    Bulk(Report),
    Undone(Option<Undone>),
    Listed(Vec<Item>),
}
