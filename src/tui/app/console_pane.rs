//! The app's side of the Console pane: routing keys to it, turning its
//! outcomes into effects, and refreshing the other panes after a write.

use std::collections::HashSet;

use crossterm::event::KeyEvent;

use super::App;
use crate::console::history::History;
use crate::console::{CommandTable, touched};
use crate::tui::msg::{Action, Effect};
use crate::tui::panes::{Pane, console};

impl App {
    /// Replaces the console's history (the one kept on disk, when there is one).
    pub fn set_history(&mut self, history: History) {
        self.console = console::State::new(history);
        self.console.set_ask_above(self.cost.ask_above());
        self.size_console();
    }

    /// Tells the Console how big its scrollback is on screen.
    pub(super) fn size_console(&mut self) {
        let area = self.areas().console;
        self.console
            .set_height(console::view::scrollback_height(area));
        self.console
            .set_width(console::view::scrollback_width(area));
    }

    pub(super) fn console_context(&self) -> crate::console::Context {
        crate::console::Context {
            read_only: self.read_only,
            dbsize: self.keys.dbsize().and_then(|n| u64::try_from(n).ok()),
        }
    }

    pub(super) fn on_console_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctx = self.console_context();
        let store = self.keys.store();
        let loaded = (0..store.len())
            .filter_map(|i| u32::try_from(i).ok())
            .map(|i| store.key(i));
        let outcome = self.console.on_key(key, &self.keymap, ctx, loaded);
        self.console_outcome(outcome)
    }

    pub(super) fn console_outcome(&mut self, outcome: console::Outcome) -> Vec<Effect> {
        match outcome {
            console::Outcome::Nothing => Vec::new(),
            console::Outcome::Send { entry, cmds } => vec![Effect::ConsoleSend { entry, cmds }],
            console::Outcome::Leave => {
                self.focus = Pane::Keys;
                Vec::new()
            }
            console::Outcome::Focus { back } => {
                self.focus = self.focus.cycle(back);
                Vec::new()
            }
            console::Outcome::Say(text, error) => {
                self.say(&text, error);
                Vec::new()
            }
        }
    }

    /// After a console write: reopen the shown key if it may have changed,
    /// rescan when keys may have appeared or gone.
    pub(super) fn refresh_after(&mut self, cmds: &[crate::console::Argv]) -> Vec<Effect> {
        let t = touched(CommandTable::bundled(), cmds);
        if !t.wrote {
            return Vec::new();
        }
        let mut effects = Vec::new();
        if let Some(open) = self.value.key().map(<[u8]>::to_vec)
            && t.may_change(&open)
        {
            // Reloading keeps the user's place in the value.
            effects.extend(self.value_act(Action::Reload));
        }
        if t.removes || t.unknown || new_key(&t.keys, self.keys.store()) {
            effects.extend(self.with_ids(|k, ids| k.rescan(ids)));
        }
        effects
    }
}

/// Whether some of `touched` is not among the loaded keys: one pass over
/// them, however many keys a pasted pipeline named.
fn new_key(touched: &[Vec<u8>], store: &crate::tui::panes::keys::store::Store) -> bool {
    let mut unseen: HashSet<&[u8]> = touched.iter().map(Vec::as_slice).collect();
    for i in (0..store.len()).filter_map(|i| u32::try_from(i).ok()) {
        if unseen.is_empty() {
            break;
        }
        unseen.remove(store.key(i));
    }
    !unseen.is_empty()
}
