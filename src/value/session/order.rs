//! The order and filter of a session's pages, and the requests it makes.

use super::super::page::PageReq;
use super::super::{Kind, Limits};

/// A request id, given by the caller.
pub type Id = u64;

/// The order and filter of a key's first page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Order {
    /// Highest rank first (zset) or newest first (stream).
    pub rev: bool,
    /// A server-side MATCH pattern (hash, set, zset).
    pub pattern: Option<Vec<u8>>,
}

impl Order {
    /// The first page for a key of `kind` in this order.
    pub fn first(&self, kind: &Kind, limits: &Limits) -> Option<PageReq> {
        if let Some(p) = &self.pattern
            && let Some(req) = PageReq::search(kind, p.clone(), limits)
        {
            return Some(req);
        }
        match PageReq::first(kind, limits)? {
            PageReq::ZRange { start, count, .. } => Some(PageReq::ZRange {
                start,
                count,
                rev: self.rev,
            }),
            PageReq::Stream { after, count, .. } => Some(PageReq::Stream {
                after,
                count,
                rev: self.rev,
            }),
            other => Some(other),
        }
    }
}

/// Work the session needs done on the network. A fetch whose size depends
/// on the limits carries the session's own, so whoever runs it fetches no
/// more than the session was configured to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    /// The header and first page (see [`crate::value::open_at`] with [`Order::first`]).
    Open {
        id: Id,
        key: Vec<u8>,
        kind: Option<Kind>,
        order: Order,
        limits: Limits,
    },
    /// One more page (see [`crate::value::fetch`]).
    Page { id: Id, key: Vec<u8>, req: PageReq },
    /// The last page and the length (see [`crate::value::tail::fetch_tail`]).
    Tail {
        id: Id,
        key: Vec<u8>,
        kind: Kind,
        rev: bool,
        limits: Limits,
    },
}

impl Fetch {
    /// The id the fetch is tagged with.
    pub fn id(&self) -> Id {
        match self {
            Fetch::Open { id, .. } | Fetch::Page { id, .. } | Fetch::Tail { id, .. } => *id,
        }
    }
}
