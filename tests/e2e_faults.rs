//! The real binary in tmux, pointed at the fault-injection proxy in front of
//! the real gateway: while requests hang (latency) or fail (dropped
//! connections) the keys still move the selection and open the help, the
//! error reaches the screen, and a rescan works once the fault clears.

mod common;

use std::time::Duration;

use common::Harness;
use common::proxy::{Fault, Proxy};
use common::tmux::Tmux;

use common::tmux::PROMPT;
/// The title of the help overlay.
const HELP: &str = "Keys (Esc closes)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_keeps_answering_keys_while_requests_hang_or_fail() {
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

    // Requests hang: the help opens and closes before the request gives up.
    proxy.set(Fault::Latency(Duration::from_secs(60)));
    let before = proxy.requests();
    tmux.send(&["r"]);
    let sent = common::wait_until(Duration::from_secs(5), || {
        let sent = proxy.requests() > before;
        async move { sent }
    })
    .await;
    assert!(sent, "the rescan reached the proxy");
    tmux.send(&["?"]);
    tmux.wait("the help while a request hangs", |s| s.contains(HELP))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the help to close", |s| !s.contains(HELP)).await;
    assert!(
        !tmux.screen().contains("timed out"),
        "the keys were answered while the request was still pending"
    );
    tmux.wait("the timeout on screen", |s| {
        s.contains("scan failed: the request timed out")
    })
    .await;

    // Connections are dropped: the error shows, focus still moves.
    proxy.set(Fault::Drop);
    tmux.send(&["r"]);
    tmux.wait("the dropped connection on screen", |s| {
        s.contains("scan failed: cannot reach the server")
    })
    .await;
    tmux.send(&["3"]);
    tmux.wait("the console's keys in the status bar", |s| {
        s.contains("Enter send")
    })
    .await;
    tmux.send(&["Escape"]);
    tmux.send(&["?"]);
    tmux.wait("the help while requests fail", |s| s.contains(HELP))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the help to close", |s| !s.contains(HELP)).await;

    // The fault clears: a rescan lists the keys again.
    proxy.set(Fault::Pass);
    tmux.send(&["r"]);
    tmux.wait("the keys after recovery", |s| {
        s.contains("item (30)") && s.contains("30 keys")
    })
    .await;
    tmux.send(&["C-c"]);
    tmux.wait("the shell", |s| s.matches(PROMPT).count() >= 2)
        .await;
}
