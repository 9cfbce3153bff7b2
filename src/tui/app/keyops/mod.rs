//! Key-level operations in the TUI: create, rename, TTL, delete, bulk delete
//! and undo, each a dialog in [`Mode::KeyOp`] that sends one request to the
//! editor and shows its answer; the Keys pane follows without a rescan.

pub mod forms;
mod progress;
mod trash;

use crossterm::event::KeyEvent;

use super::{App, Mode};
use crate::edit::{Control, Deletion, DryRun, Overwrite, Progress, Undo};
use crate::jobs::{Done, Job};
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::Pane;
use crate::tui::text::escape;
use crate::tui::theme::Kind;
use crate::tui::widgets::dialog::{Dialog, Reply};
use crate::upstash::Error;

/// An open key-level dialog: what it shows and what it is for.
#[derive(Debug)]
pub struct Modal {
    pub dialog: Dialog,
    pub step: Step,
    /// The request the dialog waits for.
    pub waiting: Option<ReqId>,
}

/// What a key-level dialog is for.
#[derive(Debug)]
pub enum Step {
    Create,
    /// Replace an existing key with `op`; No goes back to the form.
    Overwrite {
        form: Box<Dialog>,
        op: Job,
    },
    Rename {
        from: Vec<u8>,
    },
    /// Rename over an existing key; No goes back to the form.
    RenameOver {
        form: Box<Dialog>,
        from: Vec<u8>,
        to: Vec<u8>,
        overwrite: Overwrite,
    },
    Ttl {
        key: Vec<u8>,
    },
    Delete(Option<Deletion>),
    /// The dry run, then its confirmation.
    Bulk {
        pattern: Vec<u8>,
        dry: Option<DryRun>,
    },
    /// A bulk delete running; p pauses, c cancels.
    Running {
        pattern: Vec<u8>,
        control: Control,
        expected: u64,
        progress: Option<Progress>,
        paused: bool,
    },
    /// The undo list.
    Trash(Vec<u64>),
}

impl Step {
    /// Whether submitting this step writes (rather than reads for a dialog).
    fn writes(&self) -> bool {
        match self {
            Step::Create
            | Step::Overwrite { .. }
            | Step::Rename { .. }
            | Step::RenameOver { .. }
            | Step::Ttl { .. }
            | Step::Delete(Some(_))
            | Step::Bulk { dry: Some(_), .. }
            | Step::Running { .. }
            | Step::Trash(_) => true,
            Step::Delete(None) | Step::Bulk { dry: None, .. } => false,
        }
    }
}

impl App {
    /// Runs a key-level action; `None` when `action` is not one.
    pub(super) fn keyop_act(&mut self, action: Action) -> Option<Vec<Effect>> {
        let writes = matches!(
            action,
            Action::CreateKey
                | Action::RenameKey
                | Action::SetTtl
                | Action::DeleteKey
                | Action::BulkDelete
                | Action::Undo
        );
        let pane_action = writes && action != Action::Undo;
        if !writes && action != Action::Trash {
            return None;
        }
        if pane_action && self.focus != Pane::Keys {
            return Some(Vec::new());
        }
        if writes && self.read_only {
            self.say(
                &format!(
                    "read-only mode: cannot {} (the badge shows why; nothing was sent)",
                    action.describe()
                ),
                true,
            );
            return Some(Vec::new());
        }
        let selected = self.keys.selected_key().map(<[u8]>::to_vec);
        let (dialog, step) = match action {
            Action::CreateKey => (forms::create(&self.keys.selected_prefix()), Step::Create),
            Action::RenameKey | Action::SetTtl | Action::DeleteKey if selected.is_none() => {
                self.say("select a key first", true);
                return Some(Vec::new());
            }
            Action::RenameKey => {
                let from = selected.unwrap_or_default();
                (forms::rename(&from), Step::Rename { from })
            }
            Action::SetTtl => {
                let key = selected.unwrap_or_default();
                (
                    forms::ttl_form(&key, self.selected_ttl()),
                    Step::Ttl { key },
                )
            }
            Action::DeleteKey => {
                let key = selected.unwrap_or_default();
                let dialog = busy(
                    Dialog::confirm("Delete key", Vec::new()),
                    "reading the key…",
                );
                return Some(self.open_waiting(
                    dialog,
                    Step::Delete(None),
                    Job::PrepareDelete(key),
                ));
            }
            Action::BulkDelete => {
                let Some(pattern) = self.bulk_pattern() else {
                    self.say("select a folder, or set a MATCH pattern with /", true);
                    return Some(Vec::new());
                };
                let dialog = busy(Dialog::confirm("Bulk delete", Vec::new()), "counting…");
                let step = Step::Bulk {
                    pattern: pattern.clone(),
                    dry: None,
                };
                return Some(self.open_waiting(dialog, step, Job::DryRun(pattern)));
            }
            Action::Undo => {
                let req = self.req();
                self.say("undoing…", false);
                return Some(vec![Effect::Job {
                    req,
                    job: Job::Undo(None),
                }]);
            }
            _ => return Some(self.open_trash()),
        };
        self.mode = Mode::KeyOp(Box::new(Modal {
            dialog,
            step,
            waiting: None,
        }));
        Some(Vec::new())
    }

