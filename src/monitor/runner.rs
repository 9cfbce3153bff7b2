//! Drives an [`Engine`] on a timer for callers without an event loop of their
//! own (`watch`, tests); the TUI drives the same calls from its own loop.

use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::{Engine, tick};
use crate::upstash::Client;

/// Runs ticks until `stop` is cancelled, calling `on_tick` after each one,
/// and returns the engine.
pub async fn run(
    client: Client,
    mut engine: Engine,
    stop: CancellationToken,
    mut on_tick: impl FnMut(&Engine),
) -> Engine {
    loop {
        let plan = engine.plan();
        let report = tokio::select! {
            r = tick::run(&client, plan) => r,
            () = stop.cancelled() => return engine,
        };
        let now = Instant::now();
        engine.ingest(now, client.telemetry());
        engine.apply(now, report);
        on_tick(&engine);
        tokio::select! {
            () = tokio::time::sleep(engine.next_delay()) => {}
            () = stop.cancelled() => return engine,
        }
    }
}
