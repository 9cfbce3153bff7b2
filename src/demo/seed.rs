//! Filling a redis with the sample data set in large pipelined batches.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::rngs::StdRng;
use redis::aio::MultiplexedConnection;

use super::writer::Writer;
use super::{bulk, fixtures};

/// The smallest data set: the fixed keys plus a handful of each family.
pub const MIN_KEYS: u64 = 100;

/// The largest data set `seed` accepts.
pub const MAX_KEYS: u64 = 10_000_000;

/// 2001-09-09: anything earlier is not a millisecond Unix time.
const EARLIEST_CLOCK_MS: u64 = 1_000_000_000_000;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// Total number of keys to create.
    pub keys: u64,
    /// Random seed: the same seed and clock give the same data set.
    pub seed: u64,
    /// The clock, in Unix milliseconds, that timestamps and rate-limit windows
    /// are derived from.
    pub now_ms: u64,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            keys: 5_000,
            seed: DEFAULT_SEED,
            now_ms: now_ms(),
        }
    }
}

/// What `seed` wrote.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// Keys created.
    pub keys: u64,
    /// Commands sent.
    pub commands: u64,
    /// Keys created per family (`sessions`, `cache`, `broker`, ...).
    pub families: BTreeMap<&'static str, u64>,
    /// Wall-clock time spent.
    pub elapsed: Duration,
}

/// The current time in Unix milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// Seeds the data set through `conn`; see [`seed_with_progress`].
pub async fn seed(conn: &MultiplexedConnection, opts: &SeedOptions) -> Result<SeedReport> {
    seed_with_progress(conn, opts, |_, _| {}).await
}

/// Seeds the data set through `conn`, calling `progress(keys written, total)`
/// after each batch. Existing keys with the same names are overwritten; the
/// caller starts from an empty database to get exactly `opts.keys` keys.
pub async fn seed_with_progress(
    conn: &MultiplexedConnection,
    opts: &SeedOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<SeedReport> {
    if !(MIN_KEYS..=MAX_KEYS).contains(&opts.keys) {
        bail!(
            "the number of keys must be between {MIN_KEYS} and {MAX_KEYS}, not {}",
            opts.keys
        );
    }
    // Stream ids and window keys are derived from the clock; an early clock
    // would produce ids redis refuses.
    if opts.now_ms < EARLIEST_CLOCK_MS {
        bail!(
            "the clock must be a Unix time in milliseconds, not {}",
            opts.now_ms
        );
    }
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut w = Writer::new(conn.clone(), opts.keys, &mut progress);
    fixtures::write(&mut w, &mut rng, opts.now_ms).await?;
    for (family, count) in bulk::plan(opts.keys - fixtures::COUNT) {
        bulk::write(&mut w, &mut rng, family, count, opts.now_ms).await?;
    }
    let (keys, commands, families) = w.finish().await?;
    Ok(SeedReport {
        keys,
        commands,
        families,
        elapsed: started.elapsed(),
    })
}
