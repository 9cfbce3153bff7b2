//! The monitor's state: everything the Monitor pane and `watch` show, changed
//! only by synchronous calls that take the current instant, so that the
//! caller owns time (a real clock in the program, a fake one in tests).

use std::time::{Duration, Instant};

use super::cost::{Budget, Cost, Projection};
use super::errors::Errors;
use super::facts::Facts;
use super::health::{self, Health, Level, Signals};
use super::latency::{Latency, Rtt, Split};
use super::queue::{self, Queue};
use super::series::Series;
use super::tick::{Part, Plan, Report};
use crate::upstash::telemetry::{Outcome, Since};
use crate::upstash::{Error, Reply, Snapshot, Telemetry, cmd};

/// How the monitor behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The regular time between ticks (probe and samples).
    pub interval: Duration,
    /// Commands per minute that ticks may spend.
    pub budget: Budget,
    pub health: health::Rules,
    pub queue: queue::Rules,
    /// DBSIZE and INFO are read every this many ticks, the first included
    /// (0: never).
    pub facts_every: u32,
    /// The latency chart's bucket width and number of buckets.
    pub chart_step: Duration,
    pub chart_len: usize,
    /// Commands per month the database's plan allows, when the user says
    /// (`[monitor] quota`): the idle projection is shown against it.
    pub quota: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            interval: Duration::from_secs(5),
            budget: Budget::default(),
            health: health::Rules::default(),
            queue: queue::Rules::default(),
            facts_every: 12,
            chart_step: Duration::from_secs(5),
            chart_len: 120,
            quota: None,
        }
    }
}

/// Where an [`Engine`] stands in the client's telemetry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    next: u64,
    generation: Option<u64>,
}

impl Cursor {
    /// Reads what `telemetry` recorded after this cursor.
    pub fn read(self, telemetry: &Telemetry) -> Recorded {
        let generation = telemetry.generation();
        Recorded {
            since: telemetry.since(self.next),
            snapshot: (self.generation != Some(generation))
                .then(|| (generation, telemetry.snapshot())),
        }
    }
}

/// What the client recorded after a [`Cursor`], for [`Engine::take`].
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    since: Since,
    /// A fresh snapshot with its generation, when something changed.
    snapshot: Option<(u64, Snapshot)>,
}

/// Latency, health, errors, cost, server facts and watched queues.
#[derive(Debug, Clone)]
pub struct Engine {
    settings: Settings,
    latency: Latency,
    series: Series,
    health: Health,
    cost: Cost,
    errors: Errors,
    facts: Facts,
    queues: Vec<Queue>,
    next_seq: u64,
    snapshot: Snapshot,
    generation: Option<u64>,
    ticks: u64,
    last_rtt: Duration,
    last_commands: usize,
    /// Commands a minute of periodic reads besides the monitor's own (the
    /// Value pane's auto-refresh), for the idle projection.
    others_per_minute: u64,
}

impl Engine {
    /// A monitor that starts at `now` and watches nothing yet.
    pub fn new(settings: Settings, now: Instant) -> Engine {
        Engine {
            settings,
            latency: Latency::default(),
            series: Series::new(now, settings.chart_step, settings.chart_len),
            health: Health::new(settings.health, now),
            cost: Cost::default(),
            errors: Errors::default(),
            facts: Facts::default(),
            queues: Vec::new(),
            next_seq: 0,
            snapshot: Snapshot::default(),
            generation: None,
            ticks: 0,
            last_rtt: Duration::ZERO,
            last_commands: 1,
            others_per_minute: 0,
        }
    }

    /// Starts watching `key` (again, with a new threshold, if it was watched).
    pub fn watch(&mut self, key: Vec<u8>, threshold: Option<u64>) {
        self.unwatch(&key);
        self.queues
            .push(Queue::new(key, threshold, self.settings.queue));
    }

    /// Stops watching `key`.
    pub fn unwatch(&mut self, key: &[u8]) {
        self.queues.retain(|q| q.key() != key);
    }

