//! STUB: `upstash-tui demo`.

use std::process::ExitCode;

/// Arguments of `upstash-tui demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `upstash-tui demo`.
pub async fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
