//! The Upstash REST client: a UI-free library with its own error type.

pub mod client;
pub mod error;
pub mod reply;
pub mod telemetry;

pub use client::{Client, ClientConfig, Cmd, cmd};
pub use error::Error;
pub use reply::Reply;
pub use telemetry::Telemetry;
