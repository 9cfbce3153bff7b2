//! Whole screens rendered into ratatui's `TestBackend`, as insta snapshots.

use crate::common::tui::{
    app_with_keys, code, header, key, opened_value, render_quoted, scan_of, scan_page,
};
use crossterm::event::KeyCode;
use std::time::Duration;
use upstash_tui::monitor::tick::{self, Ticked};
use upstash_tui::tui::app::{App, Health};
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::upstash::{Error, Reply};
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Fetch, Header, Kind, Page};

/// The Monitor's tick: a PING that answered in `rtt`, or failed.
fn ticked(app: &App, result: Result<Duration, Error>) -> Msg {
    let (rtt, result) = match result {
        Ok(rtt) => (rtt, Ok(vec![Reply::Status("PONG".into())])),
        Err(e) => (Duration::ZERO, Err(e)),
    };
    Msg::MonitorTicked(Box::new(Ticked {
        at: app.monitor().now(),
        report: tick::Report {
            plan: tick::Plan::probe(),
            rtt,
            result,
            follow_ups: Vec::new(),
        },
        recorded: Default::default(),
    }))
}

/// The scan page and the `DBSIZE` among a rescan's effects.
fn scan_and_count(effects: &[Effect]) -> (u64, upstash_tui::scan::Request, u64) {
    let (req, request) = scan_of(effects).expect("scan");
    let count = effects
        .iter()
        .find_map(|e| match e {
            Effect::Count { req } => Some(*req),
            _ => None,
        })
        .expect("count");
    (req, request, count)
}

const LONG: &[u8] =
    b"cache:document:2f6c1a9e-5d0b-4e7e-9a55-3c2d1b0a9f8e:rendered:page:0001:with:a:very:long:tail";

/// An app of `w`x`h` holding keys with control characters, invalid UTF-8,
/// wide characters and very long names.
fn app(w: u16, h: u16) -> App {
    let (mut app, start) = app_with_keys(
        w,
        h,
        &[
            (b"user:1:name", "string"),
            (b"user:1:tags", "set"),
            (b"user:2:name", "string"),
            (b"session:abc", "hash"),
            (b"queue\nwith\tcontrols\x07", "list"),
            (b"bin:\xff\xfe\x00raw", "string"),
            ("unicode:caf\u{e9} \u{65e5}\u{672c}".as_bytes(), "zset"),
            (LONG, "ReJSON-RL"),
            (b"events", "stream"),
            (b"plain key with spaces", "string"),
        ],
    );
    let (_, _, count) = scan_and_count(&start);
    app.update(Msg::Counted {
        req: count,
        result: Ok(10),
    });
    app.update(ticked(&app, Ok(Duration::from_millis(3))));
    app
}

#[test]
fn tree_80x24() {
    insta::assert_snapshot!(render_quoted(&app(80, 24)));
}

#[test]
fn flat_with_details_160x48() {
    let mut a = app(160, 48);
    a.set_read_only(true);
    a.set_profile("production", Some(ratatui::style::Color::Red));
    a.update(key('v'));
    if let Some(Effect::Detail { req, keys }) = a.update(Msg::RowsDue).first().cloned() {
        let replies = keys
            .iter()
            .enumerate()
            .flat_map(|(i, _)| {
                [
                    Reply::Status("string".into()),
                    Reply::Int(if i % 2 == 0 { -1 } else { 90_500 }),
                ]
            })
            .collect();
        a.update(Msg::Detailed {
            req,
            keys,
            result: Ok(replies),
        });
    }
    let screen = render_quoted(&a);
    assert!(screen.contains("queue\\nwith\\tcontrols\\x07"), "{screen}");
    assert!(screen.contains("bin:\\xff\\xfe\\x00raw"));
    assert!(screen.contains('…'), "the long key is cut");
    assert!(screen.contains("READ-ONLY"));
    assert!(screen.contains(" production "));
    insta::assert_snapshot!(screen);
}

