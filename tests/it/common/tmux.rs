//! Drives the real binary in a detached tmux session: type keys, read the
//! screen back, wait on what it shows. The session is killed on drop.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::wait_until;

/// What the session's shell shows when it waits for a command.
pub const PROMPT: &str = "e2e-prompt$";

/// One tmux server (its own socket) with one 120x40 session running `sh`.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a clean shell in `cwd`; `name` and the folder's name make the
    /// socket unique per test.
    pub fn start(name: &str, cwd: &Path) -> Tmux {
        let unique = cwd.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmux = Tmux {
            socket: format!("upstash-tui-{name}-{}", unique.unwrap_or_default()),
        };
        let status = Command::new("tmux")
            .args(["-L", &tmux.socket, "-f", "/dev/null"])
            .args(["new-session", "-d", "-x", "120", "-y", "40", "-s", "e2e"])
            .args(["-c", &cwd.to_string_lossy()])
            .arg(format!(
                "env -i PATH=/usr/bin:/bin TERM=xterm-256color PS1='{PROMPT} ' sh"
            ))
            .status()
            .expect("tmux is installed");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    /// Starts a shell in `dir` and runs the real binary in it on `url`
    /// with the full-access token, its home, config, state and log in `dir`;
    /// `env` and `args` add variables and options.
    pub async fn launch_tui(name: &str, dir: &Path, url: &str, env: &str, args: &str) -> Tmux {
        let tmux = Tmux::start(name, dir);
        tmux.wait("the shell prompt", |s| s.contains(PROMPT)).await;
        let command = format!(
            "HOME={d} XDG_CONFIG_HOME={d} XDG_STATE_HOME={d} {env} {bin} --log-file {d}/tui.log {args} --url {url} --token {token}",
            d = dir.display(),
            bin = super::BIN,
            token = super::TOKEN,
        );
        tmux.send(&[&command, "Enter"]);
        tmux
    }

    /// Sends keys as `tmux send-keys` names them (`Enter`, `C-c`, `-l text`).
    pub fn send(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "e2e"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Resizes the window (and the program's terminal) to `width`x`height`.
    pub fn resize(&self, width: u16, height: u16) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-t", "e2e"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .expect("tmux resize-window");
        assert!(status.success());
    }

    /// Types `text` literally, then presses Enter.
    pub fn line(&self, text: &str) {
        self.send(&["-l", text]);
        self.send(&["Enter"]);
    }

    /// Pastes `text` as a terminal does: in brackets (`bracketed`, one
    /// paste event) or as typed keys, line breaks sent as carriage returns.
    pub fn paste(&self, text: &str, bracketed: bool) {
        use std::io::Write as _;
        let mut load = Command::new("tmux")
            .args(["-L", &self.socket, "load-buffer", "-b", "e2e", "-"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("tmux load-buffer");
        load.stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("the buffer is written");
        assert!(load.wait().expect("tmux load-buffer").success());
        let mut paste = Command::new("tmux");
        paste.args([
            "-L",
            &self.socket,
            "paste-buffer",
            "-d",
            "-b",
            "e2e",
            "-t",
            "e2e",
        ]);
        if bracketed {
            paste.arg("-p");
        }
        assert!(paste.status().expect("tmux paste-buffer").success());
    }

    /// Waits until the program has quit: its screen is gone, the shell's
    /// prompt is back and the alternate screen was left.
    pub async fn wait_for_shell(&self) {
        self.wait("the shell to come back", |s| {
            !s.contains("1 Keys") && s.matches(PROMPT).count() >= 2
        })
        .await;
        assert!(!self.alternate_screen(), "the alternate screen is left");
    }

    /// The pid of the program the pane's shell runs (the TUI), if any.
    pub fn program_pid(&self) -> Option<u32> {
        let shell = self.pane_pid();
        let children =
            std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).ok()?;
        children.split_whitespace().next()?.parse().ok()
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "e2e"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Whether the program in the pane is on the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.display("#{alternate_on}") == "1"
    }

    /// The pane's terminal device, to write to the screen behind the program's back.
    pub fn pane_tty(&self) -> String {
        self.display("#{pane_tty}")
    }

    /// The pid of the pane's shell.
    pub fn pane_pid(&self) -> String {
        self.display("#{pane_pid}")
    }

    fn display(&self, format: &str) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", "-t", "e2e"])
            .arg(format)
            .output()
            .expect("tmux display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Waits until the screen satisfies `check`; fails with the screen shown.
    pub async fn wait(&self, what: &str, check: impl Fn(&str) -> bool) {
        let ok = wait_until(Duration::from_secs(15), || {
            let hit = check(&self.screen());
            async move { hit }
        })
        .await;
        assert!(
            ok,
            "timed out waiting for {what}; screen:\n{}",
            self.screen()
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
