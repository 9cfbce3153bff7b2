//! Round-trip percentiles over the last minute and over the session, split
//! by request kind, fed from the client's telemetry stream.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::upstash::telemetry::{Access, RequestKind};

/// The sliding window of the "last minute" figures.
pub const WINDOW: Duration = Duration::from_secs(60);
/// At most this many requests are kept in the window; under a heavier load
/// the last-minute figures cover the newest ones.
const WINDOW_MAX: usize = 100_000;
/// The histogram's ceiling: one hour, in microseconds.
const MAX_MICROS: u64 = 3_600_000_000;

/// Which requests a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Split {
    All,
    Single,
    Pipeline,
    Transaction,
    Read,
    Write,
}

impl Split {
    /// Every split, in display order.
    pub const ALL: [Split; 6] = [
        Split::All,
        Split::Single,
        Split::Pipeline,
        Split::Transaction,
        Split::Read,
        Split::Write,
    ];

    /// A short lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Split::All => "all",
            Split::Single => "single",
            Split::Pipeline => "pipeline",
            Split::Transaction => "transaction",
            Split::Read => "read",
            Split::Write => "write",
        }
    }

    fn covers(self, kind: RequestKind, access: Access) -> bool {
        match self {
            Split::All => true,
            Split::Single => kind == RequestKind::Single,
            Split::Pipeline => kind == RequestKind::Pipeline,
            Split::Transaction => kind == RequestKind::Transaction,
            Split::Read => access == Access::Read,
            Split::Write => access == Access::Write,
        }
    }
}

/// p50/p95/p99/max of a set of round trips; all zero when `count` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Percentiles {
    pub count: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// One request as the latency figures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rtt {
    pub at: Instant,
    pub rtt: Duration,
    pub kind: RequestKind,
    pub access: Access,
}

/// The latency figures: a one-minute window and session histograms per split.
#[derive(Debug, Clone)]
pub struct Latency {
    window: VecDeque<Rtt>,
    session: Vec<(Split, Option<Histogram<u64>>)>,
}

impl Default for Latency {
    fn default() -> Self {
        Latency {
            window: VecDeque::new(),
            session: Split::ALL
                .iter()
                .map(|s| (*s, Histogram::new_with_bounds(1, MAX_MICROS, 3).ok()))
                .collect(),
        }
    }
}

impl Latency {
    /// Adds one finished request.
    pub fn record(&mut self, r: Rtt) {
        let micros = u64::try_from(r.rtt.as_micros())
            .unwrap_or(u64::MAX)
            .clamp(1, MAX_MICROS);
        for (split, h) in &mut self.session {
            if split.covers(r.kind, r.access)
                && let Some(h) = h.as_mut()
            {
                h.saturating_record(micros);
            }
        }
        if self.window.len() == WINDOW_MAX {
            self.window.pop_front();
        }
        self.window.push_back(r);
    }

    /// Forgets window entries older than [`WINDOW`] before `now`.
    pub fn expire(&mut self, now: Instant) {
        while let Some(first) = self.window.front() {
            if now.saturating_duration_since(first.at) > WINDOW {
                self.window.pop_front();
            } else {
                break;
            }
        }
    }

    /// Percentiles of the requests of `split` in the last minute, counted
    /// from `from` at the earliest.
    pub fn minute(&self, split: Split, from: Instant) -> Percentiles {
        let mut rtts: Vec<Duration> = self
            .window
            .iter()
            .filter(|r| r.at >= from && split.covers(r.kind, r.access))
            .map(|r| r.rtt)
            .collect();
        rtts.sort_unstable();
        let at = |q: f64| {
            // Nearest rank: the smallest value with at least q of the values at or below it.
            let rank = (q * rtts.len() as f64).ceil() as usize;
            rtts[rank.clamp(1, rtts.len()) - 1]
        };
        match rtts.last() {
            None => Percentiles::default(),
            Some(max) => Percentiles {
                count: rtts.len() as u64,
                p50: at(0.50),
                p95: at(0.95),
                p99: at(0.99),
                max: *max,
            },
        }
    }

    /// Percentiles of every request of `split` this session.
    pub fn session(&self, split: Split) -> Percentiles {
        let h = self
            .session
            .iter()
            .find(|(s, _)| *s == split)
            .and_then(|(_, h)| h.as_ref())
            .filter(|h| !h.is_empty());
        match h {
            None => Percentiles::default(),
            Some(h) => {
                let q = |q: f64| Duration::from_micros(h.value_at_quantile(q));
                Percentiles {
                    count: h.len(),
                    p50: q(0.50),
                    p95: q(0.95),
                    p99: q(0.99),
                    max: Duration::from_micros(h.max()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rtt(at: Instant, ms: u64, kind: RequestKind, access: Access) -> Rtt {
        Rtt {
            at,
            rtt: Duration::from_millis(ms),
            kind,
            access,
        }
    }

    #[test]
    fn minute_percentiles_follow_nearest_rank_and_split() {
        let t0 = Instant::now();
        let mut l = Latency::default();
        for ms in 1..=100 {
            l.record(rtt(t0, ms, RequestKind::Single, Access::Read));
        }
        l.record(rtt(t0, 500, RequestKind::Pipeline, Access::Write));
        let single = l.minute(Split::Single, t0);
        assert_eq!(single.count, 100);
        assert_eq!(single.p50, Duration::from_millis(50));
        assert_eq!(single.p95, Duration::from_millis(95));
        assert_eq!(single.p99, Duration::from_millis(99));
        assert_eq!(single.max, Duration::from_millis(100));
        let all = l.minute(Split::All, t0);
        assert_eq!((all.count, all.max), (101, Duration::from_millis(500)));
        let write = l.minute(Split::Write, t0);
        assert_eq!((write.count, write.p50), (1, Duration::from_millis(500)));
        assert_eq!(l.minute(Split::Transaction, t0), Percentiles::default());
    }

    #[test]
    fn the_window_slides_but_the_session_remembers() {
        let t0 = Instant::now();
        let mut l = Latency::default();
        l.record(rtt(t0, 900, RequestKind::Single, Access::Read));
        let later = t0 + Duration::from_secs(30);
        l.record(rtt(later, 10, RequestKind::Single, Access::Read));
        l.expire(t0 + Duration::from_secs(61));
        let m = l.minute(Split::All, t0);
        assert_eq!((m.count, m.max), (1, Duration::from_millis(10)));
        // Counting only from a later moment leaves the earlier request out.
        assert_eq!(
            l.minute(Split::All, later + Duration::from_secs(1)).count,
            0
        );
        let s = l.session(Split::Read);
        assert_eq!(s.count, 2);
        assert!(s.max >= Duration::from_millis(899), "{:?}", s.max);
    }
}
