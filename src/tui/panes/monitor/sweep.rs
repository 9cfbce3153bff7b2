//! The Monitor's "scan for queues": the question that shows its cost first,
//! the pages in flight with their progress, and how it ended. The pages'
//! keys go to the recognisers; this file only keeps the state and its line.

use std::time::Duration;

use super::format::count;
use crate::recognise::sweep::{Cost, Sweep};
use crate::scan::{Found, Request};
use crate::tui::msg::{Effect, ReqId};
use crate::upstash::{Error, Reply};

/// Where the scan for queues stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Idle,
    /// DBSIZE was asked for, to tell the cost.
    Counting(ReqId),
    /// The cost is shown; `y` or Enter scans, `n` or Esc does not.
    Asking(Cost),
    /// Pages going out; the one in flight.
    Running(ReqId),
    /// Stopped between pages by the user.
    Stopped,
    /// Every key was examined.
    Done,
    /// A page failed; the sweep can go on from it.
    Failed(String),
}

/// The scan for queues: its phase and the sweep it runs.
#[derive(Debug, Default)]
pub struct Sweeping {
    phase: Phase,
    sweep: Option<Sweep>,
    /// The database's size the cost was told for.
    dbsize: u64,
    /// Pages sent, a dropped one included (it was billed all the same).
    sent: u64,
}

impl Sweeping {
    /// Where it stands.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// Whether the cost is shown and an answer awaited.
    pub fn asking(&self) -> bool {
        matches!(self.phase, Phase::Asking(_))
    }

    /// Whether pages are going out.
    pub fn running(&self) -> bool {
        matches!(self.phase, Phase::Running(_))
    }

    /// Asks before scanning: shows the cost of what is left when the
    /// database's size is known, else returns the DBSIZE to send (with `req`).
    pub fn ask(&mut self, dbsize: Option<u64>, req: ReqId) -> Option<Effect> {
        match dbsize {
            Some(n) => {
                self.dbsize = n;
                self.phase = Phase::Asking(self.cost(n));
                None
            }
            None => {
                self.phase = Phase::Counting(req);
                Some(Effect::Count { req })
            }
        }
    }

    fn cost(&self, dbsize: u64) -> Cost {
        match &self.sweep {
            Some(s) if !s.done() => s.cost(dbsize),
            _ => Cost::of(dbsize),
        }
    }

    /// Takes DBSIZE if it was asked for here; returns whether it was.
    pub fn on_counted(&mut self, req: ReqId, result: &Result<i64, Error>) -> bool {
        if self.phase != Phase::Counting(req) {
            return false;
        }
        self.dbsize = result
            .as_ref()
            .map_or(0, |n| u64::try_from(*n).unwrap_or(0));
        self.phase = match result {
            Ok(_) => Phase::Asking(self.cost(self.dbsize)),
            Err(e) => Phase::Failed(format!("DBSIZE: {e}")),
        };
        true
    }

    /// The answer yes: the first page of a new sweep, or the next of a
    /// stopped one; `types` is whether the server answers `WITHTYPE`.
    pub fn confirm(&mut self, types: Option<bool>, req: ReqId) -> Option<Effect> {
        if !self.asking() {
            return None;
        }
        let sweep = match self.sweep.take() {
            Some(mut s) if !s.done() => {
                s.resume(self.dbsize);
                s
            }
            _ => {
                self.sent = 0;
                Sweep::new(self.dbsize, types)
            }
        };
        let request = sweep.next_request();
        self.sweep = Some(sweep);
        self.send(request, req)
    }

    fn send(&mut self, request: Option<Request>, req: ReqId) -> Option<Effect> {
        match request {
            Some(request) => {
                self.sent += 1;
                self.phase = Phase::Running(req);
                Some(Effect::Sweep { req, request })
            }
            None => {
                self.phase = Phase::Done;
                None
            }
        }
    }

    /// The answer no: back to where it was.
    pub fn cancel(&mut self) {
        if self.asking() || matches!(self.phase, Phase::Counting(_)) {
            self.phase = match &self.sweep {
                Some(s) if s.done() => Phase::Done,
                Some(_) => Phase::Stopped,
                None => Phase::Idle,
            };
        }
    }

    /// Stops between pages (the page in flight is dropped); returns whether
    /// it was running.
    pub fn stop(&mut self) -> bool {
        if !self.running() {
            return false;
        }
        if let Some(s) = self.sweep.as_mut() {
            s.stop();
        }
        self.phase = Phase::Stopped;
        true
    }

    /// Takes a page: its keys, and the next page to ask for (with `req`).
    pub fn on_page(
        &mut self,
        got: ReqId,
        request: &Request,
        result: Result<Vec<Reply>, Error>,
        elapsed: Duration,
        req: ReqId,
    ) -> (Vec<Found>, Option<Effect>) {
        let Some(sweep) = self
            .sweep
            .as_mut()
            .filter(|_| self.phase == Phase::Running(got))
        else {
            return (Vec::new(), None);
        };
        match sweep.apply(request, result, elapsed) {
            Ok(found) => {
                let next = sweep.next_request();
                (found, self.send(next, req))
            }
            Err(e) => {
                sweep.stop();
                self.phase = Phase::Failed(e.to_string());
                (Vec::new(), None)
            }
        }
    }

    /// The Monitor's line for it, in whole parts, and whether it asks.
    pub fn line(&self) -> Option<(Vec<String>, bool)> {
        let progress = |s: &Sweep| {
            format!(
                "{} of {} keys · {} requests",
                count(s.examined()),
                count(s.dbsize()),
                self.sent
            )
        };
        let parts = match (&self.phase, &self.sweep) {
            (Phase::Idle, _) => return None,
            (Phase::Counting(_), _) => vec!["scan for queues: reading DBSIZE for its cost".into()],
            (Phase::Asking(c), _) => {
                let parts = vec![
                    "scan for queues?".into(),
                    format!("{} keys,", count(c.keys)),
                    format!("about {} requests", c.requests),
                    format!("and {} commands", c.commands),
                    "(growing SCAN pages):".into(),
                    "y scans, n does not".into(),
                ];
                return Some((parts, true));
            }
            (Phase::Running(_), Some(s)) => vec![
                "scanning for queues:".into(),
                progress(s),
                "· Esc stops".into(),
            ],
            (Phase::Stopped, Some(s)) => vec![
                "scan for queues stopped:".into(),
                progress(s),
                "· s goes on".into(),
            ],
            (Phase::Done, Some(_)) => vec![
                "scanned for queues:".into(),
                format!("every key, in {} requests", self.sent),
            ],
            (Phase::Failed(e), _) => vec![
                format!("scan for queues failed: {e}"),
                "· s tries again".into(),
            ],
            (_, None) => return None,
        };
        Some((parts, false))
    }
}
