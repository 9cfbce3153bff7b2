//! One page of a value: the request that fetches it and the rows it holds.
//!
//! Every request is bounded (a byte range or about [`Limits::rows`] rows), so
//! a 1 000 000-element hash or list opens as fast as a small one. A page
//! carries the request for the page after it, if any.

use crate::upstash::{Cmd, Error, Reply, cmd};

use super::shape::{byte_list, bytes_of, pairs, scan_reply};

use super::kind::Kind;
use super::limits::Limits;
use super::stream::{self, Entry};

/// A field and its value, or a member and its score.
pub type Pair = (Vec<u8>, Vec<u8>);

/// What to fetch for one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageReq {
    /// `GETRANGE key offset offset+len-1`.
    Range { offset: u64, len: u64 },
    /// `HSCAN key cursor [MATCH pattern] COUNT count`.
    HashScan(Scan),
    /// `LRANGE key start start+count-1`.
    ListRange { start: u64, count: usize },
    /// `SSCAN key cursor [MATCH pattern] COUNT count`.
    SetScan(Scan),
    /// `ZRANGE key start stop [REV] WITHSCORES`, by rank.
    ZRange { start: u64, count: usize, rev: bool },
    /// `ZSCAN key cursor [MATCH pattern] COUNT count`, for search.
    ZScan(Scan),
    /// `XRANGE`/`XREVRANGE` from the start (or end), or after an exclusive id.
    Stream {
        after: Option<Vec<u8>>,
        count: usize,
        rev: bool,
    },
    /// `JSON.GET key`: the whole document (RedisJSON has no ranges).
    Json,
}

/// A SCAN-family cursor position with its optional MATCH pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The server's cursor; `0` starts (and, returned, ends) the scan.
    pub cursor: Vec<u8>,
    /// A glob the server filters elements with.
    pub pattern: Option<Vec<u8>>,
    /// The COUNT hint: elements the server examines per call.
    pub count: usize,
}

impl Scan {
    /// A scan from the beginning.
    pub fn start(pattern: Option<Vec<u8>>, count: usize) -> Scan {
        Scan {
            cursor: b"0".to_vec(),
            pattern,
            count,
        }
    }

    fn args(&self, name: &str, key: &[u8]) -> Cmd {
        let mut c = cmd([name.as_bytes(), key, &self.cursor]);
        if let Some(p) = &self.pattern {
            c.push(b"MATCH".to_vec());
            c.push(p.clone());
        }
        c.push(b"COUNT".to_vec());
        c.push(self.count.to_string().into_bytes());
        c
    }

    fn after(&self, cursor: Vec<u8>) -> Option<Scan> {
        (cursor != b"0").then(|| Scan {
            cursor,
            ..self.clone()
        })
    }
}

/// The rows of one page, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    /// A byte range of a string starting at `offset`.
    Chunk { offset: u64, bytes: Vec<u8> },
    /// Hash fields and values.
    Fields(Vec<Pair>),
    /// List elements; `start` is the index of the first.
    Items { start: u64, items: Vec<Vec<u8>> },
    /// Set members.
    Members(Vec<Vec<u8>>),
    /// Sorted-set members and scores (scores exact, as the server wrote them);
    /// `start` is the rank of the first when paged by rank.
    Scored { start: Option<u64>, rows: Vec<Pair> },
    /// Stream entries.
    Entries(Vec<Entry>),
    /// A RedisJSON document as the server serialised it.
    Json(Vec<u8>),
    /// The server cannot show this value; the text says why.
    Unavailable(String),
}

impl Rows {
    /// How many rows (or bytes, for a chunk) this page holds.
    pub fn len(&self) -> usize {
        match self {
            Rows::Chunk { bytes, .. } | Rows::Json(bytes) => bytes.len(),
            Rows::Fields(r) | Rows::Scored { rows: r, .. } => r.len(),
            Rows::Items { items, .. } => items.len(),
            Rows::Members(m) => m.len(),
            Rows::Entries(e) => e.len(),
            Rows::Unavailable(_) => 0,
        }
    }

