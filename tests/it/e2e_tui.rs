//! The whole TUI against the harness's redis-server and gateway: on a test
//! terminal, start-up to the first keys, the Value pane's jumps and search,
//! and the screens beside the Browser; in tmux, the real binary where only a
//! real terminal shows it (resizes, signals, the terminal restored).

use crate::common;

use std::process::Command;

use common::Harness;
use common::headless::Tui;
use common::tmux::Tmux;
use upstash_tui::tui::Options;

use common::tmux::PROMPT;

/// Fifty string keys under `user:` and five hashes under `session:`.
async fn seed(h: &Harness) {
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..50 {
        pipe.set(format!("user:{i}:name"), "x").ignore();
    }
    for i in 0..5 {
        pipe.hset(format!("session:s{i}"), "f", "v").ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");
}

/// Seeds a few keys, opens the TUI in tmux and waits for them to show.
async fn launch(h: &Harness, dir: &std::path::Path) -> Tmux {
    seed(h).await;
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
async fn open_key(tui: &mut Tui, key: &str, shows: &str) {
    tui.send(&["1", "/", "C-u"]);
    tui.wait("the filter box", |s| s.contains("MATCH")).await;
    tui.send(&["-l", key]);
    tui.send(&["Enter"]);
    tui.wait("the key alone in the list", |s| s.contains("1 key"))
        .await;
    tui.send(&["Enter"]);
    tui.wait("the key in the Value pane", |s| s.contains(shows))
        .await;
    tui.send(&["2"]);
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
    let mut tui = Tui::start(h.client(), &Options::default(), 120, 40);
    tui.wait("keys to appear", |s| s.contains("jobs")).await;

    // G goes to the end of a million-element list in one jump.
    open_key(&mut tui, "jobs", "rows 1-200 of 1 000 000").await;
    tui.send(&["G"]);
    tui.wait("the last page", |s| {
        s.contains("rows 999 801-1 000 000 of 1 000 000") && s.contains("999999 │ item-999999")
    })
    .await;

    // A search in a 200 000-field hash scans on until it finds the field.
    open_key(&mut tui, "fields", "of 200 000").await;
    tui.send(&["/"]);
    tui.wait("the search box says what it searches", |s| {
        s.contains("glob on field names")
    })
    .await;
    tui.send(&["-l", "field-19999"]);
    tui.send(&["Enter"]);
    tui.wait("the field found", |s| {
        s.contains("field-19999") && s.contains("v19999") && s.contains("matching")
    })
    .await;
    assert!(!tui.screen().contains("no rows matching"));

    // A key emptied meanwhile says it is gone, and w watches it.
    open_key(&mut tui, "queue", "rows 1-1 of 1").await;
    let _: i64 = redis::cmd("DEL")
        .arg("queue")
        .query_async(&mut conn)
        .await
        .expect("del");
    tui.send(&["r"]);
    tui.wait("the key said to be gone", |s| {
        s.contains("This key no longer exists.") && !s.contains("loading…")
    })
    .await;
    tui.send(&["w"]);
    tui.wait("the watch", |s| s.contains("watching queue in the Monitor"))
        .await;
    tui.send(&["q"]);
    tui.quits().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_shows_the_keys_and_takes_the_first_keys() {
    let h = Harness::start().await;
    seed(&h).await;
    let mut tui = Tui::start(h.client(), &Options::default(), 100, 30);
    tui.wait("the keys", |s| {
        s.contains("1 Keys") && s.contains("user (50)") && s.contains("session (5)")
    })
    .await;

    tui.press("/");
    tui.wait("the filter box", |s| s.contains("MATCH")).await;
    tui.type_text("session:*");
    tui.press("enter");
    tui.wait("the filter to narrow the keys to an open folder", |s| {
        s.contains("▾ session (5)") && !s.contains("user (50)") && s.contains("5 keys")
    })
    .await;
    tui.press("enter");
    tui.wait("the Value pane to show the hash", |s| {
        s.contains("HASH session:s") && s.contains("f │ v") && s.contains("rows 1-1 of 1")
    })
    .await;
    // In the Value pane: the element's detail, then a copy.
    tui.send(&["2", "Enter"]);
    tui.wait("the detail of the row", |s| s.contains("row 1 · auto"))
        .await;
    tui.press("y");
    tui.wait("the copy to be confirmed", |s| {
        s.contains("copied 1 B to the clipboard")
    })
    .await;
    assert_eq!(
        tui.feed.copied,
        ["\x1b]52;c;dg==\x07"],
        "one clipboard sequence"
    );
    tui.send(&["Escape"]);
    tui.wait("the detail to close", |s| !s.contains("row 1 · auto"))
        .await;

    tui.press("q");
    tui.quits().await;
}

#[path = "e2e_tui/probe.rs"]
mod probe;

/// Options with the Probe screen registered, opened by `P`, its keys bound
/// from the config file's `[keymap.probe]` as a user would.
fn with_probe() -> Options {
    let screens = upstash_tui::tui::screen::Registry::builtin().with(probe::ENTRY);
    let keys: toml::Table = r#"
            [screens]
            probe = ["P"]
            [probe]
            up = ["k"]
            down = ["j"]
            open = ["enter"]
            rescan = ["r"]
            delete_key = ["d"]
        "#
    .parse()
    .expect("toml");
    Options {
        keymap: upstash_tui::tui::keymap::Keymap::with_screens(&keys, &screens)
            .expect("the keymap"),
        screens,
        ..Options::default()
    }
}

/// The seeded keys and those `probe` writes, and the TUI with the Probe
/// screen on them, its keys shown.
async fn probing(h: &Harness, probe: &mut redis::Pipeline) -> Tui {
    seed(h).await;
    let () = probe
        .ignore()
        .query_async(&mut h.redis_conn().await)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &with_probe(), 100, 30);
    tui.wait("the keys", |s| s.contains("user (50)")).await;
    tui
}

/// The Keys and Value panes' rows (the Monitor's figures move on their own).
fn browser(screen: &str) -> String {
    screen
        .lines()
        .skip(1)
        .take(18)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_opens_by_its_key_reads_and_esc_brings_the_browser_back_as_it_was() {
    let h = Harness::start().await;
    let mut tui = probing(&h, redis::pipe().set("probe:a", "1").set("probe:b", "2")).await;
    // A Browser in some state: a filter, a key open, the Value pane focused.
    tui.press("/");
    tui.type_text("session:*");
    tui.press("enter");
    tui.wait("the filter", |s| s.contains("▾ session (5)"))
        .await;
    tui.press("enter");
    tui.wait("the hash", |s| s.contains("rows 1-1 of 1")).await;
    tui.press("2");
    tui.until("the Value pane focused", |t| {
        t.runner.app().focus() == upstash_tui::tui::panes::Pane::Value
    })
    .await;
    let before = browser(&tui.screen());

    tui.press("P");
    tui.wait("the probe screen and its first read", |s| {
        s.contains("Probe: 2 keys, read 1 times")
            && s.contains("> probe:a")
            && !s.contains("1 Keys")
    })
    .await;
    let screen = tui.screen();
    assert!(screen.contains("Esc back"), "its hints:\n{screen}");
    tui.press("j");
    tui.press("r");
    tui.wait("its second read and the cursor moved", |s| {
        s.contains("read 2 times") && s.contains("> probe:b")
    })
    .await;
    tui.press("?");
    tui.wait("its help, its own keys among them", |s| {
        s.contains("Everywhere") && s.contains("Probe") && s.contains("rescan")
    })
    .await;
    tui.press("esc");
    tui.wait("the help closed", |s| {
        s.contains("> probe:b") && !s.contains("Everywhere")
    })
    .await;

    tui.press("esc");
    tui.wait("the Browser again", |s| s.contains("1 Keys"))
        .await;
    assert_eq!(browser(&tui.screen()), before, "the Browser as it was");
    assert_eq!(
        tui.runner.app().focus(),
        upstash_tui::tui::panes::Pane::Value
    );
    assert!(tui.runner.app().screens().top().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_opened_from_a_screen_shows_in_the_browser_and_a_screen_cannot_write() {
    let h = Harness::start().await;
    let mut tui = probing(&h, redis::pipe().hset("probe:h", "field", "value")).await;
    tui.press("P");
    tui.wait("the probe screen", |s| s.contains("> probe:h"))
        .await;

    tui.press("d");
    tui.wait("the write refused", |s| {
        s.contains("Probe may only read: DEL is not sent")
    })
    .await;
    assert_eq!(h.keys_matching("probe:*").await, vec!["probe:h"]);

    tui.press("enter");
    tui.wait("the key in the Browser", |s| {
        s.contains("1 Keys") && s.contains("HASH probe:h") && s.contains("field │ value")
    })
    .await;
    assert_eq!(
        tui.runner.app().keys().selected_key(),
        Some(&b"probe:h"[..]),
        "its row selected"
    );
    assert!(tui.runner.app().screens().top().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screen_keys_and_sections_are_checked_like_the_others() {
    use upstash_tui::tui::keymap::Keymap;
    use upstash_tui::tui::screen::Registry;
    let registry = Registry::builtin().with(probe::ENTRY);
    for (text, want) in [
        (
            "[screens]\nnowhere = [\"P\"]",
            "[keymap.screens] unknown screen \"nowhere\"",
        ),
        (
            "[probe]\nfly = [\"x\"]",
            "[keymap.probe] unknown action \"fly\"",
        ),
        (
            "[screens]\nprobe = 3",
            "[keymap.screens] probe: expected a key",
        ),
    ] {
        let table: toml::Table = text.parse().expect("toml");
        let err = format!(
            "{:#}",
            Keymap::with_screens(&table, &registry).expect_err(text)
        );
        assert!(err.contains(want), "{err}");
    }
    // A screen that is not registered has no section.
    let table: toml::Table = "[probe]\nopen = [\"enter\"]".parse().expect("toml");
    let err = format!("{:#}", Keymap::new(&table).expect_err("no probe"));
    assert!(err.contains("unknown section [keymap.probe]"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_counts_an_open_keys_ttl_down() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("expiring")
        .arg("soon")
        .arg("EX")
        .arg(500)
        .query_async(&mut conn)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &Options::default(), 100, 30);
    tui.wait("the key", |s| s.contains("expiring")).await;
    tui.press("enter");
    // The Value pane's header: `ttl 8m19s · len 4 · ...`.
    let header = |s: &str| {
        s.lines()
            .find_map(|l| l.split_once("││ttl ").map(|(_, ttl)| ttl.to_owned()))
            .unwrap_or_default()
    };
    tui.wait("its TTL", |s| header(s).starts_with("8m")).await;
    let first = header(&tui.screen());
    tui.wait("the countdown to move", |s| header(s) != first)
        .await;
}
