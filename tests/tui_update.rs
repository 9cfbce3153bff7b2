//! `App::update` with no terminal and no network: feed messages, check the
//! state and the effects that come back.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use upstash_tui::monitor::tick::{self, Ticked};
use upstash_tui::scan::{Budget, Request};
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::tui::keymap::Keymap;
use upstash_tui::tui::msg::{Effect, Msg, ReqId};
use upstash_tui::tui::panes::Pane;
use upstash_tui::tui::panes::keys::Layout;
use upstash_tui::tui::panes::keys::tree::Row;
use upstash_tui::upstash::{Error, Reply};
use upstash_tui::value::Fetch;

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

/// A SCAN WITHTYPE reply.
fn page(cursor: &str, keys: &[(&[u8], &str)]) -> Result<Vec<Reply>, Error> {
    let items = keys
        .iter()
        .flat_map(|(k, t)| {
            [
                Reply::Bytes(k.to_vec()),
                Reply::Bytes(t.as_bytes().to_vec()),
            ]
        })
        .collect();
    Ok(vec![Reply::Array(vec![
        Reply::Bytes(cursor.as_bytes().to_vec()),
        Reply::Array(items),
    ])])
}

fn scan_effect(effects: &[Effect]) -> Option<(ReqId, Request)> {
    effects.iter().find_map(|e| match e {
        Effect::Scan { req, request } => Some((*req, request.clone())),
        _ => None,
    })
}

fn scan_cmd(request: &Request) -> Vec<String> {
    match request {
        Request::Scan { cmd, .. } => cmd
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
        Request::Lookup { .. } => vec!["LOOKUP".into()],
    }
}

/// Starts the app and answers its first scan with `keys`, cursor 0.
fn loaded(keys: &[(&[u8], &str)]) -> App {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    let (req, request) = scan_effect(&app.start()).expect("a first scan");
    app.update(Msg::Scanned {
        req,
        request,
        result: page("0", keys),
        elapsed: Duration::ZERO,
    });
    app
}

fn sample() -> App {
    loaded(&[
        (b"user:1:name", "string"),
        (b"user:1:tags", "set"),
        (b"user:2:name", "string"),
        (b"session:abc", "hash"),
        (b"plain", "list"),
    ])
}

#[test]
fn start_scans_counts_and_starts_the_monitor() {
    let mut app = App::for_test();
    let effects = app.start();
    assert!(effects.iter().any(|e| matches!(e, Effect::Count { .. })));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::MonitorTick { .. }))
    );
    let (_, request) = scan_effect(&effects).expect("scan");
    assert_eq!(
        scan_cmd(&request),
        ["SCAN", "0", "COUNT", "100", "WITHTYPE"]
    );
}

#[test]
fn tree_has_sorted_folders_with_counts_then_keys() {
    let app = sample();
    let tree = app.keys().tree();
    assert_eq!(tree.len(), 3, "session, user and plain at the top");
    let names: Vec<_> = (0..3)
        .map(|i| match tree.row(i).expect("row") {
            Row::Folder { id, .. } => format!(
                "{}/{}",
                String::from_utf8_lossy(tree.name(id)),
                tree.count(id)
            ),
            Row::Key { id, .. } => String::from_utf8_lossy(app.keys().store().key(id)).into_owned(),
        })
        .collect();
    assert_eq!(names, ["session/1", "user/3", "plain"]);
}

#[test]
fn folders_open_and_close_and_enter_opens_a_key() {
    let mut app = sample();
    app.update(key('j'));
    assert_eq!(app.keys().selected(), 1);
    app.update(key('l'));
    assert_eq!(app.keys().len(), 5, "user opened: folders 1 and 2 appear");
    app.update(key('j'));
    app.update(code(KeyCode::Enter));
    assert_eq!(app.keys().len(), 7, "Enter on folder user:1 opens it");
    app.update(key('j'));
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Open { key, .. })] if key == b"user:1:name"),
        "{effects:?}"
    );
    assert_eq!(app.value().key(), Some(&b"user:1:name"[..]));
    app.update(key('h'));
    assert_eq!(app.keys().selected(), 2, "h on a key selects its folder");
    app.update(key('h'));
    assert_eq!(app.keys().len(), 5, "h on an open folder closes it");
    app.update(code(KeyCode::Char(' ')));
    assert_eq!(app.keys().len(), 7, "space toggles");
}

#[test]
fn flat_view_lists_every_key_in_arrival_order() {
    let mut app = sample();
    app.update(key('v'));
    assert_eq!(app.keys().layout(), Layout::Flat);
    assert_eq!(app.keys().len(), 5);
    app.update(key('G'));
    assert_eq!(app.keys().selected_key(), Some(&b"plain"[..]));
    app.update(key('g'));
    assert_eq!(app.keys().selected_key(), Some(&b"user:1:name"[..]));
}

