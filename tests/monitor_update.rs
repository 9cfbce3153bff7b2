//! The Monitor through `App::update`, with no terminal and no network:
//! ticks, the title bar's health, `w` in the Keys pane, the recognisers'
//! suggestions and the scan for queues.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use upstash_tui::monitor::tick::{Plan, Report, Ticked};
use upstash_tui::recognise::Reads;
use upstash_tui::tui::app::{App, Health};
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::monitor::view::content_height;
use upstash_tui::upstash::{Error, Reply};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The plan of the one `MonitorTick` among `effects`.
fn tick_plan(effects: &[Effect]) -> Option<Plan> {
    effects.iter().find_map(|e| match e {
        Effect::MonitorTick { plan, .. } => Some(plan.clone()),
        _ => None,
    })
}

fn names(plan: &Plan) -> Vec<String> {
    plan.commands()
        .iter()
        .map(|c| String::from_utf8_lossy(&c[0]).into_owned())
        .collect()
}

/// Answers every command of `plan` as a healthy server holding lists of 3.
fn answered(plan: Plan, at: Instant) -> Msg {
    let replies = plan
        .commands()
        .iter()
        .map(|c| match c[0].as_slice() {
            b"PING" => Reply::Status("PONG".into()),
            b"TYPE" => Reply::Status("list".into()),
            b"INFO" => Reply::Bytes(b"# Keyspace\r\ndb0:keys=3,expires=0\r\n".to_vec()),
            _ => Reply::Int(3),
        })
        .collect();
    Msg::MonitorTicked(Box::new(Ticked {
        at,
        report: Report {
            plan,
            rtt: Duration::from_millis(4),
            result: Ok(replies),
            follow_ups: Vec::new(),
        },
        recorded: Default::default(),
    }))
}

fn failed(plan: Plan, at: Instant) -> Msg {
    Msg::MonitorTicked(Box::new(Ticked {
        at,
        report: Report {
            plan,
            rtt: Duration::ZERO,
            result: Err(Error::Connect("connection refused".into())),
            follow_ups: Vec::new(),
        },
        recorded: Default::default(),
    }))
}

fn schedule(effects: &[Effect]) -> Option<Duration> {
    effects.iter().find_map(|e| match e {
        Effect::ScheduleMonitor(d) => Some(*d),
        _ => None,
    })
}

#[test]
fn one_tick_at_a_time_and_the_title_follows_health() {
    let mut app = App::for_test();
    let t0 = app.monitor().now();
    let start = app.start();
    // The Keys pane's scan is the only SCAN; the recognisers read names.
    let scans = start.iter().filter(|e| matches!(e, Effect::Scan { .. }));
    assert_eq!(scans.count(), 1);
    let reads = recognise(&start).expect("the default names are checked");
    assert_eq!(
        verbs(&reads),
        ["SMEMBERS", "TYPE", "TYPE", "TYPE", "TYPE", "TYPE"]
    );
    let plan = tick_plan(&start).expect("the first tick starts at once");
    assert_eq!(names(&plan), ["PING", "DBSIZE", "INFO"]);
    assert_eq!(*app.health(), Health::Unknown);
    // The timer fires while the tick is still out: no second request.
    assert!(app.update(Msg::MonitorDue).is_empty());
    let next = app.update(answered(plan, t0));
    assert_eq!(schedule(&next), Some(Duration::from_secs(5)));
    assert_eq!(*app.health(), Health::Up(Duration::from_millis(4)));
    assert_eq!(app.monitor().engine().facts().keyspace()[0].keys, 3);

    // Two failures: degraded, then down, with probes coming sooner.
    let mut at = t0;
    for expected in ["degraded", "down"] {
        let plan = tick_plan(&app.update(Msg::MonitorDue)).expect("a tick");
        at += Duration::from_secs(1);
        let next = app.update(failed(plan, at));
        let delay = schedule(&next).expect("a timer");
        assert!(delay < Duration::from_secs(5), "{delay:?}");
        match (app.health(), expected) {
            (Health::Degraded(r), "degraded") | (Health::Down(r), "down") => {
                assert!(r.contains("connection refused"), "{r}")
            }
            (other, _) => panic!("expected {expected}, got {other:?}"),
        }
    }
    // While down, only the probe goes out; the first answer brings it back.
    let plan = tick_plan(&app.update(Msg::MonitorDue)).expect("a tick");
    assert_eq!(names(&plan), ["PING"]);
    app.update(answered(plan, at + Duration::from_secs(1)));
    assert!(matches!(app.health(), Health::Up(_)));
}

