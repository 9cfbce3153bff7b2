//! What the panes and dialogs ask of the App: an outcome's notice, then
//! its requests in order, each one carried out here where every pane is
//! in reach.

use super::dialogs::{ask::Ask, edit::Edit, filter::Filter, search::Search};
use super::{App, Mode};
use crate::tui::msg::Effect;
use crate::tui::panes::{Ctx, Outcome, Pane, Request, Used};

impl App {
    /// Shows an outcome's notice and carries out its requests; returns
    /// every effect to run.
    pub(super) fn follow(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Used {
            mut effects,
            notice,
            requests,
        } = outcome.into_used();
        if let Some(notice) = notice {
            self.notice = Some(notice);
        }
        for request in requests {
            effects.extend(self.request(request));
        }
        effects
    }

    fn request(&mut self, request: Request) -> Vec<Effect> {
        match request {
            Request::Close => self.mode = Mode::Normal,
            Request::Run(command) => return self.run(command),
            Request::Focus { back } => self.focus = self.focus.cycle(back),
            Request::Leave => self.focus = Pane::Keys,
            Request::ClearNotice => self.notice = None,
            Request::Rescan => return self.with_ids(|k, ids| k.rescan(ids)),
            Request::Open { key, kind } => return self.open_key(&key, kind),
            Request::Filter => {
                let current = self.keys.pattern().map(String::from_utf8_lossy);
                self.mode = Mode::Filter(Filter::new(current.map(|c| c.into_owned())));
            }
            Request::SetPattern(pattern) => {
                self.notice = None;
                return self.with_ids(|k, ids| k.set_pattern(&pattern, ids));
            }
            Request::FilterKeys(pattern) => {
                self.screens.clear();
                self.focus = Pane::Keys;
                self.notice = None;
                return self.with_ids(|k, ids| k.set_pattern_bytes(&pattern, ids));
            }
            Request::Search => {
                let previous = self.value.session().and_then(|s| s.needle());
                let previous = previous.map(|n| String::from_utf8_lossy(n).into_owned());
                self.mode = Mode::Search(Search::new(previous, self.value.search_title()));
            }
            Request::Find(needle) => {
                let req = self.req();
                let effects = self.value.search(&needle, req);
                self.ask_walk();
                return effects;
            }
            Request::Watch { key, kind } => {
                self.toggle_watch_key(&key, kind);
                return self.monitor.soon().into_iter().collect();
            }
            Request::Ask(question) => {
                let cap = self.cost.ask_above().unwrap_or_default();
                self.mode = Mode::Ask(Box::new(Ask::new(question, cap)));
            }
            Request::FullScan => {
                let facts = self.facts();
                let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
                let outcome = self.keys.scan_more(true, &mut ctx);
                return self.follow(outcome);
            }
            Request::GoOn => {
                let req = self.req();
                return self.value.go_on(req);
            }
            Request::HoldOff => {
                self.value.hold_off();
                self.value_notice();
            }
            Request::Edit(mut form, external) => {
                if self.drafts.take_into(&mut form) {
                    form.note =
                        Some("your unsaved text from before is back (Esc keeps it again)".into());
                }
                let facts = self.facts();
                let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
                let (edit, effects) = Edit::open(*form, external, &mut ctx);
                self.mode = Mode::Edit(Box::new(edit));
                return effects;
            }
            Request::Draft(form) => {
                self.drafts.keep(&form);
            }
            Request::Written(key) => return self.after_write(&key),
            Request::WriteFailed(error) => self.write_failed(&error),
            Request::Save(prompt) => self.mode = Mode::Save(prompt),
        }
        Vec::new()
    }

    /// Opens `key` in the Value pane: at once from what was fetched ahead,
    /// or by asking for it.
    pub(super) fn open_key(&mut self, key: &[u8], kind: Option<crate::value::Kind>) -> Vec<Effect> {
        if let Some(effects) = self.open_prefetched(key, kind.clone()) {
            return effects;
        }
        let req = self.req();
        vec![self.value.open(key, kind, req)]
    }

    /// Reloads the Value pane and the Keys row after the key may have changed.
    pub(super) fn after_write(&mut self, key: &[u8]) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.value.key() == Some(key) {
            let req = self.req();
            effects.extend(self.value.reload(req));
        }
        self.keys.forget_detail(key);
        effects.push(Effect::DebounceRows);
        effects
    }
}
