//! The Monitor pane rendered into a buffer: health, queues with their marks,
//! error lines with limit hints, escaped keys, and what a small pane keeps.

use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use upstash_tui::monitor::tick::{Report, Ticked};
use upstash_tui::monitor::{Level, Settings};
use upstash_tui::tui::msg::Effect;
use upstash_tui::tui::panes::monitor::State;
use upstash_tui::tui::panes::monitor::view::{View, content_height};
use upstash_tui::tui::theme::Theme;
use upstash_tui::upstash::telemetry::{Access, Outcome, RequestKind, Sample};
use upstash_tui::upstash::{ErrorKind, Reply, Telemetry};

const S: Duration = Duration::from_secs(1);

/// What the fake server holds at tick `n`.
fn reply(cmd: &[Vec<u8>], n: u64) -> Reply {
    let key = cmd.get(1).map(Vec::as_slice).unwrap_or_default();
    let b = |s: &str| Reply::Bytes(s.as_bytes().to_vec());
    match (cmd[0].as_slice(), key) {
        (b"PING", _) => Reply::Status("PONG".into()),
        (b"DBSIZE", _) => Reply::Int(1234),
        (b"INFO", _) => b("# Memory\r\nused_memory_human:1.50M\r\n"),
        (b"TYPE", b"events") => Reply::Status("stream".into()),
        (b"TYPE", _) => Reply::Status("list".into()),
        (b"LLEN", b"jobs") => Reply::Int(60 - 5 * n as i64),
        (b"LLEN", b"big") => Reply::Int(900 + 20 * n as i64),
        (b"LLEN", _) => Reply::Int(7),
        (b"XLEN", _) => Reply::Int(10 * n as i64),
        (b"XINFO", _) => Reply::Array(vec![Reply::Array(vec![
            b("name"),
            b("workers"),
            b("pending"),
            Reply::Int(2),
            b("entries-read"),
            Reply::Int(8 * n as i64),
            b("lag"),
            Reply::Int(2 * n as i64),
        ])]),
        _ => Reply::Error("ERR unexpected".into()),
    }
}

fn sample(ms: u64, kind: RequestKind, error: Option<(ErrorKind, &str)>) -> Sample {
    Sample {
        rtt: Duration::from_millis(ms),
        commands: 1,
        bytes_sent: 10,
        bytes_received: 10,
        kind,
        access: Access::Read,
        outcome: error.map_or(Outcome::Ok, |(k, _)| Outcome::Err(k)),
        error: error.map(|(_, t)| t.to_string()),
        names: format!("GET{ms}"),
    }
}

/// A monitor after seven ticks against the fake server, with some requests
/// (one of them over a plan limit) recorded by the client.
fn busy() -> State {
    let telemetry = Telemetry::default();
    for ms in [3, 5, 8, 120] {
        telemetry.record(sample(ms, RequestKind::Single, None));
    }
    telemetry.record(sample(40, RequestKind::Pipeline, None));
    let limit = "ERR max daily request limit exceeded. Limit: 10000";
    telemetry.record(sample(
        9,
        RequestKind::Single,
        Some((ErrorKind::Limit, limit)),
    ));
    let t0 = Instant::now();
    let mut state = State::new(Settings::default(), t0);
    state.watch(b"jobs".to_vec(), None);
    state.watch(b"stuck\x07key\xff".to_vec(), None);
    state.watch(b"big".to_vec(), Some(1000));
    state.watch(b"events".to_vec(), None);
    for n in 0..7 {
        let Some(Effect::MonitorTick { plan, cursor }) = state.due() else {
            panic!("a tick");
        };
        let replies = plan.commands().iter().map(|c| reply(c, n)).collect();
        state.on_ticked(Ticked {
            at: t0 + S * n as u32,
            report: Report {
                plan,
                rtt: Duration::from_millis(4),
                result: Ok(replies),
                follow_ups: Vec::new(),
            },
            recorded: cursor.read(&telemetry),
        });
    }
    state
}

/// The pane drawn into a buffer of `width` x `height`.
fn draw(state: &State, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let theme = Theme::default();
    View {
        state,
        theme: &theme,
        focused: true,
    }
    .render(area, &mut buf);
    buf
}