#[test]
fn focus_cycles_and_jumps() {
    let mut app = App::for_test();
    assert_eq!(app.focus(), Pane::Keys);
    app.update(code(KeyCode::Tab));
    assert_eq!(app.focus(), Pane::Value);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(app.focus(), Pane::Monitor);
    app.update(key('3'));
    assert_eq!(app.focus(), Pane::Console);
    // The console's line takes every printable key (`1` is text there): Esc leaves it.
    app.update(code(KeyCode::Esc));
    assert_eq!(app.focus(), Pane::Keys);
    app.update(key('?'));
    assert!(matches!(app.mode(), Mode::Help));
    app.update(code(KeyCode::Esc));
    assert!(matches!(app.mode(), Mode::Normal));
}

#[test]
fn q_quits_but_not_while_typing_and_ctrl_c_always_does() {
    let mut app = App::for_test();
    app.update(key('/'));
    assert!(app.update(key('q')).is_empty());
    assert!(!app.quitting(), "q is text inside the filter");
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(app.update(ctrl_c), vec![Effect::Quit]);
    let mut app = App::for_test();
    assert_eq!(app.update(key('q')), vec![Effect::Quit]);
}

#[test]
fn filter_sends_match_and_drops_replies_to_the_old_scan() {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    let (old_req, old_request) = scan_effect(&app.start()).expect("scan");
    app.update(key('/'));
    for c in "user:*".chars() {
        app.update(key(c));
    }
    let effects = app.update(code(KeyCode::Enter));
    let (req, request) = scan_effect(&effects).expect("a new scan");
    assert_ne!(req, old_req);
    assert_eq!(
        scan_cmd(&request),
        ["SCAN", "0", "MATCH", "user:*", "COUNT", "100", "WITHTYPE"]
    );
    let stale = app.update(Msg::Scanned {
        req: old_req,
        request: old_request,
        result: page("0", &[(b"other", "string")]),
        elapsed: Duration::ZERO,
    });
    assert!(stale.is_empty());
    assert_eq!(app.keys().store().len(), 0, "the stale page is dropped");
    app.update(Msg::Scanned {
        req,
        request,
        result: page("0", &[(b"user:1", "string")]),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().store().len(), 1);
}

#[test]
fn a_pattern_without_globs_is_a_direct_lookup() {
    let mut app = App::for_test();
    app.start();
    app.update(key('/'));
    for c in "user:42".chars() {
        app.update(key(c));
    }
    let (req, request) = scan_effect(&app.update(code(KeyCode::Enter))).expect("lookup");
    assert!(matches!(&request, Request::Lookup { key, .. } if key == b"user:42"));
    app.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Int(1), Reply::Status("hash".into())]),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().store().len(), 1);
}

#[test]
fn type_filter_cycles_and_rescans_with_type() {
    let mut app = sample();
    let (_, request) = scan_effect(&app.update(key('t'))).expect("rescan");
    assert_eq!(app.keys().kind_filter(), Some("string"));
    assert!(
        scan_cmd(&request)
            .windows(2)
            .any(|w| w == ["TYPE", "string"])
    );
    assert_eq!(app.keys().store().len(), 0, "the old keys are gone");
    for _ in 0..6 {
        app.update(key('t'));
    }
    assert_eq!(app.keys().kind_filter(), Some("ReJSON-RL"));
    app.update(key('t'));
    assert_eq!(app.keys().kind_filter(), None);
}

/// The COUNT a scan request asks for.
fn scan_count(request: &Request) -> u64 {
    let cmd = scan_cmd(request);
    let at = cmd.iter().position(|a| a == "COUNT").expect("COUNT");
    cmd[at + 1].parse().expect("a number")
}

/// Answers the scan in flight with `n` keys named `{prefix}{i}`, in 100 ms.
fn answer(app: &mut App, (req, request): (ReqId, Request), prefix: &str, n: u64) -> Vec<Effect> {
    let names: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    let keys: Vec<(&[u8], &str)> = names.iter().map(|k| (k.as_bytes(), "string")).collect();
    app.update(Msg::Scanned {
        req,
        request,
        result: page("5", &keys),
        elapsed: Duration::from_millis(100),
    })
}

#[test]
fn pages_grow_within_the_budget_and_past_it_with_l() {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    let mut sent = Vec::new();
    let mut next = scan_effect(&app.start());
    while let Some(scan) = next {
        let count = scan_count(&scan.1);
        sent.push(count);
        next = scan_effect(&answer(&mut app, scan, &format!("a{count}:"), count));
    }
    // A screenful first, then tenfold, then what the 10 000-key budget has left.
    assert_eq!(sent, [100, 1_000, 8_900]);
    assert_eq!(app.keys().scan().map(|s| s.examined()), Some(10_000));
    let scan = scan_effect(&app.update(key('c'))).expect("c continues");
    assert_eq!(
        scan_count(&scan.1),
        10_000,
        "c: one page for the next 10 000"
    );
    assert!(scan_effect(&answer(&mut app, scan, "c", 10_000)).is_none());
    assert_eq!(app.keys().scan().map(|s| s.examined()), Some(20_000));
    // L lifts the budget: the page grows past it, to about 1 MiB of these keys.
    let scan = scan_effect(&app.update(key('L'))).expect("L goes on");
    let count = scan_count(&scan.1);
    assert!((40_000..=50_000).contains(&count), "COUNT {count}");
}

