//! Upstash's `SCAN ... WITHTYPE` extension: `[cursor, [key, type, ...]]`.

use crate::common;

use std::collections::BTreeMap;

use crate::common::http::Http;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::Harness;
use serde_json::Value;

fn text(v: &Value) -> String {
    let s = v.as_str().expect("string");
    String::from_utf8(STANDARD.decode(s).expect("base64")).expect("utf8")
}

/// Follows the cursor to the end, collecting key -> type.
async fn scan_all(http: &Http, extra: &str) -> BTreeMap<String, String> {
    let mut cursor = "0".to_string();
    let mut out = BTreeMap::new();
    loop {
        let body = format!(r#"["SCAN","{cursor}"{extra},"WITHTYPE"]"#);
        let r = http.post("/", body).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        let result = v["result"].as_array().expect("array");
        assert_eq!(result.len(), 2);
        cursor = text(&result[0]);
        let flat = result[1].as_array().expect("flat pairs");
        assert_eq!(flat.len() % 2, 0);
        for pair in flat.chunks(2) {
            out.insert(text(&pair[0]), text(&pair[1]));
        }
        if cursor == "0" {
            return out;
        }
    }
}

async fn seed(http: &Http) {
    let r = http
        .post(
            "/pipeline",
            r#"[["SET","s","1"],["HSET","h","f","v"],["RPUSH","l","a"],["SADD","set","m"],["ZADD","z",1,"m"],["XADD","x","*","f","v"]]"#,
        )
        .await;
    assert_eq!(r.status, 200);
    for i in 0..300 {
        http.post("/", format!(r#"["SET","many:{i}","v"]"#)).await;
    }
}

#[tokio::test]
async fn withtype_pairs_every_key_with_its_type() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    seed(&http).await;
    let all = scan_all(&http, r#","COUNT",50"#).await;
    assert_eq!(all.len(), 306);
    for (k, t) in [
        ("s", "string"),
        ("h", "hash"),
        ("l", "list"),
        ("set", "set"),
        ("z", "zset"),
        ("x", "stream"),
    ] {
        assert_eq!(all.get(k).map(String::as_str), Some(t), "{k}");
    }
    let only_hashes = scan_all(&http, r#","TYPE","hash""#).await;
    assert_eq!(
        only_hashes.into_iter().collect::<Vec<_>>(),
        [("h".into(), "hash".into())]
    );
    let matched = scan_all(&http, r#","MATCH","many:1?""#).await;
    assert_eq!(matched.len(), 10);
    assert!(matched.values().all(|t| t == "string"));
}

#[tokio::test]
async fn withtype_in_pipelines_transactions_and_after_script_flush() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    http.post("/", r#"["SET","k","v"]"#).await;
    let want = r#"{"result":["MA==",["aw==","c3RyaW5n"]]}"#;
    let r = http.post("/", r#"["SCAN","0","WITHTYPE"]"#).await;
    assert_eq!(r.body, want);
    let r = http.post("/", r#"["SCRIPT","FLUSH"]"#).await;
    assert_eq!(r.status, 200);
    let r = http
        .post(
            "/pipeline",
            r#"[["SCAN","0","WITHTYPE"],["EVALSHA","0000000000000000000000000000000000000000",0]]"#,
        )
        .await;
    assert_eq!(
        r.body,
        r#"[{"result":["MA==",["aw==","c3RyaW5n"]]},{"error":"NOSCRIPT No matching script. Please use EVAL."}]"#
    );
    let r = http.post("/", r#"["SCRIPT","FLUSH"]"#).await;
    assert_eq!(r.status, 200);
    let r = http
        .post("/multi-exec", r#"[["SCAN","0","WITHTYPE"],["GET","k"]]"#)
        .await;
    assert_eq!(
        r.body,
        r#"[{"result":["MA==",["aw==","c3RyaW5n"]]},{"result":"dg=="}]"#
    );
    // A bad cursor is Redis' own error, not a script error.
    let r = http.post("/", r#"["SCAN","nope","WITHTYPE"]"#).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (400, r#"{"error":"ERR invalid cursor"}"#)
    );
}
