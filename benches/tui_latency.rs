//! The TUI's own figures, measured on the real release binary in a tmux
//! pane against a local redis-server and the in-process gateway:
//!
//! - launch to the first keys on screen (1 000 keys in the database);
//! - keystroke to frame: `j` is sent with `tmux send-keys` and the Keys
//!   pane is read back with `capture-pane` until the selection has moved;
//!   once idle, and once while a Console command keeps the server busy for
//!   2 s (a Lua loop on `TIME`, so every other request waits behind it);
//! - resident memory (VmRSS, VmHWM from /proc) after `L` scanned 1 000 000 keys.
//!
//! Each figure includes tmux's own cost (one `send-keys` process, then
//! `capture-pane` polls of a few milliseconds each; for the launch, also the
//! shell's `exec`), so they are upper bounds. Run with `cargo bench --bench tui_latency`.

mod local;

use std::time::{Duration, Instant};

use upstash_tui::redis_server::RedisServer;

use local::TOKEN;
use local::pane::Pane;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// The Keys pane at 200x60: 40% of the width, the rows under the title bar.
const KEYS_COLUMNS: usize = 80;
const KEYS_ROWS: (u16, u16) = (1, 41);
const LAUNCHES: usize = 9;
const PRESSES: usize = 10;
/// A Console command that keeps redis-server busy for 2 s.
const SLOW: &str = "EVAL \"local t=redis.call('TIME') local e=t[1]*1000000+t[2]+2000000 \
repeat t=redis.call('TIME') until t[1]*1000000+t[2]>=e return 'slept-2s'\" 0";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let redis = RedisServer::start()?;
    let gateway = runtime.block_on(local::gateway(&redis))?;
    let url = gateway.url();
    let mut db = redis::Client::open(redis.url())?.get_connection()?;
    let home = tempfile::tempdir()?;

    seed(&mut db, "bench-key-%06d", 1_000)?;
    let mut launches = Vec::new();
    for n in 0..LAUNCHES {
        let pane = Pane::start(home.path(), &n.to_string(), WIDTH, HEIGHT);
        pane.type_launch(&url, TOKEN, "")?;
        let started = Instant::now();
        pane.send(&["Enter"]);
        pane.wait_for(Duration::from_secs(10), |s| s.contains("bench-key-"))?;
        launches.push(started.elapsed());
    }
    report("launch to first keys on screen (1 000 keys)", &mut launches);

    let pane = Pane::start(home.path(), "presses", WIDTH, HEIGHT);
    pane.launch(&url, TOKEN, "")?;
    pane.wait_for(Duration::from_secs(10), |s| s.contains("bench-key-"))?;
    // What the method itself costs: one send-keys that sends nothing and one capture.
    let mut floor: Vec<Duration> = (0..PRESSES)
        .map(|_| {
            let started = Instant::now();
            pane.send(&["-l", ""]);
            let _ = keys_pane(&pane);
            started.elapsed()
        })
        .collect();
    report(
        "measurement floor (send-keys + one capture-pane)",
        &mut floor,
    );
    let mut idle = presses(&pane)?;
    report("keystroke to frame, idle", &mut idle);
    pane.send(&[":"]);
    pane.send(&["-l", SLOW]);
    let sent = Instant::now();
    pane.send(&["Enter"]);
    // Escape in the same read as another key would arrive as Alt-key.
    std::thread::sleep(Duration::from_millis(50));
    pane.send(&["Escape"]);
    pane.wait_for(Duration::from_secs(1), |s| s.contains("k/j move"))?;
    let mut busy = presses(&pane)?;
    let last_press = sent.elapsed();
    pane.wait_for(Duration::from_secs(10), |s| s.contains("slept-2s"))?;
    let answered = sent.elapsed();
    anyhow::ensure!(
        last_press < answered && answered >= Duration::from_secs(2),
        "the presses were not all made while the request was in flight"
    );
    report(
        &format!(
            "keystroke to frame, 2 s request in flight (presses within {:.2} s, reply after {:.2} s)",
            last_press.as_secs_f64(),
            answered.as_secs_f64()
        ),
        &mut busy,
    );
    drop(pane);

    redis::cmd("FLUSHALL").exec(&mut db)?;
    local::seed_million(&mut db)?;
    let pane = Pane::start(home.path(), "million", WIDTH, HEIGHT);
    pane.launch(&url, TOKEN, "")?;
    pane.wait_for(Duration::from_secs(10), |s| s.contains("celery-task-meta-"))?;
    let started = Instant::now();
    pane.send(&["L"]);
    pane.wait_for(Duration::from_secs(300), |s| {
        s.contains("scanned 1000000/1000000") && s.contains("done")
    })?;
    let scanned = started.elapsed();
    let (rss, hwm) = memory(pane.pid()?)?;
    println!(
        "1 000 000 keys loaded with L in {:.2} s: VmRSS {:.1} MiB, VmHWM {:.1} MiB",
        scanned.as_secs_f64(),
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    Ok(())
}

/// `n` string keys named by `pattern` (a Lua format string), in one script.
fn seed(db: &mut redis::Connection, pattern: &str, n: u64) -> anyhow::Result<()> {
    redis::cmd("EVAL")
        .arg("for i=1,tonumber(ARGV[2]) do redis.call('SET', string.format(ARGV[1], i), 'v') end")
        .arg(0)
        .arg(pattern)
        .arg(n)
        .exec(db)?;
    Ok(())
}

/// `PRESSES` presses of `j`, each timed until the Keys pane changed.
fn presses(pane: &Pane) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(PRESSES);
    for _ in 0..PRESSES {
        let before = keys_pane(pane);
        let started = Instant::now();
        pane.send(&["j"]);
        let deadline = started + Duration::from_secs(2);
        loop {
            if keys_pane(pane) != before {
                times.push(started.elapsed());
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "the selection did not move");
        }
    }
    Ok(times)
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// VmRSS and VmHWM of `pid`, in KiB.
fn memory(pid: u32) -> anyhow::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> anyhow::Result<u64> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .ok_or_else(|| anyhow::anyhow!("{name} missing"))?;
        Ok(line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// The Keys pane's rows with their colours, the columns of the other panes cut off.
fn keys_pane(pane: &Pane) -> Vec<String> {
    let (from, to) = (KEYS_ROWS.0.to_string(), KEYS_ROWS.1.to_string());
    pane.capture(&["-e", "-S", &from, "-E", &to])
        .lines()
        .map(visible_prefix)
        .collect()
}

/// The first `KEYS_COLUMNS` visible characters of a captured line, with the
/// colour sequences (`ESC [ ... m`) among them kept.
fn visible_prefix(line: &str) -> String {
    let mut out = String::new();
    let mut visible = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            out.push(c);
            for e in chars.by_ref() {
                out.push(e);
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        if visible == KEYS_COLUMNS {
            break;
        }
        out.push(c);
        visible += 1;
    }
    out
}
