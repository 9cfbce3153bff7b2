//! `serve`: an Upstash-compatible REST gateway in front of a real redis-server.
//!
//! Requests arrive as Upstash REST (JSON array bodies, `/pipeline`,
//! `/multi-exec`, the path form, SSE streams), are checked against the token
//! and the command policy, and run on redis-server over RESP2; replies go
//! back as Upstash JSON with its base64 rules (or raw RESP2 on request).
//!
//! Where Upstash's behaviour is not documented, these are the choices made
//! (each one is tested):
//! - Path form: split on literal `/`, then percent-decoded to raw bytes.
//!   Leading slashes are skipped and one trailing slash is ignored; empty
//!   segments in between are empty arguments. A non-empty body is the next
//!   argument. In the query `+` is a space and a key without `=` is one
//!   argument.
//! - JSON arguments: numbers keep their literal text, booleans become
//!   `true`/`false`; null, objects and nested arrays, an empty command,
//!   invalid JSON and non-array bodies are 400 with an `ERR ...` line.
//! - Other methods than GET, HEAD, POST and PUT: 405 with a JSON error.
//! - A discarded transaction (refused command, queue-time error): 400.
//! - redis-server unreachable: 503 with a JSON error.
//! - Read-only token: refused (NOPERM) are commands the server flags
//!   `write`, `may_replicate` or `admin`, scripts other than the `_RO`
//!   forms, KEYS, SCAN, PUBLISH and SPUBLISH, and MONITOR.
//! - `resp2` format: a pipeline's replies concatenated; a single command's
//!   error reply comes with status 400.
//! - SSE payloads with line breaks span several `data:` lines.

mod auth;
mod backend;
mod body;
mod convert;
mod error;
mod json;
mod policy;
mod raw;
mod request;
mod resp;
mod response;
mod server;
mod sse;
mod table;
mod withtype;

use std::net::SocketAddr;

use anyhow::{Context, bail};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Upstash's request size limit on the free and pay-as-you-go plans.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Settings for one gateway.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Where redis-server listens, as a `redis://` URL.
    pub redis_url: String,
    /// The address to bind (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The token that may run every command.
    pub token: String,
    /// A token that may run only read commands.
    pub read_only_token: Option<String>,
    /// Requests with a larger body are refused with Upstash's size error.
    pub max_body_bytes: usize,
}

/// A running gateway; stops when [`Gateway::shutdown`] is awaited or it is dropped.
pub struct Gateway {
    addr: SocketAddr,
    stop: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl Gateway {
    /// Binds the listener and serves in a background task.
    pub async fn start(cfg: GatewayConfig) -> anyhow::Result<Gateway> {
        if cfg.token.is_empty() {
            bail!("the gateway needs a non-empty token");
        }
        let backend = backend::Backend::new(&cfg.redis_url)?;
        let tokens = auth::Tokens::new(cfg.token.clone(), cfg.read_only_token.clone());
        let stop = CancellationToken::new();
        let app = server::router(server::Gate::new(
            backend,
            tokens,
            cfg.max_body_bytes,
            stop.clone(),
        ));
        let listener = tokio::net::TcpListener::bind(cfg.listen)
            .await
            .with_context(|| format!("binding {}", cfg.listen))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        let signal = stop.clone().cancelled_owned();
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await
            {
                tracing::error!("gateway stopped with an error: {e}");
            }
        });
        tracing::info!("gateway listening on http://{addr}");
        Ok(Gateway {
            addr,
            stop,
            task: Some(task),
        })
    }

    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and returns.
    pub async fn shutdown(mut self) {
        self.stop.cancel();
        if let Some(task) = self.task.take()
            && let Err(e) = task.await
        {
            tracing::error!("gateway task failed: {e}");
        }
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        // Graceful: the serving task finishes in-flight requests on its own.
        self.stop.cancel();
    }
}
