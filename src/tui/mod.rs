//! STUB: the terminal UI.

use crate::upstash::Client;

/// What the TUI needs besides the client (delimiter, read-only, keymap, ...).
#[derive(Debug, Clone, Default)]
pub struct Options {}

/// Opens the TUI on the terminal and runs until the user quits.
pub async fn run(_client: Client, _opts: Options) -> anyhow::Result<()> {
    anyhow::bail!("not yet available")
}
