//! The Console pane inside the app: focus, key routing, effects, refreshes
//! after writes, and the whole screen.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use upstash_tui::console::Sent;
use upstash_tui::tui::app::App;
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::Pane;
use upstash_tui::tui::ui;
use upstash_tui::upstash::Reply;
use upstash_tui::value::session::Fetch;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn type_line(app: &mut App, line: &str) -> Vec<Effect> {
    for c in line.chars() {
        assert!(
            app.update(key(c)).is_empty(),
            "typing {c:?} does nothing else"
        );
    }
    app.update(code(KeyCode::Enter))
}

/// A started app whose first scan answered with `names` (name, type, name, type...).
fn loaded(names: impl IntoIterator<Item = String>) -> App {
    let mut app = App::for_test();
    app.update(Msg::Resize(100, 30));
    let effects = app.start();
    let Some(Effect::Scan { req, request }) = effects
        .iter()
        .find(|e| matches!(e, Effect::Scan { .. }))
        .cloned()
    else {
        panic!("a scan starts");
    };
    let items = names
        .into_iter()
        .map(|s| Reply::Bytes(s.into_bytes()))
        .collect();
    app.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Array(vec![
            Reply::Bytes(b"0".to_vec()),
            Reply::Array(items),
        ])]),
        elapsed: Duration::ZERO,
    });
    app
}

/// An app with two keys loaded and `user:1` open in the Value pane.
fn app() -> App {
    let names = ["user:1", "string", "user:2", "hash"];
    let mut app = loaded(names.map(String::from));
    app.update(key('v'));
    app.update(code(KeyCode::Home));
    let effects = app.update(code(KeyCode::Enter));
    assert!(effects.iter().any(|e| matches!(e, Effect::Value(_))));
    assert_eq!(app.value().key(), Some(&b"user:1"[..]));
    app
}

fn send(app: &mut App, line: &str, replies: Vec<Reply>) -> Vec<Effect> {
    let effects = type_line(app, line);
    let Some(Effect::ConsoleSend { entry, cmds }) = effects.first().cloned() else {
        panic!("{line} is sent: {effects:?}");
    };
    app.update(Msg::ConsoleSent {
        entry,
        cmds,
        sent: Sent {
            rtt: Duration::from_millis(4),
            result: Ok(replies),
        },
    })
}

fn render(app: &App) -> String {
    let mut term =
        Terminal::new(TestBackend::new(app.size().width, app.size().height)).expect("term");
    term.draw(|f| ui::draw(app, f)).expect("draw");
    term.backend().to_string()
}

#[test]
fn colon_and_3_focus_the_console_and_keys_go_to_the_line() {
    let mut a = app();
    a.update(key(':'));
    assert_eq!(a.focus(), Pane::Console);
    // `q` is text here, not quit; `1` is text, not a focus change.
    assert!(type_line(&mut a, "q1").is_empty() || !a.quitting());
    assert!(!a.quitting());
    assert_eq!(a.focus(), Pane::Console);
    a.update(code(KeyCode::Esc));
    assert_eq!(a.focus(), Pane::Keys);
    a.update(key('3'));
    assert_eq!(a.focus(), Pane::Console);
}

#[test]
fn a_command_is_sent_and_its_reply_shown() {
    let mut a = app();
    a.update(key(':'));
    let effects = send(&mut a, "GET user:2", vec![Reply::Nil]);
    assert!(effects.is_empty(), "a read refreshes nothing: {effects:?}");
    let screen = render(&a);
    assert!(screen.contains("> GET user:2  (4.0 ms)"), "{screen}");
    assert!(screen.contains("(nil)"), "{screen}");
}

#[test]
fn writing_the_open_key_reloads_it_and_new_keys_rescan() {
    let mut a = app();
    a.update(key(':'));
    let effects = send(&mut a, "SET user:1 x", vec![Reply::Status("OK".into())]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Value(Fetch::Open { key, .. }) if key == b"user:1")),
        "{effects:?}"
    );
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "no new key: {effects:?}"
    );
    let effects = send(&mut a, "SET user:3 x", vec![Reply::Status("OK".into())]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "a new key: {effects:?}"
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Value(_))));
    let effects = send(&mut a, "DEL user:2", vec![Reply::Int(1)]);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "a key gone: {effects:?}"
    );
}

#[test]
fn a_paste_becomes_one_pipeline() {
    let mut a = app();
    a.update(key(':'));
    let effects = a.update(Msg::Paste("SET a 1\nGET a\n".into()));
    let Some(Effect::ConsoleSend { cmds, .. }) = effects.first() else {
        panic!("sent: {effects:?}");
    };
    assert_eq!(cmds.len(), 2);
    // Outside the console a paste does nothing.
    a.update(code(KeyCode::Esc));
    assert!(a.update(Msg::Paste("FLUSHALL\nPING".into())).is_empty());
}

#[test]
fn read_only_refuses_writes_before_sending() {
    let mut a = app();
    a.set_read_only(true);
    a.update(key(':'));
    assert!(type_line(&mut a, "SET a 1").is_empty());
    assert!(render(&a).contains("not sent: SET writes data and this connection is read-only"));
}

