//! The screens over the Browser: opening one, routing keys and replies to
//! the one they belong to, and what comes of them (back, a key to show).

use crossterm::event::KeyEvent;

use super::App;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::panes::{Pane, value};
use crate::tui::screen::{BROWSER, Cx, Id, Outcome, Registry, Screen, Stack};
use crate::upstash::{Error, Reply};

impl App {
    /// The screens open over the Browser and those that can be.
    pub fn screens(&self) -> &Stack {
        &self.screens
    }

    /// Makes `registry`'s screens the ones that can be opened (the keymap
    /// must have been made with the same registry); any open one closes.
    pub fn set_screens(&mut self, registry: Registry) {
        self.screens = Stack::new(registry);
    }

    /// Shows screen `section` (the Browser's closes every screen): brought
    /// back as it was if open, else opened and started.
    pub fn open_screen(&mut self, section: &str) -> Vec<Effect> {
        if section == BROWSER.section {
            self.screens.clear();
            return Vec::new();
        }
        match self.screens.show(section) {
            None => {
                self.say(&format!("there is no screen named {section:?}"), true);
                Vec::new()
            }
            Some(false) => Vec::new(),
            Some(true) => match self.screens.top().map(|s| s.id()) {
                Some(id) => {
                    self.with_screen(id, |s, cx| {
                        s.start(cx);
                        Outcome::Done
                    })
                    .1
                }
                None => Vec::new(),
            },
        }
    }

    /// A key for the screens: the open one's first (typing), then the keys
    /// that open screens, then its keymap section's bindings; what it
    /// leaves, `Esc` (back), `q`, `?` and the pane keys, the App does.
    pub(super) fn on_screen_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(top) = self.screens.top().map(|s| s.id()) else {
            return match self.keymap.screen(&key) {
                Some(id) => self.open_screen(id.section),
                None => Vec::new(),
            };
        };
        let (outcome, effects) = self.with_screen(top, |s, cx| s.on_key(&key, cx));
        if outcome != Outcome::Ignored {
            return effects;
        }
        if let Some(id) = self.keymap.screen(&key) {
            return self.open_screen(id.section);
        }
        let Some(action) = self.keymap.action(Context::Screen(top), &key) else {
            return Vec::new();
        };
        let (outcome, effects) = self.with_screen(top, |s, cx| s.on_action(action, cx));
        if outcome != Outcome::Ignored {
            return effects;
        }
        match action {
            Action::Cancel => {
                self.screens.close(top);
                Vec::new()
            }
            Action::Quit | Action::ForceQuit | Action::Redraw | Action::Help => self.act(action),
            Action::FocusKeys
            | Action::FocusValue
            | Action::FocusConsole
            | Action::FocusMonitor => {
                self.screens.clear();
                self.act(action)
            }
            _ => Vec::new(),
        }
    }

    /// The replies to a screen's read, if it is still open.
    pub(super) fn on_screen_read(
        &mut self,
        screen: Id,
        req: ReqId,
        result: Result<Vec<Reply>, Error>,
    ) -> Vec<Effect> {
        self.with_screen(screen, |s, cx| s.on_read(req, result, cx))
            .1
    }

    /// Runs `f` on open screen `id` with a context, then does what it asked.
    fn with_screen(
        &mut self,
        id: Id,
        f: impl FnOnce(&mut dyn Screen, &mut Cx) -> Outcome,
    ) -> (Outcome, Vec<Effect>) {
        let Some(screen) = self.screens.get_mut(id) else {
            return (Outcome::Ignored, Vec::new());
        };
        let mut cx = Cx::new(id, &mut self.next_req);
        let outcome = f(screen, &mut cx);
        let (mut effects, notice) = cx.finish();
        if let Some((text, error)) = notice {
            self.say(&text, error);
        }
        match &outcome {
            Outcome::Ignored | Outcome::Done => {}
            Outcome::Back => self.screens.close(id),
            Outcome::OpenKey(key) => effects.extend(self.show_key(key)),
        }
        (outcome, effects)
    }

    /// Back to the Browser with `key` in it: its row selected when listed
    /// (the Keys pane focused, as after `Enter`), its value open.
    fn show_key(&mut self, key: &[u8]) -> Vec<Effect> {
        self.screens.clear();
        let listed = self.keys.reveal(key);
        let kind = listed
            .then(|| self.keys.selected_kind().and_then(value::known_kind))
            .flatten();
        self.focus = if listed { Pane::Keys } else { Pane::Value };
        let req = self.req();
        vec![self.value.open(key, kind, req), Effect::DebounceRows]
    }
}
