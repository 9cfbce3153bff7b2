//! The Console pane: a redis-cli-style command line with history, reverse
//! search, completion, inline hints, checks before sending, confirmations
//! and a scrollback. The engine lives in [`crate::console`]; this is its
//! keyboard and screen.

pub mod view;

#[cfg(test)]
mod tests;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::console::complete::{Cycle, complete};
use crate::console::hint::{help, hint};
use crate::console::history::{History, Search};
use crate::console::input::{self, Argv};
use crate::console::queue::Queue;
use crate::console::scrollback::{EntryId, Kind};
use crate::console::{CommandTable, Confirm, Context, Scrollback, Sent, Verdict, check_all};
use crate::tui::keymap::{self, Action};
use crate::tui::msg::Effect;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View as Look};
use crate::tui::widgets::editor::TextArea;

/// Lines longer than this get no inline hint: hints are for typed
/// commands, and reading a pasted megabyte for one on every frame would not be.
const HINT_MAX: usize = 4096;

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
        answer: TextArea,
        line: String,
        cmds: Vec<Argv>,
    },
}

/// What the pane's engine asks for after a key, a paste or a reply; the
/// [`Component`] contract turns it into an [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Nothing beyond redrawing.
    Nothing,
    /// Send these commands; the reply goes to the scrollback entry.
    Send { entry: EntryId, cmds: Vec<Argv> },
    /// Esc on an idle line: give the focus back.
    Leave,
    /// Tab on an empty line, Shift-Tab outside a completion: the next (or
    /// previous) pane, as everywhere else.
    Focus { back: bool },
    /// A line for the status bar (`true`: an error).
    Say(String, bool),
}

/// The Console pane's state.
#[derive(Debug)]
pub struct State {
    input: TextArea,
    prompt: Prompt,
    history: History,
    cycle: Option<Cycle>,
    scrollback: Scrollback,
    queue: Queue,
    /// Rows of scrollback on screen, for paging.
    height: usize,
    /// A line of more commands than this asks first (the frugal profile).
    ask_above: Option<u64>,
}

impl State {
    /// A console keeping its history in `history`.
    pub fn new(history: History) -> State {
        State {
            input: TextArea::default(),
            prompt: Prompt::Editing,
            history,
            cycle: None,
            scrollback: Scrollback::default(),
            queue: Queue::default(),
            height: 10,
            ask_above: None,
        }
    }

    /// Makes a line of more than `cap` commands (a repeat prefix, a pasted
    /// pipeline) ask before it is sent (`None`: never).
    pub fn set_ask_above(&mut self, cap: Option<u64>) {
        self.ask_above = cap;
    }

    /// The text being typed.
    pub fn input(&self) -> &TextArea {
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
        let line = self.input.as_str();
        let editing = matches!(self.prompt, Prompt::Editing) && self.cycle.is_none();
        (self.input.at_end() && editing && line.len() <= HINT_MAX)
            .then(|| hint(CommandTable::bundled(), line))
            .flatten()
    }

    /// Sets how many scrollback rows are on screen.
    pub fn set_height(&mut self, rows: usize) {
        self.height = rows.max(1);
    }

    /// Sets how many cells wide the scrollback is: longer lines wrap.
    pub fn set_width(&mut self, columns: usize) {
        self.scrollback.set_width(columns);
    }

