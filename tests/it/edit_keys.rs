//! Whole-key actions against the real gateway: create, rename, TTL, delete,
//! undo (byte for byte, with the TTL) and the undo cap.

use crate::common;

use std::time::Duration;

use common::Harness;
use common::content::{content, q};
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{
    Created, Editor, Initial, Overwrite, ReadOnly, Renamed, Snapshot, Ttl, Undo,
};

async fn setup() -> (Harness, Editor, MultiplexedConnection) {
    let h = Harness::start().await;
    let editor = Editor::new(h.client(), ReadOnly::default());
    let conn = h.redis_conn().await;
    (h, editor, conn)
}

/// One key of every type, binary content, each with a TTL.
async fn seed_all_types(c: &mut MultiplexedConnection) -> Vec<Vec<u8>> {
    let bin: &[u8] = b"\x00\xff\r\n\x80bin";
    let _: () = q(c, &[b"SET", b"t:string", bin]).await;
    let _: () = q(c, &[b"HSET", b"t:hash", bin, bin, b"f", b"v"]).await;
    let _: () = q(c, &[b"RPUSH", b"t:list", bin, b"b", bin]).await;
    let _: () = q(c, &[b"SADD", b"t:set", bin, b"m"]).await;
    let _: () = q(c, &[b"ZADD", b"t:zset", b"1.5", bin, b"-2", b"m"]).await;
    let _: () = q(c, &[b"XADD", b"t:stream", b"5-1", b"f", bin]).await;
    let keys: Vec<Vec<u8>> = ["string", "hash", "list", "set", "zset", "stream"]
        .iter()
        .map(|t| format!("t:{t}").into_bytes())
        .collect();
    for k in &keys {
        let _: () = q(c, &[b"EXPIRE", k, b"1000"]).await;
    }
    keys
}

async fn dumps(c: &mut MultiplexedConnection, keys: &[Vec<u8>]) -> Vec<Option<Vec<u8>>> {
    let mut out = Vec::new();
    for k in keys {
        out.push(q(c, &[b"DUMP", k]).await);
    }
    out
}

/// Each key's type and content, with hash fields and set members sorted.
async fn contents(c: &mut MultiplexedConnection, keys: &[Vec<u8>]) -> Vec<String> {
    let mut out = Vec::new();
    for k in keys {
        out.push(content(c, k).await);
    }
    out
}

async fn ttl(c: &mut MultiplexedConnection, key: &[u8]) -> i64 {
    q(c, &[b"TTL", key]).await
}

#[tokio::test]
async fn create_never_overwrites_unless_asked_and_an_overwrite_can_be_undone() {
    let (_h, ed, mut c) = setup().await;
    let first = Initial::Hash {
        field: b"f".to_vec(),
        value: b"v".to_vec(),
    };
    let made = ed
        .create(
            b"k",
            &first,
            Some(Duration::from_secs(300)),
            Overwrite::Never,
        )
        .await
        .unwrap();
    assert_eq!(made, Created::Created);
    assert!((290..=300).contains(&ttl(&mut c, b"k").await));
    let before = dumps(&mut c, &[b"k".to_vec()]).await;

    let other = Initial::String(b"s".to_vec());
    let again = ed
        .create(b"k", &other, None, Overwrite::Never)
        .await
        .unwrap();
    assert_eq!(
        again,
        Created::Exists {
            kind: "hash".into()
        }
    );
    assert_eq!(dumps(&mut c, &[b"k".to_vec()]).await, before, "untouched");

    let made = ed
        .create(b"k", &other, None, Overwrite::WithUndo)
        .await
        .unwrap();
    assert_eq!(made, Created::Created);
    let v: Vec<u8> = q(&mut c, &[b"GET", b"k"]).await;
    assert_eq!(v, b"s");
    assert_eq!(ttl(&mut c, b"k").await, -1);
    assert_eq!(ed.undo().await.unwrap().as_deref(), Some("overwrite k"));
    assert_eq!(dumps(&mut c, &[b"k".to_vec()]).await, before);
    assert!(ttl(&mut c, b"k").await > 280);

    for (key, first) in [
        (b"n:list".as_slice(), Initial::List(b"a".to_vec())),
        (b"n:set", Initial::Set(b"a".to_vec())),
        (
            b"n:zset",
            Initial::Zset {
                member: b"a".to_vec(),
                score: 2.5,
            },
        ),
        (
            b"n:stream",
            Initial::Stream(vec![(b"f".to_vec(), b"v".to_vec())]),
        ),
        (b"n:string", Initial::String(b"\xff".to_vec())),
    ] {
        let made = ed
            .create(key, &first, None, Overwrite::Never)
            .await
            .unwrap();
        assert_eq!(made, Created::Created);
    }
    let kinds: Vec<String> = {
        let mut v = Vec::new();
        for k in ["n:list", "n:set", "n:zset", "n:stream", "n:string"] {
            let t: String = q(&mut c, &[b"TYPE", k.as_bytes()]).await;
            v.push(t);
        }
        v
    };
    assert_eq!(kinds, ["list", "set", "zset", "stream", "string"]);
}

