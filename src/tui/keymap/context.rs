//! Where a binding applies: one section of `assets/keymap.toml` per layer of
//! the TUI that reads keys (a pane, a prompt, a dialog, an overlay, a
//! whole-screen view).

use crate::tui::screen::Id;

/// A layer that reads keys, and its section in the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere a pane has the keys.
    Global,
    Keys,
    Value,
    /// The Console's command line.
    Console,
    /// The Console's reverse search through its history (Ctrl-R).
    HistorySearch,
    Monitor,
    /// A one-line prompt: the Keys pane's MATCH filter, the Value pane's search.
    Filter,
    /// A dialog with fields (create, rename, TTL, save to file, the
    /// Console's typed confirmation).
    Form,
    /// A yes/no question.
    Dialog,
    /// The Value pane's edit form.
    Editor,
    /// The help overlay.
    Help,
    /// The undo list.
    Trash,
    /// A bulk delete running.
    Progress,
    /// The command palette.
    Palette,
    /// The keys that open each whole-screen view (`[screens]`): each entry
    /// names a screen, not an action.
    Screens,
    /// A whole-screen view; its section is named after it.
    Screen(Id),
}

impl Context {
    /// Every context but the screens' own, in the order the help lists them.
    pub const ALL: [Context; 15] = [
        Context::Global,
        Context::Keys,
        Context::Value,
        Context::Console,
        Context::HistorySearch,
        Context::Monitor,
        Context::Filter,
        Context::Form,
        Context::Dialog,
        Context::Editor,
        Context::Help,
        Context::Trash,
        Context::Progress,
        Context::Palette,
        Context::Screens,
    ];

    /// Its section's name in `assets/keymap.toml` and under `[keymap]`.
    pub fn section(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Keys => "keys",
            Context::Value => "value",
            Context::Console => "console",
            Context::HistorySearch => "history_search",
            Context::Monitor => "monitor",
            Context::Filter => "filter",
            Context::Form => "form",
            Context::Dialog => "dialog",
            Context::Editor => "editor",
            Context::Help => "help",
            Context::Trash => "trash",
            Context::Progress => "progress",
            Context::Palette => "palette",
            Context::Screens => "screens",
            Context::Screen(id) => id.section,
        }
    }

    /// The heading shown in the help overlay and the palette.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Keys => "Keys",
            Context::Value => "Value",
            Context::Console => "Console",
            Context::HistorySearch => "Console history search",
            Context::Monitor => "Monitor",
            Context::Filter => "Filter and search",
            Context::Form => "Forms",
            Context::Dialog => "Questions",
            Context::Editor => "Value editor",
            Context::Help => "Help",
            Context::Trash => "Undo list",
            Context::Progress => "Bulk delete",
            Context::Palette => "Palette",
            Context::Screens => "Screens",
            Context::Screen(id) => id.name,
        }
    }

    /// Whether keys this context does not bind mean what they mean
    /// everywhere: true in the panes that take no typing.
    pub fn falls_back(self) -> bool {
        matches!(
            self,
            Context::Keys | Context::Value | Context::Monitor | Context::Help | Context::Screen(_)
        )
    }

    /// The contexts of the panes, whose actions the palette runs.
    pub const PANES: [Context; 5] = [
        Context::Global,
        Context::Keys,
        Context::Value,
        Context::Console,
        Context::Monitor,
    ];

    /// Looks a section up by name, among the fixed ones and `screens`'.
    pub fn from_section(name: &str, screens: &[Id]) -> Option<Context> {
        Context::ALL
            .into_iter()
            .chain(screens.iter().copied().map(Context::Screen))
            .find(|c| c.section() == name)
    }
}