    /// How many commands wait behind the one in flight.
    pub fn waiting(&self) -> usize {
        self.queue.waiting()
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

    /// The keymap section that reads the pane's next key: the command
    /// line's, the history search's, or a form's for a typed confirmation.
    pub fn context(&self) -> keymap::Context {
        match self.prompt {
            Prompt::Editing => keymap::Context::Console,
            Prompt::Search(_) => keymap::Context::HistorySearch,
            Prompt::Confirm { .. } => keymap::Context::Form,
        }
    }

    /// Handles a key while the pane has the focus: `action` is what the
    /// section of [`State::context`] binds it to, else the key types.
    /// `keys` are the loaded key names, read only for completion.
    pub fn key<'k>(
        &mut self,
        action: Option<Action>,
        key: KeyEvent,
        ctx: Context,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Answer {
        match &mut self.prompt {
            Prompt::Search(_) => self.on_search_key(action, key),
            Prompt::Confirm { .. } => self.on_confirm_key(action, key),
            Prompt::Editing => self.on_edit_key(action, key, ctx, keys),
        }
    }

    /// Runs one of the pane's own actions (a key's, or the palette's);
    /// `None` when it is not one.
    pub fn run(&mut self, action: Action) -> Option<Answer> {
        let page = self.height.saturating_sub(1).max(1) as isize;
        match action {
            Action::PageUp => self.scroll(-page),
            Action::PageDown => self.scroll(page),
            Action::Top => self.scrollback.to_top(),
            Action::Bottom => self.scrollback.to_bottom(),
            Action::HistorySearch if matches!(self.prompt, Prompt::Editing) => {
                let mut search = Search::default();
                search.update(&self.history);
                self.prompt = Prompt::Search(search);
            }
            Action::OutputMode => {
                self.scrollback.toggle_mode();
                let mode = view::mode_name(self.scrollback.mode());
                return Some(Answer::Say(format!("console output: {mode}"), false));
            }
            Action::Clear => self.scrollback.clear(),
            _ => return None,
        }
        Some(Answer::Nothing)
    }

    /// Text pasted in one piece: inserted at once, or, when it holds
    /// several lines, sent with what was typed before it as one pipeline.
    pub fn paste(&mut self, text: &str, ctx: Context) -> Answer {
        match &mut self.prompt {
            Prompt::Editing => {}
            Prompt::Confirm { answer, .. } => {
                answer.insert_str(text);
                return Answer::Nothing;
            }
            Prompt::Search(search) => {
                search.query.push_str(&text.replace(['\r', '\n'], " "));
                search.update(&self.history);
                return Answer::Nothing;
            }
        }
        self.cycle = None;
        self.history.reset();
        let text = text.trim_end();
        if !text.contains(['\n', '\r']) {
            self.input.insert_str(text);
            return Answer::Nothing;
        }
        let mut line = self.input.take();
        line.push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
        self.submit(&line, ctx)
    }

    /// Takes the replies of an entry sent earlier; the next waiting command, if any, goes out.
    pub fn on_sent(&mut self, entry: EntryId, cmds: &[Argv], sent: Sent) -> Answer {
        let failed = sent.result.is_err();
        let result = sent.result.map_err(|e| e.to_string());
        self.scrollback.finish(entry, cmds, result, sent.rtt);
        if failed {
            let dropped = self.queue.failed(entry);
            for id in &dropped {
                let why = "not sent: the command before it failed".to_owned();
                self.scrollback.finish_text(*id, vec![why], Kind::Error);
            }
            return Answer::Nothing;
        }
        match self.queue.done(entry) {
            Some((entry, cmds)) => Answer::Send { entry, cmds },
            None => Answer::Nothing,
        }
    }

    /// Sends `cmds` for `entry` now, or after the commands before them.
    fn send(&mut self, entry: EntryId, cmds: Vec<Argv>) -> Answer {
        match self.queue.push(entry, cmds) {
            Some((entry, cmds)) => Answer::Send { entry, cmds },
            None => Answer::Nothing,
        }
    }

    fn on_edit_key<'k>(
        &mut self,
        action: Option<Action>,
        key: KeyEvent,
        ctx: Context,
        keys: impl IntoIterator<Item = &'k [u8]>,
    ) -> Answer {
        let completing = matches!(action, Some(Action::Complete | Action::CompletePrev));
        if !completing {
            self.cycle = None;
        }
        match action {
            Some(Action::Send) => {
                let line = self.input.take();
                return self.submit(&line, ctx);
            }
            // Nothing to complete: Tab and Shift-Tab move between panes.
            Some(a @ (Action::Complete | Action::CompletePrev))
                if self.cycle.is_none()
                    && (a == Action::CompletePrev || self.input.as_str().trim().is_empty()) =>
            {
                return Answer::Focus {
                    back: a == Action::CompletePrev,
                };
            }
            Some(a @ (Action::Complete | Action::CompletePrev)) => {
                self.complete(a == Action::CompletePrev, keys)
            }
            Some(Action::HistoryPrev) => {
                if let Some(line) = self.history.up(self.input.as_str()).map(str::to_owned) {
                    self.input.set_text(&line);
                }
            }
            Some(Action::HistoryNext) => {
                if let Some(line) = self.history.down().map(str::to_owned) {
                    self.input.set_text(&line);
                }
            }
            Some(Action::Cancel) => return Answer::Leave,
            Some(other) => return self.run(other).unwrap_or(Answer::Nothing),
            None => {
                if self.input.input(&key) {
                    self.history.reset();
                }
            }
        }
        Answer::Nothing
    }

