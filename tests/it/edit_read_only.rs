//! Read-only mode against the real gateway: every write path is refused
//! before anything is sent, and a NOPERM refusal from a read-only token turns
//! the shared policy on.

use crate::common;

use common::{Harness, RO_TOKEN};
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{Change, Control, Editor, Initial, Overwrite, ReadOnly, Ttl};
use upstash_tui::upstash::Error;

async fn setup() -> (Harness, MultiplexedConnection) {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let _: () = redis::cmd("SET")
        .arg("k")
        .arg("v")
        .query_async(&mut conn)
        .await
        .unwrap();
    (h, conn)
}

async fn value(c: &mut MultiplexedConnection) -> String {
    redis::cmd("GET").arg("k").query_async(c).await.unwrap()
}

#[tokio::test]
async fn read_only_mode_refuses_every_write_before_sending() {
    let (h, mut c) = setup().await;
    let ed = Editor::new(h.client(), ReadOnly::new(true));
    let deletion = ed.prepare_delete(&[b"k".to_vec()]).await.unwrap();
    let sent = || ed.client().telemetry().snapshot().requests;
    let before = sent();
    let change = Change::StringSet {
        seen: b"v".to_vec(),
        value: b"w".to_vec(),
        ttl: None,
    };
    let refused = |e: Error| assert_eq!(e.to_string(), upstash_tui::edit::policy::REFUSAL);
    refused(ed.apply(b"k", &change).await.unwrap_err());
    refused(
        ed.create(b"n", &Initial::List(b"a".to_vec()), None, Overwrite::Never)
            .await
            .unwrap_err(),
    );
    refused(ed.rename(b"k", b"n", Overwrite::Never).await.unwrap_err());
    refused(ed.set_ttl(b"k", Ttl::Persist).await.unwrap_err());
    refused(ed.undo().await.unwrap_err());
    let ctl = Control::default();
    refused(
        ed.bulk_delete(b"*", None, 0, true, &ctl, |_| {})
            .await
            .unwrap_err(),
    );
    refused(ed.delete(deletion).await.unwrap_err());
    assert_eq!(sent(), before, "no request was sent");
    assert_eq!(value(&mut c).await, "v");
}

#[tokio::test]
async fn a_noperm_refusal_switches_read_only_mode_on() {
    let (h, mut c) = setup().await;
    let policy = ReadOnly::default();
    let ed = Editor::new(h.client_with_token(RO_TOKEN), policy.clone());
    let change = Change::StringSet {
        seen: b"v".to_vec(),
        value: b"w".to_vec(),
        ttl: None,
    };
    let e = ed.apply(b"k", &change).await.unwrap_err();
    assert!(matches!(e, Error::NoPermission(_)), "{e}");
    assert!(policy.is_on(), "the shared policy is now on");
    let e = ed.set_ttl(b"k", Ttl::Persist).await.unwrap_err();
    assert_eq!(e.to_string(), upstash_tui::edit::policy::REFUSAL);
    assert_eq!(value(&mut c).await, "v");
}
