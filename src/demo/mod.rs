//! The sample data set and live traffic behind `upstash-tui demo`: an
//! application that uses Redis for Celery (kombu broker and result backend),
//! caching, sessions and rate limiting.
//!
//! Both are plain library calls so tests can use them without a terminal:
//! [`seed`] fills a redis, [`Traffic::start`] keeps it moving.

mod bulk;
pub mod celery;
pub mod fake;
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
