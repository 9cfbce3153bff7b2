//! A tmux pane running the real binary, for the benchmarks that time what a
//! user sees: keys are typed with `send-keys`, the screen is read back with
//! `capture-pane`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The release binary the benchmarks drive.
pub const BIN: &str = env!("CARGO_BIN_EXE_upstash-tui");
/// What the pane's shell shows when it waits for a command.
const PROMPT: &str = "bench$";

/// A tmux server with one pane of the given size, killed on drop.
pub struct Pane {
    socket: String,
    home: String,
}

impl Pane {
    /// A `width`x`height` pane running a clean `sh` at its prompt; `name`
    /// makes the socket unique (a killed server may still hold the last one).
    pub fn start(home: &Path, name: &str, width: u16, height: u16) -> Pane {
        let pane = Pane {
            socket: format!("upstash-tui-bench-{}-{name}", std::process::id()),
            home: home.to_string_lossy().into_owned(),
        };
        pane.tmux(&["-f", "/dev/null", "new-session", "-d", "-s", "b"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(format!(
                "env -i PATH=/usr/bin:/bin TERM=xterm-256color PS1='{PROMPT} ' sh"
            ))
            .status()
            .expect("tmux is installed");
        pane
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]).args(args);
        c
    }

    /// Types the command line that starts the TUI on `url` with `token`
    /// (settings from the environment only) and `args`, without Enter.
    pub fn type_launch(&self, url: &str, token: &str, args: &str) -> anyhow::Result<()> {
        self.wait_for(Duration::from_secs(10), |s| s.contains(PROMPT))?;
        let command = format!(
            "exec env -i HOME={} PATH=/usr/bin:/bin TERM=xterm-256color \
             UPSTASH_REDIS_REST_URL={url} UPSTASH_REDIS_REST_TOKEN={token} {BIN} {args}",
            self.home
        );
        self.send(&["-l", &command]);
        Ok(())
    }

    /// Starts the TUI.
    pub fn launch(&self, url: &str, token: &str, args: &str) -> anyhow::Result<()> {
        self.type_launch(url, token, args)?;
        self.send(&["Enter"]);
        Ok(())
    }

    /// Sends keys as `tmux send-keys` names them (`Enter`, `-l text`).
    pub fn send(&self, keys: &[&str]) {
        self.tmux(&["send-keys", "-t", "b"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
    }

    /// The screen as text (`extra`: more `capture-pane` options).
    pub fn capture(&self, extra: &[&str]) -> String {
        let out = self
            .tmux(&["capture-pane", "-p", "-t", "b"])
            .args(extra)
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until `done` holds for the screen, polling as fast as tmux
    /// answers; the screen in the error when `limit` runs out.
    pub fn wait_for(&self, limit: Duration, done: impl Fn(&str) -> bool) -> anyhow::Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.capture(&[]);
            if done(&screen) {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "timed out; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// The process running in the pane (the TUI after `exec`).
    pub fn pid(&self) -> anyhow::Result<u32> {
        let out = self
            .tmux(&["display-message", "-p", "-t", "b", "#{pane_pid}"])
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}
