//! The key-level operations driven through `App::update` and the real
//! effects runner, against the harness (real redis-server, gateway, client).

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use redis::AsyncCommands;
use tokio::sync::mpsc;
use upstash_tui::edit::{Control, Editor, ReadOnly};
use upstash_tui::jobs::{self, Done, Job, Progress};
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::effects;
use upstash_tui::tui::msg::{Effect, Msg};

use common::{Harness, RO_TOKEN, TOKEN};

/// The app, the editor and the loop's channel, run by hand.
struct Driver {
    app: App,
    editor: Editor,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
}

impl Driver {
    async fn start(h: &Harness, token: &str) -> Driver {
        Driver::start_on(h.client_with_token(token)).await
    }

    /// A driver writing through `client`.
    async fn start_on(client: upstash_tui::upstash::Client) -> Driver {
        let editor = Editor::new(client, ReadOnly::new(false));
        let (tx, rx) = mpsc::unbounded_channel();
        let mut d = Driver {
            app: App::for_test(),
            editor,
            tx,
            rx,
        };
        let mut effects = d.app.update(Msg::Resize(100, 40));
        effects.extend(d.app.start());
        d.run(effects);
        d.until("the first scan", |a| {
            !a.keys().scanning() && a.keys().dbsize().is_some()
        })
        .await;
        d
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Scan { .. }
                | Effect::Count { .. }
                | Effect::Detail { .. }
                | Effect::Value(_)
                | Effect::Job { .. } => {
                    effects::spawn(&self.editor, e, &self.tx);
                }
                _ => {}
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        let effects = self
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.run(effects);
    }

    fn chars(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Applies messages as they come until `check` holds (30 s at most).
    async fn until(&mut self, what: &str, check: impl Fn(&App) -> bool) {
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
                .expect("channel open");
            let effects = self.app.update(msg);
            self.run(effects);
        }
    }

    fn notice(&self) -> String {
        self.app
            .notice()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    /// Presses `u` and waits for its answer.
    async fn undo(&mut self) {
        self.chars("u");
        self.until("the undo", |a| {
            a.notice().is_some_and(|n| n.text.starts_with("undone"))
        })
        .await;
    }

    /// The open dialog's lines, one string.
    fn dialog_lines(&self) -> String {
        match self.app.mode().boxed() {
            Some(d) => d.lines.join("\n"),
            None => panic!("no dialog is open: {:?}", self.app.mode()),
        }
    }

    fn dialog_error(&self) -> Option<String> {
        self.app.mode().boxed().and_then(|d| d.error.clone())
    }
}

fn idle(a: &App) -> bool {
    matches!(a.mode(), Mode::Normal)
}

fn waiting_done(a: &App) -> bool {
    match a.mode() {
        Mode::Normal => true,
        mode => mode.boxed().is_some_and(|d| d.busy.is_none()),
    }
}

/// Fills the create form: name (after clearing the prefix), type steps, fields, TTL.
fn fill_create(d: &mut Driver, name: &str, type_steps: usize, a: &str, b: &str, ttl: &str) {
    d.chars("n");
    assert!(matches!(d.app.mode(), Mode::Create(_)), "n opens the form");
    d.key(KeyCode::End);
    for _ in 0..40 {
        d.key(KeyCode::Backspace);
    }
    d.chars(name);
    d.key(KeyCode::Tab);
    for _ in 0..type_steps {
        d.key(KeyCode::Right);
    }
    d.key(KeyCode::Tab);
    d.chars(a);
    if !b.is_empty() {
        d.key(KeyCode::Tab);
        d.chars(b);
    }
    d.key(KeyCode::Tab);
    d.chars(ttl);
}

#[tokio::test]
async fn create_every_type_with_ttl_and_never_overwrite_unasked() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("taken", "old").await.unwrap();
    let mut d = Driver::start(&h, TOKEN).await;
    let cases = [
        ("new:str", 0, "hello", "", "string"),
        ("new:hash", 1, "f", "v", "hash"),
        ("new:list", 2, "e1", "", "list"),
        ("new:set", 3, "m1", "", "set"),
        ("new:zset", 4, "m1", "2.5", "zset"),
        ("new:stream", 5, "f", "v", "stream"),
    ];
    for (name, steps, a, b, kind) in cases {
        fill_create(&mut d, name, steps, a, b, "10m");
        d.key(KeyCode::Enter);
        d.until(name, idle).await;
        assert!(d.notice().contains("created"), "{}", d.notice());
        let t: String = redis::cmd("TYPE")
            .arg(name)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert_eq!(t, kind);
        let ttl: i64 = conn.ttl(name).await.unwrap();
        assert!((590..=600).contains(&ttl), "{name} ttl {ttl}");
        assert!(d.app.keys().is_listed(name.as_bytes()), "{name} is listed");
        // The new key is selected and opens in the Value pane.
        assert_eq!(d.app.keys().selected_key(), Some(name.as_bytes()));
        assert_eq!(d.app.value().key(), Some(name.as_bytes()));
    }
    let score: f64 = conn.zscore("new:zset", "m1").await.unwrap();
    assert_eq!(score, 2.5);

