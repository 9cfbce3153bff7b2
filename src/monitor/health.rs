//! Connection health as a pure state machine: fed with probe results and
//! the last minute's figures at instants the caller supplies.
//!
//! - Down: `down_after` probes in a row failed.
//! - Degraded: one probe failed, or the requests since the connection last
//!   came back (within the last minute) had errors or a slow p99.
//! - Ok: otherwise.
//!
//! While probes fail, the next probe comes sooner than the regular interval
//! (an eighth of it, doubling with each further failure up to the interval),
//! so an outage is confirmed quickly and a returning endpoint is seen within
//! one interval.

use std::time::{Duration, Instant};

use crate::upstash::ErrorKind;

/// The three health levels, in order of badness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Ok,
    Degraded,
    Down,
}

impl Level {
    /// A short lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Degraded => "degraded",
            Level::Down => "down",
        }
    }
}

/// Thresholds of the health rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// A last-minute p99 above this is degraded.
    pub slow_p99: Duration,
    /// The p99 rule needs at least this many requests in the window.
    pub min_requests: u64,
    /// Probe failures in a row that make the connection down.
    pub down_after: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            slow_p99: Duration::from_secs(1),
            min_requests: 5,
            down_after: 2,
        }
    }
}

/// What the rest of the monitor saw since [`Health::counting_from`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// Requests in the window and their p99.
    pub requests: u64,
    pub p99: Duration,
    /// Failed requests in the window that point at the connection or the
    /// plan (not command errors such as WRONGTYPE), and the commonest kind.
    pub errors: u64,
    pub error_kind: Option<ErrorKind>,
}

/// The health state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    rules: Rules,
    level: Level,
    reason: String,
    since: Instant,
    failures: u32,
    /// Whether any probe has answered or failed yet.
    probed: bool,
    /// When the connection last came back from being down.
    up_since: Option<Instant>,
    /// What the last failed probe says is wrong with the settings (the
    /// token, the URL's scheme), when the server answered but refused.
    misconfigured: Option<&'static str>,
}

impl Health {
    /// Starts as Ok ("no probe yet") at `now`.
    pub fn new(rules: Rules, now: Instant) -> Health {
        Health {
            rules,
            level: Level::Ok,
            reason: "no probe yet".into(),
            since: now,
            failures: 0,
            probed: false,
            up_since: None,
            misconfigured: None,
        }
    }

