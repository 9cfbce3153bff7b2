//! Tracing to a file, never to the terminal (the TUI owns the screen).

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, bail};
use tracing_subscriber::EnvFilter;

/// The level used when neither `UPSTASH_TUI_LOG` nor `RUST_LOG` is set.
const DEFAULT_LEVEL: &str = "info";

/// `~/.local/state/upstash-tui/upstash-tui.log` (the XDG state folder; the
/// local data folder on systems without one).
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "upstash-tui")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("upstash-tui.log"))
}

/// Starts logging to `file` (or [`default_path`]), appending, with the level
/// from `UPSTASH_TUI_LOG` or `RUST_LOG`; returns the log's path.
pub fn init(file: Option<&Path>) -> anyhow::Result<PathBuf> {
    let path = match file {
        Some(p) => p.to_owned(),
        None => match default_path() {
            Some(p) => p,
            None => bail!("no home folder to keep the log in; pass --log-file"),
        },
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the log folder {}", dir.display()))?;
    }
    let out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("opening the log file {}", path.display()))?;
    let (filter, bad_filter) = filter();
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(out))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!("starting the logger: {e}"))?;
    if let Some(text) = bad_filter {
        tracing::warn!("ignoring the log level {text:?}; using {DEFAULT_LEVEL}");
    }
    Ok(path)
}

/// The filter from the environment, and the text that did not parse, if any.
fn filter() -> (EnvFilter, Option<String>) {
    let text = ["UPSTASH_TUI_LOG", "RUST_LOG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    match text {
        None => (EnvFilter::new(DEFAULT_LEVEL), None),
        Some(t) => match EnvFilter::try_new(&t) {
            Ok(f) => (f, None),
            Err(_) => (EnvFilter::new(DEFAULT_LEVEL), Some(t)),
        },
    }
}
