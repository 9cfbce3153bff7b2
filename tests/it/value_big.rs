//! Huge values open as fast as small ones: a 50 MiB string, a 1 000 000-element
//! list and a 1 000 000-field hash, each opened in one request that fetches
//! one bounded page; `G` and searches reach their ends.

use crate::common;

use std::time::Instant;

use common::Harness;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use redis::aio::MultiplexedConnection;
use tokio::sync::mpsc::{self, UnboundedSender};
use upstash_tui::edit::{Editor, ReadOnly};
use upstash_tui::tui::app::App;
use upstash_tui::tui::effects;
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::value as value_pane;
use upstash_tui::upstash::Client;
use upstash_tui::value::page::Rows;
use upstash_tui::value::session::run;
use upstash_tui::value::{Fetch, Kind, Limits, PageReq, Session, fetch, human, open};

const MILLION: i64 = 1_000_000;

/// Fills `key` with a million elements: `value:N` in a list, `field:N` to
/// `value:N` in a hash.
async fn seed_million(c: &mut MultiplexedConnection, key: &str, hash: bool) {
    let names = if hash {
        ("field:", "value:")
    } else {
        ("value:", "")
    };
    common::big::fill(c, key, hash, MILLION as u64, names).await;
}

#[tokio::test]
async fn fifty_mib_string_fetches_64_kib() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let size: u64 = 50 * 1024 * 1024;
    // SETRANGE allocates the whole string server-side; nothing crosses the wire.
    let _: i64 = redis::cmd("SETRANGE")
        .arg("big")
        .arg(size - 1)
        .arg("z")
        .query_async(&mut c)
        .await
        .expect("setrange");
    let _: i64 = redis::cmd("SETRANGE")
        .arg("big")
        .arg(0)
        .arg("head")
        .query_async(&mut c)
        .await
        .expect("setrange");
    let client = h.client();
    let limits = Limits::default();
    let before = client.telemetry().snapshot();
    let o = open(&client, b"big", Some(&Kind::String), &limits)
        .await
        .expect("opens");
    let after = client.telemetry().snapshot();
    assert_eq!(o.requests, 1);
    assert_eq!(after.requests - before.requests, 1);
    assert_eq!(o.header.len, Some(size));
    let page = o.page.expect("page");
    let Rows::Chunk { offset, bytes } = &page.rows else {
        panic!("chunk");
    };
    assert_eq!((*offset, bytes.len()), (0, 64 * 1024));
    assert!(bytes.starts_with(b"head\0\0"));
    // The response carried the 64 KiB page (base64) and little else.
    let received = after.bytes_received - before.bytes_received;
    assert!(received < 100 * 1024, "received {received} bytes");
    assert_eq!(
        format!(
            "showing {} of {}",
            human::bytes(bytes.len() as u64),
            human::bytes(size)
        ),
        "showing 64 KiB of 50 MiB"
    );
    // More is fetched by range on demand, and never past the 8 MiB cap.
    assert_eq!(
        PageReq::string_more(64 * 1024, size, &limits),
        Some(PageReq::Range {
            offset: 64 * 1024,
            len: 64 * 1024
        })
    );
    assert_eq!(PageReq::string_more(8 << 20, size, &limits), None);
    let tail = fetch(
        &client,
        b"big",
        &PageReq::Range {
            offset: size - 2,
            len: 64 * 1024,
        },
    )
    .await
    .expect("tail");
    assert_eq!(
        tail.rows,
        Rows::Chunk {
            offset: size - 2,
            bytes: b"\0z".to_vec()
        }
    );
    assert_eq!(tail.next, None);
}

#[tokio::test]
async fn million_element_list_opens_with_one_page() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    seed_million(&mut c, "jobs", false).await;
    let client = h.client();
    let o = open(&client, b"jobs", Some(&Kind::List), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.requests, 1);
    assert_eq!(o.header.len, Some(MILLION as u64));
    assert_eq!(o.header.encoding.as_deref(), Some("quicklist"));
    let page = o.page.expect("page");
    let Rows::Items { start, items } = &page.rows else {
        panic!("items");
    };
    assert_eq!((*start, items.len()), (0, 200));
    assert_eq!(items[0], b"value:0");
    assert_eq!(items[199], b"value:199");
    assert_eq!(human::rows(0, 200, o.header.len), "rows 1-200 of 1 000 000");
    let last = fetch(
        &client,
        b"jobs",
        &PageReq::ListRange {
            start: 999_900,
            count: 200,
        },
    )
    .await
    .expect("last page");
    let Rows::Items { items, .. } = &last.rows else {
        panic!("items");
    };
    assert_eq!(items.len(), 100);
    assert_eq!(items[99], b"value:999999");
    assert_eq!(last.next, None);
}

