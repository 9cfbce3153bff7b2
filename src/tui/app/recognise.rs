//! The App's side of the recognisers: every key the Keys pane meets is
//! offered to them (no command is sent for that), their reads go out one
//! pipeline at a time, and the Monitor's scan for queues, once its cost is
//! shown and accepted (in the Monitor pane), feeds them pages of its own.

use std::time::Duration;

use super::App;
use crate::recognise::{Seen, page};
use crate::scan;
use crate::tui::msg::Effect;
use crate::tui::panes::monitor::sweep::Phase;
use crate::upstash::{Error, Reply};

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

    /// Takes DBSIZE if the scan for queues asked for it; returns whether it did.
    pub(super) fn sweep_counted(&mut self, req: u64, result: &Result<i64, Error>) -> bool {
        let mine = self.monitor.sweep.on_counted(req, result);
        if let Some((text, error)) = self
            .monitor
            .cost_notice(Some(&self.keymap))
            .filter(|_| mine)
        {
            self.say(&text, error);
        }
        mine
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
            kind: f.kind.as_ref().map(crate::value::Kind::name),
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
