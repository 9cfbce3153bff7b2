//! A modal dialog: a titled box with text and choice fields, a line of
//! hints and an error line that keeps what the user typed; or a yes/no
//! confirmation with the facts to decide on.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::editor::TextArea;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::text::fit;
use crate::tui::theme::Theme;

/// Width of the label column.
const LABEL: usize = 10;

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Value {
    /// One line of text.
    Text(TextArea),
    /// One of a few options, cycled with left/right.
    Choice {
        options: &'static [&'static str],
        index: usize,
    },
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    pub value: Value,
    /// Not shown and skipped by Tab (a field the current choice does not need).
    pub hidden: bool,
}

impl Field {
    /// A text field, prefilled with `text`.
    pub fn text(label: &str, text: &str) -> Field {
        Field {
            label: label.to_owned(),
            value: Value::Text(TextArea::single(text)),
            hidden: false,
        }
    }

    /// A choice among `options`, the first one chosen.
    pub fn choice(label: &str, options: &'static [&'static str]) -> Field {
        Field {
            label: label.to_owned(),
            value: Value::Choice { options, index: 0 },
            hidden: false,
        }
    }
}

/// One hint of the dialog's last line: the keys a keymap section binds to
/// `actions`, and what they do (`y/Enter yes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub ctx: Context,
    pub actions: &'static [Action],
    pub what: &'static str,
}

impl Hint {
    /// A hint for `actions` of section `ctx`.
    pub const fn new(ctx: Context, actions: &'static [Action], what: &'static str) -> Hint {
        Hint { ctx, actions, what }
    }
}

/// What a key did to the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Enter in a form, `y` or Enter in a confirmation.
    Submit,
    /// Esc, or `n` in a confirmation.
    Cancel,
    /// A choice field changed (the owner may show other fields).
    Chose,
    /// Nothing the owner needs to act on.
    Nothing,
}

/// The dialog's state.
#[derive(Debug, Clone)]
pub struct Dialog {
    pub title: String,
    /// Facts shown above the fields (a confirmation's whole content).
    pub lines: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The last line, spelled with the keys the keymap binds.
    pub hints: Vec<Hint>,
    /// The last failure; the fields keep their text.
    pub error: Option<String>,
    /// Shown while a request is in flight; keys other than Esc wait.
    pub busy: Option<String>,
    confirm: bool,
}

impl Dialog {
    /// A form of fields; Enter submits, Esc cancels.
    pub fn form(title: &str, fields: Vec<Field>) -> Dialog {
        Dialog {
            title: title.to_owned(),
            lines: Vec::new(),
            fields,
            focus: 0,
            hints: vec![
                Hint::new(Context::Form, &[Action::Submit], "ok"),
                Hint::new(Context::Form, &[Action::NextField], "next field"),
                Hint::new(
                    Context::Form,
                    &[Action::ChoosePrev, Action::ChooseNext],
                    "choose",
                ),
                Hint::new(Context::Form, &[Action::Cancel], "cancel"),
            ],
            error: None,
            busy: None,
            confirm: false,
        }
    }

    /// A yes/no question with the facts in `lines`.
    pub fn confirm(title: &str, lines: Vec<String>) -> Dialog {
        Dialog {
            title: title.to_owned(),
            lines,
            fields: Vec::new(),
            focus: 0,
            hints: vec![
                Hint::new(Context::Dialog, &[Action::Confirm], "yes"),
                Hint::new(Context::Dialog, &[Action::Cancel], "no"),
            ],
            error: None,
            busy: None,
            confirm: true,
        }
    }

