//! The model: `App` changes only in `update`, which is synchronous and
//! returns the effects to run. The panes and the open dialog speak one
//! contract ([`Component`]); what they ask of each other goes through the
//! App as a [`Request`].

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::keymap::{Context, Keymap};
use super::layout::Areas;
use super::msg::{Action, Effect, Msg, ReqId};
use super::panes::{Component, Ctx, Facts, Outcome, Pane, console, keys, monitor, value};
use super::theme::Theme;
use crate::config::Cost;
use crate::console::history::History;
use crate::scan::{Budget, Scan};

mod access;
pub mod ask;
mod console_pane;
pub mod dialogs;
pub mod keyops;
mod mode;
mod palette;
pub mod prefetch;
mod recognise;
mod replies;
mod requests;
mod screens;
mod watch_scroll;

pub use super::panes::Notice;
pub use mode::Mode;

/// The connection's health for the title bar, from the Monitor's probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Unknown,
    Up(Duration),
    /// Reachable, but slow or failing; the reason.
    Degraded(String),
    Down(String),
    /// The server answered but refused the settings (`note`: `token
    /// refused`, ...); the reason in full.
    Refused {
        note: &'static str,
        reason: String,
    },
}

/// Everything the TUI shows and knows.
#[derive(Debug)]
pub struct App {
    focus: Pane,
    mode: Mode,
    keymap: Keymap,
    theme: Theme,
    host: String,
    read_only: bool,
    /// The profile's name and colour, for the title bar.
    profile: Option<(String, Option<ratatui::style::Color>)>,
    health: Health,
    notice: Option<Notice>,
    keys: keys::State,
    value: value::State,
    /// Unsaved edits the user cancelled, offered again on the same element.
    drafts: value::edit::Drafts,
    console: console::State,
    monitor: monitor::State,
    /// What applications wrote, recognised from the keys the Keys pane meets.
    recognisers: crate::recognise::Recognisers,
    size: Rect,
    /// Lines the help overlay is scrolled by.
    help_offset: usize,
    quit: bool,
    /// How freely commands are spent (see [`App::set_cost`]).
    cost: Cost,
    /// Commands an analysis may spend without asking; the default when `None`.
    analyze_budget: Option<u64>,
    /// The screens open over the Browser (see [`App::open_screen`]).
    screens: crate::tui::screen::Stack,
    prefetch: prefetch::Prefetch,
    next_req: ReqId,
}

impl App {
    /// A model for `host`, with the given key bindings and scan settings.
    pub fn new(host: &str, keymap: Keymap, delimiter: &[u8], budget: Budget) -> App {
        App {
            focus: Pane::Keys,
            mode: Mode::Normal,
            keymap,
            theme: Theme::default(),
            host: host.to_owned(),
            read_only: false,
            profile: None,
            health: Health::Unknown,
            notice: None,
            keys: keys::State::new(delimiter, budget),
            value: value::State::default(),
            drafts: value::edit::Drafts::default(),
            console: console::State::new(History::in_memory()),
            monitor: monitor::State::new(Default::default(), std::time::Instant::now()),
            recognisers: crate::recognise::Recognisers::new(),
            size: Rect::new(0, 0, 80, 24),
            help_offset: 0,
            quit: false,
            cost: Cost::default(),
            analyze_budget: None,
            screens: crate::tui::screen::Stack::new(crate::tui::screen::Registry::builtin()),
            prefetch: prefetch::Prefetch::default(),
            next_req: 0,
        }
    }

    /// A model with default settings and no endpoint, for tests.
    pub fn for_test() -> App {
        #[allow(clippy::expect_used)]
        let keymap = Keymap::new(&toml::Table::new()).expect("the built-in keymap parses");
        App::new("test.upstash.io", keymap, b":", Budget::default())
    }

