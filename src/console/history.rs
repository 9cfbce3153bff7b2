//! The console's history: Up/Down navigation, Ctrl-R reverse search, and a
//! file per database in the XDG data folder that keeps it across runs.
//! Lines that carry credentials are never kept, not even in memory; nor are
//! lines over [`MAX_LINE`] (a pasted megabyte is sent, not kept).

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// How many entries are kept.
pub const CAP: usize = 1000;

/// The longest line kept, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// The history file of one database: `$XDG_DATA_HOME/upstash-tui/history/<endpoint>`.
/// `endpoint` is its host and port (or a name such as `demo`), never a token.
pub fn path_for(endpoint: &str) -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "upstash-tui")
        .map(|d| d.data_dir().join("history").join(file_name(endpoint)))
}

/// `endpoint` as a file name: letters, digits, `.`, `-` and `_`; anything
/// else (the `:` before a port) becomes `_`.
pub fn file_name(endpoint: &str) -> String {
    let name: String = endpoint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // No hidden files, and never `.` or `..`.
    match name.trim_start_matches('.') {
        "" => "default".into(),
        name => name.to_owned(),
    }
}

/// Entered lines, oldest first, and the navigation cursor.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<String>,
    path: Option<PathBuf>,
    /// Index of the entry shown by Up/Down; `None` while editing a new line.
    nav: Option<usize>,
    /// The line being edited before navigation started, given back at the end.
    draft: String,
}

impl History {
    /// An empty history that is not saved anywhere.
    pub fn in_memory() -> History {
        History::default()
    }

    /// Loads the history kept at `path` (missing file: empty) and saves to it.
    pub fn open(path: PathBuf) -> std::io::Result<History> {
        let entries = match std::fs::read_to_string(&path) {
            Ok(text) => text
                .lines()
                .map(unescape)
                .filter(|l| l.len() <= MAX_LINE && !is_secret(l))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut h = History {
            entries,
            path: Some(path),
            ..History::default()
        };
        let excess = h.entries.len().saturating_sub(CAP);
        h.entries.drain(..excess);
        Ok(h)
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Records an entered line (unless blank, a repeat of the last one,
    /// longer than [`MAX_LINE`], or secret) and saves the file. The in-memory
    /// history is updated even when saving fails; the error is returned for
    /// the caller to show.
    pub fn push(&mut self, line: &str) -> std::io::Result<()> {
        self.nav = None;
        self.draft.clear();
        if line.len() > MAX_LINE
            || line.trim().is_empty()
            || is_secret(line)
            || self.entries.last().is_some_and(|l| l == line)
        {
            return Ok(());
        }
        self.entries.push(line.to_string());
        let excess = self.entries.len().saturating_sub(CAP);
        self.entries.drain(..excess);
        self.save()
    }

    fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Write a sibling file and rename it, so a crash never leaves half a history.
        let tmp = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Commands may name private data: only the user reads the file.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        for e in &self.entries {
            writeln!(f, "{}", escape(e))?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    }

    /// The file it saves to.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Up: the previous entry; `current` is the line being edited, kept to
    /// come back to. `None` when there is nothing older.
    pub fn up(&mut self, current: &str) -> Option<&str> {
        let next = match self.nav {
            None => {
                self.draft = current.to_string();
                self.entries.len().checked_sub(1)?
            }
            Some(i) => i.checked_sub(1)?,
        };
        self.nav = Some(next);
        self.entries.get(next).map(String::as_str)
    }

    /// Down: the next entry, or the line that was being edited after the
    /// newest one. `None` when not navigating.
    pub fn down(&mut self) -> Option<&str> {
        let i = self.nav?;
        if i + 1 < self.entries.len() {
            self.nav = Some(i + 1);
            self.entries.get(i + 1).map(String::as_str)
        } else {
            self.nav = None;
            Some(self.draft.as_str())
        }
    }

    /// Stops navigating (the user edited the line or sent it).
    pub fn reset(&mut self) {
        self.nav = None;
    }

    /// Reverse search: the newest entry older than `before` (all entries when
    /// `None`) containing `query`, case-insensitively.
    pub fn search(&self, query: &str, before: Option<usize>) -> Option<usize> {
        let end = before.unwrap_or(self.entries.len()).min(self.entries.len());
        let q = query.to_lowercase();
        self.entries[..end]
            .iter()
            .rposition(|e| e.to_lowercase().contains(&q))
    }

    /// The entry at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.entries.get(index).map(String::as_str)
    }
}

/// A Ctrl-R session: the query and the entry it currently points at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// What has been typed after Ctrl-R.
    pub query: String,
    /// The matching entry, if any.
    pub found: Option<usize>,
}

impl Search {
    /// Re-runs the search after the query changed.
    pub fn update(&mut self, history: &History) {
        self.found = history.search(&self.query, None);
    }

    /// Ctrl-R again: the next older match (stays put when there is none).
    pub fn older(&mut self, history: &History) {
        if let Some(i) = history.search(&self.query, self.found) {
            self.found = Some(i);
        }
    }
}

/// Whether a line carries a credential: AUTH, ACL, HELLO with AUTH, a
/// password setting, or a word that looks like a token.
pub fn is_secret(line: &str) -> bool {
    let words: Vec<String> = line
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    // Each pasted line may be its own command: look at every line's first word.
    let starts = line
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|w| w.trim_matches(['"', '\'']).to_ascii_uppercase());
    for first in starts {
        if matches!(first.as_str(), "AUTH" | "ACL") {
            return true;
        }
    }
    let has = |w: &str| words.iter().any(|x| x.trim_matches(['"', '\'']) == w);
    if (has("HELLO") || has("MIGRATE")) && (has("AUTH") || has("AUTH2")) {
        return true;
    }
    if has("CONFIG") && (has("REQUIREPASS") || has("MASTERAUTH") || has("MASTERUSER")) {
        return true;
    }
    looks_like_token(line)
}

/// A run of at least 32 base64/hex characters that mixes letter cases and
/// digits (base64 secrets), or is all hex with letters and digits (hex keys).
fn looks_like_token(line: &str) -> bool {
    let runs = line.split(|c: char| !(c.is_ascii_alphanumeric() || "+/=_".contains(c)));
    runs.filter(|r| r.len() >= 32).any(|r| {
        let upper = r.bytes().any(|b| b.is_ascii_uppercase());
        let lower = r.bytes().any(|b| b.is_ascii_lowercase());
        let digit = r.bytes().any(|b| b.is_ascii_digit());
        let hex = r.bytes().all(|b| b.is_ascii_hexdigit());
        (upper && lower && digit) || (hex && digit && (upper || lower))
    })
}

/// One entry per file line: backslash and newline are escaped, as pasted
/// pipelines span several lines.
fn escape(line: &str) -> String {
    line.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
