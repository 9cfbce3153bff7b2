//! Value engine costs: opening keys through the gateway to a local
//! redis-server (time to the header and first page) for a 1 000 000-field
//! hash, a 50 MiB string and a small hash, and the formats on a 64 KiB page.

mod local;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use upstash_tui::redis_server::RedisServer;

use upstash_tui::value::format::{self, Format, hex};
use upstash_tui::value::{Kind, Limits, open, search};

/// Seeds a 1 000 000-field hash, a 50 MiB string and a 3-field hash.
async fn seed(url: &str) -> redis::RedisResult<()> {
    let mut c = redis::Client::open(url)?
        .get_multiplexed_async_connection()
        .await?;
    let script = r#"
        for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1, 1000 do
            local t = {}
            for j = i, i + 999 do
                t[#t + 1] = "field:" .. j
                t[#t + 1] = "value:" .. j
            end
            redis.call("HSET", KEYS[1], unpack(t))
        end
        return 1
    "#;
    for from in (0..1_000_000).step_by(100_000) {
        let _: i64 = redis::cmd("EVAL")
            .arg(script)
            .arg(1)
            .arg("hash:big")
            .arg(from)
            .arg(from + 100_000)
            .query_async(&mut c)
            .await?;
    }
    let _: i64 = redis::cmd("SETRANGE")
        .arg("string:big")
        .arg(50 * 1024 * 1024 - 1)
        .arg("z")
        .query_async(&mut c)
        .await?;
    let _: i64 = redis::cmd("HSET")
        .arg("hash:small")
        .arg(&["a", "1", "b", "2", "c", "3"])
        .query_async(&mut c)
        .await?;
    Ok(())
}

fn opening(c: &mut Criterion) {
    let Ok(redis) = RedisServer::start() else {
        eprintln!("redis-server not found: opening benchmarks skipped");
        return;
    };
    let Ok(rt) = tokio::runtime::Runtime::new() else {
        return;
    };
    if let Err(e) = rt.block_on(seed(&redis.url())) {
        eprintln!("seeding failed ({e}): opening benchmarks skipped");
        return;
    }
    let Ok(gateway) = rt.block_on(local::gateway(&redis)) else {
        eprintln!("the gateway did not start: opening benchmarks skipped");
        return;
    };
    let Ok(client) = local::client(&gateway) else {
        return;
    };
    let limits = Limits::default();
    let cases: [(&str, &[u8], Kind); 3] = [
        (
            "open a 1 000 000-field hash (header + first page)",
            b"hash:big",
            Kind::Hash,
        ),
        (
            "open a 50 MiB string (header + first 64 KiB)",
            b"string:big",
            Kind::String,
        ),
        (
            "open a 3-field hash (header + first page)",
            b"hash:small",
            Kind::Hash,
        ),
    ];
    for (name, key, kind) in cases {
        c.bench_function(name, |b| {
            b.iter(|| rt.block_on(open(&client, key, Some(&kind), &limits)))
        });
    }
    rt.block_on(gateway.shutdown());
    // redis-server is another process: this is the client and gateway alone.
    if let Some(peak) = peak_resident() {
        eprintln!("peak resident memory of the benchmark process: {peak}");
    }
}

/// VmHWM from /proc/self/status (Linux), e.g. "41236 kB".
fn peak_resident() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_string())
}

fn formats(c: &mut Criterion) {
    let json: Vec<u8> = {
        let mut s = String::from("[");
        while s.len() < 64 * 1024 {
            s.push_str(r#"{"id":12345,"name":"a name","tags":["x","y"],"ok":true},"#);
        }
        s.push_str("null]");
        s.into_bytes()
    };
    let binary: Vec<u8> = (0..64 * 1024u32).map(|i| (i * 7) as u8).collect();
    c.bench_function("render 64 KiB of JSON (auto: pretty + spans)", |b| {
        b.iter(|| format::render(black_box(&json), Format::Auto, 16 << 20))
    });
    c.bench_function("hex dump one screen (60 lines) of 64 KiB", |b| {
        b.iter(|| {
            (1000..1060)
                .map(|i| hex::line(black_box(&binary), i, 0))
                .collect::<Vec<_>>()
        })
    });
    c.bench_function("search 64 KiB (case-insensitive)", |b| {
        b.iter(|| search::find(black_box(&json), b"name"))
    });
}

criterion_group!(benches, opening, formats);
criterion_main!(benches);
