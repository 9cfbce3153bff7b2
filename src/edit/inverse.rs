//! The way back from a checked edit: built from the change and what its
//! script reported, and itself checked when it is applied, so that undo
//! writes only if the element still holds what the edit wrote and never
//! overwrites a later change by someone else.

use std::time::Duration;

use super::Editor;
use super::change::{Change, Outcome};
use super::create::{Created, Initial, Overwrite};
use super::ttl::Ttl;
use crate::upstash::{Error, Reply};
use crate::value::escape;

/// How many entries after a deleted stream entry undo moves to put it back;
/// each is deleted and added again inside one script.
const STREAM_MOVE_CAP: usize = 10_000;

/// How an applied edit is undone.
#[derive(Debug, Clone, PartialEq)]
pub enum Inverse {
    /// Apply this checked change (its `seen` is what the edit wrote).
    Change(Change),
    /// The edit deleted the last element and Redis removed the key: create it
    /// again with that element and the TTL it had, unless it exists again.
    Recreate {
        first: Initial,
        /// Milliseconds left when it was deleted; `None` without expiry.
        pttl: Option<i64>,
    },
    /// Put a deleted stream entry back under its own id.
    StreamEntry {
        id: Vec<u8>,
        fields: Vec<(Vec<u8>, Vec<u8>)>,
    },
}

// Scores are never NaN (they are parsed refusing NaN), so equality is total.
impl Eq for Inverse {}

