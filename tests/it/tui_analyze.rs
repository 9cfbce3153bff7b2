//! The Analyze screen on `App::update` with hand-made estimates and
//! reports (no network): opened with `A`, what it costs said first and
//! asked above the budget, progress and `Esc` keeping the partial result,
//! sorting, `Enter` into the Browser; its snapshots; and once against the
//! real gateway, headless.

use std::time::Duration;

use crossterm::event::KeyCode;
use upstash_tui::analyze::{
    Estimate, Forecast, Memory, PrefixStats, Progress, Report, Sample, TopKey, TtlSpread,
};
use upstash_tui::tui::app::App;
use upstash_tui::tui::msg::{Analysis, Effect, Msg, ReqId, Stop};
use upstash_tui::tui::panes::Pane;
use upstash_tui::tui::screen::analyze::ID;
use upstash_tui::value::Kind;

use crate::common::tui::{app_with_keys, code, key, render, render_quoted};

const KEYS: [(&[u8], &str); 4] = [
    (b"cache:doc:1", "string"),
    (b"session:9f2c", "hash"),
    (b"user:1", "hash"),
    (b"jobs", "list"),
];

fn estimate(commands: u64) -> Estimate {
    Estimate {
        keys: commands / 2,
        commands,
        requests: commands / 1000 + 1,
        sampled: false,
        price_usd: commands as f64 * 0.2 / 100_000.0,
    }
}

fn prefix(name: &str, depth: usize, keys: u64, bytes: u64, no_ttl: u64) -> PrefixStats {
    PrefixStats {
        prefix: name.as_bytes().to_vec(),
        depth,
        keys,
        bytes,
        no_ttl,
        types: vec![(Kind::String, keys)],
        ttl: TtlSpread::default(),
        biggest: None,
    }
}

fn top(key: &[u8], kind: Kind, bytes: u64, len: u64, ttl_ms: Option<u64>) -> TopKey {
    TopKey {
        key: key.to_vec(),
        kind,
        bytes,
        len: Some(len),
        ttl_ms,
    }
}

/// A report on the shape of [`KEYS`], and more: `cache` holds the most
/// bytes, `session` the most keys, `user` the most keys without a TTL.
fn report(complete: bool) -> Report {
    Report {
        keys: 1_500,
        dbsize: 1_500,
        commands: 1_503,
        requests: 4,
        sampled: None,
        memory: Memory::Measured,
        used_memory: Some(4_000_000),
        bytes: 3_000_000,
        prefixes: vec![
            prefix("cache", 1, 300, 2_000_000, 10),
            prefix("cache:doc", 2, 300, 2_000_000, 10),
            prefix("session", 1, 700, 600_000, 0),
            prefix("user", 1, 500, 400_000, 500),
        ],
        top: vec![
            top(
                b"cache:doc:1",
                Kind::String,
                900_000,
                900_000,
                Some(3_600_000),
            ),
            top(b"user:\x00\x1b[31m", Kind::Hash, 50_000, 1_200, None),
        ],
        top_len: vec![top(b"jobs", Kind::List, 40_000, 90_000, None)],
        no_ttl: vec![top(b"user:\x00\x1b[31m", Kind::Hash, 50_000, 1_200, None)],
        ttl: TtlSpread {
            minute: 5,
            hour: 95,
            day: 600,
            later: 300,
            never: 500,
        },
        forecast: Forecast {
            hour_keys: 100,
            hour_bytes: 120_000,
            day_keys: 700,
            day_bytes: 900_000,
        },
        complete,
        elapsed: Duration::from_millis(2_400),
    }
}

fn estimating(effects: &[Effect]) -> Option<ReqId> {
    effects.iter().find_map(|e| match e {
        Effect::EstimateAnalysis { screen, req, .. } if *screen == ID => Some(*req),
        _ => None,
    })
}