    /// The text of field `i` (empty for a choice or a missing field).
    pub fn text(&self, i: usize) -> &str {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Text(input)) => input.as_str(),
            _ => "",
        }
    }

    /// The chosen option of field `i`.
    pub fn choice(&self, i: usize) -> Option<&'static str> {
        match self.fields.get(i).map(|f| &f.value) {
            Some(Value::Choice { options, index }) => options.get(*index).copied(),
            _ => None,
        }
    }

    /// The keymap section that reads its keys: `dialog` for a yes/no
    /// question, `form` for fields.
    pub fn context(&self) -> Context {
        if self.confirm {
            Context::Dialog
        } else {
            Context::Form
        }
    }

    /// Handles one key: `action` is what [`Dialog::context`]'s section binds
    /// it to; keys bound to nothing type into a text field.
    pub fn on_key(&mut self, action: Option<Action>, key: KeyEvent) -> Reply {
        if self.busy.is_some() {
            return Reply::Nothing;
        }
        if self.confirm {
            return match action {
                Some(Action::Confirm) => Reply::Submit,
                Some(Action::Cancel) => Reply::Cancel,
                _ => Reply::Nothing,
            };
        }
        let field = self.fields.get_mut(self.focus).map(|f| &mut f.value);
        match (action, field) {
            (Some(Action::Submit), _) => Reply::Submit,
            (Some(Action::Cancel), _) => Reply::Cancel,
            (Some(Action::NextField), _) => {
                self.step(1);
                Reply::Nothing
            }
            (Some(Action::PrevField), _) => {
                self.step(-1);
                Reply::Nothing
            }
            (
                Some(a @ (Action::ChooseNext | Action::ChoosePrev)),
                Some(Value::Choice { options, index }),
            ) => {
                let n = options.len().max(1);
                *index = if a == Action::ChooseNext {
                    (*index + 1) % n
                } else {
                    (*index + n - 1) % n
                };
                Reply::Chose
            }
            // Left, Right and Space move and type in a text field.
            (_, Some(Value::Text(input))) => {
                input.input(&key);
                Reply::Nothing
            }
            _ => Reply::Nothing,
        }
    }

    /// Pasted text, into the focused text field.
    pub fn paste(&mut self, text: &str) {
        if self.busy.is_some() {
            return;
        }
        if let Some(Value::Text(input)) = self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            input.insert_str(text);
        }
    }

    /// Moves the focus to the next (or previous) shown field.
    fn step(&mut self, delta: isize) {
        let n = self.fields.len();
        for k in 1..=n {
            let i = (self.focus as isize + delta * k as isize).rem_euclid(n as isize) as usize;
            if !self.fields[i].hidden {
                self.focus = i;
                return;
            }
        }
    }

    fn shown(&self) -> impl Iterator<Item = (usize, &Field)> {
        self.fields.iter().enumerate().filter(|(_, f)| !f.hidden)
    }

    /// Where the box goes on a screen of `area`: centred, sized to its content.
    pub fn area(&self, area: Rect) -> Rect {
        let rows = self.lines.len()
            + self.shown().count()
            + 2
            + usize::from(self.error.is_some() || self.busy.is_some());
        let height = (rows as u16 + 2).min(area.height);
        let width = 64.min(area.width);
        Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        }
    }

    /// The terminal cursor inside the focused text field, if there is one.
    pub fn cursor(&self, area: Rect) -> Option<(u16, u16)> {
        let Some(Value::Text(input)) = self.fields.get(self.focus).map(|f| &f.value) else {
            return None;
        };
        let row = self.shown().position(|(i, _)| i == self.focus)?;
        let inner = area.inner(ratatui::layout::Margin::new(1, 1));
        let width = inner.width.saturating_sub(LABEL as u16 + 2) as usize;
        let x = inner.x + LABEL as u16 + 2 + input.window(width).cursor as u16;
        let y = inner.y + (self.lines.len() + row) as u16;
        (y < inner.bottom()).then_some((x.min(inner.right().saturating_sub(1)), y))
    }
}

/// A borrowed view of a dialog.
pub struct View<'a> {
    pub dialog: &'a Dialog,
    pub theme: &'a Theme,
    /// Spells the hints.
    pub keymap: &'a Keymap,
}

/// The hints line: `y/Enter yes · n/Esc no` in the keys bound now.
pub fn hints_line(hints: &[Hint], keymap: &Keymap) -> String {
    hints
        .iter()
        .filter_map(|h| Some(format!("{} {}", keymap.spell(h.ctx, h.actions)?, h.what)))
        .collect::<Vec<_>>()
        .join(" · ")
}

impl Widget for View<'_> {
    fn render(self, screen: Rect, buf: &mut Buffer) {
        let (d, t) = (self.dialog, self.theme);
        let area = d.area(screen);
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(format!(" {} ", d.title), t.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let width = inner.width as usize;
        let mut lines: Vec<Line> = d.lines.iter().map(|l| Line::raw(fit(l, width))).collect();
        for (i, f) in d.shown() {
            let label = Span::styled(format!("{:>LABEL$}: ", f.label), t.dim);
            let room = width.saturating_sub(LABEL + 2);
            let value = match &f.value {
                Value::Text(input) => Span::raw(input.window(room).text),
                Value::Choice { options, index } => {
                    let style = if i == d.focus { t.selected } else { t.hint_key };
                    Span::styled(format!("‹ {} ›", options.get(*index).unwrap_or(&"")), style)
                }
            };
            let label = if i == d.focus {
                label.style(t.hint_key)
            } else {
                label
            };
            lines.push(Line::from(vec![label, value]));
        }
        if let Some(busy) = &d.busy {
            lines.push(Line::styled(fit(busy, width), t.warn));
        } else if let Some(error) = &d.error {
            lines.push(Line::styled(fit(error, width), t.error));
        }
        lines.push(Line::raw(""));
        let hints = hints_line(&d.hints, self.keymap);
        lines.push(Line::styled(fit(&hints, width), t.dim));
        for (row, line) in lines.into_iter().enumerate() {
            let y = inner.y + row as u16;
            if y >= inner.bottom() {
                break;
            }
            line.render(Rect::new(inner.x, y, inner.width, 1), buf);
        }
    }
}
