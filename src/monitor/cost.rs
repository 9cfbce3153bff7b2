//! The cost meter: requests and commands per minute and in total, the
//! monitor's own share, and the budget that periodic reads obey.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::latency::WINDOW;

/// Requests and commands over some span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub requests: u64,
    pub commands: u64,
}

impl Usage {
    fn add(&mut self, commands: u64) {
        self.requests += 1;
        self.commands += commands;
    }
}

/// Counts everything the program sends and what the monitor sent itself.
#[derive(Debug, Clone, Default)]
pub struct Cost {
    /// Every request's (end, commands) in the last minute.
    all: VecDeque<(Instant, u64)>,
    own: VecDeque<(Instant, u64)>,
    total: Usage,
    own_total: Usage,
}

impl Cost {
    /// Counts one request of the whole program (from the telemetry stream).
    pub fn record(&mut self, at: Instant, commands: u64) {
        self.all.push_back((at, commands));
        self.total.add(commands);
    }

    /// Counts requests that were recorded but not seen one by one.
    pub fn record_missed(&mut self, requests: u64) {
        self.total.requests += requests;
    }

    /// Counts one request the monitor itself sent (also seen via [`Cost::record`]).
    pub fn record_own(&mut self, at: Instant, commands: u64) {
        self.own.push_back((at, commands));
        self.own_total.add(commands);
    }

    /// Forgets entries older than a minute before `now`.
    pub fn expire(&mut self, now: Instant) {
        for q in [&mut self.all, &mut self.own] {
            while q
                .front()
                .is_some_and(|(at, _)| now.saturating_duration_since(*at) > WINDOW)
            {
                q.pop_front();
            }
        }
    }

    /// The whole program's usage in the last minute.
    pub fn minute(&self) -> Usage {
        sum(&self.all)
    }

    /// The monitor's own usage in the last minute.
    pub fn own_minute(&self) -> Usage {
        sum(&self.own)
    }

    /// The whole program's usage this session.
    pub fn total(&self) -> Usage {
        self.total
    }

    /// The monitor's own usage this session.
    pub fn own_total(&self) -> Usage {
        self.own_total
    }
}

fn sum(q: &VecDeque<(Instant, u64)>) -> Usage {
    q.iter().fold(Usage::default(), |mut u, (_, c)| {
        u.add(*c);
        u
    })
}

/// How many commands per minute periodic work may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Budget {
    /// `None`: no limit beyond the interval.
    pub commands_per_minute: Option<u32>,
}

impl Budget {
    /// The shortest interval at which a periodic request of `commands`
    /// commands stays within the budget.
    pub fn min_interval(&self, commands: usize) -> Duration {
        match self.commands_per_minute {
            None => Duration::ZERO,
            Some(0) => WINDOW,
            Some(n) => WINDOW.saturating_mul(u32::try_from(commands).unwrap_or(u32::MAX)) / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_and_total_and_own_share() {
        let t0 = Instant::now();
        let mut c = Cost::default();
        c.record(t0, 3);
        c.record_own(t0, 3);
        c.record(t0 + Duration::from_secs(30), 10);
        c.record_missed(2);
        c.expire(t0 + Duration::from_secs(61));
        assert_eq!(
            c.minute(),
            Usage {
                requests: 1,
                commands: 10
            }
        );
        assert_eq!(c.own_minute(), Usage::default());
        assert_eq!(
            c.total(),
            Usage {
                requests: 4,
                commands: 13
            }
        );
        assert_eq!(
            c.own_total(),
            Usage {
                requests: 1,
                commands: 3
            }
        );
    }

    #[test]
    fn the_budget_stretches_the_interval() {
        let b = Budget {
            commands_per_minute: Some(60),
        };
        assert_eq!(b.min_interval(5), Duration::from_secs(5));
        assert_eq!(Budget::default().min_interval(5), Duration::ZERO);
        let none = Budget {
            commands_per_minute: Some(0),
        };
        assert_eq!(none.min_interval(1), WINDOW);
    }
}
