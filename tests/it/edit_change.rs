//! Checked edits against the real gateway: each kind is applied when the
//! value is as the user saw it, and when another writer (a direct redis
//! connection) changed it in between, nothing is written and the current
//! value comes back.

use crate::common;

use common::Harness;
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{Change, Editor, Outcome, ReadOnly, Ttl};

async fn setup() -> (Harness, Editor, MultiplexedConnection) {
    let h = Harness::start().await;
    let editor = Editor::new(h.client(), ReadOnly::default());
    let conn = h.redis_conn().await;
    (h, editor, conn)
}

async fn run(conn: &mut MultiplexedConnection, args: &[&[u8]]) -> redis::Value {
    let mut c = redis::cmd(std::str::from_utf8(args[0]).unwrap());
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query_async(conn).await.unwrap()
}

async fn get<T: redis::FromRedisValue>(conn: &mut MultiplexedConnection, args: &[&str]) -> T {
    let mut c = redis::cmd(args[0]);
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query_async(conn).await.unwrap()
}

fn conflict(current: Option<&[u8]>) -> Outcome {
    Outcome::Conflict {
        current: current.map(<[u8]>::to_vec),
    }
}

#[tokio::test]
async fn string_set_keeps_the_ttl_and_refuses_a_changed_value() {
    let (_h, ed, mut c) = setup().await;
    let binary = vec![0u8, 0xff, b'\n', 0x80, b'x'];
    run(&mut c, &[b"SET", b"s", &binary, b"EX", b"1000"]).await;
    let change = Change::StringSet {
        seen: binary.clone(),
        value: b"new\x00value".to_vec(),
        ttl: None,
    };
    assert_eq!(ed.apply(b"s", &change).await.unwrap(), Outcome::Applied);
    let v: Vec<u8> = get(&mut c, &["GET", "s"]).await;
    assert_eq!(v, b"new\x00value");
    let ttl: i64 = get(&mut c, &["TTL", "s"]).await;
    assert!((990..=1000).contains(&ttl), "TTL kept: {ttl}");

    // Someone else writes; the same edit (seen: the old value) is refused.
    run(&mut c, &[b"SET", b"s", b"theirs", b"KEEPTTL"]).await;
    assert_eq!(
        ed.apply(b"s", &change).await.unwrap(),
        conflict(Some(b"theirs"))
    );
    let v: Vec<u8> = get(&mut c, &["GET", "s"]).await;
    assert_eq!(v, b"theirs");

    // A changed TTL is applied with the value; persist removes it.
    let change = Change::StringSet {
        seen: b"theirs".to_vec(),
        value: b"mine".to_vec(),
        ttl: Some(Ttl::Persist),
    };
    assert_eq!(ed.apply(b"s", &change).await.unwrap(), Outcome::Applied);
    let ttl: i64 = get(&mut c, &["TTL", "s"]).await;
    assert_eq!(ttl, -1);

    run(&mut c, &[b"DEL", b"s"]).await;
    assert_eq!(ed.apply(b"s", &change).await.unwrap(), Outcome::Missing);
    let exists: i64 = get(&mut c, &["EXISTS", "s"]).await;
    assert_eq!(exists, 0, "a vanished key is not recreated");
}

#[tokio::test]
async fn hash_fields_set_add_and_delete_with_checks() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"HSET", b"h", b"f", b"1", b"g", b"2"]).await;
    run(&mut c, &[b"EXPIRE", b"h", b"500"]).await;
    let set = Change::HashSet {
        field: b"f".to_vec(),
        seen: Some(b"1".to_vec()),
        value: b"10".to_vec(),
    };
    assert_eq!(ed.apply(b"h", &set).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"h", &set).await.unwrap(), conflict(Some(b"10")));
    let add = Change::HashSet {
        field: b"new".to_vec(),
        seen: None,
        value: b"n".to_vec(),
    };
    assert_eq!(ed.apply(b"h", &add).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"h", &add).await.unwrap(), conflict(Some(b"n")));
    run(&mut c, &[b"HSET", b"h", b"g", b"theirs"]).await;
    let del = Change::HashDelete {
        field: b"g".to_vec(),
        seen: b"2".to_vec(),
    };
    assert_eq!(
        ed.apply(b"h", &del).await.unwrap(),
        conflict(Some(b"theirs"))
    );
    let del = Change::HashDelete {
        field: b"g".to_vec(),
        seen: b"theirs".to_vec(),
    };
    assert_eq!(ed.apply(b"h", &del).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"h", &del).await.unwrap(), conflict(None));
    let all: Vec<(String, String)> = get(&mut c, &["HGETALL", "h"]).await;
    assert_eq!(all.len(), 2);
    assert!(all.contains(&("f".into(), "10".into())));
    let ttl: i64 = get(&mut c, &["TTL", "h"]).await;
    assert!(ttl > 490, "field writes leave the TTL alone: {ttl}");
}

