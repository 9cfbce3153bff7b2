//! The test harness: a real `redis-server` on a free port (no persistence)
//! and the gateway in-process on a free port, torn down on drop.

pub mod big;
pub mod content;
pub mod driver;
pub mod headless;
pub mod http;
pub mod proxy;
pub mod tmux;
pub mod tui;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use upstash_tui::gateway::{Gateway, GatewayConfig};
use upstash_tui::redis_server::RedisServer;
use upstash_tui::upstash::{Client, ClientConfig};

/// The real binary, built for the tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_upstash-tui");

pub const TOKEN: &str = "test-token-5f1c9e0b7a";
pub const RO_TOKEN: &str = "test-ro-token-c4d2a8e6f3";

/// A redis-server plus a gateway in front of it.
pub struct Harness {
    pub redis: RedisServer,
    pub gateway: Option<Gateway>,
    pub url: String,
}

impl Harness {
    /// Starts both; panics with a clear message if `redis-server` is missing.
    pub async fn start() -> Harness {
        Self::start_with(|_| {}).await
    }

    /// Starts both, letting the caller adjust the gateway's settings.
    pub async fn start_with(adjust: impl FnOnce(&mut GatewayConfig)) -> Harness {
        Self::start_full(&[], adjust).await
    }

    /// Starts both, passing extra arguments to `redis-server` (for example
    /// `--rename-command DUMP ""` for a server that refuses DUMP).
    pub async fn start_with_server_args(args: &[&str]) -> Harness {
        Self::start_full(args, |_| {}).await
    }

    async fn start_full(args: &[&str], adjust: impl FnOnce(&mut GatewayConfig)) -> Harness {
        let redis = RedisServer::start_with_args(args).unwrap_or_else(|e| {
            panic!("the test harness needs redis-server: {e:#}");
        });
        let mut cfg = GatewayConfig {
            redis_url: redis.url(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: TOKEN.into(),
            read_only_token: Some(RO_TOKEN.into()),
            max_body_bytes: 10 * 1024 * 1024,
        };
        adjust(&mut cfg);
        let gateway = Gateway::start(cfg).await.expect("gateway starts");
        let url = gateway.url();
        Harness {
            redis,
            gateway: Some(gateway),
            url,
        }
    }

    /// A client on the gateway with the full-access token.
    pub fn client(&self) -> Client {
        self.client_with_token(TOKEN)
    }

    /// A client on the gateway with the given token.
    pub fn client_with_token(&self, token: &str) -> Client {
        client_at(&self.url, token, Duration::from_secs(10))
    }

    /// The keys matching `pattern`, read directly from redis-server.
    pub async fn keys_matching(&self, pattern: &str) -> Vec<String> {
        let mut c = self.redis_conn().await;
        redis::cmd("KEYS")
            .arg(pattern)
            .query_async(&mut c)
            .await
            .expect("KEYS")
    }

    /// How many keys redis-server holds.
    pub async fn dbsize(&self) -> i64 {
        let mut c = self.redis_conn().await;
        redis::cmd("DBSIZE")
            .query_async(&mut c)
            .await
            .expect("DBSIZE")
    }

    /// A direct RESP connection to the redis-server, bypassing the gateway.
    ///
    /// It has no response timeout: tests seed big values with long scripts,
    /// and a loaded machine must not turn that into a spurious failure.
    pub async fn redis_conn(&self) -> redis::aio::MultiplexedConnection {
        let config = redis::AsyncConnectionConfig::new().set_response_timeout(None);
        redis::Client::open(self.redis.url())
            .expect("redis url")
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .expect("direct redis connection")
    }
}

/// A client on `url` (the gateway, or a proxy in front of it) with `token`,
/// giving up on a request after `request_timeout`.
pub fn client_at(url: &str, token: &str, request_timeout: Duration) -> Client {
    Client::new(ClientConfig {
        url: url.into(),
        token: token.into(),
        connect_timeout: Duration::from_secs(2),
        request_timeout,
        allow_insecure_http: false,
    })
    .expect("client builds")
}

/// Runs `upstash-tui scan` on `url` with the full-access token and `args`,
/// without blocking the runtime that serves the gateway; its output.
pub async fn scan_cli(url: &str, args: &[&str]) -> Vec<u8> {
    let out = tokio::process::Command::new(BIN)
        .args(["scan", "--url", url, "--token", TOKEN])
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .await
        .expect("run upstash-tui scan");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Polls `check` until it returns true or `limit` passes; returns whether it held.
pub async fn wait_until<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What a run of the binary printed: its standard output, then its errors.
pub fn printed(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the test `name` of `module` (its `module_path!()`) alone in a child
/// run of this test program, with `env` set, for a test that changes what
/// belongs to its process (a signal, the panic hook); the child's output.
pub fn run_alone(module: &str, name: &str, env: &[(&str, &str)]) -> std::process::Output {
    // Test names leave out the crate: `it::tui_panic` runs as `tui_panic::...`.
    let module = module.split_once("::").map_or("", |(_, m)| m);
    let test = format!("{module}::{name}");
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args(["--exact", &test, "--nocapture", "--test-threads", "1"])
        .envs(env.iter().copied())
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "the child runs {test} alone: {stdout}"
    );
    out
}
