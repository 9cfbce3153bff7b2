//! Undo of checked edits against the real gateway: every kind of edit is
//! reversed exactly (binary, empty and huge values, scores at the ends of
//! the range, the TTL), and only while the element still holds what the
//! edit wrote.

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

async fn run(conn: &mut MultiplexedConnection, args: &[&[u8]]) {
    common::content::q::<redis::Value>(conn, args).await;
}

async fn get<T: redis::FromRedisValue>(conn: &mut MultiplexedConnection, args: &[&str]) -> T {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    common::content::q(conn, &args).await
}

/// A key's content and whether it expires (in seconds, to the minute).
async fn state(c: &mut MultiplexedConnection, key: &[u8]) -> (String, i64) {
    let ttl: i64 = common::content::q(c, &[b"TTL", key]).await;
    (common::content::content(c, key).await, ttl / 60)
}

#[tokio::test]
async fn every_edit_is_undone_exactly_with_the_ttl() {
    let (_h, ed, mut c) = setup().await;
    let bin = b"\x00\xff\r\n \xe2\x82".to_vec();
    let big = vec![b'x'; 300_000];
    run(&mut c, &[b"SET", b"s", &bin, b"EX", b"5000"]).await;
    run(
        &mut c,
        &[
            b"HSET",
            b"h",
            b"f",
            "é\t ".as_bytes(),
            b"g",
            b"",
            b"j",
            br#"{"a":[1]}"#,
        ],
    )
    .await;
    run(&mut c, &[b"PEXPIRE", b"h", b"7000000"]).await;
    run(&mut c, &[b"RPUSH", b"l", b"a", b"b", b"a", b"c\n"]).await;
    run(&mut c, &[b"SADD", b"st", b"m", b"\xff"]).await;
    run(
        &mut c,
        &[b"ZADD", b"z", b"1e308", b"a", b"0.1", b"b", b"-inf", b"c"],
    )
    .await;
    let v = |s: &[u8]| s.to_vec();
    let cases: Vec<(&[u8], Change)> = vec![
        (
            b"s",
            Change::StringSet {
                seen: bin.clone(),
                value: big.clone(),
                ttl: None,
            },
        ),
        (
            b"s",
            Change::StringSet {
                seen: bin.clone(),
                value: v(b""),
                ttl: Some(Ttl::Persist),
            },
        ),
        (
            b"h",
            Change::HashSet {
                field: v(b"f"),
                seen: Some(v("é\t ".as_bytes())),
                value: v(b"\n"),
            },
        ),
        (
            b"h",
            Change::HashSet {
                field: v(b"\x00new"),
                seen: None,
                value: big.clone(),
            },
        ),
        (
            b"h",
            Change::HashSet {
                field: v(b"j"),
                seen: Some(v(br#"{"a":[1]}"#)),
                value: v(b"{}"),
            },
        ),
        (
            b"h",
            Change::HashDelete {
                field: v(b"g"),
                seen: v(b""),
            },
        ),
        (
            b"l",
            Change::ListSet {
                index: 2,
                seen: v(b"a"),
                value: v(b"A"),
            },
        ),
        (
            b"l",
            Change::ListInsert {
                index: 2,
                seen: v(b"a"),
                before: true,
                value: v(b"a"),
            },
        ),
        (
            b"l",
            Change::ListInsert {
                index: -1,
                seen: v(b"c\n"),
                before: false,
                value: v(b"z"),
            },
        ),
        (
            b"l",
            Change::ListPush {
                head: false,
                value: v(b"a"),
            },
        ),
        (
            b"l",
            Change::ListPush {
                head: true,
                value: v(b"b"),
            },
        ),
        (
            b"l",
            Change::ListRemove {
                index: 2,
                seen: v(b"a"),
            },
        ),
        (
            b"l",
            Change::ListRemove {
                index: 0,
                seen: v(b"a"),
            },
        ),
        (
            b"l",
            Change::ListRemove {
                index: -1,
                seen: v(b"c\n"),
            },
        ),
        (b"st", Change::SetAdd { member: v(b"") }),
        (b"st", Change::SetRemove { member: v(b"\xff") }),
        (
            b"z",
            Change::ZsetAdd {
                member: v(b"d"),
                score: 5e-324,
            },
        ),
        (
            b"z",
            Change::ZsetScore {
                member: v(b"a"),
                seen: 1e308,
                score: f64::INFINITY,
            },
        ),
        (
            b"z",
            Change::ZsetScore {
                member: v(b"b"),
                seen: 0.1,
                score: 0.30000000000000004,
            },
        ),
        (
            b"z",
            Change::ZsetRemove {
                member: v(b"c"),
                seen: f64::NEG_INFINITY,
            },
        ),
    ];
    for (key, change) in cases {
        let before = state(&mut c, key).await;
        assert_eq!(
            ed.apply(key, &change).await.unwrap(),
            Outcome::Applied,
            "{change:?}"
        );
        assert_ne!(
            state(&mut c, key).await,
            before,
            "{change:?} changed something"
        );
        let label = ed.undo().await.unwrap().expect("the edit is in the trash");
        assert_eq!(state(&mut c, key).await, before, "{label}");
    }
    assert!(ed.trash_items().is_empty());
}

#[tokio::test]
async fn undo_never_overwrites_a_later_change() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"HSET", b"h", b"f", b"1", b"g", b"2"]).await;
    let set = Change::HashSet {
        field: b"f".to_vec(),
        seen: Some(b"1".to_vec()),
        value: b"mine".to_vec(),
    };
    ed.apply(b"h", &set).await.unwrap();
    run(&mut c, &[b"HSET", b"h", b"f", b"theirs"]).await;
    let e = ed.undo().await.unwrap_err().to_string();
    assert!(
        e.contains("cannot undo edit field f of h: it was changed since (now theirs)"),
        "{e}"
    );
    let f: String = get(&mut c, &["HGET", "h", "f"]).await;
    assert_eq!(f, "theirs");
    assert_eq!(ed.trash_items().len(), 1, "still there to undo later");

    // A list element goes back between the neighbours it had, or not at all.
    run(&mut c, &[b"RPUSH", b"l", b"a", b"b", b"c"]).await;
    let remove = Change::ListRemove {
        index: 1,
        seen: b"b".to_vec(),
    };
    ed.apply(b"l", &remove).await.unwrap();
    run(&mut c, &[b"LSET", b"l", b"0", b"A"]).await;
    let e = ed.undo().await.unwrap_err().to_string();
    assert!(e.contains("it was changed since (now A)"), "{e}");
    let l: Vec<String> = get(&mut c, &["LRANGE", "l", "0", "-1"]).await;
    assert_eq!(l, ["A", "c"]);
}

