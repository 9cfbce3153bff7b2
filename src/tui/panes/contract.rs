//! The one contract of every pane, dialog and view: an action (or a key of
//! plain text editing) in, its own state changed, an [`Outcome`] out; and
//! drawing from `&self` through a borrowed [`View`].

use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::keys::store::Store;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::msg::{Action, Effect, ReqId};
use crate::tui::theme::Theme;
use crate::value::Kind;

/// A pane, a dialog or a view: it takes actions and keys, and draws itself.
pub trait Component {
    /// Carries out `action`; [`Outcome::NotMine`] when it means nothing here.
    fn on_action(&mut self, _action: Action, _ctx: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    /// A key: plain text editing, or the verbs of a prompt or dialog,
    /// which it reads through [`Ctx::action`] in its keymap section.
    fn on_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    /// Text pasted in one piece.
    fn on_paste(&mut self, _text: &str, _ctx: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    /// Draws into `area` (a dialog: the whole screen, centring itself);
    /// reads, never writes.
    fn draw(&self, frame: &mut Frame, area: Rect, view: &View);
}

/// What drawing shares: the colours and whether the component has the focus.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub theme: &'a Theme,
    pub focused: bool,
    /// The key bindings, for hints that name their keys.
    pub keymap: &'a Keymap,
}

/// What a component is handed beside the action: request ids, the clock,
/// its place on screen, and the few facts of the world it may read.
#[derive(Debug)]
pub struct Ctx<'a> {
    next_req: &'a mut ReqId,
    now: Instant,
    /// Where the component is on screen (a dialog: the whole screen).
    pub area: Rect,
    /// Writes are refused (the title bar's badge says why).
    pub read_only: bool,
    /// The frugal profile asks before actions above this many commands.
    pub ask_above: Option<u64>,
    /// The database's size, as last read.
    pub dbsize: Option<u64>,
    /// Whether the server's SCAN takes TYPE, once known.
    pub server_types: Option<bool>,
    /// Commands an analysis may spend without asking (`[analyze] budget`).
    pub analyze_budget: Option<u64>,
    /// The loaded key names (for completion), when the Keys pane is not
    /// the one being called.
    loaded: Option<&'a Store>,
    /// The key bindings, when a key is handed.
    keymap: Option<&'a Keymap>,
    /// The key tree's separator, when handed.
    delimiter: Option<&'a [u8]>,
}

/// The facts of the world a [`Ctx`] carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    pub read_only: bool,
    pub ask_above: Option<u64>,
    pub dbsize: Option<u64>,
    pub server_types: Option<bool>,
    pub analyze_budget: Option<u64>,
}

impl<'a> Ctx<'a> {
    /// A context for a component in `area`, drawing request ids from `next_req`.
    pub fn new(next_req: &'a mut ReqId, area: Rect, facts: Facts) -> Ctx<'a> {
        Ctx {
            next_req,
            now: Instant::now(),
            area,
            read_only: facts.read_only,
            ask_above: facts.ask_above,
            dbsize: facts.dbsize,
            server_types: facts.server_types,
            analyze_budget: facts.analyze_budget,
            loaded: None,
            keymap: None,
            delimiter: None,
        }
    }

    /// Lets the component read the key tree's separator.
    pub fn with_delimiter(mut self, delimiter: &'a [u8]) -> Ctx<'a> {
        self.delimiter = Some(delimiter);
        self
    }

    /// The key tree's separator (`:` when not handed).
    pub fn delimiter(&self) -> &'a [u8] {
        self.delimiter.unwrap_or(b":")
    }

    /// Lets the component read its keys' bindings (see [`Ctx::action`]).
    pub fn with_keymap(mut self, keymap: &'a Keymap) -> Ctx<'a> {
        self.keymap = Some(keymap);
        self
    }

    /// The key bindings, when a key is handed.
    pub fn keymap(&self) -> Option<&'a Keymap> {
        self.keymap
    }

    /// What section `ctx` of the keymap binds `key` to.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        self.keymap.and_then(|k| k.action(ctx, key))
    }

