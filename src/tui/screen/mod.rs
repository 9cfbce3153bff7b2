//! Whole-screen views beside the Browser (the four panes): each is one
//! module with its state, its drawing and its keymap section, listed once
//! in [`registry`], opened by its key from `[screens]` in the keymap, and
//! left with `Esc` for the Browser as it was.
//!
//! A screen keeps the one contract of panes and dialogs ([`Component`]):
//! an action or a key in, an [`Outcome`] out, drawing from `&self`. Beside
//! it, a screen reads the database with [`read`] (read-only commands, one
//! pipeline, the replies routed back to it alone); `Request::Close` goes
//! back, and `Request::Open` shows a key in the Browser.

pub mod analyze;
mod id;
pub mod registry;
pub mod stack;

use std::fmt;

use ratatui::layout::Rect;

pub use id::Id;
pub use registry::{BROWSER, Entry, Registry};
pub use stack::Stack;

use super::layout::Areas;
use super::msg::{Analysis, Effect, ReqId};
use super::panes::{Component, Ctx, Outcome};
use crate::upstash::{Cmd, Error, Reply};

/// One whole-screen view.
pub trait Screen: Component + fmt::Debug + Send {
    /// Which screen this is.
    fn id(&self) -> Id;

    /// Starts it when it opens (its first reads).
    fn start(&mut self, _ctx: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    /// The replies to its read tagged `req` (one per command, in order).
    fn on_read(&mut self, req: ReqId, result: Result<Vec<Reply>, Error>, ctx: &mut Ctx) -> Outcome;

    /// What came of its analysis tagged `req` (an estimate, progress, the end).
    fn on_analysis(&mut self, _req: ReqId, _event: Analysis, _ctx: &mut Ctx) -> Outcome {
        Outcome::NotMine
    }

    /// Whether, closed now, it should come back as it is when opened again
    /// (a result worth keeping, nothing running), rather than start anew.
    fn keep(&self) -> bool {
        false
    }
}

/// The effect that sends screen `screen`'s `cmds` in one pipeline, and the
/// id its replies come back to [`Screen::on_read`] with. Only read-only
/// commands are sent: the reply to a write is an error.
pub fn read(screen: Id, ctx: &mut Ctx, cmds: Vec<Cmd>) -> (ReqId, Effect) {
    let req = ctx.req();
    (req, Effect::ScreenRead { screen, req, cmds })
}

/// Where a screen goes on a terminal of size `screen`: between the title
/// bar and the status bar.
pub fn body(screen: Rect) -> Rect {
    let areas = Areas::new(screen);
    Rect::new(
        areas.title.x,
        areas.title.bottom(),
        areas.title.width,
        areas.status.y.saturating_sub(areas.title.bottom()),
    )
}
