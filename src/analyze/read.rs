//! The run itself: SCAN pages and the per-key reads, one request per page.
//!
//! The first request is DBSIZE, INFO memory and the first SCAN. Every later
//! request is one pipeline carrying the lengths of the keys read before
//! (their type was not known when they were asked for), TYPE, PTTL and
//! MEMORY USAGE of the keys the last page found, and the next SCAN. SCAN
//! without WITHTYPE, which Redis 7.0 lacks: TYPE rides in the pipeline.

use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::aggregate::{Aggregate, Read};
use super::estimate::FIXED;
use super::{Memory, Options, Progress, Report, sample};
use crate::scan::kind_of;
use crate::upstash::{Client, Cmd, Error, Reply, cmd};
use crate::value::Kind;

/// A key whose type, TTL and memory are known, waiting for its length.
struct Partial {
    key: Vec<u8>,
    kind: Kind,
    ttl_ms: Option<u64>,
    bytes: Option<u64>,
}

/// What one request carries, to read its replies back in order.
#[derive(Default)]
struct Sent {
    /// The partials whose length is asked (`true`) or has no command (`false`).
    lengths: Vec<bool>,
    /// The keys whose TYPE, PTTL (and MEMORY USAGE) are asked.
    reads: Vec<Vec<u8>>,
    scan: bool,
}

/// See [`super::run`].
pub async fn run(
    client: &Client,
    opts: &Options,
    stop: &CancellationToken,
    mut progress: impl FnMut(Progress),
) -> Result<Report, Error> {
    let started = Instant::now();
    let budget = opts.budget.unwrap_or(u64::MAX);
    let least = FIXED + 1 + super::estimate::PER_KEY;
    if budget < least {
        return Err(Error::Input(format!(
            "a budget of {budget} commands cannot read a single key: give at least {least}"
        )));
    }
    let mut agg = Aggregate::new(&opts.delimiter, opts.depth, opts.top);
    let (mut commands, mut requests) = (0u64, 0u64);

    let first = vec![
        cmd(["DBSIZE"]),
        cmd(["INFO", "memory"]),
        scan_cmd(b"0", opts),
    ];
    let mut replies = client.pipeline(&first).await?.into_iter();
    commands += first.len() as u64;
    requests += 1;
    let dbsize = replies
        .next()
        .and_then(|r| r.as_int())
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| unexpected("a DBSIZE reply that is not a count"))?;
    let used_memory = replies.next().and_then(|r| used_memory(&r));
    let (mut cursor, mut found) = page(replies.next())?;

    let mut memory: Option<Memory> = None;
    let mut pending: Vec<Partial> = Vec::new();
    let mut truncated = false;
    let mut stopped = false;
    progress(Progress {
        keys: 0,
        commands,
        requests,
        elapsed: started.elapsed(),
    });
    loop {
        if stop.is_cancelled() {
            stopped = true;
            break;
        }
        let mut sent = Sent::default();
        let mut cmds: Vec<Cmd> = Vec::new();
        for p in &pending {
            let c = length_cmd(&p.kind, &p.key);
            sent.lengths.push(c.is_some());
            cmds.extend(c);
        }
        // TYPE, PTTL, MEMORY USAGE unless refused, and the length later.
        let per_key = if memory == Some(Memory::Estimated) {
            3
        } else {
            4
        };
        let left = budget.saturating_sub(commands + cmds.len() as u64);
        let plan = sample::plan(left, found.len(), per_key, cursor.is_some());
        if plan.keys < found.len() || (cursor.is_some() && !plan.scan) {
            truncated = true;
        }
        for key in found.drain(..).take(plan.keys) {
            cmds.push(cmd([&b"TYPE"[..], &key]));
            cmds.push(cmd([&b"PTTL"[..], &key]));
            if per_key == 4 {
                cmds.push(cmd([&b"MEMORY"[..], b"USAGE", &key, b"SAMPLES", b"0"]));
            }
            sent.reads.push(key);
        }
        if plan.scan
            && let Some(c) = cursor.take()
        {
            cmds.push(scan_cmd(&c, opts));
            sent.scan = true;
        }
        if cmds.is_empty() {
            break;
        }
        let replies = client.pipeline(&cmds).await?;
        commands += cmds.len() as u64;
        requests += 1;
        let mut replies = replies.into_iter();

        // The lengths owed complete the previous page's keys.
        for (p, asked) in pending.drain(..).zip(sent.lengths) {
            let len = if asked {
                replies
                    .next()
                    .and_then(|r| r.as_int())
                    .and_then(|n| u64::try_from(n).ok())
            } else {
                None
            };
            let bytes = match p.bytes {
                Some(b) => b,
                None => estimated_bytes(&p.kind, p.key.len(), len),
            };
            agg.add(&Read {
                key: p.key,
                kind: p.kind,
                bytes,
                len,
                ttl_ms: p.ttl_ms,
            });
        }
        for key in sent.reads {
            let kind = replies.next();
            let ttl = replies.next();
            let usage = if per_key == 4 { replies.next() } else { None };
            let Some(kind) = kind.as_ref().and_then(Reply::as_bytes).map(kind_of) else {
                return Err(unexpected("a TYPE reply that is not a name"));
            };
            if kind == Kind::Missing {
                continue; // deleted or expired since SCAN found it
            }
            let bytes = match usage {
                None => None,
                Some(Reply::Nil) => continue,
                Some(Reply::Error(text)) => {
                    // A refusal is seen on the first page, before any key is
                    // counted: the whole report is then estimated.
                    if memory == Some(Memory::Measured) {
                        return Err(Error::Command(format!(
                            "MEMORY USAGE failed partway through the run: {text}"
                        )));
                    }
                    if memory.is_none() {
                        tracing::info!("MEMORY USAGE refused ({text}): estimating from lengths");
                    }
                    memory = Some(Memory::Estimated);
                    None
                }
                Some(r) => {
                    memory.get_or_insert(Memory::Measured);
                    Some(
                        r.as_int()
                            .and_then(|n| u64::try_from(n).ok())
                            .ok_or_else(|| {
                                unexpected("a MEMORY USAGE reply that is not a count")
                            })?,
                    )
                }
            };
            if memory == Some(Memory::Estimated) && bytes.is_some() {
                return Err(unexpected("MEMORY USAGE answered after refusing"));
            }
            let ttl_ms = ttl
                .as_ref()
                .and_then(Reply::as_int)
                .and_then(|n| u64::try_from(n).ok());
            pending.push(Partial {
                key,
                kind,
                ttl_ms,
                bytes,
            });
        }
        if sent.scan {
            (cursor, found) = page(replies.next())?;
        }
        progress(Progress {
            keys: agg.keys,
            commands,
            requests,
            elapsed: started.elapsed(),
        });
    }
    // Keys whose length was never asked (a stop) are left out: the report
    // holds only keys read whole.
    let sampled = !stopped && (truncated || cursor.is_some());
    let (sampled, scale) = if sampled {
        let (s, f) = sample::describe(agg.keys, dbsize, opts.pattern.is_some());
        (Some(s), f)
    } else {
        (None, None)
    };
    let (keys, bytes) = (agg.keys, agg.bytes);
    let done = agg.finish(scale);
    Ok(Report {
        keys,
        dbsize,
        commands,
        requests,
        sampled,
        memory: memory.unwrap_or(Memory::Measured),
        used_memory,
        bytes,
        prefixes: done.prefixes,
        top: done.top,
        top_len: done.top_len,
        no_ttl: done.no_ttl,
        ttl: done.ttl,
        forecast: done.forecast,
        complete: !stopped,
        elapsed: started.elapsed(),
    })
}

