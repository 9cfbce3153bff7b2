//! One key captured before a destructive action: its DUMP (or, where DUMP is
//! refused, a type-aware copy of its content) and its remaining TTL.

use crate::upstash::{Client, Cmd, Error, Reply, cmd};

/// A key's content as read back element by element, for servers that refuse DUMP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copy {
    String(Vec<u8>),
    Hash(Vec<Reply>),
    List(Vec<Reply>),
    Set(Vec<Reply>),
    /// Member, score pairs as ZRANGE WITHSCORES lists them.
    Zset(Vec<Reply>),
    /// Entries as XRANGE lists them: `[id, [field, value, ...]]`.
    Stream(Vec<Reply>),
}

/// What a snapshot holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The serialized value from DUMP, restored with RESTORE.
    Dump(Vec<u8>),
    /// The content read by type, rewritten command by command.
    Copy(Copy),
}

/// A key as it was, with its remaining TTL in milliseconds (`None`: no expiry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub key: Vec<u8>,
    pub pttl: Option<i64>,
    pub content: Content,
}

impl Snapshot {
    /// The bytes this snapshot keeps in memory.
    pub fn size(&self) -> usize {
        fn walk(r: &Reply) -> usize {
            match r {
                Reply::Array(a) => a.iter().map(walk).sum(),
                Reply::Bytes(b) => b.len(),
                _ => 8,
            }
        }
        self.key.len()
            + match &self.content {
                Content::Dump(d) => d.len(),
                Content::Copy(Copy::String(s)) => s.len(),
                Content::Copy(
                    Copy::Hash(r) | Copy::List(r) | Copy::Set(r) | Copy::Zset(r) | Copy::Stream(r),
                ) => r.iter().map(walk).sum(),
            }
    }

    /// Captures `keys` with one pipelined DUMP and PTTL per key; keys whose
    /// DUMP is refused are copied by type instead. Keys that do not exist are
    /// left out.
    pub async fn capture(client: &Client, keys: &[Vec<u8>]) -> Result<Vec<Snapshot>, Error> {
        let replies = client.pipeline(&Snapshot::capture_commands(keys)).await?;
        let (mut out, refused) = Snapshot::from_replies(keys, &replies)?;
        out.extend(Snapshot::copy_many(client, &refused).await?);
        Ok(out)
    }

    /// DUMP and PTTL for each key, in that order.
    pub fn capture_commands(keys: &[Vec<u8>]) -> Vec<Cmd> {
        keys.iter()
            .flat_map(|k| [cmd([b"DUMP".as_slice(), k]), cmd([b"PTTL".as_slice(), k])])
            .collect()
    }

    /// Snapshots from the replies to [`Snapshot::capture_commands`]; the keys
    /// whose DUMP was refused come back apart, to be copied by type.
    pub fn from_replies(
        keys: &[Vec<u8>],
        replies: &[Reply],
    ) -> Result<(Vec<Snapshot>, Vec<Vec<u8>>), Error> {
        if replies.len() != keys.len() * 2 {
            return Err(Error::Other("a short reply to DUMP and PTTL".into()));
        }
        let (mut out, mut refused) = (Vec::with_capacity(keys.len()), Vec::new());
        for (key, pair) in keys.iter().zip(replies.chunks(2)) {
            match pair {
                [Reply::Nil, _] => {}
                [Reply::Bytes(d), pttl] => out.push(Snapshot {
                    key: key.clone(),
                    pttl: ttl_of(pttl),
                    content: Content::Dump(d.clone()),
                }),
                _ => refused.push(key.clone()),
            }
        }
        Ok((out, refused))
    }

    /// Captures one key by reading its content by type; `None` if it does not exist.
    pub async fn copy(client: &Client, key: &[u8]) -> Result<Option<Snapshot>, Error> {
        Ok(Snapshot::copy_many(client, &[key.to_vec()]).await?.pop())
    }

