//! Creating a key of any type with its first value, field or member, in one
//! atomic request that never replaces an existing key unless asked to.

use super::Editor;
use super::change::score_text;
use super::snapshot::Snapshot;
use super::trash::Reversal;
use crate::upstash::{Error, Reply};

/// The first content of a new key.
#[derive(Debug, Clone, PartialEq)]
pub enum Initial {
    String(Vec<u8>),
    Hash {
        field: Vec<u8>,
        value: Vec<u8>,
    },
    List(Vec<u8>),
    Set(Vec<u8>),
    Zset {
        member: Vec<u8>,
        score: f64,
    },
    /// A first entry with a server-chosen id.
    Stream(Vec<(Vec<u8>, Vec<u8>)>),
    /// A ReJSON document (RedisJSON module).
    Json(Vec<u8>),
}

/// Whether an action may replace an existing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Never: an existing key is left alone.
    Never,
    /// Yes, capturing the old key for undo first; refused before acting when
    /// it is over the undo cap.
    WithUndo,
    /// Yes, without undo (the user accepted that undo is not available).
    WithoutUndo,
}

/// What a create did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// The key was written (replacing the old one only with `overwrite`).
    Created,
    /// Nothing written: a key of this type already has the name.
    Exists { kind: String },
}

impl Initial {
    fn args(&self) -> Result<(&'static str, Vec<Vec<u8>>), Error> {
        Ok(match self {
            Initial::String(v) => ("string", vec![v.clone()]),
            Initial::Hash { field, value } => ("hash", vec![field.clone(), value.clone()]),
            Initial::List(v) => ("list", vec![v.clone()]),
            Initial::Set(m) => ("set", vec![m.clone()]),
            Initial::Zset { member, score } => ("zset", vec![member.clone(), score_text(*score)?]),
            Initial::Stream(fields) => {
                if fields.is_empty() {
                    return Err(Error::Input(
                        "a stream entry needs at least one field".into(),
                    ));
                }
                let flat = fields.iter().flat_map(|(f, v)| [f.clone(), v.clone()]);
                ("stream", flat.collect())
            }
            Initial::Json(doc) => ("json", vec![doc.clone()]),
        })
    }
}

impl Editor {
    /// Creates `key` with `first` and an optional TTL. An existing key is
    /// left alone unless `overwrite` says otherwise.
    pub async fn create(
        &self,
        key: &[u8],
        first: &Initial,
        ttl: Option<std::time::Duration>,
        overwrite: Overwrite,
    ) -> Result<Created, Error> {
        self.read_only.check()?;
        let (kind, values) = first.args()?;
        let replaced = self.capture_for(overwrite, &[key.to_vec()]).await?;
        let ttl = ttl.map_or(0, |d| d.as_millis().max(1));
        let mut args = vec![
            kind.as_bytes().to_vec(),
            if overwrite == Overwrite::Never {
                b"0".to_vec()
            } else {
                b"1".to_vec()
            },
            ttl.to_string().into_bytes(),
        ];
        args.extend(values);
        let reply = self.script(&self.scripts.create, key, &args).await?;
        let parts = reply.into_array().unwrap_or_default();
        match parts.as_slice() {
            [Reply::Int(1)] => {
                if !replaced.is_empty() {
                    let label = format!("overwrite {}", crate::value::escape::line(key));
                    self.trash().push(label, Reversal::Restore(replaced));
                }
                Ok(Created::Created)
            }
            [Reply::Int(0), kind] => Ok(Created::Exists {
                kind: kind.as_str().unwrap_or("unknown").to_string(),
            }),
            _ => Err(Error::Other(
                "unexpected reply from the create script".into(),
            )),
        }
    }

    /// Captures `keys` for undo when `overwrite` asks for it; refuses,
    /// before anything is written, a capture over the undo cap.
    pub(super) async fn capture_for(
        &self,
        overwrite: Overwrite,
        keys: &[Vec<u8>],
    ) -> Result<Vec<Snapshot>, Error> {
        if overwrite != Overwrite::WithUndo {
            return Ok(Vec::new());
        }
        self.capture_capped(keys).await?.map_err(|bytes| {
            Error::Input(format!(
                "undo is not available: the keys hold {bytes} bytes, over the {} byte limit; nothing was changed",
                self.undo_cap
            ))
        })
    }
}
