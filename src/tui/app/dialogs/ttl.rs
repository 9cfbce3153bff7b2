//! `T`: the form that sets or removes a key's TTL, showing the TTL now.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Modal, Waiting};
use crate::jobs::{Done, Job};
use crate::tui::app::keyops::forms;
use crate::tui::msg::ReqId;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::text::{escape, ttl};
use crate::tui::widgets::dialog::{Dialog, Reply};
use crate::upstash::Error;

/// The TTL dialog of one key.
#[derive(Debug)]
pub struct Ttl {
    key: Vec<u8>,
    modal: Modal,
}

impl Ttl {
    /// The form for `key`, whose TTL is `current_ms` when it is known.
    pub fn new(key: Vec<u8>, current_ms: Option<i64>) -> Ttl {
        Ttl {
            modal: Modal::new(forms::ttl_form(&key, current_ms)),
            key,
        }
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }
}

impl Component for Ttl {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match self.modal.key(key, ctx) {
            Reply::Chose | Reply::Nothing => Outcome::used(),
            Reply::Cancel => Outcome::ask(Request::Close),
            Reply::Submit => match forms::read_ttl(&self.modal.dialog) {
                Ok(ttl) => {
                    let op = Job::Ttl {
                        key: self.key.clone(),
                        ttl,
                    };
                    self.modal.send(op, "setting the TTL…", ctx)
                }
                Err(e) => self.modal.wrong(e),
            },
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

impl Waiting for Ttl {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        match done {
            Done::TtlSet { key, ttl_ms } => {
                Outcome::close(format!("TTL of {} is {}", escape(key), ttl(*ttl_ms)), false)
            }
            _ => Outcome::used(),
        }
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        self.modal.failed(error, true)
    }
}