#[test]
fn w_in_the_keys_pane_watches_and_unwatches_the_selected_key() {
    let (mut app, start) = listing(&[(b"jobs\n1", "list")]);
    app.update(key('w'));
    assert!(app.monitor().is_watched(b"jobs\n1"));
    let notice = app.notice().cloned().expect("a notice");
    assert_eq!(notice.text, "watching jobs\\n1 in the Monitor");
    let plan = tick_plan(&start).expect("first tick");
    let next = app.update(answered(plan, app.monitor().now()));
    assert!(schedule(&next).is_some());
    let plan = tick_plan(&app.update(Msg::MonitorDue)).expect("a tick");
    assert_eq!(names(&plan), ["PING", "TYPE"]);
    app.update(key('w'));
    assert!(!app.monitor().is_watched(b"jobs\n1"));
    assert!(
        app.notice()
            .expect("a notice")
            .text
            .starts_with("stopped watching")
    );
}

/// The recognisers' reads among `effects`.
fn recognise(effects: &[Effect]) -> Option<Reads> {
    effects.iter().find_map(|e| match e {
        Effect::Recognise(reads) => Some(reads.clone()),
        _ => None,
    })
}

fn verbs(reads: &Reads) -> Vec<String> {
    reads
        .cmds
        .iter()
        .map(|c| String::from_utf8_lossy(&c[0]).into_owned())
        .collect()
}

/// Answers `reads` as a server whose `celery` exchange binds the `celery`
/// queue and that holds `present` (name, type).
fn kombu_answers(app: &mut App, reads: Reads, present: &[(&[u8], &str)]) -> Vec<Effect> {
    let replies = reads
        .cmds
        .iter()
        .map(|c| match (c[0].as_slice(), c[1].as_slice()) {
            (b"SMEMBERS", b"_kombu.binding.celery") => {
                Reply::Array(vec![Reply::Bytes(b"celery\x06\x16\x06\x16celery".to_vec())])
            }
            (b"SMEMBERS", _) => Reply::Array(Vec::new()),
            (_, key) => {
                let kind = present
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or("none", |p| p.1);
                Reply::Status(kind.into())
            }
        })
        .collect();
    app.update(Msg::Recognised {
        reads,
        result: Ok(replies),
    })
}

fn suggested(app: &App) -> Vec<Vec<u8>> {
    app.monitor().suggestions().map(|s| s.key.clone()).collect()
}

#[test]
fn suggested_celery_queues_are_watched_with_a_in_the_monitor() {
    let mut app = App::for_test();
    let reads = recognise(&app.start()).expect("reads at start");
    let more = kombu_answers(&mut app, reads, &[(b"unacked", "hash")]);
    assert!(recognise(&more).is_none(), "nothing more to read");
    assert_eq!(suggested(&app), [&b"celery"[..], b"unacked"]);
    // `a` means nothing in the Keys pane.
    app.update(key('a'));
    assert!(!app.monitor().is_watched(b"celery"));
    app.update(key('4'));
    app.update(key('a'));
    assert!(app.monitor().is_watched(b"celery") && app.monitor().is_watched(b"unacked"));
    assert_eq!(app.monitor().suggestions().count(), 0);
    assert_eq!(
        app.notice().expect("a notice").text,
        "watching 2 suggested keys"
    );
}

