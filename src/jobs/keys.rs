//! The jobs on one key: create, rename, TTL and delete, with a look at the
//! key in the way when a create or rename finds its name taken.

use std::time::Duration;

use super::Done;
use crate::edit::{Created, Deletion, Editor, Initial, KeyInfo, Overwrite, Renamed, Ttl, Undo};
use crate::upstash::Error;

pub(super) async fn create(
    editor: &Editor,
    key: Vec<u8>,
    first: Initial,
    ttl: Option<Duration>,
    overwrite: Overwrite,
) -> Result<Done, Error> {
    match editor.create(&key, &first, ttl, overwrite).await? {
        Created::Created => Ok(Done::Created {
            kind: kind_of(&first),
            ttl_ms: Some(ttl.map_or(-1, millis)),
            key,
        }),
        Created::Exists { .. } => {
            let (info, undo) = existing(editor, key).await?;
            Ok(Done::Exists { info, undo })
        }
    }
}

pub(super) async fn rename(
    editor: &Editor,
    from: Vec<u8>,
    to: Vec<u8>,
    overwrite: Overwrite,
) -> Result<Done, Error> {
    match editor.rename(&from, &to, overwrite).await? {
        Renamed::Renamed => Ok(Done::Renamed { from, to }),
        Renamed::SourceMissing => Ok(Done::SourceMissing),
        Renamed::TargetExists => {
            let (info, undo) = existing(editor, to).await?;
            Ok(Done::TargetExists { info, undo })
        }
    }
}

pub(super) async fn set_ttl(editor: &Editor, key: Vec<u8>, ttl: Ttl) -> Result<Done, Error> {
    editor.set_ttl(&key, ttl).await?;
    let ttl_ms = match ttl {
        Ttl::Persist => -1,
        Ttl::Expire(d) => millis(d),
    };
    Ok(Done::TtlSet { key, ttl_ms })
}

pub(super) async fn delete(editor: &Editor, deletion: Deletion) -> Result<Done, Error> {
    let keys = deletion.keys.iter().map(|k| k.key.clone()).collect();
    let removed = editor.delete(deletion).await?;
    Ok(Done::Deleted { keys, removed })
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

fn millis(d: Duration) -> i64 {
    d.as_millis().min(i64::MAX as u128) as i64
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
