//! The client against the real gateway and a real redis-server: reply
//! shapes, binary-exact keys and values, pipelines, transactions, tokens.

use crate::common;

use common::{Harness, RO_TOKEN};
use redis::AsyncCommands as _;
use upstash_tui::upstash::{Error, ErrorKind, Reply, cmd};

fn bytes(b: &[u8]) -> Reply {
    Reply::Bytes(b.to_vec())
}

#[tokio::test]
async fn every_reply_shape_decodes_exactly() {
    let h = Harness::start().await;
    let c = h.client();
    assert_eq!(
        c.command(&["SET", "s", "bar"]).await,
        Ok(Reply::Status("OK".into()))
    );
    assert_eq!(c.command(&["GET", "s"]).await, Ok(bytes(b"bar")));
    assert_eq!(c.command(&["GET", "missing"]).await, Ok(Reply::Nil));
    assert_eq!(c.command(&["INCR", "n"]).await, Ok(Reply::Int(1)));
    assert_eq!(
        c.command(&["PING"])
            .await
            .map(|r| r.as_str().map(String::from)),
        Ok(Some("PONG".into()))
    );
    assert_eq!(
        c.command(&["MGET", "s", "missing", "n"]).await,
        Ok(Reply::Array(vec![bytes(b"bar"), Reply::Nil, bytes(b"1")]))
    );
    assert_eq!(
        c.command(&["SCAN", "0", "MATCH", "s", "COUNT", "100"])
            .await,
        Ok(Reply::Array(vec![
            bytes(b"0"),
            Reply::Array(vec![bytes(b"s")])
        ]))
    );
    assert_eq!(
        c.command(&["LRANGE", "nolist", "0", "-1"]).await,
        Ok(Reply::Array(vec![]))
    );
    for i in [i64::MIN, i64::MAX, 0, -1] {
        c.command(&["SET", "i", &i.to_string()]).await.unwrap();
        assert_eq!(c.command(&["INCRBY", "i", "0"]).await, Ok(Reply::Int(i)));
    }
    // Doubles arrive as strings and stay exact.
    c.command(&["ZADD", "z", "1.5", "m", "0.25", "quarter"])
        .await
        .unwrap();
    assert_eq!(c.command(&["ZSCORE", "z", "m"]).await, Ok(bytes(b"1.5")));
    assert_eq!(
        c.command(&["ZSCORE", "z", "quarter"]).await,
        Ok(bytes(b"0.25"))
    );
    c.command(&["INCRBYFLOAT", "f", "0.1"]).await.unwrap();
    assert_eq!(
        c.command(&["INCRBYFLOAT", "f", "0.2"]).await,
        Ok(bytes(b"0.3"))
    );
    assert_eq!(
        c.command(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]).await,
        Ok(Reply::Array(vec![
            bytes(b"quarter"),
            bytes(b"0.25"),
            bytes(b"m"),
            bytes(b"1.5")
        ]))
    );
    // Each item of a transaction has its own top-level OK.
    assert_eq!(
        c.transaction(&[cmd(["SET", "t", "1"])]).await,
        Ok(vec![Reply::Status("OK".into())])
    );
    let x = c.command(&["XADD", "st", "1-1", "f", "v"]).await.unwrap();
    assert_eq!(x, bytes(b"1-1"));
    assert_eq!(
        c.command(&["XRANGE", "st", "-", "+"]).await,
        Ok(Reply::Array(vec![Reply::Array(vec![
            bytes(b"1-1"),
            Reply::Array(vec![bytes(b"f"), bytes(b"v")])
        ])]))
    );
    assert_eq!(
        c.command(&["TYPE", "st"])
            .await
            .map(|r| r.as_str().map(String::from)),
        Ok(Some("stream".into()))
    );
}

