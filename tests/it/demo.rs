//! The demo data set and live traffic against a real redis-server, and the
//! `demo` subcommand's behaviour when redis-server is missing.

use crate::common;

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use serde_json::Value;
use upstash_tui::commands::demo as demo_cmd;
use upstash_tui::demo::{self, SeedOptions, Traffic, TrafficOptions, kombu};
use upstash_tui::redis_server::RedisServer;
use upstash_tui::upstash::Reply;

/// A fixed clock so two runs can be compared key for key.
const NOW_MS: u64 = 1_795_000_000_000;

async fn seeded(keys: u64, seed: u64) -> (RedisServer, MultiplexedConnection, demo::SeedReport) {
    let redis = RedisServer::start().expect("redis-server starts");
    let conn = demo::connect(&redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys,
        seed,
        now_ms: NOW_MS,
    };
    let report = demo::seed(&conn, &opts).await.expect("seeds");
    (redis, conn, report)
}

async fn all_keys(conn: &mut MultiplexedConnection) -> Vec<Vec<u8>> {
    let mut cursor = 0u64;
    let mut out = Vec::new();
    loop {
        let (next, page): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("COUNT")
            .arg(1000)
            .query_async(conn)
            .await
            .expect("scan");
        out.extend(page);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    out.sort();
    out.dedup();
    out
}

async fn dbsize(conn: &mut MultiplexedConnection) -> u64 {
    redis::cmd("DBSIZE")
        .query_async(conn)
        .await
        .expect("dbsize")
}

fn has_prefix(keys: &[Vec<u8>], prefix: &str) -> bool {
    keys.iter().any(|k| k.starts_with(prefix.as_bytes()))
}

#[tokio::test]
async fn default_set_has_every_type_and_family() {
    let (_redis, mut conn, report) = seeded(5_000, demo::DEFAULT_SEED).await;
    assert_eq!(report.keys, 5_000);
    let size = dbsize(&mut conn).await;
    assert!((4_900..=5_000).contains(&size), "dbsize {size}");

    let keys = all_keys(&mut conn).await;
    let mut pipe = redis::pipe();
    for k in &keys {
        pipe.cmd("TYPE").arg(k);
    }
    let types: Vec<String> = pipe.query_async(&mut conn).await.expect("types");
    let types: BTreeSet<&str> = types.iter().map(String::as_str).collect();
    for t in ["string", "hash", "list", "set", "zset", "stream"] {
        assert!(types.contains(t), "no key of type {t}: {types:?}");
    }

    for prefix in [
        "celery-task-meta-",
        "cache:doc:",
        "session:",
        "ratelimit:u",
        "ratelimit:sliding:",
        "leaderboard:",
        "blob:gzip:",
        "blob:bin:",
        "tags:",
        "feed:",
        "_kombu.binding.",
    ] {
        assert!(has_prefix(&keys, prefix), "no key starts with {prefix:?}");
    }
    let exact: [&[u8]; 11] = [
        b"celery",
        b"celery\x06\x163",
        b"celery\x06\x169",
        b"_kombu.binding.celery",
        b"unacked",
        b"unacked_index",
        b"events:orders",
        "user:José".as_bytes(),
        b"report 2026 Q3",
        "emoji:🚀".as_bytes(),
        b"notes:first line\nsecond line",
    ];
    for k in exact {
        assert!(
            keys.iter().any(|x| x == k),
            "missing {:?}",
            String::from_utf8_lossy(k)
        );
    }
    assert!(
        keys.iter()
            .any(|k| k.starts_with(b"user:") && k.ends_with(b":profile"))
    );
    for family in [
        "sessions",
        "cache",
        "results",
        "ratelimit",
        "broker",
        "stream",
        "blobs",
    ] {
        assert!(
            report.families.get(family).copied().unwrap_or(0) > 0,
            "{family}"
        );
    }
}

#[tokio::test]
async fn kombu_messages_and_bookkeeping_decode() {
    let (_redis, mut conn, _) = seeded(2_000, 7).await;
    for queue in ["celery", "celery\x06\x163", "docs"] {
        let msgs: Vec<String> = redis::cmd("LRANGE")
            .arg(queue)
            .arg(0)
            .arg(19)
            .query_async(&mut conn)
            .await
            .expect("lrange");
        assert_eq!(msgs.len(), 20, "{queue:?}");
        for m in msgs {
            let env: Value = serde_json::from_str(&m).expect("envelope is JSON");
            let body = kombu::decode_body(&env).expect("body is base64 of a 3-element array");
            assert!(body[0].is_array() && body[1].is_object() && body[2].is_object());
            let task = env["headers"]["task"].as_str().expect("task header");
            assert!(task.contains(".tasks."), "{task}");
            assert_eq!(env["headers"]["lang"], "py");
            assert_eq!(env["properties"]["body_encoding"], "base64");
            assert_eq!(env["headers"]["id"], env["properties"]["correlation_id"]);
            let rk = queue.split(kombu::SEP).next().expect("queue name");
            assert_eq!(env["properties"]["delivery_info"]["routing_key"], rk);
        }
    }
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg("_kombu.binding.celery")
        .query_async(&mut conn)
        .await
        .expect("smembers");
    assert_eq!(members, vec!["celery\x06\x16\x06\x16celery".to_string()]);

    let unacked: HashMap<String, String> = redis::cmd("HGETALL")
        .arg("unacked")
        .query_async(&mut conn)
        .await
        .expect("hgetall");
    assert!(!unacked.is_empty());
    for (tag, entry) in &unacked {
        let v: Value = serde_json::from_str(entry).expect("unacked entry is JSON");
        let triple = v.as_array().expect("array");
        assert_eq!(triple.len(), 3);
        assert_eq!(triple[0]["properties"]["delivery_tag"], tag.as_str());
        let score: Option<f64> = redis::cmd("ZSCORE")
            .arg("unacked_index")
            .arg(tag)
            .query_async(&mut conn)
            .await
            .expect("zscore");
        assert!(score.is_some_and(|s| s * 1000.0 < NOW_MS as f64));
    }

    let (pending, _, _, _): (u64, redis::Value, redis::Value, redis::Value) =
        redis::cmd("XPENDING")
            .arg(demo::STREAM)
            .arg("fulfilment")
            .query_async(&mut conn)
            .await
            .expect("xpending");
    assert_eq!(pending, 35, "pending entries in the fulfilment group");
}

#[tokio::test]
async fn ttls_sizes_and_binary_values() {
    let (_redis, mut conn, _) = seeded(3_000, 11).await;
    let keys = all_keys(&mut conn).await;
    let pick = |prefix: &str| -> Vec<Vec<u8>> {
        keys.iter()
            .filter(|k| k.starts_with(prefix.as_bytes()))
            .take(50)
            .cloned()
            .collect()
    };
    for (prefix, lo, hi) in [
        ("celery-task-meta-", 3_600, 86_400),
        ("session:", 1_700, 604_800),
        ("cache:doc:", 3_000, 21_600),
        ("ratelimit:u", 1, 3_600),
        ("ratelimit:sliding:", 1, 60),
    ] {
        let sample = pick(prefix);
        assert!(!sample.is_empty(), "{prefix}");
        for k in sample {
            let ttl: i64 = redis::cmd("TTL")
                .arg(&k)
                .query_async(&mut conn)
                .await
                .expect("ttl");
            assert!((lo..=hi).contains(&ttl), "{prefix}: TTL {ttl}");
        }
    }
    let ttl: i64 = redis::cmd("TTL")
        .arg("user:1000:profile")
        .query_async(&mut conn)
        .await
        .expect("ttl");
    assert_eq!(ttl, -1, "profiles do not expire");

    let big: u64 = redis::cmd("STRLEN")
        .arg("cache:doc:9003:summary")
        .query_async(&mut conn)
        .await
        .expect("strlen");
    assert!(big > 300_000, "large summary is {big} bytes");

    let gz: Vec<u8> = redis::cmd("GET")
        .arg("blob:gzip:export-1")
        .query_async(&mut conn)
        .await
        .expect("get gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("gunzips");
    let v: Value = serde_json::from_str(&text).expect("gzip holds JSON");
    assert!(v["rows"].is_array());

    let bin: Vec<u8> = redis::cmd("GET")
        .arg("blob:bin:thumb-1")
        .query_async(&mut conn)
        .await
        .expect("get bin");
    assert!(std::str::from_utf8(&bin).is_err());
}

#[tokio::test]
async fn same_seed_same_keys() {
    let (_a, mut ca, _) = seeded(1_500, 99).await;
    let (_b, mut cb, _) = seeded(1_500, 99).await;
    let (_c, mut cc, _) = seeded(1_500, 100).await;
    let ka = all_keys(&mut ca).await;
    assert_eq!(ka, all_keys(&mut cb).await);
    assert_ne!(ka, all_keys(&mut cc).await);
    let get = |k: &'static str| redis::cmd("GET").arg(k).clone();
    let va: String = get("cache:doc:100000:summary")
        .query_async(&mut ca)
        .await
        .expect("a");
    let vb: String = get("cache:doc:100000:summary")
        .query_async(&mut cb)
        .await
        .expect("b");
    assert_eq!(va, vb);
}

#[tokio::test]
async fn twenty_thousand_keys() {
    let (_redis, mut conn, report) = seeded(20_000, 3).await;
    assert_eq!(report.keys, 20_000);
    let size = dbsize(&mut conn).await;
    assert!((19_800..=20_000).contains(&size), "dbsize {size}");
}

#[tokio::test]
async fn bad_options_are_clear_errors() {
    let redis = RedisServer::start().expect("redis-server starts");
    let conn = demo::connect(&redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys: 10,
        ..SeedOptions::default()
    };
    let err = demo::seed(&conn, &opts).await.expect_err("rejected");
    assert!(err.to_string().contains("between"), "{err}");
    let opts = SeedOptions {
        now_ms: 1_795_000_000,
        ..SeedOptions::default()
    };
    let err = demo::seed(&conn, &opts).await.expect_err("seconds, not ms");
    assert!(err.to_string().contains("milliseconds"), "{err}");
}

async fn llen_total(conn: &mut MultiplexedConnection) -> u64 {
    let mut pipe = redis::pipe();
    for q in ["celery", "docs"] {
        for p in kombu::PRIORITY_STEPS {
            pipe.cmd("LLEN").arg(kombu::queue_key(q, p));
        }
    }
    let lens: Vec<u64> = pipe.query_async(conn).await.expect("llen");
    lens.iter().sum()
}

async fn result_count(conn: &mut MultiplexedConnection) -> usize {
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS")
        .arg("celery-task-meta-*")
        .query_async(conn)
        .await
        .expect("keys");
    keys.len()
}

async fn xlen(conn: &mut MultiplexedConnection) -> u64 {
    redis::cmd("XLEN")
        .arg(demo::STREAM)
        .query_async(conn)
        .await
        .expect("xlen")
}

#[tokio::test]
async fn traffic_moves_messages_and_stops_cleanly() {
    let redis = RedisServer::start().expect("redis-server starts");
    let mut conn = demo::connect(&redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys: 500,
        ..SeedOptions::default()
    };
    demo::seed(&conn, &opts).await.expect("seeds");
    // Messages that are not tasks are served first (BRPOP takes the tail);
    // the worker must skip them and keep going.
    redis::cmd("RPUSH")
        .arg("celery")
        .arg("not a task")
        .arg(&b"\xff\xfe"[..])
        .exec_async(&mut conn)
        .await
        .expect("rpush");
    let len0 = llen_total(&mut conn).await;
    let results0 = result_count(&mut conn).await;
    let stream0 = xlen(&mut conn).await;

    let traffic = Traffic::start_with(
        &redis.url(),
        TrafficOptions {
            per_second: 40,
            burst_every: Duration::from_secs(1),
            burst_size: 30,
            ..TrafficOptions::default()
        },
    )
    .await
    .expect("traffic starts");
    let moved =
        common::wait_until(Duration::from_secs(20), || {
            let mut c = conn.clone();
            async move {
                llen_total(&mut c).await != len0 && result_count(&mut c).await >= results0 + 10
            }
        })
        .await;
    assert!(moved, "queues and results did not change");
    let grew = common::wait_until(Duration::from_secs(20), || {
        let mut c = conn.clone();
        async move { xlen(&mut c).await > stream0 }
    })
    .await;
    assert!(grew, "no order events were added");
    let stats = traffic.stats();
    assert!(stats.produced > 0 && stats.consumed > 0, "{stats:?}");

    tokio::time::timeout(Duration::from_secs(10), traffic.stop())
        .await
        .expect("stops within 10s")
        .expect("stops without error");
    // Only this test's own connection remains once the traffic is gone.
    let alone = common::wait_until(Duration::from_secs(10), || {
        let mut c = conn.clone();
        async move {
            let list: String = redis::cmd("CLIENT")
                .arg("LIST")
                .query_async(&mut c)
                .await
                .expect("client list");
            list.lines().count() == 1
        }
    })
    .await;
    assert!(alone, "traffic connections still open after stop");
}

#[tokio::test]
async fn seeded_data_reads_back_through_the_gateway() {
    let h = common::Harness::start().await;
    let mut direct = demo::connect(&h.redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys: 1_000,
        seed: 5,
        now_ms: NOW_MS,
    };
    demo::seed(&direct, &opts).await.expect("seeds");
    let client = h.client();

    let size = client.command(&["DBSIZE"]).await.expect("dbsize");
    assert!(
        matches!(size, Reply::Int(n) if (980..=1_000).contains(&n)),
        "{size:?}"
    );

    // Binary values and awkward key names come back byte for byte.
    for key in [
        &b"blob:bin:thumb-2"[..],
        b"blob:gzip:export-3",
        b"notes:first line\nsecond line",
        "user:Jos\u{e9}".as_bytes(),
    ] {
        let want: Vec<u8> = redis::cmd("GET")
            .arg(key)
            .query_async(&mut direct)
            .await
            .expect("direct get");
        let got = client.command(&[&b"GET"[..], key]).await.expect("get");
        assert_eq!(
            got.as_bytes(),
            Some(&want[..]),
            "{}",
            String::from_utf8_lossy(key)
        );
    }

    // A kombu message read through the gateway decodes like one read directly.
    let msg = client
        .command(&["LINDEX", "celery\x06\x166", "0"])
        .await
        .expect("lindex");
    let env: Value = serde_json::from_slice(msg.as_bytes().expect("a message")).expect("JSON");
    assert!(kombu::decode_body(&env).is_some());
    assert_eq!(env["properties"]["priority"], 6);
}

#[tokio::test]
async fn demo_tears_everything_down_after_the_interface() {
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let args = demo_cmd::Args {
        keys: 300,
        no_traffic: false,
        seed: 4,
    };
    let res = demo_cmd::run_with(args, |s| async move {
        let size = s.client.command(&["DBSIZE"]).await?;
        *record.lock().expect("lock") = Some((s.redis_url.clone(), size));
        anyhow::bail!("the interface gave up")
    })
    .await;
    let err = res.expect_err("the interface's error comes back");
    assert!(err.to_string().contains("gave up"), "{err}");
    let (url, size) = seen
        .lock()
        .expect("lock")
        .take()
        .expect("the interface ran");
    assert!(
        matches!(size, Reply::Int(n) if (290..=400).contains(&n)),
        "{size:?}"
    );
    let gone = redis::Client::open(url)
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .is_err();
    assert!(gone, "redis-server still answers after the demo ended");
}

#[tokio::test]
async fn demo_ends_cleanly_when_the_interface_quits() {
    let args = demo_cmd::Args {
        keys: 200,
        no_traffic: true,
        seed: 8,
    };
    let res = demo_cmd::run_with(args, |s| async move {
        let reply = s.client.command(&["EXISTS", "events:orders"]).await?;
        anyhow::ensure!(reply == Reply::Int(1), "no stream: {reply:?}");
        Ok(())
    })
    .await;
    assert!(res.is_ok(), "{res:?}");
}

#[tokio::test]
async fn traffic_survives_a_queue_turned_into_a_string() {
    let redis = RedisServer::start().expect("redis-server starts");
    let mut conn = demo::connect(&redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys: 300,
        ..SeedOptions::default()
    };
    demo::seed(&conn, &opts).await.expect("seeds");
    // Someone browsing the demo overwrites the main queue with a string:
    // BRPOP and LPUSH on it now fail with WRONGTYPE.
    redis::cmd("SET")
        .arg("celery")
        .arg("oops")
        .exec_async(&mut conn)
        .await
        .expect("set");
    let traffic = Traffic::start_with(
        &redis.url(),
        TrafficOptions {
            per_second: 40,
            ..TrafficOptions::default()
        },
    )
    .await
    .expect("traffic starts");
    let producing = common::wait_until(Duration::from_secs(20), || {
        let produced = traffic.stats().produced;
        async move { produced >= 5 }
    })
    .await;
    assert!(producing, "the producer gave up: {:?}", traffic.stats());
    assert_eq!(traffic.stats().consumed, 0);

    // Once the queue is a list again, the worker picks up where it left off.
    redis::cmd("DEL")
        .arg("celery")
        .exec_async(&mut conn)
        .await
        .expect("del");
    let consuming = common::wait_until(Duration::from_secs(20), || {
        let consumed = traffic.stats().consumed;
        async move { consumed >= 3 }
    })
    .await;
    assert!(consuming, "the worker gave up: {:?}", traffic.stats());
    tokio::time::timeout(Duration::from_secs(10), traffic.stop())
        .await
        .expect("stops within 10s")
        .expect("stops without error");
}
#[test]
fn demo_without_redis_server_prints_the_install_hint() {
    let empty = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(crate::common::BIN)
        .args(["demo", "--no-traffic"])
        .env("PATH", empty.path())
        .output()
        .expect("runs the binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("apt-get install"), "stderr: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[tokio::test]
async fn the_demos_celery_queues_are_recognised_by_the_keys_scan_and_default_names() {
    use upstash_tui::recognise::{Recognisers, page};
    use upstash_tui::scan::{self, Budget, Query, Scan};
    let h = common::Harness::start().await;
    let direct = demo::connect(&h.redis.url()).await.expect("connects");
    let opts = SeedOptions {
        keys: 5_000,
        seed: 11,
        now_ms: NOW_MS,
    };
    demo::seed(&direct, &opts).await.expect("seeds");
    let client = h.client();
    let mut r = Recognisers::new();
    let keys = |r: &Recognisers| -> Vec<String> {
        r.suggestions()
            .iter()
            .map(|s| String::from_utf8_lossy(&s.key).into_owned())
            .collect()
    };
    // The default names, read directly.
    r.settle(&client).await.expect("reads");
    let celery = [
        "celery",
        "celery\x06\x163",
        "celery\x06\x166",
        "celery\x06\x169",
    ];
    let unacked = ["unacked", "unacked_index"];
    assert_eq!(keys(&r), [&celery[..], &unacked[..]].concat());
    // The Keys pane's scan (within its default budget) adds the second
    // queue; the pidbox and event exchanges' queues are not lists to watch.
    let mut scan = Scan::new(Query::default(), Budget::default());
    while let Some(request) = scan.next_request() {
        let replies = scan::send(&client, &request).await.expect("a page");
        r.offer(page::keys(&request, &replies));
        scan.apply(&request, Ok(replies), std::time::Duration::from_millis(1))
            .expect("applies");
        r.settle(&client).await.expect("reads");
    }
    let docs = ["docs", "docs\x06\x163", "docs\x06\x166", "docs\x06\x169"];
    assert_eq!(keys(&r), [&celery[..], &docs[..], &unacked[..]].concat());
}
