//! Bulk delete by pattern or folder: a dry run that counts and samples, then
//! pipelined UNLINK in batches with progress, pause and cancel, captured for
//! undo batch by batch.

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::Editor;
use super::keys::Undo;
use super::snapshot::Snapshot;
use super::trash::Reversal;
use crate::upstash::{Client, Cmd, Error, Reply, cmd};

/// Keys asked for per SCAN.
const SCAN_COUNT: usize = 1000;
/// Keys per UNLINK command.
const UNLINK_KEYS: usize = 100;
/// How many sample keys a dry run keeps.
const SAMPLE: usize = 20;

/// What a bulk delete would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRun {
    /// Matching keys now.
    pub keys: u64,
    /// The first few of them.
    pub sample: Vec<Vec<u8>>,
    /// Requests the real run will send with undo: per SCAN page, the SCAN,
    /// a capture and an UNLINK pipeline (pages without matches: the SCAN only).
    pub requests: u64,
    /// Whether the run can be undone, from the keys' memory usage.
    pub undo: Undo,
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
    for part in [folder, delimiter] {
        for &b in part {
            if matches!(b, b'*' | b'?' | b'[' | b']' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
    }
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
    /// Counts and samples the keys matching `pattern`, and estimates the
    /// requests and whether undo is possible; writes nothing.
    pub async fn bulk_dry_run(&self, pattern: &[u8]) -> Result<DryRun, Error> {
        let (mut keys, mut pages, mut bytes) = (0u64, 0u64, 0usize);
        let mut sample = Vec::new();
        let mut cursor = b"0".to_vec();
        loop {
            let (next, page) = scan(&self.client, &cursor, pattern).await?;
            pages += 1;
            keys += page.len() as u64;
            if bytes <= self.undo_cap && !page.is_empty() {
                let usage: Vec<Cmd> = page
                    .iter()
                    .map(|k| cmd([b"MEMORY".as_slice(), b"USAGE", k, b"SAMPLES", b"0"]))
                    .collect();
                let sizes = self.client.pipeline(&usage).await?;
                bytes += sizes.iter().filter_map(Reply::as_int).sum::<i64>().max(0) as usize;
            }
            sample.extend(page.into_iter().take(SAMPLE - sample.len().min(SAMPLE)));
            if next == b"0" {
                break;
            }
            cursor = next;
        }
        let undo = if bytes > self.undo_cap {
            Undo::TooLarge {
                bytes,
                cap: self.undo_cap,
            }
        } else {
            Undo::Available { bytes }
        };
        // Each non-empty page costs a capture and an UNLINK pipeline besides its SCAN.
        let busy_pages = keys.div_ceil(SCAN_COUNT as u64).min(pages);
        Ok(DryRun {
            keys,
            sample,
            requests: pages + 2 * busy_pages,
            undo,
        })
    }

    /// Deletes every key matching `pattern`, page by page, reporting after
    /// each batch. With `undo`, each batch is captured before it is deleted,
    /// and the run stops before a batch that would pass the undo cap; what
    /// was deleted goes to the trash as one action, even when cancelled.
    pub async fn bulk_delete(
        &self,
        pattern: &[u8],
        expected: u64,
        undo: bool,
        control: &Control,
        mut progress: impl FnMut(Progress),
    ) -> Result<Report, Error> {
        self.read_only.check()?;
        let mut report = Report {
            deleted: 0,
            cancelled: false,
            undo_cap_reached: false,
        };
        let (mut matched, mut captured, mut bytes) = (0u64, Vec::new(), 0usize);
        let mut cursor = b"0".to_vec();
        let result = loop {
            if !control.proceed().await {
                report.cancelled = true;
                break Ok(());
            }
            let (next, page) = match scan(&self.client, &cursor, pattern).await {
                Ok(p) => p,
                Err(e) => break Err(e),
            };
            if !page.is_empty() {
                if undo {
                    let snaps = match Snapshot::capture(&self.client, &page).await {
                        Ok(s) => s,
                        Err(e) => break Err(e),
                    };
                    bytes += snaps.iter().map(Snapshot::size).sum::<usize>();
                    if bytes > self.undo_cap {
                        report.undo_cap_reached = true;
                        break Ok(());
                    }
                    captured.extend(snaps);
                }
                let unlinks: Vec<Cmd> = page
                    .chunks(UNLINK_KEYS)
                    .map(|chunk| {
                        let mut c = vec![b"UNLINK".to_vec()];
                        c.extend(chunk.iter().cloned());
                        c
                    })
                    .collect();
                match self.write_pipeline(&unlinks).await {
                    Ok(replies) => {
                        let n: i64 = replies.iter().filter_map(Reply::as_int).sum();
                        report.deleted += n.max(0) as u64;
                    }
                    Err(e) => break Err(e),
                }
                matched += page.len() as u64;
                progress(Progress {
                    deleted: report.deleted,
                    matched,
                    expected,
                });
            }
            if next == b"0" {
                break Ok(());
            }
            cursor = next;
        };
        if !captured.is_empty() {
            let label = format!("bulk delete {}", crate::value::escape::line(pattern));
            self.trash().push(label, Reversal::Restore(captured));
        }
        result.map(|()| report)
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
