//! One tick of periodic reads: the PING probe, the watched keys and, now and
//! then, DBSIZE and INFO, all in one pipeline, sent without retries so that
//! a failure is seen at once and never repeated behind the budget's back.

use std::time::{Duration, Instant};

use crate::upstash::{Client, Cmd, Error, Reply, RetryPolicy, cmd};

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
}

/// The outcome of one tick.
#[derive(Debug, Clone)]
pub struct Report {
    pub plan: Plan,
    /// The pipeline's round trip.
    pub rtt: Duration,
    pub result: Result<Vec<Reply>, Error>,
}

/// Sends the plan as one pipeline, once.
pub async fn run(client: &Client, plan: Plan) -> Report {
    let client = client.clone().with_retry(RetryPolicy::never());
    let started = Instant::now();
    let result = client.pipeline(plan.commands()).await;
    Report {
        plan,
        rtt: started.elapsed(),
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
