//! The client when things go wrong: redis-server restarted under the
//! gateway, timeouts, unreachable hosts; retries for reads only; telemetry
//! that matches the requests made; error texts that never hold the token.

use crate::common;

use std::time::Duration;

use common::{Harness, wait_until};
use upstash_tui::redis_server::{RedisServer, free_port};
use upstash_tui::upstash::{Client, ClientConfig, Error, ErrorKind, Reply, RetryPolicy, cmd};

/// A distinctive token, so its absence from error texts means something.
const SECRET: &str = "sEcReT-tOkEn-9f8e7d6c5b4a";

/// A Lua script that runs INCR on KEYS[1] once, then keeps Redis busy for
/// ARGV[1] microseconds, so a short request timeout fires after the write.
const INCR_THEN_BUSY: &str = "redis.call('INCR', KEYS[1]) \
    local s = redis.call('TIME') \
    repeat local n = redis.call('TIME') \
    until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > tonumber(ARGV[1]) \
    return 1";

#[tokio::test]
async fn a_read_is_retried_until_redis_is_back_and_a_write_is_sent_once() {
    let mut h = Harness::start().await;
    let c = h.client();
    c.command(&["SET", "k", "v"]).await.unwrap();
    let port = h.redis.port();
    h.redis.stop();

    // A write while redis is down fails and is sent exactly once.
    let before = c.telemetry().snapshot().requests;
    let e = c.command(&["INCR", "counter"]).await.unwrap_err();
    assert_eq!(c.telemetry().snapshot().requests - before, 1, "{e}");
    // A read is tried three times in all (the default policy).
    let before = c.telemetry().snapshot().requests;
    let e = c.command(&["GET", "k"]).await.unwrap_err();
    assert!(e.is_retryable(), "{e:?}");
    assert_eq!(c.telemetry().snapshot().requests - before, 3);

    // A patient read keeps retrying while redis is down, then recovers.
    let patient = c.clone().with_retry(RetryPolicy {
        tries: 200,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    });
    let failed_before = c.telemetry().snapshot().failed();
    let read = tokio::spawn(async move { patient.command(&["PING"]).await });
    let t = c.telemetry().clone();
    assert!(
        wait_until(Duration::from_secs(10), || {
            let t = t.clone();
            async move { t.snapshot().failed() >= failed_before + 2 }
        })
        .await,
        "the read was not retried"
    );
    let fresh = RedisServer::start_on(port).expect("redis restarts on its port");
    drop(std::mem::replace(&mut h.redis, fresh));
    let pong = read.await.unwrap().unwrap();
    assert_eq!(pong.as_str(), Some("PONG"));

    // The write sent while redis was down was not replayed later.
    assert_eq!(c.command(&["GET", "counter"]).await, Ok(Reply::Nil));
    assert_eq!(c.command(&["INCR", "counter"]).await, Ok(Reply::Int(1)));
}

#[tokio::test]
async fn a_timed_out_write_is_not_retried() {
    let h = Harness::start().await;
    let slow = common::client_at(&h.url, common::TOKEN, Duration::from_millis(300));
    let e = slow
        .command(&["EVAL", INCR_THEN_BUSY, "1", "once", "1000000"])
        .await
        .unwrap_err();
    assert_eq!(e, Error::Timeout);
    assert_eq!(e.kind(), ErrorKind::Timeout);
    let snap = slow.telemetry().snapshot();
    assert_eq!(snap.requests, 1);
    assert_eq!(snap.errors_of(ErrorKind::Timeout), 1);
    assert_eq!(snap.writes, 1);
    // Once the script has finished, the INCR was applied exactly once.
    let c = h.client();
    assert!(
        wait_until(Duration::from_secs(10), || {
            let c = c.clone();
            async move {
                c.command(&["GET", "once"])
                    .await
                    .is_ok_and(|r| r.as_int() == Some(1))
            }
        })
        .await
    );
    assert_eq!(
        c.command(&["GET", "once"]).await.map(|r| r.as_int()),
        Ok(Some(1))
    );
}

#[tokio::test]
async fn telemetry_counts_match_the_requests_made() {
    let h = Harness::start().await;
    let c = h.client();
    c.command(&["SET", "a", "1"]).await.unwrap();
    c.command(&["GET", "a"]).await.unwrap();
    c.command(&["GET", "b"]).await.unwrap();
    c.pipeline(&[
        cmd(["GET", "a"]),
        cmd(["GET", "b"]),
        cmd(["HGET"]),
        cmd(["TTL", "a"]),
    ])
    .await
    .unwrap();
    c.transaction(&[cmd(["INCR", "a"]), cmd(["GET", "a"])])
        .await
        .unwrap();
    c.command(&["LPUSH", "a", "x"]).await.unwrap_err();
    let s = c.clone().telemetry().snapshot();
    assert_eq!(s.requests, 6);
    assert_eq!(s.commands, 3 + 4 + 2 + 1);
    assert_eq!(s.ok, 5);
    assert_eq!(s.errors_of(ErrorKind::Command), 1);
    assert_eq!(s.failed(), 1);
    assert_eq!((s.single, s.pipeline, s.transaction), (4, 1, 1));
    assert_eq!((s.reads, s.writes), (2 + 1, 1 + 1 + 1));
    assert!(s.bytes_sent > 0 && s.bytes_received > 0);
    assert!(s.p50 > Duration::ZERO && s.p50 <= s.p99 && s.p99 <= s.max);
    assert!(
        s.last_error
            .as_ref()
            .is_some_and(|e| e.text.starts_with("WRONGTYPE"))
    );
    assert_eq!(s.slowest.len(), 6);
    let names: Vec<&str> = s.slowest.iter().map(|r| r.names.as_str()).collect();
    assert!(names.contains(&"INCR, GET"), "{names:?}");
    assert!(names.contains(&"GET x2, HGET, TTL"), "{names:?}");
    // Names only: no argument ever shows up.
    assert!(s.slowest.iter().all(|r| !r.names.contains('a')));
}

