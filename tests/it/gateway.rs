//! The gateway against the example exchanges of Upstash's REST API page
//! (<https://upstash.com/docs/redis/features/restapi>: a command as a JSON
//! array, base64 replies, pipelines, transactions), byte for byte, and
//! every reply shape.

use crate::common;

use crate::common::http::{Http, b64};
use common::Harness;
use redis::AsyncCommands as _;

#[tokio::test]
async fn a_command_as_a_json_array() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http.post("/", r#"["SET","foo","bar","EX",100]"#).await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
    let r = http
        .post_plain("/", r#"["SET","foo","bar","EX",100]"#)
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
    let ttl: i64 = h.redis_conn().await.ttl("foo").await.unwrap();
    assert!((1..=100).contains(&ttl), "ttl {ttl}");
}

#[tokio::test]
async fn base64_replies_as_the_docs_show_them() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http.post("/", r#"["SET","foo","bar"]"#).await;
    assert_eq!(r.body, r#"{"result":"OK"}"#);
    let r = http.post("/", r#"["GET","foo"]"#).await;
    assert_eq!(r.body, r#"{"result":"YmFy"}"#);
    http.post("/", r#"["DEL","foo"]"#).await;
    http.post("/", r#"["MSET","key1","a","key2","b"]"#).await;
    let r = http.post("/", r#"["SCAN","0"]"#).await;
    assert!(
        r.body == r#"{"result":["MA==",["a2V5MQ==","a2V5Mg=="]]}"#
            || r.body == r#"{"result":["MA==",["a2V5Mg==","a2V5MQ=="]]}"#,
        "{}",
        r.body
    );
    http.post("/", r#"["SET","n","4"]"#).await;
    let r = http.post("/", r#"["INCR","n"]"#).await;
    assert_eq!(r.body, r#"{"result":5}"#);
    let r = http
        .post("/pipeline", r#"[["GET","missing"],["HGET"]]"#)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        r#"[{"result":null},{"error":"ERR wrong number of arguments for 'hget' command"}]"#
    );
}

/// Redis 7 says "not an integer" where the example of Upstash's docs says
/// "not an int"; the gateway passes Redis' text through.
const NOT_INT: &str = "ERR value is not an integer or out of range";

#[tokio::test]
async fn a_pipeline_keeps_per_command_errors() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let body = r#"[["SET","key1","valuex"],["SETEX","key2",13,"valuez"],["INCR","key1"],["ZADD","myset",11,"item1",22,"item2"]]"#;
    let r = http.post_plain("/pipeline", body).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        format!(r#"[{{"result":"OK"}},{{"result":"OK"}},{{"error":"{NOT_INT}"}},{{"result":2}}]"#)
    );
    let ttl: i64 = h.redis_conn().await.ttl("key2").await.unwrap();
    assert!((1..=13).contains(&ttl));
}

#[tokio::test]
async fn multi_exec_runtime_error_is_per_item() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let body = r#"[["SET","key1","valuex"],["SETEX","key2",13,"valuez"],["INCR","key1"],["ZADD","myset",11,"item1",22,"item2"]]"#;
    let r = http.post("/multi-exec", body).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        format!(r#"[{{"result":"OK"}},{{"result":"OK"}},{{"error":"{NOT_INT}"}},{{"result":2}}]"#)
    );
}

#[tokio::test]
async fn multi_exec_queue_error_discards_everything() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http
        .post(
            "/multi-exec",
            r#"[["SET","tx","1"],["NOTACMD","x"],["SET","tx2","2"]]"#,
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":"EXECABORT Transaction discarded because of previous errors."}"#
    );
    let exists: i64 = h.redis_conn().await.exists(&["tx", "tx2"]).await.unwrap();
    assert_eq!(exists, 0, "nothing of a discarded transaction runs");
    // The pooled connection is clean afterwards.
    let r = http
        .post("/multi-exec", r#"[["SET","tx","1"],["GET","tx"]]"#)
        .await;
    assert_eq!(r.body, r#"[{"result":"OK"},{"result":"MQ=="}]"#);
}

#[tokio::test]
async fn reply_shapes() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let cases: &[(&str, &str)] = &[
        (r#"["GET","nope"]"#, r#"{"result":null}"#),
        (r#"["RPUSH","l","a","b"]"#, r#"{"result":2}"#),
        (r#"["LRANGE","l",0,-1]"#, r#"{"result":["YQ==","Yg=="]}"#),
        (r#"["LRANGE","empty",0,-1]"#, r#"{"result":[]}"#),
        (r#"["PING"]"#, r#"{"result":"UE9ORw=="}"#),
        (r#"["TYPE","l"]"#, r#"{"result":"bGlzdA=="}"#),
        (r#"["HSET","h","f","v"]"#, r#"{"result":1}"#),
        (r#"["HGETALL","h"]"#, r#"{"result":["Zg==","dg=="]}"#),
        (r#"["ZADD","z",1.5,"m"]"#, r#"{"result":1}"#),
        (r#"["ZSCORE","z","m"]"#, r#"{"result":"MS41"}"#),
        (r#"["MGET","l","nope"]"#, r#"{"result":[null,null]}"#),
        (r#"["SET","okvalue","OK"]"#, r#"{"result":"OK"}"#),
        (r#"["GET","okvalue"]"#, r#"{"result":"T0s="}"#),
        (
            r#"["EVAL","return {redis.status_reply('OK'),{1,'x'}}",0]"#,
            r#"{"result":["T0s=",[1,"eA=="]]}"#,
        ),
        (
            r#"["INCRBY","n",-9223372036854775808]"#,
            r#"{"result":-9223372036854775808}"#,
        ),
    ];
    for (req, want) in cases {
        let r = http.post("/", *req).await;
        assert_eq!((r.status, r.body.as_str()), (200, *want), "{req}");
    }
    let r = http.post("/", r#"["GET","l"]"#).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":"WRONGTYPE Operation against a key holding the wrong kind of value"}"#
    );
    // Without base64 strings are plain text, and invalid UTF-8 becomes U+FFFD.
    let r = http.post_plain("/", r#"["PING"]"#).await;
    assert_eq!(r.body, r#"{"result":"PONG"}"#);
    let _: () = h.redis_conn().await.set("bin", b"a\xffb").await.unwrap();
    let r = http.post_plain("/", r#"["GET","bin"]"#).await;
    assert_eq!(r.body, "{\"result\":\"a\u{FFFD}b\"}");
    let r = http.post("/", r#"["GET","bin"]"#).await;
    assert_eq!(r.body, format!(r#"{{"result":"{}"}}"#, b64(b"a\xffb")));
}

#[tokio::test]
async fn numbers_and_booleans_reach_redis_as_written() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http
        .post(
            "/pipeline",
            r#"[["SET","big",12345678901234567890],["SET","f",1.5e3],["SET","t",true],["SET","neg",-0.25]]"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut c = h.redis_conn().await;
    let got: Vec<String> = c.mget(&["big", "f", "t", "neg"]).await.unwrap();
    assert_eq!(got, ["12345678901234567890", "1.5e3", "true", "-0.25"]);
}

#[tokio::test]
async fn sync_token_is_fresh_on_every_response() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        let r = http.post("/", r#"["PING"]"#).await;
        let t = r.sync_token.expect("sync token on success");
        assert!(seen.insert(t), "token repeated");
    }
    let r = http
        .send(
            reqwest::Method::POST,
            "/",
            None,
            false,
            b"[\"PING\"]".to_vec(),
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(seen.insert(r.sync_token.expect("sync token on 401")));
    let r = http.post("/pipeline", "[]").await;
    assert_eq!(r.body, "[]");
    assert!(seen.insert(r.sync_token.expect("sync token on pipeline")));
}

/// `Upstash-Response-Format: resp2`: raw RESP2 bytes.
#[tokio::test]
async fn resp2_response_format() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let send = |path: &'static str, body: &'static str, format: &'static str, b64: bool| {
        let mut req = client
            .post(format!("{}{path}", h.url))
            .bearer_auth(common::TOKEN)
            .header("Upstash-Response-Format", format)
            .body(body);
        if b64 {
            req = req.header("Upstash-Encoding", "base64");
        }
        async move {
            let r = req.send().await.expect("answer");
            let status = r.status().as_u16();
            let ct = r.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_string();
            (status, ct, r.bytes().await.unwrap().to_vec())
        }
    };
    let (s, ct, b) = send("/", r#"["SET","foo","bar"]"#, "resp2", false).await;
    assert_eq!(
        (s, ct.as_str(), b.as_slice()),
        (200, "application/octet-stream", &b"+OK\r\n"[..])
    );
    let (_, _, b) = send("/", r#"["GET","foo"]"#, "resp2", false).await;
    assert_eq!(b, b"$3\r\nbar\r\n");
    let (s, _, b) = send("/", r#"["GET"]"#, "resp2", false).await;
    assert_eq!(
        (s, b.as_slice()),
        (
            400,
            &b"-ERR wrong number of arguments for 'get' command\r\n"[..]
        )
    );
    let (s, _, b) = send(
        "/pipeline",
        r#"[["INCR","n"],["GET","nope"],["LRANGE","foo",0,1]]"#,
        "resp2",
        false,
    )
    .await;
    assert_eq!(
        (s, b.as_slice()),
        (
            200,
            &b":1\r\n$-1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
                [..]
        )
    );
    let (s, ct, b) = send("/multi-exec", r#"[["GET","foo"]]"#, "resp2", false).await;
    assert_eq!(
        (s, ct.as_str(), b.as_slice()),
        (200, "application/json", &br#"[{"result":"bar"}]"#[..])
    );
    let (s, _, b) = send("/", r#"["GET","foo"]"#, "json", true).await;
    assert_eq!((s, b.as_slice()), (200, &br#"{"result":"YmFy"}"#[..]));
    let (s, _, _) = send("/", r#"["GET","foo"]"#, "resp2", true).await;
    assert_eq!(s, 400, "resp2 with base64 is refused");
    let (s, _, _) = send("/", r#"["GET","foo"]"#, "xml", false).await;
    assert_eq!(s, 400, "unknown formats are refused");
}
