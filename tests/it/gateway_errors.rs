//! Bad input, the body limit, redis-server going away and coming back, and
//! transactions under concurrency: clear JSON errors, never a crash.

use crate::common;

use std::time::Duration;

use crate::common::http::Http;
use common::{Harness, TOKEN, wait_until};
use redis::AsyncCommands as _;
use reqwest::Method;
use upstash_tui::redis_server::RedisServer;

#[tokio::test]
async fn malformed_bodies_are_400_with_clear_errors() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let cases: &[(&str, &[u8], &str)] = &[
        ("/", b"", "ERR the request body is not valid JSON"),
        ("/", b"[\"GET\",", "ERR the request body is not valid JSON"),
        ("/", b"\xff\xfe", "ERR the request body is not valid JSON"),
        (
            "/",
            b"{\"cmd\":\"GET\"}",
            "ERR the request body must be a JSON array",
        ),
        ("/", b"\"GET\"", "ERR the request body must be a JSON array"),
        ("/", b"[]", "ERR empty command"),
        (
            "/",
            b"[\"GET\",[\"k\"]]",
            "ERR a nested array is not a valid command argument",
        ),
        (
            "/",
            b"[\"GET\",null]",
            "ERR null is not a valid command argument",
        ),
        (
            "/",
            b"[\"GET\",{}]",
            "ERR a JSON object is not a valid command argument",
        ),
        (
            "/pipeline",
            b"[\"GET\",\"k\"]",
            "ERR the request body must be a JSON array of commands",
        ),
        ("/pipeline", b"[[\"GET\",\"k\"],[]]", "ERR empty command"),
        (
            "/multi-exec",
            b"{}",
            "ERR the request body must be a JSON array",
        ),
        (
            "/multi-exec",
            b"nope",
            "ERR the request body is not valid JSON",
        ),
    ];
    for (path, body, want) in cases {
        let r = http.post(path, body.to_vec()).await;
        assert_eq!(r.status, 400, "{path} {body:?}: {}", r.body);
        let err = r.json()["error"].as_str().expect("error text").to_string();
        assert!(err.starts_with(want), "{path} {body:?}: {err}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
    // The gateway is still fine.
    let r = http.post("/", r#"["PING"]"#).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn any_content_type_is_accepted() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    for ct in [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let r = client
            .post(format!("{}/", h.url))
            .bearer_auth(TOKEN)
            .header("Content-Type", ct)
            .body(r#"["ECHO","hi"]"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{ct}");
        assert_eq!(r.text().await.unwrap(), r#"{"result":"hi"}"#);
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let h = Harness::start_with(|cfg| cfg.max_body_bytes = 1000).await;
    let http = Http::new(&h);
    let at_limit = format!(r#"["SET","k","{}"]"#, "a".repeat(1000 - 14));
    assert_eq!(at_limit.len(), 1000);
    let r = http.post("/", at_limit).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let over = format!(r#"["SET","k","{}"]"#, "a".repeat(1000 - 13));
    let r = http.post("/", over).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (
            400,
            r#"{"error":"ERR max request size exceeded. Limit: 1000 bytes, Actual: 1001 bytes"}"#
        )
    );
    let r = http.post("/set/big", vec![b'x'; 5_000_000]).await;
    assert_eq!(
        r.body,
        r#"{"error":"ERR max request size exceeded. Limit: 1000 bytes, Actual: 5000000 bytes"}"#
    );
    // A chunked body without Content-Length is counted, not buffered.
    let resp = chunked_post(&h, "/set/streamed", 20, 100).await;
    assert!(resp.starts_with("HTTP/1.1 400"), "{resp}");
    assert!(
        resp.ends_with(
            r#"{"error":"ERR max request size exceeded. Limit: 1000 bytes, Actual: 2000 bytes"}"#
        ),
        "{resp}"
    );
    let exists: i64 = h
        .redis_conn()
        .await
        .exists(&["big", "streamed"])
        .await
        .unwrap();
    assert_eq!(exists, 0);
}

/// Sends a chunked POST over a plain socket and returns the whole response.
async fn chunked_post(h: &Harness, path: &str, chunks: usize, size: usize) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = h.gateway.as_ref().expect("gateway").addr();
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let mut req = head.into_bytes();
    for _ in 0..chunks {
        req.extend(format!("{size:x}\r\n").bytes());
        req.extend(std::iter::repeat_n(b'y', size));
        req.extend(b"\r\n");
    }
    req.extend(b"0\r\n\r\n");
    s.write_all(&req).await.expect("send");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn redis_down_is_a_json_error_and_the_gateway_recovers() {
    let mut h = Harness::start().await;
    let http = Http::new(&h);
    let r = http.post("/", r#"["SET","before","1"]"#).await;
    assert_eq!(r.status, 200);
    // Leave idle transaction connections behind, which the restart kills.
    let burst = (0..4).map(|_| http.post("/multi-exec", r#"[["INCR","pre"]]"#));
    for r in futures::future::join_all(burst).await {
        assert_eq!(r.status, 200);
    }
    let port = h.redis.port();
    h.redis.stop();
    for path in ["/", "/pipeline", "/multi-exec"] {
        let body = if path == "/" {
            r#"["GET","before"]"#
        } else {
            r#"[["GET","before"]]"#
        };
        let r = http.post(path, body).await;
        assert_eq!(r.status, 503, "{path}: {}", r.body);
        let err = r.json()["error"].as_str().expect("error").to_string();
        assert!(err.starts_with("ERR redis-server is unavailable"), "{err}");
    }
    let restarted = RedisServer::start_on(port).expect("redis restarts on the same port");
    h.redis = restarted;
    let recovered = wait_until(Duration::from_secs(10), || async {
        http.post("/", r#"["SET","after","1"]"#).await.status == 200
    })
    .await;
    assert!(recovered, "the gateway reconnects by itself");
    // The failed transaction during the outage dropped the idle connections,
    // so none of them is reused now.
    for _ in 0..4 {
        let r = http
            .post("/multi-exec", r#"[["INCR","c"],["INCR","c"]]"#)
            .await;
        assert_eq!(r.status, 200, "no stale connection is reused: {}", r.body);
    }
    let c: i64 = h.redis_conn().await.get("c").await.unwrap();
    assert_eq!(c, 8);
    let v: String = h.redis_conn().await.get("after").await.unwrap();
    assert_eq!(v, "1");
}

#[tokio::test]
async fn concurrent_transactions_stay_atomic() {
    let h = Harness::start().await;
    let http = std::sync::Arc::new(Http::new(&h));
    let mut tasks = Vec::new();
    for i in 0..16 {
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            // Each transaction sets its own marker, then reads the counter
            // twice around an INCR: no other command may land in between.
            let body = format!(r#"[["SET","owner","{i}"],["INCR","ctr"],["GET","owner"]]"#);
            let r = http.post_plain("/multi-exec", body).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let v = r.json();
            assert_eq!(v[2]["result"], format!("{i}"), "interleaved: {}", r.body);
            let plain = http
                .post_plain("/pipeline", r#"[["PING"],["GET","nope"]]"#)
                .await;
            assert_eq!(plain.body, r#"[{"result":"PONG"},{"result":null}]"#);
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let n: i64 = h.redis_conn().await.get("ctr").await.unwrap();
    assert_eq!(n, 16);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let mut h = Harness::start().await;
    let http = Http::new(&h);
    assert_eq!(http.post("/", r#"["PING"]"#).await.status, 200);
    h.gateway.take().expect("gateway").shutdown().await;
    let r = reqwest::Client::new()
        .request(Method::POST, format!("{}/", h.url))
        .bearer_auth(TOKEN)
        .body(r#"["PING"]"#)
        .send()
        .await;
    assert!(r.is_err(), "no longer listening");
}
