//! What one sample of a watched key reads: the type-aware commands and the
//! parsing of their replies.

use crate::upstash::{Cmd, Reply, cmd};

/// The Redis type of a watched key, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Not asked yet, or the key changed type: the next sample asks.
    Unknown,
    /// The key does not exist (an empty queue).
    Missing,
    List,
    Set,
    ZSet,
    Hash,
    Stream,
    /// A type without a length worth watching (string, ReJSON, ...).
    Other(String),
}

impl KeyType {
    /// Reads a `TYPE` reply.
    pub fn from_type_reply(name: &str) -> KeyType {
        match name {
            "none" => KeyType::Missing,
            "list" => KeyType::List,
            "set" => KeyType::Set,
            "zset" => KeyType::ZSet,
            "hash" => KeyType::Hash,
            "stream" => KeyType::Stream,
            other => KeyType::Other(other.to_string()),
        }
    }

    /// Whether the type has a length worth sampling.
    pub fn has_length(&self) -> bool {
        matches!(
            self,
            KeyType::List | KeyType::Set | KeyType::ZSet | KeyType::Hash | KeyType::Stream
        )
    }

    /// The name Redis uses (`list`, `zset`, ...), or `?` when unknown.
    pub fn label(&self) -> &str {
        match self {
            KeyType::Unknown => "?",
            KeyType::Missing => "none",
            KeyType::List => "list",
            KeyType::Set => "set",
            KeyType::ZSet => "zset",
            KeyType::Hash => "hash",
            KeyType::Stream => "stream",
            KeyType::Other(name) => name,
        }
    }
}

/// One consumer group of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    /// Delivered but not acknowledged.
    pub pending: u64,
    /// Entries not yet delivered to the group (Redis 7+).
    pub lag: Option<u64>,
    /// Entries the group has read so far (Redis 7+): a counter, so its
    /// change between samples is the group's consumption.
    pub entries_read: Option<u64>,
}

/// One sample's figures for a key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// LLEN, SCARD, ZCARD, HLEN or XLEN; 0 for a missing key.
    pub length: u64,
    /// For streams: each consumer group.
    pub groups: Vec<Group>,
}

impl Reading {
    /// The work waiting: the length, or for a stream read by groups the
    /// largest backlog of a group (not yet delivered plus unacknowledged).
    pub fn depth(&self) -> u64 {
        self.groups
            .iter()
            .map(|g| g.lag.unwrap_or(0) + g.pending)
            .max()
            .unwrap_or(self.length)
    }
}

/// What the replies of one sample say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The key's figures.
    Reading(Reading),
    /// The key's type is now known (or changed): read it next time.
    Type(KeyType),
    /// The key cannot be read as a queue; the line says why.
    Failed(String),
}

/// The commands that sample a key of type `kind`.
pub fn commands(key: &[u8], kind: &KeyType) -> Vec<Cmd> {
    let one = |name: &str| vec![cmd([name.as_bytes(), key])];
    match kind {
        KeyType::Unknown | KeyType::Missing | KeyType::Other(_) => one("TYPE"),
        KeyType::List => one("LLEN"),
        KeyType::Set => one("SCARD"),
        KeyType::ZSet => one("ZCARD"),
        KeyType::Hash => one("HLEN"),
        KeyType::Stream => vec![
            cmd([b"XLEN", key]),
            cmd([b"XINFO".as_slice(), b"GROUPS", key]),
        ],
    }
}