    // A bad TTL keeps the form open with the text and the error.
    fill_create(&mut d, "new:bad", 0, "x", "", "soon");
    d.key(KeyCode::Enter);
    assert!(d.dialog_error().unwrap_or_default().contains("TTL"));
    d.key(KeyCode::Esc);

    // An existing key: a confirmation first; No leaves it as it was.
    fill_create(&mut d, "taken", 0, "new", "", "");
    d.key(KeyCode::Enter);
    d.until("the replace confirmation", waiting_done).await;
    let lines = d.dialog_lines();
    assert!(lines.contains("undoes"), "{lines}");
    d.chars("n");
    let v: String = conn.get("taken").await.unwrap();
    assert_eq!(v, "old");
    d.key(KeyCode::Esc);
    assert!(idle(&d.app));
    // Yes replaces it, and undo brings the old value back.
    fill_create(&mut d, "taken", 0, "new", "", "");
    d.key(KeyCode::Enter);
    d.until("the replace confirmation", waiting_done).await;
    d.chars("y");
    d.until("the overwrite", idle).await;
    let v: String = conn.get("taken").await.unwrap();
    assert_eq!(v, "new");
    d.undo().await;
    let v: String = conn.get("taken").await.unwrap();
    assert_eq!(v, "old");
}

/// Selects the row of `key` in the flat list.
fn select(d: &mut Driver, key: &str) {
    if d.app.keys().layout() != upstash_tui::tui::panes::keys::Layout::Flat {
        d.chars("v");
    }
    d.chars("g");
    for _ in 0..d.app.keys().len() {
        if d.app.keys().selected_key() == Some(key.as_bytes()) {
            return;
        }
        d.key(KeyCode::Down);
    }
    panic!(
        "{key} is not listed ({} rows, error {:?})",
        d.app.keys().len(),
        d.app.keys().error()
    );
}

