//! Checked edits: each is one atomic script that writes only if what the user
//! saw is still there, and otherwise answers with what is there now.

use super::lua;
use super::script::Script;
use super::ttl::Ttl;
use crate::upstash::{Error, Reply};

/// One edit of an existing key, carrying what the user saw when they began.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Replace a string value; `ttl: None` keeps the TTL (KEEPTTL).
    StringSet {
        seen: Vec<u8>,
        value: Vec<u8>,
        ttl: Option<Ttl>,
    },
    /// Set a hash field; `seen: None` adds it and requires it to be absent.
    HashSet {
        field: Vec<u8>,
        seen: Option<Vec<u8>>,
        value: Vec<u8>,
    },
    /// Delete a hash field that still holds `seen`.
    HashDelete { field: Vec<u8>, seen: Vec<u8> },
    /// Replace the list element at `index` that still holds `seen`.
    ListSet {
        index: i64,
        seen: Vec<u8>,
        value: Vec<u8>,
    },
    /// Insert before or after the element at `index` that still holds `seen`.
    ListInsert {
        index: i64,
        seen: Vec<u8>,
        before: bool,
        value: Vec<u8>,
    },
    /// Push at the head or the tail of the list.
    ListPush { head: bool, value: Vec<u8> },
    /// Remove the element at `index` that still holds `seen`.
    ListRemove { index: i64, seen: Vec<u8> },
    /// Add a member to a set (a conflict if someone added it already).
    SetAdd { member: Vec<u8> },
    /// Remove a member from a set (a conflict if it is gone).
    SetRemove { member: Vec<u8> },
    /// Add a member to a sorted set (a conflict if it is already there).
    ZsetAdd { member: Vec<u8>, score: f64 },
    /// Remove a member whose score is still `seen`.
    ZsetRemove { member: Vec<u8>, seen: f64 },
    /// Change a member's score from `seen` to `score`.
    ZsetScore {
        member: Vec<u8>,
        seen: f64,
        score: f64,
    },
    /// Add a stream entry; `id: None` lets the server choose it.
    StreamAdd {
        id: Option<Vec<u8>>,
        fields: Vec<(Vec<u8>, Vec<u8>)>,
    },
    /// Delete a stream entry (a conflict if it is gone).
    StreamDelete { id: Vec<u8> },
    /// Set a ReJSON value at `path` (RedisJSON module); `seen` is the
    /// `JSON.GET key path` text the user saw, if any.
    JsonSet {
        path: Vec<u8>,
        seen: Option<Vec<u8>>,
        value: Vec<u8>,
    },
}

/// What a checked edit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written.
    Applied,
    /// A stream entry was added under this id.
    Added { id: Vec<u8> },
    /// Nothing written: the value changed. `current` is what is there now
    /// (`None`: the field, element or member no longer exists).
    Conflict { current: Option<Vec<u8>> },
    /// Nothing written: the key no longer exists.
    Missing,
}

/// The scripts of every checked write, hashed once.
#[derive(Debug)]
pub struct Scripts {
    string_set: Script,
    hash_set: Script,
    hash_delete: Script,
    list_set: Script,
    list_insert: Script,
    list_push: Script,
    list_remove: Script,
    set_add: Script,
    set_remove: Script,
    zset_write: Script,
    stream_add: Script,
    stream_delete: Script,
    pub(super) stream_restore: Script,
    json_set: Script,
    pub(super) create: Script,
}

impl Default for Scripts {
    fn default() -> Self {
        Scripts {
            string_set: Script::new(lua::STRING_SET),
            hash_set: Script::new(lua::HASH_SET),
            hash_delete: Script::new(lua::HASH_DELETE),
            list_set: Script::new(lua::LIST_SET),
            list_insert: Script::new(lua::LIST_INSERT),
            list_push: Script::new(lua::LIST_PUSH),
            list_remove: Script::new(lua::LIST_REMOVE),
            set_add: Script::new(lua::SET_ADD),
            set_remove: Script::new(lua::SET_REMOVE),
            zset_write: Script::new(lua::ZSET_WRITE),
            stream_add: Script::new(lua::STREAM_ADD),
            stream_delete: Script::new(lua::STREAM_DELETE),
            stream_restore: Script::new(lua::STREAM_RESTORE),
            json_set: Script::new(lua::JSON_SET),
            create: Script::new(lua::CREATE),
        }
    }
}

impl Change {
    /// Whether the change writes what is already there (as the user saw it).
    pub fn is_noop(&self) -> bool {
        match self {
            Change::StringSet {
                seen,
                value,
                ttl: None,
            }
            | Change::ListSet { seen, value, .. } => seen == value,
            Change::HashSet {
                seen: Some(seen),
                value,
                ..
            }
            | Change::JsonSet {
                seen: Some(seen),
                value,
                ..
            } => seen == value,
            Change::ZsetScore { seen, score, .. } => seen == score,
            _ => false,
        }
    }
}

/// One checked write: a change to one key, for whoever sends it once.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub key: Vec<u8>,
    pub change: Change,
    /// Set when the write replaces someone else's newer value: the undo
    /// list's label for it (by default, what the change does).
    pub over: Option<String>,
}

