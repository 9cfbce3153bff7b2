//! `/` in the Value pane: the search prompt over the top of the pane;
//! Enter searches the open value, Esc leaves it as it was.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::layout::Areas;

use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::widgets::filter::Prompt;

/// The search prompt.
#[derive(Debug)]
pub struct Search {
    pub prompt: Prompt,
    /// What kind of search it is, for its title.
    title: String,
}

impl Search {
    /// An empty prompt titled `title`; the last search, if any, is one Up away.
    pub fn new(previous: Option<String>, title: String) -> Search {
        Search {
            prompt: Prompt::new(previous),
            title,
        }
    }
}

impl Component for Search {
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        super::filter::prompt_key(&mut self.prompt, key, ctx, Request::Find)
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.prompt.input.insert_str(text);
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        let pane = Areas::new(screen).value;
        let keys = super::filter::keys(view.keymap, "searches", "cancels", " · ");
        let title = format!(" {} · {keys} ", self.title);
        super::filter::draw(&self.prompt, &title, pane, frame, view);
    }
}
