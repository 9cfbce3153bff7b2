//! Saving whole values to files: strings streamed in ranges byte for byte,
//! collections one escaped element per line, read back exactly.

use crate::common;

use std::collections::BTreeSet;

use common::Harness;
use upstash_tui::value::escape::unescape;
use upstash_tui::value::save::save_to_path;
use upstash_tui::value::{Kind, Limits};

fn lines(path: &std::path::Path) -> Vec<Vec<Vec<u8>>> {
    let text = std::fs::read_to_string(path).expect("saved file is text");
    text.lines()
        .map(|l| {
            l.split('\t')
                .map(|p| unescape(p).expect("escaped"))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn string_is_saved_byte_for_byte_in_ranges() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    // Every byte value, in an order that repeats only every 3 MiB.
    let value: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let _: () = redis::cmd("SET")
        .arg("blob")
        .arg(&value)
        .query_async(&mut c)
        .await
        .expect("set");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("blob.bin");
    let limits = Limits::default();
    let saved = save_to_path(&h.client(), b"blob", &Kind::String, &path, &limits)
        .await
        .expect("saves");
    assert_eq!(saved.bytes, value.len() as u64);
    // Three full 1 MiB ranges, then the empty one that shows the end.
    assert_eq!(saved.requests, 4);
    assert!(std::fs::read(&path).expect("read back") == value);
}

#[tokio::test]
async fn collections_are_saved_one_element_per_line() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let mut hset = redis::cmd("HSET");
    hset.arg("h");
    let mut want_hash = BTreeSet::new();
    for i in 0..2500u32 {
        let field = [&b"f\t"[..], &i.to_be_bytes()].concat();
        let value = format!("line\nbreak \\ {i}").into_bytes();
        hset.arg(&field).arg(&value);
        want_hash.insert(vec![field, value]);
    }
    let _: i64 = hset.query_async(&mut c).await.expect("hset");
    let mut rpush = redis::cmd("RPUSH");
    rpush.arg("l");
    let list: Vec<Vec<u8>> = (0..2500u32)
        .map(|i| [&b"\xff"[..], &i.to_le_bytes()].concat())
        .collect();
    for item in &list {
        rpush.arg(item);
    }
    let _: i64 = rpush.query_async(&mut c).await.expect("rpush");
    let _: i64 = redis::cmd("ZADD")
        .arg("z")
        .arg(2.5)
        .arg("b")
        .arg(-1)
        .arg("a\n")
        .query_async(&mut c)
        .await
        .expect("zadd");
    let _: String = redis::cmd("XADD")
        .arg("x")
        .arg("1-1")
        .arg("k")
        .arg("v\x00")
        .query_async(&mut c)
        .await
        .expect("xadd");

    let client = h.client();
    let limits = Limits::default();
    let dir = tempfile::tempdir().expect("tempdir");

    let path = dir.path().join("h.tsv");
    let saved = save_to_path(&client, b"h", &Kind::Hash, &path, &limits)
        .await
        .expect("saves hash");
    assert_eq!(saved.rows, 2500);
    let got: BTreeSet<_> = lines(&path).into_iter().collect();
    assert_eq!(got, want_hash);

    let path = dir.path().join("l.txt");
    let saved = save_to_path(&client, b"l", &Kind::List, &path, &limits)
        .await
        .expect("saves list");
    assert_eq!(saved.rows, 2500);
    assert_eq!(saved.requests, 3);
    let got: Vec<Vec<u8>> = lines(&path).into_iter().map(|mut l| l.remove(0)).collect();
    assert_eq!(got, list);

    let path = dir.path().join("z.tsv");
    save_to_path(&client, b"z", &Kind::ZSet, &path, &limits)
        .await
        .expect("saves zset");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "-1\ta\\n\n2.5\tb\n"
    );

    let path = dir.path().join("x.tsv");
    save_to_path(&client, b"x", &Kind::Stream, &path, &limits)
        .await
        .expect("saves stream");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "1-1\tk\tv\\x00\n"
    );

    let err = save_to_path(
        &client,
        b"missing",
        &Kind::Missing,
        &dir.path().join("m"),
        &limits,
    )
    .await
    .expect_err("nothing to save");
    assert_eq!(err.to_string(), "cannot save a value of type none");
    assert!(!dir.path().join("m").exists());
}

#[tokio::test]
async fn a_file_is_never_replaced_unasked_and_a_failure_says_why() {
    use upstash_tui::value::save::{Destination, Report, Stop, save_file};
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let _: () = redis::cmd("RPUSH")
        .arg("q")
        .arg(&["a", "b", "c"])
        .query_async(&mut c)
        .await
        .expect("rpush");
    let client = h.client();
    let limits = Limits::default();
    let to = |path: std::path::PathBuf, overwrite: bool| Destination {
        path,
        overwrite,
        stop: Stop::default(),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("q.txt");
    std::fs::write(&path, "keep me").expect("write");

    let report = save_file(
        &client,
        b"q",
        &Kind::List,
        &to(path.clone(), false),
        &limits,
        |_| {},
    )
    .await;
    assert_eq!(report, Report::Exists(7));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "keep me");

    let mut progress = Vec::new();
    let report = save_file(
        &client,
        b"q",
        &Kind::List,
        &to(path.clone(), true),
        &limits,
        |s| progress.push(s.rows),
    )
    .await;
    assert!(
        matches!(report, Report::Done(s) if s.rows == 3),
        "{report:?}"
    );
    assert_eq!(progress, vec![3]);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "a\nb\nc\n");

    // A folder that cannot be written (even by root): the reason, and no file.
    let report = save_file(
        &client,
        b"q",
        &Kind::List,
        &to("/sys/q.txt".into(), false),
        &limits,
        |_| {},
    )
    .await;
    let Report::Failed(why) = report else {
        panic!("{report:?}");
    };
    assert!(why.starts_with("cannot create /sys/q.txt: "), "{why}");
    assert!(why.ends_with("; type another path"), "{why}");

    // Stopped before its first page: the new file is removed.
    let stopped = to(dir.path().join("stopped.txt"), false);
    stopped.stop.stop();
    let report = save_file(&client, b"q", &Kind::List, &stopped, &limits, |_| {}).await;
    assert_eq!(report, Report::Stopped);
    assert!(!stopped.path.exists());
}