/// The run among `effects`: its id, budget and stop handle.
fn running(effects: &[Effect]) -> Option<(ReqId, Option<u64>, Stop)> {
    effects.iter().find_map(|e| match e {
        Effect::Analyze {
            screen,
            req,
            opts,
            stop,
        } if *screen == ID => Some((*req, opts.budget, stop.clone())),
        _ => None,
    })
}

fn event(req: ReqId, event: Analysis) -> Msg {
    Msg::Analysis {
        screen: ID,
        req,
        event,
    }
}

/// The app with `A` pressed and an estimate of `commands` back.
fn opened(app: &mut App, commands: u64) -> Vec<Effect> {
    let req = estimating(&app.update(key('A'))).expect("an estimate first");
    assert_eq!(app.screens().ids(), [ID]);
    app.update(event(req, Analysis::Estimated(Ok(estimate(commands)))))
}

/// The app with a run that ended with `report`.
fn analysed(width: u16, height: u16, report: Report) -> App {
    let (mut app, _) = app_with_keys(width, height, &KEYS);
    let (req, _, _) = running(&opened(&mut app, 1_503)).expect("a cheap run starts at once");
    app.update(event(req, Analysis::Done(Ok(Box::new(report)))));
    app
}

/// The panes' rows, without the status bar's line.
fn panes(app: &App) -> String {
    let screen = render(app);
    let lines: Vec<&str> = screen.lines().collect();
    lines[..lines.len() - 1].join("\n")
}

#[test]
fn a_opens_it_and_a_run_within_the_budget_starts_at_once() {
    let (mut app, _) = app_with_keys(100, 30, &KEYS);
    let effects = opened(&mut app, 1_503);
    let (_, budget, _) = running(&effects).expect("the run");
    assert_eq!(budget, None, "exact");
    let screen = render(&app);
    assert!(screen.contains("analysing: 0 keys of 751"), "{screen}");
}

#[test]
fn over_the_budget_it_asks_and_yes_runs_a_sample_within_it() {
    let (mut app, _) = app_with_keys(100, 30, &KEYS);
    app.set_analyze_budget(Some(1_000));
    let effects = opened(&mut app, 2_000_000);
    assert!(
        running(&effects).is_none(),
        "nothing runs before the answer"
    );
    let screen = render(&app);
    assert!(screen.contains("Over the budget"), "{screen}");
    assert!(
        screen.contains("about 2 000 000 commands, 2 001"),
        "{screen}"
    );
    assert!(screen.contains("$4.00 at $0.20 per 100 000"), "{screen}");
    assert!(
        screen.contains("within 1 000 commands ($0.0020)"),
        "{screen}"
    );
    // No: nothing runs, the screen stays.
    assert!(running(&app.update(key('n'))).is_none());
    assert_eq!(app.screens().ids(), [ID]);
    assert!(!render(&app).contains("Over the budget"));
    // r asks again; yes runs the sample within the budget.
    let req = estimating(&app.update(key('r'))).expect("a new estimate");
    app.update(event(req, Analysis::Estimated(Ok(estimate(2_000_000)))));
    let (_, budget, _) = running(&app.update(key('y'))).expect("the sampled run");
    assert_eq!(budget, Some(1_000));
}

