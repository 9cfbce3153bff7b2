//! `D`: bulk delete. A dry run counts the matching keys and what deleting
//! them costs; after a yes the run shows its live progress, `p` pauses and
//! resumes, `c` or `Esc` cancels after the batch in flight, and the report
//! goes to the status bar.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Modal, Waiting};
use crate::edit::{Control, DryRun, Progress, Report, Undo};
use crate::jobs::{self, Done, Job};
use crate::tui::app::keyops::forms;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::text::escape;
use crate::tui::widgets::dialog::{Dialog, Hint, Reply};
use crate::upstash::Error;

/// The bulk delete dialog of one pattern.
#[derive(Debug)]
pub struct Bulk {
    pattern: Vec<u8>,
    modal: Modal,
    stage: Stage,
}

/// Where a bulk delete stands.
#[derive(Debug)]
enum Stage {
    /// The dry run is out.
    Counting,
    /// The dry run's figures wait for a yes.
    Confirm(DryRun),
    /// The run is under way.
    Running(Run),
}

/// A run under way, and how to steer it.
#[derive(Debug)]
struct Run {
    control: Control,
    expected: u64,
    progress: Option<Progress>,
    paused: bool,
}

impl Bulk {
    /// Opens on the keys matching `pattern`, counting them first.
    pub fn open(pattern: Vec<u8>, ctx: &mut Ctx) -> (Bulk, Vec<Effect>) {
        let dialog = Dialog::confirm("Bulk delete", Vec::new());
        let op = Job::DryRun(pattern.clone());
        let (modal, effects) = Modal::sending(dialog, "counting…", op, ctx);
        let bulk = Bulk {
            pattern,
            modal,
            stage: Stage::Counting,
        };
        (bulk, effects)
    }

    /// What the dialog shows.
    pub fn dialog(&self) -> &Dialog {
        &self.modal.dialog
    }

    /// How far the run is, once it reported.
    pub fn progress(&self) -> Option<Progress> {
        match &self.stage {
            Stage::Running(run) => run.progress,
            _ => None,
        }
    }

    /// A key while the run is under way.
    fn steer(&mut self, key: KeyEvent, ctx: &Ctx) -> Outcome {
        let Stage::Running(run) = &mut self.stage else {
            return Outcome::used();
        };
        match ctx.action(Context::Progress, &key) {
            Some(Action::Pause) => {
                run.paused = !run.paused;
                if run.paused {
                    run.control.pause();
                } else {
                    run.control.resume();
                }
                self.modal.dialog = progress_box(&self.pattern, run);
            }
            Some(Action::Cancel) => {
                run.control.cancel();
                self.modal.dialog.busy = Some("cancelling after the batch in flight…".into());
            }
            _ => {}
        }
        Outcome::used()
    }

    /// The yes: the run deletes exactly the keys the dry run found.
    fn run(&mut self, ctx: &mut Ctx) -> Outcome {
        let Stage::Confirm(dry) = &self.stage else {
            return Outcome::used();
        };
        let control = Control::default();
        let op = Job::Bulk {
            pattern: self.pattern.clone(),
            found: dry.found.clone(),
            expected: dry.keys,
            undo: matches!(dry.undo, Undo::Available { .. }),
            control: control.clone(),
        };
        let run = Run {
            control,
            expected: dry.keys,
            progress: None,
            paused: false,
        };
        self.modal.dialog = progress_box(&self.pattern, &run);
        self.stage = Stage::Running(run);
        self.modal.send(op, "deleting…", ctx)
    }

    /// The run ended: its report, for the status bar.
    fn report(&self, report: &Report) -> Outcome {
        let expected = match &self.stage {
            Stage::Running(run) => run.expected,
            _ => 0,
        };
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
        Outcome::close(text, report.cancelled || report.undo_cap_reached)
    }
}

impl Bulk {
    /// Whether the run is going (its keys pause and cancel it).
    pub fn running(&self) -> bool {
        matches!(self.stage, Stage::Running(_))
    }
}

impl Component for Bulk {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        if matches!(self.stage, Stage::Running(_)) {
            return self.steer(key, ctx);
        }
        match self.modal.key(key, ctx) {
            Reply::Chose | Reply::Nothing => Outcome::used(),
            Reply::Cancel => Outcome::ask(Request::Close),
            Reply::Submit => self.run(ctx),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.modal.draw(frame, area, view);
    }
}

impl Waiting for Bulk {
    fn waiting(&self) -> Option<ReqId> {
        self.modal.waiting()
    }

    fn on_progress(&mut self, progress: &jobs::Progress) {
        let jobs::Progress::Bulk(p) = progress;
        if let Stage::Running(run) = &mut self.stage {
            run.progress = Some(*p);
            self.modal.dialog = progress_box(&self.pattern, run);
        }
    }

    fn on_done(&mut self, done: &Done, _ctx: &mut Ctx) -> Outcome {
        self.modal.dialog.busy = None;
        match done {
            Done::Counted(dry) if matches!(self.stage, Stage::Counting) => {
                if dry.keys == 0 {
                    return Outcome::close(
                        format!("no keys match {}", escape(&self.pattern)),
                        false,
                    );
                }
                self.modal.dialog = forms::confirm_bulk(&self.pattern, dry);
                self.stage = Stage::Confirm(dry.clone());
                Outcome::used()
            }
            Done::Bulk(report) => self.report(report),
            _ => Outcome::used(),
        }
    }

    fn on_failed(&mut self, error: &Error, _ctx: &mut Ctx) -> Outcome {
        match self.stage {
            // The run stopped: what is left shows after a rescan.
            Stage::Running(_) => Outcome::ask(Request::Close)
                .then(Request::WriteFailed(error.clone()))
                .then(Request::Rescan),
            Stage::Confirm(_) => self.modal.failed(error, true),
            Stage::Counting => self.modal.failed(error, false),
        }
    }
}

/// The progress box of a run.
fn progress_box(pattern: &[u8], run: &Run) -> Dialog {
    let deleted = run.progress.map_or(0, |p| p.deleted);
    let percent = (deleted * 100)
        .checked_div(run.expected)
        .unwrap_or(100)
        .min(100);
    let state = if run.paused { "paused" } else { "deleting" };
    let mut d = Dialog::confirm(
        "Bulk delete",
        vec![
            format!("{state} {}", escape(pattern)),
            format!("{deleted} of {} deleted ({percent}%)", run.expected),
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
