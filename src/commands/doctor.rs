//! `upstash-tui doctor`: a checklist of what works and what does not, with a
//! concrete hint for each failure.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::config::Settings;
use crate::redis_cli::{self, Mode};
use crate::upstash::{Client, Cmd, Error, Reply, cmd};

/// How many PINGs the latency figures are taken from.
const PINGS: usize = 10;

/// Arguments of `upstash-tui doctor`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `upstash-tui doctor` on an already configured client.
pub async fn run(client: Client, _args: Args) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    checks(&client, None, &mut report).await;
    report.finish()
}

/// Runs `upstash-tui doctor`: shows where the settings came from, builds the
/// client, then runs the checks.
pub async fn run_with(settings: Settings, _args: Args) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    report.line(format!(
        "URL    {}  (from {})",
        crate::upstash::endpoint::redacted(&settings.url, settings.token.expose()),
        settings.url_source
    ));
    report.line(format!(
        "token  {}  (from {})",
        settings.token.mask(),
        settings.token_source
    ));
    if let Some(profile) = &settings.profile {
        report.line(format!("profile {profile}"));
    }
    report.line(String::new());
    match Client::new(settings.client_config()) {
        Ok(client) => checks(&client, Some(&settings.url), &mut report).await,
        Err(e) => report.fail("client", &e.to_string(), hint(&e)),
    }
    report.finish()
}

/// Every check in order; later checks are skipped when the server cannot be
/// reached or the token is refused.
async fn checks(client: &Client, url: Option<&str>, report: &mut Report) {
    let transport = match url {
        Some(u) if u.starts_with("https://") => ", TLS ok",
        Some(_) => ", plain HTTP (no TLS)",
        None => "",
    };
    let started = Instant::now();
    match client.command(&["PING"]).await {
        Ok(_) => {
            let detail = format!("{} at {}{transport}", ms(started.elapsed()), client.host());
            report.pass("reachable", &detail);
            report.pass("authenticated", "the token is accepted");
        }
        Err(e) => {
            let reached = matches!(
                e,
                Error::Unauthorized
                    | Error::NoPermission(_)
                    | Error::Command(_)
                    | Error::Limit { .. }
            );
            if reached {
                report.pass("reachable", &ms(started.elapsed()));
                report.fail("authenticated", &e.to_string(), hint(&e));
            } else {
                report.fail("reachable", &e.to_string(), hint(&e));
            }
            report.skip("latency, round trip and permissions");
            return;
        }
    }
    latency(client, report).await;
    round_trip(client, report).await;
}

