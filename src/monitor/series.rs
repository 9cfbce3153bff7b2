//! The round-trip time series behind the latency chart: fixed-width time
//! buckets holding the mean and the maximum of the requests that fell in them.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// One bucket of the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// The bucket's start.
    pub start: Instant,
    pub count: u32,
    pub mean: Duration,
    pub max: Duration,
}

/// A bounded series of round-trip buckets, oldest first.
#[derive(Debug, Clone)]
pub struct Series {
    origin: Instant,
    step: Duration,
    len: usize,
    buckets: VecDeque<(u64, Bucket, Duration)>,
}

impl Series {
    /// A series of `len` buckets of `step` each, aligned on `origin`.
    pub fn new(origin: Instant, step: Duration, len: usize) -> Series {
        Series {
            origin,
            step: step.max(Duration::from_millis(1)),
            len: len.max(1),
            buckets: VecDeque::new(),
        }
    }

    /// Adds one round trip that ended at `at`.
    pub fn record(&mut self, at: Instant, rtt: Duration) {
        let index = self.index(at);
        match self.buckets.back_mut() {
            Some((i, b, sum)) if *i == index => {
                b.count += 1;
                *sum += rtt;
                b.max = b.max.max(rtt);
                b.mean = *sum / b.count;
            }
            Some((i, _, _)) if *i > index => {} // late and out of order: too old to matter
            _ => {
                let start = self.origin + self.step * u32::try_from(index).unwrap_or(u32::MAX);
                let b = Bucket {
                    start,
                    count: 1,
                    mean: rtt,
                    max: rtt,
                };
                self.buckets.push_back((index, b, rtt));
                while self.buckets.len() > self.len {
                    self.buckets.pop_front();
                }
            }
        }
    }

    /// The buckets that are at most `len` steps old at `now`, oldest first.
    pub fn buckets(&self, now: Instant) -> Vec<Bucket> {
        let newest = self.index(now);
        let oldest = newest.saturating_sub(self.len as u64 - 1);
        self.buckets
            .iter()
            .filter(|(i, _, _)| *i >= oldest)
            .map(|(_, b, _)| *b)
            .collect()
    }

    /// Chart points: (seconds before `now`, as a negative number; mean
    /// milliseconds) for every bucket still in range.
    pub fn points(&self, now: Instant) -> Vec<(f64, f64)> {
        self.buckets(now)
            .iter()
            .map(|b| {
                let ago = now.saturating_duration_since(b.start).as_secs_f64();
                (-ago, b.mean.as_secs_f64() * 1000.0)
            })
            .collect()
    }

    /// The bucket width.
    pub fn step(&self) -> Duration {
        self.step
    }

    fn index(&self, at: Instant) -> u64 {
        let since = at.saturating_duration_since(self.origin);
        u64::try_from(since.as_nanos() / self.step.as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn requests_fall_into_buckets_with_mean_and_max() {
        let t0 = Instant::now();
        let mut s = Series::new(t0, Duration::from_secs(5), 3);
        s.record(t0, 10 * MS);
        s.record(t0 + Duration::from_secs(4), 30 * MS);
        s.record(t0 + Duration::from_secs(6), 7 * MS);
        let b = s.buckets(t0 + Duration::from_secs(7));
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].count, b[0].mean, b[0].max), (2, 20 * MS, 30 * MS));
        assert_eq!((b[1].count, b[1].mean), (1, 7 * MS));
        let p = s.points(t0 + Duration::from_secs(7));
        assert_eq!(p[0], (-7.0, 20.0));
    }

    #[test]
    fn old_buckets_fall_out() {
        let t0 = Instant::now();
        let mut s = Series::new(t0, Duration::from_secs(1), 3);
        for i in 0..10 {
            s.record(t0 + Duration::from_secs(i), MS * (i as u32 + 1));
        }
        let b = s.buckets(t0 + Duration::from_secs(9));
        assert_eq!(b.iter().map(|b| b.count).sum::<u32>(), 3);
        assert_eq!(b[0].max, 8 * MS);
        // Ten seconds later, with nothing new, the chart is empty.
        assert!(s.buckets(t0 + Duration::from_secs(19)).is_empty());
    }
}
