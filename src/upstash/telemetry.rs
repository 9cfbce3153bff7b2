//! Request telemetry shared with the monitor: an HDR latency histogram,
//! counters by request kind and outcome, the last error, and a ring of
//! recent requests from which the slowest are reported, and a numbered
//! stream of recent requests that the monitor reads with [`Telemetry::since`].
//!
//! Recording takes a mutex for the few hundred nanoseconds of the update and
//! never awaits while holding it; readers take a [`Snapshot`] the same way.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use hdrhistogram::Histogram;

use super::error::ErrorKind;

/// How many recent requests are kept for the slowest-requests list.
const RECENT: usize = 256;
/// How many of the slowest recent requests a snapshot lists.
const SLOWEST: usize = 10;
/// How many recent requests [`Telemetry::since`] can return; a reader that
/// falls further behind learns how many it missed.
const STREAM: usize = 1024;
/// The histogram's ceiling: one hour, in microseconds.
const MAX_MICROS: u64 = 3_600_000_000;

/// Which endpoint a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    Single,
    Pipeline,
    Transaction,
}

/// Whether every command in a request was a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Read,
    Write,
}

/// How a request ended: `Ok` includes pipelines with per-item errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    Err(ErrorKind),
}

/// One finished HTTP request, as the client reports it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub rtt: Duration,
    pub commands: usize,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub kind: RequestKind,
    pub access: Access,
    pub outcome: Outcome,
    /// The error's one-line text when the request failed.
    pub error: Option<String>,
    /// A short summary of the command names (never arguments), e.g. `GET x3, SET`.
    pub names: String,
}

/// One of the slowest recent requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlowRequest {
    pub at: SystemTime,
    pub rtt: Duration,
    pub kind: RequestKind,
    pub names: String,
}

/// One recorded request as [`Telemetry::since`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recent {
    /// Its number in recording order, from 0.
    pub seq: u64,
    pub at: Instant,
    pub rtt: Duration,
    pub commands: usize,
    pub kind: RequestKind,
    pub access: Access,
    pub outcome: Outcome,
    /// The error's one-line text when the request failed.
    pub error: Option<String>,
}

/// The requests recorded since a given number, from [`Telemetry::since`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Since {
    /// Oldest first.
    pub requests: Vec<Recent>,
    /// Requests recorded after the asked number but already forgotten.
    pub missed: u64,
    /// The number to ask for next time.
    pub next: u64,
}

/// The last error seen, with when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastError {
    pub at: SystemTime,
    pub kind: ErrorKind,
    pub text: String,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// HTTP requests made (each retry attempt counts).
    pub requests: u64,
    /// Commands carried by those requests.
    pub commands: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub ok: u64,
    /// Failed requests by kind of error, in [`ErrorKind::ALL`] order.
    pub errors: Vec<(ErrorKind, u64)>,
    pub single: u64,
    pub pipeline: u64,
    pub transaction: u64,
    pub reads: u64,
    pub writes: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub mean: Duration,
    pub last_error: Option<LastError>,
    /// The slowest of the recent requests, slowest first.
    pub slowest: Vec<SlowRequest>,
}

impl Snapshot {
    /// Failed requests of every kind.
    pub fn failed(&self) -> u64 {
        self.errors.iter().map(|(_, n)| n).sum()
    }

    /// Failed requests of one kind.
    pub fn errors_of(&self, kind: ErrorKind) -> u64 {
        self.errors
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }
}

struct State {
    histogram: Option<Histogram<u64>>,
    counts: Snapshot,
    errors: [u64; ErrorKind::ALL.len()],
    recent: VecDeque<SlowRequest>,
    stream: VecDeque<Recent>,
    seq: u64,
}

/// Shared, cheap-to-clone recorder of every request's round trip.
#[derive(Clone)]
pub struct Telemetry {
    state: Arc<Mutex<State>>,
    generation: Arc<AtomicU64>,
}

