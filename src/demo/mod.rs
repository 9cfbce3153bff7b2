//! The sample data set and live traffic behind `upstash-tui demo`: an
//! application that uses Redis for Celery (kombu broker and result backend),
//! caching, sessions and rate limiting.
//!
//! Both are plain library calls so tests can use them without a terminal:
//! [`seed`] fills a redis, [`Traffic::start`] keeps it moving.
//!
//! | Keys | Type | TTL |
//! | --- | --- | --- |
//! | `celery`, `docs` and their priority lists `celery\x06\x163`, `\x06\x166`, `\x06\x169` | list of kombu messages | none |
//! | `_kombu.binding.celery`, `.docs`, `.celery.pidbox`, `.celeryev` | set | none |
//! | `unacked` (tag to `[message, exchange, routing_key]`), `unacked_index` | hash, zset | none |
//! | `celery-task-meta-<uuid>` | JSON string | up to a day |
//! | `cache:doc:<id>:summary` (three of them hundreds of KB) | JSON string | 1 to 6 hours |
//! | `session:<uuid>` | hash | 30 minutes to a week |
//! | `ratelimit:u<id>:<window start>` | counter string | up to a minute or an hour |
//! | `ratelimit:sliding:u<id>` | zset of request times | up to a minute |
//! | `user:<id>:profile`, `feed:<id>`, `tags:<word>` | hash, list, set | none |
//! | `leaderboard:uploads:weekly`, `leaderboard:uploads:all-time` | zset | none |
//! | `events:orders` with groups `fulfilment` and `analytics` | stream | none |
//! | `blob:gzip:export-<n>`, `blob:bin:thumb-<n>` | gzip JSON, non-UTF-8 bytes | none |
//! | `user:José`, `report 2026 Q3`, `emoji:🚀`, `notes:first line\nsecond line` | string, hash | none |
//!
//! The fixed keys are always there; `--keys` scales the rest, mostly sessions
//! and caches.

mod bulk;
pub mod celery;
mod fake;
mod fixtures;
pub mod kombu;
mod seed;
mod traffic;
mod writer;

use std::time::Duration;

use anyhow::{Context, Result};
use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;

pub use fixtures::STREAM;
pub use seed::{
    DEFAULT_SEED, MAX_KEYS, MIN_KEYS, SeedOptions, SeedReport, now_ms, seed, seed_with_progress,
};
pub use traffic::{Traffic, TrafficOptions, TrafficStats};

/// Opens a direct connection to `redis_url` suited to bulk writes: large
/// pipelines may take longer than the client's default response timeout.
pub async fn connect(redis_url: &str) -> Result<MultiplexedConnection> {
    let cfg = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(5)))
        .set_response_timeout(Some(Duration::from_secs(60)));
    redis::Client::open(redis_url)
        .context("parsing the redis address")?
        .get_multiplexed_async_connection_with_config(&cfg)
        .await
        .context("connecting to redis")
}
