//! One watched key: its sample history, rates, time to drain, stalled and
//! threshold alerts.
//!
//! What the samples can tell: for a list, set, sorted set or hash only the
//! net change between samples is visible. When a producer and a consumer
//! both act between two samples, their effects cancel out, so separate
//! enqueue and dequeue rates cannot be known from the length; only the net
//! rate is given. For a stream, the length only grows by XADD (acknowledging
//! does not delete), so its change is the enqueue rate as long as the stream
//! is not trimmed, and each consumer group's `entries-read` counter gives
//! that group's dequeue rate; the slowest group is reported. For Celery,
//! watch the `unacked` hash too: its length is the messages being worked on.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::reading::{self, Read, Reading};
use crate::upstash::{Cmd, Reply};
use crate::value::Kind;

/// How a watched key is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Samples kept for the sparkline and the rates.
    pub history: usize,
    /// Samples (the newest ones) that the rates are estimated over.
    pub rate_samples: usize,
    /// Stalled: depth above zero and unchanged for this many samples.
    pub stalled_after: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            history: 120,
            rate_samples: 10,
            stalled_after: 5,
        }
    }
}

/// Per-second rates estimated from the samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// The change of the depth per second (negative while draining).
    pub net: f64,
    /// Entries added per second, where it can be known (streams).
    pub enqueue: Option<f64>,
    /// Entries consumed per second, where it can be known (stream groups).
    pub dequeue: Option<f64>,
}

/// A watched key and its samples.
#[derive(Debug, Clone)]
pub struct Queue {
    key: Vec<u8>,
    /// `None` until the first TYPE answers, and after the key changed type.
    kind: Option<Kind>,
    threshold: Option<u64>,
    rules: Rules,
    history: VecDeque<(Instant, Reading)>,
    error: Option<String>,
}

impl Queue {
    /// Starts watching `key`; `threshold` raises an alert at that depth.
    pub fn new(key: Vec<u8>, threshold: Option<u64>, rules: Rules) -> Queue {
        Queue {
            key,
            kind: None,
            threshold,
            rules,
            history: VecDeque::new(),
            error: None,
        }
    }

    /// The watched key.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// The key's type as last seen.
    pub fn kind(&self) -> Option<&Kind> {
        self.kind.as_ref()
    }

    /// The type's name as TYPE says it, `?` until known.
    pub fn type_name(&self) -> &str {
        self.kind.as_ref().map_or("?", Kind::name)
    }

    /// Why the last sample could not be read, if it could not.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The commands of the next sample.
    pub fn commands(&self) -> Vec<Cmd> {
        reading::commands(&self.key, self.kind.as_ref())
    }