#[test]
fn opened_key_and_open_folder_80x24() {
    let mut a = app(80, 24);
    a.update(key('G'));
    let effects = a.update(code(KeyCode::Enter));
    let Some(Effect::Value(Fetch::Open {
        id, key: opened, ..
    })) = effects.first().cloned()
    else {
        panic!("open expected: {effects:?}")
    };
    let header = Header {
        len: Some(5),
        encoding: Some("embstr".into()),
        memory: Some(72),
        ..header(&opened, Kind::String)
    };
    let page = Page {
        rows: Rows::Chunk {
            offset: 0,
            bytes: b"hello".to_vec(),
        },
        next: None,
    };
    a.update(opened_value(id, header, Some(page)));
    a.update(key('g'));
    a.update(key('j'));
    a.update(key('j'));
    a.update(key('j'));
    a.update(key('l'));
    let screen = render_quoted(&a);
    assert!(
        screen.contains("no expiry · len 5 · embstr · 72 B"),
        "{screen}"
    );
    assert!(screen.contains("hello"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_overlay_80x24() {
    let mut a = app(80, 24);
    a.update(key('?'));
    let screen = render_quoted(&a);
    assert!(screen.contains("full scan"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_follows_the_focused_pane() {
    let mut a = app(80, 24);
    a.update(key('2'));
    a.update(key('?'));
    let screen = render_quoted(&a);
    // The Value pane's keys come whole; the sections that do not fit are named.
    assert!(
        screen.contains("cycle") || screen.contains("format"),
        "{screen}"
    );
    assert!(screen.contains("auto-refresh"), "{screen}");
    assert!(screen.contains("Help: Value (Esc closes)"), "{screen}");
    assert!(screen.contains("j/k PgDn scroll"), "{screen}");
    assert!(!screen.contains("full scan"), "{screen}");
    // In the Console the input line's own keys are listed.
    let mut c = app(80, 24);
    c.focus_on(upstash_tui::tui::panes::Pane::Console);
    c.act(upstash_tui::tui::msg::Action::Help);
    let screen = render_quoted(&c);
    assert!(screen.contains("complete"), "{screen}");
    assert!(screen.contains("history"), "{screen}");
}

#[test]
fn filter_input_and_unreachable_160x48() {
    let mut a = app(160, 48);
    // Two failed probes in a row: down.
    for _ in 0..2 {
        a.update(ticked(&a, Err(Error::Connect("connection refused".into()))));
    }
    a.update(key('/'));
    for c in "user:*".chars() {
        a.update(key(c));
    }
    let screen = render_quoted(&a);
    assert!(screen.contains("unreachable"));
    assert!(!screen.contains("Health"), "no debug text");
    assert!(matches!(a.health(), Health::Down(_)));
    insta::assert_snapshot!(screen);
}

#[test]
fn layout_is_usable_small_and_roomy_large() {
    use upstash_tui::tui::layout::Areas;
    use upstash_tui::tui::panes::keys::view::list_height;
    let small = Areas::new(ratatui::layout::Rect::new(0, 0, 80, 24));
    assert!(list_height(small.keys) >= 10, "{small:?}");
    assert!(small.keys.width >= 38 && small.console.height >= 5);
    let large = Areas::new(ratatui::layout::Rect::new(0, 0, 250, 70));
    assert!(list_height(large.keys) >= 40, "{large:?}");
    assert!(large.keys.width >= 95 && large.value.width >= 140);
    assert!(large.console.height >= 15 && large.monitor.width >= 95);
    let screen = render_quoted(&app(250, 70));
    assert!(screen.contains("user (3)") && screen.contains("4 Monitor"));
}

#[test]
fn the_key_count_agrees_in_number() {
    let (app, _) = app_with_keys(80, 24, &[(b"only", "string")]);
    let screen = render_quoted(&app);
    assert!(screen.contains(" 1 key "), "{screen}");
    assert!(!screen.contains(" 1 keys"), "{screen}");
    assert!(render_quoted(&self::app(80, 24)).contains(" 10 keys "));
}

#[test]
fn a_refused_token_or_scheme_is_named_in_the_title_not_unreachable() {
    for (error, note) in [
        (Error::Unauthorized, "token refused"),
        (Error::PlainHttp, "plain HTTP: use http://"),
    ] {
        let mut a = app(100, 30);
        // One failed probe already names the cause; three still do.
        for _ in 0..3 {
            a.update(ticked(&a, Err(error.clone())));
            let screen = render_quoted(&a);
            let title = screen.lines().next().unwrap_or_default().to_owned();
            assert!(title.contains(note), "{title}");
            assert!(!screen.contains("unreachable"), "{screen}");
        }
        // The network failing afterwards is unreachable again.
        for _ in 0..3 {
            a.update(ticked(&a, Err(Error::Connect("connection refused".into()))));
        }
        assert!(
            render_quoted(&a)
                .lines()
                .next()
                .unwrap_or_default()
                .contains("unreachable")
        );
    }
}

/// The status bar: the last line of the screen.
fn status(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn at_80x24_the_keys_hints_put_help_and_the_everyday_verbs_first() {
    let mut a = app(80, 24);
    let bar = status(&render_quoted(&a));
    for hint in [
        "? help",
        "Enter open",
        "/ filter",
        "n new",
        "d delete",
        "R rename",
    ] {
        assert!(bar.contains(hint), "{hint:?} missing from {bar:?}");
    }
    // News takes the room of the other hints, never that of `?`.
    a.say(
        "scan failed: no reply within 15s (--timeout); the last list is kept",
        true,
    );
    let bar = status(&render_quoted(&a));
    assert!(
        bar.contains("? help") && bar.contains("scan failed"),
        "{bar:?}"
    );
    // Every pane names `?` first.
    for pane in ['2', '4'] {
        let mut a = app(80, 24);
        a.update(key(pane));
        let bar = status(&render_quoted(&a));
        assert!(bar.starts_with("\" ? help"), "{bar:?}");
    }
}

#[test]
fn the_keys_header_drops_whole_parts_never_a_cut_number() {
    let whole = ["/*", "type all", "10 keys", "scanned 10/10", "done"];
    for width in 20..=160 {
        let screen = render_quoted(&app(width, 24));
        let header = screen.lines().nth(2).unwrap_or_default();
        let inner = header.split('│').nth(1).unwrap_or_default().trim_end();
        for part in inner.split(" · ") {
            assert!(
                whole.contains(&part),
                "width {width}: {part:?} is not a whole part of {header:?}"
            );
        }
        assert!(inner.contains("10 keys"), "width {width}: {header:?}");
    }
}

#[test]
fn help_on_a_small_screen_shows_its_lines_and_scrolls() {
    let mut a = app(60, 15);
    a.update(key('2'));
    a.update(key('?'));
    let screen = render_quoted(&a);
    assert!(screen.contains("Help: Value (Esc closes)"), "{screen}");
    assert!(
        screen.contains("Everywhere") && screen.contains("quit"),
        "{screen}"
    );
    assert!(screen.contains("j/k PgDn scroll"), "{screen}");
    for _ in 0..16 {
        a.update(key('j'));
    }
    let scrolled = render_quoted(&a);
    assert!(!scrolled.contains("Everywhere"), "{scrolled}");
    assert!(
        scrolled.contains("format"),
        "the Value keys come next: {scrolled}"
    );
    a.update(key('G'));
    let end = render_quoted(&a);
    assert!(
        end.contains("paste what was cut"),
        "the last section: {end}"
    );
    a.update(code(KeyCode::Esc));
    assert!(!render_quoted(&a).contains("Help:"));
}

#[test]
fn a_paused_filter_with_no_match_yet_says_how_to_go_on() {
    let km = upstash_tui::tui::keymap::Keymap::new(&toml::Table::new()).expect("keymap");
    let budget = upstash_tui::scan::Budget {
        keys: 100,
        requests: 1,
    };
    let mut a = App::new("h", km, b":", budget);
    a.update(Msg::Resize(80, 24));
    a.start();
    a.update(key('/'));
    for c in "zzz*".chars() {
        a.update(key(c));
    }
    let effects = a.update(code(KeyCode::Enter));
    let (req, request, _) = scan_and_count(&effects);
    a.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Array(vec![
            Reply::Bytes(b"5".to_vec()),
            Reply::Array(Vec::new()),
        ])]),
        elapsed: Duration::ZERO,
    });
    let screen = render_quoted(&a);
    let pane: String = screen
        .lines()
        .skip(3)
        .take(2)
        .map(|l| l.split('│').nth(1).unwrap_or_default().trim_end())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        pane.contains("none among the first 100 keys: c scans on, L to the end"),
        "{screen}"
    );
    assert!(!screen.contains("no keys match"), "{screen}");
}

#[test]
fn the_scanned_count_is_never_below_the_keys_listed() {
    let mut a = App::for_test();
    a.update(Msg::Resize(160, 48));
    let effects = a.start();
    let (req, request, count) = scan_and_count(&effects);
    a.update(Msg::Counted {
        req: count,
        result: Ok(1_000_000),
    });
    // Redis may return more keys than the COUNT hint (100) asked for.
    let names: Vec<String> = (0..103).map(|i| format!("k{i}")).collect();
    let keys: Vec<(&[u8], &str)> = names.iter().map(|k| (k.as_bytes(), "string")).collect();
    let mut result = scan_page("0", &keys);
    if let Ok(replies) = &mut result
        && let Some(Reply::Array(parts)) = replies.first_mut()
    {
        parts[0] = Reply::Bytes(b"77".to_vec());
    }
    a.update(Msg::Scanned {
        req,
        request,
        result,
        elapsed: Duration::ZERO,
    });
    let screen = render_quoted(&a);
    assert!(
        screen.contains("103 keys · scanned 103/1000000"),
        "{screen}"
    );
}

#[test]
fn the_bulk_confirmation_counts_one_key_as_one() {
    use upstash_tui::edit::{DryRun, Undo};
    use upstash_tui::tui::app::keyops::forms::confirm_bulk;
    let dry = DryRun {
        keys: 1,
        sample: vec![b"only:1".to_vec()],
        requests: 1,
        undo: Undo::Available { bytes: 10 },
        found: None,
    };
    let text = confirm_bulk(b"only:*", &dry).lines.join("\n");
    assert!(text.contains("1 key matches only:*"), "{text}");
    assert!(text.contains("about 1 request "), "{text}");
    assert!(
        !text.contains("1 keys") && !text.contains("1 requests"),
        "{text}"
    );
}