#[tokio::test]
async fn rename_ttl_delete_and_undo() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("a", "1").await.unwrap();
    let () = conn.set("b", "2").await.unwrap();
    let () = conn.pset_ex("c", "3", 600_000).await.unwrap();
    let mut d = Driver::start(&h, TOKEN).await;

    // RENAMENX onto a free name.
    select(&mut d, "a");
    d.chars("R");
    d.key(KeyCode::End);
    d.key(KeyCode::Backspace);
    d.chars("a2");
    d.key(KeyCode::Enter);
    d.until("the rename", idle).await;
    let exists: bool = conn.exists("a2").await.unwrap();
    assert!(exists);
    assert!(d.app.keys().is_listed(b"a2") && !d.app.keys().is_listed(b"a"));
    assert_eq!(d.app.keys().selected_key(), Some(&b"a2"[..]));

    // Onto a taken name: confirm, then it replaces b.
    select(&mut d, "a2");
    d.chars("R");
    d.key(KeyCode::End);
    d.key(KeyCode::Backspace);
    d.key(KeyCode::Backspace);
    d.chars("b");
    d.key(KeyCode::Enter);
    d.until("the rename confirmation", waiting_done).await;
    assert!(matches!(d.app.mode(), Mode::Rename(r) if r.asks_to_replace()));
    d.chars("y");
    d.until("the rename over", idle).await;
    let v: String = conn.get("b").await.unwrap();
    assert_eq!(v, "1");

    // TTL: a bad entry keeps the text; a good one is set and shown.
    select(&mut d, "b");
    d.chars("T");
    d.chars("ten");
    d.key(KeyCode::Enter);
    assert!(d.dialog_error().unwrap_or_default().contains("not a TTL"));
    for _ in 0..3 {
        d.key(KeyCode::Backspace);
    }
    d.chars("2h");
    d.key(KeyCode::Enter);
    d.until("the TTL", idle).await;
    let ttl: i64 = conn.ttl("b").await.unwrap();
    assert!((7190..=7200).contains(&ttl), "{ttl}");

    // Delete: the confirmation shows type and size, then undo restores value and TTL.
    select(&mut d, "c");
    d.chars("d");
    d.until("the delete confirmation", waiting_done).await;
    let lines = d.dialog_lines();
    assert!(
        lines.contains("string") && lines.contains("1 byte "),
        "{lines}"
    );
    d.chars("y");
    d.until("the delete", idle).await;
    let exists: bool = conn.exists("c").await.unwrap();
    assert!(!exists);
    assert!(!d.app.keys().is_listed(b"c"));
    d.chars("u");
    d.until("the undo", |a| a.keys().is_listed(b"c")).await;
    let v: String = conn.get("c").await.unwrap();
    assert_eq!(v, "3");
    let pttl: i64 = conn.pttl("c").await.unwrap();
    assert!(pttl > 590_000 && pttl <= 600_000, "{pttl}");

    // The undo list restores a chosen item, not only the newest.
    d.chars("U");
    d.until("the undo list", waiting_done).await;
    let lines = d.dialog_lines();
    assert!(lines.contains("rename a2 to b"), "{lines}");
    assert!(lines.contains("rename a to a2"), "{lines}");
    // The older rename cannot go first (a2 is gone): the error shows, nothing changes.
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.until("the refused undo", waiting_done).await;
    assert!(d.dialog_error().is_some(), "the failed undo says why");
    d.key(KeyCode::Up);
    d.key(KeyCode::Enter);
    d.until("the chosen undo", idle).await;
    assert!(
        d.notice().contains("undone: rename a2 to b"),
        "{}",
        d.notice()
    );
    let a2: String = conn.get("a2").await.unwrap();
    let b: String = conn.get("b").await.unwrap();
    assert_eq!((a2.as_str(), b.as_str()), ("1", "2"));
}

