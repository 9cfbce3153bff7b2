//! Celery/kombu discovery: the queues named in `_kombu.binding.*` sets,
//! their priority-suffixed siblings, and the `unacked` hash and
//! `unacked_index` sorted set, offered as watch suggestions.
//!
//! kombu's Redis transport stores each exchange binding as a set member
//! `routing_key SEP pattern SEP queue` with `SEP` = `\x06\x16`, and keeps
//! the messages of priority N > 0 in the list `queue SEP N`.

use crate::upstash::{Client, Cmd, Error, Reply, cmd};

/// kombu's field separator.
pub const SEP: &[u8] = b"\x06\x16";
/// The priority steps kombu uses by default (priority 0 is the plain name).
pub const PRIORITIES: [u8; 3] = [3, 6, 9];
/// At most this many SCAN requests are spent looking for bindings.
const SCAN_REQUESTS: usize = 20;

/// A key worth watching, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub key: Vec<u8>,
    pub why: String,
}

/// The queue named by one binding member, if it has the kombu shape.
pub fn queue_of_binding(member: &[u8]) -> Option<&[u8]> {
    let mut parts = split(member);
    let (_routing, _pattern, queue) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && !queue.is_empty()).then_some(queue)
}

/// Whether a binding set belongs to one of Celery's fanout exchanges (worker
/// remote control and events): their queues are delivered by PUBLISH, never
/// stored as lists, so they are nothing to watch.
pub fn is_fanout(binding: &[u8]) -> bool {
    binding == b"_kombu.binding.celeryev" || binding.ends_with(b".pidbox")
}

/// The key of `queue`'s list for `priority` (0 is the plain name).
pub fn priority_key(queue: &[u8], priority: u8) -> Vec<u8> {
    if priority == 0 {
        return queue.to_vec();
    }
    [queue, SEP, priority.to_string().as_bytes()].concat()
}

fn split(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(b);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(SEP.len()).position(|w| w == SEP) {
            Some(i) => {
                rest = Some(&r[i + SEP.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Finds the kombu layout on the server: a bounded SCAN for bindings, one
/// pipeline of SMEMBERS, and one pipeline of EXISTS for the candidates.
pub async fn discover(client: &Client) -> Result<Vec<Suggestion>, Error> {
    let mut bindings: Vec<Vec<u8>> = Vec::new();
    let mut cursor = b"0".to_vec();
    for _ in 0..SCAN_REQUESTS {
        let scan = [
            b"SCAN".as_slice(),
            &cursor,
            b"MATCH",
            b"_kombu.binding.*",
            b"COUNT",
            b"1000",
        ];
        let reply = client.command(&scan).await?;
        let (next, keys) = scan_page(reply)?;
        bindings.extend(keys);
        if next == b"0" {
            break;
        }
        cursor = next;
    }
    bindings.sort();
    bindings.dedup();
    bindings.retain(|b| !is_fanout(b));
    let members = client
        .pipeline(
            &bindings
                .iter()
                .map(|k| cmd([b"SMEMBERS", k.as_slice()]))
                .collect::<Vec<_>>(),
        )
        .await?;
    let mut queues: Vec<Vec<u8>> = members
        .iter()
        .filter_map(Reply::as_array)
        .flatten()
        .filter_map(Reply::as_bytes)
        .filter_map(queue_of_binding)
        .map(<[u8]>::to_vec)
        .collect();
    queues.sort();
    queues.dedup();
    // A bound queue is suggested even when empty (an idle queue is a list
    // that does not exist); its priority lists and the unacked keys only if present.
    let mut candidates: Vec<(Suggestion, bool)> = Vec::new();
    let mut add = |key: Vec<u8>, why: String, always: bool| {
        candidates.push((Suggestion { key, why }, always));
    };
    for q in &queues {
        let name = String::from_utf8_lossy(q);
        add(q.clone(), format!("Celery queue {name}"), true);
        for p in PRIORITIES {
            let why = format!("Celery queue {name}, priority {p}");
            add(priority_key(q, p), why, false);
        }
    }
    add(
        b"unacked".to_vec(),
        "Celery messages being worked on".into(),
        false,
    );
    let why = "Celery delivery times of unacked messages".into();
    add(b"unacked_index".to_vec(), why, false);
    let exists: Vec<Cmd> = candidates
        .iter()
        .map(|(s, _)| cmd([b"EXISTS", s.key.as_slice()]))
        .collect();
    let found = client.pipeline(&exists).await?;
    Ok(candidates
        .into_iter()
        .zip(found)
        .filter(|((_, always), r)| *always || r.as_int() == Some(1))
        .map(|((s, _), _)| s)
        .collect())
}

fn scan_page(reply: Reply) -> Result<(Vec<u8>, Vec<Vec<u8>>), Error> {
    let shape = || Error::Other("SCAN gave a reply of an unexpected shape".into());
    let mut parts = reply.into_array().ok_or_else(shape)?.into_iter();
    let next = parts.next().and_then(Reply::into_bytes).ok_or_else(shape)?;
    let keys = parts
        .next()
        .and_then(Reply::into_array)
        .ok_or_else(shape)?
        .into_iter()
        .filter_map(Reply::into_bytes)
        .collect();
    Ok((next, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_members_name_their_queue() {
        assert_eq!(
            queue_of_binding(b"celery\x06\x16\x06\x16celery"),
            Some(&b"celery"[..])
        );
        assert_eq!(
            queue_of_binding(b"rk\x06\x16pat.*\x06\x16emails"),
            Some(&b"emails"[..])
        );
        assert_eq!(queue_of_binding(b"celery"), None);
        assert_eq!(queue_of_binding(b"a\x06\x16b"), None);
        assert_eq!(queue_of_binding(b"a\x06\x16b\x06\x16"), None);
        assert_eq!(queue_of_binding(b"a\x06\x16b\x06\x16c\x06\x16d"), None);
    }

    #[test]
    fn fanout_exchanges_are_not_queues() {
        assert!(is_fanout(b"_kombu.binding.celeryev"));
        assert!(is_fanout(b"_kombu.binding.celery.pidbox"));
        assert!(is_fanout(b"_kombu.binding.reply.celery.pidbox"));
        assert!(!is_fanout(b"_kombu.binding.celery"));
    }

    #[test]
    fn priority_queues_are_suffixed() {
        assert_eq!(priority_key(b"celery", 0), b"celery");
        assert_eq!(priority_key(b"celery", 9), b"celery\x06\x169");
    }
}