    /// Takes the replies to [`Queue::commands`] at `now`; returns whether a
    /// reading was added.
    pub fn apply(&mut self, now: Instant, replies: &[Reply]) -> bool {
        match reading::parse(self.kind.as_ref(), replies) {
            Read::Reading(r) => {
                // A reading after TYPE is an empty queue: the key is missing.
                if !self.kind.as_ref().is_some_and(Kind::is_collection) {
                    self.kind = Some(Kind::Missing);
                }
                self.push(now, r);
                true
            }
            Read::Type(kind) => {
                // WRONGTYPE: the key now holds another type, whose lengths
                // do not compare with the old ones (a missing key that
                // appears keeps its history: 0 was its length).
                if kind.is_none() && self.kind.as_ref().is_some_and(Kind::is_collection) {
                    self.history.clear();
                }
                self.kind = kind;
                self.error = None;
                false
            }
            Read::Failed(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    /// Adds one reading taken at `now`.
    pub fn push(&mut self, now: Instant, r: Reading) {
        self.error = None;
        if self.history.len() >= self.rules.history.max(1) {
            self.history.pop_front();
        }
        self.history.push_back((now, r));
    }

    /// The newest reading.
    pub fn last(&self) -> Option<&Reading> {
        self.history.back().map(|(_, r)| r)
    }

    /// When the newest reading was taken.
    pub fn last_at(&self) -> Option<Instant> {
        self.history.back().map(|(at, _)| *at)
    }

    /// The depths of the kept samples, oldest first, for a sparkline.
    pub fn sparkline(&self) -> Vec<u64> {
        self.history.iter().map(|(_, r)| r.depth()).collect()
    }

    /// Rates over the newest `rate_samples` samples; `None` before two samples.
    pub fn rates(&self) -> Option<Rates> {
        let n = self.rules.rate_samples.max(2).min(self.history.len());
        let (t1, last) = self.history.back()?;
        let (t0, first) = self.history.get(self.history.len().checked_sub(n)?)?;
        let secs = t1.saturating_duration_since(*t0).as_secs_f64();
        if n < 2 || secs <= 0.0 {
            return None;
        }
        let per_sec = |a: u64, b: u64| (b as f64 - a as f64) / secs;
        let stream = self.kind == Some(Kind::Stream);
        let dequeue = last
            .groups
            .iter()
            .filter_map(|g| {
                let before = first.groups.iter().find(|f| f.name == g.name)?;
                Some(per_sec(before.entries_read?, g.entries_read?))
            })
            .reduce(f64::min);
        Some(Rates {
            net: per_sec(first.depth(), last.depth()),
            enqueue: stream.then(|| per_sec(first.length, last.length).max(0.0)),
            dequeue,
        })
    }

    /// How long until the depth reaches zero at the current net rate;
    /// `None` when it is not shrinking.
    pub fn drain_time(&self) -> Option<Duration> {
        let depth = self.last()?.depth();
        let net = self.rates()?.net;
        if depth == 0 {
            return Some(Duration::ZERO);
        }
        (net < 0.0).then(|| Duration::from_secs_f64(depth as f64 / -net))
    }

    /// Whether the depth is above zero and unchanged for `stalled_after` samples.
    pub fn stalled(&self) -> bool {
        let n = self.rules.stalled_after.max(2);
        if self.history.len() < n {
            return false;
        }
        let mut depths = self.history.iter().rev().take(n).map(|(_, r)| r.depth());
        let first = depths.next().unwrap_or(0);
        first > 0 && depths.all(|d| d == first)
    }

    /// Whether the depth is at or over the threshold.
    pub fn alert(&self) -> bool {
        match (self.threshold, self.last()) {
            (Some(t), Some(r)) => r.depth() >= t,
            _ => false,
        }
    }

    /// The alert threshold.
    pub fn threshold(&self) -> Option<u64> {
        self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::reading::Group;

    fn list(len: u64) -> Reading {
        Reading {
            length: len,
            groups: Vec::new(),
        }
    }

    fn at(t0: Instant, s: u64) -> Instant {
        t0 + Duration::from_secs(s)
    }

    #[test]
    fn net_rate_drain_time_and_alert() {
        let t0 = Instant::now();
        let mut q = Queue::new(b"q".to_vec(), Some(90), Rules::default());
        assert!(q.rates().is_none());
        for s in 0..5 {
            q.push(at(t0, s), list(100 - 4 * s));
        }
        let r = q.rates().expect("rates");
        assert_eq!(r.net, -4.0);
        assert_eq!((r.enqueue, r.dequeue), (None, None));
        assert_eq!(q.drain_time(), Some(Duration::from_secs(21)));
        assert!(!q.alert(), "84 is under 90");
        q.push(at(t0, 5), list(95));
        assert!(q.alert());
        // 100 -> 95 over the window: -1/s.
        assert_eq!(q.drain_time(), Some(Duration::from_secs(95)));
        q.push(at(t0, 6), list(130));
        assert_eq!(q.drain_time(), None, "growing over the window");
        assert_eq!(q.sparkline(), vec![100, 96, 92, 88, 84, 95, 130]);
    }

    #[test]
    fn rates_use_only_the_newest_samples() {
        let t0 = Instant::now();
        let rules = Rules {
            rate_samples: 3,
            ..Rules::default()
        };
        let mut q = Queue::new(b"q".to_vec(), None, rules);
        q.push(at(t0, 0), list(1000));
        for s in 1..=3 {
            q.push(at(t0, s), list(10 * s));
        }
        assert_eq!(q.rates().map(|r| r.net), Some(10.0));
    }

    #[test]
    fn stalled_needs_an_unchanged_non_empty_depth() {
        let t0 = Instant::now();
        let mut q = Queue::new(b"q".to_vec(), None, Rules::default());
        for s in 0..4 {
            q.push(at(t0, s), list(7));
        }
        assert!(!q.stalled(), "four samples are not enough");
        q.push(at(t0, 4), list(7));
        assert!(q.stalled());
        q.push(at(t0, 5), list(6));
        assert!(!q.stalled());
        let mut empty = Queue::new(b"e".to_vec(), None, Rules::default());
        for s in 0..6 {
            empty.push(at(t0, s), list(0));
        }
        assert!(!empty.stalled());
        assert_eq!(empty.drain_time(), Some(Duration::ZERO));
    }

    #[test]
    fn streams_give_enqueue_and_the_slowest_groups_dequeue() {
        let t0 = Instant::now();
        let mut q = Queue::new(b"s".to_vec(), None, Rules::default());
        assert!(!q.apply(t0, &[Reply::Status("stream".into())]));
        assert_eq!(q.kind(), Some(&Kind::Stream));
        let g = |name: &str, read: u64, lag: u64| Group {
            name: name.into(),
            pending: 1,
            lag: Some(lag),
            entries_read: Some(read),
        };
        q.push(
            at(t0, 0),
            Reading {
                length: 10,
                groups: vec![g("fast", 0, 10), g("slow", 0, 10)],
            },
        );
        q.push(
            at(t0, 2),
            Reading {
                length: 20,
                groups: vec![g("fast", 16, 4), g("slow", 6, 14)],
            },
        );
        let r = q.rates().expect("rates");
        assert_eq!(r.enqueue, Some(5.0));
        assert_eq!(r.dequeue, Some(3.0));
        assert_eq!(r.net, 2.0, "the slowest group's backlog grows 11 -> 15");
    }

    #[test]
    fn a_key_that_changes_type_is_asked_again() {
        let t0 = Instant::now();
        let mut q = Queue::new(b"q".to_vec(), None, Rules::default());
        q.apply(t0, &[Reply::Status("list".into())]);
        assert!(q.apply(t0, &[Reply::Int(3)]));
        assert!(q.apply(at(t0, 1), &[Reply::Int(5)]));
        assert!(q.rates().is_some());
        q.apply(t0, &[Reply::Error("WRONGTYPE Operation".into())]);
        assert_eq!(q.kind(), None);
        // The old type's lengths are gone: no rate mixes a list and a set.
        assert!(q.last().is_none() && q.rates().is_none());
        q.apply(t0, &[Reply::Status("none".into())]);
        assert_eq!(q.kind(), Some(&Kind::Missing));
        assert_eq!(q.type_name(), "none");
        assert_eq!(q.last().map(Reading::depth), Some(0));
        q.apply(t0, &[Reply::Error("ERR boom".into())]);
        assert_eq!(q.error(), Some("ERR boom"));
    }
}