#[tokio::test]
async fn bulk_delete_by_pattern_with_progress_and_a_cancel_halfway() {
    const N: usize = 100_000;
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    for chunk in (0..N).collect::<Vec<_>>().chunks(10_000) {
        let mut pipe = redis::pipe();
        for i in chunk {
            pipe.set(format!("bulk:{i}"), i).ignore();
        }
        let () = pipe.query_async(&mut conn).await.unwrap();
    }
    let () = conn.set("keep:1", "x").await.unwrap();
    let mut d = Driver::start(&h, TOKEN).await;
    d.chars("/");
    d.chars("bulk:*");
    d.key(KeyCode::Enter);
    d.until("the filtered scan", |a| !a.keys().scanning()).await;
    d.chars("D");
    d.until("the dry run", waiting_done).await;
    let lines = match d.app.mode() {
        Mode::Bulk(b) => b.dialog().lines.join("\n"),
        _ => panic!("the bulk confirmation is open"),
    };
    assert!(lines.contains(&format!("{N} keys match bulk:*")), "{lines}");
    d.chars("y");
    // Progress arrives batch by batch while the dialog stays open.
    d.until("half the keys deleted", |a| match a.mode() {
        Mode::Bulk(b) => b.progress().is_some_and(|p| p.deleted >= N as u64 / 2),
        _ => true,
    })
    .await;
    match d.app.mode() {
        Mode::Bulk(b) => assert!(
            b.dialog().lines.iter().any(|l| l.contains("deleted (")),
            "the dialog shows the progress"
        ),
        _ => panic!("the run ended before half the keys were deleted"),
    }
    d.chars("c");
    d.until("the run to stop", idle).await;
    let notice = d.notice();
    assert!(notice.contains("cancelled"), "{notice}");
    let deleted: u64 = notice
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("a count in the report");
    let left: Vec<String> = redis::cmd("KEYS")
        .arg("bulk:*")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        deleted >= N as u64 / 2 && (deleted as usize) < N,
        "{notice}"
    );
    assert_eq!(
        left.len(),
        N - deleted as usize,
        "what was not deleted is intact"
    );
    for k in left.iter().take(100) {
        let i: usize = k["bulk:".len()..].parse().unwrap();
        let v: usize = conn.get(k).await.unwrap();
        assert_eq!(v, i);
    }
    let kept: bool = conn.exists("keep:1").await.unwrap();
    assert!(kept);
}

/// The effects runner runs a bulk delete as a job: its progress comes back
/// batch by batch under the job's request id, then one `JobDone` with the
/// report; the control the model kept cancels it after the batch in flight.
#[tokio::test]
async fn the_effects_runner_sends_a_jobs_progress_then_its_end() {
    const N: usize = 20_000;
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..N {
        pipe.set(format!("job:{i}"), i).ignore();
    }
    let () = pipe.query_async(&mut conn).await.unwrap();
    let editor = Editor::new(h.client_with_token(TOKEN), ReadOnly::new(false));
    let dry = match jobs::run(&editor, Job::DryRun(b"job:*".to_vec()), |_| {}).await {
        Ok(Done::Counted(dry)) => dry,
        other => panic!("a dry run answers with its count: {other:?}"),
    };
    assert_eq!(dry.keys, N as u64);
    let control = Control::default();
    let job = Job::Bulk {
        pattern: b"job:*".to_vec(),
        found: dry.found.clone(),
        expected: dry.keys,
        undo: true,
        control: control.clone(),
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    effects::spawn(&editor, Effect::Job { req: 7, job }, &tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut seen: Vec<u64> = Vec::new();
    let report = loop {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the job answers within 30 s")
            .expect("channel open");
        match msg {
            Msg::JobProgress {
                req: 7,
                progress: Progress::Bulk(p),
            } => {
                assert_eq!(p.expected, N as u64);
                if seen.is_empty() {
                    control.cancel();
                }
                seen.push(p.deleted);
            }
            Msg::JobDone {
                req: 7,
                result: Ok(Done::Bulk(report)),
            } => break report,
            other => panic!("only the job's messages, tagged with its request: {other:?}"),
        }
    };
    assert!(!seen.is_empty(), "progress came before the end");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(report.cancelled, "{report:?}");
    assert_eq!(
        Some(&report.deleted),
        seen.last(),
        "the end agrees with the last progress"
    );
    assert!((report.deleted as usize) < N, "{report:?}");
    let left: Vec<String> = redis::cmd("KEYS")
        .arg("job:*")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(left.len(), N - report.deleted as usize);
}

#[tokio::test]
async fn a_read_only_token_writes_nothing_and_the_ui_says_why() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("k", "v").await.unwrap();
    let mut d = Driver::start(&h, RO_TOKEN).await;
    // Upstash refuses SCAN to read-only tokens: the Keys pane says so and
    // read-only mode is on from the first page.
    assert!(d.app.read_only(), "a refused SCAN means a read-only token");
    let why = d.app.keys().error().unwrap_or_default().to_owned();
    assert!(why.contains("read-only tokens cannot SCAN"), "{why}");
    // Were the mode off, the server's refusal of a write turns it on.
    d.app.set_read_only(false);
    fill_create(&mut d, "new", 0, "x", "", "");
    d.key(KeyCode::Enter);
    d.until("the refusal", waiting_done).await;
    assert!(d.app.read_only(), "the refusal turns read-only mode on");
    assert!(
        d.dialog_error().is_some(),
        "the dialog keeps the input and shows the error"
    );
    d.key(KeyCode::Esc);
    let exists: bool = conn.exists("new").await.unwrap();
    assert!(!exists);
    // Now every write is refused before a dialog opens.
    for c in ["d", "R", "T", "n", "D", "u"] {
        d.chars(c);
        assert!(idle(&d.app), "{c} opens nothing");
        assert!(d.notice().contains("read-only"), "{c}: {}", d.notice());
    }
    let v: String = conn.get("k").await.unwrap();
    assert_eq!(v, "v");
}

#[test]
fn read_only_mode_refuses_before_any_dialog_or_request() {
    let mut app = App::for_test();
    app.set_read_only(true);
    for c in ['n', 'R', 'T', 'd', 'D', 'u'] {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        let effects = app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), mods)));
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Job { .. })),
            "{c} sends nothing"
        );
        assert!(matches!(app.mode(), Mode::Normal), "{c} opens nothing");
        assert!(
            app.notice()
                .is_some_and(|n| n.error && n.text.contains("read-only"))
        );
    }
    // The undo list only reads, so it opens.
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('U'),
        KeyModifiers::SHIFT,
    )));
    assert!(effects.iter().any(|e| matches!(e, Effect::Job { .. })));
}

