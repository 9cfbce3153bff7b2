//! Editing a value in the user's own editor (`$VISUAL`, then `$EDITOR`,
//! then `vi`): the text goes to a private temporary file, the editor runs
//! with the terminal handed over to it, and the file is read back.

use std::io::{Stdout, Write as _};

use crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The editor command: `visual`, then `editor` (empty ones skipped), then `vi`.
pub fn command_from(visual: Option<String>, editor: Option<String>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .find(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// The editor command from the environment.
pub fn command() -> String {
    command_from(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
}

/// Writes `text` to a new temporary file readable only by the user (its
/// name ends in `suffix`, so the editor picks a syntax), runs `command` on
/// it through `sh` (so `code --wait` or `vim -u NONE` work), and returns
/// what the file holds when the editor exits successfully.
pub async fn edit(command: &str, text: &[u8], suffix: &str) -> Result<Vec<u8>, String> {
    // tempfile creates the file with mode 0600.
    let mut file = tempfile::Builder::new()
        .prefix("upstash-tui-")
        .suffix(suffix)
        .tempfile()
        .map_err(|e| format!("could not create a temporary file: {e}"))?;
    file.write_all(text)
        .and_then(|()| file.flush())
        .map_err(|e| format!("could not write the temporary file: {e}"))?;
    let path = file.path().to_owned();
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .await
        .map_err(|e| format!("could not run the editor ({command}): {e}"))?;
    if !status.success() {
        return Err(match status.code() {
            Some(code) => format!("{command} exited with status {code}"),
            None => format!("{command} was stopped ({status})"),
        });
    }
    tokio::fs::read(&path)
        .await
        .map_err(|e| format!("could not read the edited file back: {e}"))
}

/// Runs [`edit`] with the terminal given to the editor: raw mode, the
/// alternate screen and mouse capture are left first and restored after
/// (the caller then repaints every cell).
pub async fn edit_in_terminal(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    text: &[u8],
    suffix: &str,
) -> Result<Vec<u8>, String> {
    super::restore();
    let result = edit(&command(), text, suffix).await;
    let resumed = enable_raw_mode().and_then(|()| {
        execute!(
            terminal.backend_mut(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )
    });
    if let Err(e) = resumed {
        tracing::warn!("could not take the terminal back after the editor: {e}");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(command_from(s("nano"), s("ed")), "nano");
        assert_eq!(command_from(s(" "), s("ed")), "ed");
        assert_eq!(command_from(None, None), "vi");
    }
}
