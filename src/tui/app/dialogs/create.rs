//! `n`: the new-key form (name, type, first content, TTL), and the question
//! before replacing a key that exists already; No goes back to the form.

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

/// The new-key dialog.
#[derive(Debug)]
pub struct Create {
    modal: Modal,
    /// What a yes to the replace question sends.
    replace: Option<Job>,
}

impl Create {
    /// The form, its name prefilled with `prefix` (the selected folder).
    pub fn new(prefix: &[u8]) -> Create {
        Create {
            modal: Modal::new(forms::create(prefix)),
            replace: None,
        }
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }

    /// Whether it asks before replacing an existing key.
    pub fn asks_to_replace(&self) -> bool {
        self.replace.is_some()
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Outcome {
        if let Some(op) = self.replace.clone() {
            return self.modal.send(op, "replacing…", ctx);
        }
        match forms::read_create(&self.modal.dialog) {
            Ok((key, first, ttl)) => {
                let op = Job::Create {
                    key,
                    first,
                    ttl,
                    overwrite: Overwrite::Never,
                };
                self.modal.send(op, "creating…", ctx)
            }
            Err(e) => self.modal.wrong(e),
        }
    }
}

impl Component for Create {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match self.modal.key(key, ctx) {
            Reply::Chose => {
                if self.replace.is_none() {
                    forms::sync_create(&mut self.modal.dialog);
                }
                Outcome::used()
            }
            Reply::Nothing => Outcome::used(),
            Reply::Cancel if self.modal.back() => {
                self.replace = None;
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

impl Waiting for Create {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        match done {
            Done::Exists { info, undo } if self.replace.is_none() => {
                if let Ok((key, first, ttl)) = forms::read_create(&self.modal.dialog) {
                    self.modal
                        .ask_over(forms::confirm_replace("Replace key", info, *undo));
                    self.replace = Some(Job::Create {
                        key,
                        first,
                        ttl,
                        overwrite: forms::overwrite_for(*undo),
                    });
                }
                Outcome::used()
            }
            Done::Created { key, kind, .. } => {
                Outcome::close(format!("created {} ({kind})", escape(key)), false)
            }
            _ => Outcome::used(),
        }
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        self.modal.failed(error, true)
    }
}
