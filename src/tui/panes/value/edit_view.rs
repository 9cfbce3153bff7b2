//! The edit form drawn over the Value pane: its inputs, the delete
//! confirmation, the save in flight, and the conflict view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::conflict;
use super::edit::{Form, Input, Phase};
use super::target::Target;
use crate::tui::keymap::{Action, Context, Hint, Keymap};
use crate::tui::text::{escape, fit};
use crate::tui::theme::Theme;
use crate::tui::widgets::editor::Area;

/// A borrowed view of the form.
pub struct FormView<'a> {
    pub form: &'a Form,
    pub theme: &'a Theme,
}

/// What the form changes, in a few words.
pub fn what(target: &Target) -> String {
    let e = |b: &[u8]| fit(&escape(b), 40);
    match target {
        Target::String { .. } => "the string".into(),
        Target::HashSet { field, .. } => format!("field {}", e(field)),
        Target::HashAdd => "a new field".into(),
        Target::HashDelete { field, .. } => format!("field {}", e(field)),
        Target::ListSet { index, .. } | Target::ListRemove { index, .. } => {
            format!("element {index}")
        }
        Target::ListAdd { .. } => "a new element".into(),
        Target::SetAdd => "a new member".into(),
        Target::SetRemove { member } => format!("member {}", e(member)),
        Target::ZsetScore { member, .. } => format!("the score of {}", e(member)),
        Target::ZsetAdd => "a new member".into(),
        Target::ZsetRemove { member, .. } => format!("member {}", e(member)),
        Target::StreamAdd => "a new entry".into(),
        Target::StreamDelete { id } => format!("entry {}", e(id)),
        Target::Json { .. } => "the document at a path".into(),
    }
}

/// A yes-or-no question: its lines, then what `y` and `n` do.
fn question<'a>(mut lines: Vec<Line<'a>>, yes: &'a str, no: &'a str, t: &Theme) -> Paragraph<'a> {
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", t.hint_key),
        Span::raw(format!(" {yes}   ")),
        Span::styled("n", t.hint_key),
        Span::raw(format!(" {no}")),
    ]));
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// The element an add form names in its first input: `field f1`.
fn added(form: &Form) -> String {
    let noun = match form.target {
        Target::HashAdd => "field",
        Target::SetAdd | Target::ZsetAdd => "member",
        _ => "element",
    };
    let name = form.fields.first().map(|f| f.value()).unwrap_or_default();
    format!("{noun} {}", fit(&escape(name.as_bytes()), 40))
}

/// Key hints for the form's phase, from the `[editor]` keymap section.
pub fn hints(form: &Form, keymap: &Keymap) -> Vec<Hint> {
    let pick = |wanted: &[(&[Action], &'static str)]| keymap.pick(Context::Editor, wanted);
    match form.phase {
        Phase::Editing => pick(&[
            (&[Action::Save], "save"),
            (&[Action::NextField], "next input"),
            (&[Action::EditExternal], "$EDITOR"),
            (&[Action::Cancel], "cancel (keeps a draft)"),
        ]),
        Phase::Confirm => pick(&[
            (&[Action::Confirm], "delete"),
            (&[Action::Deny, Action::Cancel], "keep it"),
        ]),
        Phase::ConfirmEmpty(_) => pick(&[
            (&[Action::Confirm], "save it empty"),
            (&[Action::Deny, Action::Cancel], "back"),
        ]),
        Phase::Conflict { .. } => pick(&[
            (&[Action::Overwrite], "overwrite"),
            (&[Action::EditAgain], "edit again"),
            (&[Action::Cancel], "cancel (keeps a draft)"),
        ]),
        Phase::Probing(_) | Phase::Saving(_) | Phase::Checking(_) => Vec::new(),
    }
}

impl FormView<'_> {
    /// Where the form goes inside the Value pane's area.
    pub fn area(pane: Rect) -> Rect {
        pane
    }

    /// The rectangle of each input inside the block's `inner` area: a label
    /// line, then one row for a one-line input or a share of what is left.
    fn inputs(&self, inner: Rect) -> Vec<Rect> {
        let fields = &self.form.fields;
        let singles = fields
            .iter()
            .filter(|f| !matches!(&f.input, Input::Text { area, .. } if area.is_multi_line()))
            .count() as u16;
        let multis = fields.len() as u16 - singles;
        // Labels, single rows, and three lines at the bottom for news.
        let fixed = fields.len() as u16 + singles + 3;
        let share = inner.height.saturating_sub(fixed) / multis.max(1);
        let mut y = inner.y;
        let mut out = Vec::new();
        for f in fields {
            y += 1;
            let multi = matches!(&f.input, Input::Text { area, .. } if area.is_multi_line());
            let h = if multi { share.max(1) } else { 1 };
            let h = h.min(inner.bottom().saturating_sub(y));
            out.push(Rect::new(inner.x, y, inner.width, h));
            y += h;
        }
        out
    }

    fn block(&self) -> Block<'static> {
        let t = self.theme;
        let form = self.form;
        let title = match form.phase {
            Phase::Conflict { .. } if form.target.is_add() => {
                format!(" {} exists ", added(form))
            }
            Phase::Confirm => format!(" delete {} ", what(&form.target)),
            Phase::Conflict { .. } => format!(" conflict on {} ", what(&form.target)),
            _ if form.target.is_add() => format!(" add {} ", what(&form.target)),
            _ => format!(" edit {} ", what(&form.target)),
        };
        Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(title, t.title))
    }

    /// The terminal cursor, in the focused text input while typing.
    pub fn cursor(&self, area: Rect) -> Option<(u16, u16)> {
        if self.form.phase != Phase::Editing {
            return None;
        }
        let inner = self.block().inner(area);
        let rect = *self.inputs(inner).get(self.form.focus)?;
        match &self.form.fields.get(self.form.focus)?.input {
            Input::Text { area, .. } if rect.height > 0 => Some(area.cursor_in(rect)),
            _ => None,
        }
    }
}

