//! A panic restores the terminal first, then prints the message and the log
//! path; so does a loop stuck after Ctrl-C or a signal. Each happens in a
//! child process (this same test program).

use crate::common;

const CHILD: &str = "UPSTASH_TUI_PANIC_CHILD";

#[test]
fn panic_restores_the_terminal_then_names_the_log() {
    if std::env::var_os(CHILD).is_some() {
        upstash_tui::tui::install_panic_hook(Some("/tmp/upstash-tui-test.log".into()));
        panic!("a bug in a view");
    }
    let out = common::run_alone(
        module_path!(),
        "panic_restores_the_terminal_then_names_the_log",
        &[(CHILD, "1")],
    );
    assert!(!out.status.success(), "the child panicked");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("\x1b[?1049l"),
        "the alternate screen is left: {stdout:?}"
    );
    assert!(
        stdout.contains("\x1b[?1000l"),
        "mouse capture is off: {stdout:?}"
    );
    let crashed = stderr.find("upstash-tui crashed:").expect("the message");
    assert!(stderr[crashed..].contains("a bug in a view"), "{stderr}");
    assert!(
        stderr.contains("The log is at /tmp/upstash-tui-test.log"),
        "{stderr}"
    );
}

const STUCK: &str = "UPSTASH_TUI_STUCK_CHILD";

/// After Ctrl-C or a signal, a loop that does not quit within the grace
/// period (stuck in some long piece of work) is not waited for: the
/// terminal is restored and the process exits. A loop that quit in time is
/// left alone.
#[test]
fn a_stuck_loop_is_not_waited_for_after_ctrl_c_or_a_signal() {
    use upstash_tui::tui::terminal::{GRACE, watchdog};
    match std::env::var(STUCK).as_deref() {
        Ok("stuck") => {
            let (tx, _still_running) = tokio::sync::mpsc::unbounded_channel();
            watchdog(tx, 143);
            std::thread::sleep(GRACE * 3);
            return;
        }
        Ok("quit") => {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            watchdog(tx, 143);
            drop(rx);
            std::thread::sleep(GRACE * 2);
            return;
        }
        _ => {}
    }
    let run = |how: &str| {
        common::run_alone(
            module_path!(),
            "a_stuck_loop_is_not_waited_for_after_ctrl_c_or_a_signal",
            &[(STUCK, how)],
        )
    };
    let stuck = run("stuck");
    assert_eq!(stuck.status.code(), Some(143), "{stuck:?}");
    let stdout = String::from_utf8_lossy(&stuck.stdout);
    assert!(
        stdout.contains("\x1b[?1049l"),
        "the terminal is restored: {stdout:?}"
    );
    assert!(String::from_utf8_lossy(&stuck.stderr).contains("upstash-tui: quit while busy"));
    let quit = run("quit");
    assert!(quit.status.success(), "{quit:?}");
    assert!(!String::from_utf8_lossy(&quit.stdout).contains("\x1b[?1049l"));
}
