//! Whole-key actions: rename, TTL, delete with its confirmation facts, and
//! undo of the last destructive action.

use super::Editor;
use super::create::Overwrite;
use super::snapshot::{Content, Snapshot};
use super::trash::{Entry, Reversal};
use super::ttl::Ttl;
use crate::upstash::{Cmd, Error, Reply, cmd};
use crate::value::escape::line as escape;

/// Captured bytes per undo request; base64 and JSON make the request about
/// half as big again, well under the plan's 10 MB request limit.
const RESTORE_BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Captured bytes up to which a delete re-reads its keys in the same
/// transaction as the UNLINK. A reply over the plan's size limit is replaced
/// by an error after the commands ran, so bigger captures keep the copy taken
/// for the confirmation rather than risk losing the only one.
const ATOMIC_CAPTURE_BYTES: usize = 2 * 1024 * 1024;
/// Keys per undo request, so one transaction never holds Redis for long.
const RESTORE_BATCH_KEYS: usize = 500;

/// What the delete confirmation shows about one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub key: Vec<u8>,
    /// `string`, `hash`, ... or `none` when the key does not exist.
    pub kind: String,
    /// Bytes for a string, elements for the other types.
    pub size: u64,
    /// Remaining TTL in milliseconds, `None` without expiry.
    pub pttl: Option<i64>,
}

/// Whether an action can be undone, known before acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undo {
    /// The keys are captured; undo will restore them.
    Available { bytes: usize },
    /// Over the cap: the action would not be undoable.
    TooLarge { bytes: usize, cap: usize },
}

/// A prepared delete: the facts for the confirmation and the capture for undo.
#[derive(Debug, Clone)]
pub struct Deletion {
    pub keys: Vec<KeyInfo>,
    pub undo: Undo,
    snaps: Vec<Snapshot>,
}

/// What a rename did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renamed {
    Renamed,
    /// Nothing done: the new name is taken and overwriting was not asked for.
    TargetExists,
    /// Nothing done: the key to rename no longer exists.
    SourceMissing,
}

/// What an undo did, for the list of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    /// The action's label.
    pub label: String,
    /// Keys written back.
    pub restored: Vec<Vec<u8>>,
    /// Keys that no longer exist (a rename's new name).
    pub removed: Vec<Vec<u8>>,
}

impl Undone {
    fn of(entry: Entry) -> Undone {
        let (mut restored, removed, snaps) = match entry.reversal {
            Reversal::Restore(snaps) => (Vec::new(), Vec::new(), snaps),
            Reversal::Rename { from, to, replaced } => (vec![from], vec![to], replaced),
            Reversal::Edit { key, .. } => (vec![key], Vec::new(), Vec::new()),
        };
        restored.extend(snaps.into_iter().map(|s| s.key));
        Undone {
            label: entry.label,
            restored,
            removed,
        }
    }
}

fn size_command(kind: &str, key: &[u8]) -> Cmd {
    let name: &[u8] = match kind {
        "string" => b"STRLEN",
        "hash" => b"HLEN",
        "list" => b"LLEN",
        "set" => b"SCARD",
        "zset" => b"ZCARD",
        "stream" => b"XLEN",
        _ => b"EXISTS",
    };
    cmd([name, key])
}

impl Editor {
    /// Type, size and TTL of each key, in two pipelined requests.
    pub async fn describe(&self, keys: &[Vec<u8>]) -> Result<Vec<KeyInfo>, Error> {
        let cmds: Vec<Cmd> = keys
            .iter()
            .flat_map(|k| [cmd([b"TYPE".as_slice(), k]), cmd([b"PTTL".as_slice(), k])])
            .collect();
        let replies = self.client.pipeline(&cmds).await?;
        let kinds: Vec<String> = replies
            .chunks(2)
            .map(|p| p[0].as_str().unwrap_or("none").to_string())
            .collect();
        let sizes: Vec<Cmd> = keys
            .iter()
            .zip(&kinds)
            .map(|(k, kind)| size_command(kind, k))
            .collect();
        let sizes = self.client.pipeline(&sizes).await?;
        Ok(keys
            .iter()
            .zip(kinds)
            .zip(replies.chunks(2).zip(sizes))
            .map(|((key, kind), (pair, size))| KeyInfo {
                key: key.clone(),
                kind,
                size: size.as_int().map_or(0, |n| n.max(0) as u64),
                pttl: pair.get(1).and_then(Reply::as_int).filter(|ms| *ms >= 0),
            })
            .collect())
    }

