//! Undo on a server that refuses DUMP and RESTORE: the editor falls back to
//! a type-aware copy. For every type, delete, overwrite and rename over a key,
//! then undo: the value comes back exactly, element order included where it
//! matters, with its TTL. Over the undo cap the confirmation says so.

use crate::common;

use common::Harness;
use common::content::{content, q};
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{Created, Editor, Initial, Overwrite, ReadOnly, Renamed, Undo};
use upstash_tui::tui::app::keyops::forms;

/// The arguments that make redis-server refuse DUMP and RESTORE.
const NO_DUMP: &[&str] = &[
    "--rename-command",
    "DUMP",
    "",
    "--rename-command",
    "RESTORE",
    "",
];

/// Every TTL the tests set, in seconds.
const TTL: i64 = 1000;

async fn setup() -> (Harness, Editor, MultiplexedConnection) {
    let h = Harness::start_with_server_args(NO_DUMP).await;
    let editor = Editor::new(h.client(), ReadOnly::default());
    let conn = h.redis_conn().await;
    (h, editor, conn)
}

/// Binary bytes that are not UTF-8 and carry protocol characters.
const BIN: &[u8] = b"\x00\xff\r\n\x80\"\\bin";

/// Seeds one key of `kind` named `key`, with binary content and a TTL.
async fn seed(c: &mut MultiplexedConnection, kind: &str, key: &[u8]) {
    let _: i64 = q(c, &[b"DEL", key]).await;
    match kind {
        "string" => q::<()>(c, &[b"SET", key, BIN]).await,
        "hash" => q::<()>(c, &[b"HSET", key, b"z", b"1", BIN, BIN, b"a", b""]).await,
        "list" => q::<()>(c, &[b"RPUSH", key, b"c", BIN, b"a", b"c", b""]).await,
        "set" => q::<()>(c, &[b"SADD", key, BIN, b"m", b"7", b""]).await,
        "zset" => {
            let args: &[&[u8]] = &[
                b"ZADD", key, b"1.5", BIN, b"-2", b"m", b"0.1", b"n", b"inf", b"top", b"1.5", b"a",
            ];
            q::<()>(c, args).await
        }
        "stream" => {
            q::<()>(c, &[b"XADD", key, b"5-1", b"f", BIN, b"g", b"2"]).await;
            q::<()>(c, &[b"XADD", key, b"5-2", BIN, b"x"]).await;
            q::<()>(c, &[b"XADD", key, b"9-0", b"f", b""]).await;
        }
        other => panic!("no seed for {other}"),
    }
    let _: () = q(c, &[b"EXPIRE", key, TTL.to_string().as_bytes()]).await;
}

const KINDS: [&str; 6] = ["string", "hash", "list", "set", "zset", "stream"];

/// Asserts `key` holds `expected` again, with a TTL within a second of the original.
async fn assert_back(c: &mut MultiplexedConnection, key: &[u8], expected: &str, what: &str) {
    assert_eq!(&content(c, key).await, expected, "{what}: content");
    let pttl: i64 = q(c, &[b"PTTL", key]).await;
    assert!(
        ((TTL - 1) * 1000..=TTL * 1000).contains(&pttl),
        "{what}: TTL {pttl} ms"
    );
}

#[tokio::test]
async fn the_server_really_refuses_dump_and_restore() {
    let (h, _ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"SET", b"k", b"v"]).await;
    let e = h
        .client()
        .command(&[b"DUMP".as_slice(), b"k"])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("unknown command"), "{e}");
}

#[tokio::test]
async fn delete_then_undo_copies_every_type_back() {
    let (_h, ed, mut c) = setup().await;
    for kind in KINDS {
        let key = format!("del:{kind}").into_bytes();
        seed(&mut c, kind, &key).await;
        let before = content(&mut c, &key).await;
        let deletion = ed.prepare_delete(std::slice::from_ref(&key)).await.unwrap();
        assert_eq!(deletion.keys[0].kind, kind);
        assert!(
            matches!(deletion.undo, Undo::Available { bytes } if bytes > 0),
            "{kind}: {:?}",
            deletion.undo
        );
        assert_eq!(ed.delete(deletion).await.unwrap(), 1, "{kind}: deleted");
        let exists: i64 = q(&mut c, &[b"EXISTS", &key]).await;
        assert_eq!(exists, 0, "{kind}: gone");
        let label = ed.undo().await.unwrap();
        assert_eq!(label, Some(format!("delete del:{kind}")));
        assert_back(&mut c, &key, &before, &format!("delete {kind}")).await;
    }
    assert!(ed.trash_items().is_empty());
}