    fn selected_ttl(&self) -> Option<i64> {
        let key = self.keys.selected_key()?;
        let store = self.keys.store();
        (0..store.len())
            .filter_map(|i| u32::try_from(i).ok())
            .find(|&i| store.key(i) == key)
            .and_then(|id| self.keys.detail(id))
            .map(|d| d.ttl_ms)
    }

    /// The selected folder's keys, else the MATCH pattern when a key is selected.
    fn bulk_pattern(&self) -> Option<Vec<u8>> {
        match self.keys.selected_folder() {
            Some(folder) => Some(crate::edit::folder_pattern(&folder, self.keys.delimiter())),
            None => self.keys.pattern().map(<[u8]>::to_vec),
        }
    }

    /// Opens a dialog that waits for `op`.
    fn open_waiting(&mut self, dialog: Dialog, step: Step, op: Job) -> Vec<Effect> {
        let req = self.req();
        self.mode = Mode::KeyOp(Box::new(Modal {
            dialog,
            step,
            waiting: Some(req),
        }));
        vec![Effect::Job { req, job: op }]
    }

    /// Sends `op` from the open dialog, which shows `what` until it answers.
    fn send(&mut self, op: Job, what: &str) -> Vec<Effect> {
        let req = self.req();
        if let Mode::KeyOp(m) = &mut self.mode {
            m.waiting = Some(req);
            m.dialog.busy = Some(what.to_owned());
            m.dialog.error = None;
        }
        vec![Effect::Job { req, job: op }]
    }

