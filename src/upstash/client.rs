//! The shared Upstash REST client: one HTTP connection pool, the token, the
//! latest read-your-writes sync token, retries for reads, and telemetry.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};

use super::encode::{self, Encoded};
use super::endpoint::Endpoint;
use super::read_only::is_read_only_command;
use super::response;
use super::retry::RetryPolicy;
use super::telemetry::{Access, Outcome, RequestKind, Sample, summarize_names};
use super::{Error, Reply, Telemetry};

/// The read-your-writes header, sent back as received
/// (<https://upstash.com/docs/redis/howto/readyourwrites>).
const SYNC_TOKEN: &str = "upstash-sync-token";
/// Asks for base64 strings in replies, so values come back byte-exact.
const ENCODING: &str = "upstash-encoding";
/// How long an idle connection stays in the pool.
const POOL_IDLE: Duration = Duration::from_secs(90);

/// One command: the name followed by its arguments, as bytes.
pub type Cmd = Vec<Vec<u8>>;

/// Builds a [`Cmd`] from anything byte-like: `cmd(["SET", "k", "v"])`.
pub fn cmd<I, A>(parts: I) -> Cmd
where
    I: IntoIterator<Item = A>,
    A: AsRef<[u8]>,
{
    parts.into_iter().map(|p| p.as_ref().to_vec()).collect()
}

