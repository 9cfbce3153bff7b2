//! The App's side of the recognisers: every key the Keys pane meets is
//! offered to them (no command is sent for that), their reads go out one
//! pipeline at a time, and the Monitor's scan for queues, once its cost is
//! shown and accepted, feeds them pages of its own.

use std::time::Duration;

use crossterm::event::KeyEvent;

use super::App;
use crate::recognise::{Seen, page};
use crate::scan::{self, Scan};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::panes::monitor::sweep::Phase;
use crate::upstash::{Error, Reply};

/// Whether `action` (of the `[dialog]` section) answers the scan for
/// queues' question: confirm (`y`, Enter) scans, cancel (`n`, Esc) does not.
pub(super) fn answers(action: Option<Action>) -> bool {
    matches!(action, Some(Action::Confirm | Action::Cancel))
}

impl App {
    /// Offers the keys of a Keys-pane reply to the recognisers; returns the
    /// reads they want then.
    pub(super) fn recognise_page(
        &mut self,
        request: &scan::Request,
        result: &Result<Vec<Reply>, Error>,
    ) -> Vec<Effect> {
        if let Ok(replies) = result {
            self.recognisers.offer(page::keys(request, replies));
        }
        self.recognise()
    }

    /// Offers a key written from the TUI (created, renamed to).
    pub(super) fn recognise_written(&mut self, key: &[u8], kind: Option<&str>) -> Vec<Effect> {
        self.recognisers.offer([Seen { key, kind }]);
        self.recognise()
    }

    /// Shows the recognisers' suggestions and sends the reads that wait, if
    /// none is in flight.
    pub(super) fn recognise(&mut self) -> Vec<Effect> {
        self.monitor.suggest(self.recognisers.suggestions());
        let Some(reads) = self.recognisers.reads() else {
            return Vec::new();
        };
        let words: Vec<String> = reads.cmds.iter().map(crate::recognise::words).collect();
        tracing::debug!("the recognisers read: {}", words.join("; "));
        vec![Effect::Recognise(reads)]
    }

    /// Takes the replies to the recognisers' reads. After a failure the
    /// reads wait for the next page, or for the server to answer a probe.
    pub(super) fn on_recognised(
        &mut self,
        reads: crate::recognise::Reads,
        result: Result<Vec<Reply>, Error>,
    ) -> Vec<Effect> {
        let failed = result.is_err();
        if let Err(e) = &result {
            tracing::info!("the recognisers' reads failed: {e}");
        }
        self.recognisers.answered(reads, result);
        if failed {
            self.monitor.suggest(self.recognisers.suggestions());
            return Vec::new();
        }
        self.recognise()
    }

    /// The database's size, from the Monitor's last reading or the Keys
    /// pane's.
    fn dbsize(&self) -> Option<u64> {
        let facts = self.monitor.engine().facts().dbsize;
        facts
            .or(self.keys.dbsize())
            .and_then(|n| u64::try_from(n).ok())
    }

    /// `s` in the Monitor: shows what the scan for queues will cost (after
    /// a DBSIZE, if the size is not known) and asks.
    pub(super) fn scan_queues(&mut self) -> Vec<Effect> {
        if self.monitor.sweep.running() {
            self.say("the scan for queues is running (Esc stops it)", false);
            return Vec::new();
        }
        let dbsize = self.dbsize();
        let req = self.req();
        let effects = self.monitor.sweep.ask(dbsize, req).into_iter().collect();
        self.say_cost();
        effects
    }

    /// Takes DBSIZE if the scan for queues asked for it; returns whether it did.
    pub(super) fn sweep_counted(&mut self, req: u64, result: &Result<i64, Error>) -> bool {
        let mine = self.monitor.sweep.on_counted(req, result);
        if mine {
            self.say_cost();
        }
        mine
    }

    /// The question in the status bar too: a small Monitor may show only
    /// its first lines.
    fn say_cost(&mut self) {
        match self.monitor.sweep.phase().clone() {
            Phase::Asking(c) => {
                let key = |a| self.keymap.label(Context::Dialog, a, 1).unwrap_or_default();
                let text = format!(
                    "scan for queues: ~{} requests, {} commands? {}/{}",
                    c.requests,
                    c.commands,
                    key(Action::Confirm),
                    key(Action::Cancel)
                );
                self.say(&text, false);
            }
            Phase::Failed(e) => self.say(&format!("scan for queues: {e}"), true),
            _ => {}
        }
    }

    /// The answer to the scan for queues' question.
    pub(super) fn on_sweep_answer(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.keymap.action(Context::Dialog, &key) == Some(Action::Confirm) {
            let types = self.keys.scan().and_then(Scan::server_types);
            let req = self.req();
            self.say("scanning for queues: Esc stops", false);
            return self.monitor.sweep.confirm(types, req).into_iter().collect();
        }
        self.monitor.sweep.cancel();
        self.notice = None;
        Vec::new()
    }

    /// Esc: stops the scan for queues; returns whether it was running.
    pub(super) fn stop_sweep(&mut self) -> bool {
        let stopped = self.monitor.sweep.stop();
        if stopped {
            self.say("scan for queues stopped (s goes on)", false);
        }
        stopped
    }

    /// Takes a page of the scan for queues: its keys go to the recognisers,
    /// and the next page is asked for.
    pub(super) fn on_swept(
        &mut self,
        req: u64,
        request: scan::Request,
        result: Result<Vec<Reply>, Error>,
        elapsed: Duration,
    ) -> Vec<Effect> {
        let was_running = self.monitor.sweep.running();
        let next = self.req();
        let (found, page) = self
            .monitor
            .sweep
            .on_page(req, &request, result, elapsed, next);
        self.recognisers.offer(found.iter().map(|f| Seen {
            key: &f.key,
            kind: f.kind.as_deref(),
        }));
        let mut effects: Vec<Effect> = page.into_iter().collect();
        effects.extend(self.recognise());
        match self.monitor.sweep.phase() {
            _ if !was_running => {}
            Phase::Done => {
                let n = self.recognisers.suggestions().len();
                let text = match n {
                    0 => "scan for queues done: no queues found".to_owned(),
                    n => format!(
                        "scan for queues done: {} suggested",
                        crate::tui::text::count(n as u64, "key", "keys")
                    ),
                };
                self.say(&text, false);
            }
            Phase::Failed(e) => {
                let text = format!("scan for queues failed: {e}");
                self.say(&text, true);
            }
            _ => {}
        }
        effects
    }
}
