//! The app's side of editing in the Value pane: opening the form (refused in
//! read-only mode), its keys, the checked write and what came of it
//! (written and undoable, conflict, already there, key gone, failed, or
//! unknown after a lost answer and then read back), `$EDITOR`, and the
//! drafts that keep the user's text when they cancel.

use crossterm::event::KeyEvent;

use super::{App, Mode};
use crate::edit::{Now, Outcome, Write, may_have_run};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::value::edit::{Form, Phase};
use crate::tui::panes::value::edit_view::what;
use crate::tui::panes::value::target::{Intent, Target};
use crate::tui::text::{escape, fit};
use crate::upstash::Error;

impl App {
    /// `e`, `E`, `i` or `x` in the Value pane: opens the form on the
    /// selected element (or the detail's).
    pub(super) fn value_edit(&mut self, action: Action) -> Vec<Effect> {
        if self.read_only {
            self.say(
                "read-only mode: values cannot be changed (restart without --read-only, or use a token that may write)",
                true,
            );
            return Vec::new();
        }
        let Some(s) = self.value.session() else {
            self.say("open a key first (Enter in the Keys pane)", true);
            return Vec::new();
        };
        let index = self.value.detail().map_or(s.selected(), |d| d.index);
        let intent = match action {
            Action::Add => Intent::Add,
            Action::Delete => Intent::Delete,
            _ => Intent::Edit,
        };
        let mut form = match Form::open(s, index, intent) {
            Ok(f) => f,
            Err(e) => {
                self.say(&e, true);
                return Vec::new();
            }
        };
        if self.drafts.take_into(&mut form) {
            form.note = Some("your unsaved text from before is back (Esc keeps it again)".into());
        }
        let mut effects = Vec::new();
        if matches!(form.target, Target::Json { .. }) {
            let req = self.req();
            form.phase = Phase::Probing(req);
            effects.push(Effect::ProbeJson { req });
        } else if action == Action::EditExternal {
            form.external = true;
            effects.extend(external(&mut form));
        }
        self.mode = Mode::Edit(Box::new(form));
        effects
    }