#[tokio::test]
async fn rename_is_nx_unless_asked_and_undo_puts_both_keys_back() {
    let (_h, ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"SET", b"a", b"\x00A", b"EX", b"1000"]).await;
    let _: () = q(&mut c, &[b"SET", b"b", b"B", b"EX", b"2000"]).await;
    assert_eq!(
        ed.rename(b"a", b"b", Overwrite::Never).await.unwrap(),
        Renamed::TargetExists
    );
    let a: Vec<u8> = q(&mut c, &[b"GET", b"a"]).await;
    assert_eq!(a, b"\x00A");
    assert_eq!(
        ed.rename(b"nope", b"x", Overwrite::Never).await.unwrap(),
        Renamed::SourceMissing
    );
    assert_eq!(
        ed.rename(b"a", b"b", Overwrite::WithUndo).await.unwrap(),
        Renamed::Renamed
    );
    let b: Vec<u8> = q(&mut c, &[b"GET", b"b"]).await;
    assert_eq!(b, b"\x00A");
    assert_eq!(ed.trash_items()[0].label, "rename a to b");
    ed.undo().await.unwrap();
    let (a, b): (Vec<u8>, Vec<u8>) = (
        q(&mut c, &[b"GET", b"a"]).await,
        q(&mut c, &[b"GET", b"b"]).await,
    );
    assert_eq!(
        (a.as_slice(), b.as_slice()),
        (b"\x00A".as_slice(), b"B".as_slice())
    );
    assert!(ttl(&mut c, b"a").await > 990);
    assert!(ttl(&mut c, b"b").await > 1990);
    assert!(ed.trash_items().is_empty());
    assert_eq!(ed.undo().await.unwrap(), None);
}

#[tokio::test]
async fn ttl_is_set_persisted_and_a_missing_key_is_an_error() {
    let (_h, ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"SET", b"k", b"v"]).await;
    ed.set_ttl(b"k", Ttl::parse("10m").unwrap()).await.unwrap();
    assert!((590..=600).contains(&ttl(&mut c, b"k").await));
    ed.set_ttl(b"k", Ttl::parse("persist").unwrap())
        .await
        .unwrap();
    assert_eq!(ttl(&mut c, b"k").await, -1);
    let e = ed
        .set_ttl(b"gone", Ttl::parse("30").unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no longer exists"), "{e}");
}

#[tokio::test]
async fn delete_shows_type_and_size_and_undo_restores_every_type_byte_for_byte() {
    let (_h, ed, mut c) = setup().await;
    let keys = seed_all_types(&mut c).await;
    let before = dumps(&mut c, &keys).await;
    let content = contents(&mut c, &keys).await;
    let deletion = ed.prepare_delete(&keys).await.unwrap();
    let shown: Vec<(String, u64)> = deletion
        .keys
        .iter()
        .map(|k| (k.kind.clone(), k.size))
        .collect();
    assert_eq!(
        shown,
        [
            ("string".into(), 8),
            ("hash".into(), 2),
            ("list".into(), 3),
            ("set".into(), 2),
            ("zset".into(), 2),
            ("stream".into(), 1)
        ]
    );
    assert!(deletion.keys.iter().all(|k| k.pttl.unwrap() > 990_000));
    assert!(matches!(deletion.undo, Undo::Available { .. }));
    assert_eq!(ed.delete(deletion).await.unwrap(), 6);
    let n: i64 = q(&mut c, &[b"DBSIZE"]).await;
    assert_eq!(n, 0);

    let items = ed.trash_items();
    assert_eq!((items.len(), items[0].keys), (1, 6));
    assert_eq!(ed.undo().await.unwrap().as_deref(), Some("delete 6 keys"));
    assert_eq!(contents(&mut c, &keys).await, content);
    // DUMP bytes match too, except for the hashtable set (index 3), whose
    // members a restore may lay out in another order.
    let after = dumps(&mut c, &keys).await;
    for i in [0, 1, 2, 4, 5] {
        assert_eq!(after[i], before[i], "{}", String::from_utf8_lossy(&keys[i]));
    }
    for k in &keys {
        let t = ttl(&mut c, k).await;
        assert!((980..=1000).contains(&t), "{t}");
    }
}

