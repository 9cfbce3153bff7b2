//! What keeps edits safe, through the real App against the harness: another
//! client's write between load and save is never overwritten (the conflict
//! view shows both, the user's text is kept), binary values round-trip in
//! hex, `$EDITOR` output is validated and its final newline is not a change,
//! a write whose answer was lost is read back (never sent again), Ctrl-L
//! repaints from anywhere, and read-only mode refuses first.

mod common;
mod tui_value_edit_driver;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use redis::AsyncCommands as _;
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::Pane;
use upstash_tui::tui::panes::value::edit::{Input, Phase};
use upstash_tui::upstash::{Client, ClientConfig};
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Kind, Session};

use common::proxy::{Fault, Proxy};
use common::{Harness, RO_TOKEN, TOKEN};
use tui_value_edit_driver::Driver;

/// Picks the hash row of `field`.
fn field(name: &'static str) -> impl Fn(usize, &Session) -> bool {
    move |i, s| matches!(s.rows(), Some(Rows::Fields(r)) if r[i].0 == name.as_bytes())
}

#[tokio::test]
async fn a_change_by_someone_else_is_never_overwritten() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set_ex("s", "mine", 1000).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("s", Kind::String).await;
    d.key('e').await;
    d.type_text(" edited").await;
    let () = conn.set_ex("s", "theirs", 1000).await.expect("other write");
    d.save().await;

    match &d.form().phase {
        Phase::Conflict { current } => assert_eq!(current.as_deref(), Some(&b"theirs"[..])),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "theirs", "nothing was written");
    assert_eq!(d.form().texts(), ["mine edited"], "the user's text is kept");
    let screen = d.screen();
    for shown in [
        "now on the server",
        "theirs",
        "yours",
        "mine edited",
        "o overwrite",
    ] {
        assert!(screen.contains(shown), "{shown:?} on screen:\n{screen}");
    }

    // Cancel: a draft; e on the same element offers it again.
    d.press(KeyCode::Esc, KeyModifiers::NONE).await;
    assert!(d.closed());
    assert!(d.notice().contains("kept as a draft"), "{}", d.notice());
    d.key('e').await;
    assert_eq!(d.form().texts(), ["mine edited"]);
    assert!(d.form().note.is_some(), "the draft is announced");

    // Another change meanwhile, then overwrite from the conflict view.
    let () = conn.set("s", "theirs again").await.expect("other write");
    d.save().await;
    assert!(matches!(d.form().phase, Phase::Conflict { .. }));
    d.key('o').await;
    assert!(d.closed(), "{:?}", d.app.mode());
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "mine edited");
    let ttl: i64 = conn.ttl("s").await.expect("ttl");
    assert!(
        ttl == -1,
        "SET without KEEPTTL by the other client cleared it: {ttl}"
    );
    // The other writer's value was captured first: undo brings it back.
    assert!(d.notice().contains("u undoes"), "{}", d.notice());
    let undone = d.editor.undo().await.expect("undo").expect("an entry");
    assert!(undone.contains("overwrite"), "{undone}");
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "theirs again");
}

#[tokio::test]
async fn a_conflict_on_a_hash_field_then_edit_again() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.hset("h", "f", "v1").await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("h", Kind::Hash).await;
    d.key('e').await;
    d.type_text("-mine").await;
    let () = conn.hset("h", "f", "v2").await.expect("other write");
    d.save().await;
    assert!(matches!(d.form().phase, Phase::Conflict { .. }));
    d.key('e').await;
    assert_eq!(d.form().phase, Phase::Editing);
    assert_eq!(d.form().texts(), ["v1-mine"]);
    d.save().await;
    assert!(d.closed(), "{:?}", d.app.mode());
    let got: String = conn.hget("h", "f").await.expect("hget");
    assert_eq!(got, "v1-mine");
}