/// Every byte value in keys and values, through single commands; checked
/// both through the client and directly in redis.
#[tokio::test]
async fn all_256_byte_values_round_trip_in_single_commands() {
    let h = Harness::start().await;
    let c = h.client();
    let mut direct = h.redis_conn().await;
    let all: Vec<u8> = (0..=255).collect();
    for b in 0..=255u8 {
        let key = [b'k', b, b'/', b];
        let value = [b, 255 - b, b'%', b];
        assert_eq!(
            c.command(&[&b"SET"[..], &key, &value]).await,
            Ok(Reply::Status("OK".into())),
            "byte {b}"
        );
        assert_eq!(
            c.command(&[&b"GET"[..], &key]).await,
            Ok(bytes(&value)),
            "byte {b}"
        );
        let stored: Option<Vec<u8>> = direct.get(&key[..]).await.unwrap();
        assert_eq!(stored.as_deref(), Some(&value[..]), "byte {b}");
    }
    c.command(&[&b"SET"[..], &all, &all]).await.unwrap();
    assert_eq!(c.command(&[&b"GET"[..], &all]).await, Ok(bytes(&all)));
    assert_eq!(
        c.command(&[&b"STRLEN"[..], &all]).await,
        Ok(Reply::Int(256))
    );
    // Binary hash fields and an empty value (the wrapper path).
    let hash = [&b"hash:"[..], &all].concat();
    c.command(&[&b"HSET"[..], &hash, b"\xff\x00", b""])
        .await
        .unwrap();
    assert_eq!(
        c.command(&[&b"HGETALL"[..], &hash]).await,
        Ok(Reply::Array(vec![bytes(b"\xff\x00"), bytes(b"")]))
    );
    let keys = c.command(&[&b"KEYS"[..], b"k\xff*"]).await.unwrap();
    assert_eq!(keys, Reply::Array(vec![bytes(b"k\xff/\xff")]));
}

/// Every byte value in keys and values, inside pipelines and transactions.
#[tokio::test]
async fn all_256_byte_values_round_trip_in_pipelines_and_transactions() {
    let h = Harness::start().await;
    let c = h.client();
    let mut direct = h.redis_conn().await;
    let key = |b: u8, t: &[u8]| [t, &[b'\xfe', b, b'.'][..]].concat();
    let sets: Vec<_> = (0..=255u8)
        .map(|b| cmd([&b"SET"[..], &key(b, b"p"), &[b, b]]))
        .collect();
    let replies = c.pipeline(&sets).await.unwrap();
    assert_eq!(replies, vec![Reply::Status("OK".into()); 256]);
    let gets: Vec<_> = (0..=255u8)
        .map(|b| cmd([&b"GET"[..], &key(b, b"p")]))
        .collect();
    let replies = c.pipeline(&gets).await.unwrap();
    for (b, r) in (0..=255u8).zip(&replies) {
        assert_eq!(*r, bytes(&[b, b]), "byte {b}");
        let stored: Option<Vec<u8>> = direct.get(key(b, b"p")).await.unwrap();
        assert_eq!(stored, Some(vec![b, b]), "byte {b}");
    }
    let tx: Vec<_> = (0..=255u8)
        .map(|b| cmd([&b"RPUSH"[..], b"tx\xff", &[b]]))
        .chain([cmd([&b"LRANGE"[..], b"tx\xff", b"0", b"-1"])])
        .collect();
    let replies = c.transaction(&tx).await.unwrap();
    let all: Vec<Reply> = (0..=255u8).map(|b| bytes(&[b])).collect();
    assert_eq!(replies[255], Reply::Int(256));
    assert_eq!(replies[256], Reply::Array(all));
    // Text and binary commands mixed, with errors kept per item.
    let mixed = c
        .pipeline(&[
            cmd([&b"SET"[..], b"text", b"v"]),
            cmd([&b"INCR"[..], b"\xffnot-a-number\xff"]),
            cmd([&b"GET"[..], b"\xfe\x00."]),
            cmd([&b"INCR"[..], b"text"]),
        ])
        .await
        .unwrap();
    assert_eq!(mixed[0], Reply::Status("OK".into()));
    assert_eq!(mixed[1], Reply::Int(1));
    assert_eq!(mixed[2], Reply::Nil);
    assert!(matches!(&mixed[3], Reply::Error(e) if e.starts_with("ERR value is not an integer")));
}

