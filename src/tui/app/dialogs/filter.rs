//! `/` in the Keys pane: the MATCH pattern's prompt over the top of the
//! pane; Enter lists the keys matching it, Esc leaves the list as it was.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::layout::Areas;

use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::widgets::filter::{self, Prompt};

const TITLE: &str = " MATCH (Enter applies, Esc cancels) ";

/// The MATCH prompt.
#[derive(Debug)]
pub struct Filter {
    pub prompt: Prompt,
}

impl Filter {
    /// An empty prompt; the pattern in use, if any, is one Up away.
    pub fn new(current: Option<String>) -> Filter {
        Filter {
            prompt: Prompt::new(current),
        }
    }
}

impl Component for Filter {
    fn on_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Outcome {
        prompt_key(&mut self.prompt, key, Request::SetPattern)
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.prompt.input.insert_str(text);
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        draw(&self.prompt, TITLE, Areas::new(screen).keys, frame, view);
    }
}

/// A key in a one-line prompt: Enter closes it with `then` of the text,
/// Esc closes it, the others edit.
pub fn prompt_key(prompt: &mut Prompt, key: KeyEvent, then: fn(String) -> Request) -> Outcome {
    match key.code {
        KeyCode::Enter => Outcome::ask(Request::Close).then(then(prompt.input.text())),
        KeyCode::Esc => Outcome::ask(Request::Close),
        _ => {
            prompt.on_key(&key);
            Outcome::used()
        }
    }
}

/// Draws a one-line prompt over the top of `pane`, with the cursor in it.
pub fn draw(prompt: &Prompt, title: &str, pane: Rect, frame: &mut Frame, view: &View) {
    let area = filter::Filter::area(pane);
    let widget = filter::Filter {
        prompt,
        theme: view.theme,
        title,
    };
    let (x, y) = widget.cursor(area);
    frame.render_widget(widget, area);
    frame.set_cursor_position((x, y));
}