#[tokio::test]
async fn undo_messages_and_the_undo_list_show_key_names_escaped() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let raw = "bin:\x1b[31mred\x1b[0m";
    let () = conn.set(raw, "v").await.unwrap();
    let mut d = Driver::start(&h, TOKEN).await;
    select(&mut d, raw);
    d.chars("R");
    d.key(KeyCode::End);
    for _ in 0..40 {
        d.key(KeyCode::Backspace);
    }
    d.chars("plain");
    d.key(KeyCode::Enter);
    d.until("the rename", idle).await;
    let shown = "bin:\\x1b[31mred\\x1b[0m";
    d.chars("U");
    d.until("the undo list", waiting_done).await;
    let lines = d.dialog_lines();
    assert!(
        lines.contains(&format!("rename {shown} to plain")),
        "{lines}"
    );
    d.key(KeyCode::Esc);
    d.undo().await;
    assert_eq!(d.notice(), format!("undone: rename {shown} to plain"));
    let v: String = conn.get(raw).await.unwrap();
    assert_eq!(v, "v");
}

#[tokio::test]
async fn a_key_write_whose_answer_was_lost_may_have_happened() {
    use common::proxy::{Fault, Proxy};
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("a", "1").await.unwrap();
    let proxy = Proxy::start(&h.url).await;
    let client = upstash_tui::upstash::Client::new(upstash_tui::upstash::ClientConfig {
        url: proxy.url(),
        token: TOKEN.into(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(1),
        allow_insecure_http: false,
    })
    .unwrap();
    let mut d = Driver::start_on(client).await;
    select(&mut d, "a");
    d.chars("R");
    d.key(KeyCode::End);
    d.key(KeyCode::Backspace);
    d.chars("b");
    proxy.set(Fault::Latency(Duration::from_secs(3)));
    d.key(KeyCode::Enter);
    d.until("the lost answer", waiting_done).await;
    let error = d.dialog_error().unwrap_or_default();
    assert!(
        error.contains("timed out: it may have been done; r rescans"),
        "{error}"
    );
    let renamed: bool = conn.exists("b").await.unwrap();
    assert!(renamed, "it was done");
}