#[test]
fn budget_pauses_continue_resumes_full_scan_runs_and_esc_stops() {
    let km = Keymap::new(&toml::Table::new()).expect("keymap");
    let budget = Budget {
        keys: 100_000,
        requests: 2,
    };
    let mut app = App::new("h", km, b":", budget);
    let (mut req, mut request) = scan_effect(&app.start()).expect("scan");
    for (i, cursor) in ["5", "6"].iter().enumerate() {
        let k = format!("k{i}");
        let effects = app.update(Msg::Scanned {
            req,
            request: request.clone(),
            result: page(cursor, &[(k.as_bytes(), "string")]),
            elapsed: Duration::ZERO,
        });
        if let Some(next) = scan_effect(&effects) {
            (req, request) = next;
        } else {
            assert_eq!(i, 1, "pauses after two requests");
        }
    }
    assert!(!app.keys().scanning());
    let (req2, request2) = scan_effect(&app.update(key('c'))).expect("continue is one key");
    assert_eq!(scan_cmd(&request2)[1], "6", "continues from the cursor");
    assert!(
        app.update(key('L')).is_empty(),
        "a request is already in flight"
    );
    assert!(app.keys().full());
    let effects = app.update(Msg::Scanned {
        req: req2,
        request: request2,
        result: page("7", &[(b"k9", "string")]),
        elapsed: Duration::ZERO,
    });
    let (req3, request3) = scan_effect(&effects).expect("the full scan goes on");
    app.update(code(KeyCode::Esc));
    assert!(!app.keys().scanning());
    let late = app.update(Msg::Scanned {
        req: req3,
        request: request3,
        result: page("0", &[(b"late", "string")]),
        elapsed: Duration::ZERO,
    });
    assert!(
        late.is_empty() && app.keys().store().len() == 3,
        "stopped: late page dropped"
    );
}

#[test]
fn duplicates_from_scan_are_removed() {
    let app = loaded(&[(b"a", "string"), (b"a", "string"), (b"b", "hash")]);
    assert_eq!(app.keys().store().len(), 2);
}

#[test]
fn ttls_are_fetched_for_visible_rows_only_and_stale_ones_dropped() {
    let keys: Vec<(Vec<u8>, &str)> = (0..100)
        .map(|i| (format!("k{i:03}").into_bytes(), "string"))
        .collect();
    let refs: Vec<(&[u8], &str)> = keys.iter().map(|(k, t)| (k.as_slice(), *t)).collect();
    let mut app = loaded(&refs);
    let effects = app.update(Msg::RowsDue);
    let Some(Effect::Detail { req, keys }) = effects.first().cloned() else {
        panic!("expected a detail fetch, got {effects:?}")
    };
    let height = upstash_tui::tui::panes::keys::view::list_height(app.areas().keys);
    assert_eq!(keys.len(), height, "one pipeline for the screen");
    let replies = keys
        .iter()
        .flat_map(|_| [Reply::Status("string".into()), Reply::Int(5000)])
        .collect();
    app.update(Msg::Detailed {
        req: req + 1000,
        keys: keys.clone(),
        result: Ok(Vec::new()),
    });
    app.update(Msg::Detailed {
        req,
        keys,
        result: Ok(replies),
    });
    assert_eq!(app.keys().detail(0).map(|d| d.ttl_ms), Some(5000));
    assert!(
        app.update(Msg::RowsDue).is_empty(),
        "nothing left to fetch on this screen"
    );
    assert_eq!(
        app.update(key('j')),
        vec![Effect::DebouncePrefetch],
        "moving inside the window fetches nothing (the cursor's rest starts over)"
    );
    let scrolled = app.update(code(KeyCode::PageDown));
    assert_eq!(
        scrolled,
        vec![Effect::DebounceRows, Effect::DebouncePrefetch],
        "scrolling only arms the debounces"
    );
}

#[test]
fn mouse_click_focuses_and_selects_and_wheel_scrolls() {
    let mut app = sample();
    let areas = app.areas();
    let click = |x, y| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.update(click(areas.value.x + 2, areas.value.y + 2));
    assert_eq!(app.focus(), Pane::Value);
    app.update(click(areas.keys.x + 2, areas.keys.y + 4));
    assert_eq!(app.focus(), Pane::Keys);
    assert_eq!(app.keys().selected(), 2, "third list row");
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: areas.keys.x + 2,
        row: areas.keys.y + 4,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.update(wheel), vec![Effect::DebounceRows]);
}