    /// Whether the page holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows from `from` on (bytes, for a chunk), positions kept.
    pub fn skip(self, from: usize) -> Rows {
        fn tail<T>(v: Vec<T>, from: usize) -> Vec<T> {
            v.into_iter().skip(from).collect()
        }
        match self {
            Rows::Chunk { offset, bytes } => Rows::Chunk {
                offset: offset + from.min(bytes.len()) as u64,
                bytes: tail(bytes, from),
            },
            Rows::Fields(r) => Rows::Fields(tail(r, from)),
            Rows::Items { start, items } => Rows::Items {
                start: start + from.min(items.len()) as u64,
                items: tail(items, from),
            },
            Rows::Members(m) => Rows::Members(tail(m, from)),
            Rows::Scored { start, rows } => Rows::Scored {
                start: start.map(|s| s + from.min(rows.len()) as u64),
                rows: tail(rows, from),
            },
            Rows::Entries(e) => Rows::Entries(tail(e, from)),
            other @ (Rows::Json(_) | Rows::Unavailable(_)) => other,
        }
    }

    /// Appends the rows of a later page of the same shape; false if shapes differ.
    pub fn extend(&mut self, more: Rows) -> bool {
        match (self, more) {
            (Rows::Fields(a), Rows::Fields(b)) => a.extend(b),
            (Rows::Members(a), Rows::Members(b)) => a.extend(b),
            (Rows::Entries(a), Rows::Entries(b)) => a.extend(b),
            (Rows::Items { items: a, .. }, Rows::Items { items: b, .. }) => a.extend(b),
            (Rows::Scored { rows: a, .. }, Rows::Scored { rows: b, .. }) => a.extend(b),
            (Rows::Chunk { bytes: a, .. }, Rows::Chunk { bytes: b, .. }) => a.extend(b),
            _ => return false,
        }
        true
    }
}

/// One fetched page and the request for the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// What this page holds.
    pub rows: Rows,
    /// The request for the page after this one; `None` at the end.
    pub next: Option<PageReq>,
}

impl PageReq {
    /// The first page of a key of this kind, forward and unfiltered; `None`
    /// for kinds that have no rows (missing keys, unknown module types).
    pub fn first(kind: &Kind, limits: &Limits) -> Option<PageReq> {
        let count = limits.rows;
        Some(match kind {
            Kind::String => PageReq::Range {
                offset: 0,
                len: limits.string_page.min(limits.string_cap),
            },
            Kind::Hash => PageReq::HashScan(Scan::start(None, count)),
            Kind::List => PageReq::ListRange { start: 0, count },
            Kind::Set => PageReq::SetScan(Scan::start(None, count)),
            Kind::ZSet => PageReq::ZRange {
                start: 0,
                count,
                rev: false,
            },
            Kind::Stream => PageReq::Stream {
                after: None,
                count,
                rev: false,
            },
            Kind::Json => PageReq::Json,
            Kind::Missing | Kind::Other(_) => return None,
        })
    }

    /// The first page of a server-side search (HSCAN/SSCAN/ZSCAN MATCH);
    /// `None` for kinds the server cannot filter.
    pub fn search(kind: &Kind, pattern: Vec<u8>, limits: &Limits) -> Option<PageReq> {
        let scan = Scan::start(Some(pattern), limits.rows);
        match kind {
            Kind::Hash => Some(PageReq::HashScan(scan)),
            Kind::Set => Some(PageReq::SetScan(scan)),
            Kind::ZSet => Some(PageReq::ZScan(scan)),
            _ => None,
        }
    }

    /// The next range of a string of `total` bytes of which `loaded` are in
    /// memory, or `None` when all of it is, or when the cap forbids more.
    pub fn string_more(loaded: u64, total: u64, limits: &Limits) -> Option<PageReq> {
        let end = total.min(limits.string_cap);
        (loaded < end).then(|| PageReq::Range {
            offset: loaded,
            len: limits.string_page.min(end - loaded),
        })
    }

