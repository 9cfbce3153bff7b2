//! `upstash-tui watch KEY...`: samples watched keys through the monitor's
//! engine and prints one line per key and sample, for scripts.
//!
//! Plain lines are tab-separated: time (RFC 3339, UTC), key (control
//! characters and non-UTF-8 bytes escaped), type, length, net rate per
//! second (`-` until two samples exist). `--json` prints one JSON object per
//! line with the enqueue and dequeue rates where they can be known, the
//! time to drain, the stalled and alert marks and, for streams, the groups.

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context as _;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::monitor::queue::Queue;
use crate::monitor::{Engine, Settings, tick};
use crate::upstash::Client;
use crate::upstash::error::one_line;

/// Arguments of `upstash-tui watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Keys to watch: lists, sets, sorted sets, hashes or streams.
    #[arg(required = true, value_name = "KEY")]
    pub keys: Vec<String>,
    /// Time between samples, e.g. `500ms`, `1s`, `2m`.
    #[arg(long, default_value = "1s", value_parser = parse_interval)]
    pub interval: Duration,
    /// Stop after this many samples.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
    /// Print JSON lines instead of tab-separated text.
    #[arg(long)]
    pub json: bool,
    /// Mark a key whose length reaches this number.
    #[arg(long, value_name = "LENGTH")]
    pub threshold: Option<u64>,
}

/// A duration of at least 10ms, read like every other duration.
fn parse_interval(s: &str) -> Result<Duration, String> {
    let d = crate::parse::duration(s)?;
    if d < Duration::from_millis(10) {
        return Err("the interval must be at least 10ms".into());
    }
    Ok(d)
}

/// Runs `upstash-tui watch` on an already configured client. Exit code 1
/// when a sample could not be taken, 0 otherwise; Ctrl-C stops cleanly.
pub async fn run(client: Client, args: Args) -> anyhow::Result<ExitCode> {
    let (stop, _ctrl_c) = super::cancel_on_ctrl_c();
    watch(client, args, stop, &mut std::io::stdout()).await
}