#[tokio::test]
async fn million_field_hash_opens_with_one_page() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    seed_million(&mut c, "sessions", true).await;
    let client = h.client();
    let o = open(&client, b"sessions", Some(&Kind::Hash), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.requests, 1);
    assert_eq!(o.header.len, Some(MILLION as u64));
    assert_eq!(o.header.encoding.as_deref(), Some("hashtable"));
    let page = o.page.expect("page");
    let Rows::Fields(rows) = &page.rows else {
        panic!("fields");
    };
    // HSCAN's COUNT is a hint: about a page, never the whole hash.
    assert!(!rows.is_empty() && rows.len() < 1000, "{} rows", rows.len());
    for (f, v) in rows {
        let n = f.strip_prefix(b"field:").expect("field name");
        assert_eq!(v, &[&b"value:"[..], n].concat());
    }
    assert!(page.next.is_some());
}

/// Runs `first` and every step after it through the gateway, as the pane
/// does; returns the requests it took.
async fn drive(client: &Client, s: &mut Session, first: Option<Fetch>, id: &mut u64) -> usize {
    let mut next = first;
    let mut requests = 0;
    while let Some(fetch) = next {
        let done = run(client, fetch).await;
        assert!(
            s.apply(done, Instant::now()),
            "the reply is the one awaited"
        );
        assert_eq!(s.error(), None);
        requests += 1;
        *id += 1;
        next = s.step(*id);
    }
    requests
}

async fn opened(client: &Client, key: &[u8], kind: Kind, id: &mut u64) -> Session {
    let mut s = Session::new(key, Some(kind), Limits::default());
    let first = s.reload(*id);
    drive(client, &mut s, Some(first), id).await;
    s
}

#[tokio::test]
async fn g_jumps_to_the_end_of_a_million_element_list_and_search_reads_on() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    seed_million(&mut c, "jobs", false).await;
    let client = h.client();
    let mut id = 1;
    let mut s = opened(&client, b"jobs", Kind::List, &mut id).await;

    // G: one request for the last page, whatever was loaded before.
    id += 1;
    let tail = s.bottom(id);
    assert!(matches!(tail, Some(Fetch::Tail { .. })), "{tail:?}");
    assert_eq!(drive(&client, &mut s, tail, &mut id).await, 1);
    assert_eq!(s.position(), "rows 999 801-1 000 000 of 1 000 000");
    assert_eq!(
        s.element(s.selected()).as_deref(),
        Some(&b"value:999999"[..])
    );
    // Up from the window's top fetches the page before it.
    id += 1;
    let up = s.move_by(-199, id);
    assert!(
        matches!(
            &up,
            Some(Fetch::Page {
                req: PageReq::ListRange {
                    start: 999_600,
                    count: 200
                },
                ..
            })
        ),
        "{up:?}"
    );
    drive(&client, &mut s, up, &mut id).await;
    assert_eq!(
        s.element(s.selected()).as_deref(),
        Some(&b"value:999800"[..])
    );
    // g goes back to the first page.
    id += 1;
    let top = s.top(id);
    drive(&client, &mut s, top, &mut id).await;
    assert_eq!(s.position(), "rows 1-200 of 1 000 000");

    // A search reads on, page after page, until it finds the element.
    id += 1;
    let first = s.search(b"value:999999", id);
    let requests = drive(&client, &mut s, first, &mut id).await;
    assert_eq!(
        s.element(s.selected()).as_deref(),
        Some(&b"value:999999"[..])
    );
    assert!(requests >= 900, "{requests} requests of 1000 rows");
    let news = s.take_news().expect("says what it took");
    assert!(
        news.0.starts_with("found: ") && news.0.contains("requests"),
        "{news:?}"
    );
    // n: no further match, said plainly.
    id += 1;
    assert_eq!(s.find_next(false, id), None);
    assert!(
        s.take_news()
            .is_some_and(|n| n.0.starts_with("no match below"))
    );
    // N: the previous match, walking back from the window.
    id += 1;
    let back = s.search(b"value:5", id);
    assert_eq!(
        back, None,
        "the window holds no match below; nothing to read"
    );
    let _ = s.take_news();
    id += 1;
    let back = s.find_next(true, id);
    drive(&client, &mut s, back, &mut id).await;
    assert_eq!(
        s.element(s.selected()).as_deref(),
        Some(&b"value:599999"[..])
    );
}

