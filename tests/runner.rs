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
