//! Drives the whole TUI, the real loop and `ui::draw`, on a `TestBackend`:
//! keys go in through a channel, the screen is read back from the buffer.

use std::time::Duration;

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::UnboundedSender;
use upstash_tui::edit::{Editor, ReadOnly};
use upstash_tui::tui::runner::{Feed, Flow, Runner};
use upstash_tui::tui::terminal::Input;
use upstash_tui::tui::{self, Options};
use upstash_tui::upstash::Client;

use super::tui::{char_event, named};

/// The loop on a test terminal, and the sender of its input.
pub struct Tui {
    pub runner: Runner<TestBackend>,
    pub feed: Feed,
    input: UnboundedSender<Input>,
    quit: bool,
}

impl Tui {
    /// The TUI as `opts` set it up, on `client`, in a `width`x`height` terminal.
    pub fn start(client: Client, opts: &Options, width: u16, height: u16) -> Tui {
        let app = tui::model(&client, opts).expect("the options are valid");
        let editor = Editor::new(client, ReadOnly::new(opts.read_only));
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        let runner = Runner::new(terminal, app, editor).expect("the loop starts");
        let (input, feed) = Feed::new();
        Tui {
            runner,
            feed,
            input,
            quit: false,
        }
    }

    /// Sends one terminal event.
    pub fn event(&self, event: Event) {
        self.input
            .send(Input::Event(event))
            .expect("the loop takes input");
    }

    /// Presses a key by its keymap name: `q`, `L`, `enter`, `ctrl-c`, `esc`.
    pub fn press(&self, name: &str) {
        self.event(Event::Key(named(name)));
    }

    /// Sends keys as `tmux send-keys` names them (`Enter`, `C-u`, `-l text`),
    /// so a test reads the same on either.
    pub fn send(&self, keys: &[&str]) {
        let mut literal = false;
        for k in keys {
            if literal {
                self.type_text(k);
                literal = false;
                continue;
            }
            let name = match *k {
                "-l" => {
                    literal = true;
                    continue;
                }
                "Enter" => "enter",
                "Escape" => "esc",
                "Tab" => "tab",
                "BTab" => "backtab",
                "BSpace" => "backspace",
                "Up" => "up",
                "Down" => "down",
                "Left" => "left",
                "Right" => "right",
                "PageUp" | "PPage" => "pageup",
                "PageDown" | "NPage" => "pagedown",
                "Home" => "home",
                "End" => "end",
                "Space" => "space",
                other => other,
            };
            match name.strip_prefix("C-") {
                Some(c) => self.press(&format!("ctrl-{c}")),
                None => self.press(name),
            }
        }
    }

    /// Types `text` one character at a time.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.event(Event::Key(char_event(c)));
        }
    }

    /// The screen as drawn, one line per row.
    pub fn screen(&self) -> String {
        let buf = self.runner.terminal().backend().buffer();
        let area = buf.area;
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Runs the loop until the screen satisfies `check` (15 s at most);
    /// fails with the screen shown.
    pub async fn wait(&mut self, what: &str, check: impl Fn(&str) -> bool) {
        self.until(what, |t| check(&t.screen())).await;
    }

    /// Runs the loop until `check` holds (15 s at most).
    pub async fn until(&mut self, what: &str, check: impl Fn(&Tui) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !check(self) {
            assert!(!self.quit, "the TUI quit while waiting for {what}");
            match tokio::time::timeout_at(deadline, self.runner.step(&mut self.feed)).await {
                Ok(Ok(flow)) => self.quit = flow == Flow::Quit,
                Ok(Err(e)) => panic!("the loop failed waiting for {what}: {e:#}"),
                Err(_) => panic!("timed out waiting for {what}; screen:\n{}", self.screen()),
            }
        }
    }

    /// Runs the loop until it quits (15 s at most).
    pub async fn quits(&mut self) {
        self.until("the TUI to quit", |t| t.quit).await;
    }
}
