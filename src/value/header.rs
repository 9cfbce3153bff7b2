//! The header of an open key: type, TTL, length, encoding and memory, read
//! from the same pipeline as the first page.

use std::time::Duration;

use crate::upstash::{Cmd, Error, Reply, cmd};

use super::kind::Kind;
use super::shape::shape;
use super::stream::{self, Group};

/// What the header shows about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The key, as bytes.
    pub key: Vec<u8>,
    /// The type TYPE named.
    pub kind: Kind,
    /// Milliseconds left when fetched; `None` when the key does not expire.
    pub ttl_ms: Option<i64>,
    /// STRLEN, HLEN, LLEN, SCARD, ZCARD or XLEN; `None` for other kinds.
    pub len: Option<u64>,
    /// OBJECT ENCODING, when the server answers it.
    pub encoding: Option<String>,
    /// MEMORY USAGE in bytes, when the server answers it.
    pub memory: Option<u64>,
    /// Consumer groups of a stream (XINFO GROUPS); empty for other kinds.
    pub groups: Vec<Group>,
}

/// How many commands [`commands`] puts before the first page's.
pub fn command_count(kind: &Kind) -> usize {
    4 + usize::from(kind.length_command().is_some()) + usize::from(*kind == Kind::Stream)
}

/// The header commands for a key believed to be of `kind`: TYPE (to check
/// the belief), PTTL, OBJECT ENCODING, MEMORY USAGE, then the length command
/// and, for streams, XINFO GROUPS.
pub fn commands(key: &[u8], kind: &Kind) -> Vec<Cmd> {
    let mut out = vec![
        cmd([&b"TYPE"[..], key]),
        cmd([&b"PTTL"[..], key]),
        cmd([&b"OBJECT"[..], b"ENCODING", key]),
        cmd([&b"MEMORY"[..], b"USAGE", key]),
    ];
    if let Some(len) = kind.length_command() {
        out.push(cmd([len.as_bytes(), key]));
    }
    if *kind == Kind::Stream {
        out.push(stream::groups_command(key));
    }
    out
}

/// The type a TYPE reply names.
pub fn parse_kind(reply: &Reply) -> Result<Kind, Error> {
    match reply {
        Reply::Error(text) => Err(Error::Command(text.clone())),
        r => r.as_str().map(Kind::parse).ok_or_else(|| shape("TYPE")),
    }
}

impl Header {
    /// Reads the replies to [`commands`] for `kind` (the TYPE reply must
    /// already have been checked to say `kind`).
    pub fn parse(key: &[u8], kind: Kind, replies: Vec<Reply>) -> Result<Header, Error> {
        let mut it = replies.into_iter().skip(1);
        let ttl = it.next().ok_or_else(|| shape("PTTL"))?;
        let ttl_ms = match ttl {
            Reply::Error(text) => return Err(Error::Command(text)),
            r => r.as_int().ok_or_else(|| shape("PTTL"))?,
        };
        // The server may refuse OBJECT and MEMORY (Upstash does for some); that is no failure.
        let encoding = it.next().and_then(|r| r.as_str().map(str::to_string));
        let memory = it.next().and_then(|r| r.as_int()).and_then(positive);
        let len = match kind.length_command() {
            Some(name) => match it.next() {
                Some(Reply::Error(text)) => return Err(Error::Command(text)),
                Some(r) => Some(r.as_int().and_then(positive).ok_or_else(|| shape(name))?),
                None => return Err(shape(name)),
            },
            None => None,
        };
        let groups = match (&kind, it.next()) {
            (Kind::Stream, Some(r @ Reply::Array(_))) => stream::parse_groups(r)?,
            _ => Vec::new(),
        };
        Ok(Header {
            key: key.to_vec(),
            kind,
            ttl_ms: (ttl_ms >= 0).then_some(ttl_ms),
            len,
            encoding,
            memory,
            groups,
        })
    }

    /// The time to live left `elapsed` after the header was fetched; `None`
    /// when the key does not expire. Zero once it should have expired.
    pub fn ttl_left(&self, elapsed: Duration) -> Option<Duration> {
        self.ttl_ms
            .map(|ms| Duration::from_millis(ms.unsigned_abs()).saturating_sub(elapsed))
    }
}

fn positive(n: i64) -> Option<u64> {
    u64::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Reply {
        Reply::Bytes(s.as_bytes().to_vec())
    }

    #[test]
    fn tolerates_refused_encoding_and_memory() {
        let replies = vec![
            b("hash"),
            Reply::Int(-1),
            Reply::Error("ERR Command is not available: 'OBJECT'".into()),
            Reply::Error("ERR Command is not available: 'MEMORY USAGE'".into()),
            Reply::Int(3),
        ];
        let h = Header::parse(b"k", Kind::Hash, replies).expect("parses");
        assert_eq!(h.ttl_ms, None);
        assert_eq!(h.len, Some(3));
        assert_eq!((h.encoding, h.memory), (None, None));
        assert_eq!(command_count(&Kind::Hash), 5);
        assert_eq!(
            commands(b"k", &Kind::Stream).len(),
            command_count(&Kind::Stream)
        );
    }

    #[test]
    fn ttl_counts_down() {
        let replies = vec![
            b("string"),
            Reply::Int(5000),
            b("embstr"),
            Reply::Int(56),
            Reply::Int(2),
        ];
        let h = Header::parse(b"k", Kind::String, replies).expect("parses");
        assert_eq!(
            h.ttl_left(Duration::from_secs(2)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(h.ttl_left(Duration::from_secs(9)), Some(Duration::ZERO));
        assert_eq!(h.encoding.as_deref(), Some("embstr"));
        assert_eq!(h.memory, Some(56));
    }

    #[test]
    fn length_error_is_an_error() {
        let replies = vec![b("list"), Reply::Int(-1), Reply::Nil, Reply::Nil];
        assert!(Header::parse(b"k", Kind::List, replies).is_err());
    }
}