    /// A key while a key-level dialog is open.
    pub(super) fn on_keyop_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::KeyOp(m) = &mut self.mode else {
            return Vec::new();
        };
        match &mut m.step {
            Step::Running { .. } => return self.running_key(key),
            Step::Trash(_) => return self.trash_key(key),
            _ => {}
        }
        let action = self.keymap.action(m.dialog.context(), &key);
        match m.dialog.on_key(action, key) {
            Reply::Chose => {
                if matches!(m.step, Step::Create) {
                    forms::sync_create(&mut m.dialog);
                }
                Vec::new()
            }
            Reply::Nothing => Vec::new(),
            Reply::Cancel => {
                self.back();
                Vec::new()
            }
            Reply::Submit => self.submit(),
        }
    }

    /// Esc or No: a confirmation goes back to its form, anything else closes.
    fn back(&mut self) {
        let Mode::KeyOp(m) = &mut self.mode else {
            return;
        };
        let step = std::mem::replace(&mut m.step, Step::Create);
        match step {
            Step::Overwrite { form, .. } => {
                m.dialog = *form;
            }
            Step::RenameOver { form, from, .. } => {
                m.dialog = *form;
                m.step = Step::Rename { from };
            }
            _ => self.mode = Mode::Normal,
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        let Mode::KeyOp(m) = &mut self.mode else {
            return Vec::new();
        };
        let d = &mut m.dialog;
        let (op, what) = match &m.step {
            Step::Create => match forms::read_create(d) {
                Ok((key, first, ttl)) => (
                    Job::Create {
                        key,
                        first,
                        ttl,
                        overwrite: Overwrite::Never,
                    },
                    "creating…",
                ),
                Err(e) => return fail(d, e),
            },
            Step::Overwrite { op, .. } => (op.clone(), "replacing…"),
            Step::Rename { from } => match forms::read_rename(d, from) {
                Ok(to) => (
                    Job::Rename {
                        from: from.clone(),
                        to,
                        overwrite: Overwrite::Never,
                    },
                    "renaming…",
                ),
                Err(e) => return fail(d, e),
            },
            Step::RenameOver {
                from,
                to,
                overwrite,
                ..
            } => (
                Job::Rename {
                    from: from.clone(),
                    to: to.clone(),
                    overwrite: *overwrite,
                },
                "renaming…",
            ),
            Step::Ttl { key } => match forms::read_ttl(d) {
                Ok(ttl) => (
                    Job::Ttl {
                        key: key.clone(),
                        ttl,
                    },
                    "setting the TTL…",
                ),
                Err(e) => return fail(d, e),
            },
            Step::Delete(Some(deletion)) => (Job::Delete(deletion.clone()), "deleting…"),
            Step::Bulk {
                pattern,
                dry: Some(dry),
            } => {
                let control = Control::default();
                let op = Job::Bulk {
                    pattern: pattern.clone(),
                    found: dry.found.clone(),
                    expected: dry.keys,
                    undo: matches!(dry.undo, Undo::Available { .. }),
                    control: control.clone(),
                };
                m.step = Step::Running {
                    pattern: pattern.clone(),
                    control,
                    expected: dry.keys,
                    progress: None,
                    paused: false,
                };
                m.dialog = progress::dialog(&m.step);
                (op, "deleting…")
            }
            Step::Delete(None) | Step::Bulk { .. } | Step::Running { .. } | Step::Trash(_) => {
                return Vec::new();
            }
        };
        self.send(op, what)
    }

    /// A key-level answer.
    pub(super) fn on_keyop(&mut self, req: ReqId, result: Result<Done, Error>) -> Vec<Effect> {
        let mine = matches!(&self.mode, Mode::KeyOp(m) if m.waiting == Some(req));
        match result {
            Ok(Done::Undone(undone)) => self.undone(undone),
            Err(e) if !mine => {
                self.write_failed(&e);
                Vec::new()
            }
            _ if !mine => Vec::new(),
            Err(e) => {
                if let Mode::KeyOp(m) = &mut self.mode {
                    m.dialog.busy = None;
                    if matches!(m.step, Step::Running { .. }) {
                        self.mode = Mode::Normal;
                        self.write_failed(&e);
                        return self.with_ids(|k, ids| k.rescan(ids));
                    }
                    // A write whose answer was lost may have happened: saying
                    // so keeps the user from repeating it blindly.
                    m.dialog.error = Some(if m.step.writes() && crate::edit::may_have_run(&e) {
                        format!("{e}: it may have been done; r rescans to see before trying again")
                    } else {
                        e.to_string()
                    });
                }
                if e.is_write_refused() {
                    self.write_failed(&e);
                }
                Vec::new()
            }
            Ok(done) => self.done(done),
        }
    }

    fn done(&mut self, done: Done) -> Vec<Effect> {
        let Mode::KeyOp(m) = &mut self.mode else {
            return Vec::new();
        };
        m.dialog.busy = None;
        match done {
            Done::Exists { info, undo } => {
                let op = match &m.step {
                    Step::Create => forms::read_create(&m.dialog).ok(),
                    _ => None,
                };
                if let Some((key, first, ttl)) = op {
                    let form = Box::new(m.dialog.clone());
                    m.dialog = forms::confirm_replace("Replace key", &info, undo);
                    let overwrite = forms::overwrite_for(undo);
                    m.step = Step::Overwrite {
                        form,
                        op: Job::Create {
                            key,
                            first,
                            ttl,
                            overwrite,
                        },
                    };
                }
                Vec::new()
            }
            Done::TargetExists { info, undo } => {
                if let Step::Rename { from } = &m.step {
                    let from = from.clone();
                    let to = info.key.clone();
                    let form = Box::new(m.dialog.clone());
                    m.dialog = forms::confirm_replace("Rename over a key", &info, undo);
                    m.step = Step::RenameOver {
                        form,
                        from,
                        to,
                        overwrite: forms::overwrite_for(undo),
                    };
                }
                Vec::new()
            }
            Done::SourceMissing => {
                m.dialog.error = Some("the key no longer exists; nothing was renamed".into());
                Vec::new()
            }
            Done::Prepared(deletion) => {
                match deletion.keys.first() {
                    Some(info) if info.kind != "none" => {
                        m.dialog = forms::confirm_delete(info, deletion.undo);
                        m.step = Step::Delete(Some(deletion));
                    }
                    _ => {
                        self.mode = Mode::Normal;
                        self.say("the key no longer exists", true);
                    }
                }
                Vec::new()
            }
            Done::Counted(dry) => {
                if let Step::Bulk { pattern, .. } = &m.step {
                    if dry.keys == 0 {
                        let text = format!("no keys match {}", escape(pattern));
                        self.mode = Mode::Normal;
                        self.say(&text, false);
                        return Vec::new();
                    }
                    let pattern = pattern.clone();
                    m.dialog = forms::confirm_bulk(&pattern, &dry);
                    m.step = Step::Bulk {
                        pattern,
                        dry: Some(dry),
                    };
                }
                Vec::new()
            }
            Done::Bulk(report) => self.bulk_done(report),
            Done::Created { key, kind, ttl_ms } => {
                self.mode = Mode::Normal;
                self.keys.remove_key(&key);
                self.keys.add_key(&key, Kind::parse(kind), ttl_ms);
                self.say(&format!("created {} ({kind})", escape(&key)), false);
                let mut effects = self.touched(std::slice::from_ref(&key));
                effects.extend(self.recognise_written(&key, Some(kind)));
                // Show the new key where it now lives, opened.
                if self.keys.reveal(&key) {
                    effects.extend(self.open());
                }
                effects
            }
            Done::Renamed { from, to } => {
                self.mode = Mode::Normal;
                let kind = self.kind_of(&from);
                self.keys.remove_key(&from);
                self.keys.remove_key(&to);
                self.keys.add_key(&to, kind, None);
                let text = format!("renamed {} to {} (u undoes)", escape(&from), escape(&to));
                self.say(&text, false);
                self.keys.reveal(&to);
                let mut effects = self.recognise_written(&to, None);
                effects.extend(self.touched(&[from, to]));
                effects
            }
            Done::TtlSet { key, ttl_ms } => {
                self.mode = Mode::Normal;
                self.keys.set_key_ttl(&key, ttl_ms);
                let text = format!(
                    "TTL of {} is {}",
                    escape(&key),
                    crate::tui::text::ttl(ttl_ms)
                );
                self.say(&text, false);
                self.touched(&[key])
            }
            Done::Deleted { keys, removed } => {
                let undo = matches!(&m.step, Step::Delete(Some(d)) if matches!(d.undo, Undo::Available { .. }));
                self.mode = Mode::Normal;
                for key in &keys {
                    self.keys.remove_key(key);
                }
                let name = keys.first().map(|k| escape(k)).unwrap_or_default();
                let text = match (removed, undo) {
                    (0, _) => format!("{name} was already gone"),
                    (_, true) => format!("deleted {name} (u undoes)"),
                    (_, false) => format!("deleted {name}"),
                };
                self.say(&text, false);
                self.touched(&keys)
            }
            Done::Listed(items) => {
                self.trash_listed(items);
                Vec::new()
            }
            Done::Undone(_) => Vec::new(),
        }
    }

    fn kind_of(&self, key: &[u8]) -> Kind {
        match self.keys.selected_key() {
            Some(k) if k == key => self.keys.selected_kind().unwrap_or(Kind::Unknown),
            _ => Kind::Unknown,
        }
    }

    fn undone(&mut self, undone: Option<crate::edit::Undone>) -> Vec<Effect> {
        let Some(u) = undone else {
            self.say("nothing to undo", false);
            return Vec::new();
        };
        for key in &u.removed {
            self.keys.remove_key(key);
        }
        for key in &u.restored {
            self.keys.add_key(key, Kind::Unknown, None);
        }
        self.say(&format!("undone: {}", u.label), false);
        if let Mode::KeyOp(m) = &self.mode
            && matches!(m.step, Step::Trash(_))
        {
            self.mode = Mode::Normal;
        }
        let mut keys = u.removed;
        keys.extend(u.restored);
        self.touched(&keys)
    }

    /// Reloads the Value pane when it shows one of `keys`; fetches the new rows' details.
    fn touched(&mut self, keys: &[Vec<u8>]) -> Vec<Effect> {
        let mut effects = vec![Effect::DebounceRows];
        if self
            .value
            .key()
            .is_some_and(|open| keys.iter().any(|k| k.as_slice() == open))
        {
            effects.extend(self.value_act(Action::Reload));
        }
        effects
    }
}

fn busy(mut dialog: Dialog, what: &str) -> Dialog {
    dialog.busy = Some(what.to_owned());
    dialog
}

fn fail(d: &mut Dialog, error: String) -> Vec<Effect> {
    d.error = Some(error);
    Vec::new()
}