/// The loop behind [`run`], writing to `out` until `stop` is cancelled or
/// `--count` samples were taken. Samples start at a fixed rate (one per
/// interval from the first, a late one sent at once); every sample prints
/// one line per key, whatever the key does meanwhile.
pub async fn watch(
    client: Client,
    args: Args,
    stop: CancellationToken,
    out: &mut (impl std::io::Write + Send),
) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        interval: args.interval,
        facts_every: 0,
        ..Settings::default()
    };
    let mut engine = Engine::new(settings, Instant::now());
    for key in &args.keys {
        engine.watch(key.as_bytes().to_vec(), args.threshold);
    }
    let mut printed: Vec<Option<Instant>> = vec![None; args.keys.len()];
    let (mut samples, mut failed) = (0u64, false);
    let mut due = tokio::time::Instant::now();
    loop {
        let report = tokio::select! {
            r = tick::run(&client, engine.plan()) => r,
            () = stop.cancelled() => break,
        };
        // Nothing answered at all: one clear error instead of a stream of them.
        if samples == 0
            && let Err(e) = &report.result
        {
            anyhow::bail!("{e}");
        }
        let now = Instant::now();
        engine.ingest(now, client.telemetry());
        engine.apply(now, report);
        samples += 1;
        let time = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        if engine.health().failures() > 0 {
            failed = true;
            eprintln!("{time}\terror: {}", engine.health().reason());
        } else {
            let lines = sample_lines(&engine, &mut printed, &time, args.json);
            if let Err(e) = lines.into_iter().try_for_each(|l| writeln!(out, "{l}")) {
                // A closed pipe (`watch ... | head`) ends the watch quietly.
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    break;
                }
                return Err(e).context("writing the samples");
            }
        }
        if let Err(e) = out.flush() {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(e).context("writing the samples");
        }
        if args.count.is_some_and(|n| samples >= n) {
            break;
        }
        // The next sample is one interval after this one was due (longer
        // only when the command budget asks for it), or now when late.
        due = (due + engine.next_delay().max(args.interval)).max(tokio::time::Instant::now());
        tokio::select! {
            () = tokio::time::sleep_until(due) => {}
            () = stop.cancelled() => break,
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One line per watched key for the sample just taken: its new reading, or
/// its type with no length (and the reason on stderr) when it has none.
fn sample_lines(
    engine: &Engine,
    printed: &mut [Option<Instant>],
    time: &str,
    json: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    for (q, seen) in engine.queues().iter().zip(printed.iter_mut()) {
        let fresh = q.last_at() != *seen && q.last_at().is_some();
        *seen = q.last_at();
        if !fresh && let Some(err) = q.error() {
            eprintln!("{time}\t{}\terror: {err}", key_text(q));
        }
        lines.push(match (json, fresh) {
            (true, true) => json_line(time, q),
            (false, true) => text_line(time, q),
            (true, false) => json_unread(time, q),
            (false, false) => format!("{time}\t{}\t{}\t-\t-", key_text(q), q.type_name()),
        });
    }
    lines
}

fn key_text(q: &Queue) -> String {
    one_line(q.key(), 200, "")
}

/// `time  key  type  length  rate` separated by tabs.
pub fn text_line(time: &str, q: &Queue) -> String {
    let length = q.last().map_or(0, |r| r.length);
    let rate = q
        .rates()
        .map_or_else(|| "-".to_string(), |r| format!("{:+.2}/s", r.net));
    format!(
        "{time}\t{}\t{}\t{length}\t{rate}",
        key_text(q),
        q.type_name()
    )
}

/// The JSON line of a key that gave no reading this time (a string, an error).
fn json_unread(time: &str, q: &Queue) -> String {
    json!({
        "time": time,
        "key": key_text(q),
        "type": q.type_name(),
        "length": null,
        "error": q.error(),
    })
    .to_string()
}

/// One JSON object with everything known about the key's newest sample.
pub fn json_line(time: &str, q: &Queue) -> String {
    let last = q.last();
    let rates = q.rates();
    let groups: Vec<_> = last
        .map(|r| r.groups.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|g| json!({"name": g.name, "pending": g.pending, "lag": g.lag}))
        .collect();
    json!({
        "time": time,
        "key": key_text(q),
        "type": q.type_name(),
        "length": last.map_or(0, |r| r.length),
        "depth": last.map_or(0, |r| r.depth()),
        "rate": rates.map(|r| r.net),
        "enqueue": rates.and_then(|r| r.enqueue),
        "dequeue": rates.and_then(|r| r.dequeue),
        "drain_seconds": q.drain_time().map(|d| d.as_secs_f64()),
        "stalled": q.stalled(),
        "alert": q.alert(),
        "groups": groups,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::queue::Rules;
    use crate::monitor::reading::Reading;

    fn queue(key: &[u8], lengths: &[u64]) -> Queue {
        let t0 = Instant::now();
        let mut q = Queue::new(key.to_vec(), Some(5), Rules::default());
        for (i, n) in lengths.iter().enumerate() {
            let r = Reading {
                length: *n,
                groups: Vec::new(),
            };
            q.push(t0 + Duration::from_secs(i as u64), r);
        }
        q
    }

    #[test]
    fn text_lines_are_tab_separated_with_escaped_keys() {
        let q = queue(b"a\tb\xff", &[10]);
        assert_eq!(text_line("T", &q), "T\ta\\tb\\xff\t?\t10\t-");
        let q = queue(b"jobs", &[10, 8, 6]);
        assert_eq!(text_line("T", &q), "T\tjobs\t?\t6\t-2.00/s");
    }

    #[test]
    fn json_lines_hold_rates_and_marks() {
        let q = queue(b"jobs", &[10, 8, 6]);
        let v: serde_json::Value = serde_json::from_str(&json_line("T", &q)).expect("JSON");
        assert_eq!(v["rate"], -2.0);
        assert_eq!(v["drain_seconds"], 3.0);
        assert_eq!(v["alert"], true);
        assert_eq!(v["enqueue"], serde_json::Value::Null);
    }

    #[test]
    fn intervals_parse_or_explain() {
        assert_eq!(parse_interval("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_interval("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_interval("soon").is_err_and(|e| e.contains("examples: 500ms")));
        assert_eq!(parse_interval("0s"), Err("must be more than zero".into()));
        assert!(parse_interval("1ms").is_err());
    }
}
