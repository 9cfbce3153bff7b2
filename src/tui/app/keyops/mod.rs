//! Key-level operations in the TUI: create, rename, TTL, delete, bulk
//! delete and undo. Each is a dialog of its own ([`super::dialogs`]) that
//! sends one request to the editor and shows its answer; here the App
//! opens them and makes the Keys pane follow what was done, without a
//! rescan.

pub mod forms;

use super::dialogs::{
    bulk::Bulk, create::Create, delete::Delete, rename::Rename, trash::Trash, ttl::Ttl,
};
use super::{App, Mode};
use crate::jobs::{Done, Job, Progress};
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::Ctx;
use crate::tui::theme::Kind;
use crate::upstash::Error;

impl App {
    /// Opens the dialog of a key-level action on the Keys pane's selection.
    pub(super) fn open_keyop(&mut self, action: Action) -> Vec<Effect> {
        if self.refused(action) {
            return Vec::new();
        }
        let selected = self.keys.selected_key().map(<[u8]>::to_vec);
        let pattern = self.bulk_pattern();
        let (prefix, ttl) = (self.keys.selected_prefix(), self.selected_ttl());
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
        let (mode, effects) = match (action, selected) {
            (Action::CreateKey, _) => (Mode::Create(Box::new(Create::new(&prefix))), Vec::new()),
            (Action::BulkDelete, _) => {
                let Some(pattern) = pattern else {
                    self.say("select a folder, or set a MATCH pattern with /", true);
                    return Vec::new();
                };
                let (bulk, effects) = Bulk::open(pattern, &mut ctx);
                (Mode::Bulk(Box::new(bulk)), effects)
            }
            (_, None) => {
                self.say("select a key first", true);
                return Vec::new();
            }
            (Action::RenameKey, Some(from)) => {
                (Mode::Rename(Box::new(Rename::new(from))), Vec::new())
            }
            (Action::SetTtl, Some(key)) => (Mode::Ttl(Box::new(Ttl::new(key, ttl))), Vec::new()),
            (_, Some(key)) => {
                let (delete, effects) = Delete::open(key, &mut ctx);
                (Mode::Delete(Box::new(delete)), effects)
            }
        };
        self.mode = mode;
        effects
    }

    /// `u`: undoes the last change, from any pane.
    pub(super) fn undo(&mut self) -> Vec<Effect> {
        if self.refused(Action::Undo) {
            return Vec::new();
        }
        let req = self.req();
        self.say("undoing…", false);
        vec![Effect::Job {
            req,
            job: Job::Undo(None),
        }]
    }

    /// `U`: the undo list, from any pane.
    pub(super) fn open_trash(&mut self) -> Vec<Effect> {
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
        let (trash, effects) = Trash::open(&mut ctx);
        self.mode = Mode::Trash(Box::new(trash));
        effects
    }

    /// Says why a write cannot be sent in read-only mode; whether it is on.
    fn refused(&mut self, action: Action) -> bool {
        if self.read_only {
            let text = format!(
                "read-only mode: cannot {} (the badge shows why; nothing was sent)",
                action.describe()
            );
            self.say(&text, true);
        }
        self.read_only
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

    /// A batch of the run the open dialog waits for is done.
    pub(super) fn on_job_progress(&mut self, req: ReqId, progress: &Progress) {
        if let Some(dialog) = self.mode.waiting_mut().filter(|d| d.waiting() == Some(req)) {
            dialog.on_progress(progress);
        }
    }

    /// A key-level answer: to the dialog waiting for it, then what it did
    /// to the panes.
    pub(super) fn on_keyop(&mut self, req: ReqId, result: Result<Done, Error>) -> Vec<Effect> {
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
        let dialog = self.mode.waiting_mut().filter(|d| d.waiting() == Some(req));
        match (result, dialog) {
            (Ok(Done::Undone(undone)), _) => self.undone(undone),
            (Err(e), None) => {
                self.write_failed(&e);
                Vec::new()
            }
            (Ok(_), None) => Vec::new(),
            (Err(e), Some(dialog)) => {
                let outcome = dialog.on_failed(&e, &mut ctx);
                self.follow(outcome)
            }
            (Ok(done), Some(dialog)) => {
                let outcome = dialog.on_done(&done, &mut ctx);
                let mut effects = self.follow(outcome);
                effects.extend(self.done(done));
                effects
            }
        }
    }

    /// What a finished operation did, in the Keys pane (and the Value
    /// pane when it shows the key).
    fn done(&mut self, done: Done) -> Vec<Effect> {
        match done {
            Done::Created { key, kind, ttl_ms } => {
                self.keys.remove_key(&key);
                self.keys.add_key(&key, Kind::parse(kind), ttl_ms);
                let mut effects = self.touched(std::slice::from_ref(&key));
                effects.extend(self.recognise_written(&key, Some(kind)));
                // Show the new key where it now lives, opened.
                if self.keys.reveal(&key) {
                    let kind = self
                        .keys
                        .selected_kind()
                        .and_then(crate::tui::panes::value::known_kind);
                    effects.extend(self.open_key(&key, kind));
                }
                effects
            }
            Done::Renamed { from, to } => {
                let kind = self.kind_of(&from);
                self.keys.remove_key(&from);
                self.keys.remove_key(&to);
                self.keys.add_key(&to, kind, None);
                self.keys.reveal(&to);
                let mut effects = self.recognise_written(&to, None);
                effects.extend(self.touched(&[from, to]));
                effects
            }
            Done::TtlSet { key, ttl_ms } => {
                self.keys.set_key_ttl(&key, ttl_ms);
                self.touched(&[key])
            }
            Done::Deleted { keys, .. } => {
                for key in &keys {
                    self.keys.remove_key(key);
                }
                self.touched(&keys)
            }
            // What is left shows after a rescan.
            Done::Bulk(_) => self.with_ids(|k, ids| k.rescan(ids)),
            _ => Vec::new(),
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
        if matches!(self.mode, Mode::Trash(_)) {
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