    /// Lets the component read the loaded key names.
    pub fn with_loaded(mut self, store: &'a Store) -> Ctx<'a> {
        self.loaded = Some(store);
        self
    }

    /// A new request id.
    pub fn req(&mut self) -> ReqId {
        *self.next_req += 1;
        *self.next_req
    }

    /// The clock as of this action.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The loaded key names, in arrival order (none when not handed).
    pub fn loaded(&self) -> impl Iterator<Item = &[u8]> {
        let store = self.loaded;
        let n = store.map_or(0, Store::len);
        (0..n)
            .filter_map(|i| u32::try_from(i).ok())
            .filter_map(move |i| store.map(|s| s.key(i)))
    }
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// What came of an action or a key.
#[derive(Debug, Default)]
pub enum Outcome {
    /// Not this component's: the caller gives it its own meaning.
    #[default]
    NotMine,
    /// Used; what follows from it.
    Used(Used),
}

/// What follows from a used action.
#[derive(Debug, Default)]
pub struct Used {
    /// Work for the effects runner.
    pub effects: Vec<Effect>,
    /// A line for the status bar.
    pub notice: Option<Notice>,
    /// What the App does beyond the component, in order.
    pub requests: Vec<Request>,
}

impl Outcome {
    /// Used, with nothing to follow.
    pub fn used() -> Outcome {
        Outcome::Used(Used::default())
    }

    /// Used, with `effects` to run.
    pub fn run(effects: impl IntoIterator<Item = Effect>) -> Outcome {
        Outcome::used().effects(effects)
    }

    /// Used, with a line for the status bar.
    pub fn say(text: impl Into<String>, error: bool) -> Outcome {
        Outcome::used().notice(text, error)
    }

    /// Used, and the dialog closes with a line for the status bar.
    pub fn close(text: impl Into<String>, error: bool) -> Outcome {
        Outcome::ask(Request::Close).notice(text, error)
    }

    /// Used, with one request to the App.
    pub fn ask(request: Request) -> Outcome {
        Outcome::used().then(request)
    }

    /// What follows from it (nothing when it was not used).
    pub fn into_used(self) -> Used {
        match self {
            Outcome::Used(used) => used,
            Outcome::NotMine => Used::default(),
        }
    }

    /// Adds effects (and marks it used).
    pub fn effects(self, effects: impl IntoIterator<Item = Effect>) -> Outcome {
        let mut used = self.into_used();
        used.effects.extend(effects);
        Outcome::Used(used)
    }

    /// Sets the status bar's line (and marks it used).
    pub fn notice(self, text: impl Into<String>, error: bool) -> Outcome {
        let mut used = self.into_used();
        used.notice = Some(Notice {
            text: text.into(),
            error,
        });
        Outcome::Used(used)
    }

    /// Sets the status bar's line when there is one.
    pub fn maybe_notice(self, notice: Option<(String, bool)>) -> Outcome {
        match notice {
            Some((text, error)) => self.notice(text, error),
            None => self,
        }
    }

    /// Adds a request to the App (and marks it used).
    pub fn then(self, request: Request) -> Outcome {
        let mut used = self.into_used();
        used.requests.push(request);
        Outcome::Used(used)
    }

    /// Whether the component used it.
    pub fn is_used(&self) -> bool {
        matches!(self, Outcome::Used(_))
    }
}

/// What a component asks of the App, beyond its own state.
#[derive(Debug)]
pub enum Request {
    /// Close the open dialog.
    Close,
    /// The focus to the next pane (the previous with `back`).
    Focus { back: bool },
    /// The focus back to the Keys pane.
    Leave,
    /// Clear the status bar's line.
    ClearNotice,
    /// Scan the keys again from the start.
    Rescan,
    /// Open `key` in the Value pane (of `kind`, when known).
    Open { key: Vec<u8>, kind: Option<Kind> },
    /// Open the MATCH filter's prompt.
    Filter,
    /// List keys matching this pattern (typed in the filter's prompt).
    SetPattern(String),
    /// Open the search prompt of the Value pane.
    Search,
    /// Search the open value for this (typed in the search prompt).
    Find(String),
    /// Watch `key` (of `kind`, when known) in the Monitor, or stop.
    Watch { key: Vec<u8>, kind: Option<Kind> },
    /// Ask before a costly action (the frugal profile).
    Ask(Question),
    /// Go on with what a question held: `L`'s full scan.
    FullScan,
    /// Go on with the Value pane's held walk.
    GoOn,
    /// Drop the Value pane's held walk.
    HoldOff,
    /// Open the Value pane's edit form.
    Edit(Box<super::value::edit::Form>, bool),
    /// Keep an edit form's text as a draft.
    Draft(Box<super::value::edit::Form>),
    /// The key was (or may have been) written: reload it where it shows.
    Written(Vec<u8>),
    /// A write failed: show it, and turn read-only on for a refusal.
    WriteFailed(crate::upstash::Error),
    /// Open the dialog that saves the open value to a file.
    Save(Box<super::value::save::Prompt>),
    /// Run a command chosen in the palette.
    Run(crate::tui::palette::Command),
    /// Show the Browser with the Keys pane listing the keys matching this
    /// glob (bytes, as keys are).
    FilterKeys(Vec<u8>),
}

/// A question before a costly action, and what a yes goes on with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub title: String,
    /// What the action does.
    pub what: String,
    /// What it would cost.
    pub cost: String,
    /// What a yes runs.
    pub then: Then,
}

/// What a question holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// `L`: scan to the end.
    FullScan,
    /// The Value pane's held walk.
    Walk,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_added_makes_an_outcome_used_in_order() {
        assert!(!Outcome::NotMine.is_used());
        let outcome = Outcome::NotMine
            .effects([Effect::Repaint])
            .then(Request::Close)
            .then(Request::Rescan)
            .notice("first", false)
            .notice("second", true);
        let Used {
            effects,
            notice,
            requests,
        } = outcome.into_used();
        assert_eq!(effects, [Effect::Repaint]);
        assert_eq!(
            notice,
            Some(Notice {
                text: "second".into(),
                error: true
            })
        );
        assert!(matches!(requests[..], [Request::Close, Request::Rescan]));
    }

    #[test]
    fn ids_are_new_each_time_and_the_loaded_keys_only_when_handed() {
        let mut next = 7;
        let mut store = Store::default();
        store.push(b"a", Some(Kind::String));
        store.push(b"b", Some(Kind::Hash));
        let mut ctx = Ctx::new(&mut next, Rect::default(), Facts::default());
        assert_eq!((ctx.req(), ctx.req()), (8, 9));
        assert_eq!(ctx.loaded().count(), 0);
        let ctx = ctx.with_loaded(&store);
        assert_eq!(ctx.loaded().collect::<Vec<_>>(), [&b"a"[..], b"b"]);
        assert_eq!(next, 9);
    }
}
