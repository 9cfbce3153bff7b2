//! The product at a user's distance from their Upstash region: the real
//! release binary in a tmux pane, talking to the gateway through the test
//! suite's proxy (`tests/common/proxy.rs`), which holds every reply back by
//! 20, 100 or 250 ms and counts the HTTP requests and the commands they
//! bill. For each distance it prints the wall time, requests and commands of:
//!
//! - launch to the first keys on screen, and everything sent in the first 20 s;
//! - the idle TUI for a minute (the Monitor's probes and samples);
//! - opening a key (looked up with `/`, then Enter after a user's pause);
//! - one page down in a 1 000 000-element list;
//! - a Console command;
//! - `L` over 100 000 keys, and (at the end) over 1 000 000 keys;
//! - a bulk delete of a 1 000-key folder, from the dry run to the last key.
//!
//! The database is the demo's data set (100 000 keys: caches, sessions,
//! Celery queues and results, rate limits...) plus the list and the folder.
//! The proxy adds its delay to each reply only: connections are opened at
//! once and carry no TLS, so a real first request costs one to three round
//! trips more. Times include tmux's own polling (a few milliseconds).
//!
//! Run with `cargo bench --bench distance` (about 20 minutes); `--quick`
//! measures 100 ms only and skips the idle minute and the million keys.

mod local;

#[path = "../tests/common/proxy.rs"]
#[allow(dead_code)]
mod proxy;

use std::time::{Duration, Instant};

use local::TOKEN;
use local::pane::Pane;
use proxy::{Fault, Proxy};
use upstash_tui::demo::{self, SeedOptions};
use upstash_tui::redis_server::RedisServer;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
/// The list paged in the Value pane.
const LIST: &str = "bench:list";
const LIST_LEN: u64 = 1_000_000;
/// The folder the bulk delete removes (sorted before every other folder).
const FOLDER: &str = "archive";
const FOLDER_KEYS: u64 = 1_000;
/// How long the user pauses on a key before pressing Enter.
const PAUSE: Duration = Duration::from_millis(500);
/// How long a step may take before the run gives up.
const LIMIT: Duration = Duration::from_secs(180);

/// One measured action.
struct Row {
    action: String,
    wall: Duration,
    requests: u64,
    commands: u64,
}

/// The proxy's counters at one moment.
#[derive(Clone, Copy)]
struct Mark {
    at: Instant,
    requests: u64,
    commands: u64,
}

impl Mark {
    fn now(proxy: &Proxy) -> Mark {
        Mark {
            at: Instant::now(),
            requests: proxy.requests(),
            commands: proxy.commands(),
        }
    }

    /// What was spent from this mark to now, as a row.
    fn row(self, proxy: &Proxy, action: &str) -> Row {
        let now = Mark::now(proxy);
        Row {
            action: action.to_owned(),
            wall: now.at - self.at,
            requests: now.requests - self.requests,
            commands: now.commands - self.commands,
        }
    }
}

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let distances: &[u64] = if quick { &[100] } else { &[20, 100, 250] };
    let runtime = tokio::runtime::Runtime::new()?;
    let redis = RedisServer::start()?;
    let gateway = runtime.block_on(local::gateway(&redis))?;
    let home = tempfile::tempdir()?;
    let conn = runtime.block_on(demo::connect(&redis.url()))?;
    let opts = SeedOptions {
        keys: 100_000,
        ..SeedOptions::default()
    };
    runtime.block_on(demo::seed(&conn, &opts))?;
    let mut db = redis::Client::open(redis.url())?.get_connection()?;
    fill_list(&mut db)?;
    let lookup: String = redis::cmd("RANDOMKEY").query(&mut db)?;
    let total: u64 = redis::cmd("DBSIZE").query(&mut db)?;
    println!("database: {total} keys (the demo's data set, the list and the folder)");

    let mut tables = Vec::new();
    for &ms in distances {
        fill_folder(&mut db)?;
        let proxy = runtime.block_on(Proxy::start(&gateway.url()));
        proxy.set(Fault::Latency(Duration::from_millis(ms)));
        let rows = session(&proxy, &home, ms, &lookup, quick)?;
        // Each table as it is done, so a failure later keeps it.
        eprintln!("done at {ms} ms:");
        for row in &rows {
            eprintln!(
                "  {}: {:?}, {} req, {} cmd",
                row.action, row.wall, row.requests, row.commands
            );
        }
        tables.push((ms, rows));
    }
    if !quick {
        redis::cmd("FLUSHALL").exec(&mut db)?;
        seed_million(&mut db)?;
        for (ms, rows) in &mut tables {
            let proxy = runtime.block_on(Proxy::start(&gateway.url()));
            proxy.set(Fault::Latency(Duration::from_millis(*ms)));
            rows.push(full_scan(&proxy, &home, *ms, 1_000_000)?);
        }
    }
    for (ms, rows) in &tables {
        print_table(*ms, rows);
    }
    Ok(())
}

