//! The dialogs, one type and file each, owning their state, keys and
//! drawing; the App holds the open one in [`super::Mode`]. The key-level
//! ones send one operation to the editor and take its answer
//! ([`Waiting`]); the Keys pane follows in the App, without a rescan.

pub mod ask;
pub mod bulk;
pub mod create;
pub mod delete;
pub mod edit;
pub mod filter;
pub mod rename;
pub mod search;
pub mod trash;
pub mod ttl;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::jobs::{Done, Job, Progress};
use crate::tui::msg::{Effect, ReqId};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::widgets::dialog::{self, Dialog, Reply};
use crate::upstash::Error;

/// A dialog that sent a key-level operation and takes its answers.
pub trait Waiting: Component {
    /// The request it waits for, if any.
    fn waiting(&self) -> Option<ReqId>;

    /// The request went on (a bulk delete's batch).
    fn on_progress(&mut self, _progress: &Progress) {}

    /// The request's answer.
    fn on_done(&mut self, done: &Done, ctx: &mut Ctx) -> Outcome;

    /// That request failed.
    fn on_failed(&mut self, error: &Error, ctx: &mut Ctx) -> Outcome;
}

/// A dialog box and the request it waits for.
#[derive(Debug)]
pub struct Modal {
    pub dialog: Dialog,
    waiting: Option<ReqId>,
    /// The form a question stands in front of; No goes back to it.
    form: Option<Box<Dialog>>,
}

impl Modal {
    /// A box that waits for nothing yet.
    pub fn new(dialog: Dialog) -> Modal {
        Modal {
            dialog,
            waiting: None,
            form: None,
        }
    }

    /// A box that shows `what` until `op` answers, and the effect sending it.
    pub fn sending(dialog: Dialog, what: &str, op: Job, ctx: &mut Ctx) -> (Modal, Vec<Effect>) {
        let mut modal = Modal::new(dialog);
        let effects = modal.send(op, what, ctx).into_used().effects;
        (modal, effects)
    }

    /// Shows `question` in front of the form, which stays as typed.
    pub fn ask_over(&mut self, question: Dialog) {
        let form = std::mem::replace(&mut self.dialog, question);
        self.form = Some(Box::new(form));
    }

    /// Esc or No: back to the form behind the question; false when there
    /// is no question, and the dialog closes.
    pub fn back(&mut self) -> bool {
        match self.form.take() {
            Some(form) => {
                self.dialog = *form;
                true
            }
            None => false,
        }
    }

    /// The request it waits for.
    pub fn waiting(&self) -> Option<ReqId> {
        self.waiting
    }

    /// Sends `op`; the box shows `what` until it answers.
    pub fn send(&mut self, op: Job, what: &str, ctx: &mut Ctx) -> Outcome {
        let req = ctx.req();
        self.waiting = Some(req);
        self.dialog.busy = Some(what.to_owned());
        self.dialog.error = None;
        Outcome::run([Effect::Job { req, job: op }])
    }

    /// The failure of what it sent, in the box: a write whose answer was
    /// lost may have happened, and saying so keeps the user from repeating
    /// it blindly. A refusal also turns read-only mode on.
    pub fn failed(&mut self, error: &Error, writes: bool) -> Outcome {
        self.dialog.busy = None;
        self.dialog.error = Some(if writes && crate::edit::may_have_run(error) {
            format!("{error}: it may have been done; r rescans to see before trying again")
        } else {
            error.to_string()
        });
        refused(error)
    }

    /// Shows `error` in the box, keeping what was typed.
    pub fn wrong(&mut self, error: String) -> Outcome {
        self.dialog.error = Some(error);
        Outcome::used()
    }

    /// Hands the box a key, read in its keymap section (`dialog` or `form`).
    pub fn key(&mut self, key: KeyEvent, ctx: &Ctx) -> Reply {
        let action = ctx.action(self.dialog.context(), &key);
        self.dialog.on_key(action, key)
    }

    /// Draws the box centred on `screen`, with the cursor in its input.
    pub fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        if let Some(at) = self.dialog.cursor(self.dialog.area(screen)) {
            frame.set_cursor_position(at);
        }
        frame.render_widget(
            dialog::View {
                dialog: &self.dialog,
                theme: view.theme,
                keymap: view.keymap,
            },
            screen,
        );
    }
}

/// Used; a refused write also turns read-only mode on.
pub fn refused(error: &Error) -> Outcome {
    if error.is_write_refused() {
        Outcome::ask(Request::WriteFailed(error.clone()))
    } else {
        Outcome::used()
    }
}
