//! The database as a whole, UI-free: keys, memory, types and TTLs per
//! prefix of the key tree, the biggest keys, the TTL spread and what will
//! expire, within a command budget (every command is billed on Upstash).
//!
//! [`estimate`] says what a run will cost before it starts; [`run`] streams
//! SCAN pages and one pipeline of per-key reads per page, aggregating as it
//! goes, so memory is bounded by the prefixes and the top lists, not by the
//! number of keys. It reports [`Progress`] and stops at the token, keeping
//! the partial [`Report`].

mod aggregate;
mod estimate;
mod read;
mod sample;

use std::time::Duration;

pub use aggregate::{OTHER, PREFIX_CAP, prefixes};
pub use estimate::{FIXED, PER_KEY};

use crate::value::Kind;

/// What to analyse and how much it may spend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Only keys matching this glob (SCAN's MATCH); all keys when `None`.
    pub pattern: Option<Vec<u8>>,
    /// The key tree's separator, as in the Keys pane (`:`).
    pub delimiter: Vec<u8>,
    /// How many levels of prefixes are counted (`cache` is 1, `cache:doc` 2).
    pub depth: usize,
    /// How many keys each top list keeps.
    pub top: usize,
    /// The most commands a run may send, SCAN pages included; `None` for
    /// an exact run over every key.
    pub budget: Option<u64>,
    /// Keys asked of each SCAN page (COUNT), and so per pipeline of reads.
    pub page: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            pattern: None,
            delimiter: b":".to_vec(),
            depth: 2,
            top: 20,
            budget: None,
            page: 1000,
        }
    }
}

/// Spread of TTLs: keys that expire within a minute, an hour, a day,
/// later, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TtlSpread {
    pub minute: u64,
    pub hour: u64,
    pub day: u64,
    pub later: u64,
    pub never: u64,
}

/// What one prefix holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixStats {
    /// The prefix, without its trailing delimiter (`cache:doc`).
    pub prefix: Vec<u8>,
    /// Its level in the tree (1 for `cache`).
    pub depth: usize,
    pub keys: u64,
    /// Memory of its keys (measured or estimated, see [`Report::memory`]).
    pub bytes: u64,
    /// Keys without a TTL.
    pub no_ttl: u64,
    /// Keys per type, in [`Kind`]'s order.
    pub types: Vec<(Kind, u64)>,
    pub ttl: TtlSpread,
    /// Its biggest key and that key's bytes.
    pub biggest: Option<(Vec<u8>, u64)>,
}

/// One key of a top list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopKey {
    pub key: Vec<u8>,
    pub kind: Kind,
    pub bytes: u64,
    /// Elements (or bytes for a string), where the type has a length.
    pub len: Option<u64>,
    /// Milliseconds to expiry; `None` when the key never expires.
    pub ttl_ms: Option<u64>,
}

/// Keys and bytes that expire within the next hour and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forecast {
    pub hour_keys: u64,
    pub hour_bytes: u64,
    pub day_keys: u64,
    pub day_bytes: u64,
}

/// Where the byte counts come from, never mixed within one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Memory {
    /// `MEMORY USAGE key SAMPLES 0`.
    Measured,
    /// The server refused MEMORY USAGE: lengths (STRLEN, HLEN…) turned into
    /// an estimate, said so wherever bytes are shown.
    Estimated,
}

/// How a sampled run chose its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Keys read.
    pub size: u64,
    /// In words, for the report: "the first 12 000 keys of SCAN's order".
    pub method: String,
}

/// What a run found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Keys analysed.
    pub keys: u64,
    /// DBSIZE when the run started.
    pub dbsize: u64,
    /// Commands and HTTP requests sent.
    pub commands: u64,
    pub requests: u64,
    /// Set when the run sampled rather than read every key; per-prefix
    /// figures are then extrapolated to the whole.
    pub sampled: Option<Sample>,
    pub memory: Memory,
    /// `used_memory` from INFO, where the server gives it.
    pub used_memory: Option<u64>,
    /// Bytes of the keys seen.
    pub bytes: u64,
    /// Every prefix down to the asked depth, biggest first.
    pub prefixes: Vec<PrefixStats>,
    /// The biggest keys by memory, biggest first.
    pub top: Vec<TopKey>,
    /// The longest keys of each type by elements, longest first.
    pub top_len: Vec<TopKey>,
    /// The biggest keys that never expire, biggest first.
    pub no_ttl: Vec<TopKey>,
    pub ttl: TtlSpread,
    pub forecast: Forecast,
    /// False when the run was stopped (the figures are what was seen).
    pub complete: bool,
    pub elapsed: Duration,
}

/// How a run is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub keys: u64,
    pub commands: u64,
    pub requests: u64,
    pub elapsed: Duration,
}

/// What a run will cost, said before it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Keys it will read (all, or the sample).
    pub keys: u64,
    pub commands: u64,
    pub requests: u64,
    /// Whether it samples (a budget below an exact run's cost).
    pub sampled: bool,
    /// At Upstash's pay-as-you-go price per 100 000 commands.
    pub price_usd: f64,
}

/// Upstash's pay-as-you-go price, in US dollars per 100 000 commands
/// (<https://upstash.com/pricing/redis>).
pub const PRICE_PER_100K_USD: f64 = 0.2;

/// What a run of `opts` will cost on a database of `dbsize` keys.
pub fn estimate_for(dbsize: u64, opts: &Options) -> Estimate {
    estimate::estimate_for(dbsize, opts)
}

/// What a run of `opts` will cost: one DBSIZE, then [`estimate_for`].
pub async fn estimate(
    client: &crate::upstash::Client,
    opts: &Options,
) -> Result<Estimate, crate::upstash::Error> {
    let dbsize = client.command(&["DBSIZE"]).await?;
    let dbsize = dbsize
        .as_int()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| crate::upstash::Error::Other("unexpected reply: DBSIZE".into()))?;
    Ok(estimate_for(dbsize, opts))
}

/// Runs the analysis: SCAN pages and one pipeline of reads per page,
/// never more commands than `opts.budget`; `progress` after each page; at
/// `stop`, the partial report (`complete: false`).
pub async fn run(
    client: &crate::upstash::Client,
    opts: &Options,
    stop: &tokio_util::sync::CancellationToken,
    progress: impl FnMut(Progress),
) -> Result<Report, crate::upstash::Error> {
    read::run(client, opts, stop, progress).await
}
