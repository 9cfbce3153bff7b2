//! The cost meter: requests and commands per minute and in total, the
//! monitor's own share, the budget that periodic reads obey, and what an
//! idle session's periodic reads would spend in a day and a month.

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

/// Counts everything the program sends, what the monitor sent itself, and
/// what the Keys pane's prefetch sent ahead of `Enter`.
#[derive(Debug, Clone, Default)]
pub struct Cost {
    /// Every request's (end, commands) in the last minute.
    all: VecDeque<(Instant, u64)>,
    own: VecDeque<(Instant, u64)>,
    prefetch: VecDeque<(Instant, u64)>,
    total: Usage,
    own_total: Usage,
    prefetch_total: Usage,
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

    /// Counts the `requests` of one prefetch, `commands` in all (also seen
    /// via [`Cost::record`]).
    pub fn record_prefetch(&mut self, at: Instant, requests: u64, commands: u64) {
        for i in 0..requests {
            let commands = if i == 0 { commands } else { 0 };
            self.prefetch.push_back((at, commands));
            self.prefetch_total.add(commands);
        }
    }

    /// Forgets entries older than a minute before `now`.
    pub fn expire(&mut self, now: Instant) {
        for q in [&mut self.all, &mut self.own, &mut self.prefetch] {
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

    /// The prefetch's usage in the last minute.
    pub fn prefetch_minute(&self) -> Usage {
        sum(&self.prefetch)
    }

    /// The prefetch's usage this session.
    pub fn prefetch_total(&self) -> Usage {
        self.prefetch_total
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

/// A day, and a month as the projection counts it (30 days).
const DAY: Duration = Duration::from_secs(86_400);
const MONTH_DAYS: u64 = 30;

/// What an idle session's periodic reads spend, projected from their cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    pub per_day: u64,
    pub per_month: u64,
}

impl Projection {
    /// Commands per day and month for ticks of `base` commands, with
    /// `extra` more every `every` ticks (0: never), `interval` apart unless
    /// `budget` stretches them.
    pub fn of(base: u64, extra: u64, every: u32, interval: Duration, budget: Budget) -> Projection {
        let delay = |commands: u64| {
            let stretched = budget.min_interval(usize::try_from(commands).unwrap_or(usize::MAX));
            interval.max(stretched).max(Duration::from_millis(1))
        };
        // One cycle: `every` ticks, the first of them with the extra reads.
        let (commands, time) = match every {
            0 => (base, delay(base)),
            n => (
                base * u64::from(n) + extra,
                delay(base) * (n - 1) + delay(base + extra),
            ),
        };
        let per_day = (u128::from(commands) * DAY.as_millis() / time.as_millis().max(1)) as u64;
        Projection {
            per_day,
            per_month: per_day.saturating_mul(MONTH_DAYS),
        }
    }

    /// The projection with `per_minute` more commands (another periodic read).
    pub fn plus_per_minute(self, per_minute: u64) -> Projection {
        let per_day = self.per_day + per_minute * (DAY.as_secs() / 60);
        Projection {
            per_day,
            per_month: per_day.saturating_mul(MONTH_DAYS),
        }
    }

    /// The share of `quota` (commands per month) the projection takes, in percent.
    pub fn percent_of(&self, quota: u64) -> u64 {
        (u128::from(self.per_month) * 100)
            .div_ceil(u128::from(quota.max(1)))
            .min(u128::from(u64::MAX)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_every_5s_is_17_280_commands_a_day() {
        let p = Projection::of(1, 0, 0, Duration::from_secs(5), Budget::default());
        assert_eq!(
            p,
            Projection {
                per_day: 17_280,
                per_month: 518_400
            }
        );
        assert_eq!(p.percent_of(500_000), 104);
        // DBSIZE and INFO every 12th tick: 2 more commands a minute.
        let p = Projection::of(1, 2, 12, Duration::from_secs(5), Budget::default());
        assert_eq!(p.per_day, 17_280 + 2 * 1_440);
        // A budget of 6 commands a minute stretches a 3-command tick to 30 s.
        let tight = Budget {
            commands_per_minute: Some(6),
        };
        let p = Projection::of(3, 0, 0, Duration::from_secs(5), tight);
        assert_eq!(p.per_day, 8_640);
        let p = Projection::of(1, 0, 0, Duration::from_secs(30), Budget::default());
        assert_eq!((p.per_day, p.percent_of(500_000)), (2_880, 18));
        assert_eq!(p.plus_per_minute(3).per_day, 2_880 + 3 * 1_440);
    }

    #[test]
    fn minute_and_total_and_own_share() {
        let t0 = Instant::now();
        let mut c = Cost::default();
        c.record(t0, 3);
        c.record_own(t0, 3);
        c.record(t0 + Duration::from_secs(30), 10);
        c.record_missed(2);
        c.record_prefetch(t0, 2, 6);
        assert_eq!(
            c.prefetch_total(),
            Usage {
                requests: 2,
                commands: 6
            }
        );
        c.expire(t0 + Duration::from_secs(61));
        assert_eq!(c.prefetch_minute(), Usage::default());
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
