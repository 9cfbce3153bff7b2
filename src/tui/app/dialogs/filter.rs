//! `/` in the Keys pane: the MATCH pattern's prompt over the top of the
//! pane; Enter lists the keys matching it, Esc leaves the list as it was.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::layout::Areas;

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::panes::{Component, Ctx, Outcome, Request, View};
use crate::tui::widgets::filter::{self, Prompt};

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
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        prompt_key(&mut self.prompt, key, ctx, Request::SetPattern)
    }

    fn on_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Outcome {
        self.prompt.input.insert_str(text);
        Outcome::used()
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, view: &View) {
        let keys = keys(view.keymap, "applies", "cancels", ", ");
        let title = format!(" MATCH ({keys}) ");
        draw(&self.prompt, &title, Areas::new(screen).keys, frame, view);
    }
}

/// A key in a one-line prompt, read in the `[filter]` keymap section:
/// apply (Enter) closes it with `then` of the text, cancel (Esc) closes
/// it, the history keys bring back the pattern in use, the others edit.
pub fn prompt_key(
    prompt: &mut Prompt,
    key: KeyEvent,
    ctx: &Ctx,
    then: fn(String) -> Request,
) -> Outcome {
    match ctx.action(Context::Filter, &key) {
        Some(Action::Apply) => Outcome::ask(Request::Close).then(then(prompt.input.text())),
        Some(Action::Cancel) => Outcome::ask(Request::Close),
        Some(Action::HistoryPrev) => {
            prompt.back();
            Outcome::used()
        }
        Some(Action::HistoryNext) => {
            prompt.forth();
            Outcome::used()
        }
        _ => {
            prompt.input.input(&key);
            Outcome::used()
        }
    }
}

/// The keys a prompt's title names, as bound: `Enter applies, Esc cancels`.
pub fn keys(keymap: &Keymap, apply: &str, cancel: &str, sep: &str) -> String {
    let key = |a| keymap.label(Context::Filter, a, 1);
    let parts: Vec<String> = [(key(Action::Apply), apply), (key(Action::Cancel), cancel)]
        .into_iter()
        .filter_map(|(k, what)| Some(format!("{} {what}", k?)))
        .collect();
    parts.join(sep)
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
