//! STUB: `upstash-tui serve`.

use std::process::ExitCode;

/// Arguments of `upstash-tui serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `upstash-tui serve`.
pub async fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