#[tokio::test]
async fn list_set_insert_push_and_remove_at_an_index() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"RPUSH", b"l", b"a", b"b", b"a", b"c"]).await;
    let set = Change::ListSet {
        index: 2,
        seen: b"a".to_vec(),
        value: b"A".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &set).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"l", &set).await.unwrap(), conflict(Some(b"A")));
    // Insert relative to index 2 even though an equal element sits earlier.
    run(&mut c, &[b"LSET", b"l", b"2", b"a"]).await;
    let insert = |before, value: &[u8]| Change::ListInsert {
        index: 2,
        seen: b"a".to_vec(),
        before,
        value: value.to_vec(),
    };
    assert_eq!(
        ed.apply(b"l", &insert(true, b"x")).await.unwrap(),
        Outcome::Applied
    );
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(l, ["a", "b", "x", "a", "c"]);
    let after = Change::ListInsert {
        index: 3,
        seen: b"a".to_vec(),
        before: false,
        value: b"y".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &after).await.unwrap(), Outcome::Applied);
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(l, ["a", "b", "x", "a", "y", "c"]);
    assert_eq!(
        ed.apply(b"l", &insert(true, b"z")).await.unwrap(),
        conflict(Some(b"x"))
    );

    let push = Change::ListPush {
        head: true,
        value: b"h".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &push).await.unwrap(), Outcome::Applied);
    let remove = Change::ListRemove {
        index: 4,
        seen: b"a".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &remove).await.unwrap(), Outcome::Applied);
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(
        l,
        ["h", "a", "b", "x", "y", "c"],
        "the a at index 4 went, not the first"
    );
    assert_eq!(ed.apply(b"l", &remove).await.unwrap(), conflict(Some(b"y")));
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(l.len(), 6);
}

#[tokio::test]
async fn set_and_zset_members_with_checks() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"SADD", b"s", b"m1"]).await;
    let add = Change::SetAdd {
        member: b"m2".to_vec(),
    };
    assert_eq!(ed.apply(b"s", &add).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"s", &add).await.unwrap(), conflict(Some(b"m2")));
    let remove = Change::SetRemove {
        member: b"m1".to_vec(),
    };
    assert_eq!(ed.apply(b"s", &remove).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"s", &remove).await.unwrap(), conflict(None));
    let members: Vec<String> = get(&mut c, &["SMEMBERS", "s"]).await;
    assert_eq!(members, ["m2"]);

    run(&mut c, &[b"ZADD", b"z", b"1.5", b"a"]).await;
    let add = Change::ZsetAdd {
        member: b"b".to_vec(),
        score: 2.0,
    };
    assert_eq!(ed.apply(b"z", &add).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"z", &add).await.unwrap(), conflict(Some(b"2")));
    let score = Change::ZsetScore {
        member: b"a".to_vec(),
        seen: 1.5,
        score: -3.25,
    };
    assert_eq!(ed.apply(b"z", &score).await.unwrap(), Outcome::Applied);
    assert_eq!(
        ed.apply(b"z", &score).await.unwrap(),
        conflict(Some(b"-3.25"))
    );
    run(&mut c, &[b"ZINCRBY", b"z", b"1", b"b"]).await;
    let remove = Change::ZsetRemove {
        member: b"b".to_vec(),
        seen: 2.0,
    };
    assert_eq!(ed.apply(b"z", &remove).await.unwrap(), conflict(Some(b"3")));
    let remove = Change::ZsetRemove {
        member: b"b".to_vec(),
        seen: 3.0,
    };
    assert_eq!(ed.apply(b"z", &remove).await.unwrap(), Outcome::Applied);
    let z: Vec<(String, f64)> = get(&mut c, &["ZRANGE", "z", "0", "-1", "WITHSCORES"]).await;
    assert_eq!(z, [("a".to_string(), -3.25)]);
}

