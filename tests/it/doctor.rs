//! `upstash-tui doctor` against the real gateway and redis-server.

use crate::common;

use std::process::{Command, Output};

use common::{Harness, RO_TOKEN, TOKEN};

use crate::common::{BIN, printed};

fn doctor(url: &str, token: &str) -> Output {
    Command::new(BIN)
        .args(["doctor", "--url", url, "--token", token, "--timeout", "5s"])
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passes_and_leaves_nothing_behind() {
    let h = Harness::start().await;
    let out = doctor(&h.url, TOKEN);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    for check in [
        "✓ reachable",
        "✓ authenticated",
        "✓ PING latency",
        "✓ SET",
        "✓ GET",
        "✓ HSET",
        "✓ HGETALL",
        "✓ RPUSH",
        "✓ LRANGE",
        "✓ EXPIRE",
        "✓ DEL",
        "✓ write access",
    ] {
        assert!(t.contains(check), "{check} missing:\n{t}");
    }
    assert!(t.contains("(10 requests)") && t.contains("p99"), "{t}");
    assert!(
        t.contains("token  test****  (from the --token flag)"),
        "{t}"
    );
    assert!(!t.contains('✗') && !t.contains(TOKEN), "{t}");
    assert_eq!(h.dbsize().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_gets_the_token_hint() {
    let h = Harness::start().await;
    let out = doctor(&h.url, "not-the-right-token-1234");
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("✓ reachable"), "{t}");
    assert!(t.contains("✗ authenticated"), "{t}");
    assert!(t.contains("hint: wrong token"), "{t}");
    assert!(!t.contains("not-the-right-token-1234"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_gets_the_url_hint() {
    let port = upstash_tui::redis_server::free_port().unwrap();
    let out = doctor(&format!("http://127.0.0.1:{port}"), TOKEN);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("✗ reachable"), "{t}");
    assert!(t.contains("hint: wrong URL"), "{t}");
    assert!(t.contains("- skipped"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_token_is_reported_as_read_only() {
    let h = Harness::start().await;
    let out = doctor(&h.url, RO_TOKEN);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("✓ authenticated") && t.contains("✓ PING latency"),
        "{t}"
    );
    assert!(
        t.contains("! read-only token") && t.contains("NOPERM"),
        "{t}"
    );
    assert!(!t.contains('✗'), "{t}");
    assert_eq!(h.dbsize().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cleans_up_after_a_failure_midway() {
    let h = Harness::start().await;
    // Forbid HSET to the gateway's redis user so the round trip fails after SET.
    let mut c = h.redis_conn().await;
    let () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("default")
        .arg("-hset")
        .query_async(&mut c)
        .await
        .unwrap();
    let out = doctor(&h.url, TOKEN);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("✓ SET") && t.contains("✗ HSET"), "{t}");
    assert!(t.contains("✓ cleanup"), "{t}");
    assert!(h.keys_matching("upstash-tui:doctor:*").await.is_empty());
    assert_eq!(h.dbsize().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_to_a_plain_http_server_says_so() {
    let h = Harness::start().await;
    let url = h.url.replacen("http://", "https://", 1);
    let out = doctor(&url, TOKEN);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("plain HTTP") && t.contains("http://"), "{t}");
    assert!(!t.contains("nothing answers"), "{t}");
    assert!(!t.contains("InvalidContentType"), "{t}");
}
