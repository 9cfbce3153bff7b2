//! One tick of periodic reads: the PING probe, the watched keys and, now and
//! then, DBSIZE and INFO, all in one pipeline, sent without retries so that
//! a failure is seen at once and never repeated behind the budget's back.
//!
//! A watched key that changed type (or appeared) answers its sample with
//! `WRONGTYPE` (or a type name): the same tick then asks again for just those
//! keys, so that every key still gets its reading in the interval, and keys
//! that did not change cost one command a sample.

use std::time::{Duration, Instant};

use super::engine::{Cursor, Recorded};
use super::reading::{self, KeyType};
use crate::upstash::{Client, Cmd, Error, Reply, RetryPolicy, cmd};

/// How many follow-up round trips a tick may take: after `WRONGTYPE`, one
/// for `TYPE` and one for the length.
const FOLLOW_UPS: usize = 2;

/// What a run of commands in the pipeline is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Probe,
    DbSize,
    Info,
    /// The sample of one watched key.
    Queue(Vec<u8>),
}

/// The commands of one tick and what each run of them is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    cmds: Vec<Cmd>,
    parts: Vec<(Part, usize)>,
}

impl Plan {
    /// Adds a part with its commands.
    pub fn add(&mut self, part: Part, cmds: Vec<Cmd>) {
        self.parts.push((part, cmds.len()));
        self.cmds.extend(cmds);
    }

    /// A plan holding only the probe.
    pub fn probe() -> Plan {
        let mut p = Plan::default();
        p.add(Part::Probe, vec![cmd(["PING"])]);
        p
    }

    /// The commands, in pipeline order.
    pub fn commands(&self) -> &[Cmd] {
        &self.cmds
    }

    /// Pairs each part with its replies; `None` when the count does not match.
    pub fn split<'a>(&'a self, replies: &'a [Reply]) -> Option<Vec<(&'a Part, &'a [Reply])>> {
        if replies.len() != self.cmds.len() {
            return None;
        }
        let mut at = 0;
        Some(
            self.parts
                .iter()
                .map(|(part, n)| {
                    let r = &replies[at..at + n];
                    at += n;
                    (part, r)
                })
                .collect(),
        )
    }

    /// The keys whose replies say their type changed or became known, with
    /// the commands that read them now: `TYPE` after `WRONGTYPE`, the
    /// length after a `TYPE` that names a queue type.
    pub fn follow_up(&self, replies: &[Reply]) -> Option<Plan> {
        let mut next = Plan::default();
        let mut at = 0;
        for (part, n) in &self.parts {
            let (cmds, got) = (&self.cmds[at..at + n], replies.get(at..at + n)?);
            at += n;
            let Part::Queue(key) = part else { continue };
            let asked_type = cmds
                .first()
                .and_then(|c| c.first())
                .is_some_and(|name| name.eq_ignore_ascii_case(b"TYPE"));
            match got.first() {
                Some(Reply::Error(e)) if e.starts_with("WRONGTYPE") => {
                    next.add(part.clone(), reading::commands(key, &KeyType::Unknown));
                }
                Some(r) if asked_type => {
                    let kind = KeyType::from_type_reply(r.as_str().unwrap_or_default());
                    if kind.has_length() {
                        next.add(part.clone(), reading::commands(key, &kind));
                    }
                }
                _ => {}
            }
        }
        (!next.cmds.is_empty()).then_some(next)
    }
}

/// A finished tick as it comes back from its task, with what the client
/// recorded meanwhile.
#[derive(Debug)]
pub struct Ticked {
    /// When the tick ended.
    pub at: Instant,
    pub report: Report,
    /// What the client recorded since the tick was planned.
    pub recorded: Recorded,
}

/// Runs one tick and reads what the client recorded since `cursor`.
pub async fn run_recorded(client: &Client, plan: Plan, cursor: Cursor) -> Ticked {
    let report = run(client, plan).await;
    Ticked {
        at: Instant::now(),
        report,
        recorded: cursor.read(client.telemetry()),
    }
}

