//! Editing inside the Value pane, for every type, through the real App and
//! its effects against the harness (real redis-server, gateway and client):
//! each write lands, the TTL is kept, and the pane shows the new state.

mod common;
mod tui_value_edit_driver;

use crossterm::event::{KeyCode, KeyModifiers};
use redis::AsyncCommands as _;
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
    assert_eq!(d.notice(), "saved the string");
    let got: String = conn.get("s").await.expect("get");
    assert_eq!(got, "hello world");
    let ttl: i64 = conn.ttl("s").await.expect("ttl");
    assert!(ttl > 900, "TTL kept: {ttl}");
    let rows = d.app.value.session().and_then(|s| s.rows()).cloned();
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
    assert_eq!(d.notice(), "deleted field name");
    let exists: bool = conn.hexists("h", "name").await.expect("hexists");
    assert!(!exists);
    let ttl: i64 = conn.ttl("h").await.expect("ttl");
    assert!(ttl > 900, "TTL kept: {ttl}");
    assert_eq!(d.app.value.session().map(|s| s.len()), Some(2), "reloaded");
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
    assert_eq!(d.app.value.session().map(|s| s.len()), Some(4), "reloaded");
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
    assert_eq!(d.app.value.session().map(|s| s.len()), Some(2));
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
