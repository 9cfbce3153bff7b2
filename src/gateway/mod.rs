//! STUB: `serve`, an Upstash-compatible REST gateway in front of redis-server.

use std::net::SocketAddr;

/// Settings for one gateway.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    pub redis_url: String,
    pub listen: SocketAddr,
    pub token: String,
    pub read_only_token: Option<String>,
    pub max_body_bytes: usize,
}

/// A running gateway; stops when [`Gateway::shutdown`] is awaited or it is dropped.
pub struct Gateway {
    addr: SocketAddr,
}

impl Gateway {
    /// Binds the listener and serves in a background task.
    pub async fn start(_cfg: GatewayConfig) -> anyhow::Result<Gateway> {
        todo!()
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
    pub async fn shutdown(self) {}
}
