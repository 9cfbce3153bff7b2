//! The status bar's hints for a pane: its own verbs first, in the bar's
//! short words, then a few that hold everywhere.

use super::{Action, Context, Hint, Keymap, join};

impl Keymap {
    /// Status-bar hints for pane `ctx`, most important first (help before
    /// all): its own bindings and a few global ones, in the bar's short words.
    pub fn hints(&self, ctx: Context) -> Vec<Hint> {
        let global = match ctx {
            Context::Screen(_) => [Action::Help, Action::Palette, Action::Cancel, Action::Quit],
            _ => [
                Action::Help,
                Action::Palette,
                Action::FocusNext,
                Action::Quit,
            ],
        };
        let own = self.bindings.get(&ctx).into_iter().flatten();
        let globals = global.iter().filter_map(|a| {
            self.bindings
                .get(&Context::Global)
                .and_then(|g| g.get_key_value(a))
        });
        let mut hints: Vec<(usize, String, &'static str)> = own
            .chain(globals)
            // Paging and folder arrows are what every list does; the room
            // goes to the pane's own verbs.
            .filter(|(a, _)| {
                !matches!(
                    a,
                    Action::Down
                        | Action::PageUp
                        | Action::PageDown
                        | Action::Top
                        | Action::Bottom
                        | Action::Expand
                        | Action::Collapse
                )
            })
            .filter_map(|(a, chords)| {
                let label = match a {
                    Action::Up => join(
                        self.keys(ctx, Action::Up)
                            .first()
                            .into_iter()
                            .chain(self.keys(ctx, Action::Down).first()),
                        "/",
                    ),
                    _ => chords.first()?.to_string(),
                };
                let rank = HINTS.iter().position(|(h, _)| h == a);
                let what = match rank {
                    _ if *a == Action::Up && ctx == Context::Monitor => "scroll",
                    _ if *a == Action::Cancel && matches!(ctx, Context::Screen(_)) => "back",
                    _ if *a == Action::Rescan && matches!(ctx, Context::Screen(_)) => "re-run",
                    Some(i) => HINTS[i].1,
                    None => a.describe(),
                };
                Some((rank.unwrap_or(HINTS.len()), label, what))
            })
            .collect();
        hints.sort_by_key(|(rank, _, _)| *rank);
        hints.into_iter().map(|(_, k, w)| (k, w)).collect()
    }
}

/// The status bar's hints in order of importance, in its short words:
/// help first, then each pane's everyday verbs, then the rest. Actions not
/// listed follow, with their help text.
const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "open"),
    (Action::Filter, "filter"),
    (Action::Search, "search"),
    (Action::Edit, "edit"),
    (Action::Add, "add"),
    (Action::Delete, "delete"),
    (Action::CreateKey, "new"),
    (Action::DeleteKey, "delete"),
    (Action::RenameKey, "rename"),
    (Action::SetTtl, "TTL"),
    (Action::Copy, "copy"),
    (Action::CycleFormat, "format"),
    (Action::SearchNext, "next match"),
    (Action::Rescan, "rescan"),
    (Action::Reload, "reload"),
    (Action::Watch, "watch"),
    (Action::WatchSuggested, "watch suggested"),
    (Action::ScanQueues, "scan for queues"),
    (Action::Up, "move"),
    (Action::CycleType, "type"),
    (Action::ContinueScan, "more"),
    (Action::FullScan, "scan all"),
    (Action::ToggleView, "tree/flat"),
    (Action::Toggle, "fold"),
    (Action::BulkDelete, "bulk delete"),
    (Action::EditExternal, "$EDITOR"),
    (Action::Save, "save"),
    (Action::CopyRaw, "copy bytes"),
    (Action::SearchPrev, "previous match"),
    (Action::Reverse, "reverse"),
    (Action::AutoRefresh, "auto-refresh"),
    (Action::Palette, "commands"),
    (Action::FocusNext, "next pane"),
    (Action::Quit, "quit"),
];
