//! `upstash-tui serve` as a whole: it serves with the given token and stops
//! gracefully on SIGTERM. Alone in its own test binary, because it signals
//! its own process.

use std::net::SocketAddr;
use std::time::Duration;

use upstash_tui::commands::serve::{Args, run};
use upstash_tui::redis_server::{RedisServer, free_port};

use crate::common;

#[tokio::test]
async fn serve_answers_and_stops_on_sigterm() {
    let redis = RedisServer::start().expect("redis-server");
    let port = free_port().expect("port");
    let args = Args {
        redis_url: redis.url(),
        listen: SocketAddr::from(([127, 0, 0, 1], port)),
        token: Some("serve-test-token".into()),
        read_only_token: None,
        max_body_bytes: 1024,
    };
    let task = tokio::spawn(run(args));
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/");
    let ping = || async {
        http.post(&url)
            .bearer_auth("serve-test-token")
            .body(r#"["PING"]"#)
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16())
    };
    let up = common::wait_until(Duration::from_secs(10), || async {
        ping().await == Some(200)
    })
    .await;
    assert!(up, "serve answers with the given token");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let outcome = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("serve returns after SIGTERM")
        .expect("task")
        .expect("serve ends without error");
    assert_eq!(outcome, std::process::ExitCode::SUCCESS);
    assert_eq!(ping().await, None, "no longer listening");
}
