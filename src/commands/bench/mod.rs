//! `upstash-tui bench`: measures the user's own endpoint the way
//! `redis-cli --latency` and `redis-benchmark` do: PING, SET, GET and
//! pipelined GETs from a few concurrent clients, with the latency
//! distribution (HDR histogram) and the throughput of each.
//!
//! It touches only its own keys, under `upstash-tui:bench:<random>:`, which
//! the SET test creates and GET reads, and removes them with UNLINK at the
//! end, also after an error or Ctrl-C. Every command counts toward the
//! user's Upstash quota, so the defaults are small and the total is printed
//! before anything is sent.

mod load;
mod report;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::upstash::{Client, Cmd, RetryPolicy};

pub use load::Outcome;

/// Keys one UNLINK names, and UNLINKs one cleanup request carries.
const UNLINK_KEYS: u64 = 100;
const UNLINKS_PER_REQUEST: u64 = 10;

/// One kind of request the benchmark sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Test {
    /// `PING`, one per request.
    Ping,
    /// `SET key value`, one per request (creates the benchmark's keys).
    Set,
    /// `GET key`, one per request.
    Get,
    /// `-P` GETs in one `/pipeline` request.
    Pipeline,
}

impl Test {
    /// Whether the test writes.
    pub fn writes(self) -> bool {
        self == Test::Set
    }

    /// The name shown in the table.
    pub fn label(self) -> &'static str {
        match self {
            Test::Ping => "PING",
            Test::Set => "SET",
            Test::Get => "GET",
            Test::Pipeline => "GET pipeline",
        }
    }
}

/// Arguments of `upstash-tui bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Requests per test (a pipeline request carries -P commands).
    #[arg(short = 'n', long, default_value_t = 1000, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub requests: u64,
    /// Requests in flight at once.
    #[arg(short = 'c', long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub clients: u64,
    /// Size of the values SET writes, in bytes.
    #[arg(short = 'd', long, default_value_t = 64, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(0..=1_048_576))]
    pub data_size: u64,
    /// Commands per request in the pipeline test (small by default: every
    /// command counts toward the database's quota).
    #[arg(short = 'P', long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub pipeline: u64,
    /// Distinct keys SET writes and GET reads.
    #[arg(short = 'r', long, default_value_t = 100, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub keyspace: u64,
    /// Tests to run, comma-separated; they always run in this order.
    #[arg(
        short = 't',
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "ping,set,get,pipeline",
        value_name = "TESTS"
    )]
    pub tests: Vec<Test>,
    /// Ends each test after this long even if -n requests were not sent.
    #[arg(long, value_name = "DURATION", value_parser = crate::parse::duration)]
    pub duration: Option<Duration>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Run only the reads (from `--read-only` or the profile).
    #[arg(skip)]
    pub read_only: bool,
}

impl Args {
    /// The tests to run, in order, without repeats and without writes in read-only mode.
    fn selected(&self) -> Vec<Test> {
        let mut tests = self.tests.clone();
        tests.sort();
        tests.dedup();
        tests.retain(|t| !(self.read_only && t.writes()));
        tests
    }

    /// The most commands and requests the run may send: the first PING,
    /// the tests and the cleanup.
    pub fn budget(&self) -> (u64, u64) {
        let tests = self.selected();
        let mut commands = 1;
        let mut requests = 1;
        for t in &tests {
            let per = if *t == Test::Pipeline {
                self.pipeline
            } else {
                1
            };
            commands += self.requests * per;
            requests += self.requests;
        }
        if tests.contains(&Test::Set) {
            let unlinks = self.keyspace.min(self.requests).div_ceil(UNLINK_KEYS);
            commands += unlinks;
            requests += unlinks.div_ceil(UNLINKS_PER_REQUEST);
        }
        (commands, requests)
    }
}

/// Runs `upstash-tui bench` on an already configured client: the table (or
/// JSON) on stdout, notes on stderr. Ctrl-C stops the tests and still
/// removes the keys. Exit code 1 when a request failed or a key could not
/// be removed.
pub async fn run(client: Client, args: Args) -> anyhow::Result<ExitCode> {
    let (stop, _ctrl_c) = super::cancel_on_ctrl_c();
    bench(
        client,
        args,
        stop,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    )
    .await
}

