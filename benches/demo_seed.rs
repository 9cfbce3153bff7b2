//! Seeding cost of the demo data set: pipelined writes into a local
//! redis-server, and generating kombu envelopes on their own.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use upstash_tui::demo::{self, SeedOptions, celery, kombu};
use upstash_tui::redis_server::RedisServer;

fn seeding(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let redis = RedisServer::start().expect("the benchmark needs redis-server");
    let conn = rt
        .block_on(demo::connect(&redis.url()))
        .expect("connects to redis");
    let mut group = c.benchmark_group("demo seed");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("seed 50 000 keys into redis-server", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut flush = conn.clone();
                    redis::cmd("FLUSHALL")
                        .exec_async(&mut flush)
                        .await
                        .expect("flushall");
                    let opts = SeedOptions {
                        keys: 50_000,
                        ..SeedOptions::default()
                    };
                    let started = Instant::now();
                    demo::seed(&conn, &opts).await.expect("seeds");
                    total += started.elapsed();
                }
                total
            })
        })
    });
    group.finish();
}

fn envelopes(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    c.bench_function("build one kombu task envelope", |b| {
        b.iter(|| {
            let (task, queue) = celery::random_task(&mut rng, 1_795_000_000_000);
            kombu::envelope(&task, queue, &task.id).to_string()
        })
    });
}

criterion_group!(benches, seeding, envelopes);
criterion_main!(benches);
