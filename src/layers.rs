//! Which modules may name which, checked on the sources: the loop's
//! vocabulary and its effects runner name no model or pane internals, the
//! model runs no async code of its own, and the jobs the runner runs for it
//! know nothing of a terminal.

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

/// The `.rs` files under `dir`, at any depth.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

#[test]
fn jobs_know_nothing_of_a_terminal() {
    let files = sources(&src().join("jobs"));
    assert!(files.len() >= 3, "read the job files: {files:?}");
    for path in files {
        let source = std::fs::read_to_string(&path).expect("a source file");
        refuse(
            &path,
            &source,
            &["tui", "ratatui", "crossterm"],
            "jobs stay free of the UI",
        );
    }
}

#[test]
fn the_model_runs_no_async_code() {
    let mut files = sources(&src().join("tui/app"));
    files.extend(Some(src().join("tui/app.rs")).filter(|p| p.exists()));
    assert!(files.len() >= 2, "read the model's files: {files:?}");
    for path in files {
        let source = std::fs::read_to_string(&path).expect("a source file");
        refuse(
            &path,
            &source,
            &["async", "await", "tokio"],
            "update never awaits; long work is a job the effects runner runs",
        );
    }
}

#[test]
fn identifiers_skip_comments() {
    let ids = identifiers("use crate::tui::{app::X}; // ratatui\nlet x = 1;");
    assert_eq!(ids, ["use", "crate", "tui", "app", "X", "let", "x", "1"]);
}