#[test]
fn failed_reads_wait_for_the_server_to_answer_again() {
    let mut app = App::for_test();
    let t0 = app.monitor().now();
    let start = app.start();
    let reads = recognise(&start).expect("reads at start");
    let after = app.update(Msg::Recognised {
        reads,
        result: Err(Error::Timeout),
    });
    assert!(after.is_empty(), "no retry in a loop: {after:?}");
    assert_eq!(app.monitor().suggestions().count(), 0);
    // The probe is answered: the reads go out again, once.
    let plan = tick_plan(&start).expect("first tick");
    let effects = app.update(answered(plan, t0));
    let again = recognise(&effects).expect("asked again");
    assert_eq!(again.cmds.len(), 6);
    kombu_answers(&mut app, again, &[]);
    assert_eq!(suggested(&app), [&b"celery"[..]]);
}

#[test]
fn a_newly_watched_key_is_read_soon_not_an_interval_later() {
    let mut app = App::for_test();
    let t0 = app.monitor().now();
    let start = app.start();
    let plan = tick_plan(&start).expect("first tick");
    app.update(answered(plan, t0));
    kombu_answers(&mut app, recognise(&start).expect("reads"), &[]);
    app.update(key('4'));
    let effects = app.update(key('a'));
    let soon = schedule(&effects).expect("the timer is brought forward");
    assert!(soon < Duration::from_secs(1), "{soon:?}");
    // The type is learned, and the length follows just as soon.
    let plan = tick_plan(&app.update(Msg::MonitorDue)).expect("a tick");
    assert_eq!(names(&plan), ["PING", "TYPE"]);
    let next = app.update(answered(plan, t0 + Duration::from_secs(1)));
    assert_eq!(schedule(&next), Some(Duration::from_secs(5)));
    let plan = tick_plan(&app.update(Msg::MonitorDue)).expect("a tick");
    assert_eq!(names(&plan), ["PING", "LLEN"]);
}

/// An app whose first scan listed `keys` (name, type), and the effects it
/// started with.
fn listing(keys: &[(&[u8], &str)]) -> (App, Vec<Effect>) {
    let mut app = App::for_test();
    let start = app.start();
    let (req, request) = start
        .iter()
        .find_map(|e| match e {
            Effect::Scan { req, request } => Some((*req, request.clone())),
            _ => None,
        })
        .expect("a scan");
    let items = keys
        .iter()
        .flat_map(|(k, t)| {
            [
                Reply::Bytes(k.to_vec()),
                Reply::Bytes(t.as_bytes().to_vec()),
            ]
        })
        .collect();
    app.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Array(vec![
            Reply::Bytes(b"0".to_vec()),
            Reply::Array(items),
        ])]),
        elapsed: Duration::ZERO,
    });
    (app, start)
}

#[test]
fn w_says_why_a_string_or_a_folder_cannot_be_watched() {
    let (mut app, _) = listing(&[
        (b"q:jobs", "list"),
        (b"q:name", "string"),
        (b"plain", "string"),
    ]);
    // Rows: q (folder), plain.
    app.update(key('w'));
    let notice = app.notice().cloned().expect("a word on w on a folder");
    assert!(
        notice.error && notice.text.contains("open the folder"),
        "{notice:?}"
    );
    assert!(app.monitor().engine().queues().is_empty());
    app.update(key('j'));
    app.update(key('w'));
    let notice = app.notice().cloned().expect("a word on w on a string");
    assert!(
        notice.error && notice.text.contains("a string has no length to watch"),
        "{notice:?}"
    );
    assert!(
        app.monitor().engine().queues().is_empty(),
        "nothing watched"
    );
    app.update(key('k'));
    app.update(key('l'));
    app.update(key('j'));
    assert_eq!(app.keys().selected_key(), Some(&b"q:jobs"[..]));
    app.update(key('w'));
    assert!(app.monitor().is_watched(b"q:jobs"));
}