/// Reads the replies to [`commands`] for a key of type `kind`.
pub fn parse(kind: &KeyType, replies: &[Reply]) -> Read {
    let Some(first) = replies.first() else {
        return Read::Failed("no reply".into());
    };
    if let Reply::Error(e) = first {
        // A key that changed type answers WRONGTYPE: ask its type again.
        return if e.starts_with("WRONGTYPE") {
            Read::Type(KeyType::Unknown)
        } else {
            Read::Failed(e.clone())
        };
    }
    match kind {
        KeyType::Unknown | KeyType::Missing | KeyType::Other(_) => {
            let Some(name) = first.as_str() else {
                return Read::Failed("TYPE gave no type name".into());
            };
            match KeyType::from_type_reply(name) {
                KeyType::Missing => Read::Reading(Reading::default()),
                t if t == *kind => Read::Failed(format!("a {name} is not a queue")),
                t => Read::Type(t),
            }
        }
        _ => {
            let Some(length) = first.as_int().and_then(|n| u64::try_from(n).ok()) else {
                return Read::Failed("the length is not a number".into());
            };
            // XINFO GROUPS fails on a missing stream: no groups, then.
            let groups = match replies.get(1) {
                Some(Reply::Array(groups)) => groups.iter().filter_map(group).collect(),
                _ => Vec::new(),
            };
            Read::Reading(Reading { length, groups })
        }
    }
}

/// One entry of `XINFO GROUPS`: a flat field/value array.
fn group(r: &Reply) -> Option<Group> {
    let items = r.as_array()?;
    let field = |name: &str| {
        items
            .chunks(2)
            .find(|p| p[0].as_str() == Some(name))
            .and_then(|p| p.get(1))
    };
    let num = |name: &str| {
        field(name)
            .and_then(Reply::as_int)
            .and_then(|n| u64::try_from(n).ok())
    };
    Some(Group {
        name: field("name")?.as_str()?.to_string(),
        pending: num("pending").unwrap_or(0),
        lag: num("lag"),
        entries_read: num("entries-read"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Reply {
        Reply::Bytes(s.as_bytes().to_vec())
    }

    #[test]
    fn types_choose_commands() {
        assert_eq!(commands(b"q", &KeyType::List), vec![cmd(["LLEN", "q"])]);
        assert_eq!(commands(b"q", &KeyType::Unknown), vec![cmd(["TYPE", "q"])]);
        assert_eq!(commands(b"s", &KeyType::Stream).len(), 2);
    }

    #[test]
    fn type_replies_lead_to_readings() {
        assert_eq!(
            parse(&KeyType::Unknown, &[Reply::Status("list".into())]),
            Read::Type(KeyType::List)
        );
        assert_eq!(
            parse(&KeyType::Unknown, &[b("none")]),
            Read::Reading(Reading::default())
        );
        let other = KeyType::Other("string".into());
        assert_eq!(
            parse(&KeyType::Unknown, &[b("string")]),
            Read::Type(other.clone())
        );
        assert!(matches!(parse(&other, &[b("string")]), Read::Failed(e) if e.contains("string")));
        assert_eq!(
            parse(&KeyType::List, &[Reply::Error("WRONGTYPE x".into())]),
            Read::Type(KeyType::Unknown)
        );
        assert!(matches!(parse(&KeyType::List, &[b("x")]), Read::Failed(_)));
    }

    #[test]
    fn stream_groups_are_read() {
        let g = Reply::Array(vec![
            b("name"),
            b("workers"),
            b("consumers"),
            Reply::Int(2),
            b("pending"),
            Reply::Int(3),
            b("last-delivered-id"),
            b("1-0"),
            b("entries-read"),
            Reply::Int(10),
            b("lag"),
            Reply::Nil,
        ]);
        let Read::Reading(r) = parse(&KeyType::Stream, &[Reply::Int(12), Reply::Array(vec![g])])
        else {
            panic!("a reading");
        };
        assert_eq!(r.length, 12);
        assert_eq!(
            r.groups,
            vec![Group {
                name: "workers".into(),
                pending: 3,
                lag: None,
                entries_read: Some(10)
            }]
        );
        assert_eq!(r.depth(), 3);
        let missing = parse(
            &KeyType::Stream,
            &[Reply::Int(0), Reply::Error("ERR no such key".into())],
        );
        assert_eq!(missing, Read::Reading(Reading::default()));
    }
}