    /// Prepares deleting `keys`: what they are, and whether undo is possible.
    pub async fn prepare_delete(&self, keys: &[Vec<u8>]) -> Result<Deletion, Error> {
        let info = self.describe(keys).await?;
        let (undo, snaps) = match self.capture_capped(keys).await? {
            Ok(snaps) => {
                let bytes = snaps.iter().map(Snapshot::size).sum();
                (Undo::Available { bytes }, snaps)
            }
            Err(bytes) => {
                let cap = self.undo_cap;
                (Undo::TooLarge { bytes, cap }, Vec::new())
            }
        };
        Ok(Deletion {
            keys: info,
            undo,
            snaps,
        })
    }

    /// Captures `keys` for undo, or says how many bytes they hold when that
    /// is over the cap. Keys whose memory use is far over the cap are not
    /// downloaded at all (DUMP is compressed, so only a wide margin is sure).
    pub(super) async fn capture_capped(
        &self,
        keys: &[Vec<u8>],
    ) -> Result<Result<Vec<Snapshot>, usize>, Error> {
        let usage: Vec<Cmd> = keys
            .iter()
            .map(|k| cmd([b"MEMORY".as_slice(), b"USAGE", k, b"SAMPLES", b"0"]))
            .collect();
        // A server that refuses MEMORY USAGE gets errors here, counted as zero.
        let memory: i64 = self
            .client
            .pipeline(&usage)
            .await?
            .iter()
            .filter_map(Reply::as_int)
            .sum();
        let memory = memory.max(0) as usize;
        if memory > self.undo_cap.saturating_mul(4) {
            return Ok(Err(memory));
        }
        let snaps = match Snapshot::capture(&self.client, keys).await {
            // The dumps together are over the plan's reply size limit.
            Err(Error::Limit { .. }) => return Ok(Err(memory)),
            other => other?,
        };
        let bytes = snaps.iter().map(Snapshot::size).sum();
        Ok(if bytes > self.undo_cap {
            Err(bytes)
        } else {
            Ok(snaps)
        })
    }

    /// Deletes the prepared keys (UNLINK); returns how many existed.
    pub async fn delete(&self, deletion: Deletion) -> Result<i64, Error> {
        let keys: Vec<Vec<u8>> = deletion.keys.iter().map(|k| k.key.clone()).collect();
        let mut unlink = vec![b"UNLINK".to_vec()];
        unlink.extend(keys.iter().cloned());
        match deletion.undo {
            Undo::Available { bytes } if bytes <= ATOMIC_CAPTURE_BYTES => {}
            undo => {
                let removed = self.write(&unlink).await?.as_int().unwrap_or(0);
                if matches!(undo, Undo::Available { .. }) {
                    self.record_delete(&deletion.keys, deletion.snaps);
                }
                return Ok(removed);
            }
        }
        self.read_only.check()?;
        // The capture and the delete in one transaction, so the trash holds
        // exactly what was deleted even if someone wrote since the confirmation.
        // A server that refused DUMP for the confirmation would refuse it
        // here too, and a refused command aborts the whole transaction, so
        // the keys are then read by type (the type the confirmation saw).
        let copied = deletion
            .snaps
            .iter()
            .any(|s| matches!(s.content, Content::Copy(_)));
        let kinds: Vec<String> = deletion.keys.iter().map(|k| k.kind.clone()).collect();
        let mut cmds = if copied {
            Snapshot::copy_commands(&keys, &kinds)?
        } else {
            Snapshot::capture_commands(&keys)
        };
        cmds.push(unlink);
        let mut replies = self
            .read_only
            .observe(self.client.transaction(&cmds).await)?;
        let removed = match replies.pop() {
            Some(Reply::Error(text)) => {
                return self.read_only.observe(Err(Error::from_server(200, text)));
            }
            Some(r) => r.as_int().unwrap_or(0),
            None => 0,
        };
        let (mut snaps, refused) = if copied {
            Snapshot::from_copy_replies(&keys, &kinds, &replies)?
        } else {
            Snapshot::from_replies(&keys, &replies)?
        };
        // Where the read failed, the copy taken for the confirmation stands in.
        snaps.extend(
            deletion
                .snaps
                .into_iter()
                .filter(|s| refused.contains(&s.key)),
        );
        self.record_delete(&deletion.keys, snaps);
        Ok(removed)
    }

    fn record_delete(&self, keys: &[KeyInfo], snaps: Vec<Snapshot>) {
        if snaps.is_empty() {
            return;
        }
        let label = match keys {
            [one] => format!("delete {}", escape(&one.key)),
            many => format!("delete {} keys", many.len()),
        };
        self.trash().push(label, Reversal::Restore(snaps));
    }

