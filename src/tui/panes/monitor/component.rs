//! The Monitor pane's side of the one contract: scrolling, watching the
//! suggested queues, and the scan for queues with its question.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::sweep::Phase;
use super::{State, view};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::msg::Action;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View, scroll_lines};

impl Component for State {
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        match action {
            Action::WatchSuggested => {
                let n = self.watch_suggested();
                Outcome::say(format!("watching {n} suggested keys"), false).effects(self.soon())
            }
            Action::ScanQueues => self.scan_queues(ctx),
            Action::Cancel => self.stop_sweep(),
            other => {
                let page = ctx.area.height.saturating_sub(2).max(1) as isize;
                if let Some(lines) = scroll_lines(other, page) {
                    self.scroll_within(lines, ctx.area);
                }
                Outcome::used()
            }
        }
    }

    /// The answer to the scan for queues' question, read in the `[dialog]`
    /// keymap section: confirm (`y`, Enter) scans, cancel (`n`, Esc) does not.
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        if !self.sweep.asking() {
            return Outcome::NotMine;
        }
        match ctx.action(Context::Dialog, &key) {
            Some(Action::Confirm) => {
                let req = ctx.req();
                let effects = self.sweep.confirm(ctx.server_types, req);
                Outcome::say("scanning for queues: Esc stops", false).effects(effects)
            }
            Some(Action::Cancel) => {
                self.sweep.cancel();
                Outcome::ask(Request::ClearNotice)
            }
            _ => Outcome::NotMine,
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
    /// Scrolls by `lines` within the content shown in `area`.
    pub fn scroll_within(&mut self, lines: isize, area: Rect) {
        let total = view::content_height(self, area.width.saturating_sub(2));
        let max = total.saturating_sub(area.height.saturating_sub(2));
        self.scroll(lines, max as usize);
    }

    /// Esc: stops the scan for queues; not the Monitor's when it was not running.
    pub fn stop_sweep(&mut self) -> Outcome {
        if self.sweep.stop() {
            Outcome::say("scan for queues stopped (s goes on)", false)
        } else {
            Outcome::NotMine
        }
    }

    /// `s`: shows what the scan for queues will cost (after a DBSIZE, if
    /// the size is not known) and asks.
    fn scan_queues(&mut self, ctx: &mut Ctx) -> Outcome {
        if self.sweep.running() {
            return Outcome::say("the scan for queues is running (Esc stops it)", false);
        }
        let facts = self.engine().facts().dbsize;
        let dbsize = facts.and_then(|n| u64::try_from(n).ok()).or(ctx.dbsize);
        let req = ctx.req();
        let effects = self.sweep.ask(dbsize, req);
        Outcome::run(effects).maybe_notice(self.cost_notice(ctx.keymap()))
    }

    /// The scan for queues' question (or failure) for the status bar too:
    /// a small Monitor may show only its first lines. The answers are
    /// spelled as `keymap` binds them.
    pub fn cost_notice(&self, keymap: Option<&Keymap>) -> Option<(String, bool)> {
        let key = |a, default: &str| {
            keymap
                .and_then(|k| k.label(Context::Dialog, a, 1))
                .unwrap_or_else(|| default.to_owned())
        };
        match self.sweep.phase() {
            Phase::Asking(c) => Some((
                format!(
                    "scan for queues: ~{} requests, {} commands? {}/{}",
                    c.requests,
                    c.commands,
                    key(Action::Confirm, "y"),
                    key(Action::Cancel, "n")
                ),
                false,
            )),
            Phase::Failed(e) => Some((format!("scan for queues: {e}"), true)),
            _ => None,
        }
    }
}
