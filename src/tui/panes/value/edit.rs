//! The form an edit in the Value pane is typed into: labelled inputs for a
//! [`Target`], the phase of the write (editing, confirming, saving, in
//! conflict), and drafts that keep the user's text when they cancel.
//!
//! Values that are not text edit as hex (`68 65 6c 6c 6f`, whitespace
//! ignored) and round-trip byte for byte.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::target::{Intent, Target};
use crate::edit::Change;
use crate::tui::msg::ReqId;
use crate::tui::widgets::editor::TextArea;
use crate::value::Session;
use crate::value::format::{is_text, json};

/// Where a write stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The user is typing.
    Editing,
    /// A delete waits for y or n.
    Confirm,
    /// Saving an empty value (or name) waits for y or n: emptiness is
    /// written only when asked for; the inputs named are empty.
    ConfirmEmpty(Vec<&'static str>),
    /// Asking the server whether it has ReJSON before editing a document.
    Probing(ReqId),
    /// The write is out; its reply is awaited.
    Saving(ReqId),
    /// The write's answer was lost (a timeout): what the server holds now is
    /// being read back.
    Checking(ReqId),
    /// Nothing was written: the value changed to `current` (`None`: gone).
    Conflict { current: Option<Vec<u8>> },
}

/// One input of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Text; `hex` when the bytes are shown as hex digits.
    Text { area: TextArea, hex: bool },
    /// One of a few words, cycled with ←/→ or Space.
    Choice {
        options: &'static [&'static str],
        at: usize,
    },
}

/// A labelled input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
}

impl Field {
    fn text(label: &'static str, bytes: &[u8], single: bool) -> Field {
        let (text, hex) = to_text(bytes);
        let area = if single {
            TextArea::single(&text)
        } else {
            TextArea::new(&text)
        };
        Field {
            label,
            input: Input::Text { area, hex },
        }
    }

    /// The input's text (the chosen word for a choice).
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text { area, .. } => area.text(),
            Input::Choice { options, at } => options.get(*at).copied().unwrap_or("").into(),
        }
    }

    /// The input as bytes; hex digits are decoded, with a clear error.
    fn bytes(&self) -> Result<Vec<u8>, String> {
        match &self.input {
            Input::Text { area, hex: true } => from_hex(&area.text())
                .map_err(|e| format!("{}: {e} (your text is kept)", self.label)),
            other => Ok(match other {
                Input::Text { area, .. } => area.text().into_bytes(),
                Input::Choice { .. } => self.value().into_bytes(),
            }),
        }
    }
}

/// Bytes as editable text: themselves when they are text, else hex pairs.
pub fn to_text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) if is_text(bytes) => (s.to_owned(), false),
        _ => {
            let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            (pairs.join(" "), true)
        }
    }
}

/// Hex digits (whitespace ignored) back to bytes.
pub fn from_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(&digits).map_err(|e| match e {
        hex::FromHexError::OddLength => format!("an odd number of hex digits ({})", digits.len()),
        hex::FromHexError::InvalidHexCharacter { c, .. } => format!("{c:?} is not a hex digit"),
        other => other.to_string(),
    })
}

/// An edit being typed, confirmed or saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The key being changed.
    pub key: Vec<u8>,
    pub target: Target,
    pub fields: Vec<Field>,
    /// The input with the keyboard.
    pub focus: usize,
    pub phase: Phase,
    /// Why the last save did not happen, or what went wrong.
    pub error: Option<String>,
    /// A line of news (a draft came back).
    pub note: Option<String>,
    /// Whether the value was JSON, so the text must be JSON to be saved.
    pub json: bool,
    /// Whether the save in flight replaces someone else's newer value.
    pub over: bool,
    /// Whether the form was opened for `$EDITOR` (`E`): when the editor
    /// gives nothing to save, the form closes instead of waiting for keys.
    pub external: bool,
    /// The text last handed to `$EDITOR`, to tell what it changed.
    pub handed: Option<String>,
    /// The change last sent, to read back when its answer is lost.
    pub sent: Option<Change>,
    initial: Vec<String>,
}

