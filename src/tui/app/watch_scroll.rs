//! Watching a key in the Monitor (or saying why not), and scrolling the
//! help overlay.

use crossterm::event::KeyEvent;

use super::App;
use crate::tui::keymap::Context;
use crate::tui::panes::scroll_lines;
use crate::value::Kind;

impl App {
    /// The lines a key scrolls the help by, if it is a moving key of the
    /// `[help]` keymap section.
    pub(super) fn help_scroll(&self, key: &KeyEvent) -> Option<isize> {
        let page = self.size.height.saturating_sub(4).max(1) as isize;
        scroll_lines(self.keymap.action(Context::Help, key)?, page)
    }

    /// Watches `key` (of `kind`, when known) in the Monitor, or stops;
    /// a key without a length is refused with the reason.
    pub(super) fn toggle_watch_key(&mut self, key: &[u8], kind: Option<Kind>) {
        let shown = crate::tui::text::escape(key);
        let why = kind.as_ref().and_then(unwatchable);
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

/// Why a key of this type cannot be watched, if it cannot: the Monitor
/// samples a length, which only collections have.
fn unwatchable(kind: &Kind) -> Option<&'static str> {
    match kind {
        Kind::String => {
            Some("a string has no length to watch (lists, sets, zsets, hashes and streams do)")
        }
        Kind::Json => Some(
            "a JSON document has no length to watch (lists, sets, zsets, hashes and streams do)",
        ),
        Kind::Other(_) => {
            Some("only lists, sets, zsets, hashes and streams have a length to watch")
        }
        _ => None,
    }
}
