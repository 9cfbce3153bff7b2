//! What the TUI spends at a distance: the real binary in tmux, through the
//! latency proxy (100 ms a round trip) in front of the real gateway,
//! counted in HTTP requests and connections, never timed. Opening a key the
//! cursor rested on costs no request, an idle TUI one per probe interval,
//! the frugal profile sends no prefetch and asks before `L`, and sequential
//! requests reuse one connection.

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Harness;
use common::proxy::{Fault, Proxy};
use common::tmux::Tmux;

/// The round trip the proxy adds.
const RTT: Duration = Duration::from_millis(100);

/// A database of `fill` keys under `fill:`, three strings after them
/// (`alpha`, `beta`, `zeta`, the last row) and, with `wide` fields, a hash
/// `wide`, behind the latency proxy.
async fn distant(fill: usize, wide: usize) -> (Harness, Proxy) {
    let h = Harness::start().await;
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..fill {
        pipe.set(format!("fill:{i:05}"), "x").ignore();
    }
    for k in ["alpha", "beta", "zeta"] {
        pipe.set(k, format!("value-of-{k}")).ignore();
    }
    for i in 0..wide {
        pipe.hset("wide", format!("f{i}"), i).ignore();
    }
    let () = pipe.query_async(&mut conn).await.expect("seed");
    let proxy = Proxy::start(&h.url).await;
    proxy.set(Fault::Latency(RTT));
    (h, proxy)
}

/// Writes the TUI's config file in its XDG folder under `dir`.
fn config(dir: &Path, text: &str) {
    let folder = dir.join("upstash-tui");
    std::fs::create_dir_all(&folder).expect("config folder");
    std::fs::write(folder.join("config.toml"), text).expect("config file");
}

/// Waits until the proxy has seen no new request for a while (the rest, a
/// round trip and more), and returns the count.
async fn quiet(proxy: &Proxy) -> u64 {
    let mut last = (proxy.requests(), Instant::now());
    let settled = common::wait_until(Duration::from_secs(10), || {
        let now = proxy.requests();
        if now != last.0 {
            last = (now, Instant::now());
        }
        let quiet = last.1.elapsed() > RTT * 6;
        async move { quiet }
    })
    .await;
    assert!(settled, "the TUI kept sending");
    proxy.requests()
}

