//! The real binary in tmux, pointed at the fault-injection proxy in front of
//! the real gateway: while requests hang (a stopped server) or fail (a dead
//! one) the keys still move the selection and open the help, the list of
//! keys stays on screen marked stale, the failure is named within the
//! request timeout, and the list comes back by itself once the server
//! answers again.

mod common;

use std::time::{Duration, Instant};

use common::Harness;
use common::proxy::{Fault, Proxy};
use common::tmux::Tmux;

use common::tmux::PROMPT;
/// The title of the help overlay.
const HELP: &str = "Help: Keys (Esc closes)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keys_stay_and_come_back_while_the_server_hangs_or_dies() {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..30 {
        pipe.set(format!("item:{i}"), "x").ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");
    let proxy = Proxy::start(&h.url).await;
    let dir = tempfile::tempdir().expect("tempdir");

    let tmux = Tmux::launch_tui("faults", dir.path(), &proxy.url(), "", "--timeout 2s").await;
    tmux.wait("the keys", |s| s.contains("item (30)")).await;

    // The server stops answering (as under SIGSTOP): the list stays while
    // the rescan waits, the help opens and closes meanwhile.
    proxy.set(Fault::Latency(Duration::from_secs(3600)));
    let before = proxy.requests();
    let asked = Instant::now();
    tmux.send(&["r"]);
    let sent = common::wait_until(Duration::from_secs(5), || {
        let sent = proxy.requests() > before;
        async move { sent }
    })
    .await;
    assert!(sent, "the rescan reached the proxy");
    tmux.wait("the list while the rescan waits", |s| {
        s.contains("item (30)") && s.contains("refreshing…")
    })
    .await;
    tmux.send(&["?"]);
    tmux.wait("the help while a request hangs", |s| s.contains(HELP))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the help to close", |s| !s.contains(HELP)).await;
    // The failure names the timeout, within it (reads are retried only
    // inside it), and the last list stays, marked stale.
    tmux.wait("the timeout on screen", |s| {
        s.contains("scan failed: no reply within 2s (--timeout)")
    })
    .await;
    let waited = asked.elapsed();
    assert!(
        waited < Duration::from_millis(4500),
        "the scan gave up after {waited:?} with a 2 s timeout"
    );
    let screen = tmux.screen();
    assert!(
        screen.contains("item (30)") && screen.contains("stale list"),
        "{screen}"
    );

    // The server answers again: the keys come back without a key pressed.
    proxy.set(Fault::Pass);
    tmux.wait("the keys after the server is back", |s| {
        s.contains("item (30)")
            && s.contains("30 keys")
            && s.contains("· done")
            && !s.contains("stale")
            && !s.contains("scan failed")
    })
    .await;

    // The server dies (connections refused): the error shows, the list
    // stays, focus still moves.
    proxy.set(Fault::Drop);
    tmux.send(&["r"]);
    tmux.wait("the dropped connection on screen", |s| {
        s.contains("scan failed: cannot reach the server") && s.contains("item (30)")
    })
    .await;
    tmux.send(&["3"]);
    tmux.wait("the console's keys in the status bar", |s| {
        s.contains("Enter send")
    })
    .await;
    // Esc and ? arriving in one read may be taken for Alt-?: the focus leaves first.
    tmux.send(&["Escape"]);
    tmux.wait("the Keys pane's keys in the status bar", |s| {
        !s.contains("Enter send")
    })
    .await;
    tmux.send(&["?"]);
    tmux.wait("the help while requests fail", |s| s.contains(HELP))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the help to close", |s| !s.contains(HELP)).await;

    // It comes back: so do the keys, again by themselves.
    proxy.set(Fault::Pass);
    tmux.wait("the keys after recovery", |s| {
        s.contains("item (30)")
            && s.contains("30 keys")
            && s.contains("· done")
            && !s.contains("stale")
    })
    .await;
    tmux.send(&["C-c"]);
    tmux.wait("the shell", |s| s.matches(PROMPT).count() >= 2)
        .await;
}