// A change's scores are never NaN (scores are parsed refusing NaN), so
// equality is total.
impl Eq for Write {}

/// A score as Redis writes it (`inf`, `-inf`, shortest round-trip decimal).
pub fn score_text(score: f64) -> Result<Vec<u8>, Error> {
    if score.is_nan() {
        return Err(Error::Input("a score must be a number, not NaN".into()));
    }
    Ok(crate::value::score::text(score).into_bytes())
}

impl Scripts {
    /// The script and its arguments for `change`.
    pub(super) fn plan(&self, change: &Change) -> Result<(&Script, Vec<Vec<u8>>), Error> {
        let flag = |seen: &Option<Vec<u8>>| if seen.is_some() { b"1" } else { b"0" }.to_vec();
        Ok(match change {
            Change::StringSet { seen, value, ttl } => {
                let digest = sha1_smol::Sha1::from(seen).digest().to_string();
                let ttl = match ttl {
                    None => b"keep".to_vec(),
                    Some(Ttl::Persist) => b"persist".to_vec(),
                    Some(Ttl::Expire(d)) => d.as_millis().max(1).to_string().into_bytes(),
                };
                (
                    &self.string_set,
                    vec![digest.into_bytes(), value.clone(), ttl],
                )
            }
            Change::HashSet { field, seen, value } => (
                &self.hash_set,
                vec![
                    field.clone(),
                    flag(seen),
                    seen.clone().unwrap_or_default(),
                    value.clone(),
                ],
            ),
            Change::HashDelete { field, seen } => {
                (&self.hash_delete, vec![field.clone(), seen.clone()])
            }
            Change::ListSet { index, seen, value } => (
                &self.list_set,
                vec![index.to_string().into_bytes(), seen.clone(), value.clone()],
            ),
            Change::ListInsert {
                index,
                seen,
                before,
                value,
            } => (
                &self.list_insert,
                vec![
                    index.to_string().into_bytes(),
                    seen.clone(),
                    if *before {
                        b"BEFORE".to_vec()
                    } else {
                        b"AFTER".to_vec()
                    },
                    value.clone(),
                ],
            ),
            Change::ListPush { head, value } => (
                &self.list_push,
                vec![
                    if *head {
                        b"LPUSH".to_vec()
                    } else {
                        b"RPUSH".to_vec()
                    },
                    value.clone(),
                ],
            ),
            Change::ListRemove { index, seen } => (
                &self.list_remove,
                vec![index.to_string().into_bytes(), seen.clone()],
            ),
            Change::SetAdd { member } => (&self.set_add, vec![member.clone()]),
            Change::SetRemove { member } => (&self.set_remove, vec![member.clone()]),
            Change::ZsetAdd { member, score } => (
                &self.zset_write,
                vec![
                    member.clone(),
                    b"0".to_vec(),
                    Vec::new(),
                    score_text(*score)?,
                ],
            ),
            Change::ZsetRemove { member, seen } => (
                &self.zset_write,
                vec![
                    member.clone(),
                    b"1".to_vec(),
                    score_text(*seen)?,
                    Vec::new(),
                ],
            ),
            Change::ZsetScore {
                member,
                seen,
                score,
            } => (
                &self.zset_write,
                vec![
                    member.clone(),
                    b"1".to_vec(),
                    score_text(*seen)?,
                    score_text(*score)?,
                ],
            ),
            Change::StreamAdd { id, fields } => {
                if fields.is_empty() {
                    return Err(Error::Input(
                        "a stream entry needs at least one field".into(),
                    ));
                }
                let mut args = vec![id.clone().unwrap_or_else(|| b"*".to_vec())];
                for (f, v) in fields {
                    args.push(f.clone());
                    args.push(v.clone());
                }
                (&self.stream_add, args)
            }
            Change::StreamDelete { id } => (&self.stream_delete, vec![id.clone()]),
            Change::JsonSet { path, seen, value } => (
                &self.json_set,
                vec![
                    path.clone(),
                    flag(seen),
                    seen.clone().unwrap_or_default(),
                    value.clone(),
                ],
            ),
        })
    }
}

/// Reads a script's `{code, ...}` answer to `change`: the outcome, and
/// after an applied write what the script reported for undo.
pub(super) fn outcome(change: &Change, reply: Reply) -> Result<(Outcome, Vec<Reply>), Error> {
    let bad = || Error::Other("unexpected reply from an edit script".into());
    let mut parts = reply.into_array().ok_or_else(bad)?.into_iter();
    let code = parts.next().and_then(|c| c.as_int()).ok_or_else(bad)?;
    Ok(match code {
        1 if matches!(change, Change::StreamAdd { .. }) => {
            let id = parts.next().and_then(Reply::into_bytes).ok_or_else(bad)?;
            (Outcome::Added { id }, Vec::new())
        }
        1 => (Outcome::Applied, parts.collect()),
        0 => {
            let current = parts.next().and_then(Reply::into_bytes);
            (Outcome::Conflict { current }, Vec::new())
        }
        -1 => (Outcome::Missing, Vec::new()),
        _ => return Err(bad()),
    })
}
