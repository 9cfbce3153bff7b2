//! Upstash's `SCAN ... WITHTYPE`, answered as `[cursor, [key1, type1, ...]]`.
//!
//! Outside a transaction it is two pipelined round trips: the SCAN, then one
//! `TYPE` per key found. Redis runs a pipelined TYPE about ten times faster
//! than a `redis.call('TYPE')` inside a script, which made the script the
//! largest cost of listing keys. A key deleted between the two steps answers
//! `none` and is left out: SCAN only promises the keys that exist for the
//! whole iteration. Inside `/multi-exec` the page must be atomic, so the
//! script does both steps there.

use redis::{Cmd, Pipeline};

use crate::upstash::Reply;

/// The transaction form: SCAN, then TYPE of each key, in one script. A SCAN
/// error (a bad cursor, say) is returned as Redis' own error reply.
pub const SCRIPT: &str = r"
local r = redis.pcall('SCAN', unpack(ARGV))
if type(r) == 'table' and r.err then return r end
local keys = r[2]
local out = {}
for i = 1, #keys do
  out[2 * i - 1] = keys[i]
  out[2 * i] = redis.call('TYPE', keys[i]).ok
end
return {r[1], out}
";

/// `SCAN` with these arguments (cursor and options, without WITHTYPE).
pub fn scan(args: &[Vec<u8>]) -> Cmd {
    let mut c = redis::cmd("SCAN");
    for a in args {
        c.arg(a.as_slice());
    }
    c
}

/// The `TYPE` commands for every key in the SCAN replies at `positions`.
pub fn type_pipeline(replies: &[Reply], positions: &[usize]) -> Pipeline {
    let mut pipe = redis::pipe();
    for &i in positions {
        for key in page_keys(replies.get(i)) {
            pipe.cmd("TYPE").arg(key);
        }
    }
    pipe
}

/// Rewrites each SCAN reply at `positions` as `[cursor, [key, type, ...]]`,
/// taking the types in order from `types` (the replies to [`type_pipeline`]).
pub fn attach(replies: &mut [Reply], positions: &[usize], types: Vec<Reply>) {
    let mut types = types.into_iter();
    for &i in positions {
        let Some(Reply::Array(parts)) = replies.get_mut(i) else {
            continue;
        };
        let Some(Reply::Array(keys)) = parts.get_mut(1) else {
            continue;
        };
        let mut paired = Vec::with_capacity(keys.len() * 2);
        for key in std::mem::take(keys) {
            let kind = match types.next() {
                Some(Reply::Status(s)) => s.into_bytes(),
                Some(Reply::Bytes(b)) => b,
                _ => b"none".to_vec(),
            };
            if kind != b"none" {
                paired.push(key);
                paired.push(Reply::Bytes(kind));
            }
        }
        *keys = paired;
    }
}

fn page_keys(reply: Option<&Reply>) -> impl Iterator<Item = &[u8]> {
    let keys = match reply {
        Some(Reply::Array(parts)) if parts.len() == 2 => match &parts[1] {
            Reply::Array(keys) => keys.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    keys.iter().filter_map(Reply::as_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(keys: &[&str]) -> Reply {
        Reply::Array(vec![
            Reply::Bytes(b"17".to_vec()),
            Reply::Array(
                keys.iter()
                    .map(|k| Reply::Bytes(k.as_bytes().to_vec()))
                    .collect(),
            ),
        ])
    }

    #[test]
    fn pairs_keys_with_types_and_leaves_out_deleted_keys() {
        let mut replies = vec![page(&["a", "gone", "b"]), Reply::Int(1), page(&["c"])];
        assert_eq!(type_pipeline(&replies, &[0, 2]).len(), 4);
        let types = ["string", "none", "hash", "zset"]
            .map(|t| Reply::Status(t.into()))
            .to_vec();
        attach(&mut replies, &[0, 2], types);
        let want = |pairs: &[&str]| {
            Reply::Array(vec![
                Reply::Bytes(b"17".to_vec()),
                Reply::Array(
                    pairs
                        .iter()
                        .map(|k| Reply::Bytes(k.as_bytes().to_vec()))
                        .collect(),
                ),
            ])
        };
        assert_eq!(replies[0], want(&["a", "string", "b", "hash"]));
        assert_eq!(replies[1], Reply::Int(1));
        assert_eq!(replies[2], want(&["c", "zset"]));
    }

    #[test]
    fn an_error_reply_stays_as_it_is() {
        let mut replies = vec![Reply::Error("ERR invalid cursor".into())];
        assert_eq!(type_pipeline(&replies, &[0]).len(), 0);
        attach(&mut replies, &[0], Vec::new());
        assert_eq!(replies[0], Reply::Error("ERR invalid cursor".into()));
    }
}
