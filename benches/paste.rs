//! A 1 MB and a 10 MB paste into the Console of the real release binary,
//! in a 120x40 tmux pane against a local redis-server and the in-process
//! gateway: `SET paste:N xxx…` goes in as one bracketed paste (`tmux
//! load-buffer` then `paste-buffer -p`), Enter sends it.
//!
//! Printed for each: the time from the paste to its end on the command
//! line, from Enter to the reply on screen (the request included), and the
//! TUI's peak resident memory (VmHWM from /proc), each paste in a TUI of
//! its own. The screen is polled with `capture-pane`, so the times include
//! a few milliseconds of tmux. Run with `cargo bench --bench paste`.

mod local;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use upstash_tui::redis_server::RedisServer;

const BIN: &str = env!("CARGO_BIN_EXE_upstash-tui");

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let redis = RedisServer::start()?;
    let gateway = runtime.block_on(local::gateway(&redis))?;
    let mut db = redis::Client::open(redis.url())?.get_connection()?;
    let home = tempfile::tempdir()?;
    for (n, size) in [1_000_000, 10_000_000].into_iter().enumerate() {
        let pane = Pane::start(n);
        pane.launch(home.path(), &gateway.url())?;
        pane.wait_for(|s| s.contains("1 Keys"))?;
        pane.send(&[":"]);
        pane.wait_for(|s| s.contains("Type a command"))?;
        let line = format!("SET paste:{n} {}", "x".repeat(size));
        let file = home.path().join("paste.txt");
        std::fs::write(&file, &line)?;
        pane.tmux(&["load-buffer", &file.to_string_lossy()])
            .status()?;
        let started = Instant::now();
        pane.tmux(&["paste-buffer", "-p", "-t", "p"]).status()?;
        pane.wait_for(|s| s.contains("│> xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))?;
        let shown = started.elapsed();
        let echo = format!("({} bytes)", line.len());
        let sent = Instant::now();
        pane.send(&["Enter"]);
        pane.wait_for(|s| s.contains(&echo) && s.contains("│OK"))?;
        let answered = sent.elapsed();
        let stored: usize = redis::cmd("STRLEN")
            .arg(format!("paste:{n}"))
            .query(&mut db)?;
        anyhow::ensure!(stored == size, "stored {stored} bytes of {size}");
        let hwm = peak_memory(pane.program()?)?;
        println!(
            "{} MB paste: on the command line in {:.0} ms, sent and answered in {:.0} ms; \
             TUI peak memory (VmHWM) {:.1} MiB",
            size / 1_000_000,
            shown.as_secs_f64() * 1000.0,
            answered.as_secs_f64() * 1000.0,
            hwm as f64 / 1024.0
        );
        pane.send(&["C-c"]);
    }
    Ok(())
}

/// VmHWM of `pid`, in KiB.
fn peak_memory(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .ok_or_else(|| anyhow::anyhow!("no VmHWM"))?;
    Ok(line.trim().trim_end_matches("kB").trim().parse()?)
}

/// A tmux server with one 120x40 pane running `sh`, killed on drop.
struct Pane {
    socket: String,
}

impl Pane {
    fn start(n: usize) -> Pane {
        let pane = Pane {
            socket: format!("upstash-tui-paste-{}-{n}", std::process::id()),
        };
        let started = pane
            .tmux(&["-f", "/dev/null", "new-session", "-d", "-s", "p"])
            .args(["-x", "120", "-y", "40", "sh"])
            .status();
        assert!(started.is_ok_and(|s| s.success()), "tmux starts");
        pane
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]).args(args);
        c
    }

    /// Runs the TUI on `url`, its home (history, logs) in `home`.
    fn launch(&self, home: &Path, url: &str) -> anyhow::Result<()> {
        let command = format!(
            "exec env -i HOME={h} XDG_DATA_HOME={h} PATH=/usr/bin:/bin TERM=xterm-256color \
             UPSTASH_REDIS_REST_URL={url} UPSTASH_REDIS_REST_TOKEN={token} {BIN}",
            h = home.display(),
            token = local::TOKEN,
        );
        self.send(&["-l", &command]);
        self.send(&["Enter"]);
        Ok(())
    }

    fn send(&self, keys: &[&str]) {
        let sent = self.tmux(&["send-keys", "-t", "p"]).args(keys).status();
        assert!(sent.is_ok_and(|s| s.success()), "tmux send-keys");
    }

    /// Polls the screen until `done` holds (60 s at most).
    fn wait_for(&self, done: impl Fn(&str) -> bool) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let out = self.tmux(&["capture-pane", "-p", "-t", "p"]).output()?;
            let screen = String::from_utf8_lossy(&out.stdout);
            if done(&screen) {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "timed out; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The TUI's pid (the pane's shell `exec`s it).
    fn program(&self) -> anyhow::Result<u32> {
        let out = self
            .tmux(&["display-message", "-p", "-t", "p", "#{pane_pid}"])
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}
