//! What one sample of a watched key reads: the type-aware commands and the
//! parsing of their replies.

use crate::upstash::{Cmd, Reply, cmd};
use crate::value::Kind;

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
    /// The key's type is now known (`None`: it changed, ask again): read
    /// it next time.
    Type(Option<Kind>),
    /// The key cannot be read as a queue; the line says why.
    Failed(String),
}

/// The commands that sample a key of type `kind` (`None`: not known yet):
/// its length if it is a collection, else TYPE, to see whether it became one.
pub fn commands(key: &[u8], kind: Option<&Kind>) -> Vec<Cmd> {
    match kind.filter(|k| k.is_collection()) {
        Some(Kind::Stream) => vec![
            cmd([b"XLEN", key]),
            cmd([b"XINFO".as_slice(), b"GROUPS", key]),
        ],
        Some(k) => {
            let name = k.length_command().unwrap_or("TYPE");
            vec![cmd([name.as_bytes(), key])]
        }
        None => vec![cmd([b"TYPE".as_slice(), key])],
    }
}

/// Reads the replies to [`commands`] for a key of type `kind`.
pub fn parse(kind: Option<&Kind>, replies: &[Reply]) -> Read {
    let Some(first) = replies.first() else {
        return Read::Failed("no reply".into());
    };
    if let Reply::Error(e) = first {
        // A key that changed type answers WRONGTYPE: ask its type again.
        return if e.starts_with("WRONGTYPE") {
            Read::Type(None)
        } else {
            Read::Failed(e.clone())
        };
    }
    match kind {
        Some(k) if k.is_collection() => {
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
        // TYPE was asked.
        _ => {
            let Some(name) = first.as_str() else {
                return Read::Failed("TYPE gave no type name".into());
            };
            match Kind::parse(name) {
                Kind::Missing => Read::Reading(Reading::default()),
                t if Some(&t) == kind => Read::Failed(format!("a {name} is not a queue")),
                t => Read::Type(Some(t)),
            }
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
        assert_eq!(commands(b"q", Some(&Kind::List)), vec![cmd(["LLEN", "q"])]);
        assert_eq!(commands(b"q", Some(&Kind::Hash)), vec![cmd(["HLEN", "q"])]);
        assert_eq!(commands(b"q", None), vec![cmd(["TYPE", "q"])]);
        assert_eq!(
            commands(b"q", Some(&Kind::String)),
            vec![cmd(["TYPE", "q"])]
        );
        assert_eq!(
            commands(b"q", Some(&Kind::Missing)),
            vec![cmd(["TYPE", "q"])]
        );
        assert_eq!(commands(b"s", Some(&Kind::Stream)).len(), 2);
    }

    #[test]
    fn type_replies_lead_to_readings() {
        assert_eq!(
            parse(None, &[Reply::Status("list".into())]),
            Read::Type(Some(Kind::List))
        );
        assert_eq!(parse(None, &[b("none")]), Read::Reading(Reading::default()));
        assert_eq!(parse(None, &[b("string")]), Read::Type(Some(Kind::String)));
        assert!(
            matches!(parse(Some(&Kind::String), &[b("string")]), Read::Failed(e) if e == "a string is not a queue")
        );
        let tsdb = Kind::Other("TSDB-TYPE".into());
        assert_eq!(
            parse(None, &[b("TSDB-TYPE")]),
            Read::Type(Some(tsdb.clone()))
        );
        assert!(matches!(
            parse(Some(&tsdb), &[b("TSDB-TYPE")]),
            Read::Failed(_)
        ));
        assert_eq!(
            parse(Some(&Kind::List), &[Reply::Error("WRONGTYPE x".into())]),
            Read::Type(None)
        );
        assert!(matches!(
            parse(Some(&Kind::List), &[b("x")]),
            Read::Failed(_)
        ));
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
        let Read::Reading(r) = parse(
            Some(&Kind::Stream),
            &[Reply::Int(12), Reply::Array(vec![g])],
        ) else {
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
            Some(&Kind::Stream),
            &[Reply::Int(0), Reply::Error("ERR no such key".into())],
        );
        assert_eq!(missing, Read::Reading(Reading::default()));
    }
}
