//! The client through a misbehaving network: a real TCP proxy between the
//! real client and the real gateway (in front of a real redis-server)
//! injects one fault at a time. For each fault a read and a write fail with
//! one clear line of the right kind, reads are retried only when that is
//! safe, a write is sent once and applied at most once, and requests
//! succeed again within 2 s of the fault clearing.

use crate::common;

use std::time::Duration;

use common::proxy::{Fault, Proxy};
use common::{Harness, TOKEN, wait_until};
use redis::AsyncCommands as _;
use upstash_tui::upstash::{Client, Error, ErrorKind, RetryPolicy, cmd};

/// Each request may take this long; the latency fault holds replies longer.
const TIMEOUT: Duration = Duration::from_secs(1);

/// What one fault must lead to.
struct Expect {
    kind: ErrorKind,
    /// Whether the proxy passes the write on to the gateway (so Redis applies it once).
    applied: bool,
    /// Attempts a read makes: 3 when the failure is safe to retry and
    /// quick, 1 when it is not safe or took the whole timeout.
    read_tries: u64,
}

fn client(proxy: &Proxy) -> Client {
    common::client_at(&proxy.url(), TOKEN, TIMEOUT).with_retry(RetryPolicy {
        tries: 3,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    })
}

fn assert_clear(e: &Error, kind: ErrorKind, what: &str) {
    assert_eq!(e.kind(), kind, "{what}: {e:?}");
    let line = e.to_string();
    assert!(!line.is_empty() && !line.contains('\n'), "{what}: {line:?}");
    assert!(!line.contains(TOKEN), "{what}: {line}");
}

async fn check(fault: Fault, expect: Expect) {
    let h = Harness::start().await;
    let proxy = Proxy::start(&h.url).await;
    let c = client(&proxy);
    let mut redis = h.redis_conn().await;
    let () = redis.set("k", "v").await.expect("seed");

    // Through a healthy proxy everything works.
    assert_eq!(
        c.command(&["GET", "k"])
            .await
            .map(|r| r.as_str().map(str::to_owned)),
        Ok(Some("v".into()))
    );

    proxy.set(fault);
    let before = proxy.requests();
    let started = std::time::Instant::now();
    let e = c.command(&["GET", "k"]).await.expect_err("the read fails");
    let waited = started.elapsed();
    assert_clear(&e, expect.kind, "read");
    assert_eq!(proxy.requests() - before, expect.read_tries, "read: {e}");
    // Retries fit in the request timeout: the caller waits one timeout at most.
    assert!(
        waited < TIMEOUT + Duration::from_millis(500),
        "the read took {waited:?} with a timeout of {TIMEOUT:?}"
    );

    let before = proxy.requests();
    let e = c
        .command(&["INCR", "counter"])
        .await
        .expect_err("INCR fails");
    assert_clear(&e, expect.kind, "INCR");
    assert_eq!(proxy.requests() - before, 1, "INCR is sent once: {e}");

    let before = proxy.requests();
    let e = c
        .pipeline(&[cmd(["RPUSH", "list", "x"]), cmd(["GET", "k"])])
        .await
        .expect_err("the pipeline fails");
    assert_clear(&e, expect.kind, "pipeline");
    assert_eq!(
        proxy.requests() - before,
        1,
        "the pipeline is sent once: {e}"
    );

    // The fault clears: a read succeeds within 2 s.
    proxy.set(Fault::Pass);
    let ok = wait_until(Duration::from_secs(2), || {
        let c = c.clone();
        async move { c.command(&["GET", "k"]).await.is_ok() }
    })
    .await;
    assert!(ok, "no recovery within 2 s after {fault:?}");
    assert_eq!(
        c.command(&["PING"])
            .await
            .map(|r| r.as_str() == Some("PONG")),
        Ok(true)
    );

    // Each write reached Redis once when the proxy passed it on, never twice.
    let want = i64::from(expect.applied);
    let ok = wait_until(Duration::from_secs(2), || {
        let mut redis = redis.clone();
        async move {
            let counter: Option<i64> = redis.get("counter").await.expect("GET");
            let len: i64 = redis.llen("list").await.expect("LLEN");
            counter.unwrap_or(0) == want && len == want
        }
    })
    .await;
    let counter: Option<i64> = redis.get("counter").await.expect("GET");
    let len: i64 = redis.llen("list").await.expect("LLEN");
    assert!(
        ok,
        "after {fault:?}: counter {counter:?}, list length {len}, want {want}"
    );
}

#[tokio::test]
async fn latency_times_out_and_writes_are_not_repeated() {
    check(
        Fault::Latency(Duration::from_secs(3)),
        Expect {
            kind: ErrorKind::Timeout,
            applied: true,
            // The first attempt used the whole timeout: no time is left to retry.
            read_tries: 1,
        },
    )
    .await;
}

#[tokio::test]
async fn a_dropped_connection_is_a_network_error() {
    check(
        Fault::Drop,
        Expect {
            kind: ErrorKind::Network,
            applied: false,
            read_tries: 3,
        },
    )
    .await;
}

#[tokio::test]
async fn a_reset_after_the_write_reached_redis_is_not_replayed() {
    check(
        Fault::Reset,
        Expect {
            kind: ErrorKind::Network,
            applied: true,
            read_tries: 3,
        },
    )
    .await;
}

#[tokio::test]
async fn a_401_is_an_auth_error_and_never_retried() {
    check(
        Fault::Status(401),
        Expect {
            kind: ErrorKind::Auth,
            applied: false,
            read_tries: 1,
        },
    )
    .await;
}

#[tokio::test]
async fn a_429_is_a_limit_error() {
    check(
        Fault::Status(429),
        Expect {
            kind: ErrorKind::Limit,
            applied: false,
            read_tries: 1,
        },
    )
    .await;
}

#[tokio::test]
async fn a_500_is_retried_for_reads_only() {
    check(
        Fault::Status(500),
        Expect {
            kind: ErrorKind::Network,
            applied: false,
            read_tries: 3,
        },
    )
    .await;
}

#[tokio::test]
async fn a_truncated_body_is_a_broken_connection() {
    check(
        Fault::Truncate,
        Expect {
            kind: ErrorKind::Network,
            applied: true,
            read_tries: 3,
        },
    )
    .await;
}

#[tokio::test]
async fn a_corrupt_body_is_a_protocol_error() {
    check(
        Fault::Corrupt,
        Expect {
            kind: ErrorKind::Protocol,
            applied: true,
            read_tries: 1,
        },
    )
    .await;
}

#[tokio::test]
async fn the_proxy_counts_requests_and_the_commands_they_bill() {
    let h = Harness::start().await;
    let proxy = Proxy::start(&h.url).await;
    let client = common::client_at(&proxy.url(), TOKEN, Duration::from_secs(5));
    let three = [cmd(["SET", "a", "1"]), cmd(["GET", "a"]), cmd(["DEL", "a"])];
    client.pipeline(&three).await.expect("pipeline");
    client.transaction(&three[..2]).await.expect("transaction");
    client.command(&["PING"]).await.expect("ping");
    assert_eq!(proxy.requests(), 3);
    assert_eq!(proxy.commands(), 6);
}