/// One TUI session at `ms` milliseconds per round trip: every action but
/// the million-key scan.
fn session(
    proxy: &Proxy,
    home: &tempfile::TempDir,
    ms: u64,
    lookup: &str,
    quick: bool,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let pane = Pane::start(home.path(), &format!("d{ms}"), WIDTH, HEIGHT);
    pane.type_launch(&proxy.url(), TOKEN, "")?;
    let start = Mark::now(proxy);
    pane.send(&["Enter"]);
    pane.wait_for(LIMIT, keys_listed)?;
    rows.push(start.row(proxy, "launch to first keys"));
    wait_until(start.at + Duration::from_secs(20));
    rows.push(start.row(proxy, "first 20 s after launch"));

    if !quick {
        let idle = Mark::now(proxy);
        wait_until(idle.at + Duration::from_secs(60));
        rows.push(idle.row(proxy, "idle minute"));
    }

    // Open a key: look it up, pause as a user does, then Enter.
    let seen = Mark::now(proxy);
    look_up(&pane, lookup)?;
    std::thread::sleep(PAUSE);
    let enter = Mark::now(proxy);
    pane.send(&["Enter"]);
    pane.wait_for(LIMIT, |s| value_open(s, lookup))?;
    rows.push(enter.row(proxy, "open a key (Enter to value)"));
    let mut with_lookup = seen.row(proxy, "open a key (lookup, pause, Enter)");
    with_lookup.wall -= PAUSE;
    rows.push(with_lookup);

    // Paging down the million-element list to row 1 000, one screen a press.
    pane.send(&["1"]);
    look_up(&pane, LIST)?;
    pane.send(&["Enter"]);
    pane.wait_for(LIMIT, |s| value_open(s, LIST) && s.contains("rows 1-"))?;
    pane.send(&["2"]);
    let paging = Mark::now(proxy);
    let mut presses = 0;
    while loaded_to(&pane.capture(&[])) < 1_000 {
        let before = pane.capture(&[]);
        pane.send(&["PageDown"]);
        presses += 1;
        pane.wait_for(LIMIT, |s| s != before && !s.contains("loading"))?;
    }
    rows.push(paging.row(
        proxy,
        &format!("page down a 1 000 000-element list to row 1 000 ({presses} presses)"),
    ));

    // A Console command.
    pane.send(&["3"]);
    pane.send(&["-l", &format!("LLEN {LIST}")]);
    let console = Mark::now(proxy);
    pane.send(&["Enter"]);
    pane.wait_for(LIMIT, |s| s.contains(&format!("(integer) {LIST_LEN}")))?;
    rows.push(console.row(proxy, "a Console command"));
    // Esc and 1 sent together read as Alt-1: leave the Console first.
    pane.send(&["Escape"]);
    pane.wait_for(LIMIT, |s| !s.contains("Enter send"))?;
    pane.send(&["1"]);

    // `L` over the whole database, from a fresh list of every key.
    pane.send(&["/"]);
    pane.send(&["Enter"]);
    pane.wait_for(LIMIT, |s| {
        keys_listed(s) && scan_resting(s) && !s.contains("looked up")
    })?;
    let full = Mark::now(proxy);
    pane.send(&["L"]);
    pane.wait_for(LIMIT, scan_done)?;
    rows.push(full.row(proxy, "L over 100 000 keys"));

    // A bulk delete of the folder, the first row once every key is listed.
    pane.send(&["g"]);
    let bulk = Mark::now(proxy);
    pane.send(&["D"]);
    pane.wait_for(LIMIT, |s| s.contains("Delete them all?"))?;
    pane.send(&["y"]);
    pane.wait_for(LIMIT, |s| {
        s.contains(&format!("bulk delete {FOLDER_KEYS} deleted"))
    })?;
    rows.push(bulk.row(proxy, "bulk delete of 1 000 keys (dry run included)"));
    pane.send(&["C-c"]);
    Ok(rows)
}

/// `L` over every key of the database from a fresh start.
fn full_scan(proxy: &Proxy, home: &tempfile::TempDir, ms: u64, keys: u64) -> anyhow::Result<Row> {
    let pane = Pane::start(home.path(), &format!("m{ms}"), WIDTH, HEIGHT);
    pane.launch(&proxy.url(), TOKEN, "")?;
    pane.wait_for(LIMIT, |s| keys_listed(s) && scan_resting(s))?;
    let full = Mark::now(proxy);
    pane.send(&["L"]);
    pane.wait_for(LIMIT, scan_done)?;
    let row = full.row(proxy, &format!("L over {} keys", thousands(keys)));
    pane.send(&["C-c"]);
    Ok(row)
}

