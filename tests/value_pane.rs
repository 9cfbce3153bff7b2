//! The Value pane inside `App::update`, with no terminal and no network:
//! replies fed by hand, effects checked.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::value::page::{PageReq, Rows};
use upstash_tui::value::session::Done;
use upstash_tui::value::{Fetch, Header, Kind, Opened, Page};

fn key(c: char) -> Msg {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn v(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn loaded(id: u64, kind: Kind, ttl_ms: Option<i64>, rows: Rows, next: Option<PageReq>) -> Msg {
    Msg::ValueLoaded {
        done: Done::Opened {
            id,
            result: Ok(Box::new(Opened {
                header: Header {
                    key: v("k"),
                    kind,
                    ttl_ms,
                    len: Some(rows.len() as u64),
                    encoding: None,
                    memory: None,
                    groups: vec![],
                },
                req: None,
                page: Some(Page { rows, next }),
                requests: 1,
            })),
        },
        at: Instant::now(),
    }
}

fn hash_rows() -> Rows {
    Rows::Fields(vec![(v("name"), v("ann")), (v("city"), v("Oslo"))])
}

/// An app with `user:1` (a hash) open and the Value pane focused.
fn opened() -> App {
    let mut app = App::for_test();
    app.update(Msg::Resize(100, 30));
    let effect = app.open_for_test(b"user:1", Some(Kind::Hash), 900);
    assert!(matches!(
        effect,
        Effect::Value(Fetch::Open {
            id: 900,
            kind: Some(Kind::Hash),
            ..
        })
    ));
    app.update(loaded(900, Kind::Hash, None, hash_rows(), None));
    app.update(key('2'));
    app
}

#[test]
fn a_reply_for_a_key_already_left_is_dropped() {
    let mut app = App::for_test();
    app.open_for_test(b"first", Some(Kind::Hash), 900);
    app.open_for_test(b"second", Some(Kind::List), 901);
    app.update(loaded(900, Kind::Hash, None, hash_rows(), None));
    assert_eq!(app.value().key(), Some(&b"second"[..]));
    assert!(app.value().session().and_then(|s| s.rows()).is_none());
    app.update(loaded(
        901,
        Kind::List,
        None,
        Rows::Items {
            start: 0,
            items: vec![v("x")],
        },
        None,
    ));
    assert_eq!(
        app.value().session().and_then(|s| s.rows()).map(Rows::len),
        Some(1)
    );
}

#[test]
fn moving_selects_rows_and_enter_shows_the_element() {
    let mut app = opened();
    app.update(key('j'));
    assert_eq!(app.value().session().map(|s| s.selected()), Some(1));
    app.update(code(KeyCode::Enter));
    let d = app.value().detail().expect("detail open");
    assert_eq!(d.index, 1);
    app.update(key('j'));
    assert_eq!(
        app.value().detail().map(|d| d.scroll),
        Some(0),
        "one line: nothing to scroll"
    );
    app.update(key('f'));
    assert_eq!(app.value().detail().map(|d| d.format.label()), Some("text"));
    app.update(code(KeyCode::Esc));
    assert!(app.value().detail().is_none());
    assert_eq!(app.focus(), upstash_tui::tui::panes::Pane::Value);
}

#[test]
fn copy_sends_osc52_and_save_names_a_file() {
    let mut app = opened();
    let effects = app.update(key('y'));
    assert_eq!(effects, vec![Effect::Copy("\x1b]52;c;YW5u\x07".into())]);
    assert!(
        app.notice()
            .is_some_and(|n| n.text == "copied 3 B to the clipboard")
    );
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

#[test]
fn o_asks_for_a_path_confirms_an_overwrite_and_says_where_it_went() {
    use upstash_tui::value::save::{Report, Saved};
    let mut app = opened();
    assert!(
        app.update(key('o')).is_empty(),
        "nothing is saved before a path is given"
    );
    let prompt = save_dialog(&app).expect("the save dialog");
    assert_eq!(prompt.dialog.text(0), "user_1.tsv");
    // Ctrl-U, then a path in a folder that cannot be written.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "/sys/user.tsv");
    let effects = app.update(code(KeyCode::Enter));
    let [Effect::SaveValue { key: k, kind, to }] = &effects[..] else {
        panic!("{effects:?}");
    };
    assert_eq!((k.as_slice(), kind), (&b"user:1"[..], &Kind::Hash));
    assert_eq!(to.path.to_str(), Some("/sys/user.tsv"));
    assert!(!to.overwrite);
    let why = "cannot create /sys/user.tsv: permission denied (the folder cannot be written here); type another path";
    app.update(Msg::ValueSaved {
        path: to.path.clone(),
        report: Report::Failed(why.into()),
    });
    // The dialog stays with the reason and the path to correct.
    let prompt = save_dialog(&app).expect("still open");
    assert_eq!(prompt.dialog.error.as_deref(), Some(why));
    assert_eq!(prompt.dialog.text(0), "/sys/user.tsv");

    // ~ is the home folder; an existing file is replaced only after a yes.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "~/out.tsv");
    let effects = app.update(code(KeyCode::Enter));
    let [Effect::SaveValue { to, .. }] = &effects[..] else {
        panic!("{effects:?}");
    };
    let home = std::env::var("HOME").expect("HOME");
    assert_eq!(to.path, std::path::Path::new(&home).join("out.tsv"));
    app.update(Msg::ValueSaved {
        path: to.path.clone(),
        report: Report::Exists(2048),
    });
    let prompt = save_dialog(&app).expect("the question");
    assert!(
        prompt.dialog.lines[0].ends_with("out.tsv exists (2 KiB)."),
        "{:?}",
        prompt.dialog.lines
    );
    let effects = app.update(key('y'));
    let [Effect::SaveValue { to, .. }] = &effects[..] else {
        panic!("{effects:?}");
    };
    assert!(to.overwrite);
    app.update(Msg::ValueSaved {
        path: to.path.clone(),
        report: Report::Progress(Saved {
            bytes: 10,
            rows: 1,
            requests: 1,
        }),
    });
    assert!(save_dialog(&app).is_some_and(|p| {
        p.dialog
            .busy
            .as_deref()
            .is_some_and(|b| b.contains("Esc stops"))
    }));
    app.update(Msg::ValueSaved {
        path: to.path.clone(),
        report: Report::Done(Saved {
            bytes: 20,
            rows: 2,
            requests: 1,
        }),
    });
    assert!(save_dialog(&app).is_none());
    let notice = app.notice().cloned().expect("notice").text;
    assert_eq!(
        notice,
        format!("saved 20 B, 2 rows to {home}/out.tsv (1 request)")
    );

    // Esc stops a save under way.
    app.update(key('o'));
    let effects = app.update(code(KeyCode::Enter));
    let [Effect::SaveValue { to, .. }] = &effects[..] else {
        panic!("{effects:?}");
    };
    app.update(code(KeyCode::Esc));
    assert!(to.stop == to.stop.clone());
    app.update(Msg::ValueSaved {
        path: to.path.clone(),
        report: Report::Stopped,
    });
    assert!(
        app.notice()
            .cloned()
            .expect("notice")
            .text
            .starts_with("save stopped")
    );
}

#[test]
fn search_in_a_hash_asks_the_server() {
    let mut app = opened();
    app.update(key('/'));
    assert!(matches!(app.mode(), Mode::Search(_)));
    app.update(key('a'));
    app.update(key('n'));
    let effects = app.update(code(KeyCode::Enter));
    let [
        Effect::Value(Fetch::Page {
            req: PageReq::HashScan(scan),
            ..
        }),
    ] = &effects[..]
    else {
        panic!("{effects:?}");
    };
    assert_eq!(scan.pattern.as_deref(), Some(&b"*an*"[..]));
    assert!(matches!(app.mode(), Mode::Normal));
    // Esc stops the search under way and keeps the filter; a second lifts
    // it: the first unfiltered page again.
    assert!(app.update(code(KeyCode::Esc)).is_empty());
    assert!(app.notice().is_some_and(|n| n.text.starts_with("stopped")));
    let effects = app.update(code(KeyCode::Esc));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Page { req: PageReq::HashScan(s), .. })] if s.pattern.is_none())
    );
}