    /// Captures `keys` by reading their content by type: one pipelined TYPE,
    /// then one transaction, so each content and its TTL belong together.
    /// Keys that do not exist are left out.
    pub async fn copy_many(client: &Client, keys: &[Vec<u8>]) -> Result<Vec<Snapshot>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let types: Vec<Cmd> = keys.iter().map(|k| cmd([b"TYPE".as_slice(), k])).collect();
        let kinds: Vec<String> = client
            .pipeline(&types)
            .await?
            .iter()
            .map(|r| r.as_str().unwrap_or("none").to_owned())
            .collect();
        let cmds = Snapshot::copy_commands(keys, &kinds)?;
        if cmds.is_empty() {
            return Ok(Vec::new());
        }
        let replies = client.transaction(&cmds).await?;
        let (out, changed) = Snapshot::from_copy_replies(keys, &kinds, &replies)?;
        match changed.first() {
            None => Ok(out),
            Some(key) => Err(Error::Other(format!(
                "{} changed type while it was read for undo; try again",
                crate::value::escape::line(key)
            ))),
        }
    }

    /// For each key of a known type (`kinds` as TYPE names them), the command
    /// that reads it whole and its PTTL; keys of type `none` are skipped.
    pub fn copy_commands(keys: &[Vec<u8>], kinds: &[String]) -> Result<Vec<Cmd>, Error> {
        let mut cmds = Vec::with_capacity(keys.len() * 2);
        for (key, kind) in keys.iter().zip(kinds) {
            let read: Cmd = match kind.as_str() {
                "none" => continue,
                "string" => cmd([b"GET".as_slice(), key]),
                "hash" => cmd([b"HGETALL".as_slice(), key]),
                "list" => cmd([b"LRANGE".as_slice(), key, b"0", b"-1"]),
                "set" => cmd([b"SMEMBERS".as_slice(), key]),
                "zset" => cmd([b"ZRANGE".as_slice(), key, b"0", b"-1", b"WITHSCORES"]),
                "stream" => cmd([b"XRANGE".as_slice(), key, b"-", b"+"]),
                other => {
                    return Err(Error::Other(format!(
                        "undo cannot copy a key of type {other}"
                    )));
                }
            };
            cmds.push(read);
            cmds.push(cmd([b"PTTL".as_slice(), key]));
        }
        Ok(cmds)
    }

    /// Snapshots from the replies to [`Snapshot::copy_commands`]; the keys
    /// whose read failed (their type changed in between) come back apart.
    pub fn from_copy_replies(
        keys: &[Vec<u8>],
        kinds: &[String],
        replies: &[Reply],
    ) -> Result<(Vec<Snapshot>, Vec<Vec<u8>>), Error> {
        let present = kinds.iter().filter(|k| k.as_str() != "none").count();
        if replies.len() < present * 2 {
            return Err(Error::Other("a short reply to a key copy".into()));
        }
        let (mut out, mut changed) = (Vec::with_capacity(present), Vec::new());
        let present = keys.iter().zip(kinds).filter(|(_, k)| k.as_str() != "none");
        for ((key, kind), pair) in present.zip(replies.chunks(2)) {
            let [content, pttl] = pair else { continue };
            if matches!(content, Reply::Error(_)) {
                changed.push(key.clone());
                continue;
            }
            let list = || content.clone().into_array().unwrap_or_default();
            let copy = match kind.as_str() {
                "string" => content.clone().into_bytes().map(Copy::String),
                "hash" => Some(Copy::Hash(list())),
                "list" => Some(Copy::List(list())),
                "set" => Some(Copy::Set(list())),
                "zset" => Some(Copy::Zset(list())),
                // A stream may exist without entries; the others may not.
                _ => Some(Copy::Stream(list())),
            };
            let gone = matches!(&copy, Some(Copy::Hash(r) | Copy::List(r) | Copy::Set(r) | Copy::Zset(r)) if r.is_empty());
            if let Some(copy) = copy.filter(|_| !gone) {
                out.push(Snapshot {
                    key: key.clone(),
                    pttl: ttl_of(pttl),
                    content: Content::Copy(copy),
                });
            }
        }
        Ok((out, changed))
    }

    /// The commands that put this key back as it was, replacing what is there.
    pub fn restore_commands(&self) -> Vec<Cmd> {
        let key = &self.key;
        let ttl = self.pttl.unwrap_or(0).max(0).to_string();
        let copy = match &self.content {
            Content::Dump(d) => {
                return vec![vec![
                    b"RESTORE".to_vec(),
                    key.clone(),
                    ttl.into_bytes(),
                    d.clone(),
                    b"REPLACE".to_vec(),
                ]];
            }
            Content::Copy(c) => c,
        };
        let with = |name: &[u8], items: &[Reply]| {
            let mut c = vec![name.to_vec(), key.clone()];
            c.extend(
                items
                    .iter()
                    .filter_map(|r| r.as_bytes().map(<[u8]>::to_vec)),
            );
            c
        };
        let mut cmds = vec![cmd([b"DEL".as_slice(), key])];
        match copy {
            Copy::String(v) => cmds.push(cmd([b"SET".as_slice(), key, v])),
            Copy::Hash(r) => cmds.push(with(b"HSET", r)),
            Copy::List(r) => cmds.push(with(b"RPUSH", r)),
            Copy::Set(r) => cmds.push(with(b"SADD", r)),
            Copy::Zset(r) => {
                let mut c = cmd([b"ZADD".as_slice(), key]);
                for pair in r.chunks(2) {
                    if let [m, s] = pair
                        && let (Some(m), Some(s)) = (m.as_bytes(), s.as_bytes())
                    {
                        c.push(s.to_vec());
                        c.push(m.to_vec());
                    }
                }
                cmds.push(c);
            }
            Copy::Stream(entries) => {
                for entry in entries {
                    if let Some([id, fields]) = entry.as_array()
                        && let (Some(id), Some(fields)) = (id.as_bytes(), fields.as_array())
                    {
                        cmds.push(with_id(key, id, fields));
                    }
                }
            }
        }
        if let Some(ms) = self.pttl {
            cmds.push(cmd([
                b"PEXPIRE".as_slice(),
                key,
                ms.max(1).to_string().as_bytes(),
            ]));
        }
        cmds
    }
}

fn with_id(key: &[u8], id: &[u8], fields: &[Reply]) -> Cmd {
    let mut c = cmd([b"XADD".as_slice(), key, id]);
    c.extend(
        fields
            .iter()
            .filter_map(|r| r.as_bytes().map(<[u8]>::to_vec)),
    );
    c
}

/// A PTTL reply as an expiry: `None` for no expiry (or no key).
fn ttl_of(reply: &Reply) -> Option<i64> {
    reply.as_int().filter(|ms| *ms >= 0)
}
