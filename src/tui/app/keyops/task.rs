//! The requests behind the key-level operations, run on the editor (for its
//! read-only policy and undo trash). Each sends back one [`Msg::KeyOp`],
//! except a bulk delete, which also sends one per batch with its progress
//! before the final one: all carry the same request id.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::edit::{
    Control, Created, Deletion, DryRun, Editor, Initial, Item, KeyInfo, Overwrite, Progress,
    Renamed, Report, Ttl, Undo, Undone,
};
use crate::tui::msg::{Msg, ReqId};
use crate::upstash::Error;

/// One key-level request.
#[derive(Debug, Clone)]
pub enum Op {
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
    DryRun(Vec<u8>),
    Bulk {
        pattern: Vec<u8>,
        /// The keys the dry run found, when it kept them all.
        found: Option<std::sync::Arc<[Vec<u8>]>>,
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
impl PartialEq for Op {
    fn eq(&self, other: &Op) -> bool {
        use Op::*;
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

impl Eq for Op {}

/// What a key-level request did.
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
    Progress(Progress),
    Bulk(Report),
    Undone(Option<Undone>),
    Listed(Vec<Item>),
}

/// Runs `op`; the returned message is the last one for `req`.
pub async fn run(editor: &Editor, req: ReqId, op: Op, tx: &UnboundedSender<Msg>) -> Msg {
    let result = match op {
        Op::Create {
            key,
            first,
            ttl,
            overwrite,
        } => create(editor, key, first, ttl, overwrite).await,
        Op::Rename {
            from,
            to,
            overwrite,
        } => match editor.rename(&from, &to, overwrite).await {
            Ok(Renamed::Renamed) => Ok(Done::Renamed { from, to }),
            Ok(Renamed::SourceMissing) => Ok(Done::SourceMissing),
            Ok(Renamed::TargetExists) => existing(editor, to)
                .await
                .map(|(info, undo)| Done::TargetExists { info, undo }),
            Err(e) => Err(e),
        },
        Op::Ttl { key, ttl } => editor.set_ttl(&key, ttl).await.map(|()| Done::TtlSet {
            key,
            ttl_ms: match ttl {
                Ttl::Persist => -1,
                Ttl::Expire(d) => d.as_millis().min(i64::MAX as u128) as i64,
            },
        }),
        Op::PrepareDelete(key) => editor.prepare_delete(&[key]).await.map(Done::Prepared),
        Op::Delete(deletion) => {
            let keys = deletion.keys.iter().map(|k| k.key.clone()).collect();
            editor
                .delete(deletion)
                .await
                .map(|removed| Done::Deleted { keys, removed })
        }
        Op::DryRun(pattern) => editor.bulk_dry_run(&pattern).await.map(Done::Counted),
        Op::Bulk {
            pattern,
            found,
            expected,
            undo,
            control,
        } => {
            let progress = |p: Progress| {
                let msg = Msg::KeyOp {
                    req,
                    result: Ok(Done::Progress(p)),
                };
                if tx.send(msg).is_err() {
                    tracing::debug!("bulk delete progress after the TUI closed");
                }
            };
            editor
                .bulk_delete(
                    &pattern,
                    found.as_deref(),
                    expected,
                    undo,
                    &control,
                    progress,
                )
                .await
                .map(Done::Bulk)
        }
        Op::Undo(id) => editor.undo_item(id).await.map(Done::Undone),
        Op::ListTrash => Ok(Done::Listed(editor.trash_items())),
    };
    Msg::KeyOp { req, result }
}

async fn create(
    editor: &Editor,
    key: Vec<u8>,
    first: Initial,
    ttl: Option<Duration>,
    overwrite: Overwrite,
) -> Result<Done, Error> {
    match editor.create(&key, &first, ttl, overwrite).await? {
        Created::Created => Ok(Done::Created {
            kind: kind_of(&first),
            ttl_ms: Some(ttl.map_or(-1, |d| d.as_millis().min(i64::MAX as u128) as i64)),
            key,
        }),
        Created::Exists { .. } => {
            let (info, undo) = existing(editor, key).await?;
            Ok(Done::Exists { info, undo })
        }
    }
}

/// What an existing key is and whether replacing it could be undone (a read:
/// the capture is dropped; the overwrite takes its own).
async fn existing(editor: &Editor, key: Vec<u8>) -> Result<(KeyInfo, Undo), Error> {
    let prepared = editor.prepare_delete(&[key]).await?;
    let info = prepared
        .keys
        .first()
        .cloned()
        .ok_or_else(|| Error::Other("no facts about the existing key".into()))?;
    Ok((info, prepared.undo))
}

fn kind_of(first: &Initial) -> &'static str {
    match first {
        Initial::String(_) => "string",
        Initial::Hash { .. } => "hash",
        Initial::List(_) => "list",
        Initial::Set(_) => "set",
        Initial::Zset { .. } => "zset",
        Initial::Stream(_) => "stream",
        Initial::Json(_) => "ReJSON-RL",
    }
}
