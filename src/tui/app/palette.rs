//! The app's side of the command palette: opening it over the focused
//! pane, and running the chosen command where it belongs.

use super::{App, Mode};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::palette::{self, Command};
use crate::tui::panes::Pane;

impl App {
    /// `Ctrl-P`: the palette, the focused pane's actions first, then the
    /// screens.
    pub(super) fn open_palette(&mut self) -> Vec<Effect> {
        let screens: Vec<_> = self
            .screens
            .registry()
            .entries()
            .iter()
            .map(|e| e.id)
            .collect();
        let open = self.screens.top().map(|s| s.id());
        let state = palette::State::new(&self.keymap, self.context(), &screens, open);
        self.mode = Mode::Palette(Box::new(state));
        Vec::new()
    }

    /// Runs a palette command: a screen opened, or a pane's action in the
    /// Browser with that pane focused first.
    pub fn run(&mut self, command: Command) -> Vec<Effect> {
        let (ctx, action) = match command {
            Command::Screen(id) => return self.open_screen(id.section),
            Command::Action { ctx, action } => (ctx, action),
        };
        let pane = match ctx {
            Context::Keys => Some(Pane::Keys),
            Context::Value => Some(Pane::Value),
            Context::Monitor => Some(Pane::Monitor),
            Context::Console => Some(Pane::Console),
            _ => None,
        };
        if let Some(pane) = pane {
            self.screens.clear();
            self.focus = pane;
        }
        if action == Action::Palette {
            return Vec::new();
        }
        self.act(action)
    }
}
