//! The Upstash REST client: a UI-free library with its own error type.
//!
//! [`Client`] speaks the Upstash Redis REST protocol (single commands,
//! `/pipeline`, `/multi-exec`) with binary-exact arguments (see [`encode`])
//! and replies (see [`reply`]), typed one-line errors ([`Error`]), retries
//! for reads only ([`RetryPolicy`], [`is_read_only`]) and per-request
//! [`Telemetry`].

pub mod client;
pub mod encode;
pub mod endpoint;
pub mod error;
pub mod read_only;
pub mod reply;
pub mod response;
pub mod retry;
pub mod telemetry;

pub use client::{Client, ClientConfig, Cmd, cmd};
pub use error::{Error, ErrorKind};
pub use read_only::{is_read_only, is_read_only_command};
pub use reply::Reply;
pub use retry::RetryPolicy;
pub use telemetry::{Snapshot, Telemetry};