    /// The pipeline of the next tick: the probe, the watched keys, and
    /// DBSIZE and INFO every `facts_every` ticks. While the connection is
    /// down only the probe is sent.
    pub fn plan(&mut self) -> Plan {
        let mut plan = Plan::probe();
        if self.health.level() != Level::Down {
            for q in &self.queues {
                plan.add(Part::Queue(q.key().to_vec()), q.commands());
            }
            let every = u64::from(self.settings.facts_every);
            if every > 0 && self.ticks.is_multiple_of(every) {
                plan.add(Part::DbSize, vec![cmd(["DBSIZE"])]);
                plan.add(Part::Info, vec![cmd(["INFO"])]);
            }
        }
        self.last_commands = plan.commands().len();
        plan
    }

    /// Takes a finished tick at `now`.
    pub fn apply(&mut self, now: Instant, report: Report) {
        self.ticks += 1;
        self.cost.record_own(now, report.commands() as u64);
        let probe = match &report.result {
            Err(e) => Err(e.clone()),
            Ok(replies) => match report.plan.split(replies) {
                None => Err(Error::Protocol(
                    "the pipeline gave the wrong number of replies".to_string(),
                )),
                Some(parts) => self.take_parts(now, &parts),
            },
        };
        // Keys read again after a type change; the probe is the first pipeline's.
        for (plan, result) in &report.follow_ups {
            let Some(parts) = result.as_ref().ok().and_then(|r| plan.split(r)) else {
                break;
            };
            for (part, replies) in parts {
                if let Part::Queue(key) = part {
                    self.take_queue(now, key, replies);
                }
            }
        }
        let probe = probe.map(|()| report.rtt);
        if let Ok(rtt) = probe {
            self.last_rtt = rtt;
        }
        let (latency, errors) = (&self.latency, &self.errors);
        self.health
            .probe_result(now, probe.as_ref().copied(), |from| {
                signals(latency, errors, from)
            });
    }

    /// Reads what the client recorded since the last call and updates the
    /// figures and, between probes, the health.
    pub fn ingest(&mut self, now: Instant, telemetry: &Telemetry) {
        let recorded = self.cursor().read(telemetry);
        self.take(now, recorded);
    }

    /// Where the engine stands in the telemetry, so that what is new can be
    /// read elsewhere (a task) and handed to [`Engine::take`].
    pub fn cursor(&self) -> Cursor {
        Cursor {
            next: self.next_seq,
            generation: self.generation,
        }
    }

    /// Takes what the client recorded after [`Engine::cursor`]: updates the
    /// figures and, between probes, the health.
    pub fn take(&mut self, now: Instant, recorded: Recorded) {
        let Recorded { since, snapshot } = recorded;
        if since.next < self.next_seq {
            return; // read before a batch that was already taken
        }
        if let Some((generation, snapshot)) = snapshot {
            self.generation = Some(generation);
            self.snapshot = snapshot;
        }
        self.next_seq = since.next;
        self.cost.record_missed(since.missed);
        for r in since.requests {
            self.latency.record(Rtt {
                at: r.at,
                rtt: r.rtt,
                kind: r.kind,
                access: r.access,
            });
            self.series.record(r.at, r.rtt);
            self.cost.record(r.at, r.commands as u64);
            if let Outcome::Err(kind) = r.outcome {
                self.errors
                    .record(r.at, kind, r.error.as_deref().unwrap_or_default());
            }
        }
        self.latency.expire(now);
        self.cost.expire(now);
        self.errors.expire(now);
        let (latency, errors) = (&self.latency, &self.errors);
        self.health
            .signals(now, self.last_rtt, |from| signals(latency, errors, from));
    }

    /// How long to wait before the next tick: the interval (shorter while
    /// probes fail, or while a watched key's type is still to be learned, so
    /// that a newly watched key shows its length at once), stretched when
    /// the budget asks for it.
    pub fn next_delay(&self) -> Duration {
        let mut want = self.health.next_probe(self.settings.interval);
        if self.learning() {
            want = want.min(self.settings.interval / 10);
        }
        want.max(self.settings.budget.min_interval(self.last_commands))
    }

