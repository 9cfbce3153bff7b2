//! Bulk delete by pattern or folder: a dry run that counts, samples and
//! remembers the matching keys, then batches of those keys, each captured
//! for undo and unlinked, with progress, pause and cancel. A dry run that
//! matched more keys than it remembers leaves the run to scan again, page
//! by page.
//!
//! At a distance every request costs a round trip, so the dry run asks for
//! big SCAN pages and estimates the undo size from a sample rather than key
//! by key, and the run sends two requests per batch of keys instead of
//! three per SCAN page.

use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::Editor;
use super::keys::Undo;
use super::snapshot::Snapshot;
use super::trash::Reversal;
use crate::upstash::{Client, Cmd, Error, Reply, cmd};

/// Keys asked for per SCAN (one command whatever its COUNT).
const SCAN_COUNT: usize = 5000;
/// Keys per UNLINK command.
const UNLINK_KEYS: usize = 100;
/// Keys per batch of the run: one capture and one UNLINK pipeline.
const BATCH: usize = 500;
/// The most keys a dry run remembers for the run.
const REMEMBER: usize = 200_000;
/// How many keys' MEMORY USAGE the dry run reads to estimate the undo size.
const SIZE_SAMPLE: usize = 50;
/// How many sample keys a dry run keeps.
const SAMPLE: usize = 20;

/// What a bulk delete would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRun {
    /// Matching keys now.
    pub keys: u64,
    /// The first few of them.
    pub sample: Vec<Vec<u8>>,
    /// Requests the real run will send.
    pub requests: u64,
    /// Whether the run can be undone, from a sample of the keys' memory usage.
    pub undo: Undo,
    /// Every matching key, for the run to delete without scanning again
    /// (`None` when there were more than it keeps).
    pub found: Option<Arc<[Vec<u8>]>>,
}

/// Progress of a running bulk delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub deleted: u64,
    /// Keys matched so far (deleted, or gone already).
    pub matched: u64,
    /// The dry run's count, for a percentage.
    pub expected: u64,
}

/// How a bulk delete ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub deleted: u64,
    /// Stopped by [`Control::cancel`] before the end.
    pub cancelled: bool,
    /// Stopped before a batch that would have taken the capture over the undo cap.
    pub undo_cap_reached: bool,
}

/// Pause, resume and cancel for a running bulk delete; clones share the state.
#[derive(Debug, Clone)]
pub struct Control {
    cancel: CancellationToken,
    paused: watch::Sender<bool>,
}

impl Default for Control {
    fn default() -> Self {
        Control {
            cancel: CancellationToken::new(),
            paused: watch::Sender::new(false),
        }
    }
}

impl Control {
    /// Stops the run after the batch in flight (a sent write is not cut off).
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Holds the run before its next batch.
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    /// Lets a paused run go on.
    pub fn resume(&self) {
        self.paused.send_replace(false);
    }

    /// Waits while paused; false once cancelled.
    async fn proceed(&self) -> bool {
        let mut rx = self.paused.subscribe();
        tokio::select! {
            _ = self.cancel.cancelled() => false,
            r = rx.wait_for(|paused| !paused) => r.is_ok() && !self.cancel.is_cancelled(),
        }
    }
}

/// The SCAN pattern for every key under `folder` (glob characters escaped).
pub fn folder_pattern(folder: &[u8], delimiter: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(folder.len() + delimiter.len() + 1);
    crate::scan::push_literal(&mut out, folder);
    crate::scan::push_literal(&mut out, delimiter);
    out.push(b'*');
    out
}

/// One SCAN page: the next cursor and the keys.
async fn scan(
    client: &Client,
    cursor: &[u8],
    pattern: &[u8],
) -> Result<(Vec<u8>, Vec<Vec<u8>>), Error> {
    let count = SCAN_COUNT.to_string();
    let argv = cmd([
        b"SCAN".as_slice(),
        cursor,
        b"MATCH",
        pattern,
        b"COUNT",
        count.as_bytes(),
    ]);
    let reply = client.command(&argv).await?;
    let bad = || Error::Other("unexpected reply to SCAN".into());
    let mut parts = reply.into_array().ok_or_else(bad)?.into_iter();
    let next = parts.next().and_then(Reply::into_bytes).ok_or_else(bad)?;
    let keys = parts.next().and_then(Reply::into_array).ok_or_else(bad)?;
    Ok((
        next,
        keys.into_iter().filter_map(Reply::into_bytes).collect(),
    ))
}

impl Editor {
    /// Counts, samples and remembers the keys matching `pattern`, and
    /// estimates the requests and whether undo is possible; writes nothing.
    pub async fn bulk_dry_run(&self, pattern: &[u8]) -> Result<DryRun, Error> {
        let (mut keys, mut pages) = (0u64, 0u64);
        let mut found: Option<Vec<Vec<u8>>> = Some(Vec::new());
        let mut sample = Vec::new();
        let mut cursor = b"0".to_vec();
        loop {
            let (next, page) = scan(&self.client, &cursor, pattern).await?;
            pages += 1;
            keys += page.len() as u64;
            sample.extend(page.iter().take(SAMPLE - sample.len().min(SAMPLE)).cloned());
            found = found
                .filter(|f| f.len() + page.len() <= REMEMBER)
                .map(|mut f| {
                    f.extend(page);
                    f
                });
            if next == b"0" {
                break;
            }
            cursor = next;
        }
        let bytes = match &found {
            Some(f) => self.estimate_bytes(f).await?,
            None => self.estimate_bytes(&sample).await? / sample.len().max(1) * keys as usize,
        };
        let undo = if bytes > self.undo_cap {
            Undo::TooLarge {
                bytes,
                cap: self.undo_cap,
            }
        } else {
            Undo::Available { bytes }
        };
        // A capture and an UNLINK pipeline per batch, and the SCAN pages again
        // when the keys were too many to keep.
        let batches = 2 * keys.div_ceil(BATCH as u64);
        let requests = if found.is_some() {
            batches
        } else {
            pages + batches
        };
        Ok(DryRun {
            keys,
            sample,
            requests,
            undo,
            found: found.map(Arc::from),
        })
    }