/// The string value the Value pane shows (`value-of-...`).
fn shown_value(screen: &str) -> String {
    let at = screen.find("value-of-").unwrap_or(screen.len());
    screen[at..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_after_a_rest_costs_no_request_and_sequential_requests_share_a_connection() {
    let (_h, proxy) = distant(20, 0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // No periodic probe during the test: every request is one the test caused.
    config(dir.path(), "[monitor]\ninterval = \"1h\"\n");
    let tmux = Tmux::launch_tui("rest", dir.path(), &proxy.url(), "", "").await;
    tmux.wait("the keys", |s| {
        ["fill (20)", "alpha", "beta", "zeta"]
            .iter()
            .all(|k| s.contains(k))
    })
    .await;

    // The cursor rests on the last key: it is fetched ahead, and the
    // Monitor says so.
    tmux.send(&["G"]);
    tmux.wait("the prefetch in the Monitor", |s| {
        s.contains("prefetch 1 req")
    })
    .await;
    let before = quiet(&proxy).await;
    tmux.send(&["Enter"]);
    tmux.wait("its value", |s| s.contains("value-of-")).await;
    let first = shown_value(&tmux.screen());
    assert_eq!(
        quiet(&proxy).await,
        before,
        "Enter after a rest sends nothing"
    );

    // Enter before the rest: one request (and no prefetch after it).
    tmux.send(&["k"]);
    tmux.send(&["Enter"]);
    tmux.wait("the row above's value", |s| {
        s.contains("value-of-") && shown_value(s) != first
    })
    .await;
    assert_eq!(
        quiet(&proxy).await,
        before + 1,
        "Enter without a rest: one request"
    );

    // Sequential requests reuse the connections already open.
    let connections = proxy.connections();
    tmux.send(&["3"]);
    for k in ["alpha", "beta", "zeta", "alpha", "beta"] {
        let sent = proxy.requests();
        tmux.line(&format!("STRLEN {k}"));
        let answered = common::wait_until(Duration::from_secs(5), || {
            let done = proxy.requests() > sent && tmux.screen().contains("(integer) ");
            async move { done }
        })
        .await;
        assert!(answered, "{}", tmux.screen());
        quiet(&proxy).await;
    }
    assert_eq!(
        proxy.connections(),
        connections,
        "no connection opened for them"
    );
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frugal_sends_no_prefetch_and_asks_before_a_full_scan() {
    let (_h, proxy) = distant(5000, 3000).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // Every command asks here: L on 5 000 keys is one growing page.
    config(
        dir.path(),
        "[monitor]\ninterval = \"1h\"\n[cost]\nconfirm_above = 0\n",
    );
    let tmux = Tmux::launch_tui("frugal", dir.path(), &proxy.url(), "", "--frugal").await;
    tmux.wait("the paused scan and the badge", |s| {
        s.contains("FRUGAL") && s.contains("paused") && s.contains("fill (")
    })
    .await;
    // A key on its row, wherever the budgeted scan stopped.
    tmux.send(&["/"]);
    tmux.line("zeta");
    tmux.wait("the key looked up", |s| {
        s.contains("looked up") && s.contains("STR  zeta")
    })
    .await;
    let before = quiet(&proxy).await;
    tmux.send(&["Enter"]);
    tmux.wait("a key's header", |s| s.contains("no expiry"))
        .await;
    assert_eq!(
        quiet(&proxy).await,
        before + 1,
        "no prefetch: Enter costs one request"
    );
    assert!(!tmux.screen().contains("prefetch"), "{}", tmux.screen());

    // Back to every key: the budgeted scan pauses again.
    tmux.send(&["1", "/"]);
    tmux.line("");
    tmux.wait("the paused scan", |s| {
        s.contains("/* ·") && s.contains("paused")
    })
    .await;
    let before = quiet(&proxy).await;
    // L shows the estimate and sends nothing until the answer.
    tmux.send(&["L"]);
    tmux.wait("the question", |s| {
        s.contains("Full scan")
            && s.contains("about 1 SCAN request (1 command)")
            && s.contains("asks above 0 ")
    })
    .await;
    assert_eq!(proxy.requests(), before);
    tmux.send(&["y"]);
    tmux.wait("the whole scan", |s| {
        s.contains("5004 keys") && s.contains("done")
    })
    .await;

    // G through a hash's scan asks too, with its estimate.
    tmux.send(&["/"]);
    tmux.line("wide");
    tmux.wait("the hash looked up", |s| {
        s.contains("looked up") && s.contains("HASH wide")
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("its first page", |s| s.contains("len 3 000"))
        .await;
    let before = quiet(&proxy).await;
    tmux.send(&["2"]);
    tmux.send(&["G"]);
    tmux.wait("the question", |s| {
        s.contains("G reads the rest of the scan:") && s.contains("up to 3 requests")
    })
    .await;
    assert_eq!(proxy.requests(), before);
    tmux.send(&["n"]);
    tmux.wait("the refusal", |s| s.contains("not sent")).await;
    assert_eq!(quiet(&proxy).await, before);
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_tui_sends_at_most_one_request_per_probe_interval() {
    let (_h, proxy) = distant(20, 0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    config(dir.path(), "[monitor]\ninterval = \"1s\"\n");
    let tmux = Tmux::launch_tui("idle", dir.path(), &proxy.url(), "", "").await;
    // Past the start (the scan, DBSIZE, details, the first probes).
    tmux.wait("the second probe", |s| s.contains("(2 monitor"))
        .await;
    let (start, from) = (proxy.requests(), Instant::now());
    // A measuring window, not a wait for an event.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (sent, took) = (proxy.requests() - start, from.elapsed());
    let most = took.as_secs() + 1;
    assert!(
        (2..=most).contains(&sent),
        "{sent} requests in {took:?} with a probe every second"
    );
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test]
async fn a_client_sends_sequential_requests_over_one_connection() {
    let h = Harness::start().await;
    let proxy = Proxy::start(&h.url).await;
    proxy.set(Fault::Latency(Duration::from_millis(20)));
    let client = common::client_at(&proxy.url(), common::TOKEN, Duration::from_secs(10));
    for i in 0..10 {
        client
            .command(&["SET", "k", &i.to_string()])
            .await
            .expect("SET");
        client
            .pipeline(&[upstash_tui::upstash::cmd(["GET", "k"])])
            .await
            .expect("GET");
    }
    assert_eq!((proxy.requests(), proxy.connections()), (20, 1));
}
