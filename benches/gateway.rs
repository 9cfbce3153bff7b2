//! Gateway overhead: PING and GET through the gateway (real client, HTTP on
//! loopback) against direct RESP (the redis crate) to the same
//! redis-server, with 1 and with 32 concurrent clients. Criterion times the
//! single-client round trips; a plain loop records every request of both
//! cases in a histogram and prints the median and p99. Last, the process's
//! resident memory before and after two long rounds of mixed load.

mod local;

use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use hdrhistogram::Histogram;
use redis::aio::MultiplexedConnection;
use tokio::runtime::Runtime;
use upstash_tui::gateway::Gateway;
use upstash_tui::redis_server::RedisServer;
use upstash_tui::upstash::{Client, cmd};

/// Requests per client in the histogram loops.
const REQUESTS: usize = 4000;
/// Requests per client in each round of mixed load.
const MIXED: usize = 3000;

/// A redis-server, a gateway in front of it, and a runtime to drive both.
struct Setup {
    _redis: RedisServer,
    redis_url: String,
    gateway: Gateway,
    rt: Runtime,
}

fn setup() -> Option<Setup> {
    let redis = RedisServer::start()
        .map_err(|e| eprintln!("redis-server not found ({e}): gateway benchmarks skipped"))
        .ok()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .ok()?;
    let gateway = rt
        .block_on(local::gateway(&redis))
        .map_err(|e| eprintln!("the gateway did not start: {e}"))
        .ok()?;
    Some(Setup {
        redis_url: redis.url(),
        _redis: redis,
        gateway,
        rt,
    })
}

fn client(s: &Setup) -> Client {
    local::client(&s.gateway).unwrap_or_else(|e| panic!("client: {e}"))
}

async fn direct(url: &str) -> MultiplexedConnection {
    redis::Client::open(url)
        .unwrap_or_else(|e| panic!("redis url: {e}"))
        .get_multiplexed_async_connection()
        .await
        .unwrap_or_else(|e| panic!("direct connection: {e}"))
}

/// Which path a request takes.
#[derive(Clone)]
enum Path {
    Gateway(Client),
    Direct(MultiplexedConnection),
}

impl Path {
    async fn run(&mut self, args: &[&str]) {
        match self {
            Path::Gateway(c) => {
                c.command(args)
                    .await
                    .unwrap_or_else(|e| panic!("gateway: {e}"));
            }
            Path::Direct(conn) => {
                let mut c = redis::cmd(args[0]);
                for a in &args[1..] {
                    c.arg(*a);
                }
                c.query_async::<redis::Value>(conn)
                    .await
                    .unwrap_or_else(|e| panic!("direct: {e}"));
            }
        }
    }
}

fn round_trips(c: &mut Criterion) {
    let Some(s) = setup() else { return };
    let gw = client(&s);
    let mut conn = s.rt.block_on(direct(&s.redis_url));
    s.rt.block_on(gw.command(&[
        "SET",
        "bench:k",
        "a value of some forty bytes, give or take",
    ]))
    .unwrap_or_else(|e| panic!("SET: {e}"));
    let mut group = c.benchmark_group("gateway overhead");
    for (name, args) in [("PING", vec!["PING"]), ("GET", vec!["GET", "bench:k"])] {
        group.bench_function(format!("{name} through the gateway"), |b| {
            b.iter(|| s.rt.block_on(gw.command(&args)))
        });
        group.bench_function(format!("{name} direct RESP"), |b| {
            b.iter(|| s.rt.block_on(Path::Direct(conn.clone()).run(&args)))
        });
    }
    group.finish();
    s.rt.block_on(async { redis::cmd("DEL").arg("bench:k").exec_async(&mut conn).await })
        .unwrap_or_else(|e| panic!("DEL: {e}"));
    percentiles(&s);
    memory(&s);
}

