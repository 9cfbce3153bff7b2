//! The Value pane's side of the one contract: its own actions, and those
//! it hands to the App with what they need (search, watch, edit, save).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::edit::Form;
use super::target::Intent;
use super::{NO_KEY, State, body_height};
use crate::tui::msg::Action;
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::theme;
use crate::value::Kind;

impl Component for State {
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        let outcome = match action {
            // Nothing to close or stop here: Esc stops the scan instead.
            Action::Cancel if !self.cancellable() => return Outcome::NotMine,
            Action::Search => match self.key() {
                Some(_) => Outcome::ask(Request::Search),
                None => Outcome::say(NO_KEY, false),
            },
            Action::Watch => match self.session() {
                Some(s) => Outcome::ask(Request::Watch {
                    key: s.key().to_vec(),
                    kind: s.kind().map(keys_kind),
                }),
                None => Outcome::say(NO_KEY, false),
            },
            Action::Edit | Action::EditExternal | Action::Add | Action::Delete => {
                self.edit(action, ctx)
            }
            _ => {
                let page = body_height(ctx.area);
                self.act(action, page, &mut || ctx.req())
            }
        };
        outcome.maybe_notice(self.take_notice())
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        frame.render_widget(
            super::View {
                state: self,
                theme: view.theme,
                focused: view.focused,
            },
            area,
        );
    }
}

impl State {
    /// `e`, `E`, `i` or `x`: the edit form on the selected element (or the
    /// detail's), refused in read-only mode.
    fn edit(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        if ctx.read_only {
            return Outcome::say(
                "read-only mode: values cannot be changed (restart without --read-only, or use a token that may write)",
                true,
            );
        }
        let Some(s) = self.session() else {
            return Outcome::say("open a key first (Enter in the Keys pane)", true);
        };
        let index = self.detail().map_or(s.selected(), |d| d.index);
        let intent = match action {
            Action::Add => Intent::Add,
            Action::Delete => Intent::Delete,
            _ => Intent::Edit,
        };
        match Form::open(s, index, intent) {
            Ok(form) => Outcome::ask(Request::Edit(
                Box::new(form),
                action == Action::EditExternal,
            )),
            Err(e) => Outcome::say(e, true),
        }
    }
}

/// The Keys pane's word for a type the Value pane opened.
pub fn keys_kind(kind: &Kind) -> theme::Kind {
    match kind {
        Kind::String => theme::Kind::String,
        Kind::Hash => theme::Kind::Hash,
        Kind::List => theme::Kind::List,
        Kind::Set => theme::Kind::Set,
        Kind::ZSet => theme::Kind::ZSet,
        Kind::Stream => theme::Kind::Stream,
        Kind::Json => theme::Kind::Json,
        Kind::Missing => theme::Kind::Gone,
        Kind::Other(_) => theme::Kind::Other,
    }
}
