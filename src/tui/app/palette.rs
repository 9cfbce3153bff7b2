//! The app's side of the command palette: opening it over the focused
//! pane, and running the chosen command where it belongs.

use super::{App, Mode};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::palette::{self, Command};
use crate::tui::panes::Pane;

impl App {
    /// `Ctrl-P`: the palette, the focused pane's actions first.
    pub(super) fn open_palette(&mut self) -> Vec<Effect> {
        let state = palette::State::new(&self.keymap, self.context());
        self.mode = Mode::Palette(Box::new(state));
        Vec::new()
    }

    /// Runs a palette command: a pane's action with that pane focused first.
    pub fn run(&mut self, command: Command) -> Vec<Effect> {
        let Command::Action { ctx, action } = command;
        let pane = match ctx {
            Context::Keys => Some(Pane::Keys),
            Context::Value => Some(Pane::Value),
            Context::Monitor => Some(Pane::Monitor),
            Context::Console => Some(Pane::Console),
            _ => None,
        };
        if let Some(pane) = pane {
            self.focus = pane;
        }
        if action == Action::Palette {
            return Vec::new();
        }
        self.act(action)
    }
}