    fn complete<'k>(&mut self, back: bool, keys: impl IntoIterator<Item = &'k [u8]>) {
        match &mut self.cycle {
            Some(c) if back => c.prev(),
            Some(c) => c.next(),
            None => {
                let (line, cursor) = (self.input.as_str(), self.input.cursor());
                self.cycle = complete(CommandTable::bundled(), line, cursor, keys);
            }
        }
        if let Some(c) = &self.cycle {
            let (line, cursor) = c.line();
            self.input.set_text(&line);
            self.input.set_cursor(cursor);
        }
    }

    fn on_search_key(&mut self, action: Option<Action>, key: KeyEvent) -> Answer {
        let Prompt::Search(search) = &mut self.prompt else {
            return Answer::Nothing;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (action, key.code) {
            (Some(Action::SearchNext), _) => search.older(&self.history),
            (Some(Action::Cancel), _) => self.prompt = Prompt::Editing,
            (Some(Action::Apply), _) => {
                if let Some(line) = search.found.and_then(|i| self.history.get(i)) {
                    self.input.set_text(line);
                }
                self.prompt = Prompt::Editing;
            }
            // Typing the query.
            (_, KeyCode::Backspace) => {
                search.query.pop();
                search.update(&self.history);
            }
            (_, KeyCode::Char(c)) if !ctrl => {
                search.query.push(c);
                search.update(&self.history);
            }
            _ => {}
        }
        Answer::Nothing
    }

    fn on_confirm_key(&mut self, action: Option<Action>, key: KeyEvent) -> Answer {
        let Prompt::Confirm { answer, .. } = &mut self.prompt else {
            return Answer::Nothing;
        };
        match action {
            Some(Action::Cancel) => {
                let prompt = std::mem::replace(&mut self.prompt, Prompt::Editing);
                if let Prompt::Confirm { line, .. } = prompt {
                    self.note(&line, "not sent: cancelled", Kind::Notice);
                }
                Answer::Nothing
            }
            Some(Action::Submit) => {
                let prompt = std::mem::replace(&mut self.prompt, Prompt::Editing);
                let Prompt::Confirm {
                    confirm,
                    answer,
                    line,
                    cmds,
                } = prompt
                else {
                    return Answer::Nothing;
                };
                if confirm.accepts(answer.as_str()) {
                    let entry = self.scrollback.push_command(&line);
                    self.send(entry, cmds)
                } else {
                    self.note(&line, "not sent: not confirmed", Kind::Notice);
                    Answer::Nothing
                }
            }
            // The form's other verbs (next field, next option) mean nothing
            // in one typed answer: the key types.
            _ => {
                answer.input(&key);
                Answer::Nothing
            }
        }
    }

    /// Runs an entered line: local help, a refusal, a confirmation, or a send.
    fn submit(&mut self, line: &str, ctx: Context) -> Answer {
        let saved = self.history.push(line);
        let outcome = self.plan(line, ctx);
        match (saved, outcome) {
            (Err(e), Answer::Nothing) => Answer::Say(format!("history not saved: {e}"), true),
            (_, outcome) => outcome,
        }
    }

    fn plan(&mut self, line: &str, ctx: Context) -> Answer {
        let table = CommandTable::bundled();
        let parsed = match input::parse(line) {
            Ok(p) => p,
            Err(e) => {
                self.note(line, &e.to_string(), Kind::Error);
                return Answer::Nothing;
            }
        };
        let cmds = match parsed {
            input::Input::Empty => return Answer::Nothing,
            input::Input::Clear => {
                self.scrollback.clear();
                return Answer::Nothing;
            }
            input::Input::Help(topic) => {
                let lines = help(table, topic.as_deref());
                self.scrollback.push_text(line, lines, Kind::Notice);
                return Answer::Nothing;
            }
            other => other.into_commands(),
        };
        // Nothing else stands in the way: the frugal profile may still ask.
        let verdict = check_all(table, &cmds, ctx).or_else(|| {
            self.cost_check(cmds.len())
                .map(|c| (0, Verdict::Confirm(c)))
        });
        match verdict {
            None => {
                let entry = self.scrollback.push_command(line);
                self.send(entry, cmds)
            }
            Some((_, Verdict::Confirm(confirm))) => {
                self.prompt = Prompt::Confirm {
                    confirm,
                    answer: TextArea::default(),
                    line: line.to_owned(),
                    cmds,
                };
                Answer::Nothing
            }
            Some((i, verdict)) => {
                let mut msg = verdict.message().unwrap_or_default();
                if cmds.len() > 1 {
                    msg = format!("command {}: {msg}", i + 1);
                }
                self.note(line, &format!("not sent: {msg}"), Kind::Error);
                Answer::Nothing
            }
        }
    }

    /// The frugal profile's question before a line of more commands than
    /// it allows (a repeat prefix, a pasted pipeline).
    fn cost_check(&self, n: usize) -> Option<Confirm> {
        let cap = self.ask_above.filter(|&cap| n as u64 > cap)?;
        let count = crate::value::human::count(n as u64);
        Some(Confirm {
            command: format!("{count} commands"),
            why: format!("frugal profile: {count} billed commands (asks above {cap})"),
            type_to_confirm: None,
        })
    }

    fn note(&mut self, line: &str, text: &str, kind: Kind) {
        self.scrollback.push_text(line, vec![text.to_owned()], kind);
    }
}

