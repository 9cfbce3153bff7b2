//! `upstash-tui analyze`: what the database holds, where the memory goes and
//! what will expire, within a command budget; the cost said first.

mod json;
mod text;

use std::io::{self, IsTerminal as _, Write as _};
use std::process::ExitCode;

use crate::analyze::{self, Estimate, Options, PRICE_PER_100K_USD, Progress};
use crate::upstash::Client;
use crate::value::human;

/// Arguments of `upstash-tui analyze`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Only keys matching this glob (SCAN ... MATCH).
    #[arg(long = "match", value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// The most commands to send, SCAN pages included; below an exact run's
    /// cost the analysis reads the first keys SCAN returns and scales the
    /// per-prefix figures to the whole.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub budget: Option<u64>,
    /// Levels of key prefixes to count (`cache` is 1, `cache:doc` 2).
    #[arg(long, value_name = "D", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=16))]
    pub depth: u64,
    /// Keys in each top list.
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub top: u64,
    /// Print one JSON object instead of the tables.
    #[arg(long)]
    pub json: bool,
    /// The key tree's separator, from the settings.
    #[arg(skip = String::from(":"))]
    pub delimiter: String,
}

/// Runs `upstash-tui analyze` on an already configured client.
pub async fn run(client: Client, args: Args) -> anyhow::Result<ExitCode> {
    // DBSIZE for the estimate, DBSIZE and INFO, one SCAN and one key's reads.
    let least = 1 + analyze::FIXED + 1 + analyze::PER_KEY;
    if let Some(b) = args.budget.filter(|b| *b < least) {
        anyhow::bail!("a budget of {b} commands cannot read a single key: give at least {least}");
    }
    let opts = Options {
        pattern: args.pattern.clone().map(String::into_bytes),
        delimiter: args.delimiter.clone().into_bytes(),
        depth: args.depth as usize,
        top: args.top as usize,
        // The estimate's DBSIZE counts toward the budget too.
        budget: args.budget.map(|b| b.saturating_sub(1)),
        ..Options::default()
    };
    let mut estimate = analyze::estimate(&client, &opts).await?;
    estimate.commands += 1;
    estimate.requests += 1;
    estimate.price_usd = analyze::PRICE_PER_100K_USD * estimate.commands as f64 / 100_000.0;
    eprintln!("{}", estimate_line(&estimate, &opts));
    let tty = io::stderr().is_terminal();
    if tty {
        eprintln!("Ctrl-C stops and prints what was read");
    }
    let (stop, _guard) = super::cancel_on_ctrl_c();
    let report = analyze::run(&client, &opts, &stop, |p| {
        if tty {
            show_progress(&p);
        }
    })
    .await;
    if tty {
        eprint!("\r\x1b[2K");
    }
    let report = report?;
    if !report.complete {
        eprintln!("stopped: the report covers the keys read so far");
    }
    // A stopped run still prints what it read, and says so in its status.
    let status = if report.complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(130)
    };
    let out = if args.json {
        json::report(&report).to_string() + "\n"
    } else {
        text::report(&report, &opts)
    };
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(status),
    }
}

/// The cost of the run, said before it starts.
pub fn estimate_line(e: &Estimate, opts: &Options) -> String {
    let what = if e.sampled {
        format!(
            "a sample of about {} keys (the budget of {} commands is below an exact run's cost)",
            human::count(e.keys),
            human::count(opts.budget.map_or(0, |b| b + 1))
        )
    } else {
        format!("{} keys", human::count(e.keys))
    };
    let upper = if opts.pattern.is_some() {
        " at most (every key may match)"
    } else {
        ""
    };
    format!(
        "estimate: {what}: about {} commands (this DBSIZE included) in {} requests{upper}, ${:.4} at ${PRICE_PER_100K_USD:.2} per 100 000 commands",
        human::count(e.commands),
        human::count(e.requests),
        e.price_usd
    )
}

fn show_progress(p: &Progress) {
    let secs = p.elapsed.as_secs_f64().max(0.001);
    eprint!(
        "\r\x1b[2K{} keys, {} commands, {} requests, {} keys/s",
        human::count(p.keys),
        human::count(p.commands),
        human::count(p.requests),
        human::count((p.keys as f64 / secs) as u64)
    );
    let _ = io::stderr().flush();
}
