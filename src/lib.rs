//! upstash-tui: a terminal UI for Upstash Redis over its REST API, and an
//! Upstash-compatible REST gateway in front of a real redis-server.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod analyze;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod decode;
pub mod demo;
pub mod edit;
pub mod gateway;
pub mod jobs;
#[cfg(test)]
mod layers;
pub mod logging;
pub mod monitor;
pub mod parse;
pub mod recognise;
pub mod redis_cli;
pub mod redis_server;
pub mod scan;
pub mod tui;
pub mod upstash;
pub mod value;
