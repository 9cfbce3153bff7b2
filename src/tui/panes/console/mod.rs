//! The Console pane: a redis-cli-style command line with history, reverse
//! search, completion, inline hints, checks before sending, confirmations
//! and a scrollback. The engine lives in [`crate::console`]; this is its
//! keyboard and screen.

pub mod view;

#[cfg(test)]
mod tests;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler as _;
use tui_input::{Input, InputRequest};

use crate::console::complete::{Cycle, complete};
use crate::console::hint::{help, hint};
use crate::console::history::{History, Search};
use crate::console::input::{self, Argv};
use crate::console::scrollback::{EntryId, Kind};
use crate::console::{CommandTable, Confirm, Context, Scrollback, Sent, Verdict, check_all};

/// What the command line is doing.
#[derive(Debug)]
pub enum Prompt {
    /// Typing a command.
    Editing,
    /// Ctrl-R: typing a query over the history.
    Search(Search),
    /// A dangerous command waits for the user's answer.
    Confirm {
        confirm: Confirm,
        answer: Input,
        line: String,
        cmds: Vec<Argv>,
    },
}

/// What the app must do after the pane handled a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing beyond redrawing.
    Nothing,
    /// Send these commands; the reply goes to the scrollback entry.
    Send { entry: EntryId, cmds: Vec<Argv> },
    /// Esc on an idle line: give the focus back.
    Leave,
    /// A line for the status bar (`true`: an error).
    Say(String, bool),
}

/// The Console pane's state.
#[derive(Debug)]
pub struct State {
    input: Input,
    prompt: Prompt,
    history: History,
    cycle: Option<Cycle>,
    scrollback: Scrollback,
    /// Rows of scrollback on screen, for paging.
    height: usize,
}

impl State {
    /// A console keeping its history in `history`.
    pub fn new(history: History) -> State {
        State {
            input: Input::default(),
            prompt: Prompt::Editing,
            history,
            cycle: None,
            scrollback: Scrollback::default(),
            height: 10,
        }
    }

    /// The text being typed.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// What the command line is doing.
    pub fn prompt(&self) -> &Prompt {
        &self.prompt
    }

    /// The output shown above the command line.
    pub fn scrollback(&self) -> &Scrollback {
        &self.scrollback
    }

    /// The history (for the Ctrl-R line).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The inline hint after the typed text, when the cursor is at its end.
    pub fn hint(&self) -> Option<String> {
        let at_end = self.input.cursor() == self.input.value().chars().count();
        let editing = matches!(self.prompt, Prompt::Editing) && self.cycle.is_none();
        (at_end && editing)
            .then(|| hint(CommandTable::bundled(), self.input.value()))
            .flatten()
    }

    /// Sets how many scrollback rows are on screen.
    pub fn set_height(&mut self, rows: usize) {
        self.height = rows.max(1);
    }

    /// Scrolls the output by `delta` lines (negative: older).
    pub fn scroll(&mut self, delta: isize) {
        if delta < 0 {
            self.scrollback.scroll_up(delta.unsigned_abs(), self.height);
        } else {
            self.scrollback
                .scroll_down(delta.unsigned_abs(), self.height);
        }
    }

    /// Handles a key while the pane has the focus. `keys` are the loaded key
    /// names, read only for completion.
    pub fn on_key<'k>(
        &mut self,
        key: KeyEvent,
        ctx: Context,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Outcome {
        match &mut self.prompt {
            Prompt::Search(_) => self.on_search_key(key),
            Prompt::Confirm { .. } => self.on_confirm_key(key),
            Prompt::Editing => self.on_edit_key(key, ctx, keys),
        }
    }

