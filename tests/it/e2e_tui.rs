//! The real binary in tmux against the harness's redis-server and gateway:
//! keys appear, a filter narrows them, Enter opens one, `q` quits and the
//! terminal is restored.

use crate::common;

use std::process::Command;

use common::Harness;
use common::tmux::Tmux;

use common::tmux::PROMPT;

/// Seeds a few keys, opens the TUI in tmux and waits for them to show.
async fn launch(h: &Harness, dir: &std::path::Path) -> Tmux {
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..50 {
        pipe.set(format!("user:{i}:name"), "x").ignore();
    }
    for i in 0..5 {
        pipe.hset(format!("session:s{i}"), "f", "v").ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");

    let tmux = Tmux::launch_tui("e2e", dir, &h.url, "", "").await;
    tmux.wait("keys to appear", |s| {
        s.contains("1 Keys") && s.contains("user (50)") && s.contains("session (5)")
    })
    .await;
    assert!(tmux.alternate_screen(), "the TUI uses the alternate screen");
    tmux
}

async fn shell_is_back(tmux: &Tmux) {
    tmux.wait("the shell to come back", |s| {
        !s.contains("1 Keys") && s.matches(PROMPT).count() >= 2
    })
    .await;
    assert!(!tmux.alternate_screen(), "the alternate screen is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_filter_open_and_quit() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = launch(&h, dir.path()).await;

    tmux.send(&["/"]);
    tmux.wait("the filter box", |s| s.contains("MATCH")).await;
    tmux.send(&["-l", "session:*"]);
    tmux.send(&["Enter"]);
    // Few keys left: their folder opens and the first key is selected.
    tmux.wait("the filter to narrow the keys to an open folder", |s| {
        s.contains("▾ session (5)") && !s.contains("user (50)") && s.contains("5 keys")
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("the Value pane to show the hash", |s| {
        s.contains("HASH session:s") && s.contains("f │ v") && s.contains("rows 1-1 of 1")
    })
    .await;
    // In the Value pane: the element's detail, then a copy.
    tmux.send(&["2", "Enter"]);
    tmux.wait("the detail of the row", |s| s.contains("row 1 · auto"))
        .await;
    tmux.send(&["y"]);
    tmux.wait("the copy to be confirmed", |s| {
        s.contains("copied 1 B to the clipboard")
    })
    .await;
    tmux.send(&["Escape"]);
    tmux.wait("the detail to close", |s| !s.contains("row 1 · auto"))
        .await;

    tmux.send(&["q"]);
    shell_is_back(&tmux).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_opens_its_key_and_small_screens_keep_help_and_whole_numbers() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = launch(&h, dir.path()).await;
    tmux.resize(80, 24);
    tmux.wait("the status bar at 80x24", |s| {
        let bar = s.lines().nth(23).unwrap_or_default();
        bar.contains("? help") && bar.contains("n new") && bar.contains("d delete")
    })
    .await;
    let header = tmux.screen().lines().nth(2).unwrap_or_default().to_owned();
    assert!(header.contains("55 keys"), "{header}");
    assert!(!header.contains("scanned 55/5 "), "{header}");

    // An exact name: the way to it opens, and Enter opens the key.
    tmux.send(&["/"]);
    tmux.wait("the filter box", |s| s.contains("MATCH")).await;
    tmux.send(&["C-u"]);
    tmux.send(&["-l", "user:42:name"]);
    tmux.send(&["Enter"]);
    tmux.wait("the key under its open folders", |s| {
        s.contains("▾ user (1)") && s.contains("▾ 42 (1)") && s.contains("STR  name")
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("the key in the Value pane", |s| {
        s.contains("STR  user:42:name")
    })
    .await;

    // At 60x15 the help shows its lines and scrolls; it names its pane.
    tmux.resize(60, 15);
    tmux.send(&["?"]);
    tmux.wait("the help at 60x15", |s| {
        s.contains("Help: Keys") && s.contains("Everywhere") && s.contains("PgDn scroll")
    })
    .await;
    tmux.send(&["PageDown"]);
    tmux.wait("the help scrolled", |s| !s.contains("Everywhere"))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the help to close", |s| !s.contains("Help: Keys"))
        .await;
    // The Monitor scrolls too.
    tmux.send(&["4"]);
    tmux.wait("the Monitor's place in its bottom border", |s| {
        s.contains(" 1-2 of ")
    })
    .await;
    tmux.send(&["j"]);
    tmux.wait("the Monitor scrolled", |s| s.contains(" 2-3 of "))
        .await;
    tmux.send(&["q"]);
    // The small window holds one prompt only.
    tmux.wait("the shell to come back", |s| {
        !s.contains("1 Keys") && s.contains(PROMPT)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_restores_the_terminal() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = launch(&h, dir.path()).await;
    let shell = tmux.pane_pid();
    let out = Command::new("pgrep")
        .args(["-P", &shell])
        .output()
        .expect("pgrep");
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!pid.is_empty(), "the TUI runs under the pane's shell");
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    shell_is_back(&tmux).await;
}

/// Opens `key` from the Keys pane through a MATCH filter and focuses the Value pane.
async fn open_key(tmux: &Tmux, key: &str, shows: &str) {
    tmux.send(&["1", "/", "C-u"]);
    tmux.wait("the filter box", |s| s.contains("MATCH")).await;
    tmux.send(&["-l", key]);
    tmux.send(&["Enter"]);
    tmux.wait("the key alone in the list", |s| s.contains("1 key"))
        .await;
    tmux.send(&["Enter"]);
    tmux.wait("the key in the Value pane", |s| s.contains(shows))
        .await;
    tmux.send(&["2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g_search_and_a_gone_key_in_the_value_pane() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    common::big::fill(&mut conn, "jobs", false, 1_000_000, ("item-", "")).await;
    common::big::fill(&mut conn, "fields", true, 200_000, ("field-", "v")).await;
    let _: i64 = redis::cmd("RPUSH")
        .arg("queue")
        .arg("only")
        .query_async(&mut conn)
        .await
        .expect("rpush");
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::launch_tui("e2e-value", dir.path(), &h.url, "", "").await;
    tmux.wait("keys to appear", |s| s.contains("jobs")).await;

    // G goes to the end of a million-element list in one jump.
    open_key(&tmux, "jobs", "rows 1-200 of 1 000 000").await;
    tmux.send(&["G"]);
    tmux.wait("the last page", |s| {
        s.contains("rows 999 801-1 000 000 of 1 000 000") && s.contains("999999 │ item-999999")
    })
    .await;

    // A search in a 200 000-field hash scans on until it finds the field.
    open_key(&tmux, "fields", "of 200 000").await;
    tmux.send(&["/"]);
    tmux.wait("the search box says what it searches", |s| {
        s.contains("glob on field names")
    })
    .await;
    tmux.send(&["-l", "field-19999"]);
    tmux.send(&["Enter"]);
    tmux.wait("the field found", |s| {
        s.contains("field-19999") && s.contains("v19999") && s.contains("matching")
    })
    .await;
    assert!(!tmux.screen().contains("no rows matching"));

    // A key emptied meanwhile says it is gone, and w watches it.
    open_key(&tmux, "queue", "rows 1-1 of 1").await;
    let _: i64 = redis::cmd("DEL")
        .arg("queue")
        .query_async(&mut conn)
        .await
        .expect("del");
    tmux.send(&["r"]);
    tmux.wait("the key said to be gone", |s| {
        s.contains("This key no longer exists.") && !s.contains("loading…")
    })
    .await;
    tmux.send(&["w"]);
    tmux.wait("the watch", |s| s.contains("watching queue in the Monitor"))
        .await;
    tmux.send(&["q"]);
    shell_is_back(&tmux).await;
}
