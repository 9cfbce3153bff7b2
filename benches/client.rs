//! Client costs: request encoding (text, binary, wrapped pipelines), reply
//! decoding, telemetry recording, and PING / pipeline round trips through
//! the gateway to a local redis-server.

mod local;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use upstash_tui::redis_server::RedisServer;
use upstash_tui::upstash::telemetry::{Access, Outcome, RequestKind, Sample};
use upstash_tui::upstash::{Reply, Telemetry, cmd, encode};

fn encoding(c: &mut Criterion) {
    let text: Vec<_> = (0..1000)
        .map(|i| cmd(["SET", &format!("key:{i}"), "value"]))
        .collect();
    let binary: Vec<_> = (0..1000u32)
        .map(|i| cmd([&b"SET"[..], &i.to_be_bytes(), b"\xff\xfe"]))
        .collect();
    let big = vec![0xffu8; 1 << 20];
    c.bench_function("encode pipeline of 1000 text commands", |b| {
        b.iter(|| encode::batch(black_box(&text)))
    });
    c.bench_function(
        "encode pipeline of 1000 binary commands (hex wrapper)",
        |b| b.iter(|| encode::batch(black_box(&binary))),
    );
    c.bench_function("encode SET with a 1 MB binary value (path form)", |b| {
        b.iter(|| encode::single(black_box(&[&b"SET"[..], b"k", &big])))
    });
}

fn decoding(c: &mut Criterion) {
    let scan = Reply::Array(vec![
        Reply::Bytes(b"1234".to_vec()),
        Reply::Array(
            (0..1000)
                .map(|i| Reply::Bytes(format!("key:{i}").into_bytes()))
                .collect(),
        ),
    ])
    .to_json(true);
    c.bench_function("decode a SCAN reply of 1000 keys", |b| {
        b.iter(|| Reply::from_json_base64(black_box(&scan)))
    });
}

fn telemetry(c: &mut Criterion) {
    let t = Telemetry::default();
    c.bench_function("record one request", |b| {
        b.iter(|| {
            t.record(Sample {
                rtt: Duration::from_micros(1234),
                commands: 1,
                bytes_sent: 20,
                bytes_received: 10,
                kind: RequestKind::Single,
                access: Access::Read,
                outcome: Outcome::Ok,
                error: None,
                names: "GET".into(),
            })
        })
    });
    c.bench_function("snapshot", |b| b.iter(|| black_box(t.snapshot())));
}

fn round_trips(c: &mut Criterion) {
    let Ok(redis) = RedisServer::start() else {
        eprintln!("redis-server not found: round-trip benchmarks skipped");
        return;
    };
    let Ok(rt) = tokio::runtime::Runtime::new() else {
        return;
    };
    let Ok(gateway) = rt.block_on(local::gateway(&redis)) else {
        eprintln!("the gateway did not start: round-trip benchmarks skipped");
        return;
    };
    let Ok(client) = local::client(&gateway) else {
        return;
    };
    c.bench_function("PING round trip", |b| {
        b.iter(|| rt.block_on(client.command(&["PING"])))
    });
    let gets: Vec<_> = (0..100).map(|i| cmd(["GET", &format!("k{i}")])).collect();
    c.bench_function("pipeline of 100 GETs round trip", |b| {
        b.iter(|| rt.block_on(client.pipeline(&gets)))
    });
    rt.block_on(gateway.shutdown());
}

criterion_group!(benches, encoding, decoding, telemetry, round_trips);
criterion_main!(benches);