#[test]
fn the_wheel_scrolls_the_value_pane() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = opened();
    let area = app.areas().value;
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: area.x + 3,
        row: area.y + 5,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.value().session().map(|s| s.selected()), Some(1));
}

#[test]
fn reload_and_reverse() {
    let mut app = opened();
    let effects = app.update(key('r'));
    assert!(matches!(
        &effects[..],
        [Effect::Value(Fetch::Open {
            kind: Some(Kind::Hash),
            ..
        })]
    ));
    // A hash has no order to reverse.
    let effects = app.update(key('R'));
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn ttl_ticks_and_auto_refresh_every_two_seconds() {
    let mut app = App::for_test();
    app.open_for_test(b"session", Some(Kind::String), 900);
    let chunk = Rows::Chunk {
        offset: 0,
        bytes: v("token"),
    };
    let effects = app.update(loaded(900, Kind::String, Some(5000), chunk, None));
    let [Effect::ValueTick { req, after }] = effects[..] else {
        panic!("{effects:?}");
    };
    assert_eq!(after, Duration::from_secs(1));
    app.update(key('2'));
    assert!(app.update(key('a')).is_empty(), "the tick already runs");
    let mut refreshes = 0;
    let mut tick = req;
    for _ in 0..4 {
        let effects = app.update(Msg::ValueTick {
            req: tick,
            at: Instant::now(),
        });
        refreshes += effects
            .iter()
            .filter(|e| matches!(e, Effect::Value(Fetch::Open { .. })))
            .count();
        tick = effects
            .iter()
            .find_map(|e| match e {
                Effect::ValueTick { req, .. } => Some(*req),
                _ => None,
            })
            .expect("the next tick");
    }
    // Refreshes are due at the 2nd and 4th ticks; the first is still
    // unanswered at the 4th, so no second one piles up.
    assert_eq!(refreshes, 1);
    // A tick that is not the one armed changes nothing.
    assert!(
        app.update(Msg::ValueTick {
            req: tick + 1000,
            at: Instant::now()
        })
        .is_empty()
    );
}

/// An app with a string `k` open: `bytes` loaded of `total`.
fn string_open(bytes: Vec<u8>, total: u64) -> App {
    let mut app = App::for_test();
    app.update(Msg::Resize(100, 30));
    app.open_for_test(b"k", Some(Kind::String), 900);
    let mut msg = loaded(
        900,
        Kind::String,
        None,
        Rows::Chunk { offset: 0, bytes },
        None,
    );
    if let Msg::ValueLoaded {
        done: Done::Opened { result: Ok(o), .. },
        ..
    } = &mut msg
    {
        o.header.len = Some(total);
    }
    app.update(msg);
    app.update(key('2'));
    app
}

fn copied(effects: &[Effect]) -> Vec<u8> {
    use base64::Engine as _;
    let [Effect::Copy(seq)] = effects else {
        panic!("{effects:?}");
    };
    let b64 = seq
        .strip_prefix("\x1b]52;c;")
        .and_then(|s| s.strip_suffix('\x07'))
        .expect("OSC 52");
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64")
}

#[test]
fn y_copies_what_is_shown_and_y_upper_the_stored_bytes() {
    use std::io::Write as _;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(br#"{"cached":true}"#).expect("writes");
    let gz = enc.finish().expect("finishes");
    let mut app = string_open(gz.clone(), gz.len() as u64);
    let shown = copied(&app.update(key('y')));
    assert_eq!(shown, b"{\n  \"cached\": true\n}");
    let notice = app.notice().cloned().expect("notice").text;
    assert!(
        notice.starts_with("copied 20 B as shown (JSON, decompressed from gzip) to the clipboard; Y copies the stored"),
        "{notice}"
    );
    assert_eq!(copied(&app.update(key('Y'))), gz);
    let notice = app.notice().cloned().expect("notice").text;
    assert!(notice.starts_with("copied the stored bytes"), "{notice}");

    // A partial string says which part was copied.
    let mut app = string_open(vec![b'x'; 192 * 1024], 20 * 1024 * 1024);
    assert_eq!(copied(&app.update(key('y'))).len(), 192 * 1024);
    let notice = app.notice().cloned().expect("notice").text;
    assert_eq!(
        notice,
        "copied 192 KiB (the first 192 KiB of 20 MiB; o saves all of it) to the clipboard"
    );
}

#[test]
fn every_key_that_does_nothing_says_why() {
    let said = |app: &App| app.notice().cloned().map(|n| n.text).unwrap_or_default();
    let mut app = App::for_test();
    app.update(Msg::Resize(100, 30));
    app.update(key('2'));
    app.update(key('y'));
    assert!(said(&app).starts_with("no key is open"), "{}", said(&app));
    app.update(key('w'));
    assert!(said(&app).starts_with("no key is open"), "{}", said(&app));

    let mut app = opened();
    app.update(key('R'));
    assert!(
        said(&app).starts_with("R reverses sorted sets and streams only"),
        "{}",
        said(&app)
    );
    app.update(key('n'));
    assert_eq!(said(&app), "no search yet: / starts one");
    app.update(key('d'));
    assert_eq!(
        said(&app),
        "d does nothing in the Value pane (? lists its keys)"
    );

    let mut app = string_open(b"text".to_vec(), 4);
    app.update(code(KeyCode::Enter));
    assert!(
        said(&app).starts_with("the whole value is shown here already"),
        "{}",
        said(&app)
    );
    // On a short value, G keeps the first line in view.
    app.update(key('G'));
    assert_eq!(app.value().session().map(|s| s.selected()), Some(0));
}

/// A hash of a million fields open in the Value pane, its first two rows
/// loaded; frugal or not.
fn big_hash(frugal: bool) -> App {
    use upstash_tui::value::page::Scan;
    let mut app = App::for_test();
    app.set_cost(upstash_tui::config::Cost {
        frugal,
        ..Default::default()
    });
    app.update(Msg::Resize(100, 30));
    app.open_for_test(b"k", Some(Kind::Hash), 900);
    let next = PageReq::HashScan(Scan {
        cursor: b"17".to_vec(),
        pattern: None,
        count: 200,
    });
    let Msg::ValueLoaded { mut done, at } = loaded(900, Kind::Hash, None, hash_rows(), Some(next))
    else {
        unreachable!()
    };
    if let Done::Opened { result: Ok(o), .. } = &mut done {
        o.header.len = Some(1_000_000);
    }
    app.update(Msg::ValueLoaded { done, at });
    app.update(key('2'));
    app
}

#[test]
fn frugal_asks_before_g_walks_a_big_hash_and_says_what_it_costs() {
    let mut app = big_hash(false);
    let effects = app.update(key('G'));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Page { .. })]),
        "without the frugal profile G walks at once: {effects:?}"
    );

    let mut app = big_hash(true);
    assert!(
        app.update(key('G')).is_empty(),
        "nothing is sent before the answer"
    );
    let Mode::Ask(ask) = app.mode() else {
        panic!("a question: {:?}", app.mode());
    };
    let text = ask.dialog.lines.join(" | ");
    assert_eq!(
        text,
        "G reads the rest of the scan: | up to 1 000 requests (1 000 commands) \
         | (frugal profile: asks above 100 commands)"
    );
    // No: nothing sent, and the status bar says so.
    assert!(app.update(key('n')).is_empty());
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(
        app.notice().is_some_and(|n| n.text.starts_with("not sent")),
        "{:?}",
        app.notice()
    );
    // Yes: the walk starts; a second G on the same key does not ask again.
    app.update(key('G'));
    let effects = app.update(key('y'));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Page { req: PageReq::HashScan(s), .. })] if s.count == 1000),
        "{effects:?}"
    );
    assert!(matches!(app.mode(), Mode::Normal));
    app.update(code(KeyCode::Esc));
    let effects = app.update(key('G'));
    assert!(matches!(&effects[..], [Effect::Value(Fetch::Page { .. })]));
}

