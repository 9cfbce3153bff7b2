//! `e`, `E`, `i` and `x` in the Value pane: the edit form over the pane,
//! its keys, the checked write and what came of it (written and undoable,
//! conflict, already there, key gone, failed, or unknown after a lost
//! answer and then read back), `$EDITOR`, and the draft kept on cancel.
//! The conflict view is the form's conflict phase: `o` overwrites, `e`
//! edits again.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::edit::{Now, Outcome as Written, Write, may_have_run};
use crate::tui::keymap::Context;
use crate::tui::layout::Areas;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::value::edit::{Form, Phase};
use crate::tui::panes::value::edit_view::{FormView, what};
use crate::tui::panes::value::target::Target;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::text::{escape, fit};
use crate::upstash::Error;

/// The edit form.
#[derive(Debug)]
pub struct Edit {
    pub form: Form,
}

impl Edit {
    /// Opens `form`: a document first asks whether the database has
    /// ReJSON; `external` hands the text to `$EDITOR` at once.
    pub fn open(mut form: Form, external: bool, ctx: &mut Ctx) -> (Edit, Vec<Effect>) {
        let mut effects = Vec::new();
        if matches!(form.target, Target::Json { .. }) {
            let req = ctx.req();
            form.phase = Phase::Probing(req);
            effects.push(Effect::ProbeJson { req });
        } else if external {
            form.external = true;
            effects.extend(hand_out(&mut form));
        }
        (Edit { form }, effects)
    }

    /// Esc: closes; the user's text stays as a draft.
    fn cancel(&self) -> Outcome {
        let text = if self.form.is_changed() {
            "nothing was written; your text is kept as a draft: e on the same element brings it back"
        } else {
            "nothing was written"
        };
        self.close_keeping(text, false)
    }

    /// Closes with `text`, keeping the user's text as a draft if they typed.
    fn close_keeping(&self, text: &str, error: bool) -> Outcome {
        Outcome::close(text, error).then(Request::Draft(Box::new(self.form.clone())))
    }

    /// Sends the write; an empty value, name or member waits for a `y`
    /// first unless `empty_ok`. `over` replaces someone else's newer
    /// value (theirs goes to the undo trash first, like every value the
    /// pane replaces).
    fn send(&mut self, over: bool, empty_ok: bool, ctx: &mut Ctx) -> Outcome {
        let req = ctx.req();
        let form = &mut self.form;
        let empty = form.empty_inputs();
        if !empty_ok && !empty.is_empty() && !form.target.is_delete() {
            form.over = over;
            form.error = None;
            form.phase = Phase::ConfirmEmpty(empty);
            return Outcome::used();
        }
        match form.change() {
            Ok(change) if change.is_noop() => {
                Outcome::close("unchanged: nothing was written", false)
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
                Outcome::run([Effect::ApplyEdit { req, write }])
            }
            Err(e) => {
                form.error = Some(e);
                if !form.target.is_delete() {
                    form.phase = Phase::Editing;
                }
                Outcome::used()
            }
        }
    }

    /// The write came back: close on success, show the conflict, or keep
    /// the form open with the reason.
    pub fn on_edited(
        &mut self,
        req: ReqId,
        result: Result<Written, Error>,
        undo: bool,
        ctx: &mut Ctx,
    ) -> Outcome {
        let form = &mut self.form;
        if form.phase != Phase::Saving(req) {
            return Outcome::used();
        }
        let back = form.waiting_phase();
        let written = Request::Written(form.key.clone());
        match result {
            Ok(Written::Applied | Written::Added { .. }) => {
                let mut done = match (&result, form.target.is_delete()) {
                    (Ok(Written::Added { id }), _) => format!("added entry {}", escape(id)),
                    (_, true) => format!("deleted {}", what(&form.target)),
                    _ => format!("saved {}", what(&form.target)),
                };
                if form.over {
                    done.push_str(", replacing what was there");
                }
                done.push_str(undo_note(undo));
                Outcome::close(done, false).then(written)
            }
            Ok(Written::Conflict { current: Some(c) }) if form.target == Target::SetAdd => {
                let text = format!(
                    "{} is already a member: nothing was added",
                    fit(&escape(&c), 60)
                );
                Outcome::close(text, false).then(written)
            }
            Ok(Written::Conflict { current }) => {
                form.phase = Phase::Conflict { current };
                form.error = None;
                form.note = None;
                Outcome::ask(written)
            }
            Ok(Written::Missing) => {
                form.phase = back;
                form.error = Some(
                    "the key no longer exists: nothing was written (Esc keeps your text as a draft)"
                        .into(),
                );
                Outcome::used()
            }
            Err(e) if may_have_run(&e) => {
                // The write may have run before its answer was lost: it is
                // not sent again, the element is read back instead.
                let req = ctx.req();
                form.phase = Phase::Checking(req);
                form.error = Some(format!("{e}: it may have been written; reading it back…"));
                let Some(change) = form.sent.clone() else {
                    return Outcome::used();
                };
                let write = Write {
                    key: form.key.clone(),
                    change,
                    over: None,
                };
                Outcome::say(format!("{e}: the write may have happened"), true)
                    .effects([Effect::ReadBack { req, write }])
            }
            Err(e) => {
                form.phase = back;
                form.error = Some(format!("{e}; nothing was written"));
                Outcome::ask(Request::WriteFailed(e))
            }
        }
    }