#[test]
fn the_monitor_scrolls_with_the_list_keys_and_the_wheel() {
    let mut app = App::for_test();
    app.update(Msg::Resize(80, 24));
    let plan = tick_plan(&app.start()).expect("first tick");
    for i in 0..12 {
        app.watch(format!("queue:{i}").as_bytes());
    }
    app.update(answered(plan, app.monitor().now()));
    app.update(key('4'));
    let area = app.areas().monitor;
    let total = content_height(app.monitor(), area.width - 2);
    let max = usize::from(total - (area.height - 2));
    assert!(max > 0, "twelve queues do not fit in {area:?}");
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.monitor().offset(), 2);
    app.update(key('k'));
    assert_eq!(app.monitor().offset(), 1);
    app.update(key('G'));
    assert_eq!(app.monitor().offset(), max);
    app.update(key('j'));
    assert_eq!(app.monitor().offset(), max, "no further than the end");
    app.update(key('g'));
    assert_eq!(app.monitor().offset(), 0);
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: area.x + 2,
        row: area.y + 2,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.monitor().offset(), 3);
}

#[test]
fn w_on_a_string_open_in_the_value_pane_says_why_not() {
    use upstash_tui::value::page::{Page, Rows};
    use upstash_tui::value::session::Done;
    use upstash_tui::value::{Header, Kind, Opened};
    let mut app = App::for_test();
    app.open_for_test(b"greeting", Some(Kind::String), 900);
    app.update(Msg::ValueLoaded {
        done: Done::Opened {
            id: 900,
            result: Ok(Box::new(Opened {
                header: Header {
                    key: b"greeting".to_vec(),
                    kind: Kind::String,
                    ttl_ms: None,
                    len: Some(5),
                    encoding: None,
                    memory: None,
                    groups: vec![],
                },
                req: None,
                page: Some(Page {
                    rows: Rows::Chunk {
                        offset: 0,
                        bytes: b"hello".to_vec(),
                    },
                    next: None,
                }),
                requests: 1,
            })),
        },
        at: Instant::now(),
    });
    app.update(key('2'));
    app.update(key('w'));
    let notice = app.notice().cloned().expect("a word on w");
    assert!(
        notice.error && notice.text.contains("a string has no length to watch"),
        "{notice:?}"
    );
    assert!(!app.monitor().is_watched(b"greeting"));
}

#[test]
fn keys_the_scan_meets_are_recognised_at_no_cost() {
    let (mut app, start) = listing(&[
        (b"emails\x06\x169", "list"),
        (b"unacked_index", "zset"),
        (b"_kombu.binding.celeryev", "set"),
        (b"cache\x06\x163", "string"),
    ]);
    assert_eq!(
        suggested(&app),
        [&b"emails"[..], b"emails\x06\x169", b"unacked_index"]
    );
    // The start's reads answered: nothing else is sent for what the page
    // named, and the fanout exchange is never read.
    let more = kombu_answers(&mut app, recognise(&start).expect("reads"), &[]);
    assert!(recognise(&more).is_none(), "{more:?}");
    assert_eq!(
        suggested(&app),
        [
            &b"celery"[..],
            b"emails",
            b"emails\x06\x169",
            b"unacked_index"
        ]
    );
    // A binding set looked up by name costs one read: its members and the
    // priority lists of the queue named like it.
    app.update(key('/'));
    for c in "_kombu.binding.reports".chars() {
        app.update(key(c));
    }
    let lookup = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let (req, request) = lookup
        .iter()
        .find_map(|e| match e {
            Effect::Scan { req, request } => Some((*req, request.clone())),
            _ => None,
        })
        .expect("a lookup");
    let effects = app.update(Msg::Scanned {
        req,
        request,
        result: Ok(vec![Reply::Int(1), Reply::Status("set".into())]),
        elapsed: Duration::from_millis(1),
    });
    let reads = recognise(&effects).expect("the binding set is read");
    let sent: Vec<String> = reads
        .cmds
        .iter()
        .map(upstash_tui::recognise::words)
        .collect();
    assert_eq!(
        sent,
        [
            "SMEMBERS _kombu.binding.reports",
            "TYPE reports\\x06\\x163",
            "TYPE reports\\x06\\x166",
            "TYPE reports\\x06\\x169"
        ]
    );
}

#[path = "monitor_update/sweep.rs"]
mod sweep;
