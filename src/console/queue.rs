//! The console's commands go out one at a time, in the order they were
//! entered, as redis-cli sends them: lines typed (or pasted without
//! brackets) while an earlier one waits for its reply wait their turn, so a
//! `SET` is never overtaken by the `GET` after it. When a request fails as
//! a whole (network, timeout), the waiting ones are not sent.

use std::collections::VecDeque;

use super::input::Argv;
use super::scrollback::EntryId;

/// Commands waiting for the one in flight.
#[derive(Debug, Default)]
pub struct Queue {
    in_flight: Option<EntryId>,
    waiting: VecDeque<(EntryId, Vec<Argv>)>,
}

impl Queue {
    /// `cmds` to send now (nothing in flight), or `None` when they wait their turn.
    pub fn push(&mut self, entry: EntryId, cmds: Vec<Argv>) -> Option<(EntryId, Vec<Argv>)> {
        if self.in_flight.is_none() {
            self.in_flight = Some(entry);
            return Some((entry, cmds));
        }
        self.waiting.push_back((entry, cmds));
        None
    }

    /// The reply to `entry` arrived: the next commands to send, if any.
    pub fn done(&mut self, entry: EntryId) -> Option<(EntryId, Vec<Argv>)> {
        if self.in_flight != Some(entry) {
            return None;
        }
        self.in_flight = None;
        let (next, cmds) = self.waiting.pop_front()?;
        self.in_flight = Some(next);
        Some((next, cmds))
    }

    /// The request for `entry` failed: forgets the waiting ones, which are returned.
    pub fn failed(&mut self, entry: EntryId) -> Vec<EntryId> {
        if self.in_flight != Some(entry) {
            return Vec::new();
        }
        self.in_flight = None;
        self.waiting.drain(..).map(|(e, _)| e).collect()
    }

    /// How many entries wait behind the one in flight.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}
