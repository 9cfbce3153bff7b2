//! Celery on kombu's Redis transport: the queues it routes to, their
//! priority lists and the unacknowledged messages, suggested for watching.
//!
//! The layout kombu writes (every name after kombu's `global_keyprefix`,
//! empty by default):
//! - `_kombu.binding.<exchange>`: a set whose members are `routing_key SEP
//!   pattern SEP queue`, `SEP` = `\x06\x16`; kombu 5.5 and later also keep
//!   `_kombu.binding_permanent.<exchange>` with the same members.
//! - `<queue>`: a list of messages of priority 0; `<queue> SEP <n>` the list
//!   of priority step `n` (3, 6 and 9 by default).
//! - `unacked`: a hash of delivered, unacknowledged messages by delivery
//!   tag; `unacked_index`: a sorted set of their delivery times.
//! - Celery's fanout exchanges (`celeryev` for events, `*.pidbox` for remote
//!   control) deliver by PUBLISH: their queues are never lists.
//!
//! Names tell a priority list (and so its queue) and the unacked keys, at no
//! cost. A binding set's queues take one `SMEMBERS`, sent with a `TYPE` of
//! each priority list of the queue named like the exchange (Celery's
//! default), in one request for every binding set a page met. At start the
//! default names are checked that way in one pipeline, so Celery's default
//! queue is found on a database of any size.

use std::collections::{BTreeMap, BTreeSet};

use memchr::memmem;

use super::{Recogniser, Seen, Suggestion};
use crate::upstash::{Cmd, Error, Reply, cmd};

/// kombu's field separator.
pub const SEP: &[u8] = b"\x06\x16";
/// The priority steps kombu uses by default (priority 0 is the plain name).
pub const PRIORITIES: [u8; 3] = [3, 6, 9];
/// The system's name in the Monitor.
const SYSTEM: &str = "Celery";
/// Where a binding set's name has its exchange.
const BINDING: &[u8] = b"_kombu.binding.";
const PERMANENT: &[u8] = b"_kombu.binding_permanent.";
const UNACKED: &[u8] = b"unacked";
const UNACKED_INDEX: &[u8] = b"unacked_index";
/// At most this many binding sets are read in one request.
const BINDINGS_PER_READ: usize = 64;

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
    binding.ends_with(b"_kombu.binding.celeryev") || binding.ends_with(b".pidbox")
}

/// The key of `queue`'s list for `priority` (0 is the plain name).
pub fn priority_key(queue: &[u8], priority: u8) -> Vec<u8> {
    if priority == 0 {
        return queue.to_vec();
    }
    [queue, SEP, priority.to_string().as_bytes()].concat()
}

/// The queue and priority of a priority list's name (`celery SEP 9`).
pub fn priority_of(key: &[u8]) -> Option<(&[u8], u32)> {
    let at = memmem::rfind(key, SEP)?;
    let (queue, digits) = (&key[..at], &key[at + SEP.len()..]);
    if queue.is_empty() || digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let n: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (n > 0 && digits.iter().all(u8::is_ascii_digit)).then_some((queue, n))
}

/// The key prefix and exchange of a binding set's name.
fn binding_of(key: &[u8]) -> Option<(&[u8], &[u8])> {
    [BINDING, PERMANENT].into_iter().find_map(|marker| {
        let at = memmem::find(key, marker)?;
        Some((&key[..at], &key[at + marker.len()..]))
    })
}

