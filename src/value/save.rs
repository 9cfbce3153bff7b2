//! Saving a whole value to a file, streamed: a string in GETRANGE ranges,
//! a collection page by page, so memory stays at one page whatever the size.
//!
//! The file format:
//! - string and ReJSON: the bytes exactly as stored;
//! - list and set: one element per line;
//! - hash: `field<TAB>value` per line;
//! - zset: `score<TAB>member` per line, by rank;
//! - stream: `id<TAB>field<TAB>value...` per entry.
//!
//! In the line formats every element is escaped with [`escape::line`]
//! (`\n`, `\t`, `\r`, `\\`, `\xNN`), so [`escape::unescape`] restores it
//! exactly. A value that changes during the save is saved as the pages saw
//! it; SCAN may then repeat a hash field or set member.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncWrite, AsyncWriteExt as _, BufWriter};
use tokio_util::sync::CancellationToken;

use crate::upstash::{Client, Error};

use super::escape;
use super::kind::Kind;
use super::limits::Limits;
use super::load::fetch;
use super::page::{PageReq, Rows};

/// Rows per request while saving: larger than a screen page, to save requests.
const SAVE_ROWS: usize = 1000;

/// What a save wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Saved {
    /// Bytes written to the file.
    pub bytes: u64,
    /// Elements written (0 for strings and documents).
    pub rows: u64,
    /// HTTP requests the save took.
    pub requests: usize,
}

/// How a save into a file ended, or how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Written so far (sent after each page).
    Progress(Saved),
    /// All of it written.
    Done(Saved),
    /// Nothing written: the file exists (its size in bytes) and overwriting was not asked.
    Exists(u64),
    /// Stopped on request; the partial file was removed.
    Stopped,
    /// Failed, with the reason as one line; a file this save created is removed.
    Failed(String),
}

/// A handle that stops a save between two pages.
#[derive(Debug, Clone, Default)]
pub struct Stop(CancellationToken);

impl Stop {
    /// Asks the save to stop before its next page.
    pub fn stop(&self) {
        self.0.cancel();
    }

    fn stopped(&self) -> bool {
        self.0.is_cancelled()
    }
}

// Two handles are the same request whatever their state, as effects compare.
impl PartialEq for Stop {
    fn eq(&self, _: &Stop) -> bool {
        true
    }
}

impl Eq for Stop {}

/// Where a save goes: the file, whether it may replace one, and its stop handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The file to write.
    pub path: PathBuf,
    /// Replace the file if it exists (asked after [`Report::Exists`]).
    pub overwrite: bool,
    /// Stops the save between two pages.
    pub stop: Stop,
}

/// `~` and `~/...` as the user's home; other paths as they are.
pub fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(h)) => h.to_path_buf(),
        (Some(rest), Some(h)) if rest.starts_with('/') => h.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(path),
    }
}

/// Saves the whole value of `key` to `path`, reporting progress after each
/// page and stopping when asked; an existing file is replaced only with
/// `overwrite`. Returns the last report (never [`Report::Progress`]).
pub async fn save_file(
    client: &Client,
    key: &[u8],
    kind: &Kind,
    to: &Destination,
    limits: &Limits,
    mut progress: impl FnMut(Saved),
) -> Report {
    let (path, stop) = (to.path.as_path(), &to.stop);
    if let Err(e) = first_request(kind, limits) {
        return Report::Failed(e.to_string());
    }
    let mut open = tokio::fs::OpenOptions::new();
    open.write(true);
    if to.overwrite {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let file = match open.open(path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let size = tokio::fs::metadata(path).await.map_or(0, |m| m.len());
            return Report::Exists(size);
        }
        Err(e) => return Report::Failed(create_error(path, &e)),
    };
    let mut out = BufWriter::new(file);
    let mut saved = Saved::default();
    let mut next = first_request(kind, limits).ok();
    let result: Result<bool, Error> = async {
        while let Some(req) = next {
            if stop.stopped() {
                return Ok(false);
            }
            let page = fetch(client, key, &req).await?;
            let buf = page_bytes(&page.rows)?;
            saved.requests += 1;
            if !matches!(page.rows, Rows::Chunk { .. } | Rows::Json(_)) {
                saved.rows += page.rows.len() as u64;
            }
            out.write_all(&buf).await.map_err(write_error)?;
            saved.bytes += buf.len() as u64;
            progress(saved);
            next = page.next;
        }
        out.flush().await.map_err(write_error)?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => Report::Done(saved),
        Ok(false) => {
            remove(path).await;
            Report::Stopped
        }
        Err(e) => {
            remove(path).await;
            Report::Failed(e.to_string())
        }
    }
}

