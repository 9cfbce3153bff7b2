//! The frugal profile's question: an action estimated to send more
//! commands than the profile allows shows its estimate and waits for a yes.
//! `L` asks here, and the Value pane's walks its session holds; the Console
//! asks in its own confirmation box.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::panes::{Component, Ctx, Outcome, Question, Request, Then, View};
use crate::tui::widgets::dialog::{self, Dialog, Reply};
use crate::value::human::count;

/// A question before a costly action, and what a yes runs.
#[derive(Debug)]
pub struct Ask {
    pub dialog: Dialog,
    pub then: Then,
}

impl Ask {
    /// The question, naming the profile's threshold `cap`.
    pub fn new(question: Question, cap: u64) -> Ask {
        let lines = vec![
            question.what,
            question.cost,
            format!("(frugal profile: asks above {} commands)", count(cap)),
        ];
        Ask {
            dialog: Dialog::confirm(&question.title, lines),
            then: question.then,
        }
    }
}

impl Component for Ask {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let action = ctx.action(self.dialog.context(), &key);
        match (self.dialog.on_key(action, key), self.then) {
            (Reply::Submit, Then::FullScan) => Outcome::ask(Request::Close).then(Request::FullScan),
            (Reply::Submit, Then::Walk) => Outcome::ask(Request::Close).then(Request::GoOn),
            (Reply::Cancel, Then::FullScan) => Outcome::ask(Request::Close)
                .notice("not sent: the full scan was not confirmed", false),
            (Reply::Cancel, Then::Walk) => Outcome::ask(Request::Close).then(Request::HoldOff),
            (Reply::Chose | Reply::Nothing, _) => Outcome::used(),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        frame.render_widget(
            dialog::View {
                dialog: &self.dialog,
                theme: view.theme,
                keymap: view.keymap,
            },
            area,
        );
    }
}
