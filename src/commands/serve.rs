//! `upstash-tui serve`: runs the Upstash-compatible gateway in the
//! foreground until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::gateway::{DEFAULT_MAX_BODY_BYTES, Gateway, GatewayConfig};

/// Arguments of `upstash-tui serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The redis-server to serve, as a redis:// URL.
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8079")]
    pub listen: SocketAddr,
    /// The token clients must send; a random one is made when absent.
    #[arg(long, env = "UPSTASH_LOCAL_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A second token that may only run read commands.
    #[arg(long, hide_env_values = true)]
    pub read_only_token: Option<String>,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
}

/// Runs `upstash-tui serve`.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let token = match args.token.filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => random_token(),
    };
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines can reach; requests and the token travel over plain HTTP",
            args.listen
        );
    }
    // Installed before serving, so a SIGTERM that arrives as soon as the
    // port answers already stops the gateway gracefully.
    let stop = stop_signal()?;
    let gateway = Gateway::start(GatewayConfig {
        redis_url: args.redis_url.clone(),
        listen: args.listen,
        token: token.clone(),
        read_only_token: args.read_only_token.clone(),
        max_body_bytes: args.max_body_bytes,
    })
    .await?;
    println!(
        "Serving the Upstash REST API on {} for {}",
        gateway.url(),
        without_password(&args.redis_url)
    );
    if let Err(e) = redis_answers(&args.redis_url).await {
        eprintln!(
            "warning: redis-server does not answer yet ({e}); requests get a 503 error until it does"
        );
    }
    if args.read_only_token.is_some() {
        println!("A read-only token is accepted as well.");
    }
    println!("Paste into .env:");
    println!("UPSTASH_REDIS_REST_URL={}", gateway.url());
    println!("UPSTASH_REDIS_REST_TOKEN={token}");
    println!("Stop with Ctrl-C.");
    stop.await?;
    eprintln!("Stopping: finishing requests in flight.");
    gateway.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// One PING, to warn early when redis-server is not there.
async fn redis_answers(url: &str) -> anyhow::Result<()> {
    let client = redis::Client::open(url)?;
    let cfg = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(std::time::Duration::from_secs(2)))
        .set_response_timeout(Some(std::time::Duration::from_secs(2)));
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&cfg)
        .await?;
    redis::cmd("PING").query_async::<()>(&mut conn).await?;
    Ok(())
}

/// 32 random bytes, URL-safe base64 (43 characters).
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The redis URL with any password replaced, for display.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "the given redis URL".into(),
    }
}

/// A future that completes on Ctrl-C or SIGTERM; the handlers are in place
/// when this returns.
fn stop_signal() -> anyhow::Result<impl Future<Output = anyhow::Result<()>>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    let ctrl_c = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            r = ctrl_c => r.context("listening for Ctrl-C")?,
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        ctrl_c.await.context("listening for Ctrl-C")?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_and_differ() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
    }

    #[test]
    fn passwords_are_hidden() {
        let shown = without_password("redis://:s3cret@localhost:6380/0");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("localhost:6380"));
    }
}