    /// The memory `keys` use, from MEMORY USAGE on an even sample of them in
    /// one pipeline, scaled to all; zero where the server refuses it.
    async fn estimate_bytes(&self, keys: &[Vec<u8>]) -> Result<usize, Error> {
        if keys.is_empty() {
            return Ok(0);
        }
        let step = keys.len().div_ceil(SIZE_SAMPLE);
        let usage: Vec<Cmd> = keys
            .iter()
            .step_by(step)
            .map(|k| cmd([b"MEMORY".as_slice(), b"USAGE", k, b"SAMPLES", b"0"]))
            .collect();
        let sizes = self.client.pipeline(&usage).await?;
        let sum = sizes.iter().filter_map(Reply::as_int).sum::<i64>().max(0) as usize;
        Ok(sum / usage.len() * keys.len())
    }

    /// Deletes the keys a dry run of `pattern` found (`found`), or every
    /// key matching `pattern` page by page when it found too many to keep,
    /// reporting after each batch. With `undo`, each batch is captured
    /// before it is deleted, and the run stops before a batch that would take
    /// the captures over the undo cap; what was deleted goes to the trash as
    /// one action, even when cancelled. A key created after the dry run is
    /// left alone when the dry run's keys are used.
    pub async fn bulk_delete(
        &self,
        pattern: &[u8],
        found: Option<&[Vec<u8>]>,
        expected: u64,
        undo: bool,
        control: &Control,
        mut progress: impl FnMut(Progress),
    ) -> Result<Report, Error> {
        self.read_only.check()?;
        let mut run = Run {
            editor: self,
            undo,
            report: Report {
                deleted: 0,
                cancelled: false,
                undo_cap_reached: false,
            },
            captured: Vec::new(),
            bytes: 0,
        };
        let mut matched = 0u64;
        // The keys to delete next: the dry run's, or a page at a time.
        let mut pending: Vec<Vec<u8>> = found.map(<[Vec<u8>]>::to_vec).unwrap_or_default();
        let (mut at, mut scanning) = (0, found.is_none());
        let mut cursor = b"0".to_vec();
        let result = loop {
            if !control.proceed().await {
                run.report.cancelled = true;
                break Ok(());
            }
            if at == pending.len() {
                if !scanning {
                    break Ok(());
                }
                match scan(&self.client, &cursor, pattern).await {
                    Ok((next, page)) => {
                        scanning = next != b"0";
                        (cursor, pending, at) = (next, page, 0);
                        continue;
                    }
                    Err(e) => break Err(e),
                }
            }
            let batch = &pending[at..(at + BATCH).min(pending.len())];
            at += batch.len();
            if let Err(e) = run.delete(batch).await {
                break Err(e);
            }
            matched += batch.len() as u64;
            progress(Progress {
                deleted: run.report.deleted,
                matched,
                expected,
            });
            if run.report.undo_cap_reached {
                break Ok(());
            }
        };
        if !run.captured.is_empty() {
            let label = format!("bulk delete {}", crate::value::escape::line(pattern));
            self.trash().push(label, Reversal::Restore(run.captured));
        }
        result.map(|()| run.report)
    }
}

/// A bulk delete under way: what it captured and deleted so far.
struct Run<'a> {
    editor: &'a Editor,
    undo: bool,
    report: Report,
    captured: Vec<Snapshot>,
    bytes: usize,
}

impl Run<'_> {
    /// Deletes one batch, captured first when undo is on (a read: a reply
    /// too large for the plan fails it before anything is deleted); a batch
    /// whose capture would take the captures over the undo cap is left.
    async fn delete(&mut self, batch: &[Vec<u8>]) -> Result<(), Error> {
        if self.undo {
            let snaps = Snapshot::capture(&self.editor.client, batch).await?;
            self.bytes += snaps.iter().map(Snapshot::size).sum::<usize>();
            if self.bytes > self.editor.undo_cap {
                self.report.undo_cap_reached = true;
                return Ok(());
            }
            self.captured.extend(snaps);
        }
        let unlinks: Vec<Cmd> = batch
            .chunks(UNLINK_KEYS)
            .map(|chunk| {
                let mut c = vec![b"UNLINK".to_vec()];
                c.extend(chunk.iter().cloned());
                c
            })
            .collect();
        let replies = self.editor.write_pipeline(&unlinks).await?;
        let n: i64 = replies.iter().filter_map(Reply::as_int).sum();
        self.report.deleted += n.max(0) as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_patterns_escape_glob_characters() {
        assert_eq!(folder_pattern(b"user", b":"), b"user:*");
        assert_eq!(folder_pattern(b"a*b[1]", b"/"), b"a\\*b\\[1\\]/*");
    }
}
