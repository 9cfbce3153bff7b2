//! Starting a throwaway `redis-server` from PATH: on a free loopback port,
//! persistence off, stopped when dropped. Used by `demo` and the test harness.
//!
//! A port found free can be taken by another program before redis-server
//! binds it; redis-server then exits at start, and the start is tried again
//! on a new port. Readiness is checked on a Unix socket in the server's own
//! folder, so a server that someone else runs on the port is never taken
//! for ours.

use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// The line that installs `redis-server` on Debian and Ubuntu.
pub const INSTALL_HINT: &str = "sudo apt-get install -y redis-server";

/// How many ports a start tries before it gives up.
const ATTEMPTS: usize = 8;

/// A running `redis-server` child process, killed on drop.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts `redis-server` on a free port and waits until it answers PING.
    pub fn start() -> Result<RedisServer> {
        Self::start_with_args(&[])
    }

    /// Starts `redis-server` on the given loopback port (used to restart a
    /// stopped server on the same address).
    pub fn start_on(port: u16) -> Result<RedisServer> {
        Self::launch(port, &[]).map_err(Start::into_error)
    }

    /// Starts `redis-server` on a free port with extra arguments after the
    /// usual ones (for example `--rename-command DUMP ""`).
    /// A port taken meanwhile by another program is replaced by a new one.
    pub fn start_with_args(args: &[&str]) -> Result<RedisServer> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            match Self::launch(free_port()?, args) {
                Err(Start::Lost(e)) => last = Some(e),
                Err(Start::Failed(e)) => return Err(e),
                Ok(server) => return Ok(server),
            }
        }
        Err(last
            .unwrap_or_else(|| anyhow::anyhow!("no attempt made"))
            .context(format!(
                "redis-server could not bind a free port in {ATTEMPTS} attempts"
            )))
    }

    fn launch(port: u16, extra: &[&str]) -> std::result::Result<RedisServer, Start> {
        // One folder per start: a second start on the same port must not
        // find the first one's socket.
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let n = STARTS.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "upstash-tui-redis-{}-{port}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating {}", dir.display()))
            .map_err(Start::Failed)?;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--protected-mode", "yes"])
            .args(["--daemonize", "no"])
            .args(["--loglevel", "warning"])
            .arg("--dir")
            .arg(&dir)
            .arg("--logfile")
            .arg(dir.join("redis.log"))
            .arg("--unixsocket")
            .arg(socket_path(&dir))
            .args(["--unixsocketperm", "700"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Start::Failed(anyhow::anyhow!(
                    "redis-server was not found on PATH; install it with: {INSTALL_HINT}"
                )));
            }
            Err(e) => {
                return Err(Start::Failed(
                    anyhow::Error::new(e).context("starting redis-server"),
                ));
            }
        };
        let mut server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        server.wait_ready(Duration::from_secs(10))?;
        Ok(server)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Stops the server and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until this server (not another one on the same port) answers
    /// PING on its own Unix socket, which it creates after binding the port.
    fn wait_ready(&mut self, limit: Duration) -> std::result::Result<(), Start> {
        let deadline = Instant::now() + limit;
        let socket = socket_path(&self.dir);
        loop {
            if let Some(child) = self.child.as_mut() {
                let exited = child
                    .try_wait()
                    .context("waiting for redis-server")
                    .map_err(Start::Failed)?;
                if let Some(status) = exited {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        use std::io::Read as _;
                        let _ = e.read_to_string(&mut err);
                    }
                    // Its log (warnings and worse) says why, as the last lines.
                    let log =
                        std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
                    let why: Vec<&str> = log.lines().rev().take(2).collect();
                    let why: Vec<&str> = why.into_iter().rev().chain([err.trim()]).collect();
                    let why = why.join(" ");
                    let e =
                        anyhow::anyhow!("redis-server exited at start ({status}): {}", why.trim());
                    let err = format!("{log}{err}");
                    return Err(if lost_port(&err) {
                        Start::Lost(e)
                    } else {
                        Start::Failed(e)
                    });
                }
            }
            if ping(&socket) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Start::Failed(anyhow::anyhow!(
                    "redis-server did not answer PING on port {} within {limit:?}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Why a start failed: the port was taken meanwhile (worth another port), or anything else.
enum Start {
    Lost(anyhow::Error),
    Failed(anyhow::Error),
}

impl Start {
    fn into_error(self) -> anyhow::Error {
        match self {
            Start::Lost(e) | Start::Failed(e) => e,
        }
    }
}

/// Whether redis-server's start-up error says its port was in use.
fn lost_port(stderr: &str) -> bool {
    stderr.contains("Address already in use")
        || stderr.contains("Could not create server TCP listening socket")
        || stderr.contains("Failed listening on port")
}

fn socket_path(dir: &Path) -> PathBuf {
    dir.join("redis.sock")
}

fn ping(socket: &Path) -> bool {
    use std::io::{Read as _, Write as _};
    let Ok(mut s) = UnixStream::connect(socket) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    // A server with a password answers `-NOAUTH ...`: it is up all the same.
    let mut buf = [0u8; 7];
    s.read_exact(&mut buf).is_ok() && (&buf == b"+PONG\r\n" || buf.starts_with(b"-NOAUTH"))
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(l.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_told_apart_from_a_server_of_our_own() {
        let first = RedisServer::start().expect("redis-server starts");
        // Another server already answers on this port: the new one must not
        // be taken for ready, and the failure must say the port was lost.
        match RedisServer::launch(first.port(), &[]) {
            Err(Start::Lost(e)) => {
                assert!(e.to_string().contains("exited at start"), "{e:#}")
            }
            Err(Start::Failed(e)) => panic!("not seen as a lost port: {e:#}"),
            Ok(_) => panic!("a server on a taken port was taken for ready"),
        }
        let err = match RedisServer::start_on(first.port()) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("start_on a taken port succeeded"),
        };
        assert!(err.contains("in use"), "{err}");
        // A start on a fresh port still works beside it.
        let second = RedisServer::start().expect("a second server starts");
        assert_ne!(second.port(), first.port());
    }
}