#[test]
fn frugal_asks_before_a_search_that_scans_a_big_hash() {
    let mut app = big_hash(true);
    app.update(key('/'));
    app.update(key('x'));
    assert!(app.update(code(KeyCode::Enter)).is_empty());
    let Mode::Ask(ask) = app.mode() else {
        panic!("a question: {:?}", app.mode());
    };
    assert_eq!(
        ask.dialog.lines[..2],
        [
            "the search reads the key until a match:",
            "up to 1 000 requests (1 000 commands)"
        ]
    );
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Page { req: PageReq::HashScan(s), .. })] if s.pattern.as_deref() == Some(b"*x*")),
        "{effects:?}"
    );
}

#[test]
fn auto_refresh_says_what_it_costs_and_the_idle_projection_counts_it() {
    let mut app = opened();
    let idle = app.monitor().engine().idle_projection().per_day;
    app.update(key('a'));
    // A hash's header (TYPE, PTTL, OBJECT ENCODING, MEMORY USAGE, HLEN) and
    // its first page, every 2 s.
    assert_eq!(
        app.notice().map(|n| n.text.as_str()),
        Some("auto-refresh on (every 2 s: 180 commands a minute)")
    );
    let with = app.monitor().engine().idle_projection().per_day;
    assert_eq!(with - idle, 180 * 1_440);
    app.update(key('a'));
    assert_eq!(app.monitor().engine().idle_projection().per_day, idle);
}

/// The save dialog, when it is open.
fn save_dialog(app: &App) -> Option<&upstash_tui::tui::panes::value::save::Prompt> {
    match app.mode() {
        Mode::Save(prompt) => Some(prompt),
        _ => None,
    }
}