async fn latency(client: &Client, report: &mut Report) {
    let mut times = Vec::with_capacity(PINGS);
    for _ in 0..PINGS {
        let started = Instant::now();
        if let Err(e) = client.command(&["PING"]).await {
            report.fail("PING latency", &e.to_string(), hint(&e));
            return;
        }
        times.push(started.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    report.pass(
        "PING latency",
        &format!(
            "min {}  p50 {}  p99 {}  ({PINGS} requests)",
            ms(times[0]),
            ms(at(0.5)),
            ms(at(0.99))
        ),
    );
}

/// SET, GET, HSET, HGETALL, RPUSH, LRANGE, EXPIRE and DEL on keys under a
/// random prefix, deleted at the end whatever happened in between.
async fn round_trip(client: &Client, report: &mut Report) {
    let prefix = format!("upstash-tui:doctor:{:016x}:", rand::random::<u64>());
    let (s, h, l) = (
        format!("{prefix}string"),
        format!("{prefix}hash"),
        format!("{prefix}list"),
    );
    // Bytes that are not UTF-8 check that values travel exactly.
    let value: &[u8] = b"doctor \xff\x00\n\"";
    let steps: Vec<(&str, Cmd, Reply)> = vec![
        (
            "SET",
            cmd([b"SET", s.as_bytes(), value]),
            Reply::Status("OK".into()),
        ),
        ("GET", cmd(["GET", &s]), Reply::Bytes(value.to_vec())),
        (
            "HSET",
            cmd(["HSET", &h, "f1", "v1", "f2", "v2"]),
            Reply::Int(2),
        ),
        (
            "HGETALL",
            cmd(["HGETALL", &h]),
            bytes_array(&["f1", "v1", "f2", "v2"]),
        ),
        ("RPUSH", cmd(["RPUSH", &l, "a", "b", "c"]), Reply::Int(3)),
        (
            "LRANGE",
            cmd(["LRANGE", &l, "0", "-1"]),
            bytes_array(&["a", "b", "c"]),
        ),
        ("EXPIRE", cmd(["EXPIRE", &s, "60"]), Reply::Int(1)),
        ("DEL", cmd(["DEL", &s, &h, &l]), Reply::Int(3)),
    ];
    let mut deleted = false;
    for (i, (name, command, expected)) in steps.into_iter().enumerate() {
        let started = Instant::now();
        let result = client.command(&command).await;
        let took = started.elapsed();
        match result {
            Ok(reply) if same(&reply, &expected) => {
                deleted = name == "DEL";
                report.pass(name, &ms(took));
            }
            Ok(reply) => {
                let shown = redis_cli::format(&reply, Mode::Tty);
                let shown = String::from_utf8_lossy(&shown);
                report.fail(
                    name,
                    &format!("unexpected reply: {}", shown.trim().replace('\n', " ")),
                    "the server does not behave like Redis; check that the URL is an Upstash REST URL",
                );
                break;
            }
            Err(e) if i == 0 && matches!(e, Error::NoPermission(_)) => {
                report.warn(
                    "read-only token",
                    "writes are refused (NOPERM); reads work",
                    "use the standard token (not the read-only one) to write",
                );
                return;
            }
            Err(e) => {
                report.fail(name, &e.to_string(), hint(&e));
                break;
            }
        }
    }
    // A failed or timed-out write may still have been applied: clean up
    // whatever step stopped the round trip.
    if !deleted {
        match client.command(&["DEL", &s, &h, &l]).await {
            Ok(_) => report.pass("cleanup", &format!("removed {prefix}*")),
            Err(e) => report.fail(
                "cleanup",
                &e.to_string(),
                "delete the keys under that prefix by hand",
            ),
        }
    } else {
        report.pass("write access", "the token can write");
    }
}

fn bytes_array(items: &[&str]) -> Reply {
    Reply::Array(
        items
            .iter()
            .map(|i| Reply::Bytes(i.as_bytes().to_vec()))
            .collect(),
    )
}

/// Compares replies, treating a status and a bulk string with the same bytes as equal.
fn same(a: &Reply, b: &Reply) -> bool {
    match (a, b) {
        (Reply::Array(x), Reply::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => match (a.as_bytes(), b.as_bytes()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// A concrete next step for an error.
fn hint(e: &Error) -> &'static str {
    match e {
        Error::Unauthorized => {
            "wrong token: copy UPSTASH_REDIS_REST_TOKEN from the database's REST API section in the Upstash console, for this same URL"
        }
        Error::NoPermission(_) => {
            "the token may not run this command: a read-only token refuses writes; use the standard token"
        }
        Error::Limit { hint, .. } => hint,
        Error::Timeout => {
            "no reply in time: check the network and firewall, or raise --timeout and --connect-timeout"
        }
        Error::Connect(text) if text.starts_with("DNS") => {
            "wrong URL: the host name does not resolve; copy UPSTASH_REDIS_REST_URL from the Upstash console"
        }
        Error::Connect(text) if text.starts_with("TLS") => {
            "TLS failed: use the https:// REST URL; behind an intercepting proxy, its certificate must be in the system's trust store"
        }
        Error::PlainHttp => {
            "wrong URL scheme: that host and port speak plain HTTP (a local gateway?); write the URL with http:// (https:// is for Upstash itself)"
        }
        Error::Connect(_) => {
            "wrong URL: nothing answers at that host and port; check UPSTASH_REDIS_REST_URL (for a local gateway, is `upstash-tui serve` running?)"
        }
        Error::Other(_) => {
            "an unexpected reply: run again with UPSTASH_TUI_LOG=debug and read the log"
        }
        Error::Http { .. } | Error::Protocol(_) => {
            "wrong URL: it does not answer like an Upstash REST endpoint; use the https:// REST URL, not the redis:// one"
        }
        Error::Command(_) => "Redis refused the command; the text above says why",
        Error::Input(_) => "check the URL: it must look like https://NAME.upstash.io",
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Prints the checklist as it goes and remembers whether anything failed.
#[derive(Default)]
struct Report {
    failed: bool,
}

impl Report {
    fn line(&mut self, text: String) {
        println!("{text}");
    }

    fn pass(&mut self, name: &str, detail: &str) {
        self.line(format!("✓ {name:<16} {detail}"));
    }

    fn fail(&mut self, name: &str, detail: &str, hint: &str) {
        self.failed = true;
        self.line(format!("✗ {name:<16} {detail}"));
        self.line(format!("  hint: {hint}"));
    }

    fn warn(&mut self, name: &str, detail: &str, hint: &str) {
        self.line(format!("! {name:<16} {detail}"));
        self.line(format!("  hint: {hint}"));
    }

    fn skip(&mut self, what: &str) {
        self.line(format!("- skipped: {what}"));
    }

    fn finish(self) -> anyhow::Result<ExitCode> {
        std::io::stdout().flush()?;
        Ok(if self.failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    }
}
