//! A Celery broker's keys written by the real library: `celery_broker.py`
//! runs a producer, an event receiver and a consumer that holds one message
//! unacknowledged, against the harness's redis-server. It needs Python with
//! Celery (`bash .ci/install-deps` installs the pinned versions) and says so
//! when they are missing.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::process::{Child, Command};

/// The Python that runs the fixture: `$UPSTASH_TUI_PYTHON`, else the
/// environment `.ci/install-deps` makes under `target/`, else `python3`.
fn python() -> String {
    let local = concat!(env!("CARGO_MANIFEST_DIR"), "/target/test-python/bin/python");
    std::env::var("UPSTASH_TUI_PYTHON").unwrap_or_else(|_| {
        if std::path::Path::new(local).exists() {
            local.into()
        } else {
            "python3".into()
        }
    })
}

/// The fixture's process; its consumer's connection (and so the unacked
/// message) lasts until it is dropped.
pub struct Broker {
    _child: Child,
}

/// Writes the broker's keys to the redis-server at `redis_url` and returns
/// once they are all there.
pub async fn write(redis_url: &str) -> Broker {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/celery_broker.py"
    );
    let missing = "this test needs Python 3 with celery 5.7.0 and redis 8.1.0 \
                   (bash .ci/install-deps installs them)";
    let mut child = Command::new(python())
        .arg(script)
        .arg(redis_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("{missing}: {} did not start: {e}", python()));
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let read = tokio::time::timeout(
        Duration::from_secs(60),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await;
    if !matches!(read, Ok(Ok(_))) || line.trim() != "ready" {
        let _ = child.start_kill();
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ =
                tokio::time::timeout(Duration::from_secs(5), stderr.read_to_string(&mut err)).await;
        }
        panic!("{missing}; the Celery fixture failed:\n{err}");
    }
    Broker { _child: child }
}
