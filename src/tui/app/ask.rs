//! The frugal profile's questions: an action estimated to send more
//! commands than the profile allows shows its estimate and waits for a yes.
//! `L` asks here; the Value pane's walks are held by their session and
//! asked here; the Console asks in its own confirmation box.

use crossterm::event::KeyEvent;

use super::{App, Mode};
use crate::config::Cost;
use crate::scan::Status;
use crate::tui::msg::{Action, Effect};
use crate::tui::widgets::dialog::{Dialog, Reply};
use crate::value::human::count;

/// A question before a costly action, and what a yes runs.
#[derive(Debug)]
pub struct Ask {
    pub dialog: Dialog,
    pub then: Then,
}

/// What waits for the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// `L`: scan to the end.
    FullScan,
    /// The Value pane's held walk.
    Walk,
}

impl App {
    /// Sets how freely commands are spent: the prefetch, and the questions
    /// of the Value pane, the Console and `L`.
    pub fn set_cost(&mut self, cost: Cost) {
        self.cost = cost;
        self.value.set_ask_above(cost.ask_above());
        self.console.set_ask_above(cost.ask_above());
        if !cost.prefetch() {
            self.prefetch.forget();
        }
    }

    /// `L` in the frugal profile: asks first when the rest of the scan may
    /// cost more than the profile allows; true when it asked.
    pub(super) fn ask_full_scan(&mut self) -> bool {
        let Some(cap) = self.cost.ask_above() else {
            return false;
        };
        let Some(scan) = self.keys.scan().filter(|s| s.status() != Status::Done) else {
            return false;
        };
        let left = self
            .keys
            .dbsize()
            .and_then(|n| u64::try_from(n).ok())
            .map(|n| n.saturating_sub(scan.examined()));
        let estimate = left.map(|n| scan.requests_for(n).max(1));
        if estimate.is_some_and(|n| n <= cap) {
            return false;
        }
        let cost = match (estimate, left) {
            (Some(1), Some(left)) => {
                format!(
                    "about 1 SCAN request (1 command), {} keys left",
                    count(left)
                )
            }
            (Some(n), Some(left)) => format!(
                "about {} SCAN requests ({} commands), {} keys left",
                count(n),
                count(n),
                count(left)
            ),
            _ => "an unknown number of SCAN requests (DBSIZE is not known)".to_owned(),
        };
        self.ask(
            "Full scan",
            "L reads every key of the database:",
            cost,
            Then::FullScan,
        );
        true
    }

    /// Asks about the walk the Value pane holds, if it holds one.
    pub(super) fn ask_walk(&mut self) {
        if let Some((what, cost)) = self.value.asking() {
            self.ask("Read on?", &what, cost, Then::Walk);
        }
    }

    fn ask(&mut self, title: &str, what: &str, cost: String, then: Then) {
        let cap = self.cost.ask_above().unwrap_or_default();
        let lines = vec![
            what.to_owned(),
            cost,
            format!("(frugal profile: asks above {} commands)", count(cap)),
        ];
        self.mode = Mode::Ask(Box::new(Ask {
            dialog: Dialog::confirm(title, lines),
            then,
        }));
    }

    /// A key while a question is open: yes runs the action, no drops it.
    pub(super) fn on_ask_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Ask(ask) = &mut self.mode else {
            return Vec::new();
        };
        let action = self.keymap.action(ask.dialog.context(), &key);
        let reply = ask.dialog.on_key(action, key);
        let then = ask.then;
        match reply {
            Reply::Submit => {
                self.mode = Mode::Normal;
                match then {
                    Then::FullScan => self.scan_more(Action::FullScan),
                    Then::Walk => {
                        let req = self.req();
                        self.value.go_on(req)
                    }
                }
            }
            Reply::Cancel => {
                self.mode = Mode::Normal;
                match then {
                    Then::FullScan => self.say("not sent: the full scan was not confirmed", false),
                    Then::Walk => {
                        self.value.hold_off();
                        self.value_notice();
                    }
                }
                Vec::new()
            }
            Reply::Chose | Reply::Nothing => Vec::new(),
        }
    }
}