impl Form {
    /// The form for `intent` on row `index` of the open key.
    pub fn open(s: &Session, index: usize, intent: Intent) -> Result<Form, String> {
        let target = Target::from_session(s, index, intent)?;
        let seen = target.seen_value().unwrap_or_default().to_vec();
        let fields = match &target {
            Target::String { .. } | Target::HashSet { .. } | Target::ListSet { .. } => {
                vec![Field::text("value", &seen, false)]
            }
            Target::HashAdd => vec![
                Field::text("field", b"", true),
                Field::text("value", b"", false),
            ],
            Target::ListAdd { at } => vec![
                Field::text("value", b"", false),
                Field {
                    label: "where",
                    input: Input::Choice {
                        options: if at.is_some() {
                            &["tail", "head", "after", "before"]
                        } else {
                            &["tail", "head"]
                        },
                        at: 0,
                    },
                },
            ],
            Target::SetAdd => vec![Field::text("member", b"", true)],
            Target::ZsetScore { seen, .. } => {
                let score = seen.map(crate::value::score::text).unwrap_or_default();
                vec![Field::text("score", score.as_bytes(), true)]
            }
            Target::ZsetAdd => vec![
                Field::text("member", b"", true),
                Field::text("score", b"0", true),
            ],
            Target::StreamAdd => vec![
                Field::text("id", b"*", true),
                Field::text("fields (one `field value` a line)", b"", false),
            ],
            Target::Json { .. } => vec![
                Field::text("path", b".", true),
                Field::text("value", &seen, false),
            ],
            _ => Vec::new(),
        };
        let json = matches!(target, Target::Json { .. }) || json::is_container(&seen);
        let phase = if target.is_delete() {
            Phase::Confirm
        } else {
            Phase::Editing
        };
        let mut form = Form {
            key: s.key().to_vec(),
            focus: 0,
            phase,
            error: None,
            note: None,
            json,
            over: false,
            external: false,
            handed: None,
            sent: None,
            initial: Vec::new(),
            target,
            fields,
        };
        form.initial = form.texts();
        Ok(form)
    }

    /// The phase that waits for the user again after a write did not
    /// happen: the delete's question, or the inputs.
    pub fn waiting_phase(&self) -> Phase {
        if self.target.is_delete() {
            Phase::Confirm
        } else {
            Phase::Editing
        }
    }

    /// The text of every input, in order.
    pub fn texts(&self) -> Vec<String> {
        self.fields.iter().map(Field::value).collect()
    }

    /// Whether the user changed anything.
    pub fn is_changed(&self) -> bool {
        self.texts() != self.initial
    }

    /// Puts a draft's texts back into the inputs.
    pub fn restore(&mut self, texts: &[String]) {
        for (f, text) in self.fields.iter_mut().zip(texts) {
            match &mut f.input {
                Input::Text { area, .. } if area.is_multi_line() => *area = TextArea::new(text),
                Input::Text { area, .. } => *area = TextArea::single(text),
                Input::Choice { options, at } => {
                    *at = options.iter().position(|o| o == text).unwrap_or(0)
                }
            }
        }
    }

    /// The index of the input `$EDITOR` edits: the value, the biggest one.
    pub fn main_field(&self) -> Option<usize> {
        self.fields
            .iter()
            .rposition(|f| matches!(&f.input, Input::Text { area, .. } if area.is_multi_line()))
    }

    /// Whether the focused input is a choice.
    pub fn choosing(&self) -> bool {
        let focused = self.fields.get(self.focus).map(|f| &f.input);
        matches!(focused, Some(Input::Choice { .. }))
    }

    /// The next (or previous) option of the focused input, when it is a
    /// choice; false when it is not.
    pub fn choose(&mut self, forward: bool) -> bool {
        let Some(Input::Choice { options, at }) =
            self.fields.get_mut(self.focus).map(|f| &mut f.input)
        else {
            return false;
        };
        let n = options.len().max(1);
        *at = if forward {
            (*at + 1) % n
        } else {
            (*at + n - 1) % n
        };
        true
    }

