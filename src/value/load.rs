//! Opening a key and fetching its pages through the client.
//!
//! The common path is one request: the Keys pane already knows the key's
//! type (from SCAN's WITHTYPE or its TYPE pipeline), so [`open`] sends TYPE,
//! PTTL, OBJECT ENCODING, MEMORY USAGE, the length command (and XINFO GROUPS
//! for a stream) together with the first page in one pipeline. TYPE is in
//! there to check that belief: if the key changed type meanwhile, a second
//! pipeline for the real type follows. When the type is not known, one TYPE
//! request comes first: a single pipeline with every length command and
//! every kind of first page would be wrong (WRONGTYPE replies) and wasteful.

use crate::upstash::{Client, Error, Reply};

use super::header::{self, Header};
use super::kind::Kind;
use super::limits::Limits;
use super::page::{Page, PageReq};

/// An opened key: its header and first page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Type, TTL, length, encoding, memory (and groups for a stream).
    pub header: Header,
    /// The request the first page answered, `None` for kinds without rows.
    pub req: Option<PageReq>,
    /// The first page, `None` for kinds without rows.
    pub page: Option<Page>,
    /// HTTP requests spent opening it (1 on the common path).
    pub requests: usize,
}

/// Opens `key`: its header and first page, in one request when `known`
/// holds its type (see the module documentation).
pub async fn open(
    client: &Client,
    key: &[u8],
    known: Option<&Kind>,
    limits: &Limits,
) -> Result<Opened, Error> {
    open_at(client, key, known, |kind| PageReq::first(kind, limits)).await
}

/// Like [`open`], with the first page chosen by `first` for the key's type
/// (reverse order, a MATCH search), still in the same pipeline.
pub async fn open_at(
    client: &Client,
    key: &[u8],
    known: Option<&Kind>,
    first: impl Fn(&Kind) -> Option<PageReq>,
) -> Result<Opened, Error> {
    let mut requests = 0;
    let mut kind = match known {
        Some(k) => k.clone(),
        None => {
            requests += 1;
            header::parse_kind(&client.command(&[&b"TYPE"[..], key]).await?)?
        }
    };
    // Two tries: a key may change type between two requests, rarely twice.
    for _ in 0..2 {
        let mut cmds = header::commands(key, &kind);
        let req = first(&kind);
        if let Some(r) = &req {
            cmds.push(r.command(key));
        }
        requests += 1;
        let mut replies = client.pipeline(&cmds).await?;
        let actual = header::parse_kind(replies.first().unwrap_or(&Reply::Nil))?;
        if actual != kind {
            kind = actual;
            continue;
        }
        let page_reply = replies.split_off(header::command_count(&kind).min(replies.len()));
        let header = Header::parse(key, kind, replies)?;
        let page = match (&req, page_reply.into_iter().next()) {
            (Some(r), Some(reply)) => Some(r.parse(reply)?),
            _ => None,
        };
        return Ok(Opened {
            header,
            req,
            page,
            requests,
        });
    }
    Err(Error::Other(
        "the key keeps changing type; try again".to_string(),
    ))
}

/// Fetches one page of `key`.
pub async fn fetch(client: &Client, key: &[u8], req: &PageReq) -> Result<Page, Error> {
    // A pipeline of one keeps Redis' error as a reply (so JSON.GET on a
    // server without the module can be told apart from a failed request).
    let reply = client
        .pipeline(&[req.command(key)])
        .await?
        .into_iter()
        .next()
        .unwrap_or(Reply::Nil);
    req.parse(reply)
}

/// Fetches one page, and for a MATCH scan keeps scanning (up to
/// [`Limits::match_budget`] requests) until it has at least half a page of
/// rows or the scan ends: a rare pattern in a big hash otherwise yields many
/// empty pages. Returns the page and the requests it took.
pub async fn fetch_filled(
    client: &Client,
    key: &[u8],
    req: &PageReq,
    limits: &Limits,
) -> Result<(Page, usize), Error> {
    let mut page = fetch(client, key, req).await?;
    let mut requests = 1;
    let filtering = matches!(
        req,
        PageReq::HashScan(s) | PageReq::SetScan(s) | PageReq::ZScan(s) if s.pattern.is_some()
    );
    if !filtering {
        return Ok((page, requests));
    }
    let want = (limits.rows / 2).max(1);
    while page.rows.len() < want && requests < limits.match_budget {
        let Some(next) = page.next.take() else { break };
        let more = fetch(client, key, &next).await?;
        requests += 1;
        page.rows.extend(more.rows);
        page.next = more.next;
    }
    Ok((page, requests))
}
