//! A job's input: what to do, with everything the job needs to do it.

use std::sync::Arc;
use std::time::Duration;

use crate::edit::{Control, Deletion, Initial, Overwrite, Ttl};

/// One job's input.
#[derive(Debug, Clone)]
pub enum Job {
    /// Create a key holding `first`; [`Overwrite::Never`] answers
    /// [`Done::Exists`](super::Done::Exists) rather than replace a key.
    Create {
        key: Vec<u8>,
        first: Initial,
        ttl: Option<Duration>,
        overwrite: Overwrite,
    },
    Rename {
        from: Vec<u8>,
        to: Vec<u8>,
        overwrite: Overwrite,
    },
    Ttl {
        key: Vec<u8>,
        ttl: Ttl,
    },
    /// Type, size and a capture for undo, for the delete confirmation.
    PrepareDelete(Vec<u8>),
    Delete(Deletion),
    /// Count and sample what a bulk delete of the pattern would take.
    DryRun(Vec<u8>),
    /// Delete the keys matching `pattern`, batch by batch, reporting
    /// [`Progress::Bulk`](super::Progress::Bulk) after each.
    Bulk {
        pattern: Vec<u8>,
        /// The keys the dry run found, when it kept them all.
        found: Option<Arc<[Vec<u8>]>>,
        expected: u64,
        undo: bool,
        control: Control,
    },
    /// Undo one action from the trash (the newest with `None`).
    Undo(Option<u64>),
    /// What the trash holds, for the undo list.
    ListTrash,
}

// By hand: a deletion's capture and a bulk run's control are compared by
// what they stand for (the keys, the pattern), not by their contents.
impl PartialEq for Job {
    fn eq(&self, other: &Job) -> bool {
        use Job::*;
        match (self, other) {
            (
                Create {
                    key: a,
                    first: fa,
                    ttl: ta,
                    overwrite: oa,
                },
                Create {
                    key: b,
                    first: fb,
                    ttl: tb,
                    overwrite: ob,
                },
            ) => a == b && fa == fb && ta == tb && oa == ob,
            (
                Rename {
                    from: a,
                    to: ta,
                    overwrite: oa,
                },
                Rename {
                    from: b,
                    to: tb,
                    overwrite: ob,
                },
            ) => a == b && ta == tb && oa == ob,
            (Ttl { key: a, ttl: ta }, Ttl { key: b, ttl: tb }) => a == b && ta == tb,
            (PrepareDelete(a), PrepareDelete(b)) | (DryRun(a), DryRun(b)) => a == b,
            (Delete(a), Delete(b)) => a.keys == b.keys && a.undo == b.undo,
            (
                Bulk {
                    pattern: a,
                    expected: ea,
                    undo: ua,
                    ..
                },
                Bulk {
                    pattern: b,
                    expected: eb,
                    undo: ub,
                    ..
                },
            ) => a == b && ea == eb && ua == ub,
            (Undo(a), Undo(b)) => a == b,
            (ListTrash, ListTrash) => true,
            _ => false,
        }
    }
}

// A created key's scores are never NaN (scores are parsed refusing NaN), so
// equality is total.
impl Eq for Job {}
