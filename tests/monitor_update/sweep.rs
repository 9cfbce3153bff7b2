//! The scan for queues through `App::update`: its cost before anything is
//! sent, DBSIZE first when the size is unknown, pages to the recognisers,
//! and Esc between pages.

use super::*;
use upstash_tui::recognise::sweep::Cost;
use upstash_tui::scan::Request;
use upstash_tui::tui::panes::monitor::sweep::Phase;

fn esc() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

fn page(effects: &[Effect]) -> Option<(u64, Request)> {
    effects.iter().find_map(|e| match e {
        Effect::Sweep { req, request } => Some((*req, request.clone())),
        _ => None,
    })
}

fn cursor(request: &Request) -> String {
    match request {
        Request::Scan { cmd, .. } => String::from_utf8_lossy(&cmd[1]).into_owned(),
        other => panic!("a SCAN, not {other:?}"),
    }
}

fn swept(req: u64, request: Request, next: &str, keys: &[(&[u8], &str)]) -> Msg {
    let items = keys
        .iter()
        .flat_map(|(k, t)| [Reply::Bytes(k.to_vec()), Reply::Status(t.to_string())])
        .collect();
    Msg::Swept {
        req,
        request,
        elapsed: Duration::from_millis(100),
        result: Ok(vec![Reply::Array(vec![
            Reply::Bytes(next.as_bytes().to_vec()),
            Reply::Array(items),
        ])]),
    }
}

fn line(app: &App) -> String {
    app.monitor()
        .sweep
        .line()
        .map(|(parts, _)| parts.join(" "))
        .unwrap_or_default()
}

/// An app whose Keys pane counted `dbsize` keys, with the Monitor focused.
fn counted(dbsize: i64) -> App {
    let mut app = App::for_test();
    let start = app.start();
    let req = start
        .iter()
        .find_map(|e| match e {
            Effect::Count { req } => Some(*req),
            _ => None,
        })
        .expect("DBSIZE at start");
    app.update(Msg::Counted {
        req,
        result: Ok(dbsize),
    });
    app.update(key('4'));
    app
}

#[test]
fn the_cost_shows_before_anything_is_sent() {
    let mut app = counted(100_000);
    let asked = app.update(key('s'));
    assert!(
        asked.is_empty(),
        "nothing sent before the answer: {asked:?}"
    );
    // Pages of 100, 1 000 and 10 000 keys, then about 1 MiB of keys each.
    let cost = Cost {
        keys: 100_000,
        requests: 7,
        commands: 7,
    };
    assert_eq!(app.monitor().sweep.phase(), &Phase::Asking(cost));
    let text = line(&app);
    assert!(
        text.contains("100.0k keys, about 7 requests and 7 commands"),
        "{text}"
    );
    assert!(text.contains("y scans, n does not"), "{text}");
    // n leaves it as it was, sending nothing; so does Esc.
    assert!(app.update(key('n')).is_empty());
    assert_eq!(app.monitor().sweep.phase(), &Phase::Idle);
    app.update(key('s'));
    assert!(app.update(esc()).is_empty());
    assert_eq!(app.monitor().sweep.phase(), &Phase::Idle);
}

#[test]
fn without_a_known_size_dbsize_is_read_first() {
    let mut app = App::for_test();
    app.update(key('4'));
    let effects = app.update(key('s'));
    let [Effect::Count { req }] = effects.as_slice() else {
        panic!("only DBSIZE: {effects:?}");
    };
    app.update(Msg::Counted {
        req: *req,
        result: Ok(5_000),
    });
    assert_eq!(app.monitor().sweep.phase(), &Phase::Asking(Cost::of(5_000)));
    assert_eq!(
        app.keys().dbsize(),
        None,
        "the Keys pane's count is its own"
    );
}

#[test]
fn pages_feed_the_recognisers_and_esc_stops_between_them() {
    let mut app = counted(3_000);
    app.update(key('s'));
    let (req, request) = page(&app.update(key('y'))).expect("the first page");
    assert_eq!(cursor(&request), "0");
    assert!(line(&app).contains("Esc stops"), "{}", line(&app));
    let effects = app.update(swept(req, request, "42", &[(b"jobs\x06\x163", "list")]));
    assert!(suggested(&app).contains(&b"jobs\x06\x163".to_vec()));
    let (req, request) = page(&effects).expect("the next page");
    assert_eq!(cursor(&request), "42");
    // Esc stops it; the page in flight is dropped when it comes.
    app.update(esc());
    assert_eq!(app.monitor().sweep.phase(), &Phase::Stopped);
    assert_eq!(
        app.notice().expect("a word").text,
        "scan for queues stopped (s goes on)"
    );
    let late = app.update(swept(req, request, "77", &[(b"late\x06\x163", "list")]));
    assert!(late.is_empty() && !suggested(&app).contains(&b"late\x06\x163".to_vec()));
    // s asks again, for what is left, and goes on from the same cursor.
    app.update(key('s'));
    // The first page examined 100 keys; the next would ask for 1 000.
    let left = Cost {
        keys: 2_900,
        requests: 2,
        commands: 2,
    };
    assert_eq!(app.monitor().sweep.phase(), &Phase::Asking(left));
    let (req, request) =
        page(&app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))))
            .expect("the page that was dropped, again");
    assert_eq!(cursor(&request), "42");
    let effects = app.update(swept(req, request, "0", &[]));
    assert!(page(&effects).is_none());
    assert_eq!(app.monitor().sweep.phase(), &Phase::Done);
    assert!(
        line(&app).contains("every key, in 3 requests"),
        "{}",
        line(&app)
    );
    let notice = app.notice().cloned().expect("a word at the end").text;
    assert!(notice.starts_with("scan for queues done"), "{notice}");
}
