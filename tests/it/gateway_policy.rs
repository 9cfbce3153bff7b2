//! Tokens and the command policy: 401s, read-only NOPERM, refused commands
//! (also inside pipelines and transactions), SELECT 0.

use crate::common;

use crate::common::http::Http;
use common::{Harness, RO_TOKEN, TOKEN};
use redis::AsyncCommands as _;
use reqwest::Method;

const WRONGPASS: &str = r#"{"error":"WRONGPASS invalid or missing auth token"}"#;

#[tokio::test]
async fn missing_and_wrong_tokens_get_401() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let body = br#"["SET","x","1"]"#.to_vec();
    for token in [None, Some("wrong"), Some(""), Some("test-token-5f1c9e0b7")] {
        let r = http
            .send(Method::POST, "/", token, false, body.clone())
            .await;
        assert_eq!((r.status, r.body.as_str()), (401, WRONGPASS), "{token:?}");
        assert!(!r.body.contains(TOKEN));
    }
    for path in ["/pipeline", "/multi-exec", "/set/x/1"] {
        let r = http
            .send(Method::POST, path, None, false, b"[]".to_vec())
            .await;
        assert_eq!((r.status, r.body.as_str()), (401, WRONGPASS), "{path}");
    }
    let exists: bool = h.redis_conn().await.exists("x").await.unwrap();
    assert!(!exists, "nothing ran without a token");
    let r = http
        .send(
            Method::POST,
            &format!("/?_token={TOKEN}"),
            None,
            false,
            body,
        )
        .await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
}

#[tokio::test]
async fn read_only_token_reads_but_cannot_write() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    http.post("/", r#"["SET","k","v"]"#).await;
    let ro = |body: &str| {
        http.send(
            Method::POST,
            "/",
            Some(RO_TOKEN),
            false,
            body.as_bytes().to_vec(),
        )
    };
    for read in [
        r#"["GET","k"]"#,
        r#"["TTL","k"]"#,
        r#"["TYPE","k"]"#,
        r#"["DBSIZE"]"#,
        r#"["PING"]"#,
        r#"["OBJECT","ENCODING","k"]"#,
        r#"["EVAL_RO","return 1",0]"#,
    ] {
        let r = ro(read).await;
        assert_eq!(r.status, 200, "{read}: {}", r.body);
    }
    for (write, name) in [
        (r#"["SET","k","w"]"#, "set"),
        (r#"["del","k"]"#, "del"),
        (r#"["EVAL","return 1",0]"#, "eval"),
        (r#"["FLUSHALL"]"#, "flushall"),
        (r#"["PUBLISH","c","m"]"#, "publish"),
        (r#"["CONFIG","SET","maxmemory","1"]"#, "config|set"),
        (r#"["SCAN","0"]"#, "scan"),
        (r#"["KEYS","*"]"#, "keys"),
    ] {
        let r = ro(write).await;
        let want = format!(
            r#"{{"error":"NOPERM this user has no permissions to run the '{name}' command"}}"#
        );
        assert_eq!((r.status, r.body.as_str()), (400, want.as_str()), "{write}");
    }
    let v: String = h.redis_conn().await.get("k").await.unwrap();
    assert_eq!(v, "v", "no write went through");
    let r = http
        .send(
            Method::POST,
            "/pipeline",
            Some(RO_TOKEN),
            false,
            br#"[["GET","k"],["SET","k","w"]]"#.to_vec(),
        )
        .await;
    assert_eq!(
        r.body,
        r#"[{"result":"v"},{"error":"NOPERM this user has no permissions to run the 'set' command"}]"#
    );
    let r = http
        .send(
            Method::POST,
            "/multi-exec",
            Some(RO_TOKEN),
            false,
            br#"[["GET","k"],["INCR","n"]]"#.to_vec(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("NOPERM"), "{}", r.body);
}

#[tokio::test]
async fn connection_changing_commands_are_refused_everywhere() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let refused = [
        (r#"["BLPOP","q",0]"#, "BLPOP"),
        (r#"["brpop","q",0]"#, "BRPOP"),
        (r#"["BZPOPMIN","z",0]"#, "BZPOPMIN"),
        (r#"["BLMOVE","a","b","LEFT","RIGHT",0]"#, "BLMOVE"),
        (r#"["XREAD","BLOCK",0,"STREAMS","s","$"]"#, "XREAD"),
        (r#"["WATCH","k"]"#, "WATCH"),
        (r#"["MULTI"]"#, "MULTI"),
        (r#"["EXEC"]"#, "EXEC"),
        (r#"["SUBSCRIBE","c"]"#, "SUBSCRIBE"),
        (r#"["MONITOR"]"#, "MONITOR"),
        (r#"["SELECT",1]"#, "SELECT"),
        (r#"["CLIENT","SETNAME","x"]"#, "CLIENT"),
        (r#"["HELLO",3]"#, "HELLO"),
        (r#"["AUTH","x"]"#, "AUTH"),
        (r#"["QUIT"]"#, "QUIT"),
        (r#"["RESET"]"#, "RESET"),
        (r#"["WAIT",1,0]"#, "WAIT"),
        (r#"["SHUTDOWN"]"#, "SHUTDOWN"),
    ];
    for (cmd, name) in refused {
        let want = format!(r#"{{"error":"ERR Command is not available: '{name}'"}}"#);
        let r = http.post("/", cmd).await;
        assert_eq!((r.status, r.body.as_str()), (400, want.as_str()), "{cmd}");
        let r = http.post("/pipeline", format!(r#"[["PING"],{cmd}]"#)).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.body,
            format!(r#"[{{"result":"UE9ORw=="}},{want}]"#),
            "{cmd}"
        );
        let r = http
            .post("/multi-exec", format!(r#"[["SET","t","1"],{cmd}]"#))
            .await;
        assert_eq!((r.status, r.body.as_str()), (400, want.as_str()), "{cmd}");
    }
    let exists: bool = h.redis_conn().await.exists("t").await.unwrap();
    assert!(!exists, "refused transactions did not run");
    // The shared connection is still on database 0, not blocked, not in MULTI.
    let r = http.post("/", r#"["SELECT",0]"#).await;
    assert_eq!((r.status, r.body.as_str()), (200, r#"{"result":"OK"}"#));
    let r = http
        .post("/pipeline", r#"[["SELECT","0"],["SET","db0","1"]]"#)
        .await;
    assert_eq!(r.body, r#"[{"result":"OK"},{"result":"OK"}]"#);
    let r = http
        .post("/multi-exec", r#"[["SELECT","0"],["GET","db0"]]"#)
        .await;
    assert_eq!(r.body, r#"[{"result":"OK"},{"result":"MQ=="}]"#);
    let v: String = h.redis_conn().await.get("db0").await.unwrap();
    assert_eq!(v, "1");
    // Non-blocking XREAD is fine.
    http.post("/", r#"["XADD","s","1-1","f","v"]"#).await;
    let r = http
        .post_plain("/", r#"["XREAD","COUNT",1,"STREAMS","s","0"]"#)
        .await;
    assert_eq!(r.body, r#"{"result":[["s",[["1-1",["f","v"]]]]]}"#);
}

#[tokio::test]
async fn unknown_commands_get_redis_own_error() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let r = http.post("/", r#"["NOTACMD","x"]"#).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":"ERR unknown command 'NOTACMD', with args beginning with: 'x' "}"#
    );
}