#[tokio::test]
async fn undo_of_a_delete_restores_what_was_deleted_not_what_was_confirmed() {
    let (_h, ed, mut c) = setup().await;
    let _: () = q(&mut c, &[b"SET", b"k", b"old"]).await;
    let deletion = ed.prepare_delete(&[b"k".to_vec()]).await.unwrap();
    let _: () = q(&mut c, &[b"SET", b"k", b"\x00newer", b"PX", b"900000"]).await;
    assert_eq!(ed.delete(deletion).await.unwrap(), 1);
    ed.undo().await.unwrap();
    let v: Vec<u8> = q(&mut c, &[b"GET", b"k"]).await;
    assert_eq!(v, b"\x00newer");
    assert!(ttl(&mut c, b"k").await > 890);
}

#[tokio::test]
async fn the_type_aware_copy_restores_every_type_exactly() {
    let (h, _ed, mut c) = setup().await;
    let keys = seed_all_types(&mut c).await;
    // Content, not DUMP bytes: a rewritten set may keep its members in another order.
    let before = contents(&mut c, &keys).await;
    let client = h.client();
    let mut snaps = Vec::new();
    for k in &keys {
        snaps.push(Snapshot::copy(&client, k).await.unwrap().unwrap());
    }
    assert!(Snapshot::copy(&client, b"absent").await.unwrap().is_none());
    let _: i64 = q(
        &mut c,
        &[
            b"DEL",
            b"t:string",
            b"t:hash",
            b"t:list",
            b"t:set",
            b"t:zset",
            b"t:stream",
        ],
    )
    .await;
    // Someone recreates one key meanwhile: the restore replaces it.
    let _: () = q(&mut c, &[b"SET", b"t:hash", b"other"]).await;
    for s in &snaps {
        let replies = client.transaction(&s.restore_commands()).await.unwrap();
        assert!(
            replies
                .iter()
                .all(|r| !matches!(r, upstash_tui::upstash::Reply::Error(_)))
        );
    }
    assert_eq!(contents(&mut c, &keys).await, before);
    for k in &keys {
        assert!(ttl(&mut c, k).await > 980);
    }
}

#[tokio::test]
async fn over_the_undo_cap_undo_is_refused_before_acting() {
    let h = Harness::start().await;
    let ed = Editor::new(h.client(), ReadOnly::default()).with_undo_cap(1000);
    let mut c = h.redis_conn().await;
    // Varied bytes, so DUMP's compression cannot shrink them under the cap:
    // one measured by its DUMP, one far over the cap by its memory use.
    let varied = |n: usize| -> Vec<u8> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    };
    let _: () = q(&mut c, &[b"SET", b"mid", &varied(3000)]).await;
    let mid = ed.prepare_delete(&[b"mid".to_vec()]).await.unwrap();
    assert!(
        matches!(mid.undo, Undo::TooLarge { bytes, cap: 1000 } if bytes >= 3000),
        "{:?}",
        mid.undo
    );
    let big = varied(50_000);
    let _: () = q(&mut c, &[b"SET", b"big", &big]).await;
    let deletion = ed.prepare_delete(&[b"big".to_vec()]).await.unwrap();
    assert!(matches!(deletion.undo, Undo::TooLarge { cap: 1000, .. }));
    let e = ed
        .create(
            b"big",
            &Initial::String(b"s".to_vec()),
            None,
            Overwrite::WithUndo,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("undo is not available"), "{e}");
    let v: Vec<u8> = q(&mut c, &[b"GET", b"big"]).await;
    assert_eq!(v, big, "nothing was written");
    // The user accepts: deleted, and nothing lands in the trash.
    assert_eq!(ed.delete(deletion).await.unwrap(), 1);
    assert!(ed.trash_items().is_empty());
}

#[tokio::test]
async fn a_three_mebibyte_binary_value_is_deleted_and_restored_exactly() {
    let (_h, ed, mut c) = setup().await;
    let mut x: u32 = 7;
    let big: Vec<u8> = (0..3 * 1024 * 1024)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    let _: () = q(&mut c, &[b"SET", b"big", &big, b"EX", b"1000"]).await;
    let deletion = ed.prepare_delete(&[b"big".to_vec()]).await.unwrap();
    assert!(matches!(deletion.undo, Undo::Available { bytes } if bytes > 3_000_000));
    assert_eq!(ed.delete(deletion).await.unwrap(), 1);
    ed.undo().await.unwrap();
    let v: Vec<u8> = q(&mut c, &[b"GET", b"big"]).await;
    assert!(v == big, "restored byte for byte");
    assert!(ttl(&mut c, b"big").await > 980);
}