#[tokio::test]
async fn a_binary_value_edits_as_hex_and_round_trips() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let bytes: Vec<u8> = vec![0x00, 0xff, 0x80, b'a', 0x0a, 0xc3];
    let () = conn.set("b", bytes.as_slice()).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("b", Kind::String).await;
    d.key('e').await;
    assert!(matches!(
        d.form().fields[0].input,
        Input::Text { hex: true, .. }
    ));
    assert_eq!(d.form().texts(), ["00 ff 80 61 0a c3"]);

    // A bad digit: a clear error, the text kept, nothing written.
    d.type_text(" 0g").await;
    d.save().await;
    let err = d.form().error.clone().unwrap_or_default();
    assert!(err.contains("'g' is not a hex digit"), "{err}");
    assert_eq!(d.form().texts(), ["00 ff 80 61 0a c3 0g"]);
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("1 fe").await;
    d.save().await;
    assert!(d.closed(), "{:?}", d.app.mode());
    let got: Vec<u8> = conn.get("b").await.expect("get");
    let mut want = bytes.clone();
    want.extend([0x01, 0xfe]);
    assert_eq!(got, want);
}

#[tokio::test]
async fn editor_output_that_is_not_json_is_kept_and_reported() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("j", r#"{"a":1}"#).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("j", Kind::String).await;
    d.key('E').await;
    assert_eq!(
        d.held.pop(),
        Some(Effect::EditExternal {
            text: br#"{"a":1}"#.to_vec(),
            suffix: ".json"
        })
    );
    d.send(Msg::ExternalEdited(Ok(br#"{"a":"#.to_vec()))).await;
    let err = d.form().error.clone().unwrap_or_default();
    assert!(err.starts_with("not valid JSON"), "{err}");
    assert_eq!(d.form().texts(), [r#"{"a":"#]);
    let got: String = conn.get("j").await.expect("get");
    assert_eq!(got, r#"{"a":1}"#, "nothing written");

    // Again in the editor (Ctrl-E), this time valid: saved at once.
    d.press(KeyCode::Char('e'), KeyModifiers::CONTROL).await;
    assert!(d.held.pop().is_some());
    d.send(Msg::ExternalEdited(Ok(br#"{"a":2}"#.to_vec())))
        .await;
    assert!(d.closed(), "{:?}", d.app.mode());
    let got: String = conn.get("j").await.expect("get");
    assert_eq!(got, r#"{"a":2}"#);
}

#[tokio::test]
async fn read_only_refuses_before_the_editor_opens() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("s", "v").await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("s", Kind::String).await;
    d.app.set_read_only(true);
    for c in ['e', 'E', 'i', 'x'] {
        d.key(c).await;
        assert!(d.closed(), "{c}: no form in read-only mode");
        assert!(d.notice().starts_with("read-only mode"), "{}", d.notice());
    }
}

#[tokio::test]
async fn a_refused_write_keeps_the_text_and_turns_read_only_on() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("s", "v").await.expect("seed");
    let mut d = Driver::new(h.client_with_token(RO_TOKEN));
    d.open("s", Kind::String).await;
    d.key('e').await;
    d.type_text("2").await;
    d.save().await;
    assert_eq!(d.form().phase, Phase::Editing, "the editor stays open");
    assert_eq!(d.form().texts(), ["v2"]);
    assert!(d.form().error.is_some());
    assert!(d.app.read_only(), "{}", d.notice());
    assert!(
        d.notice().contains("read-only mode is now on"),
        "{}",
        d.notice()
    );
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "v");
}

#[tokio::test]
async fn a_json_document_without_rejson_says_so() {
    use std::time::Instant;
    use upstash_tui::value::page::Rows;
    use upstash_tui::value::session::Done;
    use upstash_tui::value::{Header, Opened, Page};
    let h = Harness::start().await;
    let mut d = Driver::new(h.client());
    // Debian's redis has no ReJSON: a document as a server with it would show it.
    d.app.open_for_test(b"doc", Some(Kind::Json), 77);
    d.send(Msg::ValueLoaded {
        done: Done::Opened {
            id: 77,
            result: Ok(Box::new(Opened {
                header: Header {
                    key: b"doc".to_vec(),
                    kind: Kind::Json,
                    ttl_ms: None,
                    len: None,
                    encoding: None,
                    memory: None,
                    groups: vec![],
                },
                req: None,
                page: Some(Page {
                    rows: Rows::Json(br#"{"a":1}"#.to_vec()),
                    next: None,
                }),
                requests: 1,
            })),
        },
        at: Instant::now(),
    })
    .await;
    d.key('2').await;
    d.key('e').await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert!(d.notice().contains("no ReJSON module"), "{}", d.notice());
}

#[tokio::test]
async fn a_key_deleted_meanwhile_is_reported_and_the_text_kept() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.rpush("l", &["a"]).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("l", Kind::List).await;
    d.key('e').await;
    d.type_text("b").await;
    let () = conn.del("l").await.expect("other delete");
    d.save().await;
    assert_eq!(d.form().phase, Phase::Editing);
    assert_eq!(d.form().texts(), ["ab"]);
    let err = d.form().error.clone().unwrap_or_default();
    assert!(err.starts_with("the key no longer exists"), "{err}");
    let exists: bool = conn.exists("l").await.expect("exists");
    assert!(!exists, "nothing was written");
}

#[tokio::test]
async fn the_editors_final_newline_is_no_change_and_quitting_writes_nothing() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .hset_multiple("h", &[("f2", "v2"), ("nl", "line\n")])
        .await
        .expect("seed");
    let mut d = Driver::new(h.client());
    d.open("h", Kind::Hash).await;
    d.select(field("f2")).await;
    let hget = async |conn: &mut redis::aio::MultiplexedConnection, f: &str| -> Vec<u8> {
        conn.hget("h", f).await.expect("hget")
    };

    // :wq without editing: vim adds a newline, which is not a change.
    d.key('E').await;
    assert_eq!(
        d.held.pop(),
        Some(Effect::EditExternal {
            text: b"v2".to_vec(),
            suffix: ".txt"
        })
    );
    d.send(Msg::ExternalEdited(Ok(b"v2\n".to_vec()))).await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(d.notice(), "unchanged in $EDITOR: nothing was written");
    assert_eq!(hget(&mut conn, "f2").await, b"v2");
    // The next keys reach the panes: no form is left open to swallow them.
    d.key('1').await;
    assert_eq!(d.app.focus(), Pane::Keys);
    d.key('2').await;

    // An edit is saved without the newline the editor added.
    d.key('E').await;
    d.held.clear();
    d.send(Msg::ExternalEdited(Ok(b"v3\n".to_vec()))).await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(d.notice(), "saved field f2 (u undoes)");
    assert_eq!(hget(&mut conn, "f2").await, b"v3");

    // :cq (the editor fails): closed, said, nothing written.
    d.key('E').await;
    d.held.clear();
    d.send(Msg::ExternalEdited(Err("vim exited with status 1".into())))
        .await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(d.notice(), "vim exited with status 1; nothing was written");
    assert!(d.app.notice().is_some_and(|n| n.error));
    assert_eq!(hget(&mut conn, "f2").await, b"v3");

    // A value that ends in a newline keeps its newlines exactly.
    d.select(field("nl")).await;
    d.key('E').await;
    assert!(matches!(d.held.pop(), Some(Effect::EditExternal { text, .. }) if text == b"line\n"));
    d.send(Msg::ExternalEdited(Ok(b"line\nmore\n".to_vec())))
        .await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(hget(&mut conn, "nl").await, b"line\nmore\n");

    // Ctrl-E from the form: nothing changed there leaves the form as it was.
    d.key('e').await;
    d.type_text("x").await;
    d.press(KeyCode::Char('e'), KeyModifiers::CONTROL).await;
    assert!(
        matches!(d.held.pop(), Some(Effect::EditExternal { text, .. }) if text == b"line\nmore\nx")
    );
    d.send(Msg::ExternalEdited(Ok(b"line\nmore\nx\n".to_vec())))
        .await;
    assert_eq!(d.form().phase, Phase::Editing);
    assert_eq!(d.form().texts(), ["line\nmore\nx"]);
    assert_eq!(
        d.form().note.as_deref(),
        Some("unchanged in $EDITOR: nothing was written")
    );
    assert_eq!(hget(&mut conn, "nl").await, b"line\nmore\n");
}

#[test]
fn ctrl_l_repaints_whatever_has_the_keyboard() {
    let ctrl_l = || Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL));
    let mut app = App::for_test();
    for pane in [Pane::Keys, Pane::Value, Pane::Console, Pane::Monitor] {
        app.focus_on(pane);
        assert!(app.update(ctrl_l()).contains(&Effect::Repaint), "{pane:?}");
    }
    app.focus_on(Pane::Keys);
    for open in ['?', '/', 'n'] {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(open),
            KeyModifiers::NONE,
        )));
        assert!(
            !matches!(app.mode(), Mode::Normal),
            "{open} opens something"
        );
        assert!(app.update(ctrl_l()).contains(&Effect::Repaint), "{open}");
        app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    }
}

#[tokio::test]
async fn ctrl_l_in_the_form_repaints_and_keeps_the_text() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("s", "v").await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("s", Kind::String).await;
    d.key('e').await;
    d.type_text("w").await;
    d.press(KeyCode::Char('l'), KeyModifiers::CONTROL).await;
    assert_eq!(d.held.pop(), Some(Effect::Repaint));
    assert_eq!(d.form().texts(), ["vw"]);
}