/// Connection settings for [`Client::new`].
#[derive(Clone)]
pub struct ClientConfig {
    /// The REST URL, e.g. `https://name.upstash.io` (a trailing `/` is ignored).
    pub url: String,
    /// The REST token, sent only in the `Authorization` header.
    pub token: String,
    /// How long establishing a connection (TCP and TLS) may take.
    pub connect_timeout: Duration,
    /// How long a request may take, reply and any retries included.
    pub request_timeout: Duration,
    /// Allows plain `http://` to hosts other than loopback.
    pub allow_insecure_http: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("token", &"[hidden]")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

/// A cheap-to-clone handle over one HTTP client that every part shares.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    retry: RetryPolicy,
    telemetry: Telemetry,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Endpoint,
    auth: HeaderValue,
    /// Kept only to scrub it from error texts.
    token: String,
    /// The longest a request waits, retries included.
    request_timeout: Duration,
    sync_token: Mutex<Option<HeaderValue>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("host", &self.inner.endpoint.host)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// What one request carries, for sending, retrying and telemetry.
struct Request {
    kind: RequestKind,
    access: Access,
    commands: usize,
    names: String,
    path: String,
    body: Bytes,
    raw: bool,
}

impl Client {
    /// Builds a client; refuses bad URLs and plain HTTP to non-loopback hosts
    /// unless `allow_insecure_http`.
    pub fn new(cfg: ClientConfig) -> Result<Client, Error> {
        let endpoint = Endpoint::parse(&cfg.url, cfg.allow_insecure_http)?;
        if cfg.token.trim().is_empty() {
            return Err(Error::Input("the token is empty".into()));
        }
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", cfg.token.trim())).map_err(|_| {
                Error::Input("the token holds characters that cannot go in an HTTP header".into())
            })?;
        auth.set_sensitive(true);
        // One pool for every request of the program. Connections are kept
        // alive while idle for longer than any probe interval (the frugal
        // 30 s included), so an idle TUI keeps its connection; TLS offers
        // h2 then http/1.1 by ALPN, so HTTP/2 is taken when the server
        // offers it and requests in flight share one connection.
        let http = reqwest::Client::builder()
            .pool_idle_timeout(POOL_IDLE)
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.request_timeout)
            .user_agent(concat!("upstash-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::Input(format!(
                    "cannot set up HTTP: {}",
                    response::transport(&e, "")
                ))
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                auth,
                token: cfg.token.trim().to_string(),
                request_timeout: cfg.request_timeout,
                sync_token: Mutex::new(None),
            }),
            retry: RetryPolicy::default(),
            telemetry: Telemetry::default(),
        })
    }

    /// The same client with another retry policy for reads.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Client {
        self.retry = retry;
        self
    }

    /// Runs one command. Redis' error reply becomes `Err`.
    pub async fn command<A: AsRef<[u8]>>(&self, args: &[A]) -> Result<Reply, Error> {
        let Encoded { path, body, raw } = encode::single(args)?;
        let req = Request {
            kind: RequestKind::Single,
            access: access(is_read_only_command(args)),
            commands: 1,
            names: summarize_names(args.first().map(AsRef::as_ref)),
            path,
            body: body.into(),
            raw,
        };
        let token = &self.inner.token;
        self.run(req, |status, body| response::single(status, body, token))
            .await
    }

    /// Runs commands in one `/pipeline` request (not atomic); each command's
    /// error stays in the list as [`Reply::Error`].
    pub async fn pipeline(&self, cmds: &[Cmd]) -> Result<Vec<Reply>, Error> {
        self.batch(cmds, RequestKind::Pipeline, "/pipeline").await
    }

    /// Runs commands atomically in one `/multi-exec` request; run-time errors
    /// stay in the list, a discarded transaction is an `Err`.
    pub async fn transaction(&self, cmds: &[Cmd]) -> Result<Vec<Reply>, Error> {
        self.batch(cmds, RequestKind::Transaction, "/multi-exec")
            .await
    }

    async fn batch(
        &self,
        cmds: &[Cmd],
        kind: RequestKind,
        path: &str,
    ) -> Result<Vec<Reply>, Error> {
        if cmds.is_empty() {
            return Ok(Vec::new());
        }
        let body = encode::batch(cmds)?;
        // A transaction is one unit: it counts as a read only if all its parts are.
        let reads = cmds.iter().all(|c| is_read_only_command(c));
        let req = Request {
            kind,
            access: access(reads),
            commands: cmds.len(),
            names: summarize_names(cmds.iter().filter_map(|c| c.first().map(Vec::as_slice))),
            path: path.to_string(),
            body: body.into(),
            raw: false,
        };
        let (n, token) = (cmds.len(), &self.inner.token);
        self.run(req, |status, body| response::batch(status, body, n, token))
            .await
    }

    /// The shared request telemetry.
    pub fn telemetry(&self) -> &Telemetry {
        &self.telemetry
    }

    /// The endpoint's host (and port), for display; never the token.
    pub fn host(&self) -> &str {
        &self.inner.endpoint.host
    }

    /// The longest a request waits for its reply, retries included.
    pub fn request_timeout(&self) -> Duration {
        self.inner.request_timeout
    }

    /// The latest `upstash-sync-token` the server sent, if any.
    pub fn sync_token(&self) -> Option<String> {
        self.sync_lock()
            .as_ref()
            .and_then(|v| v.to_str().ok().map(str::to_string))
    }

    /// Sends `req`, retrying reads on transport failures and 5xx replies
    /// while the request timeout lasts: the caller waits one timeout in all,
    /// not one per attempt (a stopped server would otherwise hold a read for
    /// three timeouts).
    async fn run<T>(
        &self,
        req: Request,
        parse: impl Fn(u16, &[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let tries = match req.access {
            Access::Read => self.retry.tries.max(1),
            Access::Write => 1,
        };
        let timeout = self.inner.request_timeout;
        let deadline = Instant::now() + timeout;
        let mut attempt = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let result = self.attempt(&req, left, &parse).await;
            attempt += 1;
            match result {
                Err(e) if e.is_retryable() && attempt < tries => {
                    let delay = self.retry.delay(attempt - 1);
                    // A retry with almost no time left would only turn a
                    // clear failure into a timeout.
                    let after = Instant::now() + delay;
                    if deadline.saturating_duration_since(after) < timeout / 4 {
                        return Err(e);
                    }
                    tracing::debug!(names = %req.names, attempt, ?delay, error = %e, "retrying a read");
                    tokio::time::sleep(delay).await;
                }
                other => return other,
            }
        }
    }

    /// One HTTP request: send, read, remember the sync token, record telemetry.
    async fn attempt<T>(
        &self,
        req: &Request,
        timeout: Duration,
        parse: &impl Fn(u16, &[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let started = Instant::now();
        let (received, version, result) = match self.send(req, timeout).await {
            Ok((status, version, body)) => (body.len() as u64, Some(version), parse(status, &body)),
            Err(e) => (0, None, Err(e)),
        };
        let rtt = started.elapsed();
        let outcome = match &result {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Err(e.kind()),
        };
        tracing::debug!(
            kind = ?req.kind,
            commands = req.commands,
            names = %req.names,
            rtt_us = rtt.as_micros() as u64,
            sent = req.body.len(),
            received,
            ?version,
            ?outcome,
            "request"
        );
        self.telemetry.record(Sample {
            rtt,
            commands: req.commands,
            bytes_sent: req.body.len() as u64,
            bytes_received: received,
            kind: req.kind,
            access: req.access,
            outcome,
            error: result.as_ref().err().map(ToString::to_string),
            names: req.names.clone(),
        });
        result
    }

    /// The HTTP request for `req`, with auth, encoding and sync-token headers.
    fn build(&self, req: &Request) -> reqwest::RequestBuilder {
        let content_type = if req.raw {
            "application/octet-stream"
        } else {
            "application/json"
        };
        let builder = self
            .inner
            .http
            .post(self.inner.endpoint.url(&req.path))
            .header(AUTHORIZATION, self.inner.auth.clone())
            .header(CONTENT_TYPE, content_type)
            .header(ENCODING, "base64")
            .body(req.body.clone());
        match self.sync_lock().clone() {
            Some(sync) => builder.header(SYNC_TOKEN, sync),
            None => builder,
        }
    }

    async fn send(
        &self,
        req: &Request,
        timeout: Duration,
    ) -> Result<(u16, reqwest::Version, Bytes), Error> {
        let builder = self.build(req).timeout(timeout);
        let token = &self.inner.token;
        let resp = builder
            .send()
            .await
            .map_err(|e| response::transport(&e, token))?;
        let (status, version) = (resp.status().as_u16(), resp.version());
        if let Some(v) = resp.headers().get(SYNC_TOKEN)
            && !v.is_empty()
        {
            *self.sync_lock() = Some(v.clone());
        }
        let body = resp
            .bytes()
            .await
            .map_err(|e| response::transport(&e, token))?;
        Ok((status, version, body))
    }

    fn sync_lock(&self) -> std::sync::MutexGuard<'_, Option<HeaderValue>> {
        // Held only to copy one header value; a poisoned lock still holds a valid one.
        self.inner
            .sync_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

fn access(read_only: bool) -> Access {
    if read_only {
        Access::Read
    } else {
        Access::Write
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
