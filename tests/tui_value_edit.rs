//! Editing inside the Value pane, for every type, through the real App and
//! its effects against the harness (real redis-server, gateway and client):
//! each write lands, the TTL is kept, the pane shows the new state, and `u`
//! takes it back. Text never goes where it is lost, emptiness is written only
//! after a yes, adding what exists offers to overwrite it, and scores are
//! read and shown as Redis does.

mod common;
mod tui_value_edit_driver;

use crossterm::event::{KeyCode, KeyModifiers};
use redis::AsyncCommands as _;
use upstash_tui::tui::panes::value::edit::Phase;
use upstash_tui::value::Kind;
use upstash_tui::value::page::Rows;

use common::Harness;
use tui_value_edit_driver::Driver;

#[tokio::test]
async fn string_edit_keeps_the_ttl_and_reloads_the_pane() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set_ex("s", "hello", 1000).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("s", Kind::String).await;
    d.key('e').await;
    assert_eq!(d.form().texts(), vec!["hello".to_string()]);
    let screen = d.screen();
    assert!(screen.contains("edit the string"), "{screen}");
    assert!(
        screen.contains("C-s save"),
        "the hints follow the form: {screen}"
    );
    d.type_text(" world").await;
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    assert_eq!(d.notice(), "saved the string (u undoes)");
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "hello world");
    let ttl: i64 = conn.ttl("s").await.expect("ttl");
    assert!(ttl > 900, "TTL kept: {ttl}");
    let rows = d.app.value().session().and_then(|s| s.rows()).cloned();
    assert!(
        matches!(rows, Some(Rows::Chunk { ref bytes, .. }) if bytes == b"hello world"),
        "the pane reloaded: {rows:?}"
    );
}

#[tokio::test]
async fn hash_set_add_and_delete() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .hset_multiple("h", &[("name", "ann"), ("city", "Oslo")])
        .await
        .expect("seed");
    let () = conn.expire("h", 1000).await.expect("expire");
    let mut d = Driver::new(h.client());
    d.open("h", Kind::Hash).await;

    d.select(|i, s| matches!(s.rows(), Some(Rows::Fields(r)) if r[i].0 == b"city"))
        .await;
    d.key('e').await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("Bergen").await;
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    let city: String = conn.hget("h", "city").await.expect("hget");
    assert_eq!(city, "Bergen");

    d.key('i').await;
    d.type_text("zip").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.type_text("5003").await;
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    let zip: String = conn.hget("h", "zip").await.expect("hget");
    assert_eq!(zip, "5003");

    d.select(|i, s| matches!(s.rows(), Some(Rows::Fields(r)) if r[i].0 == b"name"))
        .await;
    d.key('x').await;
    d.key('y').await;
    assert!(d.closed(), "{}", d.notice());
    assert_eq!(d.notice(), "deleted field name (u undoes)");
    let exists: bool = conn.hexists("h", "name").await.expect("hexists");
    assert!(!exists);
    let ttl: i64 = conn.ttl("h").await.expect("ttl");
    assert!(ttl > 900, "TTL kept: {ttl}");
    assert_eq!(
        d.app.value().session().map(|s| s.len()),
        Some(2),
        "reloaded"
    );
}

async fn list(conn: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    conn.lrange("l", 0, -1).await.expect("lrange")
}

#[tokio::test]
async fn list_set_insert_push_and_remove() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.rpush("l", &["a", "b", "a"]).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("l", Kind::List).await;

    // The second "a" (index 2): set by index, not by value.
    d.key('G').await;
    d.key('e').await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("c").await;
    d.save().await;
    assert_eq!(list(&mut conn).await, ["a", "b", "c"]);

    // Insert after the selected "b" (index 1).
    d.key('g').await;
    d.key('j').await;
    d.key('i').await;
    d.type_text("b2").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.press(KeyCode::Right, KeyModifiers::NONE).await;
    d.press(KeyCode::Right, KeyModifiers::NONE).await;
    assert_eq!(d.form().texts()[1], "after");
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    assert_eq!(list(&mut conn).await, ["a", "b", "b2", "c"]);

    // Push at the head.
    d.key('i').await;
    d.type_text("first").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.press(KeyCode::Char(' '), KeyModifiers::NONE).await;
    assert_eq!(d.form().texts()[1], "head");
    d.save().await;
    assert_eq!(list(&mut conn).await, ["first", "a", "b", "b2", "c"]);

    // Remove the element at index 2 ("b"), not any other.
    d.key('g').await;
    d.key('j').await;
    d.key('j').await;
    d.key('x').await;
    d.key('y').await;
    assert!(d.closed(), "{}", d.notice());
    assert_eq!(list(&mut conn).await, ["first", "a", "b2", "c"]);
    assert_eq!(
        d.app.value().session().map(|s| s.len()),
        Some(4),
        "reloaded"
    );
}