    /// Passes a key to the focused input; false if it did not use it.
    /// Text typed on a choice goes to the text input instead, so it never
    /// vanishes.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        match &mut f.input {
            Input::Text { area, .. } => area.input(key),
            Input::Choice { .. } => match key.code {
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    self.type_into_text(&c.to_string())
                }
                _ => false,
            },
        }
    }

    /// Moves the keyboard from a choice to the main text input and puts
    /// `text` there; false when the form has no text input.
    fn type_into_text(&mut self, text: &str) -> bool {
        let Some(i) = self.main_field() else {
            return false;
        };
        let choice = self.fields.get(self.focus).map_or("", |f| f.label);
        self.focus = i;
        if let Some(Field {
            input: Input::Text { area, .. },
            label,
        }) = self.fields.get_mut(i)
        {
            area.insert_str(text);
            self.note = Some(format!("text goes to {label}; {choice}: ←/→, Space"));
        }
        true
    }

    /// Whether Enter saves (the focused input is not a multi-line text).
    pub fn enter_saves(&self) -> bool {
        !self
            .fields
            .get(self.focus)
            .is_some_and(|f| matches!(&f.input, Input::Text { area, .. } if area.is_multi_line()))
    }

    /// Pasted text into the focused input (the text input when a choice
    /// has the keyboard).
    pub fn paste(&mut self, text: &str) {
        match self.fields.get_mut(self.focus) {
            Some(Field {
                input: Input::Text { area, .. },
                ..
            }) => area.insert_str(text),
            Some(_) => {
                self.type_into_text(text);
            }
            None => {}
        }
    }

    /// The inputs that would save emptiness the user did not clearly ask
    /// for: a value, field name or member left empty in an add, or emptied
    /// in an edit.
    pub fn empty_inputs(&self) -> Vec<&'static str> {
        let adding = self.target.is_add();
        self.fields
            .iter()
            .zip(&self.initial)
            .filter(|(f, was)| {
                matches!(f.input, Input::Text { .. })
                    && matches!(f.label, "value" | "field" | "member")
                    && f.value().is_empty()
                    && (adding || !was.is_empty())
            })
            .map(|(f, _)| f.label)
            .collect()
    }

    /// After a conflict, takes `current` as what the user has now seen, so
    /// that saving again replaces it. Adding a field or member that exists
    /// turns into editing it, with the user's new value kept.
    pub fn rebase(&mut self, current: Option<Vec<u8>>) -> Result<(), String> {
        let name = || self.fields.first().map(Field::bytes).transpose();
        let (target, shown) = match (&self.target, &current) {
            (Target::HashAdd, Some(c)) => (
                Target::HashSet {
                    field: name()?.unwrap_or_default(),
                    seen: Some(c.clone()),
                },
                to_text(c).0,
            ),
            (Target::ZsetAdd, Some(c)) => {
                let seen = super::target::parse_score(&String::from_utf8_lossy(c))?;
                let member = name()?.unwrap_or_default();
                (
                    Target::ZsetScore {
                        member,
                        seen: Some(seen),
                    },
                    crate::value::score::text(seen),
                )
            }
            _ => return self.target.rebase(current),
        };
        // The name input goes; the value (or score) input stays as typed,
        // measured against what is there now.
        self.fields.remove(0);
        self.initial = vec![shown];
        self.focus = 0;
        self.target = target;
        Ok(())
    }

    /// Moves the keyboard to the next (or previous) input.
    pub fn cycle_focus(&mut self, back: bool) {
        let n = self.fields.len().max(1);
        self.focus = if back {
            (self.focus + n - 1) % n
        } else {
            (self.focus + 1) % n
        };
    }

    /// The checked change the form stands for, or why it cannot be saved.
    pub fn change(&self) -> Result<Change, String> {
        let parts = self
            .fields
            .iter()
            .map(Field::bytes)
            .collect::<Result<Vec<_>, _>>()?;
        if self.json
            && let Some(i) = self.main_field()
            && let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&parts[i])
        {
            return Err(format!(
                "not valid JSON ({e}); your text is kept: fix it, or Esc to cancel"
            ));
        }
        let choice = self
            .fields
            .iter()
            .find(|f| matches!(f.input, Input::Choice { .. }))
            .map(Field::value)
            .unwrap_or_default();
        self.target.change(&parts, &choice)
    }
}

/// The user's unsaved texts by key and element, so `e` offers them again.
#[derive(Debug, Default)]
pub struct Drafts(HashMap<(Vec<u8>, String), Vec<String>>);

impl Drafts {
    /// Keeps the form's texts if the user changed anything; whether it did.
    pub fn keep(&mut self, form: &Form) -> bool {
        if !form.is_changed() {
            return false;
        }
        self.0
            .insert((form.key.clone(), form.target.draft_id()), form.texts());
        true
    }

    /// Takes the draft for the form's element back into it; whether there was one.
    pub fn take_into(&mut self, form: &mut Form) -> bool {
        match self.0.remove(&(form.key.clone(), form.target.draft_id())) {
            Some(texts) => {
                form.restore(&texts);
                true
            }
            None => false,
        }
    }

    /// Whether there is a draft for this element of `key`.
    pub fn has(&self, key: &[u8], target: &Target) -> bool {
        self.0.contains_key(&(key.to_vec(), target.draft_id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_round_trips_through_hex() {
        let bytes = vec![0u8, 0xff, b'h', 0x80, b'\n'];
        let (text, hex) = to_text(&bytes);
        assert!(hex);
        assert_eq!(text, "00 ff 68 80 0a");
        assert_eq!(from_hex(&text).as_deref(), Ok(&bytes[..]));
        assert_eq!(from_hex(" 0 0ff\n68"), Ok(vec![0, 0xff, 0x68]));
        assert_eq!(
            from_hex("abc"),
            Err("an odd number of hex digits (3)".into())
        );
        assert_eq!(from_hex("zz"), Err("'z' is not a hex digit".into()));
        assert_eq!(to_text("héllo\n".as_bytes()), ("héllo\n".into(), false));
    }
}