    /// A key while the form has the keyboard.
    pub(super) fn on_edit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let action = self.keymap.action(Context::Editor, &key);
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        match (form.phase.clone(), action) {
            // The reply is awaited; a write in flight cannot be taken back.
            (Phase::Probing(_) | Phase::Saving(_) | Phase::Checking(_), _) => {}
            (Phase::Confirm, Some(Action::Confirm)) => return self.save_edit(),
            (Phase::Confirm, Some(Action::Deny | Action::Cancel)) => {
                self.mode = Mode::Normal;
                self.say("nothing was deleted", false);
            }
            (Phase::ConfirmEmpty(_), Some(Action::Confirm)) => {
                let over = form.over;
                return self.send_edit(over, true);
            }
            (Phase::ConfirmEmpty(_), Some(Action::Deny | Action::Cancel)) => {
                form.phase = Phase::Editing;
                form.note = Some("nothing was written; type the value, or Esc".into());
            }
            (Phase::Conflict { current }, Some(Action::Overwrite)) => match form.rebase(current) {
                Ok(()) => return self.save_edit_over(),
                Err(e) => form.error = Some(e),
            },
            (Phase::Conflict { current }, Some(Action::EditAgain)) => {
                // Saving again replaces what the user has now been shown.
                if let Err(e) = form.rebase(current) {
                    form.error = Some(e);
                } else {
                    form.error = None;
                    form.note = Some("your text is back; saving now replaces what is there".into());
                }
                form.phase = Phase::Editing;
            }
            (Phase::Conflict { .. } | Phase::Editing, Some(Action::Cancel)) => self.cancel_edit(),
            (Phase::Editing, Some(Action::Save)) => return self.save_edit(),
            (Phase::Editing, Some(Action::EditExternal)) => return external(form),
            (Phase::Editing, Some(Action::NextField)) => form.cycle_focus(false),
            (Phase::Editing, Some(Action::PrevField)) => form.cycle_focus(true),
            (Phase::Editing, Some(Action::Submit)) if form.enter_saves() => {
                return self.save_edit();
            }
            // Left, Right and Space move and type in a text input.
            (Phase::Editing, Some(a @ (Action::ChooseNext | Action::ChoosePrev)))
                if form.choosing() =>
            {
                form.choose(a == Action::ChooseNext);
            }
            // The questions' keys (y, n, o, e) type while editing, and Enter
            // breaks the line in a multi-line input.
            (Phase::Editing, _) => {
                form.input(&key);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Esc: closes the form; the user's text stays as a draft.
    fn cancel_edit(&mut self) {
        let Mode::Edit(form) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        if self.drafts.keep(&form) {
            self.say(
                "nothing was written; your text is kept as a draft: e on the same element brings it back",
                false,
            );
        } else {
            self.say("nothing was written", false);
        }
    }

    /// Sends the form's checked write, or shows why it cannot be sent.
    fn save_edit(&mut self) -> Vec<Effect> {
        self.send_edit(false, false)
    }

    /// Overwrites a value someone else changed (their value goes to the
    /// undo trash first, like every value the pane replaces).
    fn save_edit_over(&mut self) -> Vec<Effect> {
        self.send_edit(true, false)
    }

    /// Sends the write; an empty value, name or member waits for a `y`
    /// first unless `empty_ok`.
    fn send_edit(&mut self, over: bool, empty_ok: bool) -> Vec<Effect> {
        let req = self.req();
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        let empty = form.empty_inputs();
        if !empty_ok && !empty.is_empty() && !form.target.is_delete() {
            form.over = over;
            form.error = None;
            form.phase = Phase::ConfirmEmpty(empty);
            return Vec::new();
        }
        match form.change() {
            Ok(change) if change.is_noop() => {
                self.mode = Mode::Normal;
                self.say("unchanged: nothing was written", false);
                Vec::new()
            }
            Ok(change) => {
                form.error = None;
                form.phase = Phase::Saving(req);
                form.over = over;
                form.sent = Some(change.clone());
                let over = over
                    .then(|| format!("overwrite {} of {}", what(&form.target), escape(&form.key)));
                let write = Write {
                    key: form.key.clone(),
                    change,
                    over,
                };
                vec![Effect::ApplyEdit { req, write }]
            }
            Err(e) => {
                form.error = Some(e);
                if !form.target.is_delete() {
                    form.phase = Phase::Editing;
                }
                Vec::new()
            }
        }
    }

    /// The write came back: close on success, show the conflict, or keep
    /// the form open with the reason.
    pub(super) fn on_edited(
        &mut self,
        req: ReqId,
        result: Result<Outcome, Error>,
        undo: bool,
    ) -> Vec<Effect> {
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        if form.phase != Phase::Saving(req) {
            return Vec::new();
        }
        let back = form.waiting_phase();
        match result {
            Ok(Outcome::Applied | Outcome::Added { .. }) => {
                let mut done = match (&result, form.target.is_delete()) {
                    (Ok(Outcome::Added { id }), _) => format!("added entry {}", escape(id)),
                    (_, true) => format!("deleted {}", what(&form.target)),
                    _ => format!("saved {}", what(&form.target)),
                };
                if form.over {
                    done.push_str(", replacing what was there");
                }
                done.push_str(undo_note(undo));
                let key = form.key.clone();
                self.mode = Mode::Normal;
                self.say(&done, false);
                return self.after_write(&key);
            }
            Ok(Outcome::Conflict { current: Some(c) }) if form.target == Target::SetAdd => {
                let key = form.key.clone();
                self.mode = Mode::Normal;
                self.say(
                    &format!(
                        "{} is already a member: nothing was added",
                        fit(&escape(&c), 60)
                    ),
                    false,
                );
                return self.after_write(&key);
            }
            Ok(Outcome::Conflict { current }) => {
                form.phase = Phase::Conflict { current };
                form.error = None;
                form.note = None;
                let key = form.key.clone();
                return self.after_write(&key);
            }
            Ok(Outcome::Missing) => {
                form.phase = back;
                form.error = Some(
                    "the key no longer exists: nothing was written (Esc keeps your text as a draft)"
                        .into(),
                );
            }
            Err(e) if may_have_run(&e) => {
                // The write may have run before its answer was lost: it is
                // not sent again, the element is read back instead.
                let req = self.req();
                let Mode::Edit(form) = &mut self.mode else {
                    return Vec::new();
                };
                form.phase = Phase::Checking(req);
                form.error = Some(format!("{e}: it may have been written; reading it back…"));
                let Some(change) = form.sent.clone() else {
                    return Vec::new();
                };
                let key = form.key.clone();
                self.say(&format!("{e}: the write may have happened"), true);
                let write = Write {
                    key,
                    change,
                    over: None,
                };
                return vec![Effect::ReadBack { req, write }];
            }
            Err(e) => {
                form.phase = back;
                form.error = Some(format!("{e}; nothing was written"));
                self.write_failed(&e);
            }
        }
        Vec::new()
    }

    /// The read after a lost answer came back: say what happened, as sure
    /// as the server's state allows, and show the pane's new state.
    pub(super) fn on_read_back(&mut self, req: ReqId, result: Result<Now, Error>) -> Vec<Effect> {
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        if form.phase != Phase::Checking(req) {
            return Vec::new();
        }
        let back = form.waiting_phase();
        let key = form.key.clone();
        let lost = "the answer was lost";
        match result {
            Ok(Now::Written { undo }) => {
                let verb = if form.target.is_delete() {
                    "deleted"
                } else {
                    "saved"
                };
                let text = format!(
                    "{verb} {} (the answer was lost; the server holds the change){}",
                    what(&form.target),
                    undo_note(undo)
                );
                self.mode = Mode::Normal;
                self.say(&text, false);
            }
            Ok(Now::Unchanged) => {
                form.phase = back;
                form.error = Some(format!(
                    "{lost}; the server holds what you saw: nothing was written (save again)"
                ));
            }
            Ok(Now::Other(current)) => {
                form.phase = Phase::Conflict { current };
                form.error = None;
                form.note = Some(format!("{lost}; the server now holds this"));
            }
            Ok(Now::Unknown) => {
                form.phase = back;
                form.error = Some(format!(
                    "{lost}: it may have been written; check the pane before saving again"
                ));
            }
            Err(e) => {
                form.phase = back;
                form.error = Some(format!(
                    "{lost}, reading back failed too ({e}): it may have been written"
                ));
            }
        }
        self.after_write(&key)
    }

    /// Reloads the Value pane and the Keys row after the key may have changed.
    fn after_write(&mut self, key: &[u8]) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.value.key() == Some(key) {
            let req = self.req();
            effects.extend(self.value.reload(req));
        }
        self.keys.forget_detail(key);
        effects.push(Effect::DebounceRows);
        effects
    }

    /// The ReJSON probe came back: edit the document, or say why not.
    pub(super) fn on_json_probed(
        &mut self,
        req: ReqId,
        result: Result<bool, Error>,
    ) -> Vec<Effect> {
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        if form.phase != Phase::Probing(req) {
            return Vec::new();
        }
        match result {
            Ok(true) => form.phase = Phase::Editing,
            Ok(false) => {
                self.mode = Mode::Normal;
                self.say(
                    "this database has no ReJSON module (JSON.SET): JSON documents cannot be edited here",
                    true,
                );
            }
            Err(e) => {
                self.mode = Mode::Normal;
                self.say(&format!("could not check for ReJSON: {e}"), true);
            }
        }
        Vec::new()
    }

    /// `$EDITOR` closed: its text goes into the form and is saved at once
    /// when it is valid; otherwise the form shows why, with the text kept.
    /// The final newline editors add is taken off again when the text had
    /// none. When the editor changed nothing, failed or quit without
    /// saving, nothing is written, and a form opened for the editor (`E`)
    /// closes, so it takes no keys meant for the panes.
    pub(super) fn on_external(&mut self, result: Result<Vec<u8>, String>) -> Vec<Effect> {
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        let Some(i) = form.main_field() else {
            return Vec::new();
        };
        let handed = form.handed.take().unwrap_or_else(|| form.fields[i].value());
        let text = match result.map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                let why = "the editor left bytes that are not UTF-8";
                return self.external_gave_nothing(&format!("{why}: nothing was written"));
            }
            Err(e) => return self.external_gave_nothing(&format!("{e}; nothing was written")),
        };
        let text = without_added_newline(text, &handed);
        if text == handed {
            return self.external_gave_nothing("unchanged in $EDITOR: nothing was written");
        }
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        let mut texts = form.texts();
        texts[i] = text;
        form.restore(&texts);
        form.focus = i;
        self.save_edit()
    }

    /// The editor gave nothing to save: a form opened for it closes with
    /// `why` (keeping a draft if the user had typed), else it shows `why`.
    fn external_gave_nothing(&mut self, why: &str) -> Vec<Effect> {
        let Mode::Edit(form) = &mut self.mode else {
            return Vec::new();
        };
        if !form.external {
            form.note = Some(why.to_owned());
            return Vec::new();
        }
        self.cancel_edit();
        self.say(why, true);
        Vec::new()
    }
}

/// How a finished write speaks of undo.
fn undo_note(undo: bool) -> &'static str {
    if undo {
        " (u undoes)"
    } else {
        " (too large to keep for undo)"
    }
}

/// `text` as `$EDITOR` left it, less the one final newline editors add when
/// the text handed to it had none.
fn without_added_newline(mut text: String, handed: &str) -> String {
    if !handed.ends_with('\n') && text.ends_with('\n') {
        text.pop();
        if !handed.ends_with('\r') && text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

/// The effect that hands the form's main text to `$EDITOR`.
fn external(form: &mut Form) -> Vec<Effect> {
    let Some(i) = form.main_field() else {
        form.error = Some("nothing here to edit in $EDITOR".into());
        return Vec::new();
    };
    let text = form.fields[i].value();
    form.handed = Some(text.clone());
    let suffix = if form.json { ".json" } else { ".txt" };
    vec![Effect::EditExternal {
        text: text.into_bytes(),
        suffix,
    }]
}
