//! The screens over the Browser: opening one, routing keys and replies to
//! the one they belong to, and what comes of them (back, a key to show).

use crossterm::event::KeyEvent;

use super::App;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Analysis, Effect, ReqId};
use crate::tui::panes::{Ctx, Outcome, Pane, Request, Used, value};
use crate::tui::screen::{self, BROWSER, Id, Registry, Screen, Stack};
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
                Some(id) => self
                    .with_screen(id, |s, ctx| s.start(ctx))
                    .unwrap_or_default(),
                None => Vec::new(),
            },
        }
    }

    /// A key for the open screen: its own first (typing), then the keys
    /// that open screens, then its keymap section's bindings; what it
    /// leaves, `Esc` (back), `q`, `?` and the pane keys, the App does.
    pub(super) fn on_screen_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(top) = self.screens.top().map(|s| s.id()) else {
            return Vec::new();
        };
        if let Some(effects) = self.with_screen(top, |s, ctx| s.on_key(key, ctx)) {
            return effects;
        }
        if let Some(id) = self.keymap.screen(&key) {
            return self.open_screen(id.section);
        }
        let Some(action) = self.keymap.action(Context::Screen(top), &key) else {
            return Vec::new();
        };
        if let Some(effects) = self.with_screen(top, |s, ctx| s.on_action(action, ctx)) {
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

    /// Text pasted while a screen shows goes to it alone.
    pub(super) fn screen_paste(&mut self, text: &str) -> Vec<Effect> {
        match self.screens.top().map(|s| s.id()) {
            Some(top) => self
                .with_screen(top, |s, ctx| s.on_paste(text, ctx))
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// The replies to a screen's read, if it is still open.
    pub(super) fn on_screen_read(
        &mut self,
        screen: Id,
        req: ReqId,
        result: Result<Vec<Reply>, Error>,
    ) -> Vec<Effect> {
        self.with_screen(screen, |s, ctx| s.on_read(req, result, ctx))
            .unwrap_or_default()
    }

    /// What came of a screen's analysis, if it is still open.
    pub(super) fn on_analysis(&mut self, screen: Id, req: ReqId, event: Analysis) -> Vec<Effect> {
        self.with_screen(screen, |s, ctx| s.on_analysis(req, event, ctx))
            .unwrap_or_default()
    }

    /// Runs `f` on open screen `id` through the contract, then follows
    /// what it asked: `Close` closes it, `Open` shows a key in the Browser.
    /// `None` when the screen is not open or did not use it.
    fn with_screen(
        &mut self,
        id: Id,
        f: impl FnOnce(&mut dyn Screen, &mut Ctx) -> Outcome,
    ) -> Option<Vec<Effect>> {
        let facts = self.facts();
        let area = screen::body(self.size);
        let screen = self.screens.get_mut(id)?;
        let ctx = Ctx::new(&mut self.next_req, area, facts)
            .with_keymap(&self.keymap)
            .with_delimiter(self.keys.delimiter());
        let outcome = f(screen, &mut { ctx });
        if !outcome.is_used() {
            return None;
        }
        let Used {
            mut effects,
            notice,
            requests,
        } = outcome.into_used();
        let mut rest = Vec::new();
        for request in requests {
            match request {
                Request::Close => self.screens.close(id),
                Request::Open { key, kind } => effects.extend(self.show_key(&key, kind)),
                other => rest.push(other),
            }
        }
        effects.extend(self.follow(Outcome::Used(Used {
            effects: Vec::new(),
            notice,
            requests: rest,
        })));
        Some(effects)
    }

    /// Back to the Browser with `key` in it: its row selected when listed
    /// (the Keys pane focused, as after `Enter`), its value open.
    fn show_key(&mut self, key: &[u8], kind: Option<crate::value::Kind>) -> Vec<Effect> {
        self.screens.clear();
        let listed = self.keys.reveal(key);
        let kind = kind.or_else(|| {
            listed
                .then(|| self.keys.selected_kind().and_then(value::known_kind))
                .flatten()
        });
        self.focus = if listed { Pane::Keys } else { Pane::Value };
        let mut effects = self.open_key(key, kind);
        effects.push(Effect::DebounceRows);
        effects
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};
    use ratatui::Frame;
    use ratatui::layout::Rect;

    use super::*;
    use crate::tui::app::Mode;
    use crate::tui::keymap::Keymap;
    use crate::tui::msg::Msg;
    use crate::tui::panes::{Component, View};
    use crate::tui::screen::Entry;

    const ID: Id = Id {
        section: "counter",
        name: "Counter",
    };

    /// Counts its reads; `enter` opens key `k`.
    #[derive(Debug, Default)]
    struct Counter {
        replies: usize,
    }

    impl Component for Counter {
        fn on_action(&mut self, action: Action, _ctx: &mut Ctx) -> Outcome {
            match action {
                Action::Open => Outcome::ask(Request::Open {
                    key: b"k".to_vec(),
                    kind: None,
                }),
                _ => Outcome::NotMine,
            }
        }

        fn draw(&self, _: &mut Frame, _: Rect, _: &View) {}
    }

    impl Screen for Counter {
        fn id(&self) -> Id {
            ID
        }

        fn start(&mut self, ctx: &mut Ctx) -> Outcome {
            let (_, read) = screen::read(ID, ctx, vec![crate::upstash::cmd(["DBSIZE"])]);
            Outcome::run([read])
        }

        fn on_read(&mut self, _: ReqId, _: Result<Vec<Reply>, Error>, _: &mut Ctx) -> Outcome {
            self.replies += 1;
            Outcome::used()
        }
    }

    fn app() -> App {
        let registry = Registry::builtin().with(Entry {
            id: ID,
            about: "counts",
            open: || Box::<Counter>::default(),
        });
        let keys: toml::Table = "[screens]\ncounter = [\"C\"]\n[counter]\nopen = [\"enter\"]"
            .parse()
            .expect("toml");
        let keymap = Keymap::with_screens(&keys, &registry).expect("keymap");
        let mut app = App::new("test", keymap, b":", Default::default());
        app.set_screens(registry);
        app
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        app.update(Msg::Key(KeyEvent::new(code, mods)))
    }

    fn read(effects: &[Effect]) -> Option<ReqId> {
        effects.iter().find_map(|e| match e {
            Effect::ScreenRead { screen, req, .. } if *screen == ID => Some(*req),
            _ => None,
        })
    }

    #[test]
    fn its_key_opens_it_with_a_read_and_esc_closes_it() {
        let mut app = app();
        let req = read(&press(&mut app, KeyCode::Char('C'))).expect("its first read");
        assert_eq!(app.screens().ids(), [ID]);
        // Pressed again: the same screen, no second read.
        assert_eq!(read(&press(&mut app, KeyCode::Char('C'))), None);
        press(&mut app, KeyCode::Esc);
        assert!(app.screens().top().is_none());
        // Its reply after it closed goes nowhere.
        app.update(Msg::ScreenRead {
            screen: ID,
            req,
            result: Ok(Vec::new()),
        });
        assert!(app.screens().top().is_none());
    }

    #[test]
    fn not_from_the_console_and_the_pane_keys_close_it() {
        let mut app = app();
        app.focus = Pane::Console;
        press(&mut app, KeyCode::Char('C'));
        assert!(app.screens().top().is_none(), "the Console takes every key");
        app.focus = Pane::Keys;
        press(&mut app, KeyCode::Char('C'));
        press(&mut app, KeyCode::Char('4'));
        assert!(app.screens().top().is_none());
        assert_eq!(app.focus, Pane::Monitor);
    }

    fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )))
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    #[test]
    fn the_palette_opens_it_and_a_pane_action_from_it_goes_back_to_the_browser() {
        let mut app = app();
        ctrl(&mut app, 'p');
        typed(&mut app, "screen counter");
        let req = read(&press(&mut app, KeyCode::Enter));
        assert!(req.is_some(), "its first read");
        assert_eq!(app.screens().ids(), [ID]);
        assert!(matches!(app.mode, Mode::Normal));
        // From the screen: a Keys action shows the Browser, focused there.
        app.focus = Pane::Monitor;
        ctrl(&mut app, 'p');
        typed(&mut app, "keys rescan");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(app.screens().top().is_none());
        assert_eq!(app.focus, Pane::Keys);
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
            "{effects:?}"
        );
        // And the Browser's entry, from a screen, closes it.
        press(&mut app, KeyCode::Char('C'));
        ctrl(&mut app, 'p');
        typed(&mut app, "screen browser");
        press(&mut app, KeyCode::Enter);
        assert!(app.screens().top().is_none());
    }

    #[test]
    fn help_and_quit_work_from_it_and_a_key_opens_in_the_browser() {
        let mut app = app();
        press(&mut app, KeyCode::Char('C'));
        press(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.mode, Mode::Help));
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.mode, Mode::Normal));
        assert_eq!(app.screens().ids(), [ID], "Esc closed the help only");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(app.screens().top().is_none());
        assert_eq!(app.focus, Pane::Value, "k is not listed");
        assert_eq!(app.value.key(), Some(&b"k"[..]));
        assert!(effects.iter().any(|e| matches!(e, Effect::Value(_))));
        press(&mut app, KeyCode::Char('C'));
        assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    }
}