impl From<Answer> for Outcome {
    fn from(reply: Answer) -> Outcome {
        match reply {
            Answer::Nothing => Outcome::used(),
            Answer::Send { entry, cmds } => Outcome::run([Effect::ConsoleSend { entry, cmds }]),
            Answer::Leave => Outcome::ask(Request::Leave),
            Answer::Focus { back } => Outcome::ask(Request::Focus { back }),
            Answer::Say(text, error) => Outcome::say(text, error),
        }
    }
}

/// What the engine reads of the world, from the contract's context.
fn context(ctx: &Ctx) -> Context {
    Context {
        read_only: ctx.read_only,
        dbsize: ctx.dbsize,
    }
}

impl Component for State {
    fn on_action(&mut self, action: Action, _ctx: &mut Ctx) -> Outcome {
        self.run(action).map_or(Outcome::NotMine, Outcome::from)
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let action = ctx.action(self.context(), &key);
        self.key(action, key, context(ctx), ctx.loaded()).into()
    }

    fn on_paste(&mut self, text: &str, ctx: &mut Ctx) -> Outcome {
        self.paste(text, context(ctx)).into()
    }

    fn draw(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, look: &Look) {
        frame.render_widget(
            view::View {
                state: self,
                theme: look.theme,
                focused: look.focused,
                keymap: look.keymap,
            },
            area,
        );
    }
}