#[tokio::test]
async fn set_add_and_remove() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.sadd("st", &["x", "y"]).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("st", Kind::Set).await;
    d.key('e').await;
    assert!(d.closed());
    assert!(
        d.notice().contains("add (i) or delete (x)"),
        "{}",
        d.notice()
    );

    d.key('i').await;
    d.type_text("z").await;
    d.press(KeyCode::Enter, KeyModifiers::NONE).await;
    assert!(d.closed(), "{}", d.notice());
    let z: bool = conn.sismember("st", "z").await.expect("sismember");
    assert!(z);

    d.select(|i, s| s.element(i).as_deref() == Some(b"x")).await;
    d.key('x').await;
    d.key('y').await;
    let members: Vec<String> = conn.smembers("st").await.expect("smembers");
    let mut members = members;
    members.sort();
    assert_eq!(members, ["y", "z"]);
}

#[tokio::test]
async fn zset_add_score_and_remove() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .zadd_multiple("z", &[(1.0, "a"), (2.0, "b")])
        .await
        .expect("seed");
    let mut d = Driver::new(h.client());
    d.open("z", Kind::ZSet).await;

    d.key('i').await;
    d.type_text("c").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("x").await;
    d.save().await;
    assert!(!d.closed(), "a bad score keeps the form open");
    assert!(
        d.form()
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not a score")
    );
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("2.5").await;
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    let c: Option<f64> = conn.zscore("z", "c").await.expect("zscore");
    assert_eq!(c, Some(2.5));

    // e on a member changes its score.
    d.select(|i, s| s.element(i).as_deref() == Some(b"a")).await;
    d.key('e').await;
    assert_eq!(d.form().texts(), ["1"]);
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("-inf").await;
    d.press(KeyCode::Enter, KeyModifiers::NONE).await;
    assert!(d.closed(), "{}", d.notice());
    let a: Option<f64> = conn.zscore("z", "a").await.expect("zscore");
    assert_eq!(a, Some(f64::NEG_INFINITY));

    d.select(|i, s| s.element(i).as_deref() == Some(b"b")).await;
    d.key('x').await;
    d.key('y').await;
    let b: Option<f64> = conn.zscore("z", "b").await.expect("zscore");
    assert_eq!(b, None);
    assert_eq!(d.app.value().session().map(|s| s.len()), Some(2));
}

type Entries = Vec<(String, Vec<String>)>;

async fn entries(conn: &mut redis::aio::MultiplexedConnection) -> Entries {
    redis::cmd("XRANGE")
        .arg("x")
        .arg("-")
        .arg("+")
        .query_async(conn)
        .await
        .expect("xrange")
}

#[tokio::test]
async fn stream_add_and_delete() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("XADD")
        .arg("x")
        .arg("1-1")
        .arg("k")
        .arg("v")
        .query_async::<String>(&mut conn)
        .await
        .map(|_| ())
        .expect("seed");
    let mut d = Driver::new(h.client());
    d.open("x", Kind::Stream).await;

    d.key('i').await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.type_text("a 1\nb two words").await;
    d.save().await;
    assert!(d.closed(), "{}", d.notice());
    assert!(d.notice().starts_with("added entry "), "{}", d.notice());
    let all = entries(&mut conn).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].1, ["a", "1", "b", "two words"]);

    d.key('g').await;
    d.key('x').await;
    d.key('y').await;
    assert!(d.closed(), "{}", d.notice());
    let left = entries(&mut conn).await;
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].0, "1-1", "the selected entry went");
}