fn scan_cmd(cursor: &[u8], opts: &Options) -> Cmd {
    let mut c = cmd([&b"SCAN"[..], cursor]);
    if let Some(p) = &opts.pattern {
        c.push(b"MATCH".to_vec());
        c.push(p.clone());
    }
    c.push(b"COUNT".to_vec());
    c.push(opts.page.max(1).to_string().into_bytes());
    c
}

/// The next cursor (`None` when SCAN is done) and the keys of one page.
type Page = (Option<Vec<u8>>, Vec<Vec<u8>>);

/// The page a SCAN reply holds.
fn page(reply: Option<Reply>) -> Result<Page, Error> {
    let reply = reply.ok_or_else(|| unexpected("no SCAN reply"))?;
    let (cursor, items) = crate::scan::split_page(reply)?;
    let keys = items
        .into_iter()
        .map(|k| {
            k.into_bytes()
                .ok_or_else(|| unexpected("a key that is not a string"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(((cursor != b"0").then_some(cursor), keys))
}

/// The command that measures a key's length, for the types that have one.
pub fn length_cmd(kind: &Kind, key: &[u8]) -> Option<Cmd> {
    let name: &[u8] = match kind {
        Kind::String => b"STRLEN",
        Kind::Hash => b"HLEN",
        Kind::List => b"LLEN",
        Kind::Set => b"SCARD",
        Kind::ZSet => b"ZCARD",
        Kind::Stream => b"XLEN",
        _ => return None,
    };
    Some(cmd([name, key]))
}

/// Bytes from a length when MEMORY USAGE is refused: a rough estimate of
/// Redis' own layout, 56 bytes of key overhead plus the key, and per element
/// 16 bytes for a list or set member, 32 for a hash field or sorted-set
/// member (field and value), 64 for a stream entry; a string is its length.
pub fn estimated_bytes(kind: &Kind, key_len: usize, len: Option<u64>) -> u64 {
    let per: u64 = match kind {
        Kind::String => 1,
        Kind::List | Kind::Set => 16,
        Kind::Hash | Kind::ZSet => 32,
        Kind::Stream => 64,
        _ => 0,
    };
    56 + key_len as u64 + per * len.unwrap_or(0)
}

/// `used_memory` from an INFO memory reply.
fn used_memory(reply: &Reply) -> Option<u64> {
    let text = reply.as_str()?;
    text.lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
}

fn unexpected(what: &str) -> Error {
    Error::Other(format!("unexpected reply: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_memory_is_read_from_info() {
        let info =
            Reply::Bytes(b"# Memory\r\nused_memory:1234\r\nused_memory_human:1.2K\r\n".to_vec());
        assert_eq!(used_memory(&info), Some(1234));
        assert_eq!(used_memory(&Reply::Bytes(b"# Memory\r\n".to_vec())), None);
    }

    #[test]
    fn a_scan_page_ends_at_cursor_zero() {
        let reply = |c: &[u8]| {
            Reply::Array(vec![
                Reply::Bytes(c.to_vec()),
                Reply::Array(vec![Reply::Bytes(b"\xffk".to_vec())]),
            ])
        };
        let (cursor, keys) = page(Some(reply(b"17"))).expect("page");
        assert_eq!(
            (cursor, keys),
            (Some(b"17".to_vec()), vec![b"\xffk".to_vec()])
        );
        assert_eq!(page(Some(reply(b"0"))).expect("page").0, None);
        assert!(page(Some(Reply::Int(1))).is_err());
    }

    #[test]
    fn estimated_bytes_grow_with_length() {
        assert_eq!(estimated_bytes(&Kind::String, 4, Some(100)), 160);
        assert_eq!(estimated_bytes(&Kind::Hash, 4, Some(10)), 380);
        assert_eq!(estimated_bytes(&Kind::Json, 4, None), 60);
    }
}
