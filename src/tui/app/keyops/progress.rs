//! A running bulk delete: its live progress dialog, pause, resume and
//! cancel, and the report when it ends.

use crossterm::event::KeyEvent;

use super::{Modal, Step};
use crate::edit::Report;
use crate::jobs::Progress;
use crate::tui::app::{App, Mode};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::text::escape;
use crate::tui::widgets::dialog::{Dialog, Hint};

/// The progress dialog for a [`Step::Running`].
pub(super) fn dialog(step: &Step) -> Dialog {
    let Step::Running {
        pattern,
        expected,
        progress,
        paused,
        control: _,
    } = step
    else {
        return Dialog::confirm("Bulk delete", Vec::new());
    };
    let deleted = progress.map_or(0, |p| p.deleted);
    let percent = (deleted * 100)
        .checked_div(*expected)
        .unwrap_or(100)
        .min(100);
    let state = if *paused { "paused" } else { "deleting" };
    let mut d = Dialog::confirm(
        "Bulk delete",
        vec![
            format!("{state} {}", escape(pattern)),
            format!("{deleted} of {expected} deleted ({percent}%)"),
        ],
    );
    d.hints = vec![
        Hint::new(Context::Progress, &[Action::Pause], "pause/resume"),
        Hint::new(
            Context::Progress,
            &[Action::Cancel],
            "cancel (after the batch in flight)",
        ),
    ];
    d
}

impl App {
    /// A key while a bulk delete runs.
    pub(super) fn running_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::KeyOp(m) = &mut self.mode else {
            return Vec::new();
        };
        let Modal {
            dialog,
            step: step @ Step::Running { .. },
            ..
        } = m.as_mut()
        else {
            return Vec::new();
        };
        let Step::Running {
            control, paused, ..
        } = step
        else {
            return Vec::new();
        };
        match self.keymap.action(Context::Progress, &key) {
            Some(Action::Pause) => {
                *paused = !*paused;
                if *paused {
                    control.pause();
                } else {
                    control.resume();
                }
                *dialog = self::dialog(step);
            }
            Some(Action::Cancel) => {
                control.cancel();
                dialog.busy = Some("cancelling after the batch in flight…".into());
            }
            _ => {}
        }
        Vec::new()
    }

    /// A batch of the run the dialog waits for is done: the dialog shows how far it got.
    pub(in crate::tui::app) fn on_job_progress(&mut self, req: ReqId, progress: Progress) {
        let Mode::KeyOp(m) = &mut self.mode else {
            return;
        };
        let Progress::Bulk(p) = progress;
        if m.waiting == Some(req)
            && let Step::Running { progress, .. } = &mut m.step
        {
            *progress = Some(p);
            m.dialog = dialog(&m.step);
        }
    }

    /// The run ended: report in the status bar and list what is left.
    pub(super) fn bulk_done(&mut self, report: Report) -> Vec<Effect> {
        let expected = match &self.mode {
            Mode::KeyOp(m) => match &m.step {
                Step::Running { expected, .. } => *expected,
                _ => 0,
            },
            _ => 0,
        };
        self.mode = Mode::Normal;
        let left = expected.saturating_sub(report.deleted);
        let how = if report.cancelled {
            "cancelled: "
        } else if report.undo_cap_reached {
            "stopped at the undo limit: "
        } else {
            ""
        };
        let undo = if report.deleted > 0 {
            " (u undoes)"
        } else {
            ""
        };
        let text = format!(
            "bulk delete {how}{} deleted, {left} left{undo}",
            report.deleted
        );
        self.say(&text, report.cancelled || report.undo_cap_reached);
        self.with_ids(|k, ids| k.rescan(ids))
    }
}
