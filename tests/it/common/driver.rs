//! Drives the real `App` and its effects against the harness: keys go into
//! `App::update`, the effects that talk to the server run on a real
//! `Editor` as the TUI's loop runs them, and their replies come back as
//! messages.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use upstash_tui::edit::{Editor, ReadOnly};
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::effects;
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::value::edit::Form;
use upstash_tui::upstash::Client;
use upstash_tui::value::Kind;

use super::tui::{code, key};

/// The app, the editor it writes through, and the tasks in flight.
pub struct Driver {
    pub app: App,
    pub editor: Editor,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    tasks: Vec<AbortHandle>,
    /// The effects sent to the server, in order.
    pub sent: Vec<Effect>,
    /// Effects the loop would run itself ($EDITOR, a repaint), kept for the
    /// test to see.
    pub held: Vec<Effect>,
}

/// Whether `e` is a request to the server: the Keys pane's scan, count and
/// details, values, edits, key operations, the recognisers' reads, the scan
/// for queues and the Console. The Monitor's ticks, timers and files are
/// left out.
pub fn reaches_the_server(e: &Effect) -> bool {
    matches!(
        e,
        Effect::Scan { .. }
            | Effect::Count { .. }
            | Effect::Detail { .. }
            | Effect::Value(_)
            | Effect::ApplyEdit { .. }
            | Effect::ReadBack { .. }
            | Effect::ProbeJson { .. }
            | Effect::Job { .. }
            | Effect::Recognise(_)
            | Effect::Sweep { .. }
            | Effect::ConsoleSend { .. }
    )
}

impl Driver {
    /// A 120x40 app, not started, writing through `client`.
    pub fn new(client: Client) -> Driver {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut app = App::for_test();
        app.update(Msg::Resize(120, 40));
        Driver {
            app,
            editor: Editor::new(client, ReadOnly::new(false)),
            tx,
            rx,
            tasks: Vec::new(),
            sent: Vec::new(),
            held: Vec::new(),
        }
    }

    /// The app on `client`, started: its first requests answered.
    pub async fn started(client: Client) -> Driver {
        let mut d = Driver::new(client);
        let start = d.app.start();
        d.run(start);
        d.settle().await;
        d
    }

    /// Runs the effects that reach the server; keeps `$EDITOR` and repaints
    /// for the test; timers and the Monitor are left out.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            if reaches_the_server(&e) {
                self.sent.push(e.clone());
                self.tasks.push(effects::spawn(&self.editor, e, &self.tx));
            } else if matches!(e, Effect::EditExternal { .. } | Effect::Repaint) {
                self.held.push(e);
            }
        }
    }

    /// Feeds one message without waiting for what it starts.
    pub fn feed(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.run(effects);
    }

    /// Feeds `text` one key at a time without waiting.
    pub fn feed_text(&mut self, text: &str) {
        for c in text.chars() {
            self.feed(key(c));
        }
    }

    /// The next reply, not yet fed to the app (10 s at most).
    pub async fn next(&mut self) -> Msg {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a reply within 10 s")
            .expect("the channel is open")
    }

    /// Feeds replies back until no task runs and no reply waits (10 s at
    /// most). A task may send several replies (a key operation's progress).
    pub async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            while let Ok(msg) = self.rx.try_recv() {
                self.feed(msg);
            }
            self.tasks.retain(|t| !t.is_finished());
            if self.tasks.is_empty() && self.rx.is_empty() {
                return;
            }
            // A reply, or a moment for a task to end without one.
            let wait = tokio::time::sleep(Duration::from_millis(5));
            tokio::select! {
                msg = self.rx.recv() => self.feed(msg.expect("the channel is open")),
                () = wait => {}
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "replies still coming after 10 s; notice {:?}",
                self.app.notice()
            );
        }
    }

    /// Feeds replies as they come until `check` holds (30 s at most).
    pub async fn until(&mut self, what: &str, check: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !check(&self.app) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting for {what}; notice {:?}; mode {:?}",
                        self.app.notice(),
                        self.app.mode()
                    )
                })
                .expect("the channel is open");
            self.feed(msg);
        }
    }

    /// Feeds one message and settles.
    pub async fn send(&mut self, msg: Msg) {
        self.feed(msg);
        self.settle().await;
    }

    /// Presses a key and settles.
    pub async fn press(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, mods))).await;
    }

    /// Presses a character key as a terminal sends it and settles.
    pub async fn key(&mut self, c: char) {
        self.send(key(c)).await;
    }

    /// Types text, one key at a time (Enter for a newline), settling after
    /// each.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let msg = if c == '\n' {
                code(KeyCode::Enter)
            } else {
                key(c)
            };
            self.send(msg).await;
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

    /// The open dialog's lines, one string.
    pub fn dialog_lines(&self) -> String {
        match self.app.mode().boxed() {
            Some(d) => d.lines.join("\n"),
            None => panic!("no dialog is open: {:?}", self.app.mode()),
        }
    }

    /// The open dialog's error.
    pub fn dialog_error(&self) -> Option<String> {
        self.app.mode().boxed().and_then(|d| d.error.clone())
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
        super::tui::render(&self.app)
    }

    /// Whether no form or dialog is open.
    pub fn closed(&self) -> bool {
        matches!(self.app.mode(), Mode::Normal)
    }
}