#[test]
fn scan_errors_are_shown_not_fatal() {
    let mut app = App::for_test();
    let (req, request) = scan_effect(&app.start()).expect("scan");
    let request = match request {
        Request::Scan { cmd, .. } => Request::Scan {
            cmd,
            with_type: false,
        },
        other => other,
    };
    app.update(Msg::Scanned {
        req,
        request,
        result: Err(Error::Other("ERR boom".into())),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().error(), Some("scan failed: ERR boom"));
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn alt(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::ALT))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

/// The text of whatever input has the keyboard.
fn input_text(app: &App) -> String {
    match app.mode() {
        Mode::Filter(f) => f.prompt.input.text(),
        Mode::Search(s) => s.prompt.input.text(),
        Mode::Edit(edit) => edit.form.fields[edit.form.focus].value(),
        Mode::Normal if app.focus() == Pane::Console => app.console().input().text(),
        other => match other.boxed() {
            Some(d) => d.text(d.focus).to_owned(),
            None => panic!("no input has the keyboard: {other:?}"),
        },
    }
}

/// Starts the app with list `l` (`item0`, `item1`) open in the Value pane, focused.
fn list_open() -> App {
    use upstash_tui::value::page::Rows;
    use upstash_tui::value::{Done, Header, Kind, Opened, Page};
    let mut app = loaded(&[(b"l", "list")]);
    let effects = app.update(code(KeyCode::Enter));
    let Some(Effect::Value(Fetch::Open { id, .. })) = effects.first().cloned() else {
        panic!("l opens: {effects:?}");
    };
    let opened = Opened {
        header: Header {
            key: b"l".to_vec(),
            kind: Kind::List,
            ttl_ms: None,
            len: Some(2),
            encoding: None,
            memory: None,
            groups: vec![],
        },
        req: None,
        page: Some(Page {
            rows: Rows::Items {
                start: 0,
                items: vec![b"item0".to_vec(), b"item1".to_vec()],
            },
            next: None,
        }),
        requests: 1,
    };
    app.update(Msg::ValueLoaded {
        done: Done::Opened {
            id,
            result: Ok(Box::new(opened)),
        },
        at: std::time::Instant::now(),
    });
    app.update(key('2'));
    app
}

/// The same readline keys in every input: cuts add up and come back with
/// Ctrl-Y, words and line ends move the cursor.
fn readline_keys(app: &mut App, what: &str) {
    app.update(ctrl('u'));
    assert_eq!(input_text(app), "", "{what}: Ctrl-U clears the line");
    typed(app, "abc def");
    app.update(ctrl('w'));
    assert_eq!(input_text(app), "abc ", "{what}: Ctrl-W");
    app.update(ctrl('u'));
    assert_eq!(input_text(app), "", "{what}: Ctrl-U");
    app.update(ctrl('y'));
    assert_eq!(input_text(app), "abc def", "{what}: Ctrl-Y yanks both cuts");
    app.update(alt(KeyCode::Char('b')));
    typed(app, "X");
    assert_eq!(input_text(app), "abc Xdef", "{what}: Alt-B");
    app.update(ctrl('a'));
    app.update(ctrl('k'));
    assert_eq!(input_text(app), "", "{what}: Ctrl-A Ctrl-K");
    app.update(ctrl('y'));
    app.update(alt(KeyCode::Backspace));
    assert_eq!(input_text(app), "abc ", "{what}: Alt-Backspace");
    app.update(Msg::Paste("pasted".into()));
    assert_eq!(input_text(app), "abc pasted", "{what}: a paste");
}

#[test]
fn one_set_of_editing_keys_in_every_input() {
    let mut app = sample();
    app.update(key('/'));
    readline_keys(&mut app, "the Keys filter");
    app.update(code(KeyCode::Esc));
    app.update(key('n'));
    assert!(matches!(app.mode(), Mode::Create(_)));
    readline_keys(&mut app, "the new key dialog");
    app.update(code(KeyCode::Esc));
    app.update(key('3'));
    readline_keys(&mut app, "the Console");
    app.update(code(KeyCode::Esc));

    let mut app = list_open();
    app.update(key('/'));
    assert!(matches!(app.mode(), Mode::Search(_)));
    readline_keys(&mut app, "the Value search");
    app.update(code(KeyCode::Esc));
    app.update(key('o'));
    assert!(
        matches!(app.mode(), Mode::Save(_)),
        "the save dialog: {:?}",
        app.notice()
    );
    readline_keys(&mut app, "the save dialog");
    app.update(code(KeyCode::Esc));
    app.update(key('e'));
    assert!(matches!(app.mode(), Mode::Edit(_)), "{:?}", app.notice());
    assert_eq!(input_text(&app), "item0");
    readline_keys(&mut app, "the edit form");
}

#[test]
fn slash_starts_a_new_pattern_with_the_old_one_an_up_away() {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    app.start();
    app.update(key('/'));
    typed(&mut app, "user:*");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.keys().pattern(), Some(&b"user:*"[..]));
    app.update(key('/'));
    assert_eq!(input_text(&app), "", "a new pattern starts empty");
    typed(&mut app, "session:*");
    let (_, request) = scan_effect(&app.update(code(KeyCode::Enter))).expect("a scan");
    assert_eq!(
        scan_cmd(&request)[3],
        "session:*",
        "typing replaced the old pattern"
    );
    // The pattern in use is one Up away, and Down gives back what was typed.
    app.update(key('/'));
    typed(&mut app, "x");
    app.update(code(KeyCode::Up));
    assert_eq!(input_text(&app), "session:*");
    app.update(code(KeyCode::Down));
    assert_eq!(input_text(&app), "x");
    app.update(code(KeyCode::Up));
    typed(&mut app, "1");
    let (_, request) = scan_effect(&app.update(code(KeyCode::Enter))).expect("a scan");
    assert_eq!(scan_cmd(&request)[3], "session:*1");
}