/// Errors of every kind the client can meet, built with a distinctive
/// token: none of them shows it, in Display or in Debug.
#[tokio::test]
async fn no_error_ever_shows_the_token() {
    let mut h = Harness::start_with(|g| {
        g.token = SECRET.into();
        g.max_body_bytes = 4096;
    })
    .await;
    let good = common::client_at(&h.url, SECRET, Duration::from_secs(5));
    let quick = common::client_at(&h.url, SECRET, Duration::from_millis(200))
        .with_retry(RetryPolicy::never());
    let wrong = common::client_at(&h.url, &format!("{SECRET}-wrong"), Duration::from_secs(5));
    let ro = common::client_at(&h.url, common::RO_TOKEN, Duration::from_secs(5));
    let closed = common::client_at(
        &format!("http://127.0.0.1:{}", free_port().unwrap()),
        SECRET,
        Duration::from_secs(2),
    );
    let mut errors = vec![
        wrong.command(&["PING"]).await.unwrap_err(),
        good.command(&["LPUSH"]).await.unwrap_err(),
        good.command(&[&b"SET"[..], SECRET.as_bytes(), &[b'x'; 8192]])
            .await
            .unwrap_err(),
        ro.command(&["SET", SECRET, "v"]).await.unwrap_err(),
        quick
            .command(&["EVAL", INCR_THEN_BUSY, "1", "busy", "600000"])
            .await
            .unwrap_err(),
        closed.command(&["PING"]).await.unwrap_err(),
        good.transaction(&[cmd(["SET", SECRET, "1"]), cmd(["HGET"])])
            .await
            .unwrap_err(),
        Client::new(ClientConfig {
            url: format!("https://x.upstash.io/?_token={SECRET}"),
            token: SECRET.into(),
            connect_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(1),
            allow_insecure_http: false,
        })
        .unwrap_err(),
        Client::new(ClientConfig {
            url: "http://192.0.2.7:8079".into(),
            token: SECRET.into(),
            connect_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(1),
            allow_insecure_http: false,
        })
        .unwrap_err(),
    ];
    h.redis.stop();
    errors.push(good.command(&["SET", SECRET, "v"]).await.unwrap_err());
    let kinds: Vec<ErrorKind> = errors.iter().map(Error::kind).collect();
    for k in [
        ErrorKind::Auth,
        ErrorKind::Command,
        ErrorKind::Limit,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Input,
    ] {
        assert!(kinds.contains(&k), "no {k:?} error among {errors:?}");
    }
    assert!(
        errors.iter().any(|e| matches!(e, Error::Connect(_))),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| matches!(e, Error::NoPermission(_))),
        "{errors:?}"
    );
    for e in &errors {
        let (shown, debug) = (e.to_string(), format!("{e:?}"));
        assert!(
            !shown.contains(SECRET) && !debug.contains(SECRET),
            "{debug}"
        );
        assert!(!shown.contains('\n'), "{shown}");
    }
    let snap = good.telemetry().snapshot();
    assert!(snap.last_error.is_some_and(|e| !e.text.contains(SECRET)));
}

#[tokio::test]
async fn unreachable_hosts_say_why() {
    let refused = common::client_at(
        &format!("http://127.0.0.1:{}", free_port().unwrap()),
        SECRET,
        Duration::from_secs(2),
    );
    let e = refused.command(&["PING"]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Connect(t) if t.contains("refused")),
        "{e:?}"
    );
    assert_eq!(e.kind(), ErrorKind::Network);
    // `.invalid` never resolves (RFC 6761).
    let nowhere = common::client_at(
        "https://upstash-tui.invalid",
        SECRET,
        Duration::from_secs(5),
    )
    .with_retry(RetryPolicy::never());
    let e = nowhere.command(&["PING"]).await.unwrap_err();
    assert!(
        matches!(&e, Error::Connect(t) if t.starts_with("DNS lookup failed"))
            || e == Error::Timeout,
        "{e:?}"
    );
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_named_and_not_retried() {
    let h = common::Harness::start().await;
    let client = common::client_at(
        &h.url.replacen("http://", "https://", 1),
        common::TOKEN,
        Duration::from_secs(5),
    );
    let e = client.command(&["GET", "k"]).await.unwrap_err();
    assert_eq!(e, Error::PlainHttp, "{e}");
    assert!(e.to_string().contains("http://"), "{e}");
    assert!(!e.is_retryable());
    assert_eq!(e.misconfiguration(), Some("plain HTTP: use http://"));
    // One attempt only: retrying cannot change the server's scheme.
    assert_eq!(client.telemetry().snapshot().requests, 1);
}
