//! What the benchmarks that make requests share: a gateway in front of a
//! throwaway redis-server, and a client on it.
#![allow(dead_code)]

pub mod pane;

use std::net::SocketAddr;
use std::time::Duration;

use upstash_tui::gateway::{Gateway, GatewayConfig};
use upstash_tui::redis_server::RedisServer;
use upstash_tui::upstash::{Client, ClientConfig};

/// The full-access token of the benchmarks' gateway.
pub const TOKEN: &str = "bench-token";

/// Starts a gateway on a free loopback port in front of `redis`.
pub async fn gateway(redis: &RedisServer) -> anyhow::Result<Gateway> {
    Gateway::start(GatewayConfig {
        redis_url: redis.url(),
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: TOKEN.into(),
        read_only_token: None,
        max_body_bytes: 10 << 20,
    })
    .await
}

/// A client on `gateway` with the full-access token.
pub fn client(gateway: &Gateway) -> anyhow::Result<Client> {
    Ok(Client::new(ClientConfig {
        url: gateway.url(),
        token: TOKEN.into(),
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(15),
        allow_insecure_http: false,
    })?)
}
