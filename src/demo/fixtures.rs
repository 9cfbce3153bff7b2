//! The fixed part of the data set, the same size whatever `--keys` says:
//! the Celery broker's keys, the leaderboard, the order stream, binary blobs,
//! tag sets, a few very large cache entries, awkwardly named keys, and under
//! `app:` values that real libraries wrote (django-redis, Flask-Caching, RQ,
//! Celery), for the Value pane's decoders.

use std::io::Write as _;

use anyhow::{Context, Result};
use flate2::Compression;
use flate2::write::GzEncoder;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::json;

use super::writer::Writer;
use super::{celery, fake, kombu};

/// How many keys [`write`] creates.
pub const COUNT: u64 = 8 + 4 + 2 + 2 + 1 + 10 + 4 + fake::WORDS.len() as u64 + 3 + 8;

/// The stream of order events and its consumer groups.
pub const STREAM: &str = "events:orders";

/// Writes every fixed key.
pub async fn write(w: &mut Writer<'_>, rng: &mut StdRng, now_ms: u64) -> Result<()> {
    broker(w, rng, now_ms).await?;
    leaderboards(w, rng).await?;
    stream(w, rng, now_ms).await?;
    blobs(w, rng).await?;
    odd_names(w, rng).await?;
    tags(w, rng).await?;
    large_summaries(w, rng, now_ms).await?;
    app_values(w).await
}

/// Values as django-redis, Flask-Caching, RQ and Celery store them, written
/// by those libraries (see `assets/demo/README.md`).
async fn app_values(w: &mut Writer<'_>) -> Result<()> {
    let strings: [(&str, &[u8]); 7] = [
        (
            "app:django:1:user:1",
            include_bytes!("../../assets/demo/django-user.pickle"),
        ),
        (
            "app:django:1:page:/home",
            include_bytes!("../../assets/demo/django-page.zlib-pickle"),
        ),
        (
            "app:django:1:feed:1",
            include_bytes!("../../assets/demo/django-feed.msgpack"),
        ),
        (
            "app:django:1:report:q3",
            include_bytes!("../../assets/demo/django-report.lz4"),
        ),
        (
            "app:flask_view//products",
            include_bytes!("../../assets/demo/flask-products.bin"),
        ),
        (
            "app:celery-task-meta-demo",
            include_bytes!("../../assets/demo/celery-result.pickle"),
        ),
        ("app:doc:zstd", include_bytes!("../../assets/demo/doc.zstd")),
    ];
    for (key, bytes) in strings {
        w.cmd("SET").arg(key).arg(bytes);
        w.key_done("app values").await?;
    }
    w.cmd("HSET")
        .arg("app:rq:job:welcome-1")
        .arg("data")
        .arg(&include_bytes!("../../assets/demo/rq-job-data.zlib-pickle")[..])
        .arg("status")
        .arg("queued")
        .arg("origin")
        .arg("default")
        .arg("description")
        .arg("tasks.send_email('ada@example.com', 'Welcome', retries=2)");
    w.key_done("app values").await
}

async fn broker(w: &mut Writer<'_>, rng: &mut StdRng, now_ms: u64) -> Result<()> {
    // Every queue at every priority step holds messages, oldest at the tail
    // (kombu LPUSHes and BRPOPs).
    for queue in celery::QUEUES {
        for step in kombu::PRIORITY_STEPS {
            let key = kombu::queue_key(queue, step);
            let n = if step == 0 { 120 } else { 25 };
            for _ in 0..n {
                let (mut task, _) = celery::random_task(rng, now_ms);
                task.priority = step;
                let tag = fake::uuid(rng);
                let env = kombu::envelope(&task, queue, &tag);
                w.cmd("LPUSH").arg(&key).arg(env.to_string());
            }
            w.key_done("broker").await?;
        }
    }
    // Bindings: the default direct exchanges, the pidbox fanout (remote
    // control) and the event topic exchange.
    for queue in celery::QUEUES {
        w.cmd("SADD")
            .arg(kombu::binding_key(queue))
            .arg(kombu::binding_member(queue, "", queue));
        w.key_done("bindings").await?;
    }
    w.cmd("SADD")
        .arg(kombu::binding_key("celery.pidbox"))
        .arg(kombu::binding_member(
            "",
            "",
            "celery@worker-1.celery.pidbox",
        ))
        .arg(kombu::binding_member(
            "",
            "",
            "celery@worker-2.celery.pidbox",
        ));
    w.key_done("bindings").await?;
    let ev_queue = format!("celeryev.{}", fake::uuid(rng));
    w.cmd("SADD")
        .arg(kombu::binding_key("celeryev"))
        .arg(kombu::binding_member("worker.#", "", &ev_queue));
    w.key_done("bindings").await?;
    // Messages a worker holds without having acknowledged them yet.
    for i in 0..12u64 {
        let (task, queue) = celery::random_task(rng, now_ms);
        let tag = fake::uuid(rng);
        let env = kombu::envelope(&task, queue, &tag);
        let delivered = now_ms.saturating_sub(1_000 * (5 + i * 37)) as f64 / 1000.0;
        w.cmd("HSET")
            .arg(kombu::UNACKED)
            .arg(&tag)
            .arg(kombu::unacked_entry(&env, "", queue));
        w.cmd("ZADD")
            .arg(kombu::UNACKED_INDEX)
            .arg(delivered)
            .arg(&tag);
    }
    w.key_done("unacked").await?;
    w.key_done("unacked").await
}