fn split(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(b);
    std::iter::from_fn(move || {
        let r = rest?;
        match memmem::find(r, SEP) {
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

/// Where a read stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Waiting,
    Asked,
    Done,
}

/// The Celery recogniser's findings.
#[derive(Debug)]
pub struct Celery {
    /// Binding sets (`_kombu.binding.<exchange>`, prefixed) and their read.
    bindings: BTreeMap<Vec<u8>, Step>,
    /// Names to check with `TYPE`, the type they must have, and their read.
    checks: BTreeMap<Vec<u8>, (&'static str, Step)>,
    /// Queue lists named by bindings or by their priority lists.
    queues: BTreeSet<Vec<u8>>,
    /// Priority lists and unacked keys known to exist.
    present: BTreeSet<Vec<u8>>,
    /// Key prefixes seen on binding sets (the empty one first).
    prefixes: BTreeSet<Vec<u8>>,
}

impl Default for Celery {
    fn default() -> Self {
        Self::new()
    }
}

impl Celery {
    /// A recogniser whose first reads check Celery's default names: the
    /// `celery` exchange's bindings, its priority lists and the unacked keys.
    pub fn new() -> Celery {
        let mut c = Celery {
            bindings: BTreeMap::new(),
            checks: BTreeMap::new(),
            queues: BTreeSet::new(),
            present: BTreeSet::new(),
            prefixes: BTreeSet::new(),
        };
        c.binding(b"", b"celery");
        c
    }

    /// Notes a binding set; its members, the priority lists of the queue
    /// named like the exchange (Celery's default) and the prefix's unacked
    /// keys are read next.
    fn binding(&mut self, prefix: &[u8], exchange: &[u8]) {
        let table = [prefix, BINDING, exchange].concat();
        if is_fanout(&table) || self.bindings.contains_key(&table) {
            return;
        }
        self.bindings.insert(table, Step::Waiting);
        for p in PRIORITIES {
            let list = priority_key(&[prefix, exchange].concat(), p);
            self.check(&list, "list");
        }
        if self.prefixes.insert(prefix.to_vec()) {
            self.check(&[prefix, UNACKED].concat(), "hash");
            self.check(&[prefix, UNACKED_INDEX].concat(), "zset");
        }
    }

    fn check(&mut self, key: &[u8], kind: &'static str) {
        if !self.present.contains(key) && !self.checks.contains_key(key) {
            self.checks.insert(key.to_vec(), (kind, Step::Waiting));
        }
    }

    /// Notes a key known to exist (its check, if any, is then moot).
    fn found(&mut self, key: &[u8]) {
        if let Some((queue, _)) = priority_of(key) {
            self.queue(queue);
        }
        self.present.insert(key.to_vec());
        if let Some((_, step)) = self.checks.get_mut(key) {
            *step = Step::Done;
        }
    }

    /// Notes a queue. Its priority lists are checked only when it is named
    /// like its exchange (with the binding set's read): others are known by
    /// name as the scan meets them, at no cost.
    fn queue(&mut self, queue: &[u8]) {
        self.queues.insert(queue.to_vec());
    }

    fn unacked_kind(&self, key: &[u8]) -> Option<&'static str> {
        self.prefixes.iter().find_map(|p| {
            let rest = key.strip_prefix(p.as_slice())?;
            match rest {
                UNACKED => Some("hash"),
                UNACKED_INDEX => Some("zset"),
                _ => None,
            }
        })
    }
}

/// Whether a type the scan told (if it did) is the one expected.
fn fits(kind: Option<&str>, want: &str) -> bool {
    kind.is_none_or(|k| k == want)
}

impl Recogniser for Celery {
    fn offer(&mut self, seen: Seen<'_>) {
        let Seen { key, kind } = seen;
        if let Some((prefix, exchange)) = binding_of(key) {
            if fits(kind, "set") {
                self.binding(prefix, exchange);
            }
        } else if let Some(want) = self.unacked_kind(key) {
            if fits(kind, want) {
                self.found(key);
            }
        } else if priority_of(key).is_some() && fits(kind, "list") {
            self.found(key);
        }
    }

    fn reads(&mut self) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        for (table, step) in self.bindings.iter_mut() {
            if *step == Step::Waiting && cmds.len() < BINDINGS_PER_READ {
                *step = Step::Asked;
                cmds.push(cmd([&b"SMEMBERS"[..], table]));
            }
        }
        for (key, (_, step)) in self.checks.iter_mut() {
            if *step == Step::Waiting {
                *step = Step::Asked;
                cmds.push(cmd([&b"TYPE"[..], key]));
            }
        }
        cmds
    }

    fn answered(&mut self, cmds: Vec<Cmd>, replies: Result<Vec<Reply>, &Error>) {
        let ok = replies.is_ok();
        let replies = replies.unwrap_or_default();
        let mut replies = replies.into_iter();
        for c in cmds {
            let reply = replies.next();
            let (Some(verb), Some(key)) = (c.first(), c.get(1)) else {
                continue;
            };
            if verb.as_slice() == b"SMEMBERS" {
                let Some(step) = self.bindings.get_mut(key) else {
                    continue;
                };
                *step = if ok { Step::Done } else { Step::Waiting };
                let prefix = binding_of(key).map(|(p, _)| p.to_vec()).unwrap_or_default();
                let members = reply.and_then(Reply::into_array).unwrap_or_default();
                for member in members.iter().filter_map(Reply::as_bytes) {
                    if let Some(queue) = queue_of_binding(member) {
                        self.queue(&[&prefix, queue].concat());
                    }
                }
            } else if let Some((want, step)) = self.checks.get_mut(key) {
                *step = if ok { Step::Done } else { Step::Waiting };
                if reply.as_ref().and_then(Reply::as_str) == Some(*want) {
                    self.found(key);
                }
            }
        }
    }

    fn suggestions(&self) -> Vec<Suggestion> {
        let mut out = Vec::new();
        let mut add = |key: &[u8], why: String| {
            out.push(Suggestion {
                system: SYSTEM,
                key: key.to_vec(),
                why,
            })
        };
        // A bound queue is suggested even when empty (an idle queue is a list
        // that does not exist); its priority lists and the unacked keys only
        // once they are known to exist.
        for queue in &self.queues {
            let name = String::from_utf8_lossy(queue);
            add(queue, format!("Celery queue {name}"));
            let mut lists: Vec<(u32, &Vec<u8>)> = self
                .present
                .iter()
                .filter_map(|k| match priority_of(k) {
                    Some((q, n)) if q == queue.as_slice() => Some((n, k)),
                    _ => None,
                })
                .collect();
            lists.sort();
            for (n, key) in lists {
                add(key, format!("Celery queue {name}, priority {n}"));
            }
        }
        for prefix in &self.prefixes {
            for (name, why) in [
                (UNACKED, "Celery messages being worked on"),
                (UNACKED_INDEX, "Celery delivery times of unacked messages"),
            ] {
                let key = [prefix.as_slice(), name].concat();
                if self.present.contains(&key) {
                    add(&key, why.into());
                }
            }
        }
        out
    }
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
        assert_eq!(priority_of(b"celery\x06\x169"), Some((&b"celery"[..], 9)));
        assert_eq!(priority_of(b"a:b\x06\x1612"), Some((&b"a:b"[..], 12)));
        for not in [
            &b"celery"[..],
            b"\x06\x169",
            b"celery\x06\x16",
            b"celery\x06\x160",
            b"celery\x06\x16+9",
            b"celery\x06\x169999",
            b"r\x06\x16\x06\x16celery",
        ] {
            assert_eq!(priority_of(not), None, "{not:?}");
        }
    }

    fn keys(s: &[Suggestion]) -> Vec<&[u8]> {
        s.iter().map(|s| s.key.as_slice()).collect()
    }

    fn answer(c: &mut Celery, f: impl Fn(&[u8], &[u8]) -> Reply) -> Vec<Cmd> {
        let cmds = c.reads();
        let replies = cmds.iter().map(|c| f(&c[0], &c[1])).collect();
        c.answered(cmds.clone(), Ok(replies));
        cmds
    }

    #[test]
    fn the_first_reads_check_the_default_names_in_one_go() {
        let mut c = Celery::new();
        let cmds = answer(&mut c, |verb, key| match (verb, key) {
            (b"SMEMBERS", _) => {
                Reply::Array(vec![Reply::Bytes(b"celery\x06\x16\x06\x16celery".to_vec())])
            }
            (_, b"celery\x06\x169") | (_, b"unacked") => {
                Reply::Status(if key == b"unacked" { "hash" } else { "list" }.into())
            }
            _ => Reply::Status("none".into()),
        });
        let sent: Vec<String> = cmds.iter().map(super::super::words).collect();
        assert_eq!(
            sent,
            [
                "SMEMBERS _kombu.binding.celery",
                "TYPE celery\\x06\\x163",
                "TYPE celery\\x06\\x166",
                "TYPE celery\\x06\\x169",
                "TYPE unacked",
                "TYPE unacked_index",
            ]
        );
        assert_eq!(
            keys(&c.suggestions()),
            [&b"celery"[..], b"celery\x06\x169", b"unacked"]
        );
        assert!(
            c.reads().is_empty(),
            "the queue's lists were checked already"
        );
    }

    #[test]
    fn names_alone_are_recognised_at_no_cost() {
        let mut c = Celery::new();
        answer(&mut c, |_, _| Reply::Status("none".into()));
        for (key, kind) in [
            (&b"emails\x06\x169"[..], Some("list")),
            (b"unacked", None),
            (b"unacked_index", Some("zset")),
            // Wrong types and look-alikes are not kombu's.
            (b"cache\x06\x163", Some("string")),
            (b"unacked_mutex", Some("string")),
            (b"celery-task-meta-1", Some("string")),
        ] {
            c.offer(Seen { key, kind });
        }
        assert_eq!(
            keys(&c.suggestions()),
            [
                &b"emails"[..],
                b"emails\x06\x169",
                b"unacked",
                b"unacked_index"
            ]
        );
        assert!(c.reads().is_empty(), "nothing to read for them");
    }

    #[test]
    fn a_binding_set_met_later_is_read_once_and_fanouts_never() {
        let mut c = Celery::new();
        let first = c.reads();
        c.answered(first, Err(&Error::Timeout));
        let again = answer(&mut c, |_, _| Reply::Status("none".into()));
        assert_eq!(again.len(), 6, "a failed read is asked again");
        for key in [
            &b"_kombu.binding.celeryev"[..],
            b"_kombu.binding.celery.pidbox",
            b"_kombu.binding.reply.celery.pidbox",
        ] {
            c.offer(Seen {
                key,
                kind: Some("set"),
            });
        }
        c.offer(Seen {
            key: b"_kombu.binding.tasks",
            kind: Some("set"),
        });
        c.offer(Seen {
            key: b"_kombu.binding_permanent.tasks",
            kind: Some("set"),
        });
        let cmds = answer(&mut c, |verb, _| match verb {
            b"SMEMBERS" => Reply::Array(vec![
                Reply::Bytes(b"mail\x06\x16\x06\x16emails".to_vec()),
                Reply::Bytes(b"pdf\x06\x16\x06\x16reports".to_vec()),
            ]),
            _ => Reply::Status("none".into()),
        });
        assert_eq!(cmds[0], cmd(["SMEMBERS", "_kombu.binding.tasks"]));
        assert_eq!(cmds.len(), 4, "the bindings and tasks' guessed lists");
        assert_eq!(keys(&c.suggestions()), [&b"emails"[..], b"reports"]);
        // Queues named unlike their exchange are left to the scan.
        assert!(c.reads().is_empty());
        c.offer(Seen {
            key: b"_kombu.binding.tasks",
            kind: None,
        });
        assert!(c.reads().is_empty());
    }

    #[test]
    fn a_global_key_prefix_is_followed() {
        let mut c = Celery::new();
        c.reads();
        c.offer(Seen {
            key: b"shop:_kombu.binding.shop",
            kind: Some("set"),
        });
        c.offer(Seen {
            key: b"shop:unacked",
            kind: Some("hash"),
        });
        let cmds = answer(&mut c, |verb, _| match verb {
            b"SMEMBERS" => Reply::Array(vec![Reply::Bytes(b"shop\x06\x16\x06\x16shop".to_vec())]),
            _ => Reply::Status("none".into()),
        });
        assert!(cmds.contains(&cmd(["TYPE", "shop:unacked_index"])));
        assert!(
            !cmds.contains(&cmd(["TYPE", "shop:unacked"])),
            "seen already"
        );
        assert_eq!(keys(&c.suggestions()), [&b"shop:shop"[..], b"shop:unacked"]);
    }
}
