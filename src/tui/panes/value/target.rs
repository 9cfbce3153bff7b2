//! What an edit in the Value pane acts on, taken from the open session with
//! the value the user saw, and how the user's input becomes a checked
//! [`Change`] for the editing engine.

use crate::edit::Change;
use crate::value::Session;
use crate::value::page::{Pair, Rows};

/// One element (or the whole string or document) being changed, added or
/// deleted, with what the user saw of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    String {
        seen: Vec<u8>,
    },
    HashSet {
        field: Vec<u8>,
        seen: Option<Vec<u8>>,
    },
    HashAdd,
    HashDelete {
        field: Vec<u8>,
        seen: Vec<u8>,
    },
    ListSet {
        index: i64,
        seen: Vec<u8>,
    },
    /// Push or insert; `at` is the selected element, for before/after.
    ListAdd {
        at: Option<(i64, Vec<u8>)>,
    },
    ListRemove {
        index: i64,
        seen: Vec<u8>,
    },
    SetAdd,
    SetRemove {
        member: Vec<u8>,
    },
    /// A new score for a member; `seen: None` adds the member.
    ZsetScore {
        member: Vec<u8>,
        seen: Option<f64>,
    },
    ZsetAdd,
    ZsetRemove {
        member: Vec<u8>,
        seen: f64,
    },
    StreamAdd,
    StreamDelete {
        id: Vec<u8>,
    },
    /// ReJSON set at a path; `seen` is the whole document as loaded.
    Json {
        seen: Option<Vec<u8>>,
    },
}

/// What the user asked for in the Value pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Edit,
    Add,
    Delete,
}

/// A score as the user typed it, or why Redis would refuse it.
pub fn parse_score(text: &str) -> Result<f64, String> {
    crate::value::score::parse(text)
}

impl Target {
    /// The target for `intent` on row `index` of the open key, or why there
    /// is none.
    pub fn from_session(s: &Session, index: usize, intent: Intent) -> Result<Target, String> {
        let rows = s.rows().ok_or("the value is still loading")?;
        let whole = |what: &str| format!("{what} have no elements to add or delete; e edits it");
        Ok(match (rows, intent) {
            (Rows::Chunk { offset, bytes }, Intent::Edit) => {
                let total = s.header().and_then(|h| h.len).unwrap_or(0);
                if *offset != 0 || (bytes.len() as u64) < total {
                    return Err(format!(
                        "only {} of {} bytes are loaded, too large to edit here",
                        bytes.len(),
                        total
                    ));
                }
                Target::String {
                    seen: bytes.clone(),
                }
            }
            (Rows::Chunk { .. }, _) => return Err(whole("strings")),
            (Rows::Json(doc), Intent::Edit) => Target::Json {
                seen: Some(doc.clone()),
            },
            (Rows::Json(_), _) => return Err(whole("JSON documents")),
            (Rows::Unavailable(why), _) => return Err(why.clone()),
            (Rows::Fields(_), Intent::Add) => Target::HashAdd,
            (Rows::Members(_), Intent::Add) => Target::SetAdd,
            (Rows::Scored { .. }, Intent::Add) => Target::ZsetAdd,
            (Rows::Entries(_), Intent::Add) => Target::StreamAdd,
            (Rows::Items { start, items }, Intent::Add) => Target::ListAdd {
                at: items
                    .get(index)
                    .map(|v| (*start as i64 + index as i64, v.clone())),
            },
            (rows, intent) => return Target::element(rows, index, intent),
        })
    }

