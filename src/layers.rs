//! Which modules may name which, checked on the sources: the loop's
//! vocabulary and its effects runner name no model or pane internals, and the
//! jobs they run know nothing of a terminal.

use std::path::{Path, PathBuf};

/// The identifiers in `source` outside `//` comments.
fn identifiers(source: &str) -> Vec<&str> {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .flat_map(|code| code.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|id| !id.is_empty())
        .collect()
}

/// Fails naming the file and the word when `source` names one of `words`.
fn refuse(path: &Path, source: &str, words: &[&str], why: &str) {
    for id in identifiers(source) {
        assert!(
            !words.contains(&id),
            "{} names `{id}`: {why}",
            path.display()
        );
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_vocabulary_and_the_effects_runner_name_no_model_or_pane() {
    for (name, source) in [
        ("tui/msg.rs", include_str!("tui/msg.rs")),
        ("tui/effects.rs", include_str!("tui/effects.rs")),
    ] {
        refuse(
            &src().join(name),
            source,
            &["app", "panes", "keyops", "ratatui"],
            "Action, Msg and Effect, and the runner, depend on UI-free types only",
        );
    }
}

#[test]
fn jobs_know_nothing_of_a_terminal() {
    let dir = src().join("jobs");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).expect("src/jobs") {
        let path = entry.expect("an entry").path();
        let source = std::fs::read_to_string(&path).expect("a source file");
        refuse(
            &path,
            &source,
            &["tui", "ratatui", "crossterm"],
            "jobs stay free of the UI",
        );
        read += 1;
    }
    assert!(read >= 3, "read the job files in {}", dir.display());
}

#[test]
fn identifiers_skip_comments() {
    let ids = identifiers("use crate::tui::{app::X}; // ratatui\nlet x = 1;");
    assert_eq!(ids, ["use", "crate", "tui", "app", "X", "let", "x", "1"]);
}