#[test]
fn the_console_pane_on_screen() {
    let mut a = app();
    a.update(key(':'));
    send(
        &mut a,
        "HGETALL user:2",
        vec![Reply::Array(vec![
            Reply::Bytes(b"name".to_vec()),
            Reply::Bytes(b"Ada".to_vec()),
        ])],
    );
    for c in "ZADD board".chars() {
        a.update(key(c));
    }
    let screen = render(&a);
    assert!(screen.contains("1) \"name\""), "{screen}");
    assert!(screen.contains("2) \"Ada\""), "{screen}");
    assert!(
        screen.contains("> ZADD board [NX|XX]"),
        "the hint: {screen}"
    );
    insta::assert_snapshot!(screen);
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn reply(entry: upstash_tui::console::scrollback::EntryId, cmds: Vec<Vec<Vec<u8>>>) -> Msg {
    Msg::ConsoleSent {
        entry,
        cmds,
        sent: Sent {
            rtt: Duration::from_millis(3),
            result: Ok(vec![Reply::Status("OK".into())]),
        },
    }
}

#[test]
fn a_megabyte_paste_is_one_insert_drawn_by_window_and_sent_whole() {
    let mut a = app();
    a.update(Msg::Resize(80, 24));
    a.update(key('3'));
    let big = "x".repeat(1_000_000);
    let started = std::time::Instant::now();
    assert!(
        a.update(Msg::Paste(format!("SET con:big {big}")))
            .is_empty()
    );
    let screen = render(&a);
    assert!(
        screen.contains(&format!("│> {} │", &big[..43])),
        "the end of the line: {screen}"
    );
    // Typing at the end of a megabyte line costs a key, not a megabyte.
    for c in "yz".chars() {
        a.update(key(c));
        render(&a);
    }
    let effects = a.update(code(KeyCode::Enter));
    let Some(Effect::ConsoleSend { entry, cmds }) = effects.first().cloned() else {
        panic!("sent: {effects:?}");
    };
    assert_eq!(cmds[0][2].len(), 1_000_002);
    assert!(cmds[0][2].ends_with(b"xyz"));
    a.update(reply(entry, cmds));
    let screen = render(&a);
    assert!(
        screen.contains("(1000014 bytes)"),
        "the echo says its size: {screen}"
    );
    assert!(screen.contains("OK"), "{screen}");
    // Before, each pasted character was inserted by counting the ones before
    // it: minutes for a megabyte. Now it is milliseconds, even unoptimised.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn tab_on_an_empty_line_and_shift_tab_leave_the_console() {
    let mut a = app();
    a.update(key('3'));
    a.update(code(KeyCode::Tab));
    assert_eq!(
        a.focus(),
        Pane::Monitor,
        "Tab with nothing to complete moves on"
    );
    a.update(key('3'));
    a.update(code(KeyCode::BackTab));
    assert_eq!(a.focus(), Pane::Value, "Shift-Tab goes back");
    a.update(key('3'));
    assert!(a.console().input().is_empty(), "no command was inserted");
    // With a word to complete, Tab completes and Shift-Tab cycles back.
    for c in "hge".chars() {
        a.update(key(c));
    }
    a.update(code(KeyCode::Tab));
    a.update(code(KeyCode::Tab));
    assert_eq!(a.console().input().as_str(), "hgetall");
    a.update(code(KeyCode::BackTab));
    assert_eq!(a.console().input().as_str(), "hget");
    assert_eq!(a.focus(), Pane::Console);
}

#[test]
fn line_feeds_end_lines_and_commands_go_out_one_at_a_time_in_order() {
    let mut a = app();
    a.update(key('3'));
    // A paste without brackets arrives as keys, each line break a Ctrl-J.
    let mut sent = Vec::new();
    for line in ["SET a 1", "INCR a", "GET a"] {
        for c in line.chars() {
            assert!(a.update(key(c)).is_empty());
        }
        sent.extend(a.update(ctrl('j')));
    }
    let [Effect::ConsoleSend { entry, cmds }] = &sent[..] else {
        panic!("only the first goes out: {sent:?}");
    };
    assert_eq!(cmds, &[vec![b"SET".to_vec(), b"a".to_vec(), b"1".to_vec()]]);
    assert_eq!(a.console().waiting(), 2);
    let next = a.update(reply(*entry, cmds.clone()));
    let Some(Effect::ConsoleSend { entry, cmds }) = next.first().cloned() else {
        panic!("the second goes out after the first's reply: {next:?}");
    };
    assert_eq!(cmds, [vec![b"INCR".to_vec(), b"a".to_vec()]]);
    // A request that fails as a whole stops the ones waiting behind it.
    let failed = a.update(Msg::ConsoleSent {
        entry,
        cmds,
        sent: Sent {
            rtt: Duration::from_secs(10),
            result: Err(upstash_tui::upstash::Error::Timeout),
        },
    });
    assert!(
        !failed
            .iter()
            .any(|e| matches!(e, Effect::ConsoleSend { .. })),
        "{failed:?}"
    );
    assert_eq!(a.console().waiting(), 0);
    let screen = render(&a);
    assert!(
        screen.contains("not sent: the command before it failed"),
        "{screen}"
    );
}

#[test]
fn a_pasted_pipeline_over_many_loaded_keys_is_sent_and_followed_in_linear_time() {
    const N: usize = 50_000;
    let mut a = loaded((0..N).flat_map(|i| [format!("k:{i}"), "string".to_owned()]));
    assert_eq!(a.keys().store().len(), N);
    a.update(key('3'));
    let started = std::time::Instant::now();
    let script: String = (0..N).map(|i| format!("SET k:{i} v\n")).collect();
    let effects = a.update(Msg::Paste(script));
    let [Effect::ConsoleSend { entry, cmds }] = &effects[..] else {
        panic!("one pipeline: {effects:?}");
    };
    assert_eq!(cmds.len(), N);
    let after = a.update(Msg::ConsoleSent {
        entry: *entry,
        cmds: cmds.clone(),
        sent: Sent {
            rtt: Duration::from_millis(30),
            result: Ok(vec![Reply::Status("OK".into()); N]),
        },
    });
    assert!(
        !after.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "every key was loaded already: no rescan"
    );
    render(&a);
    // Looking each written key up among the loaded ones took N x N steps.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
