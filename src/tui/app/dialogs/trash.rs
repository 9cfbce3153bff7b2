//! `U`: the undo list, what the session trash can still restore, newest
//! first, with when and how much; Enter or `u` restores the chosen one.

use std::time::{Duration, SystemTime};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Modal, Waiting};
use crate::edit::Item;
use crate::jobs::{Done, Job};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::widgets::dialog::{Dialog, Hint};
use crate::upstash::Error;

const TITLE: &str = "Undo list (newest first)";

/// The undo list.
#[derive(Debug)]
pub struct Trash {
    modal: Modal,
    /// The items' ids, in the order shown.
    ids: Vec<u64>,
}

impl Trash {
    /// Opens the list; the trash lives in the editor, so it is asked for.
    pub fn open(ctx: &mut Ctx) -> (Trash, Vec<Effect>) {
        let dialog = Dialog::confirm(TITLE, Vec::new());
        let (modal, effects) = Modal::sending(dialog, "reading the trash…", Job::ListTrash, ctx);
        let trash = Trash {
            modal,
            ids: Vec::new(),
        };
        (trash, effects)
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }

    /// Shows the trash's items.
    fn listed(&mut self, items: &[Item]) {
        let mut lines: Vec<String> = items
            .iter()
            .map(|item| {
                let ago = SystemTime::now()
                    .duration_since(item.at)
                    .map_or(0, |d| d.as_secs());
                let keys = match item.keys {
                    1 => "1 key".to_owned(),
                    n => format!("{n} keys"),
                };
                format!(
                    "  {} · {keys} · {} bytes · {} ago",
                    item.label,
                    item.bytes,
                    humantime::format_duration(Duration::from_secs(ago))
                )
            })
            .collect();
        if lines.is_empty() {
            lines.push("nothing to undo in this session".into());
        }
        let mut dialog = Dialog::confirm(TITLE, lines);
        dialog.hints = vec![
            Hint::new(Context::Trash, &[Action::Up, Action::Down], "choose"),
            Hint::new(Context::Trash, &[Action::Restore], "restore"),
            Hint::new(Context::Trash, &[Action::Cancel], "close"),
        ];
        self.modal = Modal::new(dialog);
        self.ids = items.iter().map(|i| i.id).collect();
        self.mark(0);
    }

    /// Marks row `at` as the chosen one.
    fn mark(&mut self, at: usize) {
        if self.ids.is_empty() {
            return;
        }
        for (i, line) in self.modal.dialog.lines.iter_mut().enumerate() {
            let rest = line.get(2..).unwrap_or_default().to_owned();
            *line = format!("{}{rest}", if i == at { "> " } else { "  " });
        }
        self.modal.dialog.focus = at;
    }

    /// Restores the chosen item.
    fn restore(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(id) = self.ids.get(self.modal.dialog.focus).copied() else {
            return Outcome::ask(Request::Close);
        };
        if ctx.read_only {
            return Outcome::say("read-only mode: cannot undo (nothing was sent)", true);
        }
        self.modal.send(Job::Undo(Some(id)), "restoring…", ctx)
    }
}

impl Component for Trash {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        if self.modal.dialog.busy.is_some() {
            return Outcome::used();
        }
        let at = self.modal.dialog.focus;
        let last = self.ids.len().saturating_sub(1);
        match ctx.action(Context::Trash, &key) {
            Some(Action::Down) => self.mark((at + 1).min(last)),
            Some(Action::Up) => self.mark(at.saturating_sub(1)),
            Some(Action::Cancel) => return Outcome::ask(Request::Close),
            Some(Action::Restore) => return self.restore(ctx),
            _ => {}
        }
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.modal.draw(frame, area, view);
    }
}

impl Waiting for Trash {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        if let Done::Listed(items) = done {
            self.listed(items);
        }
        Outcome::used()
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        self.modal.failed(error, true)
    }
}
