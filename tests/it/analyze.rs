//! The analysis over a real redis-server behind the gateway: exact counts on
//! a database of known shape, the budget of a sampled run counted at the
//! wire, agreement with `redis-cli --bigkeys`, the fallback when MEMORY
//! USAGE is refused, and a stop that keeps a partial report.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use upstash_tui::analyze::{self, Memory, Options, Report};
use upstash_tui::value::Kind;

use crate::common::proxy::{Fault, Proxy};
use crate::common::{BIN, Harness, TOKEN, client_at, wait_until};

/// The biggest key of each type, by length, and its length.
const BIG: [(&str, &str, u64); 6] = [
    ("string", "cache:doc:big", 200_000),
    ("hash", "user:big", 500),
    ("list", "queue:big", 1000),
    ("set", "tags:big", 300),
    ("zset", "rank:big", 200),
    ("stream", "events:big", 50),
];

/// A database of known shape: 300 `cache:doc:*` strings expiring in 30
/// minutes, 100 `cache:img:*` strings and the dominant `cache:doc:big`
/// without TTL, 200 `user:*` hashes expiring in two days, small lists, sets,
/// sorted sets and streams, a key without a prefix, one with a prefix that is not UTF-8, and the biggest key
/// of each type.
async fn seed_shape(h: &Harness) {
    let mut c = h.redis_conn().await;
    let mut p = redis::pipe();
    for i in 0..300 {
        p.cmd("SET")
            .arg(format!("cache:doc:{i}"))
            .arg("0123456789")
            .arg("PX")
            .arg(1_800_000);
    }
    for i in 0..100 {
        p.cmd("SET")
            .arg(format!("cache:img:{i}"))
            .arg("x".repeat(100));
    }
    for i in 0..200 {
        p.cmd("HSET")
            .arg(format!("user:{i}"))
            .arg("a")
            .arg("1")
            .arg("b")
            .arg("2");
        p.cmd("PEXPIRE")
            .arg(format!("user:{i}"))
            .arg(2 * 86_400_000u64);
    }
    for i in 0..50 {
        p.cmd("RPUSH")
            .arg(format!("queue:{i}"))
            .arg("a")
            .arg("b")
            .arg("c");
        p.cmd("SADD").arg(format!("tags:{i}")).arg("a").arg("b");
        p.cmd("ZADD").arg(format!("rank:{i}")).arg(1).arg("a");
        p.cmd("XADD")
            .arg(format!("events:{i}"))
            .arg("*")
            .arg("f")
            .arg("v");
    }
    p.cmd("SET").arg("plain").arg("1");
    p.cmd("SET").arg(b"\xffbin:1".as_slice()).arg("1");
    p.cmd("SET").arg("cache:doc:big").arg("y".repeat(200_000));
    for i in 0..500 {
        p.cmd("HSET").arg("user:big").arg(format!("f{i}")).arg(i);
    }
    for i in 0..1000 {
        p.cmd("RPUSH").arg("queue:big").arg(i);
    }
    for i in 0..300 {
        p.cmd("SADD").arg("tags:big").arg(i);
    }
    for i in 0..200 {
        p.cmd("ZADD").arg("rank:big").arg(i).arg(i);
    }
    for i in 0..50 {
        p.cmd("XADD").arg("events:big").arg("*").arg("n").arg(i);
    }
    let () = p.query_async(&mut c).await.expect("seed");
}

/// Keys, bytes and no-TTL count of one prefix.
fn prefix<'r>(r: &'r Report, name: &str) -> &'r analyze::PrefixStats {
    r.prefixes
        .iter()
        .find(|p| p.prefix == name.as_bytes())
        .unwrap_or_else(|| panic!("no prefix {name} in {:?}", names(r)))
}

fn names(r: &Report) -> Vec<String> {
    r.prefixes
        .iter()
        .map(|p| String::from_utf8_lossy(&p.prefix).into_owned())
        .collect()
}

async fn run(client: &upstash_tui::upstash::Client, opts: &Options) -> Report {
    analyze::run(client, opts, &CancellationToken::new(), |_| {})
        .await
        .expect("analysis runs")
}

