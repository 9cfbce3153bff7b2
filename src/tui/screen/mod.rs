//! Whole-screen views beside the Browser (the four panes): each is one
//! module with its state, its drawing and its keymap section, listed once
//! in [`registry`], opened by its key from `[screens]` in the keymap, and
//! left with `Esc` for the Browser as it was.
//!
//! A screen reads the database through [`Cx::read`] (read-only commands,
//! one pipeline, the replies routed back to it alone), sends the user to a
//! key with [`Outcome::OpenKey`], and draws from `&self`.

mod id;
pub mod registry;
pub mod stack;

use std::fmt;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use id::Id;
pub use registry::{BROWSER, Entry, Registry};
pub use stack::Stack;

use super::msg::{Action, Effect, ReqId};
use super::theme::Theme;
use crate::upstash::{Cmd, Error, Reply};

/// One whole-screen view: it takes actions, keys and the replies to its
/// reads, and says what came of each.
pub trait Screen: fmt::Debug + Send {
    /// Which screen this is.
    fn id(&self) -> Id;

    /// Starts it when it opens (its first reads).
    fn start(&mut self, _cx: &mut Cx) {}

    /// A key before any binding, for screens that take typing; `Ignored`
    /// passes it on to the keymap.
    fn on_key(&mut self, _key: &KeyEvent, _cx: &mut Cx) -> Outcome {
        Outcome::Ignored
    }

    /// An action bound in its keymap section (or the global one).
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome;

    /// The replies to its read tagged `req` (one per command, in order).
    fn on_read(&mut self, req: ReqId, result: Result<Vec<Reply>, Error>, cx: &mut Cx) -> Outcome;

    /// Draws it in `area`.
    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme);
}

/// What came of a key, an action or a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not this screen's: `Esc` goes back, `q` quits, `?` helps.
    Ignored,
    /// Taken.
    Done,
    /// Closes it, back to what was below.
    Back,
    /// Shows this key in the Browser (its row selected if listed, its value open).
    OpenKey(Vec<u8>),
}

/// What a screen may ask for while it handles something: reads, and a
/// line in the status bar.
pub struct Cx<'a> {
    screen: Id,
    next_req: &'a mut ReqId,
    effects: Vec<Effect>,
    notice: Option<(String, bool)>,
}

impl<'a> Cx<'a> {
    /// A context for `screen`, taking request ids from `next_req`.
    pub fn new(screen: Id, next_req: &'a mut ReqId) -> Cx<'a> {
        Cx {
            screen,
            next_req,
            effects: Vec::new(),
            notice: None,
        }
    }

    /// Sends `cmds` in one pipeline; the replies come to
    /// [`Screen::on_read`] with the id returned. Only read-only commands
    /// are sent: the reply to a write is an error.
    pub fn read(&mut self, cmds: Vec<Cmd>) -> ReqId {
        *self.next_req += 1;
        let req = *self.next_req;
        self.effects.push(Effect::ScreenRead {
            screen: self.screen,
            req,
            cmds,
        });
        req
    }

    /// Puts a line in the status bar.
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.notice = Some((text.into(), error));
    }

    /// The effects asked for and the line to show.
    pub fn finish(self) -> (Vec<Effect>, Option<(String, bool)>) {
        (self.effects, self.notice)
    }
}