/// The Monitor's tick: its probe answered, or timed out.
fn probe(app: &App, answered: bool) -> Msg {
    let result = if answered {
        Ok(vec![Reply::Status("PONG".into())])
    } else {
        Err(Error::Timeout)
    };
    Msg::MonitorTicked(Box::new(Ticked {
        at: app.monitor().now(),
        report: tick::Report {
            plan: tick::Plan::probe(),
            rtt: Duration::from_millis(2),
            result,
            follow_ups: Vec::new(),
        },
        recorded: Default::default(),
    }))
}

fn listed(app: &App) -> Vec<String> {
    let store = app.keys().store();
    (0..store.len() as u32)
        .map(|id| String::from_utf8_lossy(store.key(id)).into_owned())
        .collect()
}

/// Types `pattern` as the MATCH filter; the scan it starts.
fn filter(app: &mut App, pattern: &str) -> (ReqId, Request) {
    app.update(key('/'));
    for c in pattern.chars() {
        app.update(key(c));
    }
    scan_effect(&app.update(code(KeyCode::Enter))).expect("a scan for the filter")
}

#[test]
fn a_failed_rescan_keeps_the_list_and_goes_on_when_the_server_answers() {
    let mut app = sample();
    app.set_timeout(Duration::from_secs(15));
    // Open `user`, select its folder `2`.
    app.update(key('j'));
    app.update(key('l'));
    app.update(key('j'));
    app.update(key('j'));
    let (req, request) = scan_effect(&app.update(key('r'))).expect("a rescan");
    assert_eq!(
        app.keys().store().len(),
        5,
        "the list stays while the rescan runs"
    );
    assert!(app.keys().refreshing());
    app.update(Msg::Scanned {
        req,
        request: request.clone(),
        result: Err(Error::Timeout),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().store().len(), 5, "the last list is kept");
    assert!(app.keys().stale());
    let err = app.keys().error().expect("the failure is shown");
    assert!(
        err.contains("no reply within 15s") && err.contains("--timeout"),
        "{err}"
    );
    assert!(app.notice().is_some_and(|n| n.error && n.text == err));

    // The server is away: nothing is sent; once it answers, the scan goes on.
    assert!(scan_effect(&app.update(probe(&app, false))).is_none());
    let effects = app.update(probe(&app, true));
    let (req, again) = scan_effect(&effects).expect("the scan goes on by itself");
    assert_eq!(
        scan_cmd(&again),
        scan_cmd(&request),
        "from the page that failed"
    );
    assert!(
        scan_effect(&app.update(probe(&app, true))).is_none(),
        "one scan at a time"
    );
    app.update(Msg::Scanned {
        req,
        request: again,
        result: page(
            "0",
            &[
                (b"user:2:name", "string"),
                (b"user:3:name", "string"),
                (b"user:1:name", "string"),
            ],
        ),
        elapsed: Duration::ZERO,
    });
    assert_eq!(listed(&app), ["user:2:name", "user:3:name", "user:1:name"]);
    assert!(!app.keys().stale() && app.keys().error().is_none());
    // `user` is open again and folder `2` selected again: rows user, 1, 2, 3.
    assert_eq!(app.keys().len(), 4);
    assert_eq!(app.keys().selected(), 2);
    let tree = app.keys().tree();
    let Some(Row::Folder { id, .. }) = tree.row(2) else {
        panic!("a folder row")
    };
    assert_eq!(tree.name(id), b"2");
}

#[test]
fn a_scan_that_keeps_failing_is_retried_once_per_outage() {
    let mut app = sample();
    let (req, request) = scan_effect(&app.update(key('r'))).expect("a rescan");
    let failed = |app: &mut App, req, request| {
        app.update(Msg::Scanned {
            req,
            request,
            result: Err(Error::Connect("connection refused".into())),
            elapsed: Duration::ZERO,
        })
    };
    failed(&mut app, req, request);
    let (req, request) = scan_effect(&app.update(probe(&app, true))).expect("one retry");
    failed(&mut app, req, request);
    assert!(
        scan_effect(&app.update(probe(&app, true))).is_none(),
        "not again while the server seemed up all along"
    );
    app.update(probe(&app, false));
    assert!(
        scan_effect(&app.update(probe(&app, true))).is_some(),
        "again after the server was seen away"
    );
    // A failure the server's return does not cure is left to the user.
    let mut app = sample();
    let (req, request) = scan_effect(&app.update(key('r'))).expect("a rescan");
    app.update(Msg::Scanned {
        req,
        request,
        result: Err(Error::Unauthorized),
        elapsed: Duration::ZERO,
    });
    assert!(scan_effect(&app.update(probe(&app, true))).is_none());
    let (_, again) = scan_effect(&app.update(key('c'))).expect("c retries the page");
    assert_eq!(scan_cmd(&again)[1], "0");
}

#[test]
fn esc_during_a_rescan_keeps_the_last_list_marked_stale() {
    let mut app = sample();
    app.update(key('r'));
    app.update(code(KeyCode::Esc));
    assert!(!app.keys().scanning());
    assert_eq!(app.keys().store().len(), 5);
    assert!(app.keys().stale());
}

#[test]
fn an_exact_lookup_opens_the_way_to_the_key_and_enter_opens_it() {
    let mut app = sample();
    let (req, request) = filter(&mut app, "user:1318:profile");
    app.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Int(1), Reply::Status("hash".into())]),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().selected_key(), Some(&b"user:1318:profile"[..]));
    assert_eq!(app.keys().len(), 3, "user, 1318 and the key");
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Open { key, .. })] if key == b"user:1318:profile"),
        "{effects:?}"
    );
}

