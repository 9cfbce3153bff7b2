//! `upstash-tui bench` against the real gateway and redis-server: the
//! figures are sane, only its own keys are touched and all of them are
//! removed, read-only tokens run only reads, and bad settings fail clearly.

use crate::common;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{Harness, RO_TOKEN, TOKEN, wait_until};

use crate::common::{BIN, printed};

fn bench(url: &str, token: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["bench", "--url", url, "--token", token, "--timeout", "10s"])
        .args(extra)
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap()
}

/// One table row: the label, then requests, errors, req/s, cmd/s, min, p50, p90, p99, max.
#[derive(Debug)]
struct Row {
    label: String,
    figures: Vec<f64>,
}

fn rows(stdout: &[u8]) -> Vec<Row> {
    String::from_utf8_lossy(stdout)
        .lines()
        .skip(2)
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (label, figures) = words.split_at(words.len() - 9);
            Row {
                label: label.join(" "),
                figures: figures.iter().map(|f| f.parse().unwrap()).collect(),
            }
        })
        .collect()
}

/// Requests as asked, no errors, positive throughput, ordered percentiles.
fn assert_sane(row: &Row, requests: f64, commands_per_request: f64) {
    let f = &row.figures;
    assert_eq!(f[0], requests, "{row:?}");
    assert_eq!(f[1], 0.0, "{row:?}");
    assert!(f[2] > 0.0, "{row:?}");
    assert!((f[3] / f[2] - commands_per_request).abs() < 0.01, "{row:?}");
    assert!(f[4] > 0.0, "{row:?}");
    assert!(f[4..].windows(2).all(|w| w[0] <= w[1]), "{row:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_sane_figures_and_removes_its_keys() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("user:1")
        .arg("kept")
        .query_async(&mut c)
        .await
        .unwrap();
    let out = bench(
        &h.url,
        TOKEN,
        &["-n", "200", "-c", "3", "-P", "20", "-r", "150"],
    );
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let rows = rows(&out.stdout);
    let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["PING", "SET", "GET", "GET pipeline"], "{t}");
    for row in &rows[..3] {
        assert_sane(row, 200.0, 1.0);
    }
    assert_sane(&rows[3], 200.0, 20.0);
    // 1 PING, 600 single commands, 200 pipelines of 20 GETs, 2 UNLINKs in one request.
    assert!(t.contains("up to 4603 commands in 802 requests"), "{t}");
    assert!(
        t.contains("removed 150 keys under upstash-tui:bench:"),
        "{t}"
    );
    assert!(!t.contains(TOKEN), "{t}");
    assert!(h.keys_matching("upstash-tui:bench:*").await.is_empty());
    assert_eq!(h.dbsize().await, 1, "only the user's key is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_has_the_same_figures() {
    let h = Harness::start().await;
    let out = bench(&h.url, TOKEN, &["-n", "50", "-t", "set,get", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    for (t, name) in tests.iter().zip(["SET", "GET"]) {
        assert_eq!(t["test"], name);
        assert_eq!(t["requests"], 50);
        assert_eq!(t["errors"], 0);
        assert!(t["requests_per_second"].as_f64().unwrap() > 0.0);
        let l = &t["latency_ms"];
        let p: Vec<f64> = ["min", "p50", "p90", "p99", "max"]
            .iter()
            .map(|q| l[q].as_f64().unwrap())
            .collect();
        assert!(p.windows(2).all(|w| w[0] <= w[1]), "{l}");
    }
    assert_eq!(v["removed_keys"], 50);
    assert!(
        v["prefix"]
            .as_str()
            .unwrap()
            .starts_with("upstash-tui:bench:")
    );
    assert!(h.keys_matching("upstash-tui:bench:*").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_runs_only_reads_and_leaves_nothing() {
    let h = Harness::start().await;
    // A read-only token: the first SET answers NOPERM and the reads go on.
    let out = bench(&h.url, RO_TOKEN, &["-n", "30"]);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let labels: Vec<String> = rows(&out.stdout).into_iter().map(|r| r.label).collect();
    assert_eq!(labels, ["PING", "GET", "GET pipeline"], "{t}");
    assert!(
        t.contains("the token is read-only (NOPERM): SET skipped"),
        "{t}"
    );
    assert!(!t.contains("removed") && !t.contains(RO_TOKEN), "{t}");
    // --read-only with a full token: no write is even tried.
    let out = bench(&h.url, TOKEN, &["-n", "30", "--read-only"]);
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let labels: Vec<String> = rows(&out.stdout).into_iter().map(|r| r.label).collect();
    assert_eq!(labels, ["PING", "GET", "GET pipeline"], "{t}");
    assert!(t.contains("read-only mode: running only the reads"), "{t}");
    assert_eq!(h.dbsize().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_settings_fail_on_one_line() {
    let h = Harness::start().await;
    let cases = [
        (h.url.as_str(), "not-the-right-token-77", "unauthorized"),
        ("http://127.0.0.1:1", TOKEN, "cannot reach the server"),
        ("not a url", TOKEN, "error: "),
    ];
    for (url, token, expected) in cases {
        let out = bench(url, token, &["-n", "5"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}: {stderr}");
        assert!(out.stdout.is_empty(), "{url}");
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.starts_with("error: "), "{url}: {stderr}");
        assert!(stderr.contains(expected), "{url}: {stderr}");
        assert!(!stderr.contains(token), "{url}: {stderr}");
    }
    assert_eq!(h.dbsize().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_and_still_removes_the_keys() {
    let h = Harness::start().await;
    let child = Command::new(BIN)
        .args(["bench", "--url", &h.url, "--token", TOKEN])
        .args(["-n", "1000000", "-t", "set", "-r", "500", "-c", "2"])
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_until(Duration::from_secs(20), || async {
            h.keys_matching("upstash-tui:bench:*").await.len() >= 100
        })
        .await,
        "the SET test never wrote"
    );
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let t = printed(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("interrupted") && t.contains("removed "), "{t}");
    assert!(
        h.keys_matching("upstash-tui:bench:*").await.is_empty(),
        "{t}"
    );
}
