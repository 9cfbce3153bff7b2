//! What a key means: one `Action` per verb, named as in `assets/keymap.toml`,
//! with the few words the status bar, the help and the palette show.

use serde::{Deserialize, Serialize};

use super::Context;

/// A user intent, named in `assets/keymap.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    ForceQuit,
    Redraw,
    FocusNext,
    FocusPrev,
    FocusKeys,
    FocusValue,
    FocusConsole,
    FocusMonitor,
    Help,
    Palette,
    Cancel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Expand,
    Collapse,
    Toggle,
    Filter,
    CycleType,
    ToggleView,
    Rescan,
    ContinueScan,
    FullScan,
    CycleFormat,
    Search,
    Copy,
    Save,
    Reload,
    AutoRefresh,
    Reverse,
    Edit,
    EditExternal,
    Add,
    Delete,
    Watch,
    WatchSuggested,
    ScanQueues,
    CreateKey,
    RenameKey,
    SetTtl,
    DeleteKey,
    BulkDelete,
    Undo,
    Trash,
    SearchNext,
    SearchPrev,
    CopyRaw,
    /// Takes what was typed in a prompt (a pattern, a history match).
    Apply,
    /// The previous entry of a prompt's history.
    HistoryPrev,
    /// The next entry of a prompt's history (back to what was typed).
    HistoryNext,
    /// Sends the Console's line.
    Send,
    Complete,
    CompletePrev,
    /// The Console's reverse search through its history.
    HistorySearch,
    /// The Console's output mode: redis-cli, raw, JSON.
    OutputMode,
    /// Clears the Console's output.
    Clear,
    /// Submits a form.
    Submit,
    NextField,
    PrevField,
    /// The next option of a choice field.
    ChooseNext,
    ChoosePrev,
    /// Yes to a question.
    Confirm,
    /// No to a question.
    Deny,
    /// Writes over what someone else changed.
    Overwrite,
    /// Back to the form after a conflict.
    EditAgain,
    /// Restores the chosen entry of the undo list.
    Restore,
    /// Pauses or resumes a running bulk delete.
    Pause,
    /// The next table of a screen that shows several.
    SwitchTable,
    /// The next order of a table.
    Sort,
    /// One more level of the key tree.
    Deeper,
    /// One level less of the key tree.
    Shallower,
}

impl Action {
    /// The action's name in `assets/keymap.toml`.
    pub fn name(self) -> String {
        toml::Value::try_from(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// A few words for the status bar, the help overlay and the palette.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ForceQuit => "quit from anywhere",
            Action::Redraw => "redraw the screen",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::FocusKeys => "Keys pane",
            Action::FocusValue => "Value pane",
            Action::FocusConsole => "Console pane",
            Action::FocusMonitor => "Monitor pane",
            Action::Help => "help",
            Action::Palette => "command palette",
            Action::Cancel => "close / stop scan",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Open => "open",
            Action::Expand => "open folder",
            Action::Collapse => "close folder",
            Action::Toggle => "open/close folder",
            Action::Filter => "filter (MATCH)",
            Action::CycleType => "type filter",
            Action::ToggleView => "tree/flat",
            Action::Rescan => "rescan",
            Action::ContinueScan => "continue scan",
            Action::FullScan => "full scan",
            Action::CycleFormat => "format",
            Action::Search => "search",
            Action::SearchNext => "next match",
            Action::SearchPrev => "previous match",
            Action::Copy => "copy (OSC 52)",
            Action::CopyRaw => "copy the stored bytes",
            Action::Save => "save to file",
            Action::Reload => "reload",
            Action::AutoRefresh => "auto-refresh",
            Action::Reverse => "reverse order",
            Action::Edit => "edit (zset: score)",
            Action::EditExternal => "edit in $EDITOR",
            Action::Add => "add an element",
            Action::Delete => "delete the element",
            Action::Watch => "watch in Monitor",
            Action::WatchSuggested => "watch suggested queues",
            Action::ScanQueues => "scan for queues",
            Action::CreateKey => "new key",
            Action::RenameKey => "rename key",
            Action::SetTtl => "set TTL",
            Action::DeleteKey => "delete key",
            Action::BulkDelete => "bulk delete",
            Action::Undo => "undo last change",
            Action::Trash => "undo list (trash)",
            Action::Apply => "apply",
            Action::HistoryPrev => "previous in history",
            Action::HistoryNext => "next in history",
            Action::Send => "send",
            Action::Complete => "complete",
            Action::CompletePrev => "previous completion",
            Action::HistorySearch => "search the history",
            Action::OutputMode => "redis-cli/raw/JSON",
            Action::Clear => "clear the output",
            Action::Submit => "ok",
            Action::NextField => "next field",
            Action::PrevField => "previous field",
            Action::ChooseNext => "next option",
            Action::ChoosePrev => "previous option",
            Action::Confirm => "yes",
            Action::Deny => "no",
            Action::Overwrite => "overwrite",
            Action::EditAgain => "edit again",
            Action::Restore => "restore",
            Action::Pause => "pause/resume",
            Action::SwitchTable => "next table",
            Action::Sort => "sort",
            Action::Deeper => "deeper prefixes",
            Action::Shallower => "shallower prefixes",
        }
    }

    /// What the action does in `ctx`, where that differs from elsewhere.
    pub fn describe_in(self, ctx: Context) -> &'static str {
        match (ctx, self) {
            (Context::Console, Action::Cancel) => "leave the Console",
            (Context::Screen(_), Action::Sort) => "sort, or next key list",
            (Context::Console, Action::HistoryPrev | Action::HistoryNext) => "history",
            (Context::Console, Action::PageUp) => "scroll up",
            (Context::Console, Action::PageDown) => "scroll down",
            (Context::Console, Action::Top) => "oldest output",
            (Context::Console, Action::Bottom) => "newest output",
            (Context::HistorySearch, Action::SearchNext) => "older match",
            (Context::HistorySearch, Action::Apply) => "take the line",
            (Context::HistorySearch, Action::Cancel) => "back to the line",
            (Context::Filter, Action::HistoryPrev) => "the pattern in use",
            (Context::Filter, Action::HistoryNext) => "back to what was typed",
            (Context::Editor, Action::Save) => "save",
            (Context::Editor, Action::Submit) => "save (one-line inputs)",
            (Context::Editor, Action::Cancel) => "cancel (keeps a draft)",
            (Context::Editor, Action::NextField) => "next input",
            (Context::Editor, Action::PrevField) => "previous input",
            (Context::Help | Context::Trash | Context::Palette, Action::Cancel) => "close",
            (Context::Help, Action::Up | Action::Down) => "scroll",
            (Context::Trash, Action::Up | Action::Down) => "choose",
            (Context::Progress, Action::Cancel) => "cancel after the batch",
            (Context::Palette, Action::Apply) => "run",
            (Context::Palette, Action::Up | Action::Down) => "choose",
            (ctx, Action::Cancel) if ctx != Context::Global => "cancel",
            _ => self.describe(),
        }
    }
}
