//! Draws the Console pane: the scrollback, the command line with its hint or
//! the Ctrl-R search, and the confirmation box over it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::{Prompt, State};
use crate::console::scrollback::Kind;
use crate::redis_cli::Mode;
use crate::tui::keymap::{Action, Context, Hint, Keymap};
use crate::tui::text::fit;
use crate::tui::theme::Theme;

/// The prompt before the typed text.
const PROMPT: &str = "> ";

/// The name of an output mode, as the title shows it.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Tty => "redis-cli",
        Mode::Raw => "raw",
        Mode::Json => "JSON",
    }
}

/// The status bar's hints while the Console has the focus, from the
/// section that reads its keys (the line's, the history search's, a form's).
pub fn hints(state: &State, keymap: &Keymap) -> Vec<Hint> {
    match state.prompt() {
        Prompt::Editing => keymap.pick(
            Context::Console,
            &[
                (&[Action::Send], "send"),
                (&[Action::Complete], "complete"),
                (&[Action::HistoryPrev, Action::HistoryNext], "history"),
                (&[Action::HistorySearch], "search"),
                (&[Action::OutputMode], "raw/JSON"),
                (&[Action::PageUp, Action::PageDown], "scroll"),
                (&[Action::Cancel], "leave"),
            ],
        ),
        Prompt::Search(_) => keymap.pick(
            Context::HistorySearch,
            &[
                (&[Action::Apply], "take the line"),
                (&[Action::SearchNext], "older"),
                (&[Action::Cancel], "back"),
            ],
        ),
        Prompt::Confirm { .. } => keymap.pick(
            Context::Form,
            &[(&[Action::Submit], "send"), (&[Action::Cancel], "cancel")],
        ),
    }
}

/// Rows of scrollback that fit in a Console pane of this size.
pub fn scrollback_height(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(3))
}

/// Cells in a row of scrollback: longer lines wrap.
pub fn scrollback_width(area: Rect) -> usize {
    usize::from(block().inner(area).width)
}

/// Cells for the typed text after the prompt, one kept for the cursor.
fn room(width: usize) -> usize {
    width.saturating_sub(PROMPT.len())
}

/// A borrowed view of the Console pane.
pub struct View<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
    pub focused: bool,
    /// For the keys the confirmation box names.
    pub keymap: &'a Keymap,
}

impl View<'_> {
    /// Where the terminal cursor goes when the pane has the focus.
    pub fn cursor(&self, area: Rect) -> Option<(u16, u16)> {
        let inner = block().inner(area);
        if inner.height == 0 {
            return None;
        }
        match self.state.prompt() {
            Prompt::Editing => {
                let x = self.state.input().window(room(inner.width.into())).cursor;
                let x = u16::try_from(PROMPT.len() + x).unwrap_or(u16::MAX);
                Some((
                    inner.x + x.min(inner.width.saturating_sub(1)),
                    inner.bottom() - 1,
                ))
            }
            Prompt::Search(_) => None,
            Prompt::Confirm { answer, .. } => {
                let inside = confirm_area(area).inner(ratatui::layout::Margin::new(1, 1));
                let x = answer.window(room(inside.width.into())).cursor;
                let x = u16::try_from(PROMPT.len() + x).unwrap_or(u16::MAX);
                Some((
                    inside.x + x.min(inside.width.saturating_sub(1)),
                    inside.bottom().saturating_sub(1),
                ))
            }
        }
    }

    fn line_style(&self, kind: Kind) -> Style {
        match kind {
            Kind::Input => self.theme.hint_key,
            Kind::Output => Style::new(),
            Kind::Error => self.theme.error,
            Kind::Notice => self.theme.dim,
        }
    }

    fn command_line(&self, width: usize) -> Line<'static> {
        let t = self.theme;
        match self.state.prompt() {
            Prompt::Search(search) => {
                let found = search
                    .found
                    .and_then(|i| self.state.history().get(i))
                    .unwrap_or_default();
                let label = if search.found.is_some() || search.query.is_empty() {
                    "reverse-i-search"
                } else {
                    "failing reverse-i-search"
                };
                let text = format!(
                    "({label})`{}': {}",
                    search.query,
                    found.replace('\n', " ⏎ ")
                );
                Line::styled(fit(&text, width), t.warn)
            }
            Prompt::Editing | Prompt::Confirm { .. } => {
                let room = room(width);
                let shown = self.state.input().window(room).text;
                let used = unicode_width::UnicodeWidthStr::width(shown.as_str());
                let mut spans = vec![Span::styled(PROMPT, t.hint_key)];
                if let Some(h) = self.state.hint() {
                    let left = room.saturating_sub(used);
                    spans.push(Span::raw(shown));
                    spans.push(Span::styled(fit(&h, left), t.dim));
                } else {
                    spans.push(Span::raw(shown));
                }
                Line::from(spans)
            }
        }
    }
}

