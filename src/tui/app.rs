//! The model: `App` changes only in `update`, which is synchronous and
//! returns the effects to run.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::keymap::{Context, Keymap};
use super::layout::Areas;
use super::msg::{Action, Effect, Msg, ReqId};
use super::panes::{Pane, console, keys, monitor, value};
use super::theme::Theme;
use super::widgets::filter::Prompt;
use crate::config::Cost;
use crate::console::history::History;
use crate::scan::Budget;

pub mod ask;
mod console_pane;
pub mod keyops;
mod palette;
pub mod prefetch;
mod recognise;
mod value_edit;
mod watch_scroll;

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

/// What has the keyboard besides the panes.
#[derive(Debug)]
pub enum Mode {
    Normal,
    Help,
    /// Typing a MATCH pattern.
    Filter(Prompt),
    /// Typing a search within the open value.
    Search(Prompt),
    /// Editing, adding or deleting in the Value pane.
    Edit(Box<value::edit::Form>),
    /// A key-level dialog (create, rename, TTL, delete, bulk delete, undo list).
    KeyOp(Box<keyops::Modal>),
    /// A costly action waits for a yes (the frugal profile).
    Ask(Box<ask::Ask>),
    /// The command palette.
    Palette(Box<crate::tui::palette::State>),
}