    /// What the periodic reads spend while nothing else happens: the
    /// probe and the watched keys every interval, DBSIZE and INFO every
    /// `facts_every` ticks, stretched by the budget as [`Engine::next_delay`]
    /// does, and the other periodic reads (see [`Engine::set_others`]).
    pub fn idle_projection(&self) -> Projection {
        let queues: usize = self.queues.iter().map(|q| q.commands().len()).sum();
        Projection::of(
            1 + queues as u64,
            2,
            self.settings.facts_every,
            self.settings.interval,
            self.settings.budget,
        )
        .plus_per_minute(self.others_per_minute)
    }

    /// Sets the commands a minute that periodic reads other than the
    /// monitor's send (auto-refresh), for the idle projection.
    pub fn set_others(&mut self, per_minute: u64) {
        self.others_per_minute = per_minute;
    }

    /// Whether a watched key's type is not known yet.
    pub fn learning(&self) -> bool {
        self.queues.iter().any(|q| q.kind().is_none())
    }

    fn take_parts(&mut self, now: Instant, parts: &[(&Part, &[Reply])]) -> Result<(), Error> {
        let mut probe = Err(Error::Protocol("no PING in the pipeline".to_string()));
        for (part, replies) in parts {
            let first = replies.first();
            match part {
                Part::Probe => {
                    probe = match first {
                        Some(Reply::Error(e)) => Err(Error::from_server(200, e.clone())),
                        Some(r) if r.as_str() == Some("PONG") => Ok(()),
                        _ => Err(Error::Protocol("PING did not answer PONG".to_string())),
                    }
                }
                Part::DbSize => match first {
                    Some(Reply::Error(e)) => self.facts.error = Some(format!("DBSIZE: {e}")),
                    r => self.facts.dbsize = r.and_then(Reply::as_int),
                },
                Part::Info => match first {
                    Some(Reply::Error(e)) => self.facts.error = Some(format!("INFO: {e}")),
                    r => {
                        let text = r.and_then(Reply::as_bytes).unwrap_or_default();
                        self.facts.parse_info(&String::from_utf8_lossy(text));
                    }
                },
                Part::Queue(key) => self.take_queue(now, key, replies),
            }
        }
        probe
    }

    fn take_queue(&mut self, now: Instant, key: &[u8], replies: &[Reply]) {
        if let Some(q) = self.queues.iter_mut().find(|q| q.key() == key) {
            q.apply(now, replies);
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Round-trip percentiles.
    pub fn latency(&self) -> &Latency {
        &self.latency
    }

    /// Last-minute percentiles of a split (a shorthand for the pane and `watch`).
    pub fn minute(&self, split: Split, now: Instant) -> super::latency::Percentiles {
        let from = now.checked_sub(super::latency::WINDOW).unwrap_or(now);
        self.latency.minute(split, from)
    }

    /// The client's own figures at the last [`Engine::ingest`]: session
    /// totals, bytes, and the slowest recent requests with their command names.
    pub fn telemetry(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The round-trip chart.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Connection health.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Counts a prefetch's requests and commands in the cost meter.
    pub fn record_prefetch(&mut self, at: Instant, requests: u64, commands: u64) {
        self.cost.record_prefetch(at, requests, commands);
    }

    /// Requests and commands sent.
    pub fn cost(&self) -> &Cost {
        &self.cost
    }

    /// Error counts and lines.
    pub fn errors(&self) -> &Errors {
        &self.errors
    }

    /// DBSIZE and INFO.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The watched keys, in the order they were added.
    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    /// The round trip of the last probe that answered.
    pub fn last_rtt(&self) -> Duration {
        self.last_rtt
    }

    /// Ticks applied so far.
    pub fn ticks(&self) -> u64 {
        self.ticks
    }
}

fn signals(latency: &Latency, errors: &Errors, from: Instant) -> Signals {
    let p = latency.minute(Split::All, from);
    let (errors, error_kind) = errors.health_errors(from);
    Signals {
        requests: p.count,
        p99: p.p99,
        errors,
        error_kind,
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
