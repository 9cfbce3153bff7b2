//! Health against the real gateway: stopped, it is seen down within two
//! probe intervals; started again on the same port, OK within one.

use crate::common;

use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use upstash_tui::gateway::{Gateway, GatewayConfig};
use upstash_tui::monitor::{self, Engine, Level, Settings};

const INTERVAL: Duration = Duration::from_millis(300);
/// The time a probe's own round trip and the test's polling add on top of
/// the schedule, on a loaded machine.
const SLACK: Duration = Duration::from_millis(150);

#[tokio::test]
async fn down_within_two_intervals_and_ok_within_one_after_return() {
    let mut h = common::Harness::start().await;
    let client = h.client();
    let settings = Settings {
        interval: INTERVAL,
        ..Settings::default()
    };
    let engine = Engine::new(settings, Instant::now());
    let (tx, rx) = watch::channel((Level::Ok, 0u64, String::new()));
    let stop = CancellationToken::new();
    let task = tokio::spawn(monitor::run(
        client.clone(),
        engine,
        stop.clone(),
        move |e| {
            let h = e.health();
            tx.send_replace((h.level(), e.ticks(), h.reason().to_string()));
        },
    ));
    let ticked = |n: u64| {
        let rx = rx.clone();
        move || {
            let ok = rx.borrow().1 >= n && rx.borrow().0 == Level::Ok;
            async move { ok }
        }
    };
    assert!(
        common::wait_until(Duration::from_secs(5), ticked(2)).await,
        "the monitor never reported OK: {:?}",
        rx.borrow()
    );

    let gateway = h.gateway.take().expect("a running gateway");
    let addr = gateway.addr();
    gateway.shutdown().await;
    let stopped = Instant::now();
    let down = || {
        let level = rx.borrow().0;
        async move { level == Level::Down }
    };
    assert!(common::wait_until(Duration::from_secs(5), down).await);
    let took = stopped.elapsed();
    assert!(took <= 2 * INTERVAL + SLACK, "down after {took:?}");
    assert!(rx.borrow().2.contains("probes failed"), "{:?}", rx.borrow());

    let gateway = Gateway::start(GatewayConfig {
        redis_url: h.redis.url(),
        listen: addr,
        token: common::TOKEN.into(),
        read_only_token: None,
        max_body_bytes: 1024 * 1024,
    })
    .await
    .expect("the gateway starts again on the same port");
    let started = Instant::now();
    let ok = || {
        let level = rx.borrow().0;
        async move { level == Level::Ok }
    };
    assert!(common::wait_until(Duration::from_secs(5), ok).await);
    let took = started.elapsed();
    assert!(took <= INTERVAL + SLACK, "OK again after {took:?}");

    stop.cancel();
    let engine = task.await.expect("the monitor task ends");
    // Nothing else used the client: every request was one of the monitor's
    // ticks, one pipeline each.
    let own = engine.cost().own_total();
    assert_eq!(own.requests, engine.ticks());
    assert_eq!(client.telemetry().snapshot().requests, own.requests);
    h.gateway = Some(gateway);
}
