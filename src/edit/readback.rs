//! After a write whose answer was lost (a timeout, a broken connection), the
//! client cannot know whether the server ran it: the element it writes is
//! read back and compared with what the user saw and what they wrote. A
//! write found applied is recorded for undo like any other.

use super::Editor;
use super::change::Change;
use super::inverse::{Inverse, label};
use crate::upstash::{Cmd, Error, Reply, cmd};

/// What the server holds now for the element a change writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Now {
    /// It holds what the change wrote; `undo` says whether `u` can reverse it.
    Written { undo: bool },
    /// It still holds what the user saw: nothing was written.
    Unchanged,
    /// Something else (`None`: the element or the key is gone).
    Other(Option<Vec<u8>>),
    /// This change cannot be told from a read (a push, or an entry with a
    /// server-chosen id): the user has to look.
    Unknown,
}

/// Whether an error leaves it open whether a write ran: its request may
/// have reached the server before the answer was lost. Refusals and bad
/// input come from an answer, so they are sure.
pub fn may_have_run(error: &Error) -> bool {
    !matches!(
        error,
        Error::Unauthorized
            | Error::Command(_)
            | Error::Limit { .. }
            | Error::NoPermission(_)
            | Error::Input(_)
    )
}

/// The read that shows whether `change` was written, if there is one.
fn probe(key: &[u8], change: &Change) -> Option<Cmd> {
    Some(match change {
        Change::StringSet { .. } => cmd([b"GET".as_slice(), key]),
        Change::HashSet { field, .. } | Change::HashDelete { field, .. } => {
            cmd([b"HGET".as_slice(), key, field])
        }
        Change::ListSet { index, .. } => {
            cmd([b"LINDEX".as_slice(), key, index.to_string().as_bytes()])
        }
        Change::SetAdd { member } | Change::SetRemove { member } => {
            cmd([b"SISMEMBER".as_slice(), key, member])
        }
        Change::ZsetAdd { member, .. }
        | Change::ZsetRemove { member, .. }
        | Change::ZsetScore { member, .. } => cmd([b"ZSCORE".as_slice(), key, member]),
        Change::StreamAdd { id: Some(id), .. } | Change::StreamDelete { id } => {
            cmd([b"XRANGE".as_slice(), key, id, id])
        }
        Change::JsonSet { path, .. } => cmd([b"JSON.GET".as_slice(), key, path]),
        Change::StreamAdd { id: None, .. }
        | Change::ListInsert { .. }
        | Change::ListPush { .. }
        | Change::ListRemove { .. } => return None,
    })
}

/// Compares the probe's reply with the change: (what was written, what was
/// seen) decide between written and unchanged.
fn judge(change: &Change, reply: Reply) -> Now {
    let score = |r: &Reply| r.as_str().and_then(|s| crate::value::score::parse(s).ok());
    let now = reply.clone().into_bytes();
    let written = |yes: bool, no: bool| match (yes, no) {
        (true, _) => Now::Written { undo: false },
        (_, true) => Now::Unchanged,
        _ => Now::Other(now.clone()),
    };
    match change {
        Change::StringSet { seen, value, .. } | Change::ListSet { seen, value, .. } => written(
            now.as_deref() == Some(value.as_slice()),
            now.as_deref() == Some(seen.as_slice()),
        ),
        Change::HashSet { seen, value, .. } => written(
            now.as_deref() == Some(value.as_slice()),
            now.as_deref() == seen.as_deref(),
        ),
        Change::HashDelete { seen, .. } => {
            written(now.is_none(), now.as_deref() == Some(seen.as_slice()))
        }
        Change::SetAdd { .. } => written(reply.as_int() == Some(1), reply.as_int() == Some(0)),
        Change::SetRemove { .. } => written(reply.as_int() == Some(0), reply.as_int() == Some(1)),
        Change::ZsetAdd { score: s, .. } => written(score(&reply) == Some(*s), reply.is_nil()),
        Change::ZsetScore { seen, score: s, .. } => {
            written(score(&reply) == Some(*s), score(&reply) == Some(*seen))
        }
        Change::ZsetRemove { seen, .. } => written(reply.is_nil(), score(&reply) == Some(*seen)),
        Change::StreamAdd { .. } => {
            let found = reply.as_array().is_some_and(|a| !a.is_empty());
            written(found, !found)
        }
        Change::StreamDelete { .. } => {
            let found = reply.as_array().is_some_and(|a| !a.is_empty());
            written(!found, found)
        }
        // JSON.GET prints its own serialization: only the seen text is sure.
        Change::JsonSet { seen, .. } if seen.is_some() && now == *seen => Now::Unchanged,
        Change::JsonSet { .. } => Now::Other(now),
        Change::ListInsert { .. } | Change::ListPush { .. } | Change::ListRemove { .. } => {
            Now::Unknown
        }
    }
}

impl Editor {
    /// Reads back the element `change` writes in `key`, after its answer was
    /// lost. A write found applied goes to the trash when its inverse needs
    /// nothing the lost answer carried.
    pub async fn read_back(&self, key: &[u8], change: &Change) -> Result<Now, Error> {
        let Some(read) = probe(key, change) else {
            return Ok(Now::Unknown);
        };
        let now = judge(change, self.client.command(&read).await?);
        if now != (Now::Written { undo: false }) {
            return Ok(now);
        }
        // The lost answer held what some inverses need (a TTL, a neighbour,
        // a deleted entry); those are left out rather than guessed.
        let undo = match Inverse::of(change, &[]) {
            Some(inverse) if inverse.size() <= self.undo_cap && !needs_context(change) => {
                let key_owned = key.to_vec();
                self.trash().push(
                    label(change, key),
                    super::trash::Reversal::Edit {
                        key: key_owned,
                        inverse,
                    },
                );
                true
            }
            _ => false,
        };
        Ok(Now::Written { undo })
    }
}

/// Whether the inverse of `change` is built from what its script answered
/// in a way an empty answer would get wrong (the TTL a string had).
fn needs_context(change: &Change) -> bool {
    matches!(change, Change::StringSet { ttl: Some(_), .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_answer_makes_a_failed_write_sure() {
        assert!(may_have_run(&Error::Timeout));
        assert!(may_have_run(&Error::Connect("the connection broke".into())));
        assert!(may_have_run(&Error::Http {
            status: 502,
            text: String::new()
        }));
        assert!(!may_have_run(&Error::Command("WRONGTYPE".into())));
        assert!(!may_have_run(&Error::NoPermission("NOPERM".into())));
    }

    #[test]
    fn the_read_tells_written_from_unchanged() {
        let set = Change::HashSet {
            field: b"f".to_vec(),
            seen: Some(b"old".to_vec()),
            value: b"new".to_vec(),
        };
        let b = |s: &str| Reply::Bytes(s.as_bytes().to_vec());
        assert_eq!(judge(&set, b("new")), Now::Written { undo: false });
        assert_eq!(judge(&set, b("old")), Now::Unchanged);
        assert_eq!(judge(&set, b("x")), Now::Other(Some(b"x".to_vec())));
        assert_eq!(judge(&set, Reply::Nil), Now::Other(None));
        let score = Change::ZsetScore {
            member: b"m".to_vec(),
            seen: 1.0,
            score: 1e308,
        };
        assert_eq!(
            judge(&score, b("1.0000000000000001e+308")),
            Now::Written { undo: false }
        );
        assert_eq!(judge(&score, b("1")), Now::Unchanged);
        let push = Change::ListPush {
            head: true,
            value: b"v".to_vec(),
        };
        assert_eq!(probe(b"k", &push), None);
    }
}
