//! The app's side of the Keys pane's smaller verbs: going on with a scan
//! (or saying why not), watching the selected key in the Monitor (or saying
//! why not), and scrolling the Monitor and the help overlay.

use super::App;
use crate::tui::msg::{Action, Effect};
use crate::tui::panes::monitor;
use crate::tui::theme::Kind;

impl App {
    /// Scrolls the Monitor pane by `lines`, within its content.
    pub(super) fn monitor_scroll(&mut self, lines: isize) {
        let area = self.areas().monitor;
        let total = monitor::view::content_height(&self.monitor, area.width.saturating_sub(2));
        let max = total.saturating_sub(area.height.saturating_sub(2));
        self.monitor.scroll(lines, max as usize);
    }

    /// `c` or `L`: the scan goes on, or the status bar says why it cannot.
    pub(super) fn scan_more(&mut self, action: Action) -> Vec<Effect> {
        let effects = match action {
            Action::FullScan => self.with_ids(|k, ids| k.full_scan(ids)),
            _ => self.with_ids(|k, ids| k.continue_scan(ids)),
        };
        if effects.is_empty()
            && let Some(why) = self.keys.why_not_more(action == Action::FullScan)
        {
            self.say(why, false);
        }
        effects
    }

    /// Watches the selected key in the Monitor, or stops; says why not on
    /// a folder or a key without a length.
    pub(super) fn toggle_watch(&mut self) {
        let Some(key) = self.keys.selected_key().map(<[u8]>::to_vec) else {
            let why = match self.keys.selected_folder() {
                Some(_) => WATCH_FOLDER,
                None => "no key selected to watch",
            };
            self.say(why, true);
            return;
        };
        let kind = self.keys.selected_kind();
        self.toggle_watch_key(&key, kind);
    }

    /// Watches `key` (of `kind`, when known) in the Monitor, or stops;
    /// a key without a length is refused with the reason.
    pub(super) fn toggle_watch_key(&mut self, key: &[u8], kind: Option<Kind>) {
        let shown = crate::tui::text::escape(key);
        let why = unwatchable(kind.unwrap_or_default());
        if let Some(why) = why.filter(|_| !self.monitor.is_watched(key)) {
            self.say(&format!("cannot watch {shown}: {why}"), true);
            return;
        }
        if self.monitor.toggle_watch(key) {
            self.say(&format!("watching {shown} in the Monitor"), false);
        } else {
            self.say(&format!("stopped watching {shown}"), false);
        }
    }
}

/// The Keys pane's word for the type the Value pane opened.
pub(super) fn kind(kind: &crate::value::Kind) -> Kind {
    use crate::value::Kind as V;
    match kind {
        V::String => Kind::String,
        V::Hash => Kind::Hash,
        V::List => Kind::List,
        V::Set => Kind::Set,
        V::ZSet => Kind::ZSet,
        V::Stream => Kind::Stream,
        V::Json => Kind::Json,
        V::Missing => Kind::Gone,
        V::Other(_) => Kind::Other,
    }
}

/// The lines a moving action scrolls a view by, `page` lines a page.
pub(super) fn scroll_lines(action: Action, page: isize) -> Option<isize> {
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-page),
        Action::PageDown => Some(page),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    }
}

/// Why `w` on a folder does nothing.
const WATCH_FOLDER: &str =
    "w watches one key's length: open the folder (l) and select a list, set, zset, hash or stream";

/// Why a key of this type cannot be watched, if it cannot: the Monitor
/// samples a length, which only collections have.
fn unwatchable(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::String => {
            Some("a string has no length to watch (lists, sets, zsets, hashes and streams do)")
        }
        Kind::Json => Some(
            "a JSON document has no length to watch (lists, sets, zsets, hashes and streams do)",
        ),
        Kind::Other => Some("only lists, sets, zsets, hashes and streams have a length to watch"),
        _ => None,
    }
}