#[tokio::test]
async fn awkward_keys_round_trip() {
    let h = Harness::start().await;
    let c = h.client();
    let keys: [&[u8]; 12] = [
        b"a/b",
        b"/",
        b"%",
        b"%2F",
        b"?x=1&y",
        b"with space",
        b"line\nbreak",
        b"tab\t\r",
        "ключ 🔑 鍵".as_bytes(),
        b".",
        b"..",
        b"",
    ];
    for (i, key) in keys.iter().enumerate() {
        let text = format!("value {i}");
        let binary = [b'\xff', i as u8];
        c.command(&[&b"SET"[..], key, text.as_bytes()])
            .await
            .unwrap();
        assert_eq!(
            c.command(&[&b"GET"[..], key]).await,
            Ok(bytes(text.as_bytes()))
        );
        // A binary value takes the path form (or the wrapper for `.`, `..`, ``).
        c.command(&[&b"SET"[..], key, &binary]).await.unwrap();
        assert_eq!(
            c.command(&[&b"GET"[..], key]).await,
            Ok(bytes(&binary)),
            "{key:?}"
        );
        let got = c
            .pipeline(&[cmd([&b"GET"[..], key]), cmd([&b"EXISTS"[..], key])])
            .await;
        assert_eq!(got, Ok(vec![bytes(&binary), Reply::Int(1)]), "{key:?}");
    }
    let mut direct = h.redis_conn().await;
    let n: usize = redis::cmd("DBSIZE").query_async(&mut direct).await.unwrap();
    assert_eq!(n, keys.len());
}

#[tokio::test]
async fn one_megabyte_values_round_trip() {
    let h = Harness::start().await;
    let c = h.client();
    let text: Vec<u8> = (0..1 << 20).map(|i| b"abcdefghij"[i % 10]).collect();
    let binary: Vec<u8> = (0..1 << 20).map(|i| (i * 7 % 256) as u8).collect();
    c.command(&[&b"SET"[..], b"text", &text]).await.unwrap();
    c.command(&[&b"SET"[..], b"bin", &binary]).await.unwrap();
    assert_eq!(c.command(&["GET", "text"]).await, Ok(bytes(&text)));
    assert_eq!(c.command(&["GET", "bin"]).await, Ok(bytes(&binary)));
    let both = c
        .pipeline(&[cmd(["GET", "text"]), cmd(["GET", "bin"])])
        .await;
    assert_eq!(both, Ok(vec![bytes(&text), bytes(&binary)]));
    let wrapped = c.pipeline(&[cmd([&b"SET"[..], b"bin2", &binary])]).await;
    assert_eq!(wrapped, Ok(vec![Reply::Status("OK".into())]));
    assert_eq!(c.command(&["GET", "bin2"]).await, Ok(bytes(&binary)));
}

#[tokio::test]
async fn a_value_over_the_size_limit_is_a_limit_error() {
    let h = Harness::start_with(|g| g.max_body_bytes = 64 * 1024).await;
    let c = h.client();
    let big = vec![b'x'; 100 * 1024];
    for err in [
        c.command(&[&b"SET"[..], b"k", &big]).await.unwrap_err(),
        c.pipeline(&[cmd([&b"SET"[..], b"k", &big])])
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Limit, "{err}");
        let line = err.to_string();
        assert!(line.contains("size"), "{line}");
        assert!(!line.contains('\n'));
    }
    assert_eq!(c.command(&["EXISTS", "k"]).await, Ok(Reply::Int(0)));
}

