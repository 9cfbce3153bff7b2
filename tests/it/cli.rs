//! The command line itself: help, version, usage errors and their exit codes.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use crate::common::BIN;

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn version_and_help() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!("upstash-tui {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    for sub in ["serve", "exec", "doctor", "scan", "demo"] {
        assert!(
            help.contains(&format!("\n  {sub} ")),
            "{sub} missing from {help}"
        );
    }
    for sub in ["serve", "exec", "doctor", "scan", "demo"] {
        let out = run(&[sub, "--help"]);
        assert!(out.status.success(), "{sub} --help: {}", stderr(&out));
        assert!(stdout(&out).contains(&format!("Usage: upstash-tui {sub}")));
    }
    let exec_help = stdout(&run(&["exec", "--help"]));
    for flag in [
        "--raw",
        "--json",
        "--url",
        "--token",
        "--timeout",
        "--env-file",
        "--profile",
    ] {
        assert!(exec_help.contains(flag), "{flag} missing from exec --help");
    }
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["--no-such-flag"][..],
        &["exec", "--raw", "--json", "PING"],
        &["exec", "--timeout", "5", "PING"],
        &["exec", "--connect-timeout", "soon", "PING"],
        &["no-such-command"],
        &["scan", "--type", "bogus"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error:"), "{args:?}");
    }
    assert!(stderr(&run(&["exec", "--timeout", "5", "PING"])).contains("500ms, 5s, 1m"));
    assert!(stderr(&run(&["scan", "--type", "bogus"])).contains("string, hash, list"));
}

#[test]
fn options_after_the_exec_command_are_named_as_its_arguments() {
    let port = upstash_tui::redis_server::free_port().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let out = run(&[
        "exec",
        "PING",
        "--url",
        &url,
        "--token",
        "a-secret-token-99",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("`--url` and `--token` came after the command")
            && err.contains("options go before"),
        "{err}"
    );
    assert!(!err.contains("a-secret-token-99"), "{err}");
    // An argument that only looks like an option is no option of ours.
    let out = run(&["exec", "SET", "k", "--urlish"]);
    assert!(
        !stderr(&out).contains("came after the command"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unbalanced_quotes_on_stdin_are_one_clear_line() {
    let port = upstash_tui::redis_server::free_port().unwrap();
    let mut child = Command::new(BIN)
        .args([
            "exec",
            "--url",
            &format!("http://127.0.0.1:{port}"),
            "--token",
            "t",
        ])
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"PING\nSET k \"unclosed\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: line 2: Invalid argument(s): unbalanced quotes\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn logs_go_to_the_chosen_file_at_the_chosen_level() {
    let dir = tempfile::tempdir().unwrap();
    let port = upstash_tui::redis_server::free_port().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let log_run = |file: &str, level: &str| {
        let path = dir.path().join(file);
        let out = Command::new(BIN)
            .arg("--log-file")
            .arg(&path)
            .args(["exec", "--url", &url, "--token", "secret-token-1234567890"])
            .args(["--connect-timeout", "500ms", "PING"])
            .env_clear()
            .env("HOME", dir.path())
            .env("UPSTASH_TUI_LOG", level)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        // Nothing but the one error line reaches the terminal.
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
        std::fs::read_to_string(path).unwrap()
    };
    let info = log_run("nested/info.log", "info");
    assert!(
        info.contains("connecting") && info.contains("ERROR"),
        "{info}"
    );
    assert!(!info.contains("secret-token-1234567890"), "{info}");
    let errors_only = log_run("error.log", "error");
    assert!(
        !errors_only.contains("connecting") && errors_only.contains("ERROR"),
        "{errors_only}"
    );
}

#[test]
fn the_tui_without_a_terminal_is_one_clear_line() {
    let port = upstash_tui::redis_server::free_port().unwrap();
    let out = run(&["--url", &format!("http://127.0.0.1:{port}"), "--token", "t"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: the TUI needs a terminal; in scripts use `upstash-tui exec`, `scan` or `doctor`\n"
    );
}