#[test]
fn a_filter_that_leaves_few_keys_opens_their_folders_and_selects_the_first() {
    let mut app = sample();
    let (req, request) = filter(&mut app, "*:name");
    app.update(Msg::Scanned {
        req,
        request,
        result: page(
            "0",
            &[
                (b"user:2:name", "string"),
                (b"org:7:admin:name", "string"),
                (b"name", "string"),
            ],
        ),
        elapsed: Duration::ZERO,
    });
    // org, org:7, org:7:admin, its key, user, user:2, its key, then `name`.
    assert_eq!(app.keys().len(), 8);
    assert_eq!(app.keys().selected_key(), Some(&b"org:7:admin:name"[..]));

    // Many keys stay folded, and a user who moved keeps the selection.
    let mut app = sample();
    let (req, request) = filter(&mut app, "k*");
    let names: Vec<String> = (0..40).map(|i| format!("k:{i}:x")).collect();
    let many: Vec<(&[u8], &str)> = names.iter().map(|k| (k.as_bytes(), "string")).collect();
    app.update(Msg::Scanned {
        req,
        request,
        result: page("0", &many),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().len(), 1, "one closed folder");
}

#[test]
fn a_scan_filling_the_list_leaves_a_moved_selection_alone() {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    app.start();
    let (req, request) = filter(&mut app, "a*");
    let effects = app.update(Msg::Scanned {
        req,
        request,
        result: page("5", &[(b"a:1:x", "string"), (b"a:2:x", "string")]),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().len(), 1, "folders open once the scan stops");
    // The user opens `a` and selects it again.
    app.update(key('l'));
    app.update(key('j'));
    app.update(key('k'));
    let (req, request) = scan_effect(&effects).expect("the next page");
    app.update(Msg::Scanned {
        req,
        request,
        result: page("0", &[(b"a:0:x", "string")]),
        elapsed: Duration::ZERO,
    });
    assert_eq!(app.keys().len(), 7, "every folder on the way is open");
    assert_eq!(app.keys().selected(), 0, "the user's row stays selected");
    assert_eq!(app.keys().selected_key(), None);
}

#[test]
fn the_failure_line_does_not_hide_rows_from_the_mouse() {
    let mut app = sample();
    let (req, request) = scan_effect(&app.update(key('r'))).expect("a rescan");
    app.update(Msg::Scanned {
        req,
        request,
        result: Err(Error::Timeout),
        elapsed: Duration::ZERO,
    });
    let areas = app.areas();
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: areas.keys.x + 2,
        // Border, header, the failure line, then the rows: the second row.
        row: areas.keys.y + 4,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.keys().selected(), 1);
}

#[test]
fn c_and_l_say_why_a_complete_or_running_scan_does_not_go_on() {
    let mut app = sample();
    for k in ['c', 'L'] {
        app.clear_notice();
        assert!(app.update(key(k)).is_empty());
        let notice = app.notice().cloned().expect("a word on c or L");
        assert!(notice.text.contains("the scan is complete"), "{notice:?}");
    }
    app.update(key('r'));
    app.clear_notice();
    assert!(app.update(key('c')).is_empty());
    let notice = app.notice().cloned().expect("a word on c while scanning");
    assert!(notice.text.contains("the scan is running"), "{notice:?}");
}

/// The prefetch an effect list asks for: its id, key and the id it supersedes.
fn prefetch_of(effects: &[Effect]) -> Option<(ReqId, Vec<u8>, Option<ReqId>)> {
    effects.iter().find_map(|e| match e {
        Effect::Prefetch {
            fetch: Fetch::Open { id, key, .. },
            supersedes,
        } => Some((*id, key.clone(), *supersedes)),
        _ => None,
    })
}

/// A prefetch's reply: `key`, a set of two members, fetched at `at`.
fn prefetched(id: ReqId, key: &[u8], at: std::time::Instant) -> Msg {
    use upstash_tui::value::page::Rows;
    use upstash_tui::value::session::Done;
    use upstash_tui::value::{Header, Kind, Opened, Page};
    let header = Header {
        key: key.to_vec(),
        kind: Kind::Set,
        ttl_ms: None,
        len: Some(2),
        encoding: None,
        memory: None,
        groups: vec![],
    };
    Msg::Prefetched {
        done: Done::Opened {
            id,
            result: Ok(Box::new(Opened {
                header,
                req: None,
                page: Some(Page {
                    rows: Rows::Members(vec![b"a".to_vec(), b"b".to_vec()]),
                    next: None,
                }),
                requests: 1,
            })),
        },
        at,
    }
}

/// Whether the effects send a load of the open key.
fn loads(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Value(_)))
}

