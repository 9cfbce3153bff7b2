//! Round trips at a user's distance: the latency proxy adds 100 ms to every
//! reply and counts the HTTP requests and the commands they bill, while the
//! real binary lists big databases. The tests assert counts, not times.

use crate::common;

use std::time::{Duration, Instant};

use common::Harness;
use common::proxy::{Fault, Proxy};
use common::tmux::Tmux;

/// The round trip added to every reply.
const DISTANCE: Duration = Duration::from_millis(100);

/// Writes `n` keys straight into redis-server, a script per 100 000: a mix
/// of strings, hashes and sets under a few folders and lists at the top
/// (rows whose TTLs the Keys pane reads), with names as long as real ones.
async fn seed(h: &Harness, n: u64) {
    let script = r#"
        local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
        for i = from, to - 1 do
            local m = i % 10
            if m < 6 then
                redis.call("SET", "user:" .. i .. ":profile", "x")
            elseif m < 8 then
                redis.call("HSET", "session:" .. i, "f", "v")
            elseif m < 9 then
                redis.call("RPUSH", "jobs-" .. i, "j")
            else
                redis.call("SADD", "tags:article:" .. i, "t")
            end
        end
        return to - from
    "#;
    let mut c = h.redis_conn().await;
    for from in (0..n).step_by(100_000) {
        let to = (from + 100_000).min(n);
        let added: u64 = redis::cmd("EVAL")
            .arg(script)
            .arg(0)
            .arg(from)
            .arg(to)
            .query_async(&mut c)
            .await
            .expect("seeding script");
        assert_eq!(added, to - from);
    }
    assert_eq!(h.dbsize().await, n as i64);
}

/// A database of `n` keys behind the proxy, 100 ms away.
async fn far_away(n: u64) -> (Harness, Proxy) {
    let h = Harness::start().await;
    seed(&h, n).await;
    let proxy = Proxy::start(&h.url).await;
    proxy.set(Fault::Latency(DISTANCE));
    (h, proxy)
}

/// What the requests counted so far were, for a failure message.
fn spent(proxy: &Proxy) -> String {
    let sent: Vec<String> = proxy.sent().iter().map(|r| r.join(" | ")).collect();
    format!(
        "{} requests, {} commands:\n{}",
        proxy.requests(),
        proxy.commands(),
        sent.join("\n")
    )
}

/// The Keys pane's SCAN requests (those that ask for types) and the sum of
/// their COUNT hints.
fn keys_scans(proxy: &Proxy) -> (u64, u64) {
    let mut count = (0, 0);
    for line in proxy.sent().into_iter().flatten() {
        let cmd: Vec<&str> = line.split(' ').collect();
        if cmd[0] == "SCAN" && cmd.last().is_some_and(|a| *a == "WITHTYPE") {
            let at = cmd.iter().position(|a| *a == "COUNT").expect("COUNT");
            count.0 += 1;
            count.1 += cmd[at + 1].parse::<u64>().expect("a number");
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_on_100k_keys_costs_at_most_30_requests_in_20s() {
    let (_h, proxy) = far_away(100_000).await;
    let dir = tempfile::tempdir().expect("tempdir");

    let launched = Instant::now();
    let tmux = Tmux::launch_tui("startup", dir.path(), &proxy.url(), "", "").await;
    tmux.wait("the first keys", |s| s.contains("user (")).await;
    let first = launched.elapsed();
    tmux.wait("the scan to pause at its budget", |s| s.contains("paused"))
        .await;
    // The window the count is about: 20 s from before the binary started.
    let window = Duration::from_secs(20);
    tokio::time::sleep(window.saturating_sub(launched.elapsed())).await;
    let spent = spent(&proxy);
    eprintln!("first keys after {first:?}; {spent}");
    assert!(proxy.requests() <= 30, "{spent}");
    let (scans, examined) = keys_scans(&proxy);
    assert_eq!(examined, 10_000, "the budget, and not a key more: {spent}");
    assert!(scans <= 3, "{spent}");
}

/// The keys `redis-cli --scan` lists, sorted.
async fn redis_cli_keys(h: &Harness) -> Vec<String> {
    let port = h.redis.url().rsplit(':').next().expect("port").to_owned();
    let out = tokio::process::Command::new("redis-cli")
        .args(["-p", &port, "--scan"])
        .output()
        .await
        .expect("redis-cli is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut keys: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    keys.sort_unstable();
    keys
}

/// Lists `n` keys with types through the proxy and checks the round trips,
/// the commands billed and the key set against redis-cli.
async fn scan_with_types_through_the_proxy(n: u64, most: u64) {
    let (h, proxy) = far_away(n).await;

    let started = Instant::now();
    let out = common::scan_cli(&proxy.url(), &["--with-types"]).await;
    let took = started.elapsed();
    let spent = spent(&proxy);
    eprintln!(
        "{n} keys: {} requests, {} commands, largest reply {} B, {took:?}",
        proxy.requests(),
        proxy.commands(),
        proxy.largest_response()
    );
    let mut ours = Vec::with_capacity(n as usize);
    let mut strings = 0;
    for line in String::from_utf8_lossy(&out).lines() {
        let (key, kind) = line.split_once('\t').expect("key<TAB>type");
        strings += u64::from(kind == "string");
        ours.push(key.to_owned());
    }
    ours.sort_unstable();
    let theirs = redis_cli_keys(&h).await;
    assert_eq!(theirs.len() as u64, n);
    assert!(ours == theirs, "{} keys listed of {n}", ours.len());
    assert_eq!(strings, n * 6 / 10, "the types came with the keys");
    assert!(proxy.requests() <= most, "{spent}");
    // Upstash refuses replies over 10 MB; a page aims at 1 MiB.
    let largest = proxy.largest_response();
    assert!(largest <= 1_200_000, "a reply of {largest} bytes");
    assert_eq!(
        proxy.commands(),
        proxy.requests(),
        "one SCAN a request, however large its COUNT: {spent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_lists_100k_keys_in_at_most_25_requests() {
    scan_with_types_through_the_proxy(100_000, 25).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_lists_a_million_keys_in_at_most_150_requests() {
    scan_with_types_through_the_proxy(1_000_000, 150).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_scan_lists_100k_keys_in_at_most_25_requests() {
    let (_h, proxy) = far_away(100_000).await;
    let dir = tempfile::tempdir().expect("tempdir");

    let tmux = Tmux::launch_tui("fullscan", dir.path(), &proxy.url(), "", "").await;
    tmux.wait("the scan to pause at its budget", |s| s.contains("paused"))
        .await;
    tmux.send(&["L"]);
    tmux.wait("every key", |s| {
        s.contains("100000 keys") && s.contains("done")
    })
    .await;
    let (scans, examined) = keys_scans(&proxy);
    let spent = spent(&proxy);
    eprintln!("{scans} scans, {examined} examined; {spent}");
    assert!(scans <= 25, "{spent}");
    assert!(examined >= 100_000, "{spent}");
}