#[tokio::test]
async fn an_exact_run_gets_every_count_right() {
    let h = Harness::start().await;
    seed_shape(&h).await;
    let dbsize = h.dbsize().await as u64;
    let proxy = Proxy::start(&h.url).await;
    let client = client_at(&proxy.url(), TOKEN, Duration::from_secs(10));
    let opts = Options {
        page: 100,
        top: 5,
        ..Options::default()
    };
    let estimate = analyze::estimate_for(dbsize, &opts);
    let r = run(&client, &opts).await;

    assert!(r.complete && r.sampled.is_none());
    assert_eq!(r.memory, Memory::Measured);
    assert_eq!((r.keys, r.dbsize), (dbsize, dbsize));
    assert_eq!(
        r.commands,
        proxy.commands(),
        "the commands counted are those sent"
    );
    assert_eq!(r.requests, proxy.requests());
    // SCAN pages vary around COUNT: the estimate is close, not exact.
    let reads = 4 * dbsize + 2;
    assert!(r.commands > reads && r.commands <= reads + 2 * dbsize.div_ceil(100) + 2);
    assert!(estimate.commands.abs_diff(r.commands) <= dbsize.div_ceil(100) + 2);

    let cache = prefix(&r, "cache");
    assert_eq!((cache.depth, cache.keys, cache.no_ttl), (1, 401, 101));
    assert_eq!(cache.types, vec![(Kind::String, 401)]);
    assert_eq!(
        cache.biggest.as_ref().map(|b| b.0.as_slice()),
        Some(&b"cache:doc:big"[..])
    );
    let doc = prefix(&r, "cache:doc");
    assert_eq!((doc.depth, doc.keys, doc.no_ttl), (2, 301, 1));
    assert_eq!(doc.ttl.hour, 300);
    assert_eq!(prefix(&r, "cache:img").keys, 100);
    let user = prefix(&r, "user");
    assert_eq!((user.keys, user.no_ttl, user.ttl.later), (201, 1, 200));
    for (p, n) in [("queue", 51), ("tags", 51), ("rank", 51), ("events", 51)] {
        assert_eq!(prefix(&r, p).keys, n, "{p}");
    }
    assert!(!names(&r).iter().any(|n| n == "plain"));
    // Prefix bytes add up to the keys under a prefix; the dominant key leads.
    assert_eq!(r.prefixes[0].prefix, b"cache");
    assert!(cache.bytes > 200_000 && cache.bytes < r.bytes);
    assert_eq!(r.top[0].key, b"cache:doc:big");
    assert_eq!(r.top[0].kind, Kind::String);
    assert_eq!(r.top[0].len, Some(200_000));
    assert_eq!(r.top.len(), 5);
    assert_eq!(r.no_ttl[0].key, b"cache:doc:big");
    assert!(r.no_ttl.iter().all(|k| k.ttl_ms.is_none()));

    let ttl = r.ttl;
    assert_eq!((ttl.minute, ttl.hour, ttl.day, ttl.later), (0, 300, 0, 200));
    assert_eq!(ttl.never, dbsize - 500);
    assert_eq!((r.forecast.hour_keys, r.forecast.day_keys), (300, 300));
    assert!(r.forecast.hour_bytes > 300 * 10);
    assert!(r.used_memory.is_some_and(|m| m > r.bytes / 2));
}

#[tokio::test]
async fn the_biggest_key_of_each_type_agrees_with_redis_cli_bigkeys() {
    let h = Harness::start().await;
    seed_shape(&h).await;
    let r = run(&h.client(), &Options::default()).await;
    let out = tokio::process::Command::new("redis-cli")
        .args(["-p", &h.redis.port().to_string(), "--bigkeys"])
        .output()
        .await
        .expect("redis-cli runs (installed by .ci/install-deps)");
    let text = String::from_utf8_lossy(&out.stdout);
    for (kind, key, len) in BIG {
        // "Biggest string found '"cache:doc:big"' has 200000 bytes" (7.0),
        // or without the inner quotes in other versions.
        let line = text
            .lines()
            .find(|l| l.starts_with("Biggest") && l.contains(&format!(" {kind} found")))
            .unwrap_or_else(|| panic!("no biggest {kind} in:\n{text}"));
        assert!(line.contains(key), "redis-cli: {line}");
        assert!(line.contains(&format!(" has {len} ")), "redis-cli: {line}");
        let ours = r
            .top_len
            .iter()
            .find(|t| t.kind.name() == kind)
            .unwrap_or_else(|| panic!("no {kind} in top_len"));
        assert_eq!(
            (ours.key.as_slice(), ours.len),
            (key.as_bytes(), Some(len)),
            "{kind}"
        );
    }
}