#[tokio::test]
async fn all_types_deleted_together_come_back_together() {
    let (_h, ed, mut c) = setup().await;
    let mut keys = Vec::new();
    let mut before = Vec::new();
    for kind in KINDS {
        let key = format!("many:{kind}").into_bytes();
        seed(&mut c, kind, &key).await;
        before.push(content(&mut c, &key).await);
        keys.push(key);
    }
    let deletion = ed.prepare_delete(&keys).await.unwrap();
    assert!(matches!(deletion.undo, Undo::Available { .. }));
    assert_eq!(ed.delete(deletion).await.unwrap(), 6);
    let n: i64 = q(&mut c, &[b"DBSIZE"]).await;
    assert_eq!(n, 0);
    assert_eq!(ed.undo().await.unwrap().as_deref(), Some("delete 6 keys"));
    for (key, expected) in keys.iter().zip(&before) {
        assert_back(&mut c, key, expected, &String::from_utf8_lossy(key)).await;
    }
}

#[tokio::test]
async fn overwrite_then_undo_copies_every_type_back() {
    let (_h, ed, mut c) = setup().await;
    for kind in KINDS {
        let key = format!("over:{kind}").into_bytes();
        seed(&mut c, kind, &key).await;
        let before = content(&mut c, &key).await;
        let first = Initial::String(b"replacement".to_vec());
        let made = ed.create(&key, &first, None, Overwrite::Never).await;
        assert_eq!(made.unwrap(), Created::Exists { kind: kind.into() });
        assert_eq!(content(&mut c, &key).await, before, "{kind}: untouched");
        let made = ed.create(&key, &first, None, Overwrite::WithUndo).await;
        assert_eq!(made.unwrap(), Created::Created, "{kind}");
        let now: Vec<u8> = q(&mut c, &[b"GET", &key]).await;
        assert_eq!(now, b"replacement");
        let label = ed.undo().await.unwrap();
        assert_eq!(label, Some(format!("overwrite over:{kind}")));
        assert_back(&mut c, &key, &before, &format!("overwrite {kind}")).await;
    }
}

#[tokio::test]
async fn rename_over_a_key_then_undo_copies_every_type_back() {
    let (_h, ed, mut c) = setup().await;
    for kind in KINDS {
        let (from, to) = (
            format!("src:{kind}").into_bytes(),
            format!("dst:{kind}").into_bytes(),
        );
        // The source is another type with its own TTL; the target is `kind`.
        let other = if kind == "list" { "zset" } else { "list" };
        seed(&mut c, other, &from).await;
        seed(&mut c, kind, &to).await;
        let (src, dst) = (content(&mut c, &from).await, content(&mut c, &to).await);
        assert_eq!(
            ed.rename(&from, &to, Overwrite::Never).await.unwrap(),
            Renamed::TargetExists
        );
        assert_eq!(
            ed.rename(&from, &to, Overwrite::WithUndo).await.unwrap(),
            Renamed::Renamed,
            "{kind}"
        );
        assert_eq!(content(&mut c, &to).await, src, "{kind}: renamed");
        let label = ed.undo().await.unwrap();
        let expected = format!("rename src:{kind} to dst:{kind}");
        assert_eq!(label.as_deref(), Some(expected.as_str()));
        assert_back(&mut c, &from, &src, &format!("rename {kind}: source")).await;
        assert_back(&mut c, &to, &dst, &format!("rename {kind}: target")).await;
    }
}

#[tokio::test]
async fn a_key_without_ttl_comes_back_without_one() {
    let (_h, ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"RPUSH", b"l", b"a", BIN]).await;
    let deletion = ed.prepare_delete(&[b"l".to_vec()]).await.unwrap();
    ed.delete(deletion).await.unwrap();
    ed.undo().await.unwrap();
    let v: Vec<Vec<u8>> = q(&mut c, &[b"LRANGE", b"l", b"0", b"-1"]).await;
    assert_eq!(v, [b"a".to_vec(), BIN.to_vec()]);
    let ttl: i64 = q(&mut c, &[b"TTL", b"l"]).await;
    assert_eq!(ttl, -1);
}