/// The sample's keys listed flat, the cursor on `user:1:tags` after a rest.
fn rested() -> (App, ReqId) {
    let mut app = sample();
    app.update(key('v'));
    let effects = app.update(key('j'));
    assert!(effects.contains(&Effect::DebouncePrefetch), "{effects:?}");
    let (id, key, supersedes) = prefetch_of(&app.update(Msg::PrefetchDue)).expect("a prefetch");
    assert_eq!((key.as_slice(), supersedes), (&b"user:1:tags"[..], None));
    (app, id)
}

#[test]
fn enter_after_a_rest_shows_the_prefetched_value_without_a_request() {
    let (mut app, id) = rested();
    assert!(
        app.update(Msg::PrefetchDue).is_empty(),
        "one prefetch per key"
    );
    app.update(prefetched(id, b"user:1:tags", std::time::Instant::now()));
    let effects = app.update(code(KeyCode::Enter));
    assert!(!loads(&effects), "{effects:?}");
    assert_eq!(app.value().key(), Some(&b"user:1:tags"[..]));
    let session = app.value().session().expect("open");
    assert_eq!(session.len(), 2, "the members are shown at once");
    assert!(!session.is_loading());
    // The Monitor counts it: one request, the set's header commands and a page.
    let cost = app.monitor().engine().cost().prefetch_total();
    assert_eq!(cost.requests, 1);
    assert!(cost.commands >= 3, "{cost:?}");
    // The open key is not fetched again when the cursor rests on it.
    app.update(key('k'));
    app.update(key('j'));
    assert!(prefetch_of(&app.update(Msg::PrefetchDue)).is_none());
}

#[test]
fn an_old_prefetch_is_shown_and_loaded_again() {
    let (mut app, id) = rested();
    let old = std::time::Instant::now() - Duration::from_secs(10);
    app.update(prefetched(id, b"user:1:tags", old));
    let effects = app.update(code(KeyCode::Enter));
    assert_eq!(app.value().session().map(|s| s.len()), Some(2));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Open { key, .. })] if key == b"user:1:tags"),
        "older than 5 s: shown, and loaded again: {effects:?}"
    );
}

#[test]
fn a_newer_prefetch_supersedes_and_enter_waits_for_the_one_in_flight() {
    let (mut app, first) = rested();
    app.update(key('j'));
    let (second, key2, supersedes) =
        prefetch_of(&app.update(Msg::PrefetchDue)).expect("a prefetch");
    assert_eq!(
        (key2.as_slice(), supersedes),
        (&b"user:2:name"[..], Some(first)),
        "never two in flight: the first is stopped"
    );
    // The first one's reply, if it still comes, is not kept.
    app.update(prefetched(first, b"user:1:tags", std::time::Instant::now()));
    // Enter before the second answers: nothing more is sent, its reply opens it.
    let effects = app.update(code(KeyCode::Enter));
    assert!(!loads(&effects), "{effects:?}");
    assert!(app.value().session().is_some_and(|s| s.is_loading()));
    app.update(prefetched(
        second,
        b"user:2:name",
        std::time::Instant::now(),
    ));
    assert_eq!(app.value().session().map(|s| s.len()), Some(2));
    // A prefetch after that does not stop the one Enter waited for.
    app.update(key('k'));
    let (_, _, supersedes) = prefetch_of(&app.update(Msg::PrefetchDue)).expect("a prefetch");
    assert_eq!(supersedes, None);
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        !loads(&effects),
        "user:1:tags is in flight again: {effects:?}"
    );
}

#[test]
fn a_write_forgets_the_prefetched_value() {
    let (mut app, id) = rested();
    app.update(prefetched(id, b"user:1:tags", std::time::Instant::now()));
    app.update(Msg::Edited {
        req: 999,
        result: Err(Error::Other("x".into())),
        undo: false,
    });
    assert!(loads(&app.update(code(KeyCode::Enter))));
}

#[test]
fn frugal_sends_no_prefetch_and_enter_costs_one_request() {
    let mut app = sample();
    app.set_cost(upstash_tui::config::Cost {
        frugal: true,
        ..Default::default()
    });
    app.update(key('v'));
    let effects = app.update(key('j'));
    assert!(!effects.contains(&Effect::DebouncePrefetch), "{effects:?}");
    assert!(app.update(Msg::PrefetchDue).is_empty());
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Value(Fetch::Open { .. })]),
        "{effects:?}"
    );
}