/// 4000 keys in four prefixes holding 50, 25, 15 and 10 percent of them.
async fn seed_shares(h: &Harness) -> [(&'static str, u64); 4] {
    let shares = [("a", 2000), ("b", 1000), ("c", 600), ("d", 400)];
    let mut c = h.redis_conn().await;
    let mut p = redis::pipe();
    for (name, n) in shares {
        for i in 0..n {
            p.cmd("SET").arg(format!("{name}:{i}")).arg("v");
        }
    }
    let () = p.query_async(&mut c).await.expect("seed");
    shares
}

#[tokio::test]
async fn a_sampled_run_keeps_its_budget_and_the_shares() {
    let h = Harness::start().await;
    let shares = seed_shares(&h).await;
    let proxy = Proxy::start(&h.url).await;
    let client = client_at(&proxy.url(), TOKEN, Duration::from_secs(10));
    for budget in [4012u64, 1000, 7] {
        let opts = Options {
            page: 100,
            depth: 1,
            budget: Some(budget),
            ..Options::default()
        };
        let estimate = analyze::estimate_for(4000, &opts);
        assert!(estimate.sampled && estimate.commands <= budget);
        let before = proxy.commands();
        let r = run(&client, &opts).await;
        let sent = proxy.commands() - before;
        assert!(
            sent <= budget,
            "{sent} commands sent on a budget of {budget}"
        );
        assert_eq!(r.commands, sent);
        let sample = r.sampled.as_ref().expect("sampled");
        assert_eq!(sample.size, r.keys);
        assert!(sample.method.contains("SCAN's order"), "{}", sample.method);
        assert!(r.keys > 0 && r.keys < 4000);
        // Reads take four commands a key; only SCAN pages and the fixed
        // two are not reads, so the sample uses most of the budget.
        assert!(r.keys * 4 + 2 + 2 * r.keys.div_ceil(100) + 8 >= budget.min(r.commands + 8));
        if budget < 1000 {
            continue;
        }
        // Stated error: 6 points of share (about four standard errors at
        // 1000 keys); counts scaled to the whole within 1 %.
        let total: u64 = r.prefixes.iter().map(|p| p.keys).sum();
        assert!(total.abs_diff(4000) <= 40, "extrapolated {total}");
        for (name, n) in shares {
            let got = prefix(&r, name).keys as f64 / total as f64;
            let want = n as f64 / 4000.0;
            let err = if budget >= 4000 { 0.06 } else { 0.12 };
            assert!(
                (got - want).abs() <= err,
                "{name}: share {got:.3}, truly {want:.3}"
            );
        }
    }
}

#[tokio::test]
async fn a_refused_memory_usage_estimates_the_whole_report() {
    let h = Harness::start_with_server_args(&["--rename-command", "MEMORY", ""]).await;
    seed_shape(&h).await;
    let dbsize = h.dbsize().await as u64;
    let r = run(&h.client(), &Options::default()).await;
    assert_eq!(r.memory, Memory::Estimated);
    assert_eq!(r.keys, dbsize);
    assert_eq!(prefix(&r, "cache").keys, 401);
    assert_eq!(r.top[0].key, b"cache:doc:big");
    assert!(r.top[0].bytes >= 200_000);
    assert!(r.top.iter().all(|t| t.bytes > 0));
}

#[tokio::test]
async fn a_stop_keeps_the_partial_report() {
    let h = Harness::start().await;
    seed_shares(&h).await;
    let stop = CancellationToken::new();
    let opts = Options {
        page: 100,
        ..Options::default()
    };
    let mut seen = Vec::new();
    let r = analyze::run(&h.client(), &opts, &stop, |p| {
        seen.push(p);
        if p.keys > 0 {
            stop.cancel();
        }
    })
    .await
    .expect("analysis runs");
    assert!(!r.complete);
    assert!(r.sampled.is_none());
    assert!(r.keys > 0 && r.keys < 4000, "{} keys", r.keys);
    assert_eq!(r.keys, seen.last().map_or(0, |p| p.keys));
    assert!(seen.windows(2).all(|w| w[0].commands < w[1].commands));
    let total: u64 = r.prefixes.iter().map(|p| p.keys).sum();
    assert_eq!(total, r.keys);
}

/// Runs `upstash-tui analyze` on `url` with `args`: status, stdout, stderr.
async fn analyze_cli(url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = tokio::process::Command::new(BIN)
        .args(["analyze", "--url", url, "--token", TOKEN])
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .await
        .expect("run upstash-tui analyze");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_cli_prints_the_estimate_then_the_tables() {
    let h = Harness::start().await;
    seed_shape(&h).await;
    let (code, out, err) = analyze_cli(&h.url, &["--top", "3"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(err.starts_with("estimate: 808 keys: about "), "{err}");
    assert!(
        err.contains("commands (this DBSIZE included) in")
            && err.contains("$0.20 per 100 000 commands"),
        "{err}"
    );
    assert!(out.contains("Keys analysed: 808 of 808 (DBSIZE)"), "{out}");
    assert!(out.contains("Bytes measured with MEMORY USAGE"), "{out}");
    assert!(out.contains("% explained by the keys read"), "{out}");
    assert!(!out.contains("SAMPLED"), "{out}");
    // The prefix tree: `cache` first (the dominant key), its children under it.
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Prefixes"))
        .skip(2)
        .take(3)
        .collect();
    assert!(
        rows[0].ends_with(" cache") && rows[0].contains(" 401 "),
        "{out}"
    );
    assert!(
        rows[1].ends_with("   cache:doc") && rows[1].contains(" 301 "),
        "{out}"
    );
    assert!(
        rows[2].ends_with("   cache:img") && rows[2].contains(" 100 "),
        "{out}"
    );
    assert!(
        out.contains("200 000 string        never  cache:doc:big"),
        "{out}"
    );
    // Keys that are not UTF-8 are escaped, on one line.
    assert!(out.lines().any(|l| l.ends_with(" \\xffbin")), "{out}");
    assert!(
        out.contains("within an hour") && out.contains("Expiry forecast: 300 keys"),
        "{out}"
    );
}

#[tokio::test]
async fn the_cli_prints_one_json_object_sampled_when_the_budget_is_short() {
    let h = Harness::start().await;
    seed_shape(&h).await;
    let (code, out, err) = analyze_cli(&h.url, &["--json", "--depth", "1"]).await;
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["keys"], 808);
    assert_eq!(v["sampled"], false);
    assert!(v.get("sample_size").is_none());
    assert!(v["commands"].as_u64().is_some_and(|c| c > 4 * 808));
    let cache = v["prefixes"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["prefix"] == "cache"))
        .expect("cache prefix");
    assert_eq!(
        (cache["keys"].as_u64(), cache["no_ttl"].as_u64()),
        (Some(401), Some(101))
    );
    assert!(cache["bytes"].as_u64().is_some_and(|b| b > 200_000));
    assert!(
        v["prefixes"]
            .as_array()
            .is_some_and(|ps| ps.iter().all(|p| p["depth"] == 1))
    );
    let top = &v["top"][0];
    assert_eq!(
        (&top["key"], &top["type"], &top["len"], &top["ttl"]),
        (
            &"cache:doc:big".into(),
            &"string".into(),
            &200_000.into(),
            &serde_json::Value::Null
        )
    );
    assert!(top["bytes"].as_u64().is_some_and(|b| b >= 200_000));
    assert_eq!(v["ttl"]["hour"], 300);
    let binary = v["prefixes"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p.get("prefix").is_none()));
    assert_eq!(
        binary.map(|p| &p["prefix_base64"]),
        Some(&"/2Jpbg==".into())
    );

    let proxy = Proxy::start(&h.url).await;
    let (code, out, err) = analyze_cli(&proxy.url(), &["--json", "--budget", "500"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(
        proxy.commands() <= 500,
        "{} commands sent",
        proxy.commands()
    );
    assert!(err.contains("a sample of about"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["sampled"], true);
    assert_eq!(
        v["commands"].as_u64(),
        Some(proxy.commands() - 1),
        "the estimate's DBSIZE aside"
    );
    let size = v["sample_size"].as_u64().expect("sample_size");
    assert_eq!(v["keys"].as_u64(), Some(size));
    assert!(size > 100 && size < 808, "{size}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_prints_the_partial_report() {
    let h = Harness::start().await;
    seed_shares(&h).await;
    let proxy = Proxy::start(&h.url).await;
    proxy.set(Fault::Latency(Duration::from_millis(300)));
    let child = std::process::Command::new(BIN)
        .args(["analyze", "--url", &proxy.url(), "--token", TOKEN, "--json"])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // The estimate and the first page are done: Ctrl-C is being listened for.
    assert!(
        wait_until(Duration::from_secs(20), || async { proxy.requests() >= 3 }).await,
        "the analysis never started"
    );
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("stopped"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the partial report");
    assert_eq!(v["complete"], false);
    assert!(v["keys"].as_u64().is_some_and(|k| k < 4000), "{v}");
}

#[tokio::test]
async fn a_budget_too_small_for_one_key_is_refused_in_one_line() {
    let h = Harness::start().await;
    seed_shares(&h).await;
    let (code, out, err) = analyze_cli(&h.url, &["--budget", "7"]).await;
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("a budget of 7 commands cannot read a single key: give at least 8"),
        "{err}"
    );
    let (code, out, err) = analyze_cli(&h.url, &["--budget", "8", "--json"]).await;
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(
        (v["keys"].as_u64(), v["commands"].as_u64()),
        (Some(1), Some(7))
    );
}
