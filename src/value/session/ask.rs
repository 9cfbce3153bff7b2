//! Walks that ask first: with a cap set (the frugal profile), a walk whose
//! requests could exceed it is held until the user says yes, with the
//! estimate to decide on. Every walk (`G` through a scan, a search, `n`, a
//! filtered list growing) starts in [`Session::start_seek`], so one check
//! there covers them all.

use super::super::human;
use super::super::page::PageReq;
use super::seek::WALK_ROWS;
use super::{Fetch, Goal, Id, Session};

/// A walk waiting for the user's yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Held {
    goal: Goal,
    req: PageReq,
    replace: bool,
    /// The most requests (one command each) it may take, when known.
    estimate: Option<u64>,
}

impl Session {
    /// Makes walks estimated above `cap` requests wait for [`Session::go_on`]
    /// (`None`: never ask).
    pub fn set_ask_above(&mut self, cap: Option<u64>) {
        self.ask_above = cap;
    }

    /// Holds the walk instead of starting it when it may cost more than the
    /// cap; true when it was held.
    pub(super) fn hold(&mut self, goal: Goal, req: &PageReq, replace: bool) -> bool {
        let Some(cap) = self.ask_above else {
            return false;
        };
        let estimate = self.walk_estimate(goal);
        if estimate.is_some_and(|n| n <= cap) {
            return false;
        }
        self.held = Some(Held {
            goal,
            req: req.clone(),
            replace,
            estimate,
        });
        true
    }

    /// The question for a held walk: what it is, and what it may cost.
    pub fn asking(&self) -> Option<(String, String)> {
        let held = self.held.as_ref()?;
        let what = match held.goal {
            Goal::End => "G reads the rest of the scan:",
            Goal::Rows(_) => "the search reads the key until a match:",
            Goal::Find { .. } => "the search reads the key page by page:",
        };
        let cost = match held.estimate {
            Some(n) => format!(
                "up to {} requests ({} commands)",
                human::count(n),
                human::count(n)
            ),
            None => "an unknown number of requests (its length is not known)".to_owned(),
        };
        Some((what.to_owned(), cost))
    }

    /// Starts the held walk (the user said yes); later walks on this key do
    /// not ask again.
    pub fn go_on(&mut self, id: Id) -> Option<Fetch> {
        let Held {
            goal, req, replace, ..
        } = self.held.take()?;
        self.ask_above = None;
        self.start_seek(goal, req, replace, id)
    }

    /// Drops the held walk (the user said no).
    pub fn hold_off(&mut self) -> bool {
        let held = self.held.take().is_some();
        if held {
            self.say("not sent: the walk was not confirmed", false);
        }
        held
    }

    /// The most requests a walk toward `goal` may take from here: the
    /// elements not yet read over [`WALK_ROWS`] per request (a filtered scan
    /// may read them all); `None` when the length is not known.
    fn walk_estimate(&self, goal: Goal) -> Option<u64> {
        let total = self.header.as_ref()?.len?;
        let read = match goal {
            // Unfiltered: the loaded rows are behind the walk.
            Goal::End if !self.filtered() => self.window_start() + self.len() as u64,
            Goal::Find { back: true } => total.saturating_sub(self.window_start()),
            Goal::Find { back: false } => self.window_start() + self.len() as u64,
            _ => 0,
        };
        Some(total.saturating_sub(read).div_ceil(WALK_ROWS as u64).max(1))
    }
}