async fn leaderboards(w: &mut Writer<'_>, rng: &mut StdRng) -> Result<()> {
    for (key, scale) in [
        ("leaderboard:uploads:weekly", 40),
        ("leaderboard:uploads:all-time", 900),
    ] {
        let c = w.cmd("ZADD").arg(key);
        for user in 0..250u32 {
            let score = rng.random_range(1..scale * 10);
            c.arg(score).arg(format!("user:{}", 1_000 + user * 7));
        }
        w.key_done("leaderboard").await?;
    }
    Ok(())
}

async fn stream(w: &mut Writer<'_>, rng: &mut StdRng, now_ms: u64) -> Result<()> {
    let entries = 400u64;
    for i in 0..entries {
        // Explicit ids in the past keep the data set reproducible and let
        // live traffic append with `*` afterwards.
        let id = format!("{}-0", now_ms.saturating_sub((entries - i) * 9_000));
        let status = ["created", "paid", "shipped", "refunded"][rng.random_range(0..4)];
        w.cmd("XADD")
            .arg(STREAM)
            .arg(id)
            .arg("order_id")
            .arg(format!("ord_{}", 500_000 + i))
            .arg("user_id")
            .arg(rng.random_range(1_000..60_000))
            .arg("amount")
            .arg(format!(
                "{}.{:02}",
                rng.random_range(5..900),
                rng.random_range(0..100)
            ))
            .arg("currency")
            .arg("EUR")
            .arg("status")
            .arg(status);
    }
    w.cmd("XGROUP")
        .arg("CREATE")
        .arg(STREAM)
        .arg("fulfilment")
        .arg("0");
    w.cmd("XGROUP")
        .arg("CREATE")
        .arg(STREAM)
        .arg("analytics")
        .arg("0");
    // Read without acknowledging, so the groups show pending entries.
    for (group, consumer, count) in [
        ("fulfilment", "worker-1", 25),
        ("fulfilment", "worker-2", 10),
        ("analytics", "etl-1", 300),
    ] {
        w.cmd("XREADGROUP")
            .arg("GROUP")
            .arg(group)
            .arg(consumer)
            .arg("COUNT")
            .arg(count)
            .arg("STREAMS")
            .arg(STREAM)
            .arg(">");
    }
    w.cmd("XACK")
        .arg(STREAM)
        .arg("analytics")
        .arg(format!("{}-0", now_ms.saturating_sub(entries * 9_000)));
    w.key_done("stream").await
}

async fn blobs(w: &mut Writer<'_>, rng: &mut StdRng) -> Result<()> {
    for i in 1..=5u32 {
        let rows: Vec<_> = (0..rng.random_range(50..400))
            .map(|n| json!({"row": n, "doc": rng.random_range(10_000..99_999), "title": fake::title(rng)}))
            .collect();
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(json!({"export": i, "rows": rows}).to_string().as_bytes())
            .context("compressing a sample blob")?;
        let bytes = gz.finish().context("compressing a sample blob")?;
        w.cmd("SET").arg(format!("blob:gzip:export-{i}")).arg(bytes);
        w.key_done("blobs").await?;
    }
    for i in 1..=5u32 {
        let len = rng.random_range(64..4_096);
        w.cmd("SET")
            .arg(format!("blob:bin:thumb-{i}"))
            .arg(fake::non_utf8(rng, len));
        w.key_done("blobs").await?;
    }
    Ok(())
}

async fn odd_names(w: &mut Writer<'_>, rng: &mut StdRng) -> Result<()> {
    let jose = json!({"name": "José Álvarez", "city": "Málaga", "plan": "pro"});
    w.cmd("SET").arg("user:José").arg(jose.to_string());
    w.key_done("unicode").await?;
    w.cmd("SET").arg("report 2026 Q3").arg(format!(
        "Revenue up {}% quarter on quarter.",
        rng.random_range(3..19)
    ));
    w.key_done("unicode").await?;
    w.cmd("HSET")
        .arg("emoji:🚀")
        .arg("launched")
        .arg("2026-09-01")
        .arg("status")
        .arg("🟢 live");
    w.key_done("unicode").await?;
    w.cmd("SET")
        .arg("notes:first line\nsecond line")
        .arg("a key with a newline in its name");
    w.key_done("unicode").await
}

async fn tags(w: &mut Writer<'_>, rng: &mut StdRng) -> Result<()> {
    for word in fake::WORDS {
        let c = w.cmd("SADD").arg(format!("tags:{word}"));
        for _ in 0..rng.random_range(3..60) {
            c.arg(format!("doc:{}", rng.random_range(10_000..99_999)));
        }
        w.key_done("tags").await?;
    }
    Ok(())
}

async fn large_summaries(w: &mut Writer<'_>, rng: &mut StdRng, now_ms: u64) -> Result<()> {
    // A few documents whose cached summary is hundreds of KB, to show how
    // large values are handled.
    for (i, pages) in [(1u64, 900usize), (2, 1_600), (3, 2_400)] {
        let doc = 9_000 + i;
        let page_summaries: Vec<_> = (1..=pages)
            .map(|p| json!({"page": p, "text": fake::sentence(rng, 24)}))
            .collect();
        let v = json!({
            "doc_id": doc,
            "title": fake::title(rng),
            "lang": "en",
            "pages": pages,
            "summary": fake::sentence(rng, 60),
            "page_summaries": page_summaries,
            "model": "summarizer-v3",
            "generated_at": fake::iso_time(now_ms.saturating_sub(600_000)),
        });
        w.cmd("SET")
            .arg(format!("cache:doc:{doc}:summary"))
            .arg(v.to_string())
            .arg("EX")
            .arg(rng.random_range(3_600..21_600));
        w.key_done("cache").await?;
    }
    Ok(())
}
