//! `R`: the rename form, and the question before renaming over a key that
//! exists; No goes back to the form.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Modal, Waiting};
use crate::edit::Overwrite;
use crate::jobs::{Done, Job};
use crate::tui::app::keyops::forms;
use crate::tui::msg::ReqId;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::text::escape;
use crate::tui::widgets::dialog::{Dialog, Reply};
use crate::upstash::Error;

/// The rename dialog of one key.
#[derive(Debug)]
pub struct Rename {
    from: Vec<u8>,
    modal: Modal,
    /// The existing key a yes renames over, and how.
    over: Option<(Vec<u8>, Overwrite)>,
}

impl Rename {
    /// The form, prefilled with `from`'s name.
    pub fn new(from: Vec<u8>) -> Rename {
        Rename {
            modal: Modal::new(forms::rename(&from)),
            from,
            over: None,
        }
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }

    /// Whether it asks before renaming over an existing key.
    pub fn asks_to_replace(&self) -> bool {
        self.over.is_some()
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Outcome {
        let (to, overwrite) = match &self.over {
            Some((to, overwrite)) => (to.clone(), *overwrite),
            None => match forms::read_rename(&self.modal.dialog, &self.from) {
                Ok(to) => (to, Overwrite::Never),
                Err(e) => return self.modal.wrong(e),
            },
        };
        let op = Job::Rename {
            from: self.from.clone(),
            to,
            overwrite,
        };
        self.modal.send(op, "renaming…", ctx)
    }
}

impl Component for Rename {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match self.modal.key(key, ctx) {
            Reply::Chose | Reply::Nothing => Outcome::used(),
            Reply::Cancel if self.modal.back() => {
                self.over = None;
                Outcome::used()
            }
            Reply::Cancel => Outcome::ask(Request::Close),
            Reply::Submit => self.submit(ctx),
        }
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.paste(text);
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.modal.draw(frame, area, view);
    }
}

impl Waiting for Rename {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        match done {
            Done::TargetExists { info, undo } if self.over.is_none() => {
                self.modal
                    .ask_over(forms::confirm_replace("Rename over a key", info, *undo));
                self.over = Some((info.key.clone(), forms::overwrite_for(*undo)));
                Outcome::used()
            }
            Done::SourceMissing => self
                .modal
                .wrong("the key no longer exists; nothing was renamed".into()),
            Done::Renamed { from, to } => Outcome::close(
                format!("renamed {} to {} (u undoes)", escape(from), escape(to)),
                false,
            ),
            _ => Outcome::used(),
        }
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        self.modal.failed(error, true)
    }
}