#[test]
fn progress_shows_esc_stops_keeping_the_partial_and_esc_again_is_the_browser_as_it_was() {
    let (mut app, _) = app_with_keys(100, 30, &KEYS);
    app.update(code(KeyCode::Down));
    app.focus_on(Pane::Value);
    let before = panes(&app);
    let (req, _, stop) = running(&opened(&mut app, 1_503)).expect("the run");
    app.update(event(
        req,
        Analysis::Progress(Progress {
            keys: 1_000,
            commands: 1_002,
            requests: 2,
            elapsed: Duration::from_secs(2),
        }),
    ));
    let screen = render(&app);
    assert!(
        screen.contains("1 000 keys of 751 · 500 keys/s · 1 002 commands spent"),
        "{screen}"
    );
    app.update(code(KeyCode::Esc));
    assert!(stop.0.is_cancelled(), "Esc stops the run");
    assert_eq!(app.screens().ids(), [ID], "and keeps the screen");
    // A reply to another request is dropped.
    app.update(event(req + 100, Analysis::Done(Ok(Box::new(report(true))))));
    assert!(render(&app).contains("stopping: 1 000 keys"));
    app.update(event(req, Analysis::Done(Ok(Box::new(report(false))))));
    let screen = render(&app);
    assert!(screen.contains("stopped, partial"), "{screen}");
    assert!(screen.contains("session"), "{screen}");
    app.update(code(KeyCode::Esc));
    assert!(app.screens().top().is_none());
    assert_eq!(app.focus(), Pane::Value);
    assert_eq!(panes(&app), before);
}

#[test]
fn closing_it_while_it_runs_stops_the_run() {
    let (mut app, _) = app_with_keys(100, 30, &KEYS);
    let (_, _, stop) = running(&opened(&mut app, 1_503)).expect("the run");
    app.update(key('1'));
    assert!(app.screens().top().is_none());
    assert!(stop.0.is_cancelled(), "nobody reads its result");
}

/// Where each of `names` first shows in the prefix table's rows.
fn order(app: &App, names: &[&str]) -> Vec<usize> {
    let screen = render(app);
    let rows: Vec<&str> = screen.lines().collect();
    names
        .iter()
        .map(|n| {
            rows.iter()
                .position(|r| r.contains(&format!("│{n} ")))
                .unwrap_or_else(|| panic!("{n} in\n{screen}"))
        })
        .collect()
}

#[test]
fn s_sorts_the_prefixes_by_bytes_keys_and_no_ttl() {
    let mut app = analysed(80, 24, report(true));
    let names = ["cache", "session", "user"];
    let by = |app: &App| {
        let rows = order(app, &names);
        let mut sorted: Vec<usize> = (0..3).collect();
        sorted.sort_by_key(|&i| rows[i]);
        sorted.iter().map(|&i| names[i]).collect::<Vec<_>>()
    };
    assert_eq!(by(&app), ["cache", "session", "user"], "by bytes");
    app.update(key('s'));
    assert_eq!(by(&app), ["session", "user", "cache"], "by keys");
    app.update(key('s'));
    assert_eq!(by(&app), ["user", "cache", "session"], "by no TTL");
    app.update(key('+'));
    assert!(render(&app).contains("cache:doc"), "level 2");
}

#[test]
fn s_on_the_key_table_shows_the_longest_and_the_never_expiring_keys() {
    let mut app = analysed(100, 30, report(true));
    app.update(code(KeyCode::Tab));
    assert!(render(&app).contains("Biggest keys (2)"));
    app.update(key('s'));
    let screen = render(&app);
    assert!(screen.contains("Longest keys per type (1)"), "{screen}");
    assert!(screen.contains("│jobs "), "{screen}");
    app.update(key('s'));
    let screen = render(&app);
    assert!(screen.contains("Biggest keys without TTL (1)"), "{screen}");
    assert!(screen.contains("│user:\\x00"), "{screen}");
    // Enter opens the key of the list shown.
    app.update(key('s'));
    app.update(key('s'));
    app.update(code(KeyCode::Enter));
    assert_eq!(app.value().key(), Some(&b"jobs"[..]));
}

#[test]
fn a_result_is_still_there_when_the_screen_opens_again() {
    let mut app = analysed(100, 30, report(true));
    app.update(code(KeyCode::Esc));
    assert!(app.screens().top().is_none(), "the Browser");
    let effects = app.update(key('A'));
    assert_eq!(estimating(&effects), None, "nothing is asked again");
    let screen = render(&app);
    assert!(screen.contains("1 500 of 1 500 keys"), "{screen}");
    // r runs anew.
    assert!(estimating(&app.update(key('r'))).is_some());
}

