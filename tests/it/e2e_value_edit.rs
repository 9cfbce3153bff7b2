//! `$EDITOR` for real: a shell script as the editor rewrites the file it is
//! given; once through `external::edit`, and through the real binary in
//! tmux, where the terminal is handed over and taken back and the whole
//! screen is drawn again (as Ctrl-L does after anything else wrote on it).

use crate::common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use common::Harness;
use common::tmux::Tmux;
use redis::AsyncCommands as _;
use upstash_tui::tui::external;

/// Writes an executable script at `dir/name` with `body` after the shebang.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[tokio::test]
async fn a_script_as_editor_rewrites_the_private_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Records the file's mode and name, then replaces "old" with "new".
    let ed = script(
        dir.path(),
        "ed.sh",
        &format!(
            "stat -c %a \"$1\" > {d}/mode; echo \"$1\" > {d}/name; sed -i 's/old/new/' \"$1\"",
            d = dir.path().display()
        ),
    );
    let out = external::edit(&ed.to_string_lossy(), b"an old value\n", ".json")
        .await
        .expect("the editor ran");
    assert_eq!(out, b"an new value\n".to_vec());
    let mode = std::fs::read_to_string(dir.path().join("mode")).expect("mode");
    assert_eq!(mode.trim(), "600");
    let name = std::fs::read_to_string(dir.path().join("name")).expect("name");
    assert!(name.trim().ends_with(".json"), "{name}");
    assert!(!Path::new(name.trim()).exists(), "the file is removed");

    let failing = script(dir.path(), "fail.sh", "exit 3");
    let err = external::edit(&failing.to_string_lossy(), b"x", ".txt")
        .await
        .expect_err("a failing editor");
    assert!(err.ends_with("fail.sh exited with status 3"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_hands_the_terminal_to_editor_and_saves() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn.set("note", r#"{"n":1}"#).await.expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");
    // First run: invalid JSON (kept and reported); second run: valid.
    let ed = script(
        dir.path(),
        "ed.sh",
        &format!(
            "if [ -e {d}/once ]; then printf '{{\"n\":2}}' > \"$1\"; else touch {d}/once; printf '{{\"n\":' > \"$1\"; fi",
            d = dir.path().display()
        ),
    );
    let env = format!(
        "XDG_DATA_HOME={d} EDITOR={ed}",
        d = dir.path().display(),
        ed = ed.display()
    );
    let tmux = Tmux::launch_tui("value-edit", dir.path(), &h.url, &env, "").await;
    tmux.wait("the key", |s| s.contains("note")).await;
    tmux.send(&["Enter"]);
    tmux.wait("the value", |s| s.contains("STR") && s.contains("\"n\""))
        .await;
    tmux.send(&["2", "E"]);
    tmux.wait("the JSON error with the text kept", |s| {
        s.contains("not valid JSON") && s.contains("{\"n\":")
    })
    .await;
    let got: String = conn.get("note").await.expect("get");
    assert_eq!(got, r#"{"n":1}"#, "nothing written yet");
    assert!(tmux.alternate_screen(), "the TUI has the terminal back");
    tmux.send(&["C-e"]);
    tmux.wait("the save", |s| s.contains("saved the string"))
        .await;
    let got: String = conn.get("note").await.expect("get");
    assert_eq!(got, r#"{"n":2}"#);
    tmux.send(&["q"]);
    tmux.wait("the shell", |s| s.matches("e2e-prompt$").count() >= 2)
        .await;
}

/// Whether the whole layout is on screen: every pane's top border and title.
fn whole(screen: &str) -> bool {
    let first = screen.lines().nth(1).unwrap_or("");
    first.starts_with("┌ 1 Keys") && first.contains("┐┌ 2 Value") && screen.contains("┌ 3 Console")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_that_adds_a_newline_or_fails_writes_nothing_and_the_screen_comes_back() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = conn
        .hset_multiple("h", &[("f1", "v1"), ("f2", "v2")])
        .await
        .expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");
    // Like vim's :wq on a file without a final newline, then like :cq, then
    // a real change.
    let ed = script(
        dir.path(),
        "ed.sh",
        &format!(
            "n=$(cat {d}/runs 2>/dev/null || echo 0); echo $((n+1)) > {d}/runs\n\
             case $n in 0) printf '\\n' >> \"$1\";; 1) exit 1;; *) printf 'v3\\n' > \"$1\";; esac",
            d = dir.path().display()
        ),
    );
    let env = format!(
        "XDG_DATA_HOME={d} EDITOR={ed}",
        d = dir.path().display(),
        ed = ed.display()
    );
    let tmux = Tmux::launch_tui("value-editor-nl", dir.path(), &h.url, &env, "").await;
    tmux.wait("the key", |s| s.contains("HASH h")).await;
    tmux.send(&["Enter"]);
    tmux.wait("the value", |s| s.contains("f2 │ v2")).await;
    tmux.send(&["2", "j", "E"]);
    tmux.wait("nothing saved", |s| s.contains("unchanged in $EDITOR"))
        .await;
    tmux.wait("the whole screen after the editor", whole).await;
    let got: Vec<u8> = conn.hget("h", "f2").await.expect("hget");
    assert_eq!(got, b"v2", "the added newline was not written");

    tmux.send(&["E"]);
    tmux.wait("the failure", |s| s.contains("exited with status 1"))
        .await;
    tmux.wait("the whole screen after the editor", whole).await;
    // No form is left open: 1 focuses the Keys pane instead of being typed.
    tmux.send(&["1"]);
    tmux.wait("the Keys pane's hints", |s| s.contains("Enter open"))
        .await;
    tmux.send(&["2", "E"]);
    tmux.wait("the save", |s| s.contains("saved field f2 (u undoes)"))
        .await;
    let got: Vec<u8> = conn.hget("h", "f2").await.expect("hget");
    assert_eq!(got, b"v3");
    tmux.send(&["u"]);
    tmux.wait("the undo", |s| s.contains("undone: edit field f2 of h"))
        .await;
    let got: Vec<u8> = conn.hget("h", "f2").await.expect("hget");
    assert_eq!(got, b"v2");

    // Something else writes on the terminal: Ctrl-L draws every cell again.
    std::fs::write(tmux.pane_tty(), "\x1b[2J\x1b[Hgarbage").expect("write to the pane");
    tmux.wait("the garbled screen", |s| !whole(s) && s.contains("garbage"))
        .await;
    tmux.send(&["C-l"]);
    tmux.wait("the repaint", |s| whole(s) && !s.contains("garbage"))
        .await;
    tmux.send(&["q"]);
    tmux.wait("the shell", |s| s.matches("e2e-prompt$").count() >= 2)
        .await;
}