/// An app whose scan pauses after its first page, on a database of `dbsize`
/// keys; frugal, it asks before anything over 10 commands.
fn paused(dbsize: i64, frugal: bool) -> App {
    #[allow(clippy::expect_used)]
    let keymap = Keymap::new(&toml::Table::new()).expect("keymap");
    let budget = Budget {
        keys: 100,
        requests: 1,
    };
    let mut app = App::new("h", keymap, b":", budget);
    app.set_cost(upstash_tui::config::Cost {
        frugal,
        confirm_above: 10,
    });
    app.update(Msg::Resize(80, 24));
    let effects = app.start();
    let count = effects.iter().find_map(|e| match e {
        Effect::Count { req } => Some(*req),
        _ => None,
    });
    app.update(Msg::Counted {
        req: count.expect("DBSIZE"),
        result: Ok(dbsize),
    });
    let (req, request) = scan_effect(&effects).expect("a first scan");
    let effects = app.update(Msg::Scanned {
        req,
        request,
        result: page("17", &[(b"a", "string")]),
        elapsed: Duration::from_millis(1),
    });
    assert!(scan_effect(&effects).is_none(), "paused");
    app
}

#[test]
fn frugal_asks_before_l_with_the_estimate_and_runs_it_on_yes() {
    let mut app = paused(1_000_000, false);
    assert!(
        scan_effect(&app.update(key('L'))).is_some(),
        "not frugal: at once"
    );

    let mut app = paused(1_000_000, true);
    assert!(app.update(key('L')).is_empty());
    let Mode::Ask(ask) = app.mode() else {
        panic!("a question: {:?}", app.mode());
    };
    assert_eq!(ask.dialog.title, "Full scan");
    assert_eq!(
        ask.dialog.lines[1],
        // COUNT 1 000, 10 000, then ten pages of 100 000 as they grow.
        "about 12 SCAN requests (12 commands), 999 900 keys left"
    );
    assert!(app.update(key('n')).is_empty());
    assert!(!app.keys().full());
    assert_eq!(
        app.notice().map(|n| n.text.as_str()),
        Some("not sent: the full scan was not confirmed")
    );
    app.update(key('L'));
    assert!(scan_effect(&app.update(key('y'))).is_some());
    assert!(app.keys().full());

    // Within the threshold (1 000, 10 000 and 38 900), L runs without a question.
    let mut app = paused(50_000, true);
    assert!(scan_effect(&app.update(key('L'))).is_some());
}

#[test]
fn frugal_asks_before_a_console_line_of_many_commands() {
    let mut app = sample();
    app.set_cost(upstash_tui::config::Cost {
        frugal: true,
        ..Default::default()
    });
    app.update(key('3'));
    assert_eq!(app.focus(), Pane::Console);
    typed(&mut app, "500 INCR n");
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::ConsoleSend { .. })),
        "{effects:?}"
    );
    typed(&mut app, "y");
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::ConsoleSend { cmds, .. }] if cmds.len() == 500),
        "{effects:?}"
    );
    // A line within the threshold is not asked about: it waits behind the first.
    typed(&mut app, "100 INCR n");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.console().waiting(), 1);
}

/// The screen as a string.
fn screen(app: &App) -> String {
    use ratatui::{Terminal, backend::TestBackend};
    let size = app.size();
    let mut term = Terminal::new(TestBackend::new(size.width, size.height)).expect("term");
    term.draw(|f| upstash_tui::tui::ui::draw(app, f))
        .expect("draw");
    term.backend().to_string()
}

/// Types `keys`; the dialog they open is `is`, draws `title` and closes on Esc.
fn dialog_round_trip(app: &mut App, keys: &str, is: fn(&Mode) -> bool, title: &str) {
    typed(app, keys);
    assert!(is(app.mode()), "{keys} opens its dialog: {:?}", app.mode());
    let shown = screen(app);
    assert!(shown.contains(title), "{keys} shows {title:?}:\n{shown}");
    app.update(code(KeyCode::Esc));
    assert!(
        app.mode().is_normal(),
        "Esc closes {title:?}: {:?}",
        app.mode()
    );
    assert!(!screen(app).contains(title), "{title:?} is gone");
}

#[test]
fn each_dialog_is_a_mode_of_its_own_drawn_over_the_panes_and_esc_closes_it() {
    let mut app = sample();
    app.update(Msg::Resize(80, 24));
    dialog_round_trip(&mut app, "n", |m| matches!(m, Mode::Create(_)), "New key");
    dialog_round_trip(&mut app, "/", |m| matches!(m, Mode::Filter(_)), "MATCH");
    typed(&mut app, "G");
    assert_eq!(app.keys().selected_key(), Some(&b"plain"[..]));
    dialog_round_trip(
        &mut app,
        "R",
        |m| matches!(m, Mode::Rename(_)),
        "Rename key",
    );
    dialog_round_trip(&mut app, "T", |m| matches!(m, Mode::Ttl(_)), "Set TTL");
    // The delete dialog reads the key first: it waits for that answer.
    typed(&mut app, "d");
    let Mode::Delete(delete) = app.mode() else {
        panic!("d opens the delete dialog: {:?}", app.mode());
    };
    assert_eq!(delete.dialog().busy.as_deref(), Some("reading the key…"));

    let mut app = list_open();
    app.update(Msg::Resize(80, 24));
    dialog_round_trip(&mut app, "/", |m| matches!(m, Mode::Search(_)), "search:");
    dialog_round_trip(
        &mut app,
        "o",
        |m| matches!(m, Mode::Save(_)),
        "Save to a file",
    );
    dialog_round_trip(&mut app, "e", |m| matches!(m, Mode::Edit(_)), "element 0");
}
