//! `upstash-tui analyze` over 1 000 000 keys through the local gateway, next
//! to `redis-cli --memkeys` on the same redis-server: wall time, requests,
//! commands and the peak memory of each process (`/usr/bin/time -f %M`).
//!
//! The keys are `local::seed_million`'s: four shapes, a quarter each, with
//! 250 000 distinct `user:N` prefixes at depth 2, so the prefix cap (10 000,
//! the rest under `(other)`) is reached and memory stays bounded.
//!
//! Run with `cargo bench --bench analyze` (about a minute).

mod local;

use std::process::Command;
use std::time::{Duration, Instant};

use local::TOKEN;
use local::pane::BIN;
use upstash_tui::redis_server::RedisServer;

/// Wall time, peak resident kilobytes and stdout of `cmd` run under `/usr/bin/time`.
fn timed(cmd: &[&str]) -> anyhow::Result<(Duration, u64, String)> {
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .args(cmd)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()?;
    let wall = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    anyhow::ensure!(out.status.success(), "{cmd:?} failed: {err}");
    let kb = err
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    Ok((wall, kb, String::from_utf8_lossy(&out.stdout).into_owned()))
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let redis = RedisServer::start()?;
    let gateway = runtime.block_on(local::gateway(&redis))?;
    let url = gateway.url();
    let mut db = redis::Client::open(redis.url())?.get_connection()?;
    local::seed_million(&mut db)?;
    let port = redis.port().to_string();

    let (wall, kb, out) = timed(&[BIN, "analyze", "--url", &url, "--token", TOKEN, "--json"])?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    anyhow::ensure!(v["keys"] == 1_000_000, "analysed {}", v["keys"]);
    println!(
        "upstash-tui analyze (exact, 1 000 000 keys): {:.1} s, {} requests, {} commands, \
         {} prefixes, peak RSS {:.1} MiB",
        wall.as_secs_f64(),
        v["requests"],
        v["commands"],
        v["prefixes"].as_array().map_or(0, Vec::len),
        kb as f64 / 1024.0
    );
    let (wall, kb, _) = timed(&["redis-cli", "-p", &port, "--memkeys"])?;
    println!(
        "redis-cli --memkeys (RESP, same data): {:.1} s, peak RSS {:.1} MiB",
        wall.as_secs_f64(),
        kb as f64 / 1024.0
    );
    let (wall, kb, _) = timed(&["redis-cli", "-p", &port, "--bigkeys"])?;
    println!(
        "redis-cli --bigkeys (RESP, same data): {:.1} s, peak RSS {:.1} MiB",
        wall.as_secs_f64(),
        kb as f64 / 1024.0
    );
    Ok(())
}
