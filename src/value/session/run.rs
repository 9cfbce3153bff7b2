//! Running a session's [`Fetch`] on the client, and applying the result.

use std::time::Instant;

use crate::upstash::{Client, Error};

use super::super::load::{self, open_at};
use super::super::tail::{Tail, fetch_tail};
use super::super::{Opened, Page};
use super::{Fetch, Id, Session};

/// The outcome of one [`Fetch`], to hand back to [`Session::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// The header and first page of a [`Fetch::Open`].
    Opened {
        id: Id,
        result: Result<Box<Opened>, Error>,
    },
    /// The page of a [`Fetch::Page`].
    Paged { id: Id, result: Result<Page, Error> },
    /// The last page of a [`Fetch::Tail`].
    Tailed { id: Id, result: Result<Tail, Error> },
}

/// Runs `fetch` on `client` within the limits it carries: one request (two
/// when the key's type was not known).
pub async fn run(client: &Client, fetch: Fetch) -> Done {
    match fetch {
        Fetch::Open {
            id,
            key,
            kind,
            order,
            limits,
        } => {
            let result = open_at(client, &key, kind.as_ref(), |k| order.first(k, &limits))
                .await
                .map(Box::new);
            Done::Opened { id, result }
        }
        Fetch::Page { id, key, req } => Done::Paged {
            id,
            result: load::fetch(client, &key, &req).await,
        },
        Fetch::Tail {
            id,
            key,
            kind,
            rev,
            limits,
        } => Done::Tailed {
            id,
            result: fetch_tail(client, &key, &kind, rev, &limits).await,
        },
    }
}

impl Session {
    /// Applies a finished fetch; false if it was stale and dropped.
    pub fn apply(&mut self, done: Done, now: Instant) -> bool {
        match done {
            Done::Opened { id, result } => self.on_opened(id, result.map(|o| *o), now),
            Done::Paged { id, result } => self.on_page(id, result),
            Done::Tailed { id, result } => self.on_tail(id, result),
        }
    }
}