#[tokio::test]
async fn search_in_a_200_000_field_hash_scans_until_it_finds() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    common::big::fill(&mut c, "h", true, 200_000, ("field-", "v")).await;
    let client = h.client();
    let mut id = 1;
    let mut s = opened(&client, b"h", Kind::Hash, &mut id).await;

    // Text: the fields that contain it, scanned on until one is found.
    id += 1;
    let first = s.search(b"field-19999", id);
    drive(&client, &mut s, first, &mut id).await;
    let Some(Rows::Fields(rows)) = s.rows() else {
        panic!("fields");
    };
    assert!(!rows.is_empty(), "found, not \"no rows matching\"");
    assert!(rows.iter().all(|(f, _)| f.starts_with(b"field-19999")));
    // n walks on to the next match; at the end it says so.
    let mut found = rows.len();
    loop {
        id += 1;
        let f = s.find_next(false, id);
        drive(&client, &mut s, f, &mut id).await;
        if let Some((news, _)) = s.take_news().filter(|n| n.0.starts_with("no more matches")) {
            // Said when n reaches the end, or when the walk n started does.
            assert!(
                news.contains("11 in all") || news.ends_with("11 matching"),
                "{news}"
            );
            break;
        }
        found = found.max(s.len());
        assert!(found <= 11);
    }
    assert_eq!(s.len(), 11, "field-19999 and field-199990 to 199999");

    // A glob as typed: field names that start with field-1999 and one more character.
    id += 1;
    let first = s.search(b"field-1999?", id);
    drive(&client, &mut s, first, &mut id).await;
    id += 1;
    let end = s.bottom(id);
    drive(&client, &mut s, end, &mut id).await;
    assert!(!s.has_more());
    let Some(Rows::Fields(rows)) = s.rows() else {
        panic!("fields");
    };
    let mut names: Vec<_> = rows.iter().map(|(f, _)| f.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 10);

    // A glob nothing matches: the whole scan is read, and said.
    id += 1;
    let first = s.search(b"nothing*", id);
    let requests = drive(&client, &mut s, first, &mut id).await;
    assert!(requests >= 150, "{requests}");
    let news = s.take_news().expect("news");
    assert!(news.0.starts_with("no fields match nothing*"), "{news:?}");

    // G without a search walks the scan to its end.
    id += 1;
    let clear = s.clear_search(id);
    drive(&client, &mut s, clear, &mut id).await;
    id += 1;
    let end = s.bottom(id);
    let requests = drive(&client, &mut s, end, &mut id).await;
    assert!((150..=400).contains(&requests), "{requests}");
    assert!(!s.has_more());
    assert!(s.take_news().is_some_and(|n| n.0.starts_with("at the end")));
    // The window keeps the last 100 000 rows read.
    assert_eq!(s.position(), "rows 100 001-200 000 of 200 000");
    assert_eq!(s.selected(), s.len() - 1);
}

/// Runs the effects that reach the server through the real effect runner.
fn spawn_network(editor: &Editor, effects: Vec<Effect>, tx: &UnboundedSender<Msg>) {
    for e in effects {
        if matches!(
            e,
            Effect::Scan { .. } | Effect::Count { .. } | Effect::Value(_) | Effect::Prefetch { .. }
        ) {
            effects::spawn(editor, e, tx);
        }
    }
}

/// The bytes of the string window a session holds.
fn chunk(s: &Session) -> (u64, usize) {
    match s.rows() {
        Some(Rows::Chunk { offset, bytes }) => (*offset, bytes.len()),
        other => panic!("a string chunk, not {other:?}"),
    }
}

/// `[value] max_string_bytes` bounds a string's first page too: with a
/// 1 000-byte cap a 200 000-byte string opens with 1 000 bytes, whether the
/// Value pane loads it on Enter or the cursor's rest prefetched it, both
/// through the real effect runner.
#[tokio::test]
async fn the_configured_string_cap_bounds_the_first_page() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let _: () = redis::cmd("SET")
        .arg("big")
        .arg("x".repeat(200_000))
        .query_async(&mut c)
        .await
        .expect("set");
    let limits = Limits {
        string_cap: 1_000,
        ..Limits::default()
    };
    let editor = Editor::new(h.client(), ReadOnly::new(false));
    let (tx, mut rx) = mpsc::unbounded_channel();

    // The pane's own load.
    let mut pane = value_pane::State::with_limits(limits.clone());
    spawn_network(&editor, vec![pane.open(b"big", Some(Kind::String), 1)], &tx);
    let Some(Msg::ValueLoaded { done, at }) = rx.recv().await else {
        panic!("a load");
    };
    pane.on_loaded(done, at, &mut || 2);
    let s = pane.session().expect("open");
    assert_eq!(chunk(s), (0, 1_000));
    let shown = s.position();
    assert!(
        shown.contains(" cap; save it"),
        "nothing more within the cap: {shown}"
    );

    // The prefetch, shown on Enter.
    let mut app = App::for_test();
    app.set_value_limits(limits);
    let mut effects = app.update(Msg::Resize(100, 30));
    effects.extend(app.start());
    spawn_network(&editor, effects, &tx);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.keys().scanning() || app.keys().store().is_empty() {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the scan in time")
            .expect("a reply");
        let effects = app.update(msg);
        spawn_network(&editor, effects, &tx);
    }
    assert_eq!(app.keys().selected_key(), Some(&b"big"[..]));
    let effects = app.update(Msg::PrefetchDue);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Prefetch { .. })),
        "{effects:?}"
    );
    spawn_network(&editor, effects, &tx);
    loop {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the prefetch in time")
            .expect("a reply");
        let prefetched = matches!(msg, Msg::Prefetched { .. });
        app.update(msg);
        if prefetched {
            break;
        }
    }
    let effects = app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Value(_))),
        "shown from the prefetch: {effects:?}"
    );
    assert_eq!(chunk(app.value().session().expect("open")), (0, 1_000));
}