fn render(state: &State, width: u16, height: u16) -> String {
    let buf = draw(state, width, height);
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn a_roomy_pane_shows_every_part() {
    let state = busy();
    assert_eq!(state.engine().health().level(), Level::Degraded);
    let screen = render(&state, 110, 34);
    for part in [
        "● DEGRADED",
        "1 limit error in the last minute",
        "1m p50",
        "jobs",
        "drains in 6s",
        "-5.0/s",
        "stuck\\x07key\\xff",
        "STALLED",
        "ALERT",
        "events",
        "in 10.0 out 8.0",
        "dbsize 1234",
        "used_memory 1.50M",
        "errors 1m: limit 1",
        "daily request quota",
        "round trip",
        "pipeline",
        "slowest recent requests",
        "GET120",
    ] {
        assert!(screen.contains(part), "{part:?} missing from\n{screen}");
    }
    // The client recorded six requests; the seven ticks here were answered
    // without it, and the monitor still counts them as its own.
    assert!(screen.contains("total 6 req 6 cmd"), "{screen}");
    assert!(screen.contains("(7 monitor)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_small_pane_keeps_health_latency_and_queues_first_and_scrolls_to_the_rest() {
    let mut state = busy();
    let screen = render(&state, 40, 8);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[1].contains("DEGRADED"), "{screen}");
    assert!(lines[2].contains("1m p50"), "{screen}");
    assert!(lines[3].contains("jobs"), "{screen}");
    assert!(!screen.contains("slowest"), "{screen}");
    for line in &lines {
        assert_eq!(line.chars().count(), 40, "nothing spills over: {line:?}");
    }
    // The bottom border says there is more, and scrolling shows all of it.
    let total = content_height(&state, 38);
    assert!(
        lines[7].contains(&format!("1-6 of {total} j/k")),
        "{screen}"
    );
    let max = usize::from(total - 6);
    let mut seen = Vec::new();
    for _ in 0..=max {
        let screen = render(&state, 40, 8);
        seen.extend(screen.lines().skip(1).take(6).map(str::to_owned));
        state.scroll(1, max);
    }
    assert_eq!(state.offset(), max, "scrolling stops at the end");
    let all = seen.join("\n");
    for part in [
        "stuck\\x07key\\xff",
        "STALLED",
        "events",
        "in 10.0 out 8.0",
        "session p99 120 ms",
        "errors 1m: limit 1",
        "dbsize 1234",
        "slowest recent requests",
        "GET3",
    ] {
        assert!(all.contains(part), "{part:?} missing from\n{all}");
    }
    // No figure is cut: a cut line ends in `…` right after text, not a digit
    // or a unit.
    for line in &seen {
        let cut = line.trim_end_matches(['│', ' ']);
        if let Some(before) = cut.strip_suffix('…') {
            assert!(
                !before.ends_with(|c: char| c.is_ascii_digit())
                    && !before.ends_with(" m")
                    && !before.ends_with(" µ"),
                "a figure is cut: {line:?}"
            );
        }
    }
}

#[test]
fn a_long_queue_name_gets_its_own_line_not_a_cut() {
    let t0 = Instant::now();
    let mut state = State::new(Settings::default(), t0);
    state.watch(b"celery\x06\x163".to_vec(), None);
    let Some(Effect::MonitorTick { plan, cursor }) = state.due() else {
        panic!("a tick");
    };
    let replies = plan.commands().iter().map(|c| reply(c, 0)).collect();
    state.on_ticked(Ticked {
        at: t0,
        report: Report {
            plan,
            rtt: Duration::from_millis(4),
            result: Ok(replies),
            follow_ups: Vec::new(),
        },
        recorded: cursor.read(&Telemetry::default()),
    });
    let screen = render(&state, 32, 12);
    assert!(screen.contains("celery\\x06\\x163"), "{screen}");
    assert!(!screen.contains("celery\\x…"), "{screen}");
}

#[test]
fn before_any_tick_the_pane_says_what_to_do() {
    let state = State::new(Settings::default(), Instant::now());
    let screen = render(&state, 70, 8);
    assert!(screen.contains("waiting for the first probe"), "{screen}");
    assert!(screen.contains("no requests yet"), "{screen}");
    assert!(screen.contains("w on a key in Keys watches it"), "{screen}");
    assert!(screen.contains("no errors"), "{screen}");
}

#[test]
fn suggested_queues_take_one_line_named_when_they_fit() {
    let mut state = State::new(Settings::default(), Instant::now());
    let names = ["celery", "celery\x06\x163", "celery\x06\x166", "docs"];
    state.suggest(
        names
            .iter()
            .map(|n| upstash_tui::recognise::Suggestion {
                system: "Celery",
                key: n.as_bytes().to_vec(),
                why: "kombu binding".into(),
            })
            .collect(),
    );
    let wide = render(&state, 110, 8);
    assert!(
        wide.contains("Celery queues found: celery, celery\\x06\\x163, celery\\x06\\x166, docs (a: watch them)"),
        "{wide}"
    );
    let narrow = render(&state, 40, 8);
    assert!(
        narrow.contains("4 Celery queues found (a: watch them)"),
        "{narrow}"
    );
    assert!(!narrow.contains("celery\\x…"), "{narrow}");
    // Narrower than the line: the hint goes whole onto the next line.
    let tight = render(&state, 30, 8);
    assert!(tight.contains("4 Celery queues found"), "{tight}");
    assert!(tight.contains("(a: watch them)"), "{tight}");
    assert!(!tight.contains('…'), "{tight}");
}

/// The line of the pane (drawn `width` wide) that starts with `text`, and
/// the foreground colour of its first cell.
fn line_with(state: &State, width: u16, text: &str) -> (String, Option<ratatui::style::Color>) {
    let buf = draw(state, width, 12);
    for y in 0..buf.area.height {
        let row: String = (1..width - 1).map(|x| buf[(x, y)].symbol()).collect();
        if row.starts_with(text) {
            return (row.trim_end().to_owned(), buf[(1, y)].fg.into());
        }
    }
    panic!("no line starts with {text:?}");
}

#[test]
fn the_idle_projection_is_shown_against_the_quota_in_warning_colour_over_it() {
    let theme = Theme::default();
    let idle = State::new(Settings::default(), Instant::now());
    let (line, colour) = line_with(&idle, 70, "idle:");
    // A probe every 5 s, and DBSIZE with INFO every 12th.
    assert_eq!(line, "idle: 20 160 cmd/day · 604 800/month");
    assert_eq!(colour, theme.dim.fg);

    let quota = |quota, interval| Settings {
        quota: Some(quota),
        interval: Duration::from_secs(interval),
        facts_every: 0,
        ..Settings::default()
    };
    let over = State::new(quota(500_000, 5), Instant::now());
    let (line, colour) = line_with(&over, 80, "idle:");
    assert_eq!(
        line,
        "idle: 17 280 cmd/day · 518 400/month of 500 000 quota (104 %)"
    );
    assert_eq!(colour, theme.warn.fg);

    // The frugal interval, and a watched key: two commands a tick.
    let mut under = State::new(quota(500_000, 30), Instant::now());
    under.watch(b"jobs".to_vec(), None);
    let (line, colour) = line_with(&under, 80, "idle:");
    assert_eq!(
        line,
        "idle: 5 760 cmd/day · 172 800/month of 500 000 quota (35 %)"
    );
    assert_eq!(colour, theme.dim.fg);
    // A narrow pane wraps between whole figures.
    let (line, _) = line_with(&over, 30, "idle:");
    assert_eq!(line, "idle: 17 280 cmd/day");
}

#[test]
fn the_scan_for_queues_shows_its_cost_in_whole_parts() {
    let mut state = State::new(Settings::default(), Instant::now());
    assert!(state.sweep.ask(Some(100_000), 1).is_none());
    let wide = render(&state, 110, 8);
    assert!(
        wide.contains(
            "scan for queues? 100.0k keys, about 7 requests and 7 commands (growing SCAN pages): y scans, n does not"
        ),
        "{wide}"
    );
    // Narrow: the parts wrap whole, and the answer keys stay readable.
    let narrow = render(&state, 30, 10);
    assert!(narrow.contains("about 7 requests"), "{narrow}");
    assert!(narrow.contains("y scans, n does not"), "{narrow}");
    assert!(!narrow.contains('…'), "{narrow}");
}