#[test]
fn enter_on_a_prefix_filters_the_browser_to_it() {
    let mut app = analysed(100, 30, report(true));
    app.update(key('j'));
    let effects = app.update(code(KeyCode::Enter));
    assert!(app.screens().top().is_none());
    assert_eq!(app.focus(), Pane::Keys);
    assert_eq!(app.keys().pattern(), Some(&b"session:*"[..]));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "{effects:?}"
    );
}

#[test]
fn a_prefix_with_glob_characters_is_matched_literally() {
    let mut r = report(true);
    r.prefixes = vec![prefix("a*[b]", 1, 1, 10, 0)];
    let mut app = analysed(100, 30, r);
    app.update(code(KeyCode::Enter));
    assert_eq!(app.keys().pattern(), Some(&b"a\\*\\[b\\]:*"[..]));
}

#[test]
fn enter_on_a_key_opens_it_in_the_browser() {
    let mut app = analysed(100, 30, report(true));
    app.update(code(KeyCode::Tab));
    app.update(key('j'));
    let effects = app.update(code(KeyCode::Enter));
    assert!(app.screens().top().is_none());
    assert_eq!(app.value().key(), Some(&b"user:\x00\x1b[31m"[..]));
    assert!(effects.iter().any(|e| matches!(e, Effect::Value(_))));
}

/// The time it ran varies: blanked for the snapshots.
fn steady(screen: String) -> String {
    match screen.find("ran at ") {
        Some(at) => {
            let end = at + "ran at 00:00:00".len();
            format!("{}ran at hh:mm:ss{}", &screen[..at], &screen[end..])
        }
        None => screen,
    }
}

#[test]
fn analyze_100x30() {
    let mut r = report(true);
    r.sampled = Some(Sample {
        size: 1_500,
        method: "the first 1 500 keys of SCAN's order".into(),
    });
    let app = analysed(100, 30, r);
    insta::assert_snapshot!(steady(render_quoted(&app)));
}

#[test]
fn analyze_80x24() {
    let mut app = analysed(80, 24, report(true));
    app.update(code(KeyCode::Tab));
    insta::assert_snapshot!(steady(render_quoted(&app)));
}

#[test]
fn a_60x15_terminal_keeps_the_totals_and_the_tables() {
    let mut app = analysed(60, 15, report(true));
    let screen = render(&app);
    for part in ["1 500 of 1 500 keys", "Prefixes (3)", "│cache ", "│user "] {
        assert!(screen.contains(part), "{part} in\n{screen}");
    }
    app.update(code(KeyCode::Tab));
    let screen = render(&app);
    for part in ["Biggest keys (2)", "│cache:doc:1 ", "│user:\\x00\\x1b[31m "] {
        assert!(screen.contains(part), "{part} in\n{screen}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_the_gateway_it_analyses_and_enter_filters_the_browser() {
    use crate::common::Harness;
    use crate::common::headless::Tui;

    let h = Harness::start().await;
    let () = redis::pipe()
        .set("cache:a", "x".repeat(10_000))
        .set("cache:b", "y")
        .set_ex("session:1", "s", 3600)
        .ignore()
        .query_async(&mut h.redis_conn().await)
        .await
        .expect("seed");
    let mut tui = Tui::start(h.client(), &Default::default(), 100, 30);
    tui.wait("the keys", |s| s.contains("cache (2)")).await;
    tui.press("A");
    tui.wait("the result", |s| {
        s.contains("3 of 3 keys") && s.contains("Biggest keys") && s.contains("cache:a")
    })
    .await;
    tui.press("enter");
    tui.wait("the Browser filtered", |s| {
        s.contains("/cache:* · 2 keys") && s.contains("▾ cache (2)")
    })
    .await;
    tui.press("q");
    tui.quits().await;
}
