//! Answers that go to the open dialog: the edit form's write, read-back,
//! ReJSON probe and `$EDITOR`, and the save dialog's reports. An answer
//! for a dialog that is no longer open is dropped (a save's end is still
//! news).

use std::path::Path;

use super::{App, Mode};
use crate::edit::{Now, Outcome as Written};
use crate::tui::msg::{Effect, ReqId};
use crate::tui::panes::value::save;
use crate::tui::panes::{Ctx, Outcome};
use crate::upstash::Error;
use crate::value::save::Report;

impl App {
    /// A checked write from the edit form came back.
    pub(super) fn on_edited(
        &mut self,
        req: ReqId,
        result: Result<Written, Error>,
        undo: bool,
    ) -> Vec<Effect> {
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
        let outcome = match &mut self.mode {
            Mode::Edit(edit) => edit.on_edited(req, result, undo, &mut ctx),
            _ => Outcome::NotMine,
        };
        self.follow(outcome)
    }

    /// What the server holds after a write whose answer was lost.
    pub(super) fn on_read_back(&mut self, req: ReqId, result: Result<Now, Error>) -> Vec<Effect> {
        let outcome = match &mut self.mode {
            Mode::Edit(edit) => edit.on_read_back(req, result),
            _ => Outcome::NotMine,
        };
        self.follow(outcome)
    }

    /// Whether the database has ReJSON, for the document's edit form.
    pub(super) fn on_json_probed(
        &mut self,
        req: ReqId,
        result: Result<bool, Error>,
    ) -> Vec<Effect> {
        let outcome = match &mut self.mode {
            Mode::Edit(edit) => edit.on_json_probed(req, result),
            _ => Outcome::NotMine,
        };
        self.follow(outcome)
    }

    /// `$EDITOR` closed.
    pub(super) fn on_external(&mut self, result: Result<Vec<u8>, String>) -> Vec<Effect> {
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
        let outcome = match &mut self.mode {
            Mode::Edit(edit) => edit.on_external(result, &mut ctx),
            _ => Outcome::NotMine,
        };
        self.follow(outcome)
    }

    /// Saving a value to a file went on or ended. A failure's whole reason
    /// also goes to the status bar: the dialog may be narrow.
    pub(super) fn on_saved(&mut self, path: &Path, report: Report) -> Vec<Effect> {
        let failed = match &report {
            Report::Failed(why) => Some(why.clone()),
            _ => None,
        };
        let outcome = match &mut self.mode {
            Mode::Save(prompt) => prompt.on_report(path, report),
            _ => save::orphan(path, report),
        };
        let outcome = match failed {
            Some(why) => outcome.notice(why, true),
            None => outcome,
        };
        self.follow(outcome)
    }
}
