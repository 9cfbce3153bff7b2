//! What may be read of the App from outside (the screen, tests), and the
//! settings the TUI gives it before it starts.

use std::time::Duration;

use ratatui::layout::Rect;
use ratatui::style::Color;

use super::{App, Health, Mode, Notice};
use crate::config::Cost;
use crate::tui::keymap::Keymap;
use crate::tui::panes::{Component, Pane, console, keys, monitor, value};
use crate::tui::theme::Theme;

impl App {
    /// Writes are refused: the badge shows, nothing is sent.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    /// Names the client's request timeout when a scan gives up waiting.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.keys.set_timeout(timeout);
    }

    /// How much of a value the Value pane fetches.
    pub fn set_value_limits(&mut self, limits: crate::value::Limits) {
        self.value = value::State::with_limits(limits);
        self.value.set_ask_above(self.cost.ask_above());
        self.value.set_area(self.areas().value);
    }

    /// The Monitor's probe interval, budget and thresholds.
    pub fn set_monitor(&mut self, settings: crate::monitor::Settings) {
        self.monitor = monitor::State::new(settings, std::time::Instant::now());
    }

    /// Watches `key` in the Monitor (`--watch`, a profile's list).
    pub fn watch(&mut self, key: &[u8]) {
        if !self.monitor.is_watched(key) {
            self.monitor.toggle_watch(key);
        }
    }

    /// The colours.
    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    /// The profile's name and colour, for the title bar.
    pub fn set_profile(&mut self, name: &str, color: Option<Color>) {
        self.profile = Some((name.to_owned(), color));
    }

    /// The model with `keys` in the Keys pane (a benchmark's million keys).
    pub fn with_keys(mut self, keys: keys::State) -> App {
        self.keys = keys;
        self
    }

    /// Clears the status bar's line.
    pub fn clear_notice(&mut self) {
        self.notice = None;
    }

    /// Opens `key` in the Value pane under the request id `req`, so that a
    /// test can answer it by that id.
    pub fn open_for_test(
        &mut self,
        key: &[u8],
        kind: Option<crate::value::Kind>,
        req: crate::tui::msg::ReqId,
    ) -> crate::tui::msg::Effect {
        self.value.open(key, kind, req)
    }

    /// Moves the focus to `pane`, as its key does.
    pub fn focus_on(&mut self, pane: Pane) {
        self.focus = pane;
    }

    /// Which pane has the focus.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// What has the keyboard besides the panes.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The key bindings.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    /// The colours.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The endpoint's host, for the title bar.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether writes are refused.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The profile's name and colour.
    pub fn profile(&self) -> Option<&(String, Option<Color>)> {
        self.profile.as_ref()
    }

    /// The connection's health, for the title bar.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// The status bar's line.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The Keys pane.
    pub fn keys(&self) -> &keys::State {
        &self.keys
    }

    /// The Value pane.
    pub fn value(&self) -> &value::State {
        &self.value
    }

    /// The Console pane.
    pub fn console(&self) -> &console::State {
        &self.console
    }

    /// The Monitor pane.
    pub fn monitor(&self) -> &monitor::State {
        &self.monitor
    }

    /// A pane, through the contract (to draw it).
    pub fn pane(&self, pane: Pane) -> &dyn Component {
        match pane {
            Pane::Keys => &self.keys,
            Pane::Value => &self.value,
            Pane::Console => &self.console,
            Pane::Monitor => &self.monitor,
        }
    }

    /// What applications wrote, as recognised so far.
    pub fn recognisers(&self) -> &crate::recognise::Recognisers {
        &self.recognisers
    }

    /// Unsaved edits kept as drafts.
    pub fn drafts(&self) -> &value::edit::Drafts {
        &self.drafts
    }

    /// The terminal's size.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// Lines the help overlay is scrolled by.
    pub fn help_offset(&self) -> usize {
        self.help_offset
    }

    /// Whether the user quit.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// How freely commands are spent.
    pub fn cost(&self) -> Cost {
        self.cost
    }
}
