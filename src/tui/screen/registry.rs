//! The one place screens are listed: adding a view is its module and one
//! line in [`Registry::builtin`] (and its keys in `assets/keymap.toml`).

use super::{Id, Screen};

/// The four panes: the screen every other one goes back to.
pub const BROWSER: Id = Id {
    section: "browser",
    name: "Browser",
};

/// How to know and open one screen.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub id: Id,
    /// A few words for the help and the command palette.
    pub about: &'static str,
    /// A new screen, before its first reads.
    pub open: fn() -> Box<dyn Screen>,
}

/// The screens the TUI can open besides the Browser, in the order the
/// help and the palette list them.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entries: Vec<Entry>,
}

impl Registry {
    /// The screens the product ships.
    pub fn builtin() -> Registry {
        Registry {
            entries: vec![super::analyze::ENTRY],
        }
    }

    /// This registry with `entry` added last (or in place of one with its section).
    pub fn with(mut self, entry: Entry) -> Registry {
        self.entries.retain(|e| e.id.section != entry.id.section);
        self.entries.push(entry);
        self
    }

    /// Every screen, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The screen whose keymap section is `section`.
    pub fn get(&self, section: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id.section == section)
    }
}
