//! `watch` against the real gateway: one line per key and sample, JSON
//! lines, `--count`, and a clear error when the server cannot be reached.

use crate::common;

use std::process::ExitCode;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use upstash_tui::commands::watch::{self, Args};

fn args(keys: &[&str], count: u64, json: bool) -> Args {
    Args {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        interval: Duration::from_millis(50),
        count: Some(count),
        json,
        threshold: Some(3),
    }
}

async fn run(client: upstash_tui::upstash::Client, args: Args) -> (ExitCode, String) {
    let mut out = Vec::new();
    let code = watch::watch(client, args, CancellationToken::new(), &mut out)
        .await
        .expect("watch runs");
    (code, String::from_utf8(out).expect("UTF-8 output"))
}

#[tokio::test]
async fn text_lines_one_per_key_and_sample() {
    let h = common::Harness::start().await;
    let client = h.client();
    client
        .pipeline(&[
            upstash_tui::upstash::cmd(["RPUSH", "jobs", "a", "b", "c", "d"]),
            upstash_tui::upstash::cmd(["SADD", "seen", "x"]),
        ])
        .await
        .expect("seed");
    let (code, out) = run(client, args(&["jobs", "seen", "nothing"], 3, false)).await;
    assert_eq!(code, ExitCode::SUCCESS);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 9, "{out}");
    for l in &lines {
        assert_eq!(l.len(), 5, "{l:?}");
        assert!(l[0].ends_with('Z') && l[0].contains('T'), "{l:?}");
    }
    assert_eq!(lines[0][1..4], ["jobs", "list", "4"]);
    assert_eq!(lines[1][1..4], ["seen", "set", "1"]);
    assert_eq!(lines[2][1..4], ["nothing", "none", "0"]);
    assert_eq!(lines[0][4], "-", "no rate from one sample");
    assert_eq!(lines[6][4], "+0.00/s");
}

#[tokio::test]
async fn json_lines_carry_rates_and_marks() {
    let h = common::Harness::start().await;
    let client = h.client();
    client
        .command(&["RPUSH", "jobs", "a", "b", "c"])
        .await
        .expect("seed");
    let (_, out) = run(client, args(&["jobs"], 2, true)).await;
    let v: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[1]["key"], "jobs");
    assert_eq!(v[1]["type"], "list");
    assert_eq!(v[1]["length"], 3);
    assert_eq!(v[1]["rate"], 0.0);
    assert_eq!(v[1]["alert"], true, "3 reaches the threshold");
    assert_eq!(v[0]["rate"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_unreachable_server_is_one_clear_error() {
    let mut h = common::Harness::start().await;
    let client = h.client();
    h.gateway.take().expect("gateway").shutdown().await;
    let mut out = Vec::new();
    let err = watch::watch(
        client,
        args(&["jobs"], 1, false),
        CancellationToken::new(),
        &mut out,
    )
    .await
    .expect_err("nothing to watch");
    let text = format!("{err:#}");
    assert!(text.contains("cannot reach the server"), "{text}");
    assert!(
        !text.contains('\n') && !text.contains(common::TOKEN),
        "{text}"
    );
    assert!(out.is_empty());
}

/// A writer the test can read while `watch` writes to it.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn stopping_ends_the_watch_cleanly() {
    let h = common::Harness::start().await;
    let client = h.client();
    let stop = CancellationToken::new();
    let out = Shared::default();
    let mut writer = out.clone();
    let mut a = args(&["jobs"], 0, false);
    a.count = None;
    let task = tokio::spawn({
        let stop = stop.clone();
        async move { watch::watch(client, a, stop, &mut writer).await }
    });
    let lines = || {
        let n = out
            .0
            .lock()
            .expect("lock")
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        async move { n >= 2 }
    };
    assert!(common::wait_until(Duration::from_secs(5), lines).await);
    stop.cancel();
    let code = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("watch stops promptly")
        .expect("the task ends")
        .expect("no error");
    assert_eq!(code, ExitCode::SUCCESS);
}

/// The real binary, `watch` on the harness, with a clean environment.
fn binary(h: &common::Harness, args: &[&str]) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(crate::common::BIN);
    c.arg("watch")
        .args(args)
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("UPSTASH_REDIS_REST_URL", &h.url)
        .env("UPSTASH_REDIS_REST_TOKEN", common::TOKEN)
        .current_dir(std::env::temp_dir())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    c
}