    /// Text pasted in one piece: several lines become one pipeline.
    pub fn on_paste(&mut self, text: &str, ctx: Context) -> Outcome {
        if !matches!(self.prompt, Prompt::Editing) {
            return Outcome::Nothing;
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if !text.trim_end().contains('\n') {
            for c in text.trim_end().chars() {
                self.input.handle(InputRequest::InsertChar(c));
            }
            return Outcome::Nothing;
        }
        let line = format!("{}{}", self.input.value(), text.trim_end());
        self.input.reset();
        self.submit(&line, ctx)
    }

    /// Takes the replies of an entry sent earlier.
    pub fn on_sent(&mut self, entry: EntryId, cmds: &[Argv], sent: Sent) {
        let result = sent.result.map_err(|e| e.to_string());
        self.scrollback.finish(entry, cmds, result, sent.rtt);
    }

    fn on_edit_key<'k>(
        &mut self,
        key: KeyEvent,
        ctx: Context,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if !matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            self.cycle = None;
        }
        match key.code {
            KeyCode::Enter => {
                let line = self.input.value().to_owned();
                self.input.reset();
                return self.submit(&line, ctx);
            }
            KeyCode::Tab | KeyCode::BackTab => self.complete(key.code == KeyCode::BackTab, keys),
            KeyCode::Up => {
                if let Some(line) = self.history.up(self.input.value()).map(str::to_owned) {
                    self.input = Input::new(line);
                }
            }
            KeyCode::Down => {
                if let Some(line) = self.history.down().map(str::to_owned) {
                    self.input = Input::new(line);
                }
            }
            KeyCode::PageUp => self.scroll(-(self.height.saturating_sub(1).max(1) as isize)),
            KeyCode::PageDown => self.scroll(self.height.saturating_sub(1).max(1) as isize),
            KeyCode::Home if ctrl => self.scrollback.to_top(),
            KeyCode::End if ctrl => self.scrollback.to_bottom(),
            KeyCode::Esc => return Outcome::Leave,
            KeyCode::Char('r') if ctrl => {
                let mut search = Search::default();
                search.update(&self.history);
                self.prompt = Prompt::Search(search);
            }
            KeyCode::Char('o') if ctrl => {
                self.scrollback.toggle_mode();
                let mode = view::mode_name(self.scrollback.mode());
                return Outcome::Say(format!("console output: {mode}"), false);
            }
            KeyCode::Char('l') if ctrl => self.scrollback.clear(),
            KeyCode::Char('b') if alt => {
                self.input.handle(InputRequest::GoToPrevWord);
            }
            KeyCode::Char('f') if alt => {
                self.input.handle(InputRequest::GoToNextWord);
            }
            _ => {
                if self.input.handle_event(&Event::Key(key)).is_some() {
                    self.history.reset();
                }
            }
        }
        Outcome::Nothing
    }

    fn complete<'k>(&mut self, back: bool, keys: impl IntoIterator<Item = &'k [u8]>) {
        match &mut self.cycle {
            Some(c) if back => c.prev(),
            Some(c) => c.next(),
            None => {
                let value = self.input.value();
                let cursor = value
                    .char_indices()
                    .nth(self.input.cursor())
                    .map_or(value.len(), |(i, _)| i);
                self.cycle = complete(CommandTable::bundled(), value, cursor, keys);
            }
        }
        if let Some(c) = &self.cycle {
            let (line, cursor) = c.line();
            let chars = line[..cursor].chars().count();
            self.input = Input::new(line).with_cursor(chars);
        }
    }

    fn on_search_key(&mut self, key: KeyEvent) -> Outcome {
        let Prompt::Search(search) = &mut self.prompt else {
            return Outcome::Nothing;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('r') if ctrl => search.older(&self.history),
            KeyCode::Char('g') if ctrl => self.prompt = Prompt::Editing,
            KeyCode::Esc => self.prompt = Prompt::Editing,
            KeyCode::Enter | KeyCode::Right | KeyCode::Left | KeyCode::Tab => {
                if let Some(line) = search.found.and_then(|i| self.history.get(i)) {
                    self.input = Input::new(line.to_owned());
                }
                self.prompt = Prompt::Editing;
            }
            KeyCode::Backspace => {
                search.query.pop();
                search.update(&self.history);
            }
            KeyCode::Char(c) if !ctrl => {
                search.query.push(c);
                search.update(&self.history);
            }
            _ => {}
        }
        Outcome::Nothing
    }

    fn on_confirm_key(&mut self, key: KeyEvent) -> Outcome {
        let Prompt::Confirm { answer, .. } = &mut self.prompt else {
            return Outcome::Nothing;
        };
        match key.code {
            KeyCode::Esc => {
                let prompt = std::mem::replace(&mut self.prompt, Prompt::Editing);
                if let Prompt::Confirm { line, .. } = prompt {
                    self.note(&line, "not sent: cancelled", Kind::Notice);
                }
                Outcome::Nothing
            }
            KeyCode::Enter => {
                let prompt = std::mem::replace(&mut self.prompt, Prompt::Editing);
                let Prompt::Confirm {
                    confirm,
                    answer,
                    line,
                    cmds,
                } = prompt
                else {
                    return Outcome::Nothing;
                };
                if confirm.accepts(answer.value()) {
                    let entry = self.scrollback.push_command(&line);
                    Outcome::Send { entry, cmds }
                } else {
                    self.note(&line, "not sent: not confirmed", Kind::Notice);
                    Outcome::Nothing
                }
            }
            _ => {
                answer.handle_event(&Event::Key(key));
                Outcome::Nothing
            }
        }
    }

    /// Runs an entered line: local help, a refusal, a confirmation, or a send.
    fn submit(&mut self, line: &str, ctx: Context) -> Outcome {
        let saved = self.history.push(line);
        let outcome = self.plan(line, ctx);
        match (saved, outcome) {
            (Err(e), Outcome::Nothing) => Outcome::Say(format!("history not saved: {e}"), true),
            (_, outcome) => outcome,
        }
    }

    fn plan(&mut self, line: &str, ctx: Context) -> Outcome {
        let table = CommandTable::bundled();
        let parsed = match input::parse(line) {
            Ok(p) => p,
            Err(e) => {
                self.note(line, &e.to_string(), Kind::Error);
                return Outcome::Nothing;
            }
        };
        let cmds = match parsed {
            input::Input::Empty => return Outcome::Nothing,
            input::Input::Clear => {
                self.scrollback.clear();
                return Outcome::Nothing;
            }
            input::Input::Help(topic) => {
                let lines = help(table, topic.as_deref());
                self.scrollback.push_text(line, lines, Kind::Notice);
                return Outcome::Nothing;
            }
            other => other.commands(),
        };
        match check_all(table, &cmds, ctx) {
            None => {
                let entry = self.scrollback.push_command(line);
                Outcome::Send { entry, cmds }
            }
            Some((_, Verdict::Confirm(confirm))) => {
                self.prompt = Prompt::Confirm {
                    confirm,
                    answer: Input::default(),
                    line: line.to_owned(),
                    cmds,
                };
                Outcome::Nothing
            }
            Some((i, verdict)) => {
                let mut msg = verdict.message().unwrap_or_default();
                if cmds.len() > 1 {
                    msg = format!("command {}: {msg}", i + 1);
                }
                self.note(line, &format!("not sent: {msg}"), Kind::Error);
                Outcome::Nothing
            }
        }
    }

    fn note(&mut self, line: &str, text: &str, kind: Kind) {
        self.scrollback.push_text(line, vec![text.to_owned()], kind);
    }
}