#[tokio::test]
async fn pipeline_errors_stay_in_place() {
    let h = Harness::start().await;
    let c = h.client();
    let r = c
        .pipeline(&[
            cmd(["SET", "a", "1"]),
            cmd(["HGET"]),
            cmd(["LPUSH", "a", "x"]),
            cmd(["GET", "a"]),
        ])
        .await
        .unwrap();
    assert_eq!(r[0], Reply::Status("OK".into()));
    assert!(matches!(&r[1], Reply::Error(e) if e.contains("wrong number of arguments")));
    assert!(matches!(&r[2], Reply::Error(e) if e.starts_with("WRONGTYPE")));
    assert_eq!(r[3], bytes(b"1"));
    assert_eq!(c.pipeline(&[]).await, Ok(vec![]));
    let e = c.command(&["LPUSH", "a", "x"]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Command(t) if t.starts_with("WRONGTYPE")),
        "{e:?}"
    );
}

#[tokio::test]
async fn transactions_keep_runtime_errors_and_refuse_queue_errors() {
    let h = Harness::start().await;
    let c = h.client();
    let r = c
        .transaction(&[
            cmd(["SET", "t", "x"]),
            cmd(["INCR", "t"]),
            cmd(["GET", "t"]),
        ])
        .await
        .unwrap();
    assert_eq!(r[0], Reply::Status("OK".into()));
    assert!(matches!(&r[1], Reply::Error(e) if e.starts_with("ERR value is not an integer")));
    assert_eq!(r[2], bytes(b"x"));
    let e = c
        .transaction(&[cmd(["SET", "q", "1"]), cmd(["HGET", "only-one-arg"])])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Command, "{e}");
    assert_eq!(c.command(&["EXISTS", "q"]).await, Ok(Reply::Int(0)));
}

#[tokio::test]
async fn wrong_and_read_only_tokens_are_told_apart() {
    let h = Harness::start().await;
    let wrong = h.client_with_token("not-the-token");
    assert_eq!(wrong.command(&["PING"]).await, Err(Error::Unauthorized));
    assert_eq!(
        wrong.pipeline(&[cmd(["PING"])]).await,
        Err(Error::Unauthorized)
    );
    assert_eq!(wrong.telemetry().snapshot().errors_of(ErrorKind::Auth), 2);

    h.client().command(&["SET", "k", "v"]).await.unwrap();
    let ro = h.client_with_token(RO_TOKEN);
    assert_eq!(ro.command(&["GET", "k"]).await, Ok(bytes(b"v")));
    let e = ro.command(&["SET", "k", "w"]).await.unwrap_err();
    assert!(matches!(e, Error::NoPermission(_)), "{e:?}");
    assert!(e.is_write_refused());
    assert_eq!(e.kind(), ErrorKind::Permission);
    let r = ro
        .pipeline(&[cmd(["GET", "k"]), cmd(["DEL", "k"])])
        .await
        .unwrap();
    assert_eq!(r[0], bytes(b"v"));
    assert!(
        matches!(&r[1], Reply::Error(t) if t.starts_with("NOPERM")),
        "{r:?}"
    );
    assert_eq!(h.client().command(&["GET", "k"]).await, Ok(bytes(b"v")));
}

#[tokio::test]
async fn the_sync_token_is_kept_and_updated() {
    let h = Harness::start().await;
    let c = h.client();
    assert_eq!(c.sync_token(), None);
    c.command(&["SET", "a", "1"]).await.unwrap();
    let first = c.sync_token().expect("a sync token after the first reply");
    c.pipeline(&[cmd(["GET", "a"])]).await.unwrap();
    let second = c.sync_token().expect("a sync token after a pipeline");
    assert_ne!(first, second);
    c.transaction(&[cmd(["GET", "a"])]).await.unwrap();
    let third = c.sync_token().expect("a sync token after a transaction");
    assert_ne!(second, third);
    // Clones share it: the token belongs to the connection, not the handle.
    assert_eq!(c.clone().sync_token(), Some(third));
}
