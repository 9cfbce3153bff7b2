//! The whole TUI, its loop and its screen, on a `TestBackend` against the
//! harness's real gateway: no terminal, no tmux.

mod common;

use common::Harness;
use common::headless::Tui;
use upstash_tui::tui::Options;

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
    tui.press("2");
    tui.press("y");
    tui.wait("the copy to be confirmed", |s| {
        s.contains("copied 1 B to the clipboard")
    })
    .await;
    assert_eq!(tui.feed.copied.len(), 1, "one clipboard sequence written");
    assert!(tui.feed.copied[0].starts_with("\x1b]52;c;"));

    tui.press("q");
    tui.quits().await;
}

#[path = "runner/probe.rs"]
mod probe;

/// Options with the Probe screen registered, opened by `P`, its keys bound
/// from the config file's `[keymap.probe]` as a user would.
fn with_probe() -> Options {
    Options {
        screens: upstash_tui::tui::screen::Registry::builtin().with(probe::ENTRY),
        keymap: r#"
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
        .expect("toml"),
        ..Options::default()
    }
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
    seed(&h).await;
    let mut conn = h.redis_conn().await;
    let () = redis::pipe()
        .set("probe:a", "1")
        .ignore()
        .set("probe:b", "2")
        .ignore()
        .query_async(&mut conn)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &with_probe(), 100, 30);
    tui.wait("the keys", |s| s.contains("user (50)")).await;
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
        t.runner.app().focus == upstash_tui::tui::panes::Pane::Value
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
    assert_eq!(tui.runner.app().focus, upstash_tui::tui::panes::Pane::Value);
    assert!(tui.runner.app().screens().top().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_opened_from_a_screen_shows_in_the_browser_and_a_screen_cannot_write() {
    let h = Harness::start().await;
    seed(&h).await;
    let mut conn = h.redis_conn().await;
    let () = redis::pipe()
        .hset("probe:h", "field", "value")
        .ignore()
        .query_async(&mut conn)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &with_probe(), 100, 30);
    tui.wait("the keys", |s| s.contains("user (50)")).await;
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
        tui.runner.app().keys.selected_key(),
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
        ("[screens]\nnowhere = [\"P\"]", "unknown screen \"nowhere\""),
        (
            "[probe]\nfly = [\"x\"]",
            "unknown action \"fly\" in [probe]",
        ),
        ("[screens]\nprobe = 3", "screens.probe: expected a key"),
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
    assert!(err.contains("unknown section [probe]"), "{err}");
}