    /// What is wrong with the settings, as the last probe showed: a few
    /// words for the title bar (`token refused`), or `None`.
    pub fn misconfigured(&self) -> Option<&'static str> {
        self.misconfigured
    }

    /// Takes one probe's result as the client classified it: like
    /// [`Health::probe`], and it also records whether the settings are
    /// at fault rather than the network.
    pub fn probe_result(
        &mut self,
        now: Instant,
        result: Result<Duration, &crate::upstash::Error>,
        signals: impl Fn(Instant) -> Signals,
    ) -> bool {
        self.misconfigured = result.as_ref().err().and_then(|e| e.misconfiguration());
        self.probe(now, result.map_err(ToString::to_string), signals)
    }

    /// The current level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Why the level is what it is, in one line.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// When the level last changed.
    pub fn since(&self) -> Instant {
        self.since
    }

    /// Probe failures in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Where the error and latency window starts: the last minute, but not
    /// before the connection last came back, so an outage's own errors do
    /// not keep the connection degraded once it has returned.
    pub fn counting_from(&self, now: Instant) -> Instant {
        let minute = now.checked_sub(super::latency::WINDOW).unwrap_or(now);
        self.up_since.map_or(minute, |up| minute.max(up))
    }

    /// The delay before the next probe given the regular `interval`.
    pub fn next_probe(&self, interval: Duration) -> Duration {
        match self.failures {
            0 => interval,
            n => (interval / 8)
                .saturating_mul(1 << (n - 1).min(3))
                .min(interval),
        }
    }

    /// Takes one probe result at `now`: the round trip, or the error's line.
    /// `signals` gives the figures counted from a given instant (see
    /// [`Health::counting_from`]). Returns whether the level changed.
    pub fn probe(
        &mut self,
        now: Instant,
        result: Result<Duration, String>,
        signals: impl Fn(Instant) -> Signals,
    ) -> bool {
        self.probed = true;
        let (level, reason) = match result {
            Err(e) => {
                self.failures += 1;
                if self.failures >= self.rules.down_after {
                    let n = self.failures;
                    (Level::Down, format!("{n} probes failed in a row: {e}"))
                } else {
                    (Level::Degraded, format!("a probe failed: {e}"))
                }
            }
            Ok(rtt) => {
                // Back after failed probes: the failures' errors stay in the
                // Monitor's counts but no longer make the connection look bad.
                if self.failures > 0 {
                    self.up_since = Some(now);
                }
                self.failures = 0;
                self.judge(rtt, &signals(self.counting_from(now)))
            }
        };
        self.set(now, level, reason)
    }

    /// Takes new figures between probes (a probe that succeeded stays the
    /// latest word on reachability). Returns whether the level changed.
    pub fn signals(
        &mut self,
        now: Instant,
        last_rtt: Duration,
        signals: impl Fn(Instant) -> Signals,
    ) -> bool {
        if self.failures > 0 || !self.probed {
            return false;
        }
        let (level, reason) = self.judge(last_rtt, &signals(self.counting_from(now)));
        self.set(now, level, reason)
    }

    fn judge(&self, rtt: Duration, s: &Signals) -> (Level, String) {
        if s.errors > 0 {
            let kind = s.error_kind.map_or("", |k| k.label());
            let n = s.errors;
            let plural = if n == 1 { "" } else { "s" };
            return (
                Level::Degraded,
                format!("{n} {kind} error{plural} in the last minute"),
            );
        }
        if s.requests >= self.rules.min_requests && s.p99 > self.rules.slow_p99 {
            return (
                Level::Degraded,
                format!(
                    "slow: p99 {} ms over the last minute (limit {} ms)",
                    s.p99.as_millis(),
                    self.rules.slow_p99.as_millis()
                ),
            );
        }
        (
            Level::Ok,
            format!("probe answered in {:.1} ms", rtt.as_secs_f64() * 1000.0),
        )
    }

    fn set(&mut self, now: Instant, level: Level, reason: String) -> bool {
        self.reason = reason;
        if level == self.level {
            return false;
        }
        self.level = level;
        self.since = now;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::latency::WINDOW;

    const S: Duration = Duration::from_secs(1);

    fn quiet() -> Signals {
        Signals::default()
    }

    #[test]
    fn failures_degrade_then_bring_down_then_recovery_is_ok_at_once() {
        let t0 = Instant::now();
        let mut h = Health::new(Rules::default(), t0);
        assert!(!h.probe(t0, Ok(S / 100), |_| quiet()));
        assert_eq!(h.level(), Level::Ok);
        assert!(h.probe(t0 + S, Err("refused".into()), |_| quiet()));
        assert_eq!(h.level(), Level::Degraded);
        assert!(h.reason().contains("refused"));
        assert!(h.probe(t0 + 2 * S, Err("refused".into()), |_| quiet()));
        assert_eq!(h.level(), Level::Down);
        assert_eq!(h.since(), t0 + 2 * S);
        assert!(h.reason().starts_with("2 probes failed"));
        // Still down: the level and its start stay, the reason is updated.
        assert!(!h.probe(t0 + 3 * S, Err("refused".into()), |_| quiet()));
        assert_eq!(h.since(), t0 + 2 * S);
        assert!(h.reason().starts_with("3 probes failed"));
        // The outage's errors are in the window, but counting starts at recovery.
        let back = t0 + 4 * S;
        let outage = |from: Instant| Signals {
            errors: if from < back { 3 } else { 0 },
            ..quiet()
        };
        assert!(h.probe(back, Ok(S / 100), outage));
        assert_eq!(h.level(), Level::Ok);
        assert_eq!(h.counting_from(back), back);
        // One failed probe is enough for its errors to stop counting once it answers.
        assert!(h.probe(back + S, Err("refused".into()), |_| quiet()));
        let again = back + 2 * S;
        let blip = |from: Instant| Signals {
            errors: if from < again { 2 } else { 0 },
            ..quiet()
        };
        assert!(h.probe(again, Ok(S / 100), blip));
        assert_eq!(h.level(), Level::Ok);
    }

    #[test]
    fn errors_and_slowness_degrade() {
        let t0 = Instant::now();
        let mut h = Health::new(Rules::default(), t0);
        let errors = Signals {
            errors: 3,
            error_kind: Some(ErrorKind::Timeout),
            ..quiet()
        };
        h.probe(t0, Ok(S / 100), |_| errors.clone());
        assert_eq!(h.level(), Level::Degraded);
        assert_eq!(h.reason(), "3 timeout errors in the last minute");
        let slow = Signals {
            requests: 10,
            p99: 2 * S,
            ..quiet()
        };
        h.signals(t0 + S, S / 100, |_| slow.clone());
        assert!(h.reason().starts_with("slow: p99 2000 ms"));
        // Too few requests for the p99 rule.
        let few = Signals {
            requests: 2,
            ..slow.clone()
        };
        assert!(h.signals(t0 + 2 * S, S / 100, |_| few.clone()));
        assert_eq!(h.level(), Level::Ok);
        assert_eq!(h.since(), t0 + 2 * S);
    }

    #[test]
    fn probes_come_sooner_while_failing() {
        let t0 = Instant::now();
        let mut h = Health::new(Rules::default(), t0);
        let interval = Duration::from_millis(800);
        assert_eq!(h.next_probe(interval), interval);
        let mut delays = Vec::new();
        for i in 0..5 {
            h.probe(t0 + i * S, Err("x".into()), |_| quiet());
            delays.push(h.next_probe(interval).as_millis());
        }
        assert_eq!(delays, [100, 200, 400, 800, 800]);
        // Down is reached before two intervals have passed since the first failure.
        assert!(h.next_probe(interval) <= interval);
    }

    #[test]
    fn counting_starts_a_minute_back_when_there_was_no_outage() {
        let t0 = Instant::now();
        let h = Health::new(Rules::default(), t0);
        let now = t0 + Duration::from_secs(90);
        assert_eq!(h.counting_from(now), t0 + Duration::from_secs(30));
        // Requests made before the monitor started count too.
        assert_eq!(
            h.counting_from(t0 + S),
            (t0 + S).checked_sub(WINDOW).unwrap_or(t0)
        );
    }
}