impl Inverse {
    /// The inverse of `change`, which its script applied and answered with
    /// `context` (the parts after the code); `None` when the answer does not
    /// say enough to go back.
    pub fn of(change: &Change, context: &[Reply]) -> Option<Inverse> {
        let bytes = |i: usize| context.get(i).and_then(Reply::as_bytes).map(<[u8]>::to_vec);
        let int = |i: usize| context.get(i).and_then(Reply::as_int);
        // A delete that emptied the key reports the TTL it had.
        let emptied = |first: Initial| {
            int(0).map(|ms| Inverse::Recreate {
                first,
                pttl: (ms >= 0).then_some(ms),
            })
        };
        let back = |c: Change| Some(Inverse::Change(c));
        match change.clone() {
            Change::StringSet { seen, value, ttl } => back(Change::StringSet {
                seen: value,
                value: seen,
                ttl: ttl.map(|_| match int(0) {
                    Some(ms) if ms > 0 => Ttl::Expire(Duration::from_millis(ms as u64)),
                    _ => Ttl::Persist,
                }),
            }),
            Change::HashSet {
                field,
                seen: Some(seen),
                value,
            } => back(Change::HashSet {
                field,
                seen: Some(value),
                value: seen,
            }),
            Change::HashSet {
                field,
                seen: None,
                value,
            } => back(Change::HashDelete { field, seen: value }),
            Change::HashDelete { field, seen } => emptied(Initial::Hash {
                field: field.clone(),
                value: seen.clone(),
            })
            .or_else(|| {
                back(Change::HashSet {
                    field,
                    seen: None,
                    value: seen,
                })
            }),
            Change::ListSet { index, seen, value } => back(Change::ListSet {
                index,
                seen: value,
                value: seen,
            }),
            Change::ListInsert { value, .. } => back(Change::ListRemove {
                index: int(0)?,
                seen: value,
            }),
            Change::ListPush { head, value } => back(Change::ListRemove {
                index: if head { 0 } else { -1 },
                seen: value,
            }),
            Change::ListRemove { seen, .. } => emptied(Initial::List(seen.clone())).or_else(|| {
                let index = int(1)?;
                // Next to a neighbour that must still be there: after the
                // one before it, or before the one that followed it.
                match (bytes(2), bytes(3)) {
                    (Some(before), _) => back(Change::ListInsert {
                        index: index - 1,
                        seen: before,
                        before: false,
                        value: seen,
                    }),
                    (None, Some(after)) => back(Change::ListInsert {
                        index,
                        seen: after,
                        before: true,
                        value: seen,
                    }),
                    (None, None) => None,
                }
            }),
            Change::SetAdd { member } => back(Change::SetRemove { member }),
            Change::SetRemove { member } => {
                emptied(Initial::Set(member.clone())).or_else(|| back(Change::SetAdd { member }))
            }
            Change::ZsetAdd { member, score } => back(Change::ZsetRemove {
                member,
                seen: score,
            }),
            Change::ZsetRemove { member, seen } => emptied(Initial::Zset {
                member: member.clone(),
                score: seen,
            })
            .or_else(|| {
                back(Change::ZsetAdd {
                    member,
                    score: seen,
                })
            }),
            Change::ZsetScore {
                member,
                seen,
                score,
            } => back(Change::ZsetScore {
                member,
                seen: score,
                score: seen,
            }),
            // The id comes back as the outcome, not in the context.
            Change::StreamAdd { .. } => None,
            Change::StreamDelete { id } => {
                let flat = context.first()?.as_array()?;
                let fields = flat
                    .chunks(2)
                    .map(|p| match p {
                        [f, v] => Some((f.as_bytes()?.to_vec(), v.as_bytes()?.to_vec())),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Inverse::StreamEntry { id, fields })
            }
            Change::JsonSet { .. } => back(Change::JsonSet {
                path: b".".to_vec(),
                seen: Some(bytes(1)?),
                value: bytes(0)?,
            }),
        }
    }

    /// The bytes this inverse keeps, counted against the undo cap.
    pub fn size(&self) -> usize {
        let pairs = |p: &[(Vec<u8>, Vec<u8>)]| p.iter().map(|(f, v)| f.len() + v.len()).sum();
        match self {
            Inverse::Change(c) => change_size(c),
            Inverse::Recreate { first, .. } => match first {
                Initial::String(v) | Initial::List(v) | Initial::Set(v) | Initial::Json(v) => {
                    v.len()
                }
                Initial::Hash { field, value } => field.len() + value.len(),
                Initial::Zset { member, .. } => member.len() + 8,
                Initial::Stream(fields) => pairs(fields),
            },
            Inverse::StreamEntry { id, fields } => id.len() + pairs(fields),
        }
    }
}

fn change_size(c: &Change) -> usize {
    match c {
        Change::StringSet { seen, value, .. }
        | Change::ListSet { seen, value, .. }
        | Change::ListInsert { seen, value, .. } => seen.len() + value.len(),
        Change::HashSet { field, seen, value } => {
            field.len() + value.len() + seen.as_ref().map_or(0, Vec::len)
        }
        Change::JsonSet { path, seen, value } => {
            path.len() + value.len() + seen.as_ref().map_or(0, Vec::len)
        }
        Change::HashDelete { field, seen } => field.len() + seen.len(),
        Change::ListPush { value, .. } => value.len(),
        Change::ListRemove { seen, .. } => seen.len(),
        Change::SetAdd { member }
        | Change::SetRemove { member }
        | Change::ZsetAdd { member, .. }
        | Change::ZsetRemove { member, .. }
        | Change::ZsetScore { member, .. } => member.len() + 16,
        Change::StreamAdd { id, fields } => {
            id.as_ref().map_or(0, Vec::len)
                + fields.iter().map(|(f, v)| f.len() + v.len()).sum::<usize>()
        }
        Change::StreamDelete { id } => id.len(),
    }
}

impl Editor {
    /// Applies `inverse` to `key`; refuses, with what is there now, when the
    /// element no longer holds what the edit wrote (or the key is gone, or
    /// was created again), and writes nothing then.
    pub(super) async fn undo_edit(
        &self,
        key: &[u8],
        inverse: &Inverse,
        label: &str,
    ) -> Result<(), Error> {
        let refused = |why: String| {
            Err(Error::Input(format!(
                "cannot undo {label}: {why}; nothing was written"
            )))
        };
        match inverse {
            Inverse::Change(change) => match self.apply_checked(key, change).await?.0 {
                Outcome::Applied | Outcome::Added { .. } => Ok(()),
                Outcome::Conflict { current: Some(now) } => {
                    let now = escape::line(&now);
                    let short: String = now.chars().take(60).collect();
                    let cut = if short.len() < now.len() { "…" } else { "" };
                    refused(format!("it was changed since (now {short}{cut})"))
                }
                Outcome::Conflict { current: None } => refused("it was changed since".into()),
                Outcome::Missing => refused("the key no longer exists".into()),
            },
            Inverse::Recreate { first, pttl } => {
                let ttl = pttl.map(|ms| Duration::from_millis(ms.max(1) as u64));
                match self.create(key, first, ttl, Overwrite::Never).await? {
                    Created::Created => Ok(()),
                    Created::Exists { kind } => refused(format!("the key exists again (a {kind})")),
                }
            }
            Inverse::StreamEntry { id, fields } => {
                let mut args = vec![id.clone(), STREAM_MOVE_CAP.to_string().into_bytes()];
                for (f, v) in fields {
                    args.push(f.clone());
                    args.push(v.clone());
                }
                let reply = self
                    .script(&self.scripts.stream_restore, key, &args)
                    .await?;
                let code = reply
                    .as_array()
                    .and_then(|p| p.first())
                    .and_then(Reply::as_int);
                match code {
                    Some(1) => Ok(()),
                    Some(0) => refused(format!("an entry has the id {} again", escape::line(id))),
                    Some(-1) => refused("the stream no longer exists".into()),
                    Some(-2) => refused(format!(
                        "more than {STREAM_MOVE_CAP} entries follow it, and putting it back would rewrite them all"
                    )),
                    _ => Err(Error::Other("unexpected reply from the undo script".into())),
                }
            }
        }
    }
}

/// What `change` did to `key`, for the undo list: `edit field f of h`.
pub fn label(change: &Change, key: &[u8]) -> String {
    let e = |b: &[u8]| escape::line(b);
    let score = |s: f64| crate::value::score::text(s);
    let what = match change {
        Change::StringSet { .. } => "edit the string".to_owned(),
        Change::HashSet {
            field, seen: None, ..
        } => format!("add field {}", e(field)),
        Change::HashSet { field, .. } => format!("edit field {}", e(field)),
        Change::HashDelete { field, .. } => format!("delete field {}", e(field)),
        Change::ListSet { index, .. } => format!("edit element {index}"),
        Change::ListInsert { .. } | Change::ListPush { .. } => "add an element".to_owned(),
        Change::ListRemove { index, .. } => format!("delete element {index}"),
        Change::SetAdd { member } => format!("add member {}", e(member)),
        Change::SetRemove { member } => format!("delete member {}", e(member)),
        Change::ZsetAdd { member, score: s } => {
            format!("add member {} (score {})", e(member), score(*s))
        }
        Change::ZsetRemove { member, .. } => format!("delete member {}", e(member)),
        Change::ZsetScore {
            member,
            seen,
            score: s,
        } => format!(
            "score of {} from {} to {}",
            e(member),
            score(*seen),
            score(*s)
        ),
        Change::StreamAdd { .. } => "add an entry".to_owned(),
        Change::StreamDelete { id } => format!("delete entry {}", e(id)),
        Change::JsonSet { path, .. } => format!("set {} in the document", e(path)),
    };
    format!("{what} of {}", e(key))
}
