//! The real binary in tmux: commands typed into the Console reach the
//! redis-server behind the gateway, replies show as redis-cli shows them,
//! FLUSHALL waits for its name, and the history is kept on disk.

mod common;

use common::Harness;
use common::tmux::Tmux;
use redis::AsyncCommands as _;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_typed_into_the_console() {
    let h = Harness::start().await;
    let mut redis = h.redis_conn().await;
    let () = redis.set("existing", "1").await.expect("seed");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display();
    let data = format!("XDG_DATA_HOME={d}/data");
    let tmux = Tmux::launch_tui("console", dir.path(), &h.url, &data, "").await;
    tmux.wait("the TUI", |s| {
        s.contains("1 Keys") && s.contains("existing")
    })
    .await;

    tmux.send(&[":"]);
    tmux.line("SET greeting \"hello\\tworld\"");
    tmux.wait("OK", |s| s.contains("> SET greeting") && s.contains("│OK"))
        .await;
    // Completion of the command name and of a loaded key, then the reply.
    tmux.send(&["-l", "get"]);
    tmux.send(&["Tab"]);
    tmux.send(&["-l", " exi"]);
    tmux.send(&["Tab"]);
    tmux.wait("the completed line", |s| s.contains("> get existing"))
        .await;
    tmux.send(&["Enter"]);
    tmux.wait("the reply", |s| s.contains("│\"1\"")).await;
    tmux.line("3 INCR hits");
    tmux.wait("three replies", |s| s.contains("(integer) 3"))
        .await;
    let hits: i64 = redis.get("hits").await.expect("direct GET");
    assert_eq!(hits, 3);
    let greeting: Vec<u8> = redis.get("greeting").await.expect("direct GET");
    assert_eq!(greeting, b"hello\tworld");

    tmux.line("FLUSHALL");
    tmux.wait("the confirmation", |s| {
        s.contains("Type FLUSHALL and press Enter")
    })
    .await;
    tmux.line("y");
    tmux.wait("the refusal", |s| s.contains("not sent: not confirmed"))
        .await;
    let exists: bool = redis.exists("existing").await.expect("direct EXISTS");
    assert!(exists, "FLUSHALL was not sent");
    tmux.line("BLPOP queue 0");
    tmux.wait("the warning", |s| {
        s.contains("not sent: BLPOP is not available over Upstash REST")
    })
    .await;

    tmux.send(&["C-c"]);
    tmux.wait("the shell", |s| !s.contains("1 Keys")).await;
    let history = std::fs::read_to_string(dir.path().join("data/upstash-tui/console_history"))
        .expect("the history file is written");
    assert!(history.contains("get existing"), "{history}");
    assert!(history.contains("3 INCR hits"), "{history}");
}
