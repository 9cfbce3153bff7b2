//! The Monitor's engine, free of any UI: latency percentiles and a chart
//! series from the client's telemetry, connection health from a periodic
//! PING probe, error counts, the cost meter and its budget, server facts,
//! and watched queues with rates, all fed by one pipeline per tick.
//!
//! [`Engine`] holds the state and changes only in synchronous calls that take
//! the current instant; [`tick::run`] performs a tick's reads on the client;
//! [`run`] drives both on a timer for callers without an event loop of their own.

pub mod cost;
pub mod engine;
pub mod errors;
pub mod facts;
pub mod health;
pub mod latency;
pub mod queue;
pub mod reading;
mod runner;
pub mod series;
pub mod tick;

pub use engine::{Cursor, Engine, Recorded, Settings};
pub use health::Level;
pub use runner::run;