impl Widget for FormView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let form = self.form;
        Clear.render(area, buf);
        let block = self.block();
        let inner = block.inner(area);
        block.render(area, buf);
        // The line of news at the bottom, wrapped upwards as far as `lowest`.
        let news = |buf: &mut Buffer, lowest: u16| {
            let line = match (&form.error, &form.note, &form.phase) {
                (Some(e), _, _) => Line::styled(e.clone(), t.error),
                (_, _, Phase::Saving(_)) => Line::styled("saving…", t.dim),
                (_, _, Phase::Probing(_)) => Line::styled("checking for ReJSON…", t.dim),
                (_, _, Phase::Checking(_)) => {
                    Line::styled("reading back what the server holds now…", t.warn)
                }
                (_, Some(n), _) => Line::styled(n.clone(), t.warn),
                _ => return,
            };
            let width = inner.width.max(1) as usize;
            // Words wrap, not characters: one more row for what they leave.
            let rows = match line.width().div_ceil(width) {
                0 | 1 => 1,
                n => n + 1,
            } as u16;
            let free = inner.bottom().saturating_sub(lowest).max(1);
            let y = inner.bottom().saturating_sub(rows.min(free)).max(inner.y);
            let rows = inner.bottom().saturating_sub(y);
            Paragraph::new(line)
                .wrap(Wrap { trim: true })
                .render(Rect::new(inner.x, y, inner.width, rows), buf);
        };
        match &form.phase {
            Phase::Confirm => {
                let key = fit(&escape(&form.key), inner.width as usize);
                let lines = vec![
                    Line::raw(format!("Delete {} of", what(&form.target))),
                    Line::styled(key, t.title),
                ];
                question(lines, "delete", "keep it", t).render(inner, buf);
                news(buf, inner.y + 5);
                return;
            }
            Phase::ConfirmEmpty(names) => {
                let what = names.join(" and ");
                let verb = if names.len() > 1 { "are" } else { "is" };
                let lines = vec![
                    Line::styled(format!("The {what} {verb} empty."), t.warn),
                    Line::raw(format!(
                        "Save {} with an empty {what}?",
                        self::what(&form.target)
                    )),
                ];
                question(lines, "save it empty", "back to the form", t).render(inner, buf);
                news(buf, inner.y + 5);
                return;
            }
            Phase::Conflict { current } => {
                let mine = form.main_field().map(|i| form.fields[i].value());
                let headline = if form.target.is_add() {
                    format!("{} already exists: nothing was written.", added(form))
                } else {
                    "Someone changed this since you loaded it: nothing was written.".to_owned()
                };
                conflict::View {
                    current: current.as_deref(),
                    mine: &mine.unwrap_or_else(|| form.texts().join(" ")),
                    headline: &headline,
                    theme: t,
                }
                .render(
                    Rect::new(
                        inner.x,
                        inner.y,
                        inner.width,
                        inner.height.saturating_sub(1),
                    ),
                    buf,
                );
                news(buf, inner.bottom().saturating_sub(1));
                return;
            }
            _ => {}
        }
        let inputs = self.inputs(inner);
        let lowest = inputs.iter().map(|r| r.bottom()).max().unwrap_or(inner.y);
        for ((i, f), rect) in form.fields.iter().enumerate().zip(inputs) {
            let focused = i == form.focus;
            let label_style = if focused { t.hint_key } else { t.dim };
            let mut label = vec![Span::styled(f.label, label_style)];
            if let Input::Text { hex: true, .. } = f.input {
                label.push(Span::styled(" (hex: not text)", t.dim));
            }
            let label_row = Rect::new(inner.x, rect.y.saturating_sub(1), inner.width, 1);
            Line::from(label).render(label_row, buf);
            match &f.input {
                Input::Text { area, .. } => Area {
                    text: area,
                    style: if focused {
                        t.selected
                    } else {
                        ratatui::style::Style::new()
                    },
                }
                .render(rect, buf),
                Input::Choice { options, at } => {
                    let spans: Vec<Span> = options
                        .iter()
                        .enumerate()
                        .map(|(n, o)| {
                            let s = if n == *at { t.selected } else { t.dim };
                            Span::styled(format!(" {o} "), s)
                        })
                        .collect();
                    Line::from(spans).render(rect, buf);
                }
            }
        }
        news(buf, lowest);
    }
}