/// A client through `proxy` that gives up on a request after one second.
fn impatient(proxy: &Proxy) -> Client {
    Client::new(ClientConfig {
        url: proxy.url(),
        token: TOKEN.into(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(1),
        allow_insecure_http: false,
    })
    .expect("client builds")
}

#[tokio::test]
async fn a_lost_answer_is_read_back_and_the_write_never_sent_again() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.hset("h", "f", "v1").await.expect("seed");
    let proxy = Proxy::start(&h.url).await;
    let mut d = Driver::new(impatient(&proxy));
    d.open("h", Kind::Hash).await;
    let ctrl_s = || Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));

    // The write lands, its answer comes too late: the client cannot know.
    d.key('e').await;
    d.type_text("-mine").await;
    proxy.set(Fault::Latency(Duration::from_secs(3)));
    let effects = d.app.update(ctrl_s());
    d.run(effects);
    let lost = d.next().await;
    assert!(
        matches!(&lost, Msg::Edited { result: Err(e), .. } if e.to_string().contains("timed out")),
        "{lost:?}"
    );
    proxy.set(Fault::Pass);
    let sent = proxy.forwarded();
    d.send(lost).await;
    assert!(d.closed(), "{:?}", d.app.mode());
    let notice = d.notice();
    assert!(
        notice.starts_with("saved field f (the answer was lost; the server holds the change)"),
        "{notice}"
    );
    assert!(notice.ends_with("(u undoes)"), "{notice}");
    let got: String = conn.hget("h", "f").await.expect("hget");
    assert_eq!(got, "v1-mine");
    let reads = proxy.forwarded() - sent;
    assert!(reads >= 1, "read back and reloaded");

    // The request never reaches the server: read back, nothing was written.
    d.key('e').await;
    d.type_text("2").await;
    proxy.set(Fault::Drop);
    let effects = d.app.update(ctrl_s());
    d.run(effects);
    let lost = d.next().await;
    assert!(
        matches!(&lost, Msg::Edited { result: Err(_), .. }),
        "{lost:?}"
    );
    proxy.set(Fault::Pass);
    d.send(lost).await;
    assert_eq!(d.form().phase, Phase::Editing);
    let err = d.form().error.clone().unwrap_or_default();
    assert!(
        err.contains("the server holds what you saw: nothing was written"),
        "{err}"
    );
    assert_eq!(d.form().texts(), ["v1-mine2"], "the text is kept");
    let got: String = conn.hget("h", "f").await.expect("hget");
    assert_eq!(got, "v1-mine");

    // Someone else wrote meanwhile: the conflict view shows what is there.
    let () = conn.hset("h", "f", "theirs").await.expect("other write");
    proxy.set(Fault::Drop);
    let effects = d.app.update(ctrl_s());
    d.run(effects);
    let lost = d.next().await;
    proxy.set(Fault::Pass);
    d.send(lost).await;
    assert!(
        matches!(&d.form().phase, Phase::Conflict { current: Some(c) } if c == b"theirs"),
        "{:?}",
        d.form().phase
    );
}