async fn remove(path: &Path) {
    if let Err(e) = tokio::fs::remove_file(path).await {
        tracing::warn!("could not remove the partial file {}: {e}", path.display());
    }
}

/// Why a file cannot be created, in words that say what to do.
fn create_error(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let why = match e.kind() {
        PermissionDenied | ReadOnlyFilesystem => {
            "permission denied (the folder cannot be written here)".to_string()
        }
        NotFound => "no such folder".to_string(),
        IsADirectory => "that is a folder; add a file name".to_string(),
        _ => e.to_string(),
    };
    format!("cannot create {}: {why}; type another path", path.display())
}

/// Saves the whole value of `key` (of `kind`) to a new file at `path`.
pub async fn save_to_path(
    client: &Client,
    key: &[u8],
    kind: &Kind,
    path: &Path,
    limits: &Limits,
) -> Result<Saved, Error> {
    // Refuse before creating the file, so nothing is left behind.
    first_request(kind, limits)?;
    let file = tokio::fs::File::create(path)
        .await
        .map_err(|e| Error::Other(format!("cannot create {}: {e}", path.display())))?;
    let mut out = BufWriter::new(file);
    let saved = save(client, key, kind, &mut out, limits).await?;
    out.flush().await.map_err(write_error)?;
    Ok(saved)
}

/// Streams the whole value of `key` (of `kind`) into `out`.
pub async fn save<W: AsyncWrite + Unpin>(
    client: &Client,
    key: &[u8],
    kind: &Kind,
    out: &mut W,
    limits: &Limits,
) -> Result<Saved, Error> {
    let mut saved = Saved::default();
    let mut next = Some(first_request(kind, limits)?);
    while let Some(req) = next {
        let page = fetch(client, key, &req).await?;
        saved.requests += 1;
        let buf = page_bytes(&page.rows)?;
        if !matches!(page.rows, Rows::Chunk { .. } | Rows::Json(_)) {
            saved.rows += page.rows.len() as u64;
        }
        out.write_all(&buf).await.map_err(write_error)?;
        saved.bytes += buf.len() as u64;
        next = page.next;
    }
    Ok(saved)
}

/// One page as the file's lines (or bytes, for a string or document).
fn page_bytes(rows: &Rows) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    match rows {
        Rows::Chunk { bytes, .. } | Rows::Json(bytes) => buf.extend_from_slice(bytes),
        Rows::Fields(rows) => {
            for (f, v) in rows {
                buf.extend(format!("{}\t{}\n", escape::line(f), escape::line(v)).bytes());
            }
        }
        Rows::Items { items: rows, .. } | Rows::Members(rows) => {
            for r in rows {
                buf.extend(format!("{}\n", escape::line(r)).bytes());
            }
        }
        Rows::Scored { rows, .. } => {
            for (member, score) in rows {
                let line = format!("{}\t{}\n", escape::line(score), escape::line(member));
                buf.extend(line.bytes());
            }
        }
        Rows::Entries(entries) => {
            for e in entries {
                let mut line = escape::line(&e.id);
                for (f, v) in &e.fields {
                    line.push('\t');
                    line.push_str(&escape::line(f));
                    line.push('\t');
                    line.push_str(&escape::line(v));
                }
                line.push('\n');
                buf.extend(line.bytes());
            }
        }
        Rows::Unavailable(why) => return Err(Error::Other(why.clone())),
    }
    Ok(buf)
}

/// The first request of a save: a large range for strings, large pages otherwise.
fn first_request(kind: &Kind, limits: &Limits) -> Result<PageReq, Error> {
    let paging = Limits {
        rows: SAVE_ROWS,
        ..limits.clone()
    };
    match kind {
        Kind::String => Some(PageReq::Range {
            offset: 0,
            len: limits.save_chunk.max(1),
        }),
        _ => PageReq::first(kind, &paging),
    }
    .ok_or_else(|| Error::Other(format!("cannot save a value of type {kind}")))
}

fn write_error(e: std::io::Error) -> Error {
    Error::Other(format!("cannot write the file: {e}"))
}
