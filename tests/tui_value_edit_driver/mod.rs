//! Drives the real `App` and its effects against the harness: keys go into
//! `App::update`, the effects that talk to the server run on a real
//! `Editor`, and their replies come back as messages until none is left.
#![allow(dead_code)]

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;
use upstash_tui::edit::{Editor, ReadOnly};
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::effects;
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::value::edit::Form;
use upstash_tui::upstash::Client;
use upstash_tui::value::Kind;

/// The app, the editor it writes through, and the replies in flight.
pub struct Driver {
    pub app: App,
    pub editor: Editor,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    in_flight: usize,
    /// Which effects go to the server.
    runs: fn(&Effect) -> bool,
    /// The effects sent to the server, in order.
    pub sent: Vec<Effect>,
    /// Effects the loop would run itself ($EDITOR), kept for the test to see.
    pub held: Vec<Effect>,
}

/// The Value pane's and the key dialogs' requests: edits, loads, undo.
fn edits(e: &Effect) -> bool {
    matches!(
        e,
        Effect::Value(_)
            | Effect::ApplyEdit { .. }
            | Effect::ReadBack { .. }
            | Effect::ProbeJson { .. }
            | Effect::Job { .. }
    )
}

impl Driver {
    /// A driver writing through `client`.
    pub fn new(client: Client) -> Driver {
        Driver::running(client, edits)
    }

    /// A driver that sends the effects `runs` picks through `client`.
    pub fn running(client: Client, runs: fn(&Effect) -> bool) -> Driver {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut app = App::for_test();
        app.update(Msg::Resize(120, 40));
        Driver {
            app,
            editor: Editor::new(client, ReadOnly::new(false)),
            tx,
            rx,
            in_flight: 0,
            runs,
            sent: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Runs the effects that reach the server (edits, loads, undo, unless
    /// [`Driver::running`] said otherwise); keeps `$EDITOR` and repaints for
    /// the test; timers and the Monitor are left out.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            if (self.runs)(&e) {
                self.sent.push(e.clone());
                effects::spawn(&self.editor, e, &self.tx);
                self.in_flight += 1;
            } else if matches!(e, Effect::EditExternal { .. } | Effect::Repaint) {
                self.held.push(e);
            }
        }
    }

    /// Feeds one message without settling.
    pub fn feed(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.run(effects);
    }

    /// The next reply, not yet fed to the app (10 s at most).
    pub async fn next(&mut self) -> Msg {
        let msg = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a reply within 10 s")
            .expect("the channel is open");
        self.in_flight -= 1;
        msg
    }

    /// Feeds replies back until nothing is in flight (10 s at most).
    pub async fn settle(&mut self) {
        while self.in_flight > 0 {
            let msg = self.next().await;
            let effects = self.app.update(msg);
            self.run(effects);
        }
    }

    /// Feeds one message and settles.
    pub async fn send(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.run(effects);
        self.settle().await;
    }

    /// Presses a key and settles.
    pub async fn press(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, mods))).await;
    }

    /// Presses a character key (Shift for capitals) and settles.
    pub async fn key(&mut self, c: char) {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.press(KeyCode::Char(c), mods).await;
    }

    /// Types text into the form, one key at a time.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            self.press(code, KeyModifiers::NONE).await;
        }
    }

    /// Ctrl-S: save the form.
    pub async fn save(&mut self) {
        self.press(KeyCode::Char('s'), KeyModifiers::CONTROL).await;
    }

    /// Opens `key` in the Value pane, focuses it and waits for the load.
    pub async fn open(&mut self, key: &str, kind: Kind) {
        let effect = self.app.open_for_test(key.as_bytes(), Some(kind), 10_000);
        self.run(vec![effect]);
        self.settle().await;
        self.key('2').await;
        assert!(
            self.app.value().session().and_then(|s| s.rows()).is_some(),
            "{key} loaded"
        );
    }

    /// Selects the row whose element (value, member, field) satisfies `pick`.
    pub async fn select(&mut self, pick: impl Fn(usize, &upstash_tui::value::Session) -> bool) {
        let s = self.app.value().session().expect("a key is open");
        let target = (0..s.len()).find(|&i| pick(i, s)).expect("the row exists");
        self.key('g').await;
        for _ in 0..target {
            self.key('j').await;
        }
    }

    /// The open form.
    pub fn form(&self) -> &Form {
        match self.app.mode() {
            Mode::Edit(edit) => &edit.form,
            other => panic!("no form open: {other:?}; notice {:?}", self.app.notice()),
        }
    }

    /// The status line's text.
    pub fn notice(&self) -> String {
        self.app
            .notice()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    /// The whole screen as text, drawn by the real `ui::draw`.
    pub fn screen(&self) -> String {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let (w, h) = (self.app.size().width, self.app.size().height);
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        term.draw(|f| upstash_tui::tui::ui::draw(&self.app, f))
            .expect("draw");
        let buf = term.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether no form is open.
    pub fn closed(&self) -> bool {
        matches!(self.app.mode(), Mode::Normal)
    }
}