#[tokio::test]
async fn over_the_cap_the_copy_path_says_undo_is_not_available() {
    let h = Harness::start_with_server_args(NO_DUMP).await;
    let ed = Editor::new(h.client(), ReadOnly::default()).with_undo_cap(1000);
    let mut c = h.redis_conn().await;
    // 60 fields of 40 bytes: 2.4 kB copied, over the cap, under four times
    // it in memory, so the copy itself is measured.
    let mut args: Vec<Vec<u8>> = vec![b"HSET".to_vec(), b"wide".to_vec()];
    for i in 0..60 {
        args.push(format!("field-{i:03}").into_bytes());
        args.push(vec![b'x'; 40]);
    }
    let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
    let _: () = q(&mut c, &refs).await;
    let before = content(&mut c, b"wide").await;

    let deletion = ed.prepare_delete(&[b"wide".to_vec()]).await.unwrap();
    assert!(
        matches!(deletion.undo, Undo::TooLarge { bytes, cap: 1000 } if bytes > 2000),
        "{:?}",
        deletion.undo
    );
    let dialog = forms::confirm_delete(&deletion.keys[0], deletion.undo);
    let text = dialog.lines.join("\n");
    assert!(text.contains("wide · hash · 60 fields"), "{text}");
    assert!(text.contains("undo is NOT available"), "{text}");

    let e = ed
        .create(
            b"wide",
            &Initial::String(b"s".to_vec()),
            None,
            Overwrite::WithUndo,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("undo is not available"), "{e}");
    assert_eq!(
        content(&mut c, b"wide").await,
        before,
        "nothing was written"
    );

    // The user accepts: deleted, and nothing lands in the trash.
    assert_eq!(ed.delete(deletion).await.unwrap(), 1);
    assert!(ed.trash_items().is_empty());
    assert_eq!(ed.undo().await.unwrap(), None);
}

#[tokio::test]
async fn undo_restores_what_was_deleted_not_what_was_confirmed() {
    let (_h, ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"RPUSH", b"k", b"old"]).await;
    let deletion = ed.prepare_delete(&[b"k".to_vec()]).await.unwrap();
    let _: () = q(&mut c, &[b"RPUSH", b"k", BIN]).await;
    let _: () = q(&mut c, &[b"EXPIRE", b"k", TTL.to_string().as_bytes()]).await;
    let expected = content(&mut c, b"k").await;
    assert_eq!(ed.delete(deletion).await.unwrap(), 1);
    ed.undo().await.unwrap();
    assert_back(&mut c, b"k", &expected, "the newer list").await;
}

#[tokio::test]
async fn a_bulk_delete_is_undone_by_copy() {
    let (_h, ed, mut c) = setup().await;
    let mut keys = Vec::new();
    for i in 0..300 {
        let key = format!("bulk:{i}").into_bytes();
        seed(&mut c, KINDS[i % KINDS.len()], &key).await;
        keys.push(key);
    }
    let _: () = q(&mut c, &[b"SET", b"other", b"stays"]).await;
    let mut before = Vec::new();
    for k in &keys {
        before.push(content(&mut c, k).await);
    }
    let dry = ed.bulk_dry_run(b"bulk:*").await.unwrap();
    assert_eq!(dry.keys, 300);
    assert!(matches!(dry.undo, Undo::Available { .. }));
    let control = upstash_tui::edit::Control::default();
    let report = ed
        .bulk_delete(
            b"bulk:*",
            dry.found.as_deref(),
            dry.keys,
            true,
            &control,
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.deleted, 300);
    let n: i64 = q(&mut c, &[b"DBSIZE"]).await;
    assert_eq!(n, 1, "only the other key is left");
    assert_eq!(
        ed.undo().await.unwrap().as_deref(),
        Some("bulk delete bulk:*")
    );
    for (k, expected) in keys.iter().zip(&before) {
        assert_back(&mut c, k, expected, &String::from_utf8_lossy(k)).await;
    }
}
