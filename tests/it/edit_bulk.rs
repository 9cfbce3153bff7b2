//! Bulk delete against the real gateway: the dry run counts, the run removes
//! exactly the matching keys with progress, cancel and pause stop it between
//! batches, and undo brings the deleted keys back with their TTL.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Harness, wait_until};
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{Control, Editor, Progress, ReadOnly, Undo, folder_pattern};

async fn seed(c: &mut MultiplexedConnection, prefix: &str, n: usize) {
    let mut pipe = redis::pipe();
    for i in 0..n {
        pipe.cmd("SET")
            .arg(format!("{prefix}:{i}"))
            .arg(format!("value-{i}\x00\u{ff}"))
            .arg("EX")
            .arg(5000)
            .ignore();
    }
    let _: () = pipe.query_async(c).await.unwrap();
}

async fn count(c: &mut MultiplexedConnection, pattern: &str) -> usize {
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(pattern)
        .query_async(c)
        .await
        .unwrap();
    keys.len()
}

async fn setup() -> (Harness, Editor, MultiplexedConnection) {
    let h = Harness::start().await;
    let editor = Editor::new(h.client(), ReadOnly::default());
    let mut conn = h.redis_conn().await;
    seed(&mut conn, "bulk", 3000).await;
    seed(&mut conn, "keep", 500).await;
    (h, editor, conn)
}

#[tokio::test]
async fn dry_run_counts_then_the_run_deletes_exactly_the_matching_keys() {
    let (_h, ed, mut c) = setup().await;
    let pattern = folder_pattern(b"bulk", b":");
    let dry = ed.bulk_dry_run(&pattern).await.unwrap();
    assert_eq!(dry.keys, 3000);
    assert_eq!(dry.sample.len(), 20);
    assert!(dry.sample.iter().all(|k| k.starts_with(b"bulk:")));
    // Two requests (a capture, an UNLINK pipeline) per batch of 500 keys.
    assert_eq!(dry.requests, 12);
    assert_eq!(dry.found.as_ref().map(|f| f.len()), Some(3000));
    assert!(matches!(dry.undo, Undo::Available { bytes } if bytes > 0));
    assert_eq!(
        count(&mut c, "bulk:*").await,
        3000,
        "the dry run writes nothing"
    );

    let mut seen: Vec<Progress> = Vec::new();
    let report = ed
        .bulk_delete(
            &pattern,
            dry.found.as_deref(),
            dry.keys,
            false,
            &Control::default(),
            |p| seen.push(p),
        )
        .await
        .unwrap();
    assert_eq!(report.deleted, 3000);
    assert!(!report.cancelled);
    assert!(seen.len() >= 2, "progress after each batch");
    assert!(seen.windows(2).all(|w| w[0].deleted <= w[1].deleted));
    assert_eq!(seen.last().unwrap().deleted, 3000);
    assert_eq!(count(&mut c, "bulk:*").await, 0);
    assert_eq!(count(&mut c, "keep:*").await, 500);
    assert!(ed.trash_items().is_empty(), "no capture was asked for");
}

#[tokio::test]
async fn cancel_stops_between_batches_and_undo_restores_what_was_deleted() {
    let (_h, ed, mut c) = setup().await;
    let control = Control::default();
    let report = ed
        .bulk_delete(b"bulk:*", None, 3000, true, &control, |_| control.cancel())
        .await
        .unwrap();
    assert!(report.cancelled);
    assert!(report.deleted > 0 && report.deleted < 3000, "{report:?}");
    let left = count(&mut c, "bulk:*").await;
    assert_eq!(left as u64 + report.deleted, 3000);
    // What is left is intact.
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("bulk:*")
        .query_async(&mut c)
        .await
        .unwrap();
    for k in keys.iter().take(50) {
        let i = k.trim_start_matches("bulk:");
        let v: Vec<u8> = redis::cmd("GET").arg(k).query_async(&mut c).await.unwrap();
        assert_eq!(v, format!("value-{i}\x00\u{ff}").into_bytes());
    }

    let items = ed.trash_items();
    assert_eq!(items[0].label, "bulk delete bulk:*");
    assert_eq!(items[0].keys as u64, report.deleted);
    ed.undo().await.unwrap();
    assert_eq!(count(&mut c, "bulk:*").await, 3000);
    let v: Vec<u8> = redis::cmd("GET")
        .arg("bulk:7")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(v, "value-7\x00\u{ff}".as_bytes());
    let ttl: i64 = redis::cmd("TTL")
        .arg("bulk:7")
        .query_async(&mut c)
        .await
        .unwrap();
    assert!((4900..=5000).contains(&ttl), "{ttl}");
}

