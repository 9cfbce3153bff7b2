//! Server facts and error lines against the real gateway and redis-server.

use crate::common;

use std::time::Instant;

use upstash_tui::monitor::latency::Split;
use upstash_tui::monitor::{Engine, Level, Settings, tick};
use upstash_tui::upstash::{ErrorKind, cmd};

#[tokio::test]
async fn dbsize_and_info_are_read_in_the_probe_pipeline() {
    let h = common::Harness::start().await;
    let client = h.client();
    let seed: Vec<_> = (0..25)
        .map(|i| cmd(["SET".to_string(), format!("k{i}"), "v".into()]))
        .collect();
    client.pipeline(&seed).await.expect("seed");
    client.command(&["EXPIRE", "k0", "100"]).await.expect("ttl");
    let now = Instant::now();
    let mut engine = Engine::new(Settings::default(), now);
    let plan = engine.plan();
    assert_eq!(plan.commands().len(), 3, "PING, DBSIZE and INFO");
    let report = tick::run(&client, plan).await;
    engine.ingest(Instant::now(), client.telemetry());
    engine.apply(Instant::now(), report);
    let facts = engine.facts();
    assert_eq!(facts.dbsize, Some(25));
    assert_eq!(facts.error, None);
    let db0 = &facts.keyspace()[0];
    assert_eq!((db0.db.as_str(), db0.keys, db0.expires), ("db0", 25, 1));
    assert!(facts.get("used_memory_human").is_some());
    assert!(facts.shown().iter().any(|(k, _)| *k == "keyspace_hits"));
    assert_eq!(engine.health().level(), Level::Ok);
    // The two pipelines (seed and tick) and the EXPIRE were all seen.
    assert_eq!(engine.minute(Split::Pipeline, Instant::now()).count, 2);
    assert_eq!(engine.minute(Split::Single, Instant::now()).count, 1);
    assert_eq!(engine.cost().total().commands, 25 + 1 + 3);
    assert_eq!(engine.cost().own_total().commands, 3);
}

#[tokio::test]
async fn failed_requests_become_error_lines_without_the_token() {
    let h = common::Harness::start().await;
    let client = h.client();
    let wrong = h.client_with_token("not-the-token-at-all");
    client.command(&["SET", "s", "x"]).await.expect("set");
    assert!(client.command(&["LLEN", "s"]).await.is_err());
    let now = Instant::now();
    let mut engine = Engine::new(Settings::default(), now);
    engine.ingest(now, client.telemetry());
    engine.ingest(now, wrong.telemetry());
    let errors: Vec<_> = engine.errors().last().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::Command);
    assert!(
        errors[0].text.starts_with("WRONGTYPE"),
        "{}",
        errors[0].text
    );
    // A command error is the caller's, not the connection's.
    assert_eq!(
        engine
            .errors()
            .health_errors(now - std::time::Duration::from_secs(1))
            .0,
        0
    );
    assert!(wrong.command(&["PING"]).await.is_err());
    let mut other = Engine::new(Settings::default(), now);
    other.ingest(Instant::now(), wrong.telemetry());
    let line = other
        .errors()
        .last()
        .next()
        .cloned()
        .expect("an auth error");
    assert_eq!(line.kind, ErrorKind::Auth);
    assert!(!line.text.contains("not-the-token-at-all"), "{}", line.text);
}