/// `/` with a whole key name, then Enter: the lookup selects the key.
fn look_up(pane: &Pane, key: &str) -> anyhow::Result<()> {
    pane.send(&["/"]);
    pane.send(&["-l", key]);
    pane.send(&["Enter"]);
    // A long name leaves no room for "looked up" in the header.
    let header = format!("/{key} ·");
    pane.wait_for(LIMIT, |s| {
        s.contains(&header) && (s.contains("looked up") || s.contains(" 1 key"))
    })
}

/// Whether the Keys pane lists keys (its header counts them).
fn keys_listed(screen: &str) -> bool {
    screen.lines().nth(2).is_some_and(|l| l.contains(" keys ")) && screen.contains('▸')
}

/// Whether the Keys pane's scan reached the end of the database.
fn scan_done(screen: &str) -> bool {
    screen
        .lines()
        .nth(2)
        .is_some_and(|l| l.contains("done") && !l.contains("scanning"))
}

/// Whether the Value pane (right of the Keys pane) shows `key` open.
fn value_open(screen: &str, key: &str) -> bool {
    screen
        .lines()
        .nth(2)
        .and_then(|l| l.split_once("││"))
        .is_some_and(|(_, value)| value.contains(key) && !value.contains("loading"))
}

/// Whether the Keys pane's scan has stopped (paused by its budget, or done).
fn scan_resting(screen: &str) -> bool {
    screen
        .lines()
        .nth(2)
        .is_some_and(|l| l.contains(" keys ") && !l.contains("scanning"))
}

/// The last row the Value pane has loaded (`rows a-b of n`: b, spaces removed).
fn loaded_to(screen: &str) -> u64 {
    let Some(line) = screen
        .lines()
        .find(|l| l.contains("rows ") && l.contains(" of "))
    else {
        return 0;
    };
    let after = &line[line.find("rows ").unwrap_or(0) + 5..];
    let range = after.split(" of ").next().unwrap_or_default();
    let last = range.split('-').nth(1).unwrap_or_default();
    last.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

fn wait_until(t: Instant) {
    if let Some(left) = t.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
}

/// The list, filled by a script in batches.
fn fill_list(db: &mut redis::Connection) -> anyhow::Result<()> {
    redis::cmd("DEL").arg(LIST).exec(db)?;
    let script = "for i=tonumber(ARGV[1]),tonumber(ARGV[2]) do
        redis.call('RPUSH', KEYS[1], 'item-' .. i) end";
    for start in (0..LIST_LEN).step_by(100_000) {
        redis::cmd("EVAL")
            .arg(script)
            .arg(1)
            .arg(LIST)
            .arg(start)
            .arg(start + 99_999)
            .exec(db)?;
    }
    Ok(())
}

/// The folder the bulk delete removes, written again before each session.
fn fill_folder(db: &mut redis::Connection) -> anyhow::Result<()> {
    redis::cmd("EVAL")
        .arg(
            "for i=1,tonumber(ARGV[2]) do
                redis.call('SET', ARGV[1] .. ':' .. i, 'v') end",
        )
        .arg(0)
        .arg(FOLDER)
        .arg(FOLDER_KEYS)
        .exec(db)?;
    Ok(())
}

/// 1 000 000 keys shaped like an app's, 100 000 per script.
fn seed_million(db: &mut redis::Connection) -> anyhow::Result<()> {
    let script = "for i=tonumber(ARGV[1]),tonumber(ARGV[2]) do
        local m = i % 4
        local k
        if m == 0 then k = 'user:' .. math.floor(i / 4) .. ':profile'
        elseif m == 1 then k = string.format('session:%08x-%04x', i, i % 9973)
        elseif m == 2 then k = 'cache:page:' .. (i % 1000) .. ':' .. i
        else k = string.format('celery-task-meta-%012d', i) end
        redis.call('SET', k, 'v')
    end";
    for start in (0..1_000_000u64).step_by(100_000) {
        redis::cmd("EVAL")
            .arg(script)
            .arg(0)
            .arg(start)
            .arg(start + 99_999)
            .exec(db)?;
    }
    Ok(())
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn print_table(ms: u64, rows: &[Row]) {
    println!("\n{ms} ms per round trip");
    println!("| action | wall | requests | commands |");
    println!("| --- | ---: | ---: | ---: |");
    for r in rows {
        println!(
            "| {} | {:.2} s | {} | {} |",
            r.action,
            r.wall.as_secs_f64(),
            r.requests,
            r.commands
        );
    }
}