#[tokio::test]
async fn the_binary_prints_json_lines_and_stops_after_count() {
    let h = common::Harness::start().await;
    h.client()
        .command(&["XADD", "events", "*", "n", "1"])
        .await
        .expect("seed");
    let out = binary(
        &h,
        &["events", "--json", "--count", "3", "--interval", "50ms"],
    )
    .output()
    .await
    .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[2]["type"], "stream");
    assert_eq!(lines[2]["length"], 1);
    assert_eq!(lines[2]["enqueue"], 0.0);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(common::TOKEN));
}

#[tokio::test]
async fn the_binary_stops_cleanly_on_ctrl_c() {
    let h = common::Harness::start().await;
    let mut child = binary(&h, &["jobs", "--interval", "50ms"])
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("a line within the deadline")
        .expect("readable")
        .expect("a line");
    assert!(first.contains("\tjobs\tnone\t0\t"), "{first}");
    let pid = child.id().expect("running").to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("it stops within the deadline")
        .expect("an exit status");
    assert!(status.success(), "{status:?}");
}

/// Waits until `out` holds at least `n` lines and returns them.
async fn lines_of(out: &Shared, n: usize) -> Vec<String> {
    let enough = || {
        let count = out
            .0
            .lock()
            .expect("lock")
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        async move { count >= n }
    };
    assert!(
        common::wait_until(Duration::from_secs(10), enough).await,
        "{n} lines within the deadline"
    );
    let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("UTF-8");
    text.lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn a_key_that_changes_type_keeps_one_line_per_sample() {
    let h = common::Harness::start().await;
    let client = h.client();
    client
        .command(&["RPUSH", "q:t", "a", "b"])
        .await
        .expect("seed");
    let stop = CancellationToken::new();
    let out = Shared::default();
    let mut writer = out.clone();
    let mut a = args(&["q:t", "fresh", "text"], 0, false);
    a.count = None;
    a.interval = Duration::from_millis(200);
    client
        .command(&["SET", "text", "hello"])
        .await
        .expect("seed");
    let task = tokio::spawn({
        let stop = stop.clone();
        let client = client.clone();
        async move { watch::watch(client, a, stop, &mut writer).await }
    });
    let before = lines_of(&out, 6).await.len();
    // The list becomes a set, a missing key appears as a list.
    client
        .transaction(&[
            upstash_tui::upstash::cmd(["DEL", "q:t"]),
            upstash_tui::upstash::cmd(["SADD", "q:t", "x", "y", "z"]),
            upstash_tui::upstash::cmd(["RPUSH", "fresh", "job"]),
        ])
        .await
        .expect("change the keys");
    let first_after = before.div_ceil(3) * 3;
    let lines = lines_of(&out, first_after + 6).await;
    stop.cancel();
    task.await.expect("the task ends").expect("no error");
    // Every sample is three lines, in the keys' order, each with a length
    // (or `-` for the string, which has none to watch).
    let samples: Vec<Vec<Vec<&str>>> = lines
        .chunks(3)
        .filter(|c| c.len() == 3)
        .map(|c| c.iter().map(|l| l.split('\t').collect()).collect())
        .collect();
    for s in &samples {
        let keys: Vec<&str> = s.iter().map(|l| l[1]).collect();
        assert_eq!(keys, ["q:t", "fresh", "text"], "{lines:#?}");
        assert_eq!(s[2][2..4], ["string", "-"], "{lines:#?}");
        assert!(
            s[0][3] != "-" && s[1][3] != "-",
            "a sample without a length: {lines:#?}"
        );
    }
    assert_eq!(samples[0][0][2..4], ["list", "2"]);
    assert_eq!(samples[0][1][2..4], ["none", "0"]);
    // The sample after the change already reads the new types.
    let after = &samples[first_after / 3 + 1];
    assert_eq!(after[0][2..4], ["set", "3"], "{lines:#?}");
    assert_eq!(after[1][2..4], ["list", "1"], "{lines:#?}");
}
