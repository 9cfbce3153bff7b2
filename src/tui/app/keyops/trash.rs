//! The undo list (`U`): what the session trash can still restore, newest
//! first, with when and how much; Enter or `u` restores the chosen one.

use std::time::SystemTime;

use crossterm::event::KeyEvent;

use super::{Modal, Step};
use crate::edit::Item;
use crate::jobs::Job;
use crate::tui::app::{App, Mode};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::widgets::dialog::{Dialog, Hint};

impl App {
    /// Opens the undo list; the trash lives in the editor, so it is asked for.
    pub(super) fn open_trash(&mut self) -> Vec<Effect> {
        let mut dialog = Dialog::confirm("Undo list (newest first)", Vec::new());
        dialog.busy = Some("reading the trash…".into());
        self.open_waiting(dialog, Step::Trash(Vec::new()), Job::ListTrash)
    }

    /// Shows the trash's items in the open undo list.
    pub(super) fn trash_listed(&mut self, items: Vec<Item>) {
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
                    humantime::format_duration(std::time::Duration::from_secs(ago))
                )
            })
            .collect();
        if lines.is_empty() {
            lines.push("nothing to undo in this session".into());
        }
        let mut dialog = Dialog::confirm("Undo list (newest first)", lines);
        dialog.hints = vec![
            Hint::new(Context::Trash, &[Action::Up, Action::Down], "choose"),
            Hint::new(Context::Trash, &[Action::Restore], "restore"),
            Hint::new(Context::Trash, &[Action::Cancel], "close"),
        ];
        let ids = items.iter().map(|i| i.id).collect();
        self.mode = Mode::KeyOp(Box::new(Modal {
            dialog,
            step: Step::Trash(ids),
            waiting: None,
        }));
        self.trash_mark(0);
    }

    /// Marks row `at` as the chosen one.
    fn trash_mark(&mut self, at: usize) {
        let Mode::KeyOp(m) = &mut self.mode else {
            return;
        };
        let Step::Trash(ids) = &m.step else { return };
        if ids.is_empty() {
            return;
        }
        for (i, line) in m.dialog.lines.iter_mut().enumerate() {
            let rest = line.get(2..).unwrap_or_default().to_owned();
            *line = format!("{}{rest}", if i == at { "> " } else { "  " });
        }
        m.dialog.focus = at;
    }

    /// A key in the undo list.
    pub(super) fn trash_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::KeyOp(m) = &mut self.mode else {
            return Vec::new();
        };
        let Step::Trash(ids) = &m.step else {
            return Vec::new();
        };
        if m.dialog.busy.is_some() {
            return Vec::new();
        }
        let at = m.dialog.focus;
        let last = ids.len().saturating_sub(1);
        let chosen = ids.get(at).copied();
        match self.keymap.action(Context::Trash, &key) {
            Some(Action::Down) => self.trash_mark((at + 1).min(last)),
            Some(Action::Up) => self.trash_mark(at.saturating_sub(1)),
            Some(Action::Cancel) => self.mode = Mode::Normal,
            Some(Action::Restore) => {
                let Some(id) = chosen else {
                    self.mode = Mode::Normal;
                    return Vec::new();
                };
                if self.read_only {
                    self.say("read-only mode: cannot undo (nothing was sent)", true);
                    return Vec::new();
                }
                let req = self.req();
                if let Mode::KeyOp(m) = &mut self.mode {
                    m.waiting = Some(req);
                    m.dialog.busy = Some("restoring…".into());
                }
                return vec![Effect::Job {
                    req,
                    job: Job::Undo(Some(id)),
                }];
            }
            _ => {}
        }
        Vec::new()
    }
}