    /// The read after a lost answer came back: say what happened, as sure
    /// as the server's state allows, and show the pane's new state.
    pub fn on_read_back(&mut self, req: ReqId, result: Result<Now, Error>) -> Outcome {
        let form = &mut self.form;
        if form.phase != Phase::Checking(req) {
            return Outcome::used();
        }
        let back = form.waiting_phase();
        let written = Request::Written(form.key.clone());
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
                return Outcome::close(text, false).then(written);
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
        Outcome::ask(written)
    }

    /// The ReJSON probe came back: edit the document, or say why not.
    pub fn on_json_probed(&mut self, req: ReqId, result: Result<bool, Error>) -> Outcome {
        if self.form.phase != Phase::Probing(req) {
            return Outcome::used();
        }
        match result {
            Ok(true) => {
                self.form.phase = Phase::Editing;
                Outcome::used()
            }
            Ok(false) => Outcome::close(
                "this database has no ReJSON module (JSON.SET): JSON documents cannot be edited here",
                true,
            ),
            Err(e) => Outcome::close(format!("could not check for ReJSON: {e}"), true),
        }
    }

    /// `$EDITOR` closed: its text goes into the form and is saved at once
    /// when it is valid; otherwise the form shows why, with the text kept.
    /// The final newline editors add is taken off again when the text had
    /// none. When the editor changed nothing, failed or quit without
    /// saving, nothing is written, and a form opened for the editor (`E`)
    /// closes, so it takes no keys meant for the panes.
    pub fn on_external(&mut self, result: Result<Vec<u8>, String>, ctx: &mut Ctx) -> Outcome {
        let form = &mut self.form;
        let Some(i) = form.main_field() else {
            return Outcome::used();
        };
        let handed = form.handed.take().unwrap_or_else(|| form.fields[i].value());
        let text = match result.map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                let why = "the editor left bytes that are not UTF-8";
                return self.gave_nothing(&format!("{why}: nothing was written"));
            }
            Err(e) => return self.gave_nothing(&format!("{e}; nothing was written")),
        };
        let text = without_added_newline(text, &handed);
        if text == handed {
            return self.gave_nothing("unchanged in $EDITOR: nothing was written");
        }
        let mut texts = form.texts();
        texts[i] = text;
        form.restore(&texts);
        form.focus = i;
        self.send(false, false, ctx)
    }

    /// The editor gave nothing to save: a form opened for it closes with
    /// `why` (keeping a draft if the user had typed), else it shows `why`.
    fn gave_nothing(&mut self, why: &str) -> Outcome {
        if !self.form.external {
            self.form.note = Some(why.to_owned());
            return Outcome::used();
        }
        self.close_keeping(why, true)
    }
}

impl Component for Edit {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let action = ctx.action(Context::Editor, &key);
        let form = &mut self.form;
        match (form.phase.clone(), action) {
            // The reply is awaited; a write in flight cannot be taken back.
            (Phase::Probing(_) | Phase::Saving(_) | Phase::Checking(_), _) => {}
            (Phase::Confirm, Some(Action::Confirm)) => return self.send(false, false, ctx),
            (Phase::Confirm, Some(Action::Deny | Action::Cancel)) => {
                return Outcome::close("nothing was deleted", false);
            }
            (Phase::ConfirmEmpty(_), Some(Action::Confirm)) => {
                let over = form.over;
                return self.send(over, true, ctx);
            }
            (Phase::ConfirmEmpty(_), Some(Action::Deny | Action::Cancel)) => {
                form.phase = Phase::Editing;
                form.note = Some("nothing was written; type the value, or Esc".into());
            }
            (Phase::Conflict { current }, Some(Action::Overwrite)) => match form.rebase(current) {
                Ok(()) => return self.send(true, false, ctx),
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
            (Phase::Conflict { .. } | Phase::Editing, Some(Action::Cancel)) => {
                return self.cancel();
            }
            (Phase::Editing, Some(Action::Save)) => return self.send(false, false, ctx),
            (Phase::Editing, Some(Action::EditExternal)) => return Outcome::run(hand_out(form)),
            (Phase::Editing, Some(Action::NextField)) => form.cycle_focus(false),
            (Phase::Editing, Some(Action::PrevField)) => form.cycle_focus(true),
            (Phase::Editing, Some(Action::Submit)) if form.enter_saves() => {
                return self.send(false, false, ctx);
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
        Outcome::used()
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.form.paste(text);
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        let widget = FormView {
            form: &self.form,
            theme: view.theme,
        };
        let area = FormView::area(Areas::new(screen).value);
        let cursor = widget.cursor(area);
        frame.render_widget(widget, area);
        if let Some(at) = cursor {
            frame.set_cursor_position(at);
        }
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
fn hand_out(form: &mut Form) -> Vec<Effect> {
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