#[tokio::test]
async fn a_delete_that_empties_the_key_comes_back_with_its_ttl() {
    let (_h, ed, mut c) = setup().await;
    run(&mut c, &[b"HSET", b"h", b"only", b"v"]).await;
    run(&mut c, &[b"EXPIRE", b"h", b"900"]).await;
    run(&mut c, &[b"ZADD", b"z", b"2.5", b"m"]).await;
    let del = Change::HashDelete {
        field: b"only".to_vec(),
        seen: b"v".to_vec(),
    };
    ed.apply(b"h", &del).await.unwrap();
    let remove = Change::ZsetRemove {
        member: b"m".to_vec(),
        seen: 2.5,
    };
    ed.apply(b"z", &remove).await.unwrap();
    let exists: i64 = get(&mut c, &["EXISTS", "h", "z"]).await;
    assert_eq!(exists, 0, "Redis removed the emptied keys");
    assert!(ed.undo().await.unwrap().is_some());
    assert!(ed.undo().await.unwrap().is_some());
    let v: String = get(&mut c, &["HGET", "h", "only"]).await;
    assert_eq!(v, "v");
    let ttl: i64 = get(&mut c, &["TTL", "h"]).await;
    assert!((890..=900).contains(&ttl), "{ttl}");
    let ttl: i64 = get(&mut c, &["TTL", "z"]).await;
    assert_eq!(ttl, -1);

    // Created again by someone meanwhile: undo leaves their key alone.
    ed.apply(b"h", &del).await.unwrap();
    run(&mut c, &[b"SET", b"h", b"theirs"]).await;
    let e = ed.undo().await.unwrap_err().to_string();
    assert!(e.contains("the key exists again (a string)"), "{e}");
}

/// The stream's last generated id and how many entries it ever had.
async fn stream_ids(c: &mut MultiplexedConnection) -> Vec<String> {
    let info: Vec<redis::Value> = get(c, &["XINFO", "STREAM", "x"]).await;
    let text = |v: &redis::Value| match v {
        redis::Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        redis::Value::Int(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    info.chunks(2)
        .filter(|p| {
            matches!(
                text(&p[0]).as_str(),
                "last-generated-id" | "entries-added" | "length"
            )
        })
        .map(|p| format!("{} {}", text(&p[0]), text(&p[1])))
        .collect()
}

#[tokio::test]
async fn a_deleted_stream_entry_comes_back_under_its_id() {
    let (_h, ed, mut c) = setup().await;
    for id in ["1-1", "2-1", "3-1"] {
        run(
            &mut c,
            &[
                b"XADD",
                b"x",
                id.as_bytes(),
                b"f",
                id.as_bytes(),
                b"bin",
                b"\xff",
            ],
        )
        .await;
    }
    run(&mut c, &[b"XGROUP", b"CREATE", b"x", b"g", b"0"]).await;
    let before = state(&mut c, b"x").await;
    let stream_before = stream_ids(&mut c).await;
    for id in ["2-1", "3-1", "1-1"] {
        let del = Change::StreamDelete {
            id: id.as_bytes().to_vec(),
        };
        assert_eq!(ed.apply(b"x", &del).await.unwrap(), Outcome::Applied);
        ed.undo().await.unwrap().expect("undone");
        assert_eq!(state(&mut c, b"x").await, before, "{id}");
    }
    let groups: Vec<redis::Value> = get(&mut c, &["XINFO", "GROUPS", "x"]).await;
    assert_eq!(groups.len(), 1, "the consumer group stays");
    assert_eq!(
        stream_ids(&mut c).await,
        stream_before,
        "last id and count kept"
    );

    // An added entry is undone by deleting it.
    let add = Change::StreamAdd {
        id: None,
        fields: vec![(b"k".to_vec(), b"v".to_vec())],
    };
    ed.apply(b"x", &add).await.unwrap();
    ed.undo().await.unwrap().expect("undone");
    assert_eq!(state(&mut c, b"x").await, before);
}