/// The last line of news for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Everything the TUI shows and knows.
#[derive(Debug)]
pub struct App {
    pub focus: Pane,
    pub mode: Mode,
    pub keymap: Keymap,
    pub theme: Theme,
    pub host: String,
    pub read_only: bool,
    /// The profile's name and colour, for the title bar.
    pub profile: Option<(String, Option<ratatui::style::Color>)>,
    pub health: Health,
    pub notice: Option<Notice>,
    pub keys: keys::State,
    pub value: value::State,
    /// Unsaved edits the user cancelled, offered again on the same element.
    pub drafts: value::edit::Drafts,
    pub console: console::State,
    pub monitor: monitor::State,
    /// What applications wrote, recognised from the keys the Keys pane meets.
    pub recognisers: crate::recognise::Recognisers,
    pub size: Rect,
    /// Lines the help overlay is scrolled by.
    pub help_offset: usize,
    pub quit: bool,
    /// How freely commands are spent (see [`App::set_cost`]).
    pub cost: Cost,
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
            prefetch: prefetch::Prefetch::default(),
            next_req: 0,
        }
    }

    /// A model with default settings and no endpoint, for tests.
    pub fn for_test() -> App {
        App::new(
            "test.upstash.io",
            Keymap::defaults(),
            b":",
            Budget::default(),
        )
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
            Msg::ValueSaved { path, report } => {
                self.value.on_saved(&path, report);
                self.value_notice();
                Vec::new()
            }
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
            Msg::ConsoleSent { entry, cmds, sent } => {
                let ok = sent.result.is_ok();
                let refused = refusal(&sent.result);
                let next = self.console.on_sent(entry, &cmds, sent);
                let mut effects = self.console_outcome(next);
                if let Some(e) = refused {
                    self.write_failed(&e);
                }
                if ok {
                    effects.extend(self.refresh_after(&cmds));
                }
                effects
            }
            Msg::JobProgress { req, progress } => {
                self.on_job_progress(req, progress);
                Vec::new()
            }
            Msg::JobDone { req, result } => self.on_keyop(req, result),
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
                if matches!(self.mode, Mode::Normal) && self.focus == Pane::Console {
                    effects.extend(self.on_console_key(key));
                }
                return effects;
            }
            _ => {}
        }
        match &mut self.mode {
            Mode::Filter(_) | Mode::Search(_) => self.on_prompt_key(key),
            Mode::Edit(_) => self.on_edit_key(key),
            Mode::Help => {
                let action = self.keymap.action(Context::Help, &key);
                let page = self.size.height.saturating_sub(4).max(1) as isize;
                if let Some(lines) = action.and_then(|a| watch_scroll::scroll_lines(a, page)) {
                    let max = super::ui::help(self).max_offset(self.size);
                    self.help_offset = self.help_offset.saturating_add_signed(lines).min(max);
                    return Vec::new();
                }
                match action {
                    Some(Action::Quit | Action::Help | Action::Cancel) | None => {
                        self.mode = Mode::Normal
                    }
                    Some(other) => return self.act(other),
                }
                Vec::new()
            }
            Mode::Palette(_) => self.on_palette_key(key),
            Mode::KeyOp(_) => self.on_keyop_key(key),
            Mode::Ask(_) => self.on_ask_key(key),
            Mode::Normal
                if self.focus == Pane::Monitor
                    && self.monitor.sweep.asking()
                    && recognise::answers(self.keymap.action(Context::Dialog, &key)) =>
            {
                self.on_sweep_answer(key)
            }
            Mode::Normal if self.focus == Pane::Value && self.value.prompting() => {
                let effects = self.value.prompt_key(key, &self.keymap);
                self.value_notice();
                effects
            }
            Mode::Normal
                if self.focus == Pane::Console
                    && self.keymap.action(Context::Global, &key) == Some(Action::Palette) =>
            {
                self.act(Action::Palette)
            }
            Mode::Normal if self.focus == Pane::Console => self.on_console_key(key),
            Mode::Normal => match self.keymap.action(self.context(), &key) {
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
            },
        }
    }

    /// Ctrl-J is a line feed: a terminal pasting without brackets sends one
    /// for each line break, and each must end its line as Enter does,
    /// unless what has the keyboard binds Ctrl-J itself.
    fn line_feed(&self, key: KeyEvent) -> KeyEvent {
        let ctrl_j =
            key.code == KeyCode::Char('j') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_j && self.keymap.action(self.key_context(), &key).is_none() {
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
        } else {
            key
        }
    }

    /// The keymap section that reads the next key.
    pub fn key_context(&self) -> Context {
        match &self.mode {
            Mode::Filter(_) | Mode::Search(_) => Context::Filter,
            Mode::Edit(_) => Context::Editor,
            Mode::Help => Context::Help,
            Mode::Palette(_) => Context::Palette,
            Mode::KeyOp(_) | Mode::Ask(_) => Context::Dialog,
            Mode::Normal if self.focus == Pane::Console => self.console.context(),
            Mode::Normal => self.context(),
        }
    }

    /// A key while the MATCH filter or the Value search is open.
    fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let action = self.keymap.action(Context::Filter, &key);
        let (Mode::Filter(prompt) | Mode::Search(prompt)) = &mut self.mode else {
            return Vec::new();
        };
        match action {
            Some(Action::Apply) => {
                let text = prompt.input.text();
                let mode = std::mem::replace(&mut self.mode, Mode::Normal);
                if matches!(mode, Mode::Filter(_)) {
                    self.notice = None;
                    return self.with_ids(|k, ids| k.set_pattern(&text, ids));
                }
                let req = self.req();
                let effects = self.value.search(&text, req);
                self.ask_walk();
                effects
            }
            Some(Action::Cancel) => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Some(Action::HistoryPrev) => {
                prompt.back();
                Vec::new()
            }
            Some(Action::HistoryNext) => {
                prompt.forth();
                Vec::new()
            }
            _ => {
                prompt.input.input(&key);
                Vec::new()
            }
        }
    }

    /// Pasted text goes, in one piece, to whatever is being typed into.
    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        match &mut self.mode {
            Mode::Edit(form) => form.paste(text),
            Mode::Filter(prompt) | Mode::Search(prompt) => prompt.input.insert_str(text),
            Mode::KeyOp(m) => m.dialog.paste(text),
            Mode::Normal if self.focus == Pane::Console => {
                let outcome = self.console.on_paste(text, self.console_context());
                return self.console_outcome(outcome);
            }
            Mode::Normal if self.focus == Pane::Value && self.value.prompting() => {
                self.value.prompt_paste(text);
            }
            Mode::Palette(p) => p.paste(text),
            Mode::Normal | Mode::Help | Mode::Ask(_) => {}
        }
        Vec::new()
    }

    fn context(&self) -> Context {
        match self.focus {
            Pane::Keys => Context::Keys,
            Pane::Value => Context::Value,
            Pane::Console => Context::Console,
            Pane::Monitor => Context::Monitor,
        }
    }

    /// Carries out one action in the focused pane.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.keyop_act(action) {
            return effects;
        }
        let page = self.keys_page() as isize;
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
            Action::WatchSuggested if self.focus == Pane::Monitor => {
                let n = self.monitor.watch_suggested();
                self.say(&format!("watching {n} suggested keys"), false);
                return self.monitor.soon().into_iter().collect();
            }
            Action::ScanQueues if self.focus == Pane::Monitor => return self.scan_queues(),
            Action::Cancel
                if self.focus == Pane::Value
                    && matches!(self.mode, Mode::Normal)
                    && self.value.cancellable() =>
            {
                return self.value_act(action);
            }
            Action::Cancel => {
                // The Monitor's scan for queues stops first where it shows.
                if matches!(self.mode, Mode::Help) {
                    self.mode = Mode::Normal;
                } else if !(self.focus == Pane::Monitor && self.stop_sweep()) {
                    if self.keys.stop() {
                        self.say("scan stopped", false);
                    } else {
                        self.stop_sweep();
                    }
                }
            }
            Action::Search if self.focus == Pane::Value => {
                if self.value.key().is_some() {
                    let previous = self.value.session().and_then(|s| s.needle());
                    let previous = previous.map(|n| String::from_utf8_lossy(n).into_owned());
                    self.mode = Mode::Search(Prompt::new(previous));
                } else {
                    self.say(
                        "no key is open: Enter on a key in the Keys pane opens it",
                        false,
                    );
                }
            }
            Action::Watch if self.focus == Pane::Value => {
                if let Some(key) = self.value.key().map(<[u8]>::to_vec) {
                    let kind = self.value.session().and_then(|s| s.kind().cloned());
                    self.toggle_watch_key(&key, kind.as_ref().map(watch_scroll::kind));
                    return self.monitor.soon().into_iter().collect();
                }
                self.say(
                    "no key is open: Enter on a key in the Keys pane opens it",
                    false,
                );
            }
            Action::Edit | Action::EditExternal | Action::Add | Action::Delete
                if self.focus == Pane::Value =>
            {
                return self.value_edit(action);
            }
            _ if self.focus == Pane::Value => return self.value_act(action),
            _ if self.focus == Pane::Monitor => {
                let page = self.areas().monitor.height.saturating_sub(2).max(1) as isize;
                if let Some(lines) = watch_scroll::scroll_lines(action, page) {
                    self.monitor_scroll(lines);
                }
            }
            _ if self.focus != Pane::Keys => {}
            Action::Up => return self.moved(-1),
            Action::Down => return self.moved(1),
            Action::PageUp => return self.moved(-page),
            Action::PageDown => return self.moved(page),
            Action::Top => return self.moved(isize::MIN / 2),
            Action::Bottom => return self.moved(isize::MAX / 2),
            Action::Open => return self.open(),
            Action::Expand => self.keys.fold(Some(true)),
            Action::Collapse => self.keys.fold(Some(false)),
            Action::Toggle => self.keys.fold(None),
            // A new pattern starts empty; the one in use is one Up away.
            Action::Filter => {
                let current = self.keys.pattern().map(String::from_utf8_lossy);
                self.mode = Mode::Filter(Prompt::new(current.map(|c| c.into_owned())));
            }
            Action::CycleType => return self.with_ids(|k, ids| k.cycle_kind(ids)),
            Action::ToggleView => self.keys.toggle_layout(),
            Action::Rescan => return self.with_ids(|k, ids| k.rescan(ids)),
            Action::FullScan if self.ask_full_scan() => {}
            Action::ContinueScan | Action::FullScan => return self.scan_more(action),
            Action::Watch => {
                self.toggle_watch();
                return self.monitor.soon().into_iter().collect();
            }
            // The Value pane's and the Monitor's own actions mean nothing in the Keys pane.
            Action::CycleFormat
            | Action::Search
            | Action::SearchNext
            | Action::SearchPrev
            | Action::Copy
            | Action::CopyRaw
            | Action::Save
            | Action::Reload
            | Action::AutoRefresh
            | Action::Reverse
            | Action::Edit
            | Action::EditExternal
            | Action::Add
            | Action::Delete
            | Action::WatchSuggested
            | Action::ScanQueues => {}
            // Verbs of the prompts, dialogs and the Console, resolved where they apply.
            Action::Apply
            | Action::HistoryPrev
            | Action::HistoryNext
            | Action::Send
            | Action::Complete
            | Action::CompletePrev
            | Action::HistorySearch
            | Action::OutputMode
            | Action::Clear
            | Action::Submit
            | Action::NextField
            | Action::PrevField
            | Action::ChooseNext
            | Action::ChoosePrev
            | Action::Confirm
            | Action::Deny
            | Action::Overwrite
            | Action::EditAgain
            | Action::Restore
            | Action::Pause => {}
            // Handled by `keyop_act` above.
            Action::CreateKey
            | Action::RenameKey
            | Action::SetTtl
            | Action::DeleteKey
            | Action::BulkDelete
            | Action::Undo
            | Action::Trash => {}
        }
        if matches!(
            action,
            Action::Expand | Action::Collapse | Action::Toggle | Action::ToggleView
        ) {
            return vec![Effect::DebounceRows];
        }
        Vec::new()
    }

    fn value_act(&mut self, action: Action) -> Vec<Effect> {
        let page = value::body_height(self.areas().value);
        let next = &mut self.next_req;
        let mut ids = || {
            *next += 1;
            *next
        };
        let effects = self.value.act(action, page, &mut ids);
        self.value_notice();
        self.ask_walk();
        effects
    }

    /// Moves the Value pane's news (copied, saved, failed) to the status bar.
    fn value_notice(&mut self) {
        if let Some((text, error)) = self.value.take_notice() {
            self.say(&text, error);
        }
    }

    fn keys_page(&self) -> usize {
        keys::view::list_height(self.areas().keys).max(1)
    }

    fn moved(&mut self, delta: isize) -> Vec<Effect> {
        let before = self.keys.offset();
        self.keys.move_by(delta);
        if self.keys.offset() != before {
            vec![Effect::DebounceRows]
        } else {
            Vec::new()
        }
    }

    fn open(&mut self) -> Vec<Effect> {
        let Some(key) = self.keys.selected_key().map(<[u8]>::to_vec) else {
            self.keys.fold(None);
            return vec![Effect::DebounceRows];
        };
        let kind = self.keys.selected_kind().and_then(value::known_kind);
        if let Some(effects) = self.open_prefetched(&key, kind.clone()) {
            return effects;
        }
        let req = self.req();
        vec![self.value.open(&key, kind, req)]
    }

    fn on_mouse(&mut self, m: crossterm::event::MouseEvent) -> Vec<Effect> {
        let at = Position::new(m.column, m.row);
        let areas = self.areas();
        let Some(pane) = areas.pane_at(at) else {
            return Vec::new();
        };
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
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
            MouseEventKind::ScrollDown if pane == Pane::Console => {
                self.console.scroll(3);
                Vec::new()
            }
            MouseEventKind::ScrollUp if pane == Pane::Console => {
                self.console.scroll(-3);
                Vec::new()
            }
            MouseEventKind::ScrollDown if pane == Pane::Monitor => {
                self.monitor_scroll(3);
                Vec::new()
            }
            MouseEventKind::ScrollUp if pane == Pane::Monitor => {
                self.monitor_scroll(-3);
                Vec::new()
            }
            MouseEventKind::ScrollDown if pane == Pane::Keys => self.scrolled(3),
            MouseEventKind::ScrollUp if pane == Pane::Keys => self.scrolled(-3),
            MouseEventKind::ScrollDown if pane == Pane::Value => self.value_act(Action::Down),
            MouseEventKind::ScrollUp if pane == Pane::Value => self.value_act(Action::Up),
            _ => Vec::new(),
        }
    }

    fn scrolled(&mut self, delta: isize) -> Vec<Effect> {
        self.keys.scroll(delta);
        vec![Effect::DebounceRows]
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

/// The server's refusal of a write among a console command's replies, if any.
fn refusal(
    result: &Result<Vec<crate::upstash::Reply>, crate::upstash::Error>,
) -> Option<crate::upstash::Error> {
    match result {
        Err(e) if e.is_write_refused() => Some(e.clone()),
        Err(_) => None,
        Ok(replies) => replies.iter().find_map(|r| match r {
            crate::upstash::Reply::Error(text) => {
                let e = crate::upstash::Error::from_server(200, text.clone());
                e.is_write_refused().then_some(e)
            }
            _ => None,
        }),
    }
}