/// Every request's latency with `clients` concurrent clients on `paths`.
fn record(s: &Setup, paths: Vec<Path>, args: &'static [&'static str]) -> Histogram<u64> {
    s.rt.block_on(async {
        let tasks: Vec<_> = paths
            .into_iter()
            .map(|mut p| {
                tokio::spawn(async move {
                    let mut h = Histogram::<u64>::new(3).unwrap_or_else(|e| panic!("{e}"));
                    for _ in 0..REQUESTS / 10 {
                        p.run(args).await;
                    }
                    for _ in 0..REQUESTS {
                        let t = Instant::now();
                        p.run(args).await;
                        h.record(t.elapsed().as_micros() as u64).unwrap_or(());
                    }
                    h
                })
            })
            .collect();
        let mut all = Histogram::<u64>::new(3).unwrap_or_else(|e| panic!("{e}"));
        for t in tasks {
            all.add(t.await.unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        all
    })
}

fn percentiles(s: &Setup) {
    s.rt.block_on(client(s).command(&[
        "SET",
        "bench:k",
        "a value of some forty bytes, give or take",
    ]))
    .unwrap_or_else(|e| panic!("SET: {e}"));
    println!("\nper-request latency, median / p99 in µs ({REQUESTS} requests per client)");
    println!("| command | clients | direct RESP | gateway | overhead (median) |");
    println!("| --- | --- | --- | --- | --- |");
    let commands: [(&str, &'static [&'static str]); 2] =
        [("PING", &["PING"]), ("GET", &["GET", "bench:k"])];
    for clients in [1usize, 32] {
        for (name, args) in commands {
            let direct_paths = s.rt.block_on(async {
                let mut v = Vec::new();
                for _ in 0..clients {
                    v.push(Path::Direct(direct(&s.redis_url).await));
                }
                v
            });
            let gateway_paths = (0..clients).map(|_| Path::Gateway(client(s))).collect();
            let d = record(s, direct_paths, args);
            let g = record(s, gateway_paths, args);
            println!(
                "| {name} | {clients} | {} / {} | {} / {} | {} |",
                d.value_at_quantile(0.5),
                d.value_at_quantile(0.99),
                g.value_at_quantile(0.5),
                g.value_at_quantile(0.99),
                g.value_at_quantile(0.5) as i64 - d.value_at_quantile(0.5) as i64,
            );
        }
    }
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Each of 32 clients: reads, writes, pipelines, transactions, a 256 KiB
/// value and a failing command, `MIXED` requests in all.
fn mixed_round(s: &Setup) {
    let big = Arc::new("x".repeat(256 << 10));
    s.rt.block_on(async {
        let tasks: Vec<_> = (0..32)
            .map(|id| {
                let (c, big) = (client(s), big.clone());
                tokio::spawn(async move {
                    let k = format!("mixed:{id}");
                    for i in 0..MIXED {
                        let ok = match i % 6 {
                            0 => c.command(&["SET", &k, &i.to_string()]).await.is_ok(),
                            1 => c.command(&["GET", &k]).await.is_ok(),
                            2 => {
                                let p: Vec<_> = (0..50).map(|_| cmd(["INCR", &k])).collect();
                                c.pipeline(&p).await.is_ok()
                            }
                            3 => {
                                let t = [cmd(["INCR", &k]), cmd(["GET", &k])];
                                c.transaction(&t).await.is_ok()
                            }
                            4 => c.command(&["SET", &format!("{k}:big"), &big]).await.is_ok(),
                            _ => c.command(&["HGET", &k, "f"]).await.is_err(),
                        };
                        assert!(ok, "request {i} of client {id} did not go as expected");
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap_or_else(|e| panic!("{e}"));
        }
    });
}

fn memory(s: &Setup) {
    mixed_round(s);
    let before = rss_mib();
    let started = Instant::now();
    mixed_round(s);
    let first = rss_mib();
    mixed_round(s);
    let second = rss_mib();
    println!(
        "\nresident memory (gateway, clients and runtime in this process) around mixed load \
         (32 clients x {MIXED} requests a round, {:.1} s a round): after warm-up {before:.1} MiB, \
         after one more round {first:.1} MiB, after another {second:.1} MiB",
        started.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, round_trips);
criterion_main!(benches);