fn block() -> Block<'static> {
    Block::default().borders(Borders::ALL)
}

/// The confirmation box: centred over the pane, four lines of text.
fn confirm_area(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(72);
    let height = 7.min(area.height);
    let [_, row, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, col, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(row);
    col
}

impl Widget for View<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let sb = self.state.scrollback();
        let mut title = vec![Span::styled(" 3 Console ", t.title)];
        title.push(Span::styled(format!("[{}] ", mode_name(sb.mode())), t.dim));
        if !sb.is_following() {
            title.push(Span::styled("[scrolled: PgDn / Ctrl-End] ", t.warn));
        }
        let block = block()
            .border_style(t.border(self.focused))
            .title(Line::from(title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let width = usize::from(inner.width);
        let rows = usize::from(inner.height - 1);
        let lines = sb.window(rows);
        if lines.is_empty() && rows > 0 {
            let welcome = "Type a command as in redis-cli; HELP shows what the console knows.";
            Paragraph::new(Line::styled(welcome, t.dim))
                .wrap(Wrap { trim: true })
                .render(
                    Rect {
                        height: inner.height - 1,
                        ..inner
                    },
                    buf,
                );
        }
        // Bottom-aligned, like a terminal, while the output is short.
        let top = inner.y + u16::try_from(rows - lines.len().min(rows)).unwrap_or(0);
        for (i, line) in lines.iter().enumerate() {
            let y = top + u16::try_from(i).unwrap_or(u16::MAX);
            if y >= inner.bottom() - 1 {
                break;
            }
            let row = Rect {
                y,
                height: 1,
                ..inner
            };
            Line::styled(fit(&line.text, width), self.line_style(line.kind)).render(row, buf);
        }
        let prompt_row = Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        };
        self.command_line(width).render(prompt_row, buf);
        if let Prompt::Confirm {
            confirm, answer, ..
        } = self.state.prompt()
        {
            let dialog = confirm_area(area);
            Clear.render(dialog, buf);
            let key = |a| {
                let label = self.keymap.label(Context::Form, a, 1);
                label.unwrap_or_else(|| "?".into())
            };
            let (submit, cancel) = (key(Action::Submit), key(Action::Cancel));
            let word = confirm.type_to_confirm.as_deref().unwrap_or("y");
            let how = format!("Type {word} and press {submit} to send it; {cancel} cancels.");
            let outer = Block::default()
                .borders(Borders::ALL)
                .border_style(t.warn)
                .title(Span::styled(
                    format!(" Confirm {} ", confirm.command),
                    t.title,
                ));
            let inside = outer.inner(dialog);
            outer.render(dialog, buf);
            let [text, answer_row] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inside);
            Paragraph::new(vec![
                Line::styled(confirm.why.clone(), t.warn),
                Line::raw(how),
            ])
            .wrap(Wrap { trim: false })
            .render(text, buf);
            Line::from(vec![
                Span::styled(PROMPT, t.hint_key),
                Span::raw(answer.window(room(answer_row.width.into())).text),
            ])
            .render(answer_row, buf);
        }
    }
}