    fn element(rows: &Rows, index: usize, intent: Intent) -> Result<Target, String> {
        let none = || "no row is selected".to_string();
        let edit = intent == Intent::Edit;
        Ok(match rows {
            Rows::Fields(r) => {
                let (field, seen) = r.get(index).cloned().ok_or_else(none)?;
                if edit {
                    Target::HashSet {
                        field,
                        seen: Some(seen),
                    }
                } else {
                    Target::HashDelete { field, seen }
                }
            }
            Rows::Items { start, items } => {
                let seen = items.get(index).cloned().ok_or_else(none)?;
                let index = *start as i64 + index as i64;
                if edit {
                    Target::ListSet { index, seen }
                } else {
                    Target::ListRemove { index, seen }
                }
            }
            Rows::Members(m) => {
                let member = m.get(index).cloned().ok_or_else(none)?;
                if edit {
                    return Err(
                        "set members are not changed in place: add (i) or delete (x)".into(),
                    );
                }
                Target::SetRemove { member }
            }
            Rows::Scored { rows, .. } => {
                let (member, score) = rows.get(index).cloned().ok_or_else(none)?;
                let seen = parse_score(&String::from_utf8_lossy(&score))?;
                if edit {
                    Target::ZsetScore {
                        member,
                        seen: Some(seen),
                    }
                } else {
                    Target::ZsetRemove { member, seen }
                }
            }
            Rows::Entries(e) => {
                let id = e.get(index).map(|e| e.id.clone()).ok_or_else(none)?;
                if edit {
                    return Err("stream entries cannot be changed: add (i) or delete (x)".into());
                }
                Target::StreamDelete { id }
            }
            Rows::Chunk { .. } | Rows::Json(_) | Rows::Unavailable(_) => {
                return Err("nothing to edit here".into());
            }
        })
    }

    /// Whether this target adds an element (a field, element, member or entry).
    pub fn is_add(&self) -> bool {
        matches!(
            self,
            Target::HashAdd
                | Target::ListAdd { .. }
                | Target::SetAdd
                | Target::ZsetAdd
                | Target::StreamAdd
        )
    }

    /// Whether this target only asks for a yes or no.
    pub fn is_delete(&self) -> bool {
        matches!(
            self,
            Target::HashDelete { .. }
                | Target::ListRemove { .. }
                | Target::SetRemove { .. }
                | Target::ZsetRemove { .. }
                | Target::StreamDelete { .. }
        )
    }

    /// The value the form starts from (what the user saw), if it edits one.
    pub fn seen_value(&self) -> Option<&[u8]> {
        match self {
            Target::String { seen } | Target::ListSet { seen, .. } => Some(seen),
            Target::HashSet { seen, .. } | Target::Json { seen } => seen.as_deref(),
            _ => None,
        }
    }

    /// Identifies the element, so a draft comes back on the same one.
    pub fn draft_id(&self) -> String {
        let h = hex::encode;
        match self {
            Target::String { .. } => "string".into(),
            Target::HashSet { field, .. } => format!("hash {}", h(field)),
            Target::ListSet { index, .. } => format!("list {index}"),
            Target::ZsetScore { member, .. } => format!("zset {}", h(member)),
            Target::Json { .. } => "json".into(),
            other => format!("{:?}", std::mem::discriminant(other)),
        }
    }

