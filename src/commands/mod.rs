//! Non-interactive subcommands. Each defines its clap `Args` and a `run`.

pub mod bench;
pub mod demo;
pub mod doctor;
pub mod exec;
pub mod scan;
pub mod serve;
pub mod watch;