#[tokio::test]
async fn stream_add_and_delete() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"XADD", b"x", b"1-1", b"f", b"v"]).await;
    let add = Change::StreamAdd {
        id: None,
        fields: vec![(b"k".to_vec(), b"\xff\x00".to_vec())],
    };
    let Outcome::Added { id } = ed.apply(b"x", &add).await.unwrap() else {
        panic!("expected an id");
    };
    let len: i64 = get(&mut c, &["XLEN", "x"]).await;
    assert_eq!(len, 2);
    let del = Change::StreamDelete { id: id.clone() };
    assert_eq!(ed.apply(b"x", &del).await.unwrap(), Outcome::Applied);
    assert_eq!(ed.apply(b"x", &del).await.unwrap(), conflict(None));
    let len: i64 = get(&mut c, &["XLEN", "x"]).await;
    assert_eq!(len, 1);
    let bad = Change::StreamAdd {
        id: None,
        fields: vec![],
    };
    let e = ed.apply(b"x", &bad).await.unwrap_err().to_string();
    assert!(e.contains("at least one field"), "{e}");
}

#[tokio::test]
async fn json_set_without_the_module_is_a_clear_error() {
    let (_h, ed, mut c) = setup().await;
    assert!(!ed.has_json().await.unwrap());
    run(&mut c, &[b"SET", b"j", b"{}"]).await;
    let change = Change::JsonSet {
        path: b"$.a".to_vec(),
        seen: None,
        value: b"1".to_vec(),
    };
    let e = ed.apply(b"j", &change).await.unwrap_err().to_string();
    assert!(e.contains("ReJSON is not available"), "{e}");
    let v: String = get(&mut c, &["GET", "j"]).await;
    assert_eq!(v, "{}");
}

#[tokio::test]
async fn scripts_go_by_sha_and_fall_back_to_eval_once_after_a_flush() {
    let (_h, ed, mut c) = setup().await;
    let stats = |info: String, name: &str| -> i64 {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("cmdstat_{name}:calls=")))
            .and_then(|rest| rest.split(',').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    run(&mut c, &[b"SADD", b"s", b"a"]).await;
    let add = |m: &str| Change::SetAdd {
        member: m.as_bytes().to_vec(),
    };
    ed.apply(b"s", &add("b")).await.unwrap();
    ed.apply(b"s", &add("c")).await.unwrap();
    let info: String = get(&mut c, &["INFO", "commandstats"]).await;
    assert_eq!(
        stats(info.clone(), "eval"),
        1,
        "EVAL for the first write only"
    );
    assert_eq!(stats(info, "evalsha"), 1);
    run(&mut c, &[b"SCRIPT", b"FLUSH"]).await;
    assert_eq!(ed.apply(b"s", &add("d")).await.unwrap(), Outcome::Applied);
    let info: String = get(&mut c, &["INFO", "commandstats"]).await;
    assert_eq!(stats(info, "eval"), 2);
    let n: i64 = get(&mut c, &["SCARD", "s"]).await;
    assert_eq!(n, 4);
}

#[tokio::test]
async fn negative_indexes_count_from_the_tail_and_a_new_ttl_is_applied() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"RPUSH", b"l", b"a", b"b", b"c"]).await;
    let insert = |before, value: &[u8]| Change::ListInsert {
        index: -1,
        seen: b"c".to_vec(),
        before,
        value: value.to_vec(),
    };
    assert_eq!(
        ed.apply(b"l", &insert(false, b"y")).await.unwrap(),
        Outcome::Applied
    );
    assert_eq!(
        ed.apply(b"l", &insert(true, b"x")).await.unwrap(),
        conflict(Some(b"y"))
    );
    let before_y = Change::ListInsert {
        index: -1,
        seen: b"y".to_vec(),
        before: true,
        value: b"x".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &before_y).await.unwrap(), Outcome::Applied);
    let remove = Change::ListRemove {
        index: -3,
        seen: b"c".to_vec(),
    };
    assert_eq!(ed.apply(b"l", &remove).await.unwrap(), Outcome::Applied);
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(l, ["a", "b", "x", "y"]);

    run(&mut c, &[b"SET", b"s", b"v"]).await;
    let change = Change::StringSet {
        seen: b"v".to_vec(),
        value: b"w".to_vec(),
        ttl: Some(Ttl::parse("2h").unwrap()),
    };
    assert_eq!(ed.apply(b"s", &change).await.unwrap(), Outcome::Applied);
    let ttl: i64 = get(&mut c, &["TTL", "s"]).await;
    assert!((7190..=7200).contains(&ttl), "{ttl}");
}