#[tokio::test]
async fn u_takes_back_every_write_of_the_value_pane() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .hset_multiple("h", &[("city", "Oslo"), ("name", "ann")])
        .await
        .expect("seed");
    let () = conn.expire("h", 1000).await.expect("expire");
    let () = conn.zadd("z", "m", 1.5).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("h", Kind::Hash).await;
    let hget = async |conn: &mut redis::aio::MultiplexedConnection, f: &str| -> Option<String> {
        conn.hget("h", f).await.expect("hget")
    };

    d.select(|i, s| matches!(s.rows(), Some(Rows::Fields(r)) if r[i].0 == b"city"))
        .await;
    d.key('e').await;
    d.type_text("!").await;
    d.save().await;
    assert_eq!(d.notice(), "saved field city (u undoes)");
    assert_eq!(hget(&mut conn, "city").await.as_deref(), Some("Oslo!"));
    d.key('u').await;
    assert_eq!(d.notice(), "undone: edit field city of h");
    assert_eq!(hget(&mut conn, "city").await.as_deref(), Some("Oslo"));
    let shown = d.app.value().session().and_then(|s| s.rows()).cloned();
    assert!(
        matches!(&shown, Some(Rows::Fields(r)) if r.iter().any(|(f, v)| f == b"city" && v == b"Oslo")),
        "the pane reloaded: {shown:?}"
    );

    d.select(|i, s| matches!(s.rows(), Some(Rows::Fields(r)) if r[i].0 == b"name"))
        .await;
    d.key('x').await;
    d.key('y').await;
    assert_eq!(hget(&mut conn, "name").await, None);
    d.key('u').await;
    assert_eq!(d.notice(), "undone: delete field name of h");
    assert_eq!(hget(&mut conn, "name").await.as_deref(), Some("ann"));
    let ttl: i64 = conn.ttl("h").await.expect("ttl");
    assert!(ttl > 900, "TTL kept: {ttl}");

    // A score edit; the undo list names it.
    d.open("z", Kind::ZSet).await;
    d.key('e').await;
    d.press(KeyCode::End, KeyModifiers::NONE).await;
    for _ in 0..3 {
        d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    }
    d.type_text("1e308").await;
    d.save().await;
    assert_eq!(d.notice(), "saved the score of m (u undoes)");
    let items = d.editor.trash_items();
    assert_eq!(items[0].label, "score of m from 1.5 to 1e+308 of z");
    d.key('u').await;
    let score: Option<f64> = conn.zscore("z", "m").await.expect("zscore");
    assert_eq!(score, Some(1.5));
    d.key('u').await;
    assert_eq!(d.notice(), "nothing to undo");

    // Saving what is there writes nothing and leaves nothing to undo.
    d.key('e').await;
    d.save().await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(d.notice(), "unchanged: nothing was written");
    assert!(d.editor.trash_items().is_empty());
}

#[tokio::test]
async fn text_typed_on_a_choice_goes_to_the_value_and_empty_needs_a_yes() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.rpush("l", &["a"]).await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("l", Kind::List).await;

    // i, Tab (to "where"), then typing: the text lands in the value.
    d.key('i').await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.type_text("hello-list").await;
    assert_eq!(d.form().texts(), ["hello-list", "tail"]);
    assert_eq!(d.form().focus, 0);
    let note = d.form().note.clone().unwrap_or_default();
    assert!(note.contains("text goes to value"), "{note}");
    // A paste on the choice lands there too.
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.send(upstash_tui::tui::msg::Msg::Paste(" pasted".into()))
        .await;
    assert_eq!(d.form().texts(), ["hello-list pasted", "tail"]);
    d.save().await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(list(&mut conn).await, ["a", "hello-list pasted"]);

    // Nothing typed: an empty element only after a yes.
    d.key('i').await;
    d.save().await;
    assert_eq!(d.form().phase, Phase::ConfirmEmpty(vec!["value"]));
    assert!(d.screen().contains("The value is empty."), "{}", d.screen());
    d.key('n').await;
    assert_eq!(d.form().phase, Phase::Editing);
    assert_eq!(list(&mut conn).await.len(), 2, "nothing written");
    d.save().await;
    d.key('y').await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(list(&mut conn).await, ["a", "hello-list pasted", ""]);

    // Emptying an element asks too; its own empty value does not.
    d.key('g').await;
    d.key('e').await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.save().await;
    assert!(matches!(d.form().phase, Phase::ConfirmEmpty(_)));
    d.key('y').await;
    assert_eq!(list(&mut conn).await, ["", "hello-list pasted", ""]);
    d.key('e').await;
    d.type_text("b").await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.save().await;
    assert!(
        d.closed(),
        "unchanged emptiness needs no yes: {:?}",
        d.app.mode()
    );
}

