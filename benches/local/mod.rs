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

/// 1 000 000 keys shaped like those of `benches/keys.rs`, 100 000 per script.
pub fn seed_million(db: &mut redis::Connection) -> anyhow::Result<()> {
    let script = "for i=tonumber(ARGV[1]),tonumber(ARGV[2]) do
        local m = i % 4
        local k
        if m == 0 then k = 'user:' .. math.floor(i / 4) .. ':profile'
        elseif m == 1 then k = string.format('session:%08x-%04x', i, i % 9973)
        elseif m == 2 then k = 'cache:page:' .. (i % 1000) .. ':' .. i
        else k = string.format('celery-task-meta-%012d', i) end
        redis.call('SET', k, 'v')
    end";
    for start in (0..1_000_000u64).step_by(100_000) {
        redis::cmd("EVAL")
            .arg(script)
            .arg(0)
            .arg(start)
            .arg(start + 99_999)
            .exec(db)?;
    }
    let n: u64 = redis::cmd("DBSIZE").query(db)?;
    anyhow::ensure!(n == 1_000_000, "seeded {n} keys");
    Ok(())
}
