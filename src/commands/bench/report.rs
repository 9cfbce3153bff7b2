//! The benchmark's results as a table for people or one JSON object for scripts.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Outcome;
use crate::upstash::Error;

/// What the run was, for the header line and the JSON object.
pub struct Header<'a> {
    pub host: &'a str,
    pub clients: u64,
    pub data_size: u64,
    pub pipeline: u64,
    pub prefix: &'a str,
    pub read_only: bool,
    pub interrupted: bool,
}

/// The latency columns, in microseconds: min, p50, p90, p99, max.
fn latency(o: &Outcome) -> Option<[u64; 5]> {
    let h = &o.latency;
    (!h.is_empty()).then(|| {
        [
            h.min(),
            h.value_at_quantile(0.5),
            h.value_at_quantile(0.9),
            h.value_at_quantile(0.99),
            h.max(),
        ]
    })
}

/// Requests and commands per second over the test's wall-clock time.
fn rates(o: &Outcome) -> (f64, f64) {
    let secs = o.elapsed.as_secs_f64();
    if secs <= 0.0 {
        return (0.0, 0.0);
    }
    let per_sec = o.ok as f64 / secs;
    (per_sec, per_sec * o.commands_per_request as f64)
}

/// The table: one row per test, latencies in milliseconds.
pub fn table(header: &Header<'_>, outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} · {} clients · {}-byte values · pipelines of {}{}{}",
        header.host,
        header.clients,
        header.data_size,
        header.pipeline,
        if header.read_only {
            " · read-only"
        } else {
            ""
        },
        if header.interrupted {
            " · interrupted"
        } else {
            ""
        },
    );
    let _ = writeln!(
        s,
        "{:<13}{:>9}{:>8}{:>11}{:>11}{:>9}{:>9}{:>9}{:>9}{:>9}",
        "test",
        "requests",
        "errors",
        "req/s",
        "cmd/s",
        "min ms",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms"
    );
    for o in outcomes {
        let (req, cmd) = rates(o);
        let cols = latency(o).map_or_else(
            || format!("{:>9}{:>9}{:>9}{:>9}{:>9}", "-", "-", "-", "-", "-"),
            |l| {
                l.iter()
                    .map(|us| format!("{:>9.3}", *us as f64 / 1000.0))
                    .collect()
            },
        );
        let _ = writeln!(
            s,
            "{:<13}{:>9}{:>8}{:>11.1}{:>11.1}{cols}",
            o.test.label(),
            o.ok + o.errors,
            o.errors,
            req,
            cmd
        );
    }
    s
}

/// The same figures as one JSON object; latencies in milliseconds.
pub fn json(
    header: &Header<'_>,
    outcomes: &[Outcome],
    cleanup: Option<&Result<i64, Error>>,
) -> Value {
    let tests: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            let (req, cmd) = rates(o);
            let ms = |us: u64| us as f64 / 1000.0;
            let latency = latency(o).map_or(Value::Null, |[min, p50, p90, p99, max]| {
                json!({"min": ms(min), "p50": ms(p50), "p90": ms(p90), "p99": ms(p99), "max": ms(max)})
            });
            json!({
                "test": o.test.label(),
                "requests": o.ok + o.errors,
                "errors": o.errors,
                "commands_per_request": o.commands_per_request,
                "seconds": o.elapsed.as_secs_f64(),
                "requests_per_second": req,
                "commands_per_second": cmd,
                "latency_ms": latency,
                "first_error": o.first_error.as_ref().map(ToString::to_string),
            })
        })
        .collect();
    let (removed, cleanup_error) = match cleanup {
        Some(Ok(n)) => (json!(n), Value::Null),
        Some(Err(e)) => (Value::Null, json!(e.to_string())),
        None => (json!(0), Value::Null),
    };
    json!({
        "host": header.host,
        "clients": header.clients,
        "data_size": header.data_size,
        "pipeline": header.pipeline,
        "prefix": header.prefix,
        "read_only": header.read_only,
        "interrupted": header.interrupted,
        "tests": tests,
        "removed_keys": removed,
        "cleanup_error": cleanup_error,
    })
}
