//! The last page of a key, for `G`: its length and the page at its end in
//! one pipeline, with negative indexes (LRANGE, ZRANGE by rank, GETRANGE)
//! or the opposite order (a stream's XREVRANGE), so the page is the end
//! whatever the key did since it was opened.

use crate::upstash::{Client, Cmd, Error, Reply, cmd};

use super::kind::Kind;
use super::limits::Limits;
use super::page::{Page, Rows};
use super::shape::{byte_list, bytes_of, pairs, shape};
use super::stream;

/// The end of a key: its last page (rows with their positions) and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    /// The last page; `next` is `None`.
    pub page: Page,
    /// The key's length as of the same pipeline (bytes, elements or entries).
    pub len: u64,
}

/// The length command and the last page's command for a key of `kind`
/// shown in order `rev`; `None` for kinds paged by SCAN or not at all.
pub fn commands(key: &[u8], kind: &Kind, rev: bool, limits: &Limits) -> Option<[Cmd; 2]> {
    let len = cmd([kind.length_command()?.as_bytes(), key]);
    let count = limits.rows.max(1).to_string();
    let from = format!("-{count}");
    let page = match kind {
        Kind::String => {
            let from = format!("-{}", limits.string_page.clamp(1, limits.string_cap));
            cmd([&b"GETRANGE"[..], key, from.as_bytes(), b"-1"])
        }
        Kind::List => cmd([&b"LRANGE"[..], key, from.as_bytes(), b"-1"]),
        Kind::ZSet => {
            let mut c = cmd([&b"ZRANGE"[..], key, from.as_bytes(), b"-1"]);
            if rev {
                c.push(b"REV".to_vec());
            }
            c.push(b"WITHSCORES".to_vec());
            c
        }
        // The other end in the other order, turned round when it arrives.
        Kind::Stream => stream::range_command(key, &None, limits.rows.max(1), !rev),
        _ => return None,
    };
    Some([len, page])
}

/// Fetches the end of `key` (see [`commands`]).
pub async fn fetch_tail(
    client: &Client,
    key: &[u8],
    kind: &Kind,
    rev: bool,
    limits: &Limits,
) -> Result<Tail, Error> {
    let cmds = commands(key, kind, rev, limits)
        .ok_or_else(|| Error::Other(format!("a {kind} has no last page to jump to")))?;
    let replies = client.pipeline(&cmds).await?;
    parse(kind, replies)
}

/// Reads the replies to [`commands`].
pub fn parse(kind: &Kind, replies: Vec<Reply>) -> Result<Tail, Error> {
    let mut it = replies.into_iter();
    let len = match it.next() {
        Some(Reply::Error(text)) => return Err(Error::Command(text)),
        Some(r) => r
            .as_int()
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| shape("the length"))?,
        None => return Err(shape("the length")),
    };
    let reply = match it.next() {
        Some(Reply::Error(text)) => return Err(Error::Command(text)),
        Some(r) => r,
        None => return Err(shape("the last page")),
    };
    let rows = match kind {
        Kind::String => {
            let bytes = bytes_of(reply, "GETRANGE")?;
            Rows::Chunk {
                offset: len.saturating_sub(bytes.len() as u64),
                bytes,
            }
        }
        Kind::List => {
            let items = byte_list(reply, "LRANGE")?;
            Rows::Items {
                start: len.saturating_sub(items.len() as u64),
                items,
            }
        }
        Kind::ZSet => {
            let rows = pairs(byte_list(reply, "ZRANGE")?, "ZRANGE")?;
            Rows::Scored {
                start: Some(len.saturating_sub(rows.len() as u64)),
                rows,
            }
        }
        Kind::Stream => {
            let mut entries = stream::parse_entries(reply)?;
            entries.reverse();
            Rows::Entries(entries)
        }
        other => return Err(Error::Other(format!("a {other} has no last page"))),
    };
    Ok(Tail {
        page: Page { rows, next: None },
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_for_the_end_with_negative_indexes() {
        let l = Limits {
            rows: 3,
            string_page: 10,
            ..Limits::default()
        };
        let [len, page] = commands(b"k", &Kind::List, false, &l).expect("list");
        assert_eq!(len, cmd(["LLEN", "k"]));
        assert_eq!(page, cmd(["LRANGE", "k", "-3", "-1"]));
        let [_, page] = commands(b"k", &Kind::ZSet, true, &l).expect("zset");
        assert_eq!(page, cmd(["ZRANGE", "k", "-3", "-1", "REV", "WITHSCORES"]));
        let [_, page] = commands(b"k", &Kind::Stream, false, &l).expect("stream");
        assert_eq!(page, cmd(["XREVRANGE", "k", "+", "-", "COUNT", "3"]));
        let [_, page] = commands(b"k", &Kind::String, false, &l).expect("string");
        assert_eq!(page, cmd(["GETRANGE", "k", "-10", "-1"]));
        assert!(commands(b"k", &Kind::Hash, false, &l).is_none());
    }

    #[test]
    fn positions_come_from_the_length() {
        let b = |s: &str| Reply::Bytes(s.as_bytes().to_vec());
        let t = parse(
            &Kind::List,
            vec![Reply::Int(1000), Reply::Array(vec![b("a"), b("b")])],
        )
        .expect("parses");
        assert_eq!(t.len, 1000);
        assert!(matches!(t.page.rows, Rows::Items { start: 998, .. }));
        assert!(parse(&Kind::List, vec![Reply::Error("WRONGTYPE".into()), b("x")]).is_err());
    }
}