/// The benchmark behind [`run`], writing results to `out` and notes to `notes`.
pub async fn bench(
    client: Client,
    args: Args,
    stop: CancellationToken,
    out: &mut impl Write,
    notes: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    // A retried request would hide a failure and blur the latency figures.
    let client = client.with_retry(RetryPolicy::never());
    let mut args = args;
    if let Err(e) = client.command(&["PING"]).await {
        anyhow::bail!("{e}");
    }
    let prefix = format!("upstash-tui:bench:{:016x}:", rand::random::<u64>());
    let (commands, requests) = args.budget();
    writeln!(
        notes,
        "{}: up to {commands} commands in {requests} requests (each command counts toward the \
         Upstash quota); keys under {prefix}",
        client.host()
    )?;
    if args.read_only {
        writeln!(notes, "read-only mode: running only the reads")?;
    }
    let value = Arc::new(vec![b'x'; usize::try_from(args.data_size).unwrap_or(0)]);
    let mut outcomes = Vec::new();
    let mut wrote = false;
    for test in args.selected() {
        if stop.is_cancelled() || (args.read_only && test.writes()) {
            continue;
        }
        let plan = Arc::new(load::Plan {
            test,
            requests: args.requests,
            clients: args.clients,
            pipeline: args.pipeline,
            keyspace: args.keyspace,
            prefix: prefix.clone(),
            value: value.clone(),
            duration: args.duration,
        });
        let outcome = load::run(&client, plan, &stop).await;
        // A write that failed may still have landed, unless the token refused them all.
        let all_refused = outcome.refused && outcome.ok == 0 && outcome.errors == 0;
        wrote |= test.writes() && outcome.sent && !all_refused;
        if outcome.refused {
            writeln!(
                notes,
                "the token is read-only (NOPERM): {} skipped, running only the reads",
                test.label()
            )?;
            args.read_only = true;
            continue;
        }
        if let Some(e) = &outcome.first_error
            && matches!(
                e,
                crate::upstash::Error::Unauthorized | crate::upstash::Error::Limit { .. }
            )
        {
            // Nothing more can succeed with this token or quota.
            stop.cancel();
        }
        outcomes.push(outcome);
    }
    let cleanup = if wrote {
        Some(remove(&client, &prefix, args.keyspace.min(args.requests)).await)
    } else {
        None
    };
    let interrupted = stop.is_cancelled();
    let header = report::Header {
        host: client.host(),
        clients: args.clients,
        data_size: args.data_size,
        pipeline: args.pipeline,
        prefix: &prefix,
        read_only: args.read_only,
        interrupted,
    };
    if args.json {
        writeln!(
            out,
            "{}",
            report::json(&header, &outcomes, cleanup.as_ref())
        )?;
    } else {
        write!(out, "{}", report::table(&header, &outcomes))?;
    }
    out.flush()?;
    for o in &outcomes {
        if let Some(e) = &o.first_error {
            writeln!(notes, "{}: {} failed, first: {e}", o.test.label(), o.errors)?;
        }
    }
    let mut failed = outcomes.iter().any(|o| o.errors > 0);
    match &cleanup {
        Some(Ok(n)) => {
            let keys = if *n == 1 { "key" } else { "keys" };
            writeln!(notes, "removed {n} {keys} under {prefix}")?
        }
        Some(Err(e)) => {
            failed = true;
            writeln!(notes, "could not remove the keys under {prefix} ({e})")?;
        }
        None => {}
    }
    if interrupted {
        writeln!(notes, "interrupted")?;
    }
    Ok(if failed || interrupted {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Removes the `keys` keys the SET test may have written, with UNLINK in
/// pipelined batches; returns how many existed.
async fn remove(client: &Client, prefix: &str, keys: u64) -> Result<i64, crate::upstash::Error> {
    let unlinks: Vec<Cmd> = (0..keys)
        .collect::<Vec<_>>()
        .chunks(UNLINK_KEYS as usize)
        .map(|chunk| {
            std::iter::once(b"UNLINK".to_vec())
                .chain(chunk.iter().map(|i| format!("{prefix}{i}").into_bytes()))
                .collect()
        })
        .collect();
    let mut removed = 0;
    for batch in unlinks.chunks(UNLINKS_PER_REQUEST as usize) {
        for reply in client.pipeline(batch).await? {
            match reply {
                crate::upstash::Reply::Int(n) => removed += n,
                crate::upstash::Reply::Error(e) => {
                    return Err(crate::upstash::Error::Command(e));
                }
                _ => {}
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn args(argv: &[&str]) -> Args {
        Cli::try_parse_from(std::iter::once("bench").chain(argv.iter().copied()))
            .unwrap()
            .args
    }

    #[test]
    fn the_defaults_are_small() {
        let a = args(&[]);
        assert_eq!(
            a.selected(),
            [Test::Ping, Test::Set, Test::Get, Test::Pipeline]
        );
        // 1 PING, 3 000 single commands, 10 000 pipelined GETs, one UNLINK.
        assert_eq!(a.budget(), (13_002, 4_002));
    }

    #[test]
    fn tests_run_in_order_once_and_read_only_drops_writes() {
        let mut a = args(&["-t", "get,set,get", "-n", "10", "-r", "250"]);
        assert_eq!(a.selected(), [Test::Set, Test::Get]);
        // 10 keys at most are written: one UNLINK.
        assert_eq!(a.budget(), (22, 22));
        a.read_only = true;
        assert_eq!(a.selected(), [Test::Get]);
        assert_eq!(a.budget(), (11, 11));
    }

    #[test]
    fn bad_values_are_refused() {
        for argv in [
            &["-n", "0"][..],
            &["-c", "0"],
            &["-t", "del"],
            &["--duration", "0s"],
        ] {
            let parsed = Cli::try_parse_from(std::iter::once("bench").chain(argv.iter().copied()));
            assert!(parsed.is_err(), "{argv:?}");
        }
    }
}