    /// The change for the user's input: `parts` are the form's values in
    /// order (see [`super::edit::Form`]), already decoded to bytes.
    pub fn change(&self, parts: &[Vec<u8>], choice: &str) -> Result<Change, String> {
        let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
        let text = |i: usize| String::from_utf8_lossy(&part(i)).into_owned();
        Ok(match self {
            Target::String { seen } => Change::StringSet {
                seen: seen.clone(),
                value: part(0),
                ttl: None,
            },
            Target::HashSet { field, seen } => Change::HashSet {
                field: field.clone(),
                seen: seen.clone(),
                value: part(0),
            },
            Target::HashAdd => Change::HashSet {
                field: part(0),
                seen: None,
                value: part(1),
            },
            Target::ListSet { index, seen } => Change::ListSet {
                index: *index,
                seen: seen.clone(),
                value: part(0),
            },
            Target::ListAdd { at } => match (choice, at) {
                ("head" | "tail", _) => Change::ListPush {
                    head: choice == "head",
                    value: part(0),
                },
                (_, Some((index, seen))) => Change::ListInsert {
                    index: *index,
                    seen: seen.clone(),
                    before: choice == "before",
                    value: part(0),
                },
                (_, None) => return Err("no element is selected to insert next to".into()),
            },
            Target::SetAdd => Change::SetAdd { member: part(0) },
            Target::ZsetScore { member, seen } => match seen {
                Some(seen) => Change::ZsetScore {
                    member: member.clone(),
                    seen: *seen,
                    score: parse_score(&text(0))?,
                },
                None => Change::ZsetAdd {
                    member: member.clone(),
                    score: parse_score(&text(0))?,
                },
            },
            Target::ZsetAdd => Change::ZsetAdd {
                member: part(0),
                score: parse_score(&text(1))?,
            },
            Target::StreamAdd => Change::StreamAdd {
                id: match text(0).trim() {
                    "" | "*" => None,
                    id => Some(id.as_bytes().to_vec()),
                },
                fields: stream_fields(&text(1))?,
            },
            Target::Json { seen } => {
                let path = text(0).trim().to_owned();
                let path = if path.is_empty() { ".".into() } else { path };
                Change::JsonSet {
                    // The loaded document is `JSON.GET key`, the same as path `.`.
                    seen: if path == "." { seen.clone() } else { None },
                    path: path.into_bytes(),
                    value: part(1),
                }
            }
            Target::HashDelete { field, seen } => Change::HashDelete {
                field: field.clone(),
                seen: seen.clone(),
            },
            Target::ListRemove { index, seen } => Change::ListRemove {
                index: *index,
                seen: seen.clone(),
            },
            Target::SetRemove { member } => Change::SetRemove {
                member: member.clone(),
            },
            Target::ZsetRemove { member, seen } => Change::ZsetRemove {
                member: member.clone(),
                seen: *seen,
            },
            Target::StreamDelete { id } => Change::StreamDelete { id: id.clone() },
        })
    }

    /// Takes `current` (from a conflict) as what the user has now seen, so
    /// the next write overwrites it; or says why overwriting makes no sense.
    pub fn rebase(&mut self, current: Option<Vec<u8>>) -> Result<(), String> {
        let gone = "it is gone now: reload (r) and start again";
        match (self, current) {
            (Target::String { seen }, Some(c)) => *seen = c,
            (Target::HashSet { seen, .. } | Target::Json { seen }, c) => *seen = c,
            (Target::HashDelete { seen, .. }, Some(c)) => *seen = c,
            (Target::ListSet { seen, .. } | Target::ListRemove { seen, .. }, Some(c)) => *seen = c,
            (
                Target::ListAdd {
                    at: Some((_, seen)),
                },
                Some(c),
            ) => *seen = c,
            (Target::ZsetScore { seen, .. }, c) => {
                *seen = c
                    .map(|c| parse_score(&String::from_utf8_lossy(&c)))
                    .transpose()?;
            }
            (Target::ZsetRemove { seen, .. }, Some(c)) => {
                *seen = parse_score(&String::from_utf8_lossy(&c))?;
            }
            (t @ Target::ZsetAdd, Some(_)) | (t @ Target::HashAdd, Some(_)) => {
                return Err(format!(
                    "the {} exists now: edit it (e) instead",
                    if matches!(t, Target::ZsetAdd) {
                        "member"
                    } else {
                        "field"
                    }
                ));
            }
            (Target::SetAdd, _) => return Err("it is already a member: nothing to add".into()),
            (Target::SetRemove { .. } | Target::StreamDelete { .. }, _) => {
                return Err("it is already gone: nothing to delete".into());
            }
            _ => return Err(gone.into()),
        }
        Ok(())
    }
}

/// `field value` lines (split at the first space) for a stream entry.
pub fn stream_fields(text: &str) -> Result<Vec<Pair>, String> {
    let mut fields = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (f, v) = line.split_once(' ').ok_or_else(|| {
            format!(
                "line {}: a field and its value, separated by a space",
                n + 1
            )
        })?;
        fields.push((f.as_bytes().to_vec(), v.as_bytes().to_vec()));
    }
    if fields.is_empty() {
        return Err("a stream entry needs at least one `field value` line".into());
    }
    Ok(fields)
}
