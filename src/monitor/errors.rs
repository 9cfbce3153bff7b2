//! Failed requests: counts by kind over the last minute and the session, and
//! the last few error lines, with Upstash's limit errors flagged.

use std::collections::VecDeque;
use std::time::Instant;

use super::latency::WINDOW;
use crate::upstash::ErrorKind;
use crate::upstash::error::limit_hint;

/// How many error lines are kept.
const LAST: usize = 8;

/// One failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at: Instant,
    pub kind: ErrorKind,
    pub text: String,
    /// For plan limit and quota errors: what to do about it.
    pub hint: Option<&'static str>,
}

/// Error counts and the last error lines.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    window: VecDeque<(Instant, ErrorKind)>,
    session: [u64; ErrorKind::ALL.len()],
    last: VecDeque<Line>,
}

impl Errors {
    /// Counts one failed request with its one-line text.
    pub fn record(&mut self, at: Instant, kind: ErrorKind, text: &str) {
        if let Some(i) = ErrorKind::ALL.iter().position(|k| *k == kind) {
            self.session[i] += 1;
        }
        self.window.push_back((at, kind));
        if self.last.len() == LAST {
            self.last.pop_front();
        }
        let hint = (kind == ErrorKind::Limit)
            .then(|| limit_hint(text))
            .flatten();
        self.last.push_back(Line {
            at,
            kind,
            text: text.to_string(),
            hint,
        });
    }

    /// Forgets window entries older than a minute before `now`.
    pub fn expire(&mut self, now: Instant) {
        while self
            .window
            .front()
            .is_some_and(|(at, _)| now.saturating_duration_since(*at) > WINDOW)
        {
            self.window.pop_front();
        }
    }

    /// Errors by kind this session, in [`ErrorKind::ALL`] order.
    pub fn session(&self) -> Vec<(ErrorKind, u64)> {
        ErrorKind::ALL.iter().copied().zip(self.session).collect()
    }

    /// Errors by kind in the last minute, in [`ErrorKind::ALL`] order.
    pub fn minute(&self) -> Vec<(ErrorKind, u64)> {
        ErrorKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    self.window.iter().filter(|(_, e)| e == k).count() as u64,
                )
            })
            .collect()
    }

    /// Errors from `from` on that say something about the connection or the
    /// plan (command, permission and input errors are the caller's), with the
    /// commonest kind.
    pub fn health_errors(&self, from: Instant) -> (u64, Option<ErrorKind>) {
        let mut counts = [0u64; ErrorKind::ALL.len()];
        for (at, kind) in &self.window {
            if *at >= from
                && !matches!(
                    kind,
                    ErrorKind::Command | ErrorKind::Permission | ErrorKind::Input
                )
                && let Some(i) = ErrorKind::ALL.iter().position(|k| k == kind)
            {
                counts[i] += 1;
            }
        }
        let total = counts.iter().sum();
        let top = ErrorKind::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(_, n)| *n)
            .map(|(k, _)| *k);
        (total, top)
    }

    /// The last few error lines, oldest first.
    pub fn last(&self) -> impl Iterator<Item = &Line> {
        self.last.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn counts_lines_hints_and_health_relevance() {
        let t0 = Instant::now();
        let mut e = Errors::default();
        e.record(t0, ErrorKind::Command, "WRONGTYPE Operation");
        e.record(t0, ErrorKind::Network, "cannot reach the server: refused");
        e.record(t0, ErrorKind::Permission, "NOPERM ... 'scan' command");
        let limit = "ERR max daily request limit exceeded (hint: ...)";
        e.record(t0 + Duration::from_secs(50), ErrorKind::Limit, limit);
        let last: Vec<_> = e.last().collect();
        assert_eq!(last.len(), 4);
        assert!(last[3].hint.is_some_and(|h| h.contains("daily")));
        assert_eq!(last[0].hint, None);
        assert_eq!(e.health_errors(t0), (2, Some(ErrorKind::Network)));
        e.expire(t0 + Duration::from_secs(70));
        assert_eq!(e.health_errors(t0), (1, Some(ErrorKind::Limit)));
        let minute: u64 = e.minute().iter().map(|(_, n)| n).sum();
        assert_eq!(minute, 1);
        let session: u64 = e.session().iter().map(|(_, n)| n).sum();
        assert_eq!(session, 4);
        for i in 0..20 {
            e.record(t0, ErrorKind::Timeout, &format!("t{i}"));
        }
        assert_eq!(e.last().count(), LAST);
        assert_eq!(e.last().last().map(|l| l.text.as_str()), Some("t19"));
    }
}
