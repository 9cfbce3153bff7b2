//! A panic restores the terminal first, then prints the message and the log
//! path. The panic happens in a child process (this same test binary).

use std::process::Command;

const CHILD: &str = "UPSTASH_TUI_PANIC_CHILD";

#[test]
fn panic_restores_the_terminal_then_names_the_log() {
    if std::env::var_os(CHILD).is_some() {
        upstash_tui::tui::install_panic_hook(Some("/tmp/upstash-tui-test.log".into()));
        panic!("a bug in a view");
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .args([
            "--exact",
            "panic_restores_the_terminal_then_names_the_log",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .expect("run the child");
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
