//! The app's side of the Console pane: its history and size, its replies,
//! and refreshing the other panes after a write.

use std::collections::HashSet;

use super::App;
use crate::console::history::History;
use crate::console::{CommandTable, touched};
use crate::tui::msg::{Action, Effect};
use crate::tui::panes::console;

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

    /// The replies to a console command came back: the next waiting
    /// command goes out, a refusal turns read-only mode on, and a write
    /// refreshes what it may have changed.
    pub(super) fn on_console_sent(
        &mut self,
        entry: crate::console::scrollback::EntryId,
        cmds: &[crate::console::Argv],
        sent: crate::console::Sent,
    ) -> Vec<Effect> {
        let ok = sent.result.is_ok();
        let refused = refusal(&sent.result);
        let reply = self.console.on_sent(entry, cmds, sent);
        let mut effects = self.follow(reply.into());
        if let Some(e) = refused {
            self.write_failed(&e);
        }
        if ok {
            effects.extend(self.refresh_after(cmds));
        }
        effects
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

/// The server's refusal of a write among a console command's replies, if any.
fn refusal(
    result: &Result<Vec<crate::upstash::Reply>, crate::upstash::Error>,
) -> Option<crate::upstash::Error> {
    match result {
        Err(e) if e.is_write_refused() => Some(e.clone()),
        Err(_) => None,
        Ok(replies) => replies.iter().find_map(|r| match r {
            crate::upstash::Reply::Error(text) => {
                let e = crate::upstash::Error::from_server(200, text.clone());
                e.is_write_refused().then_some(e)
            }
            _ => None,
        }),
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
