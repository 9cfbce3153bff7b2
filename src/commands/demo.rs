//! `upstash-tui demo`: a throwaway redis-server, the gateway in front of it,
//! realistic sample data and live traffic, browsed in the TUI. Everything it
//! starts is stopped when it returns, whichever way it returns.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use rand::Rng;

use crate::demo::{self, SeedOptions, Traffic, TrafficOptions};
use crate::gateway::{Gateway, GatewayConfig};
use crate::redis_server::{INSTALL_HINT, RedisServer};
use crate::upstash::{Client, ClientConfig};

/// Arguments of `upstash-tui demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// How many keys to create.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(demo::MIN_KEYS..=demo::MAX_KEYS))]
    pub keys: u64,
    /// Do not run the background producer and worker.
    #[arg(long)]
    pub no_traffic: bool,
    /// Random seed: the same seed gives the same sample data.
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    pub seed: u64,
}

/// What the demo hands to the interface that browses it.
pub struct Session {
    /// A client on the demo's gateway.
    pub client: Client,
    /// The throwaway redis-server, for direct access.
    pub redis_url: String,
}

/// Runs `upstash-tui demo`.
pub async fn run(args: Args) -> Result<ExitCode> {
    run_with(args, |s| {
        crate::tui::run(s.client, crate::tui::Options::default())
    })
    .await
}

/// Runs the demo with `ui` in place of the TUI: everything is set up before
/// `ui` is called and torn down after it returns, fails or is interrupted.
pub async fn run_with<F, Fut>(args: Args, ui: F) -> Result<ExitCode>
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let started = tokio::task::spawn_blocking(RedisServer::start)
        .await
        .context("starting redis-server")?;
    let mut redis = match started {
        Ok(r) => r,
        // RedisServer reports a missing binary with the install hint in it.
        Err(e) if e.to_string().contains(INSTALL_HINT) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e),
    };
    let outcome = tokio::select! {
        r = session(&redis, &args, ui) => r.map(|()| ExitCode::SUCCESS),
        _ = shutdown_signal() => {
            eprintln!("\ninterrupted: stopping the demo");
            // The shell's convention for a run ended by SIGINT.
            Ok(ExitCode::from(130))
        }
    };
    // The gateway and the traffic were stopped (or dropped) with `session`.
    redis.stop();
    outcome
}

/// Everything that runs on top of the redis-server.
async fn session<F, Fut>(redis: &RedisServer, args: &Args, ui: F) -> Result<()>
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let token = random_token();
    let gateway = Gateway::start(GatewayConfig {
        redis_url: redis.url(),
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: token.clone(),
        read_only_token: None,
        max_body_bytes: 10 * 1024 * 1024,
    })
    .await
    .context("starting the gateway")?;

    let conn = demo::connect(&redis.url()).await?;
    let opts = SeedOptions {
        keys: args.keys,
        seed: args.seed,
        ..SeedOptions::default()
    };
    let report = demo::seed_with_progress(&conn, &opts, progress_line()).await?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    eprintln!(
        "seeded {} keys in {:.1}s; redis-server on port {}, gateway on {}",
        report.keys,
        report.elapsed.as_secs_f64(),
        redis.port(),
        gateway.url()
    );
    drop(conn);

    let traffic = if args.no_traffic {
        None
    } else {
        let opts = TrafficOptions {
            seed: args.seed,
            ..TrafficOptions::default()
        };
        Some(Traffic::start_with(&redis.url(), opts).await?)
    };
    let client = Client::new(ClientConfig {
        url: gateway.url(),
        token,
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(30),
        allow_insecure_http: false,
    })
    .context("connecting to the gateway")?;

    let shown = ui(Session {
        client,
        redis_url: redis.url(),
    })
    .await;

    // Stop in reverse order; the first failure wins but every step runs.
    let stopped = match traffic {
        Some(t) => t.stop().await,
        None => Ok(()),
    };
    gateway.shutdown().await;
    shown.and(stopped)
}

/// A progress callback that redraws one line on stderr when it is a terminal.
fn progress_line() -> impl FnMut(u64, u64) {
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if tty {
            let pct = done * 100 / total.max(1);
            let mut err = std::io::stderr().lock();
            // A progress line that fails to print is not worth stopping for.
            let _ = write!(err, "\rseeding sample data: {done}/{total} keys ({pct}%)");
            let _ = err.flush();
        }
    }
}

/// A fresh random token for this run's gateway; never shown.
fn random_token() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    ctrl_c().await;
}

/// Resolves on Ctrl-C; never, if the handler cannot be installed (the demo
/// must not stop just because signals are unavailable).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
