//! STUB: `upstash-tui scan`.

use std::process::ExitCode;

use crate::upstash::Client;

/// Arguments of `upstash-tui scan`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `upstash-tui scan` on an already configured client.
pub async fn run(_client: Client, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