#[tokio::test]
async fn adding_what_exists_says_so_and_offers_to_overwrite() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.hset("h", "f1", "old").await.expect("seed");
    let () = conn.zadd("z", "m", 2).await.expect("seed");
    let () = conn.sadd("s", "x").await.expect("seed");
    let mut d = Driver::new(h.client());
    d.open("h", Kind::Hash).await;

    d.key('i').await;
    d.type_text("f1").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.type_text("new").await;
    d.save().await;
    assert!(
        matches!(&d.form().phase, Phase::Conflict { current: Some(c) } if c == b"old"),
        "{:?}",
        d.form().phase
    );
    let screen = d.screen();
    assert!(screen.contains("field f1 already exists"), "{screen}");
    assert!(!screen.contains("Someone changed this"), "{screen}");
    d.key('o').await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(
        d.notice(),
        "saved field f1, replacing what was there (u undoes)"
    );
    let v: String = conn.hget("h", "f1").await.expect("hget");
    assert_eq!(v, "new");
    d.key('u').await;
    let v: String = conn.hget("h", "f1").await.expect("hget");
    assert_eq!(v, "old");

    // A member with a score: e edits it instead, the typed score kept.
    d.open("z", Kind::ZSet).await;
    d.key('i').await;
    d.type_text("m").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("7").await;
    d.save().await;
    assert!(
        d.screen().contains("member m already exists"),
        "{}",
        d.screen()
    );
    d.key('e').await;
    assert_eq!(d.form().texts(), ["7"]);
    d.save().await;
    let score: Option<f64> = conn.zscore("z", "m").await.expect("zscore");
    assert_eq!(score, Some(7.0));

    // A set member: nothing to overwrite.
    d.open("s", Kind::Set).await;
    d.key('i').await;
    d.type_text("x").await;
    d.save().await;
    assert!(d.closed(), "{:?}", d.app.mode());
    assert_eq!(d.notice(), "x is already a member: nothing was added");
}

#[tokio::test]
async fn scores_show_and_edit_as_redis_prints_them_and_out_of_range_is_refused() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .zadd_multiple("z", &[(1e308, "big"), (0.1, "tenth")])
        .await
        .expect("seed");
    let mut d = Driver::new(h.client());
    d.open("z", Kind::ZSet).await;
    let screen = d.screen();
    let row = |member: &str| {
        let line = screen.lines().find(|l| l.contains(member)).unwrap_or("");
        // The Value pane's score column: after the two panes' borders.
        let pane = line.split_once("││").map_or("", |(_, r)| r);
        pane.split('│').next().unwrap_or("").trim().to_owned()
    };
    // Redis 7.0 sends 0.10000000000000001 and 1.0000000000000001e+308.
    assert_eq!(row("tenth"), "0.1", "{screen}");
    assert_eq!(row("big"), "1e+308", "{screen}");

    d.select(|i, s| s.element(i).as_deref() == Some(b"big"))
        .await;
    d.press(KeyCode::Enter, KeyModifiers::NONE).await;
    let screen = d.screen();
    assert!(
        screen.contains(" · score 1e+308 · "),
        "the detail: {screen}"
    );
    d.key('e').await;
    assert_eq!(d.form().texts(), ["1e+308"]);
    d.type_text("00").await;
    d.save().await;
    let err = d.form().error.clone().unwrap_or_default();
    assert!(
        err.contains("1e+30800 is out of range: Redis refuses it (not a valid float)"),
        "{err}"
    );
    let score: f64 = conn.zscore("z", "big").await.expect("zscore");
    assert_eq!(score, 1e308, "nothing written");
    d.press(KeyCode::Esc, KeyModifiers::NONE).await;

    // Adding with 1e400 is refused the same way.
    d.key('i').await;
    d.type_text("c").await;
    d.press(KeyCode::Tab, KeyModifiers::NONE).await;
    d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    d.type_text("1e400").await;
    d.save().await;
    let err = d.form().error.clone().unwrap_or_default();
    assert!(err.contains("1e400 is out of range"), "{err}");
    let c: Option<f64> = conn.zscore("z", "c").await.expect("zscore");
    assert_eq!(c, None);
}
