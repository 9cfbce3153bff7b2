//! One test's load: `clients` tasks share a request counter and send until
//! the count, the time limit or a stop; each records its round trips in its
//! own histogram, merged at the end.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::Test;
use crate::upstash::{Client, Cmd, Error, Reply};

/// The histogram's ceiling: one hour, in microseconds.
const MAX_MICROS: u64 = 3_600_000_000;

/// What one test sends, and to which keys.
#[derive(Debug, Clone)]
pub struct Plan {
    pub test: Test,
    pub requests: u64,
    pub clients: u64,
    pub pipeline: u64,
    pub keyspace: u64,
    pub prefix: String,
    pub value: Arc<Vec<u8>>,
    /// Stops the test early, at most -n requests.
    pub duration: Option<Duration>,
}

impl Plan {
    fn key(&self, i: u64) -> Vec<u8> {
        format!("{}{}", self.prefix, i % self.keyspace).into_bytes()
    }

    /// The command(s) of request number `i`.
    fn commands(&self, i: u64) -> Vec<Cmd> {
        match self.test {
            Test::Ping => vec![vec![b"PING".to_vec()]],
            Test::Set => vec![vec![b"SET".to_vec(), self.key(i), self.value.to_vec()]],
            Test::Get => vec![vec![b"GET".to_vec(), self.key(i)]],
            Test::Pipeline => (0..self.pipeline)
                .map(|j| vec![b"GET".to_vec(), self.key(i * self.pipeline + j)])
                .collect(),
        }
    }
}

/// What one test measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub test: Test,
    /// Requests that got a reply without error.
    pub ok: u64,
    /// Requests that failed, or pipelines with at least one failed command.
    pub errors: u64,
    pub commands_per_request: u64,
    pub elapsed: Duration,
    /// Round trips of the requests that got a reply, in microseconds.
    pub latency: Histogram<u64>,
    /// The first error, one line.
    pub first_error: Option<Error>,
    /// The server refused the test's writes (NOPERM: a read-only token).
    pub refused: bool,
    /// Whether any request was sent (a write may have landed even if it failed).
    pub sent: bool,
}

/// One task's share of the counts.
struct Share {
    ok: u64,
    errors: u64,
    latency: Histogram<u64>,
    first_error: Option<Error>,
    refused: bool,
    sent: bool,
}

fn histogram() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("constant bounds are valid")
}

/// Runs one test; `stop` ends it early (Ctrl-C, a fatal error elsewhere).
pub async fn run(client: &Client, plan: Arc<Plan>, stop: &CancellationToken) -> Outcome {
    let next = Arc::new(AtomicU64::new(0));
    // Ends this test only: a refusal or a fatal error in one task stops the others.
    let done = stop.child_token();
    let started = Instant::now();
    let deadline = plan.duration.map(|d| started + d);
    let mut tasks = JoinSet::new();
    for _ in 0..plan.clients.min(plan.requests) {
        let (client, plan, next, done) = (client.clone(), plan.clone(), next.clone(), done.clone());
        tasks.spawn(async move { worker(&client, &plan, &next, &done, deadline).await });
    }
    let mut out = Outcome {
        test: plan.test,
        ok: 0,
        errors: 0,
        commands_per_request: plan.commands(0).len() as u64,
        elapsed: Duration::ZERO,
        latency: histogram(),
        first_error: None,
        refused: false,
        sent: false,
    };
    while let Some(joined) = tasks.join_next().await {
        let share = match joined {
            Ok(share) => share,
            Err(e) => {
                out.errors += 1;
                out.first_error
                    .get_or_insert(Error::Other(format!("a load task ended: {e}")));
                continue;
            }
        };
        out.ok += share.ok;
        out.errors += share.errors;
        out.refused |= share.refused;
        out.sent |= share.sent;
        if out.first_error.is_none() {
            out.first_error = share.first_error;
        }
        // Both histograms have the same bounds, so adding cannot fail.
        let _ = out.latency.add(&share.latency);
    }
    out.elapsed = started.elapsed();
    out
}

async fn worker(
    client: &Client,
    plan: &Plan,
    next: &AtomicU64,
    done: &CancellationToken,
    deadline: Option<Instant>,
) -> Share {
    let mut share = Share {
        ok: 0,
        errors: 0,
        latency: histogram(),
        first_error: None,
        refused: false,
        sent: false,
    };
    loop {
        if done.is_cancelled() || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= plan.requests {
            break;
        }
        let cmds = plan.commands(i);
        share.sent = true;
        let started = Instant::now();
        let result = if cmds.len() == 1 {
            client.command(&cmds[0]).await.map(|_| true)
        } else {
            client
                .pipeline(&cmds)
                .await
                .map(|replies| !replies.iter().any(|r| matches!(r, Reply::Error(_))))
        };
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(MAX_MICROS);
        match result {
            Ok(clean) => {
                share.latency.saturating_record(micros.clamp(1, MAX_MICROS));
                if clean {
                    share.ok += 1;
                } else {
                    share.errors += 1;
                    share
                        .first_error
                        .get_or_insert(Error::Command("a command in a pipeline failed".into()));
                }
            }
            Err(Error::NoPermission(_)) => {
                share.refused = true;
                done.cancel();
            }
            Err(e) => {
                share.errors += 1;
                // Nothing more can succeed: stop rather than spend requests on errors.
                if matches!(
                    e,
                    Error::Unauthorized | Error::Limit { .. } | Error::Connect(_)
                ) {
                    done.cancel();
                }
                share.first_error.get_or_insert(e);
            }
        }
    }
    share
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(test: Test) -> Plan {
        Plan {
            test,
            requests: 10,
            clients: 2,
            pipeline: 3,
            keyspace: 4,
            prefix: "p:".into(),
            value: Arc::new(b"xx".to_vec()),
            duration: None,
        }
    }

    #[test]
    fn requests_cycle_through_the_keyspace() {
        assert_eq!(plan(Test::Set).commands(5), [[&b"SET"[..], b"p:1", b"xx"]]);
        assert_eq!(plan(Test::Get).commands(3), [[&b"GET"[..], b"p:3"]]);
        assert_eq!(plan(Test::Ping).commands(7), [[&b"PING"[..]]]);
        let pipe = plan(Test::Pipeline).commands(1);
        assert_eq!(pipe.len(), 3);
        assert_eq!(pipe[2], [&b"GET"[..], b"p:1"]);
    }
}