    /// Sets or removes the TTL of `key`; fails if the key no longer exists.
    pub async fn set_ttl(&self, key: &[u8], ttl: Ttl) -> Result<(), Error> {
        let reply = match ttl {
            Ttl::Persist => {
                self.write(&cmd([b"PERSIST".as_slice(), key])).await?;
                self.client.command(&[b"EXISTS".as_slice(), key]).await?
            }
            Ttl::Expire(d) => {
                let ms = d.as_millis().max(1).to_string();
                self.write(&cmd([b"PEXPIRE".as_slice(), key, ms.as_bytes()]))
                    .await?
            }
        };
        match reply.as_int() {
            Some(1) => Ok(()),
            _ => Err(Error::Input("the key no longer exists".into())),
        }
    }

    /// Renames `from` to `to`: RENAMENX unless `overwrite` allows replacing
    /// `to`. The rename is recorded for undo (with what it replaced).
    pub async fn rename(
        &self,
        from: &[u8],
        to: &[u8],
        overwrite: Overwrite,
    ) -> Result<Renamed, Error> {
        self.read_only.check()?;
        let replaced = self.capture_for(overwrite, &[to.to_vec()]).await?;
        let name: &[u8] = if overwrite == Overwrite::Never {
            b"RENAMENX"
        } else {
            b"RENAME"
        };
        let reply = match self.write(&cmd([name, from, to])).await {
            Err(Error::Command(text)) if text.contains("no such key") => {
                return Ok(Renamed::SourceMissing);
            }
            other => other?,
        };
        if reply.as_int() == Some(0) {
            return Ok(Renamed::TargetExists);
        }
        if overwrite != Overwrite::WithoutUndo {
            let label = format!("rename {} to {}", escape(from), escape(to));
            let reversal = Reversal::Rename {
                from: from.to_vec(),
                to: to.to_vec(),
                replaced,
            };
            self.trash().push(label, reversal);
        }
        Ok(Renamed::Renamed)
    }

    /// Undoes the most recent recorded action; returns its label, or `None`
    /// when the trash is empty. On failure the action stays in the trash.
    pub async fn undo(&self) -> Result<Option<String>, Error> {
        Ok(self.undo_item(None).await?.map(|u| u.label))
    }

    /// Undoes action `id` from the trash (the most recent with `None`), and
    /// says which keys came back and which went; `None` when there is no
    /// such action. On failure the action stays in the trash.
    pub async fn undo_item(&self, id: Option<u64>) -> Result<Option<Undone>, Error> {
        self.read_only.check()?;
        let entry = match id {
            None => self.trash().pop(),
            Some(id) => self.trash().take(id),
        };
        let Some(entry) = entry else {
            return Ok(None);
        };
        match self.reverse(&entry).await {
            Ok(()) => Ok(Some(Undone::of(entry))),
            Err(e) => {
                self.trash().put_back(entry);
                Err(e)
            }
        }
    }

    async fn reverse(&self, entry: &Entry) -> Result<(), Error> {
        match &entry.reversal {
            Reversal::Restore(snaps) => self.restore(snaps).await,
            Reversal::Rename { from, to, replaced } => {
                let back = self.write(&cmd([b"RENAMENX".as_slice(), to, from])).await?;
                if back.as_int() == Some(0) {
                    return Err(Error::Input(format!(
                        "cannot undo the rename: {} exists again",
                        escape(from)
                    )));
                }
                self.restore(replaced).await
            }
            Reversal::Edit { key, inverse } => self.undo_edit(key, inverse, &entry.label).await,
        }
    }

    /// Writes snapshots back, each key atomically, in requests of bounded size.
    async fn restore(&self, snaps: &[Snapshot]) -> Result<(), Error> {
        let mut batch: Vec<Cmd> = Vec::new();
        let mut bytes = 0;
        for (i, snap) in snaps.iter().enumerate() {
            batch.extend(snap.restore_commands());
            bytes += snap.size();
            let full = bytes >= RESTORE_BATCH_BYTES || (i + 1) % RESTORE_BATCH_KEYS == 0;
            if full || i + 1 == snaps.len() {
                self.read_only.check()?;
                let replies = self
                    .read_only
                    .observe(self.client.transaction(&batch).await)?;
                if let Some(Reply::Error(text)) =
                    replies.iter().find(|r| matches!(r, Reply::Error(_)))
                {
                    return Err(Error::from_server(200, text.clone()));
                }
                batch.clear();
                bytes = 0;
            }
        }
        Ok(())
    }
}