    /// The command that fetches this page of `key`.
    pub fn command(&self, key: &[u8]) -> Cmd {
        match self {
            PageReq::Range { offset, len } => {
                // GETRANGE's end is inclusive; an empty range would mean "to the end".
                let end = offset + len.max(&1) - 1;
                cmd([
                    &b"GETRANGE"[..],
                    key,
                    offset.to_string().as_bytes(),
                    end.to_string().as_bytes(),
                ])
            }
            PageReq::HashScan(s) => s.args("HSCAN", key),
            PageReq::SetScan(s) => s.args("SSCAN", key),
            PageReq::ZScan(s) => s.args("ZSCAN", key),
            PageReq::ListRange { start, count } => {
                let stop = start + (*count).max(1) as u64 - 1;
                cmd([
                    &b"LRANGE"[..],
                    key,
                    start.to_string().as_bytes(),
                    stop.to_string().as_bytes(),
                ])
            }
            PageReq::ZRange { start, count, rev } => {
                let stop = start + (*count).max(1) as u64 - 1;
                let mut c = cmd([
                    &b"ZRANGE"[..],
                    key,
                    start.to_string().as_bytes(),
                    stop.to_string().as_bytes(),
                ]);
                if *rev {
                    c.push(b"REV".to_vec());
                }
                c.push(b"WITHSCORES".to_vec());
                c
            }
            PageReq::Stream { after, count, rev } => {
                stream::range_command(key, after, *count, *rev)
            }
            PageReq::Json => cmd([&b"JSON.GET"[..], key]),
        }
    }

    /// Reads the reply to [`PageReq::command`] into a page.
    pub fn parse(&self, reply: Reply) -> Result<Page, Error> {
        if let Reply::Error(text) = &reply {
            return match self {
                PageReq::Json if is_unknown_command(text) => Ok(Page {
                    rows: Rows::Unavailable(
                        "this server has no RedisJSON module (JSON.GET is not available)".into(),
                    ),
                    next: None,
                }),
                _ => Err(Error::Command(text.clone())),
            };
        }
        match self {
            PageReq::Range { offset, len } => {
                let bytes = bytes_of(reply, "GETRANGE")?;
                let full = bytes.len() as u64 == *len;
                let next = full.then(|| PageReq::Range {
                    offset: offset + len,
                    len: *len,
                });
                Ok(Page {
                    rows: Rows::Chunk {
                        offset: *offset,
                        bytes,
                    },
                    next,
                })
            }
            PageReq::HashScan(s) => {
                let (cursor, items) = scan_reply(reply, "HSCAN")?;
                let next = s.after(cursor).map(PageReq::HashScan);
                Ok(Page {
                    rows: Rows::Fields(pairs(items, "HSCAN")?),
                    next,
                })
            }
            PageReq::SetScan(s) => {
                let (cursor, items) = scan_reply(reply, "SSCAN")?;
                let next = s.after(cursor).map(PageReq::SetScan);
                Ok(Page {
                    rows: Rows::Members(items),
                    next,
                })
            }
            PageReq::ZScan(s) => {
                let (cursor, items) = scan_reply(reply, "ZSCAN")?;
                let next = s.after(cursor).map(PageReq::ZScan);
                Ok(Page {
                    rows: Rows::Scored {
                        start: None,
                        rows: pairs(items, "ZSCAN")?,
                    },
                    next,
                })
            }
            PageReq::ListRange { start, count } => {
                let items = byte_list(reply, "LRANGE")?;
                let next = (items.len() == *count).then(|| PageReq::ListRange {
                    start: start + *count as u64,
                    count: *count,
                });
                Ok(Page {
                    rows: Rows::Items {
                        start: *start,
                        items,
                    },
                    next,
                })
            }
            PageReq::ZRange { start, count, rev } => {
                let rows = pairs(byte_list(reply, "ZRANGE")?, "ZRANGE")?;
                let next = (rows.len() == *count).then(|| PageReq::ZRange {
                    start: start + *count as u64,
                    count: *count,
                    rev: *rev,
                });
                Ok(Page {
                    rows: Rows::Scored {
                        start: Some(*start),
                        rows,
                    },
                    next,
                })
            }
            PageReq::Stream { count, rev, .. } => {
                let entries = stream::parse_entries(reply)?;
                let next = match entries.last() {
                    Some(last) if entries.len() == *count => Some(PageReq::Stream {
                        after: Some(last.id.clone()),
                        count: *count,
                        rev: *rev,
                    }),
                    _ => None,
                };
                Ok(Page {
                    rows: Rows::Entries(entries),
                    next,
                })
            }
            PageReq::Json => Ok(Page {
                rows: match reply {
                    Reply::Nil => Rows::Unavailable("the document is empty".into()),
                    other => Rows::Json(bytes_of(other, "JSON.GET")?),
                },
                next: None,
            }),
        }
    }
}

/// Whether an error text says the server does not know the command: Redis
/// says "unknown command", Upstash "Command is not available".
pub fn is_unknown_command(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("unknown command") || t.contains("not available")
}