    /// The effects to run when the TUI opens: a first scan, the Monitor's
    /// first tick and the recognisers' checks of default names (one pipeline).
    pub fn start(&mut self) -> Vec<Effect> {
        let mut effects = self.with_ids(|keys, ids| keys.rescan(ids));
        effects.extend(self.monitor.due());
        effects.extend(self.recognise());
        effects
    }

    fn with_ids<T>(
        &mut self,
        f: impl FnOnce(&mut keys::State, &mut dyn FnMut() -> ReqId) -> T,
    ) -> T {
        let next = &mut self.next_req;
        let mut ids = || {
            *next += 1;
            *next
        };
        f(&mut self.keys, &mut ids)
    }

    fn req(&mut self) -> ReqId {
        self.next_req += 1;
        self.next_req
    }

    /// What a component may read of the world.
    fn facts(&self) -> Facts {
        Facts {
            read_only: self.read_only,
            ask_above: self.cost.ask_above(),
            dbsize: self.keys.dbsize().and_then(|n| u64::try_from(n).ok()),
            server_types: self.keys.scan().and_then(Scan::server_types),
            analyze_budget: self.analyze_budget,
        }
    }

    /// Applies one message; the only place state changes.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        // A write may change what was fetched ahead.
        if matches!(
            msg,
            Msg::ConsoleSent { .. }
                | Msg::JobProgress { .. }
                | Msg::JobDone { .. }
                | Msg::Edited { .. }
        ) {
            self.prefetch.forget();
        }
        let mut effects = self.apply(msg);
        effects.extend(self.follow_cursor());
        // Auto-refresh is a periodic read too: the idle projection counts it.
        self.monitor.set_others(self.value.refresh_per_minute());
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                self.layout_changed()
            }
            Msg::RowsDue => self
                .with_ids(|k, ids| k.fetch_details(ids))
                .into_iter()
                .collect(),
            Msg::MonitorDue => self.monitor.due().into_iter().collect(),
            Msg::PrefetchDue => self.prefetch_due(),
            Msg::Prefetched { done, at } => self.on_prefetched(done, at),
            Msg::Scanned {
                req,
                request,
                result,
                elapsed,
            } => {
                // Only a read-only token is refused SCAN: writes would be too.
                if matches!(result, Err(crate::upstash::Error::NoPermission(_))) {
                    self.read_only = true;
                }
                let mut effects = self.recognise_page(&request, &result);
                effects.extend(
                    self.with_ids(|k, ids| k.on_scanned(req, &request, result, elapsed, ids)),
                );
                if let Some(err) = self.keys.error().map(str::to_owned) {
                    self.say(&err, true);
                }
                effects
            }
            Msg::Counted { req, result } => {
                if !self.sweep_counted(req, &result) {
                    self.keys.on_counted(req, result);
                }
                Vec::new()
            }
            Msg::Detailed { req, result, .. } => {
                self.keys.on_detailed(req, result);
                Vec::new()
            }
            Msg::ValueLoaded { done, at } => {
                let next = &mut self.next_req;
                let mut ids = || {
                    *next += 1;
                    *next
                };
                let effects = self.value.on_loaded(done, at, &mut ids);
                self.value_notice();
                effects
            }
            Msg::ValueTick { req, at } => {
                let next = &mut self.next_req;
                let mut ids = || {
                    *next += 1;
                    *next
                };
                self.value.on_tick(req, at, &mut ids)
            }
            Msg::ValueSaved { path, report } => self.on_saved(&path, report),
            Msg::Edited { req, result, undo } => self.on_edited(req, result, undo),
            Msg::ReadBack { req, result } => self.on_read_back(req, result),
            Msg::JsonProbed { req, result } => self.on_json_probed(req, result),
            Msg::ExternalEdited(result) => self.on_external(result),
            Msg::MonitorTicked(ticked) => {
                // The server answered the probe: a scan it failed may go on.
                let answered = ticked.report.result.is_ok();
                let next = self.monitor.on_ticked(*ticked);
                self.health = self.monitor.title_health();
                let mut effects = self.with_ids(|k, ids| k.on_health(answered, ids));
                if effects.iter().any(|e| matches!(e, Effect::Scan { .. })) {
                    self.say("the server answers again: the scan goes on", false);
                }
                if answered {
                    effects.extend(self.recognise());
                }
                effects.push(next);
                effects
            }
            Msg::Recognised { reads, result } => self.on_recognised(reads, result),
            Msg::Swept {
                req,
                request,
                result,
                elapsed,
            } => self.on_swept(req, request, result, elapsed),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::ConsoleSent { entry, cmds, sent } => self.on_console_sent(entry, &cmds, sent),
            Msg::JobProgress { req, progress } => {
                self.on_job_progress(req, &progress);
                Vec::new()
            }
            Msg::JobDone { req, result } => self.on_keyop(req, result),
            Msg::ScreenRead {
                screen,
                req,
                result,
            } => self.on_screen_read(screen, req, result),
            Msg::Analysis { screen, req, event } => self.on_analysis(screen, req, event),
        }
    }

    /// The pane areas for the current terminal size.
    pub fn areas(&self) -> Areas {
        Areas::new(self.size)
    }

    fn layout_changed(&mut self) -> Vec<Effect> {
        self.value.set_area(self.areas().value);
        let height = keys::view::list_height(self.areas().keys);
        self.keys.set_height(height);
        self.size_console();
        vec![Effect::DebounceRows]
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let key = self.line_feed(key);
        // Quitting and repainting work whatever has the keyboard; the Console also clears.
        match self.keymap.action(Context::Global, &key) {
            Some(Action::ForceQuit) => return self.act(Action::ForceQuit),
            Some(Action::Redraw) => {
                let mut effects = self.act(Action::Redraw);
                if self.mode.is_normal() && self.focus == Pane::Console {
                    effects.extend(self.pane_key(key));
                }
                return effects;
            }
            Some(Action::Palette) if self.mode.is_normal() => return self.act(Action::Palette),
            _ => {}
        }
        match &mut self.mode {
            Mode::Normal if self.screens.top().is_some() => self.on_screen_key(key),
            Mode::Normal => self.normal_key(key),
            Mode::Help => self.help_key(key),
            _ => self.dialog_key(key),
        }
    }

    /// Ctrl-J is a line feed: a terminal pasting without brackets sends one
    /// for each line break, and each must end its line as Enter does,
    /// unless what has the keyboard binds Ctrl-J itself.
    fn line_feed(&self, key: KeyEvent) -> KeyEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let ctrl_j = ctrl && key.code == KeyCode::Char('j');
        if ctrl_j && self.keymap.action(self.key_context(), &key).is_none() {
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
        } else {
            key
        }
    }

    /// The keymap section that reads the next key.
    pub fn key_context(&self) -> Context {
        match &self.mode {
            Mode::Normal if self.focus == Pane::Console => self.console.context(),
            Mode::Normal => self.context(),
            Mode::Help => Context::Help,
            Mode::Filter(_) | Mode::Search(_) => Context::Filter,
            Mode::Edit(_) => Context::Editor,
            Mode::Trash(_) => Context::Trash,
            Mode::Palette(_) => Context::Palette,
            Mode::Bulk(b) if b.running() => Context::Progress,
            mode => mode.boxed().map_or(Context::Dialog, |d| d.context()),
        }
    }

    /// A key with nothing open: the focused pane's own keys first (the
    /// Console's line, the Monitor's question), then the bindings.
    fn normal_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let outcome = self.pane_outcome(|pane, ctx| pane.on_key(key, ctx));
        if outcome.is_used() {
            return self.follow(outcome);
        }
        // The Console's line takes every key: no screen opens from it.
        if self.focus != Pane::Console
            && let Some(id) = self.keymap.screen(&key)
        {
            return self.open_screen(id.section);
        }
        match self.keymap.action(self.context(), &key) {
            Some(action) => self.act(action),
            None if self.focus == Pane::Value && !key.modifiers.contains(KeyModifiers::ALT) => {
                let name = super::keymap::Chord::from_event(&key);
                self.say(
                    &format!("{name} does nothing in the Value pane (? lists its keys)"),
                    false,
                );
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// A key while the help overlay shows: moving keys scroll it, its own
    /// keys close it, the others act behind it.
    fn help_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(lines) = self.help_scroll(&key) {
            let max = super::ui::help(self).max_offset(self.size);
            self.help_offset = self.help_offset.saturating_add_signed(lines).min(max);
            return Vec::new();
        }
        match self.keymap.action(Context::Global, &key) {
            Some(Action::Quit | Action::Help | Action::Cancel) | None => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Some(other) => self.act(other),
        }
    }

    /// A key for the open dialog.
    fn dialog_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let facts = self.facts();
        let mut ctx = Ctx::new(&mut self.next_req, self.size, facts).with_keymap(&self.keymap);
        let outcome = match self.mode.dialog_mut() {
            Some(dialog) => dialog.on_key(key, &mut ctx),
            None => Outcome::NotMine,
        };
        self.follow(outcome)
    }

    /// Pasted text goes, in one piece, to whatever is being typed into.
    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let outcome = match self.mode {
            Mode::Normal if self.screens.top().is_some() => return self.screen_paste(text),
            Mode::Normal => self.pane_outcome(|pane, ctx| pane.on_paste(text, ctx)),
            Mode::Help => Outcome::NotMine,
            _ => {
                let facts = self.facts();
                let mut ctx = Ctx::new(&mut self.next_req, self.size, facts);
                match self.mode.dialog_mut() {
                    Some(dialog) => dialog.on_paste(text, &mut ctx),
                    None => Outcome::NotMine,
                }
            }
        };
        self.follow(outcome)
    }

    fn context(&self) -> Context {
        match self.focus {
            Pane::Keys => Context::Keys,
            Pane::Value => Context::Value,
            Pane::Console => Context::Console,
            Pane::Monitor => Context::Monitor,
        }
    }

    /// Carries out one action: the App's own (quit, focus, help, the
    /// key-level operations), else the focused pane's; what the pane says
    /// is not its own falls back to the App.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit | Action::ForceQuit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::Redraw => return vec![Effect::Repaint],
            Action::FocusNext => self.focus = self.focus.cycle(false),
            Action::FocusPrev => self.focus = self.focus.cycle(true),
            Action::FocusKeys => self.focus = Pane::Keys,
            Action::FocusValue => self.focus = Pane::Value,
            Action::FocusConsole => self.focus = Pane::Console,
            Action::FocusMonitor => self.focus = Pane::Monitor,
            Action::Help => {
                self.mode = Mode::Help;
                self.help_offset = 0;
            }
            Action::Palette => return self.open_palette(),
            Action::Undo => return self.undo(),
            Action::Trash => return self.open_trash(),
            Action::CreateKey
            | Action::RenameKey
            | Action::SetTtl
            | Action::DeleteKey
            | Action::BulkDelete => {
                // They act on the Keys pane's selection.
                return match self.focus {
                    Pane::Keys => self.open_keyop(action),
                    _ => Vec::new(),
                };
            }
            _ => return self.pane_act(action),
        }
        Vec::new()
    }

    /// An action for the focused pane; Esc that no pane takes stops the
    /// scan, or else the scan for queues.
    fn pane_act(&mut self, action: Action) -> Vec<Effect> {
        let outcome = self.pane_outcome(|pane, ctx| pane.on_action(action, ctx));
        if outcome.is_used() {
            let value = self.focus == Pane::Value;
            let effects = self.follow(outcome);
            if value {
                self.ask_walk();
            }
            return effects;
        }
        if action == Action::Cancel {
            if self.keys.stop() {
                self.say("scan stopped", false);
            } else {
                let outcome = self.monitor.stop_sweep();
                return self.follow(outcome);
            }
        }
        Vec::new()
    }

    /// Calls the focused pane through the contract.
    fn pane_outcome(&mut self, f: impl FnOnce(&mut dyn Component, &mut Ctx) -> Outcome) -> Outcome {
        let facts = self.facts();
        let areas = self.areas();
        let next = &mut self.next_req;
        let keymap = &self.keymap;
        match self.focus {
            Pane::Keys => f(
                &mut self.keys,
                &mut Ctx::new(next, areas.keys, facts).with_keymap(keymap),
            ),
            Pane::Value => f(
                &mut self.value,
                &mut Ctx::new(next, areas.value, facts).with_keymap(keymap),
            ),
            Pane::Console => {
                let mut ctx = Ctx::new(next, areas.console, facts)
                    .with_loaded(self.keys.store())
                    .with_keymap(keymap);
                f(&mut self.console, &mut ctx)
            }
            Pane::Monitor => f(
                &mut self.monitor,
                &mut Ctx::new(next, areas.monitor, facts).with_keymap(keymap),
            ),
        }
    }

    /// A pane's or dialog's outcome for a key, through the contract.
    fn pane_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let outcome = self.pane_outcome(|pane, ctx| pane.on_key(key, ctx));
        self.follow(outcome)
    }

    /// An action for the Value pane, whatever has the focus (a reload
    /// after a write, the wheel over it).
    fn value_act(&mut self, action: Action) -> Vec<Effect> {
        let (facts, area) = (self.facts(), self.areas().value);
        let mut ctx = Ctx::new(&mut self.next_req, area, facts);
        let outcome = self.value.on_action(action, &mut ctx);
        let effects = self.follow(outcome);
        self.ask_walk();
        effects
    }

    /// Moves the Value pane's news (copied, saved, failed) to the status bar.
    fn value_notice(&mut self) {
        if let Some((text, error)) = self.value.take_notice() {
            self.say(&text, error);
        }
    }

    fn on_mouse(&mut self, m: crossterm::event::MouseEvent) -> Vec<Effect> {
        if self.screens.top().is_some() {
            return Vec::new();
        }
        let at = Position::new(m.column, m.row);
        let areas = self.areas();
        let Some(pane) = areas.pane_at(at) else {
            return Vec::new();
        };
        match (m.kind, pane) {
            (MouseEventKind::Down(MouseButton::Left), _) => {
                self.focus = pane;
                // Below the border, the header and any failure line.
                let list_top = areas.keys.y + 2 + u16::from(self.keys.problem().is_some());
                if pane == Pane::Keys && m.row >= list_top && m.row < areas.keys.bottom() - 1 {
                    let index = self.keys.offset() + (m.row - list_top) as usize;
                    if index < self.keys.len() {
                        self.keys.select(index);
                    }
                }
                Vec::new()
            }
            (MouseEventKind::ScrollDown | MouseEventKind::ScrollUp, _) => {
                let down = m.kind == MouseEventKind::ScrollDown;
                let lines = if down { 3 } else { -3 };
                match pane {
                    Pane::Console => self.console.scroll(lines),
                    Pane::Monitor => self.monitor.scroll_within(lines, areas.monitor),
                    Pane::Keys => {
                        self.keys.scroll(lines);
                        return vec![Effect::DebounceRows];
                    }
                    Pane::Value => {
                        return self.value_act(if down { Action::Down } else { Action::Up });
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Shows a failed write in the status bar; a refusal from the server
    /// (a read-only token) turns read-only mode on, as the editor's policy did.
    pub fn write_failed(&mut self, error: &crate::upstash::Error) {
        if error.is_write_refused() && !self.read_only {
            self.read_only = true;
            self.say(&format!("{error} (read-only mode is now on)"), true);
        } else {
            self.say(&error.to_string(), true);
        }
    }

    /// Puts a line in the status bar.
    pub fn say(&mut self, text: &str, error: bool) {
        self.notice = Some(Notice {
            text: text.to_owned(),
            error,
        });
    }
}
