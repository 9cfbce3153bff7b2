//! `d`: the key is read first (type, size, TTL, whether undo can keep it),
//! then the question; a yes deletes it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Modal, Waiting};
use crate::edit::{Deletion, Undo};
use crate::jobs::{Done, Job};
use crate::tui::app::keyops::forms;
use crate::tui::msg::{Effect, ReqId};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::text::escape;
use crate::tui::widgets::dialog::{Dialog, Reply};
use crate::upstash::Error;

/// The delete dialog of one key.
#[derive(Debug)]
pub struct Delete {
    modal: Modal,
    /// What a yes deletes, once read.
    deletion: Option<Deletion>,
}

impl Delete {
    /// Opens on `key`, reading it first.
    pub fn open(key: Vec<u8>, ctx: &mut Ctx) -> (Delete, Vec<Effect>) {
        let dialog = Dialog::confirm("Delete key", Vec::new());
        let (modal, effects) =
            Modal::sending(dialog, "reading the key…", Job::PrepareDelete(key), ctx);
        let delete = Delete {
            modal,
            deletion: None,
        };
        (delete, effects)
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }
}

impl Component for Delete {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match self.modal.key(key, ctx) {
            Reply::Chose | Reply::Nothing => Outcome::used(),
            Reply::Cancel => Outcome::ask(Request::Close),
            Reply::Submit => match self.deletion.clone() {
                Some(deletion) => self.modal.send(Job::Delete(deletion), "deleting…", ctx),
                None => Outcome::used(),
            },
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.modal.draw(frame, area, view);
    }
}

impl Waiting for Delete {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        match done {
            Done::Prepared(deletion) => match deletion.keys.first() {
                Some(info) if info.kind != "none" => {
                    self.modal.dialog = forms::confirm_delete(info, deletion.undo);
                    self.deletion = Some(deletion.clone());
                    Outcome::used()
                }
                _ => Outcome::close("the key no longer exists", true),
            },
            Done::Deleted { keys, removed } => {
                let undo = self
                    .deletion
                    .as_ref()
                    .is_some_and(|d| matches!(d.undo, Undo::Available { .. }));
                let name = keys.first().map(|k| escape(k)).unwrap_or_default();
                let text = match (removed, undo) {
                    (0, _) => format!("{name} was already gone"),
                    (_, true) => format!("deleted {name} (u undoes)"),
                    (_, false) => format!("deleted {name}"),
                };
                Outcome::close(text, false)
            }
            _ => Outcome::used(),
        }
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        self.modal.failed(error, self.deletion.is_some())
    }
}
