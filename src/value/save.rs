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

use std::path::Path;

use tokio::io::{AsyncWrite, AsyncWriteExt as _, BufWriter};

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
        let mut buf = Vec::new();
        match &page.rows {
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
        if !matches!(page.rows, Rows::Chunk { .. } | Rows::Json(_)) {
            saved.rows += page.rows.len() as u64;
        }
        out.write_all(&buf).await.map_err(write_error)?;
        saved.bytes += buf.len() as u64;
        next = page.next;
    }
    Ok(saved)
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
