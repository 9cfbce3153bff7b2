//! Streams: entry pages by id and consumer groups with their pending counts.

use crate::upstash::{Cmd, Error, Reply, cmd};

use super::page::Pair;
use super::shape::{byte_list, bytes_of, pairs, shape};

/// One stream entry: its id and its field/value pairs, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry id, `<ms>-<seq>`.
    pub id: Vec<u8>,
    /// Field/value pairs in the order they were added.
    pub fields: Vec<Pair>,
}

/// A consumer group, from XINFO GROUPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's name.
    pub name: Vec<u8>,
    /// Consumers in the group.
    pub consumers: i64,
    /// Entries delivered to the group and not yet acknowledged.
    pub pending: i64,
    /// The id of the last entry delivered to the group.
    pub last_delivered: Vec<u8>,
    /// Entries not yet delivered to the group (Redis 7+; absent before, or
    /// when the server cannot tell).
    pub lag: Option<i64>,
}

/// `XRANGE key - + COUNT n` (or `XREVRANGE key + - COUNT n`), continuing
/// after an exclusive id (`(id`) so no entry is shown twice.
pub fn range_command(key: &[u8], after: &Option<Vec<u8>>, count: usize, rev: bool) -> Cmd {
    let from = match after {
        Some(id) => [&b"("[..], id].concat(),
        None if rev => b"+".to_vec(),
        None => b"-".to_vec(),
    };
    let to: &[u8] = if rev { b"-" } else { b"+" };
    let name: &[u8] = if rev { b"XREVRANGE" } else { b"XRANGE" };
    cmd([name, key, &from, to, b"COUNT", count.to_string().as_bytes()])
}

/// `XINFO GROUPS key`.
pub fn groups_command(key: &[u8]) -> Cmd {
    cmd([&b"XINFO"[..], b"GROUPS", key])
}

/// Reads an XRANGE/XREVRANGE reply.
pub fn parse_entries(reply: Reply) -> Result<Vec<Entry>, Error> {
    let what = "XRANGE";
    reply
        .into_array()
        .ok_or_else(|| shape(what))?
        .into_iter()
        .map(|e| {
            let mut parts = e.into_array().ok_or_else(|| shape(what))?.into_iter();
            match (parts.next(), parts.next()) {
                (Some(id), Some(fields)) => Ok(Entry {
                    id: bytes_of(id, what)?,
                    fields: match fields {
                        // A trimmed-away entry can come back with nil fields.
                        Reply::Nil => Vec::new(),
                        f => pairs(byte_list(f, what)?, what)?,
                    },
                }),
                _ => Err(shape(what)),
            }
        })
        .collect()
}

/// Reads an XINFO GROUPS reply (a list of flat name/value lists).
pub fn parse_groups(reply: Reply) -> Result<Vec<Group>, Error> {
    let what = "XINFO GROUPS";
    let mut out = Vec::new();
    for g in reply.into_array().ok_or_else(|| shape(what))? {
        let items = g.into_array().ok_or_else(|| shape(what))?;
        let mut group = Group {
            name: Vec::new(),
            consumers: 0,
            pending: 0,
            last_delivered: Vec::new(),
            lag: None,
        };
        for pair in items.chunks(2) {
            let [name, value] = pair else {
                return Err(shape(what));
            };
            match name.as_str() {
                Some("name") => group.name = value.as_bytes().unwrap_or_default().to_vec(),
                Some("consumers") => group.consumers = value.as_int().unwrap_or(0),
                Some("pending") => group.pending = value.as_int().unwrap_or(0),
                Some("last-delivered-id") => {
                    group.last_delivered = value.as_bytes().unwrap_or_default().to_vec()
                }
                Some("lag") => group.lag = value.as_int(),
                _ => {}
            }
        }
        out.push(group);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Reply {
        Reply::Bytes(s.as_bytes().to_vec())
    }

    #[test]
    fn commands() {
        let c = range_command(b"s", &None, 5, false);
        assert_eq!(c, cmd(["XRANGE", "s", "-", "+", "COUNT", "5"]));
        let c = range_command(b"s", &Some(b"1-2".to_vec()), 5, true);
        assert_eq!(c, cmd(["XREVRANGE", "s", "(1-2", "-", "COUNT", "5"]));
    }

    #[test]
    fn groups() {
        let reply = Reply::Array(vec![Reply::Array(vec![
            b("name"),
            b("workers"),
            b("consumers"),
            Reply::Int(2),
            b("pending"),
            Reply::Int(7),
            b("last-delivered-id"),
            b("5-0"),
            b("entries-read"),
            Reply::Nil,
            b("lag"),
            Reply::Nil,
        ])]);
        let g = parse_groups(reply).expect("parses");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].name, b"workers");
        assert_eq!((g[0].consumers, g[0].pending, g[0].lag), (2, 7, None));
        assert_eq!(g[0].last_delivered, b"5-0");
        assert!(parse_groups(Reply::Array(vec![Reply::Array(vec![b("name")])])).is_err());
    }
}
