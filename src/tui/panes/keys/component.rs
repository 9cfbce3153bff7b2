//! The Keys pane's side of the one contract: moving, folding, scanning, and
//! what it hands to the App with what it needs (open, filter, watch, the
//! frugal profile's question before `L`).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{State, view};
use crate::scan::Status;
use crate::tui::msg::{Action, Effect};
use crate::tui::panes::{Component, Ctx, Outcome, Question, Request, Then, View, value};
use crate::value::human::count;

/// Why `w` on a folder does nothing.
const WATCH_FOLDER: &str =
    "w watches one key's length: open the folder (l) and select a list, set, zset, hash or stream";

impl Component for State {
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        let page = view::list_height(ctx.area).max(1) as isize;
        match action {
            Action::Up => self.moved(-1),
            Action::Down => self.moved(1),
            Action::PageUp => self.moved(-page),
            Action::PageDown => self.moved(page),
            Action::Top => self.moved(isize::MIN / 2),
            Action::Bottom => self.moved(isize::MAX / 2),
            Action::Open => match self.selected_key() {
                Some(key) => Outcome::ask(Request::Open {
                    key: key.to_vec(),
                    kind: self.selected_kind().and_then(value::known_kind),
                }),
                None => self.folded(None),
            },
            Action::Expand => self.folded(Some(true)),
            Action::Collapse => self.folded(Some(false)),
            Action::Toggle => self.folded(None),
            Action::ToggleView => {
                self.toggle_layout();
                Outcome::run([Effect::DebounceRows])
            }
            Action::Filter => Outcome::ask(Request::Filter),
            Action::CycleType => Outcome::run(self.cycle_kind(&mut || ctx.req())),
            Action::Rescan => Outcome::run(self.rescan(&mut || ctx.req())),
            Action::FullScan => match self.full_scan_question(ctx.ask_above) {
                Some(question) => Outcome::ask(Request::Ask(question)),
                None => self.scan_more(true, ctx),
            },
            Action::ContinueScan => self.scan_more(false, ctx),
            Action::Watch => match self.selected_key() {
                Some(key) => Outcome::ask(Request::Watch {
                    key: key.to_vec(),
                    kind: self.selected_kind(),
                }),
                None if self.selected_folder().is_some() => Outcome::say(WATCH_FOLDER, true),
                None => Outcome::say("no key selected to watch", true),
            },
            // Esc stops the scan, which is the App's (the Monitor's scan
            // for queues may stop instead).
            Action::Cancel => Outcome::NotMine,
            // The other panes' verbs mean nothing here.
            _ => Outcome::used(),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        frame.render_widget(
            view::View {
                state: self,
                theme: view.theme,
                focused: view.focused,
            },
            area,
        );
    }
}

impl State {
    /// Moves the selection; rows scrolled into view get their details.
    fn moved(&mut self, delta: isize) -> Outcome {
        let before = self.offset();
        self.move_by(delta);
        if self.offset() != before {
            Outcome::run([Effect::DebounceRows])
        } else {
            Outcome::used()
        }
    }

    fn folded(&mut self, open: Option<bool>) -> Outcome {
        self.fold(open);
        Outcome::run([Effect::DebounceRows])
    }

    /// `c` or `L`: the scan goes on, or the status bar says why it cannot.
    pub fn scan_more(&mut self, full: bool, ctx: &mut Ctx) -> Outcome {
        let effects = if full {
            self.full_scan(&mut || ctx.req())
        } else {
            self.continue_scan(&mut || ctx.req())
        };
        match self.why_not_more(full) {
            Some(why) if effects.is_empty() => Outcome::say(why, false),
            _ => Outcome::run(effects),
        }
    }

    /// `L` in the frugal profile (asking above `cap` commands): the
    /// question when the rest of the scan may cost more than that.
    fn full_scan_question(&self, cap: Option<u64>) -> Option<Question> {
        let cap = cap?;
        let scan = self.scan().filter(|s| s.status() != Status::Done)?;
        let left = self
            .dbsize()
            .and_then(|n| u64::try_from(n).ok())
            .map(|n| n.saturating_sub(scan.examined()));
        let estimate = left.map(|n| scan.requests_for(n).max(1));
        if estimate.is_some_and(|n| n <= cap) {
            return None;
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
        Some(Question {
            title: "Full scan".into(),
            what: "L reads every key of the database:".into(),
            cost,
            then: Then::FullScan,
        })
    }
}