/// The outcome of one tick.
#[derive(Debug, Clone)]
pub struct Report {
    pub plan: Plan,
    /// The pipeline's round trip.
    pub rtt: Duration,
    pub result: Result<Vec<Reply>, Error>,
    /// The follow-up pipelines for keys that changed type, in order; a
    /// failed one ends the list.
    pub follow_ups: Vec<(Plan, Result<Vec<Reply>, Error>)>,
}

impl Report {
    /// Every command the tick sent.
    pub fn commands(&self) -> usize {
        self.plan.commands().len()
            + self
                .follow_ups
                .iter()
                .map(|(p, _)| p.commands().len())
                .sum::<usize>()
    }
}

/// Sends the plan as one pipeline, once, then the follow-ups it calls for.
pub async fn run(client: &Client, plan: Plan) -> Report {
    let client = client.clone().with_retry(RetryPolicy::never());
    let started = Instant::now();
    let result = client.pipeline(plan.commands()).await;
    let rtt = started.elapsed();
    let mut follow_ups: Vec<(Plan, Result<Vec<Reply>, Error>)> = Vec::new();
    let mut next = match &result {
        Ok(replies) => plan.follow_up(replies),
        Err(_) => None,
    };
    while let Some(p) = next.take() {
        let replies = client.pipeline(p.commands()).await;
        if follow_ups.len() + 1 < FOLLOW_UPS
            && let Ok(r) = &replies
        {
            next = p.follow_up(r);
        }
        follow_ups.push((p, replies));
    }
    Report {
        plan,
        rtt,
        result,
        follow_ups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_changed_type_are_asked_again() {
        let mut p = Plan::probe();
        p.add(Part::Queue(b"moved".to_vec()), vec![cmd(["LLEN", "moved"])]);
        p.add(Part::Queue(b"same".to_vec()), vec![cmd(["LLEN", "same"])]);
        p.add(Part::Queue(b"new".to_vec()), vec![cmd(["TYPE", "new"])]);
        p.add(Part::Queue(b"text".to_vec()), vec![cmd(["TYPE", "text"])]);
        let replies = [
            Reply::Status("PONG".into()),
            Reply::Error("WRONGTYPE Operation against a key holding the wrong kind".into()),
            Reply::Int(3),
            Reply::Status("zset".into()),
            Reply::Status("string".into()),
        ];
        let next = p.follow_up(&replies).expect("a follow-up");
        assert_eq!(
            next.commands(),
            &[cmd(["TYPE", "moved"]), cmd(["ZCARD", "new"])]
        );
        let after = next
            .follow_up(&[Reply::Status("set".into()), Reply::Int(4)])
            .expect("the length of the moved key");
        assert_eq!(after.commands(), &[cmd(["SCARD", "moved"])]);
        assert!(after.follow_up(&[Reply::Int(2)]).is_none());
        assert!(p.follow_up(&replies[..2]).is_none(), "replies missing");
    }

    #[test]
    fn replies_are_split_by_part() {
        let mut p = Plan::probe();
        p.add(
            Part::Queue(b"s".to_vec()),
            vec![cmd(["XLEN", "s"]), cmd(["XINFO", "GROUPS", "s"])],
        );
        p.add(Part::DbSize, vec![cmd(["DBSIZE"])]);
        let replies = [
            Reply::Status("PONG".into()),
            Reply::Int(1),
            Reply::Array(vec![]),
            Reply::Int(9),
        ];
        let split = p.split(&replies).expect("matching counts");
        assert_eq!(split.len(), 3);
        assert_eq!(split[1].1.len(), 2);
        assert_eq!(split[2], (&Part::DbSize, &[Reply::Int(9)][..]));
        assert!(p.split(&replies[..2]).is_none());
    }
}
