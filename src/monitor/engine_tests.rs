use std::time::{Duration, Instant};

use super::*;
use crate::monitor::cost::Usage;
use crate::upstash::telemetry::{Access, RequestKind, Sample};
use crate::upstash::{Error, ErrorKind};

const MS: Duration = Duration::from_millis(1);

fn engine(now: Instant) -> Engine {
    let settings = Settings {
        interval: Duration::from_secs(1),
        facts_every: 2,
        ..Settings::default()
    };
    Engine::new(settings, now)
}

/// Answers a plan the way a server holding `lengths` would.
fn answer(plan: Plan, lengths: &[(&[u8], i64)]) -> Report {
    let mut replies = Vec::new();
    for c in plan.commands() {
        let name = String::from_utf8_lossy(&c[0]).to_string();
        replies.push(match name.as_str() {
            "PING" => Reply::Status("PONG".into()),
            "DBSIZE" => Reply::Int(42),
            "INFO" => Reply::Bytes(b"# Memory\r\nused_memory_human:2M\r\n".to_vec()),
            "TYPE" => Reply::Status("list".into()),
            "LLEN" => {
                let len = lengths.iter().find(|(k, _)| *k == c[1].as_slice());
                Reply::Int(len.map_or(0, |(_, n)| *n))
            }
            other => Reply::Error(format!("ERR unexpected {other}")),
        });
    }
    Report {
        plan,
        rtt: 3 * MS,
        result: Ok(replies),
        follow_ups: Vec::new(),
    }
}

fn failed(plan: Plan) -> Report {
    Report {
        plan,
        rtt: MS,
        result: Err(Error::Connect("connection refused".into())),
        follow_ups: Vec::new(),
    }
}

#[test]
fn one_pipeline_reads_probe_queues_and_facts() {
    let t0 = Instant::now();
    let mut e = engine(t0);
    e.watch(b"jobs".to_vec(), Some(10));
    let plan = e.plan();
    let names: Vec<&[u8]> = plan.commands().iter().map(|c| c[0].as_slice()).collect();
    assert_eq!(names, [&b"PING"[..], b"TYPE", b"DBSIZE", b"INFO"]);
    e.apply(t0, answer(plan, &[]));
    assert_eq!(e.health().level(), Level::Ok);
    assert_eq!(e.facts().dbsize, Some(42));
    assert_eq!(e.facts().get("used_memory_human"), Some("2M"));
    // The type is known now: the length is read, and facts wait a tick.
    let plan = e.plan();
    let names: Vec<&[u8]> = plan.commands().iter().map(|c| c[0].as_slice()).collect();
    assert_eq!(names, [&b"PING"[..], b"LLEN"]);
    e.apply(t0 + Duration::from_secs(1), answer(plan, &[(b"jobs", 12)]));
    let q = &e.queues()[0];
    assert_eq!(q.last().map(|r| r.length), Some(12));
    assert!(q.alert());
    assert_eq!(
        e.cost().own_total(),
        Usage {
            requests: 2,
            commands: 6
        }
    );
}

#[test]
fn outage_goes_down_probes_only_and_recovers_on_the_first_answer() {
    let t0 = Instant::now();
    let mut e = engine(t0);
    e.watch(b"jobs".to_vec(), None);
    let plan = e.plan();
    e.apply(t0, answer(plan, &[]));
    let mut t = t0;
    let mut waited = Duration::ZERO;
    while e.health().level() != Level::Down {
        let plan = e.plan();
        e.apply(t, failed(plan));
        waited += e.next_delay();
        t += e.next_delay();
        assert!(e.ticks() < 10, "never went down");
    }
    // Down after the second failure, less than two intervals after the first.
    assert_eq!(e.health().failures(), 2);
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    assert!(e.health().reason().contains("connection refused"));
    assert!(e.next_delay() < e.settings().interval);
    let plan = e.plan();
    assert_eq!(plan.commands().len(), 1, "only the probe while down");
    e.apply(t, answer(plan, &[]));
    assert_eq!(e.health().level(), Level::Ok);
    assert_eq!(e.health().since(), t);
    assert_eq!(e.next_delay(), e.settings().interval);
}

#[test]
fn the_budget_stretches_the_tick_interval() {
    let t0 = Instant::now();
    let settings = Settings {
        interval: Duration::from_secs(1),
        budget: Budget {
            commands_per_minute: Some(30),
        },
        ..Settings::default()
    };
    let mut e = Engine::new(settings, t0);
    e.watch(b"a".to_vec(), None);
    let plan = e.plan();
    assert_eq!(plan.commands().len(), 4);
    // 4 commands at 30 a minute: one tick every 8 seconds.
    assert_eq!(e.next_delay(), Duration::from_secs(8));
}

#[test]
fn telemetry_feeds_latency_cost_and_errors() {
    let t = crate::upstash::Telemetry::default();
    let sample = |ms: u64, kind, error: Option<(ErrorKind, &str)>| Sample {
        rtt: Duration::from_millis(ms),
        commands: 2,
        bytes_sent: 1,
        bytes_received: 1,
        kind,
        access: Access::Read,
        outcome: error.map_or(Outcome::Ok, |(k, _)| Outcome::Err(k)),
        error: error.map(|(_, text)| text.to_string()),
        names: "GET".into(),
    };
    for ms in 1..=10 {
        t.record(sample(ms, RequestKind::Single, None));
    }
    let limit = "ERR max requests limit exceeded (hint: ...)";
    t.record(sample(
        50,
        RequestKind::Pipeline,
        Some((ErrorKind::Limit, limit)),
    ));
    let now = Instant::now();
    let mut e = engine(now);
    e.apply(now, answer(Plan::probe(), &[]));
    e.ingest(now, &t);
    assert_eq!(e.minute(Split::Single, now).count, 10);
    assert_eq!(e.minute(Split::Single, now).max, 10 * MS);
    assert_eq!(e.minute(Split::Pipeline, now).p50, 50 * MS);
    assert_eq!(e.latency().session(Split::Read).count, 11);
    assert_eq!(e.cost().total().commands, 22);
    assert_eq!(e.telemetry().slowest[0].rtt, 50 * MS);
    let last = e.errors().last().last().cloned().expect("an error line");
    assert!(last.hint.is_some_and(|h| h.contains("monthly")));
    // A limit error within the window degrades the connection.
    assert_eq!(e.health().level(), Level::Degraded);
    assert!(
        e.health().reason().contains("limit"),
        "{}",
        e.health().reason()
    );
    // Nothing new: the next read is empty.
    e.ingest(now, &t);
    assert_eq!(e.cost().total().requests, 11);
}

#[test]
fn telemetry_read_elsewhere_is_taken_once_and_stale_reads_are_dropped() {
    let t = crate::upstash::Telemetry::default();
    let sample = || Sample {
        rtt: MS,
        commands: 1,
        bytes_sent: 1,
        bytes_received: 1,
        kind: RequestKind::Single,
        access: Access::Write,
        outcome: Outcome::Ok,
        error: None,
        names: "SET".into(),
    };
    let now = Instant::now();
    let mut e = engine(now);
    t.record(sample());
    let first = e.cursor().read(&t);
    t.record(sample());
    let second = e.cursor().read(&t);
    e.take(now, second);
    assert_eq!(e.cost().total().requests, 2);
    assert_eq!(e.telemetry().requests, 2);
    // The older read arrives late: nothing is counted twice.
    e.take(now, first);
    assert_eq!(e.cost().total().requests, 2);
    assert_eq!(e.telemetry().requests, 2);
    e.take(now, e.cursor().read(&t));
    assert_eq!(e.latency().session(Split::Write).count, 2);
}
