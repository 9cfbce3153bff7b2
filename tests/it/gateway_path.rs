//! The path form (`/cmd/arg/...`): percent-decoding to raw bytes, the raw
//! body as the last argument, query arguments, methods.

use crate::common;

use crate::common::http::{Http, b64, seg, seg_str};
use common::{Harness, TOKEN};
use redis::AsyncCommands as _;
use reqwest::Method;

#[tokio::test]
async fn all_256_byte_values_survive_in_keys_and_values() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    for b in 0..=255u8 {
        let key = [b'k', b];
        let value = [b, b'x', b];
        let r = http
            .post(&format!("/set/{}/{}", seg(&key), seg(&value)), "")
            .await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (200, r#"{"result":"OK"}"#),
            "byte {b}"
        );
        let r = http.post(&format!("/get/{}", seg(&key)), "").await;
        assert_eq!(
            r.body,
            format!(r#"{{"result":"{}"}}"#, b64(&value)),
            "byte {b}"
        );
    }
    let mut c = h.redis_conn().await;
    for b in 0..=255u8 {
        let got: Vec<u8> = c.get([b'k', b].as_slice()).await.unwrap();
        assert_eq!(got, [b, b'x', b], "byte {b}");
    }
}

#[tokio::test]
async fn awkward_keys_round_trip_through_path_and_json() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let keys = [
        "a/b",
        "50%",
        "%2F",
        "what?",
        "a b",
        "line\nbreak",
        "tab\there",
        "ключ:日本:🙂",
        "q=1&r=2",
        "#hash",
        "+plus+",
    ];
    let mut c = h.redis_conn().await;
    for k in keys {
        let r = http.post(&format!("/set/{}/v1", seg_str(k)), "").await;
        assert_eq!(r.status, 200, "{k:?}: {}", r.body);
        let got: String = c.get(k).await.unwrap();
        assert_eq!(got, "v1", "{k:?}");
        let body = serde_json::json!(["GET", k]).to_string();
        let r = http.post("/", body).await;
        assert_eq!(r.body, format!(r#"{{"result":"{}"}}"#, b64(b"v1")), "{k:?}");
    }
    let n: i64 = redis::cmd("DBSIZE").query_async(&mut c).await.unwrap();
    assert_eq!(n, keys.len() as i64, "no key was split or merged");
}

#[tokio::test]
async fn raw_body_is_the_last_argument_then_query_pairs() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    // The docs' example: the body is the value, `?EX=60` follows it.
    let r = http
        .post_plain("/set/session:42?EX=60", r#"{"user":"ann"}"#)
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
    let mut c = h.redis_conn().await;
    let v: String = c.get("session:42").await.unwrap();
    assert_eq!(v, r#"{"user":"ann"}"#);
    let ttl: i64 = c.ttl("session:42").await.unwrap();
    assert!((1..=60).contains(&ttl));
    // Any bytes in a body, whatever the Content-Type says.
    let all: Vec<u8> = (0..=255).collect();
    let r = http
        .send(Method::PUT, "/set/blob", Some(TOKEN), true, all.clone())
        .await;
    assert_eq!(r.status, 200);
    let got: Vec<u8> = c.get("blob").await.unwrap();
    assert_eq!(got, all);
    let r = http.post("/getrange/blob/0/2", "").await;
    assert_eq!(r.body, format!(r#"{{"result":"{}"}}"#, b64(&[0, 1, 2])));
}

#[tokio::test]
async fn token_in_query_is_not_an_argument() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let path = format!("/set/qk/qv?_token={TOKEN}&NX");
    let r = http.send(Method::GET, &path, None, false, vec![]).await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
    let r = http.send(Method::GET, &path, None, false, vec![]).await;
    assert_eq!(
        r.body, r#"{"result":null}"#,
        "NX was passed, so the second SET does nothing"
    );
    // Query arguments are raw bytes too; `+` is a space, `%2B` a plus.
    let r = http.post("/hset/qh?f%FF=v%00&a+b=%2B", "").await;
    assert_eq!(r.body, r#"{"result":2}"#);
    let mut c = h.redis_conn().await;
    let v: Vec<u8> = c.hget("qh", b"f\xff".as_slice()).await.unwrap();
    assert_eq!(v, b"v\x00");
    let v: String = c.hget("qh", "a b").await.unwrap();
    assert_eq!(v, "+");
    let r = http
        .send(Method::GET, "/get/qk?_token=wrong", None, false, vec![])
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn methods_and_slashes() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http
        .send(Method::GET, "/SET/m/1", Some(TOKEN), false, vec![])
        .await;
    assert_eq!(r.body, r#"{"result":"OK"}"#);
    let r = http
        .send(Method::GET, "/get/m/", Some(TOKEN), false, vec![])
        .await;
    assert_eq!(r.body, r#"{"result":"1"}"#, "a trailing slash is ignored");
    let r = http
        .send(Method::GET, "//get/m", Some(TOKEN), false, vec![])
        .await;
    assert_eq!(r.body, r#"{"result":"1"}"#, "leading slashes are ignored");
    let r = http
        .send(Method::HEAD, "/get/m", Some(TOKEN), false, vec![])
        .await;
    assert_eq!((r.status, r.bytes.len()), (200, 0));
    // The Python SDK with a trailing-slash URL posts to //pipeline.
    let r = http.post_plain("//pipeline", r#"[["GET","m"]]"#).await;
    assert_eq!(r.body, r#"[{"result":"1"}]"#);
    for m in [Method::DELETE, Method::PATCH, Method::OPTIONS] {
        let r = http
            .send(m.clone(), "/get/m", Some(TOKEN), false, vec![])
            .await;
        assert_eq!(r.status, 405, "{m}");
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .starts_with("ERR method not allowed")
        );
    }
}

#[tokio::test]
async fn one_megabyte_binary_value_round_trips() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let value: Vec<u8> = (0..1024 * 1024)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let r = http.post("/set/mb", value.clone()).await;
    assert_eq!(r.body, r#"{"result":"OK"}"#);
    let r = http.post("/", r#"["GET","mb"]"#).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, format!(r#"{{"result":"{}"}}"#, b64(&value)));
}

/// Commands with arguments that are not UTF-8 go on a connection of their
/// own; it logs in and selects the database the gateway's URL names, like
/// the shared one.
#[tokio::test]
async fn binary_commands_use_the_urls_password_and_database() {
    use std::net::SocketAddr;
    use upstash_tui::gateway::{Gateway, GatewayConfig};
    use upstash_tui::redis_server::RedisServer;

    let redis = RedisServer::start_with_args(&["--requirepass", "s3cret"]).expect("redis-server");
    let port = redis.port();
    let gateway = Gateway::start(GatewayConfig {
        redis_url: format!("redis://:s3cret@127.0.0.1:{port}/2"),
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: TOKEN.into(),
        read_only_token: None,
        max_body_bytes: 1024 * 1024,
    })
    .await
    .expect("gateway");
    let client = common::client_at(&gateway.url(), TOKEN, std::time::Duration::from_secs(10));
    let reply = client
        .command(&[&b"SET"[..], b"k\xff", b"v\xfe"])
        .await
        .expect("binary SET");
    assert_eq!(reply.as_str(), Some("OK"));
    // An error echoing the argument stays an error of this command.
    let err = client
        .command(&[&b"EXPIRE"[..], b"k\xff", b"1", b"\xa0"])
        .await
        .expect_err("an unknown option");
    assert!(err.to_string().contains("Unsupported option"), "{err}");

    let mut direct = redis::Client::open(format!("redis://:s3cret@127.0.0.1:{port}/2"))
        .expect("url")
        .get_multiplexed_async_connection()
        .await
        .expect("direct connection");
    let v: Vec<u8> = direct.get(&b"k\xff"[..]).await.expect("GET");
    assert_eq!(v, b"v\xfe");
    let ttl: i64 = direct.ttl(&b"k\xff"[..]).await.expect("TTL");
    assert_eq!(ttl, -1, "the refused EXPIRE set nothing");
}
