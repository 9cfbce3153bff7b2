//! The real binary in tmux: commands typed into the Console reach the
//! redis-server behind the gateway, replies show as redis-cli shows them,
//! FLUSHALL waits for its name, and the history is kept on disk, one file
//! per database. Pastes with and without brackets, a megabyte paste, Ctrl-C
//! during a flood of keys, and the signals that must restore the terminal.

use crate::common;

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
    let history = std::fs::read_to_string(history_file(dir.path(), &h.url))
        .expect("the history file is written");
    assert!(history.contains("get existing"), "{history}");
    assert!(history.contains("3 INCR hits"), "{history}");
}

/// Where the TUI keeps the Console history of the database at `url`.
fn history_file(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    dir.join("data/upstash-tui/history")
        .join(host.replace(':', "_"))
}

/// The TUI on `h` in tmux, the Console focused.
async fn console(h: &Harness, name: &str, dir: &std::path::Path) -> Tmux {
    let data = format!("XDG_DATA_HOME={}/data", dir.display());
    let tmux = Tmux::launch_tui(name, dir, &h.url, &data, "").await;
    tmux.wait("the TUI", |s| s.contains("1 Keys")).await;
    tmux.send(&[":"]);
    tmux.wait("the Console", |s| s.contains("Type a command"))
        .await;
    tmux
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_megabyte_paste_is_sent_whole_and_the_history_is_per_database() {
    let h = Harness::start().await;
    let mut redis = h.redis_conn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = console(&h, "paste", dir.path()).await;
    tmux.paste(&format!("SET con:big {}", "x".repeat(1_000_000)), true);
    tmux.wait("the end of the pasted line", |s| {
        s.contains(&format!("│> {}", "x".repeat(40)))
    })
    .await;
    tmux.send(&["Enter"]);
    tmux.wait("the reply", |s| {
        s.contains("(1000012 bytes)") && s.contains("│OK")
    })
    .await;
    let len: usize = redis.strlen("con:big").await.expect("STRLEN");
    assert_eq!(len, 1_000_000);
    tmux.line("GET small");
    tmux.wait("the next reply", |s| s.contains("(nil)")).await;
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;

    let file = history_file(dir.path(), &h.url);
    let history = std::fs::read_to_string(&file).expect("the history file is written");
    assert_eq!(history, "GET small\n", "a megabyte line is sent, not kept");
    assert!(!file.to_string_lossy().contains(common::TOKEN));

    // Another database has a history of its own.
    let other = Harness::start().await;
    let tmux = console(&other, "paste2", dir.path()).await;
    tmux.send(&["Up"]);
    tmux.send(&["-l", "!"]);
    tmux.wait("the line", |s| s.contains("│> !")).await;
    assert!(!tmux.screen().contains("GET small"), "{}", tmux.screen());
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_breaks_in_a_paste_without_brackets_end_each_command() {
    let h = Harness::start().await;
    let mut redis = h.redis_conn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = console(&h, "nobrackets", dir.path()).await;
    // A terminal without bracketed paste sends carriage returns...
    tmux.paste("SET nb:a 1\nINCR nb:a\nINCR nb:a\n", false);
    // ... and keys typed by a program may carry line feeds (Ctrl-J).
    tmux.send(&["-l", "SET nb:b 5\nINCR nb:b\n"]);
    tmux.wait("both replies", |s| {
        s.contains("(integer) 3") && s.contains("(integer) 6")
    })
    .await;
    let a: i64 = redis.get("nb:a").await.expect("GET");
    let b: i64 = redis.get("nb:b").await.expect("GET");
    assert_eq!((a, b), (3, 6));
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_quits_during_a_flood_of_keys() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let tmux = console(&h, "flood", dir.path()).await;
    // 300 000 keys typed at once: a paste without brackets.
    tmux.paste(&"x".repeat(300_000), false);
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_and_sigint_restore_the_terminal() {
    let h = Harness::start().await;
    for signal in ["-HUP", "-INT", "-TERM"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let tmux = console(&h, "signals", dir.path()).await;
        let pid = tmux.program_pid().expect("the TUI runs under the shell");
        let status = std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        tmux.wait_for_shell().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_during_a_command_leaves_the_keys_working_and_ctrl_c_quits() {
    use common::proxy::{Fault, Proxy};
    let h = Harness::start().await;
    let proxy = Proxy::start(&h.url).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = format!("XDG_DATA_HOME={}/data", dir.path().display());
    let tmux = Tmux::launch_tui("dead", dir.path(), &proxy.url(), &data, "").await;
    tmux.wait("the TUI", |s| s.contains("1 Keys")).await;
    tmux.send(&[":"]);
    tmux.wait("the Console", |s| s.contains("Type a command"))
        .await;
    proxy.set(Fault::Latency(std::time::Duration::from_secs(60)));
    tmux.line("GET k");
    tmux.line("GET k2");
    tmux.send(&["-l", "typed meanwhile"]);
    tmux.wait("the line typed while both wait", |s| {
        s.contains("> GET k2") && s.contains("│> typed meanwhile")
    })
    .await;
    tmux.send(&["Escape"]);
    tmux.wait("the Keys pane's keys", |s| s.contains("k/j move"))
        .await;
    tmux.send(&["C-c"]);
    tmux.wait_for_shell().await;
}