#[tokio::test]
async fn pause_holds_the_run_until_resume() {
    let (_h, ed, mut c) = setup().await;
    let control = Control::default();
    let first = Arc::new(Mutex::new(None::<u64>));
    let task = {
        let (ed, control, first) = (ed.clone(), control.clone(), first.clone());
        tokio::spawn(async move {
            let pausing = control.clone();
            ed.bulk_delete(b"bulk:*", None, 3000, false, &control, move |p| {
                let mut f = first.lock().unwrap();
                if f.is_none() {
                    *f = Some(p.deleted);
                    pausing.pause();
                }
            })
            .await
        })
    };
    let paused = wait_until(Duration::from_secs(10), || {
        let first = first.clone();
        async move { first.lock().unwrap().is_some() }
    })
    .await;
    assert!(paused, "the first batch ran");
    let after_first = first.lock().unwrap().unwrap();
    assert_eq!(count(&mut c, "bulk:*").await as u64, 3000 - after_first);
    assert!(!task.is_finished(), "held while paused");
    control.resume();
    let report = task.await.unwrap().unwrap();
    assert_eq!(report.deleted, 3000);
    assert_eq!(count(&mut c, "bulk:*").await, 0);
}

#[tokio::test]
async fn a_hundred_thousand_keys_cancelled_halfway_leave_the_rest_intact() {
    let h = Harness::start().await;
    let ed = Editor::new(h.client(), ReadOnly::default());
    let mut c = h.redis_conn().await;
    seed(&mut c, "big", 100_000).await;
    seed(&mut c, "keep", 100).await;
    let dry = ed.bulk_dry_run(b"big:*").await.unwrap();
    assert_eq!(dry.keys, 100_000);
    let control = Control::default();
    let mut last = None;
    let report = ed
        .bulk_delete(
            b"big:*",
            dry.found.as_deref(),
            dry.keys,
            true,
            &control,
            |p| {
                if p.deleted >= 50_000 {
                    control.cancel();
                }
                last = Some(p);
            },
        )
        .await
        .unwrap();
    assert!(report.cancelled);
    assert!((50_000..55_000).contains(&report.deleted), "{report:?}");
    assert_eq!(last.map(|p| p.expected), Some(100_000));
    let left = count(&mut c, "big:*").await as u64;
    assert_eq!(left + report.deleted, 100_000);
    assert_eq!(count(&mut c, "keep:*").await, 100);
    ed.undo().await.unwrap();
    assert_eq!(count(&mut c, "big:*").await, 100_000);
}

#[tokio::test]
async fn a_thousand_keys_among_a_hundred_thousand_cost_few_round_trips() {
    let h = Harness::start().await;
    let proxy = common::proxy::Proxy::start(&h.url).await;
    let client = common::client_at(&proxy.url(), common::TOKEN, Duration::from_secs(10));
    let ed = Editor::new(client, ReadOnly::default());
    let mut c = h.redis_conn().await;
    seed(&mut c, "other", 99_000).await;
    seed(&mut c, "gone", 1_000).await;
    let dry = ed.bulk_dry_run(b"gone:*").await.unwrap();
    assert_eq!(dry.keys, 1_000);
    let dry_requests = proxy.requests();
    // SCAN pages of 5 000 keys, and one MEMORY USAGE pipeline on a sample.
    assert!(
        dry_requests <= 22,
        "{dry_requests} requests for the dry run"
    );
    assert_eq!(dry.requests, 4, "two batches of a capture and an UNLINK");
    // A key that matches but came after the dry run is not what was confirmed.
    let _: () = redis::cmd("SET")
        .arg("gone:late")
        .arg("v")
        .query_async(&mut c)
        .await
        .unwrap();
    let report = ed
        .bulk_delete(
            b"gone:*",
            dry.found.as_deref(),
            dry.keys,
            true,
            &Control::default(),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.deleted, 1_000);
    assert_eq!(
        proxy.requests() - dry_requests,
        dry.requests,
        "as the dry run said"
    );
    assert_eq!(
        count(&mut c, "gone:*").await,
        1,
        "only the late key is left"
    );
    assert_eq!(count(&mut c, "other:*").await, 99_000);
    ed.undo().await.unwrap();
    assert_eq!(count(&mut c, "gone:*").await, 1_001);
}