impl Default for Telemetry {
    fn default() -> Self {
        Telemetry {
            state: Arc::new(Mutex::new(State {
                histogram: Histogram::new_with_bounds(1, MAX_MICROS, 3).ok(),
                counts: Snapshot::default(),
                errors: [0; ErrorKind::ALL.len()],
                recent: VecDeque::with_capacity(RECENT),
                stream: VecDeque::with_capacity(STREAM),
                seq: 0,
            })),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl Telemetry {
    /// Records one finished request.
    pub fn record(&self, s: Sample) {
        let micros = u64::try_from(s.rtt.as_micros()).unwrap_or(u64::MAX);
        let at = SystemTime::now();
        let instant = Instant::now();
        {
            let mut st = self.lock();
            if st.stream.len() == STREAM {
                st.stream.pop_front();
            }
            let seq = st.seq;
            st.seq += 1;
            st.stream.push_back(Recent {
                seq,
                at: instant,
                rtt: s.rtt,
                commands: s.commands,
                kind: s.kind,
                access: s.access,
                outcome: s.outcome,
                error: s.error.clone(),
            });
            if let Some(h) = st.histogram.as_mut() {
                h.saturating_record(micros.clamp(1, MAX_MICROS));
            }
            let c = &mut st.counts;
            c.requests += 1;
            c.commands += s.commands as u64;
            c.bytes_sent += s.bytes_sent;
            c.bytes_received += s.bytes_received;
            match s.kind {
                RequestKind::Single => c.single += 1,
                RequestKind::Pipeline => c.pipeline += 1,
                RequestKind::Transaction => c.transaction += 1,
            }
            match s.access {
                Access::Read => c.reads += 1,
                Access::Write => c.writes += 1,
            }
            match s.outcome {
                Outcome::Ok => c.ok += 1,
                Outcome::Err(kind) => {
                    if let Some(i) = ErrorKind::ALL.iter().position(|k| *k == kind) {
                        st.errors[i] += 1;
                    }
                    st.counts.last_error = Some(LastError {
                        at,
                        kind,
                        text: s.error.unwrap_or_default(),
                    });
                }
            }
            if st.recent.len() == RECENT {
                st.recent.pop_front();
            }
            st.recent.push_back(SlowRequest {
                at,
                rtt: s.rtt,
                kind: s.kind,
                names: s.names,
            });
        }
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// A number that changes whenever something was recorded, so a reader
    /// can skip taking a snapshot when nothing happened.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The requests recorded with numbers from `next` on that are still
    /// kept, oldest first; pass the returned `next` on the following call.
    pub fn since(&self, next: u64) -> Since {
        let st = self.lock();
        let first = st.stream.front().map_or(st.seq, |r| r.seq);
        let requests = st
            .stream
            .iter()
            .filter(|r| r.seq >= next)
            .cloned()
            .collect();
        Since {
            requests,
            missed: first.saturating_sub(next),
            next: st.seq.max(next),
        }
    }

    /// A copy of the counters, percentiles and slowest recent requests.
    pub fn snapshot(&self) -> Snapshot {
        let st = self.lock();
        let mut snap = st.counts.clone();
        snap.errors = ErrorKind::ALL.iter().copied().zip(st.errors).collect();
        if let Some(h) = st.histogram.as_ref().filter(|h| !h.is_empty()) {
            let q = |q: f64| Duration::from_micros(h.value_at_quantile(q));
            snap.p50 = q(0.50);
            snap.p95 = q(0.95);
            snap.p99 = q(0.99);
            snap.max = Duration::from_micros(h.max());
            snap.mean = Duration::from_micros(h.mean() as u64);
        }
        let mut slowest: Vec<SlowRequest> = st.recent.iter().cloned().collect();
        drop(st);
        slowest.sort_by_key(|r| std::cmp::Reverse(r.rtt));
        slowest.truncate(SLOWEST);
        snap.slowest = slowest;
        snap
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while recording leaves plain counters behind; keep using them.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Summarises command names for the slowest-requests list: `GET x3, SET`,
/// at most a few distinct names, never arguments.
pub fn summarize_names<'a>(names: impl IntoIterator<Item = &'a [u8]>) -> String {
    const MAX_DISTINCT: usize = 4;
    let mut groups: Vec<(String, usize)> = Vec::new();
    let mut more = false;
    for n in names {
        let name = String::from_utf8_lossy(&n[..n.len().min(32)]).to_uppercase();
        let name: String = name.chars().filter(|c| !c.is_control()).collect();
        let full = groups.len() == MAX_DISTINCT;
        match groups.last_mut() {
            Some((last, count)) if *last == name => *count += 1,
            _ if full => more = true,
            _ => groups.push((name, 1)),
        }
    }
    let mut out: Vec<String> = groups
        .into_iter()
        .map(|(n, c)| if c > 1 { format!("{n} x{c}") } else { n })
        .collect();
    if more {
        out.push("...".into());
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(ms: u64, outcome: Outcome) -> Sample {
        Sample {
            rtt: Duration::from_millis(ms),
            commands: 2,
            bytes_sent: 10,
            bytes_received: 20,
            kind: RequestKind::Pipeline,
            access: Access::Read,
            outcome,
            error: matches!(outcome, Outcome::Err(_)).then(|| "boom".to_string()),
            names: format!("GET{ms}"),
        }
    }

    #[test]
    fn counts_and_percentiles_add_up() {
        let t = Telemetry::default();
        assert!(t.lock().histogram.is_some());
        for ms in 1..=100 {
            t.record(sample(ms, Outcome::Ok));
        }
        t.record(sample(5, Outcome::Err(ErrorKind::Timeout)));
        let s = t.snapshot();
        assert_eq!(s.requests, 101);
        assert_eq!(s.commands, 202);
        assert_eq!(s.bytes_sent, 1010);
        assert_eq!(s.bytes_received, 2020);
        assert_eq!(s.ok, 100);
        assert_eq!(s.errors_of(ErrorKind::Timeout), 1);
        assert_eq!(s.failed(), 1);
        assert_eq!(s.pipeline, 101);
        assert_eq!(s.reads, 101);
        let near = |d: Duration, ms: u64| d.as_micros().abs_diff(u128::from(ms) * 1000) <= 100;
        assert!(near(s.p50, 50), "{:?}", s.p50);
        assert!(near(s.p99, 99), "{:?}", s.p99);
        assert!(near(s.max, 100), "{:?}", s.max);
        assert_eq!(s.last_error.map(|e| e.text), Some("boom".into()));
        assert_eq!(s.slowest.len(), SLOWEST);
        assert_eq!(s.slowest[0].names, "GET100");
        assert_eq!(s.slowest[1].names, "GET99");
        assert_eq!(t.generation(), 101);
    }

    #[test]
    fn the_ring_forgets_old_requests() {
        let t = Telemetry::default();
        t.record(sample(900, Outcome::Ok));
        for _ in 0..RECENT {
            t.record(sample(1, Outcome::Ok));
        }
        let s = t.snapshot();
        assert!(s.slowest.iter().all(|r| r.rtt == Duration::from_millis(1)));
        assert_eq!(s.max, Duration::from_micros(900_000).max(s.max));
    }

    #[test]
    fn the_stream_returns_what_is_new_and_counts_what_was_missed() {
        let t = Telemetry::default();
        let first = t.since(0);
        assert!(first.requests.is_empty());
        assert_eq!((first.missed, first.next), (0, 0));
        t.record(sample(1, Outcome::Ok));
        t.record(sample(2, Outcome::Err(ErrorKind::Network)));
        let got = t.since(first.next);
        assert_eq!(got.requests.len(), 2);
        assert_eq!(got.requests[1].seq, 1);
        assert_eq!(got.requests[1].error.as_deref(), Some("boom"));
        assert_eq!(got.next, 2);
        assert!(t.since(got.next).requests.is_empty());
        for _ in 0..STREAM + 5 {
            t.record(sample(1, Outcome::Ok));
        }
        let late = t.since(got.next);
        assert_eq!(late.missed, 5);
        assert_eq!(late.requests.len(), STREAM);
        assert_eq!(late.next, 2 + STREAM as u64 + 5);
    }

    #[test]
    fn names_are_summarised() {
        let names: Vec<&[u8]> = vec![b"get", b"get", b"set", b"a", b"b", b"c", b"d"];
        assert_eq!(summarize_names(names), "GET x2, SET, A, B, ...");
        assert_eq!(summarize_names([&b"ping"[..]]), "PING");
    }
}
