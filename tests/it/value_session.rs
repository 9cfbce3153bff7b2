//! The Value pane's session: stale replies dropped, paging as the selection
//! moves, search, order, formats, copy and auto-refresh, first without a
//! network (replies fed by hand) and then through the harness.

use crate::common;

use std::time::{Duration, Instant};

use common::Harness;
use upstash_tui::upstash::Error;
use upstash_tui::value::format::{Body, Format};
use upstash_tui::value::page::Rows;
use upstash_tui::value::session::{Done, run};
use upstash_tui::value::{Fetch, Header, Kind, Limits, Opened, Page, PageReq, Session};

fn header(kind: Kind, len: u64) -> Header {
    Header {
        key: b"k".to_vec(),
        kind,
        ttl_ms: Some(10_000),
        len: Some(len),
        encoding: None,
        memory: None,
        groups: vec![],
    }
}

fn opened(kind: Kind, len: u64, rows: Rows, next: Option<PageReq>) -> Result<Opened, Error> {
    Ok(Opened {
        header: header(kind, len),
        req: None,
        page: Some(Page { rows, next }),
        requests: 1,
    })
}

fn items(range: std::ops::Range<u32>) -> Rows {
    Rows::Items {
        start: range.start as u64,
        items: range.map(|i| format!("item{i}").into_bytes()).collect(),
    }
}

#[test]
fn stale_replies_are_dropped() {
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::List), Limits::default());
    let first = s.reload(1);
    assert!(matches!(first, Fetch::Open { id: 1, .. }));
    let _second = s.reload(2);
    assert!(!s.on_opened(1, opened(Kind::List, 3, items(0..3), None), now));
    assert!(s.rows().is_none());
    assert!(s.on_opened(2, opened(Kind::List, 2, items(0..2), None), now));
    assert_eq!(s.rows().map(Rows::len), Some(2));
    // A page reply with an old id changes nothing either.
    assert!(!s.on_page(
        1,
        Ok(Page {
            rows: items(2..3),
            next: None
        })
    ));
    assert_eq!(s.rows().map(Rows::len), Some(2));
}

#[test]
fn scrolling_fetches_the_next_page_once() {
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::List), Limits::default());
    s.reload(1);
    let next = PageReq::ListRange {
        start: 200,
        count: 200,
    };
    s.on_opened(
        1,
        opened(Kind::List, 1_000_000, items(0..200), Some(next.clone())),
        now,
    );
    assert_eq!(s.position(), "rows 1-200 of 1 000 000");
    assert_eq!(s.move_by(10, 2), None, "far from the end: no fetch");
    let fetch = s.move_by(150, 3).expect("near the end: next page");
    assert_eq!(
        fetch,
        Fetch::Page {
            id: 3,
            key: b"k".to_vec(),
            req: next
        }
    );
    assert_eq!(s.move_by(1, 4), None, "one request at a time");
    assert!(s.on_page(
        3,
        Ok(Page {
            rows: items(200..400),
            next: None
        })
    ));
    assert_eq!(s.rows().map(Rows::len), Some(400));
    assert_eq!(s.move_by(1000, 5), None, "no more pages");
    assert_eq!(s.selected(), 399);
}

#[test]
fn a_string_stops_loading_at_the_cap_and_says_so() {
    let now = Instant::now();
    let limits = Limits {
        string_cap: 131_072,
        ..Limits::default()
    };
    let mut s = Session::new(b"k", Some(Kind::String), limits);
    s.reload(1);
    let chunk = |offset: u64, n: usize| Rows::Chunk {
        offset,
        bytes: vec![b'a'; n],
    };
    s.on_opened(
        1,
        opened(Kind::String, 1_048_576, chunk(0, 65_536), None),
        now,
    );
    assert!(s.has_more());
    assert_eq!(s.position(), "showing 64 KiB of 1 MiB");
    let Some(Fetch::Page { req, .. }) = s.more(2) else {
        panic!("more");
    };
    assert_eq!(
        req,
        PageReq::Range {
            offset: 65_536,
            len: 65_536
        }
    );
    s.on_page(
        2,
        Ok(Page {
            rows: chunk(65_536, 65_536),
            next: None,
        }),
    );
    assert!(!s.has_more());
    assert_eq!(s.more(3), None);
    assert_eq!(
        s.position(),
        "showing 128 KiB of 1 MiB (the 128 KiB cap; save it to a file for all of it)"
    );
}

#[test]
fn errors_are_shown_and_cleared_by_a_good_reply() {
    let now = Instant::now();
    let mut s = Session::new(b"k", None, Limits::default());
    s.reload(1);
    s.on_opened(1, Err(Error::Timeout), now);
    assert_eq!(s.error(), Some("the request timed out"));
    s.reload(2);
    s.on_opened(
        2,
        opened(Kind::Set, 1, Rows::Members(vec![b"m".to_vec()]), None),
        now,
    );
    assert_eq!(s.error(), None);
    assert_eq!(s.kind(), Some(&Kind::Set));
}

#[test]
fn search_filters_on_the_server_for_hashes_and_highlights_lists() {
    let now = Instant::now();
    let mut h = Session::new(b"k", Some(Kind::Hash), Limits::default());
    h.reload(1);
    h.on_opened(1, opened(Kind::Hash, 3, Rows::Fields(vec![]), None), now);
    let Some(Fetch::Page {
        req: PageReq::HashScan(scan),
        ..
    }) = h.search(b"ann", 2)
    else {
        panic!("a MATCH scan");
    };
    assert_eq!(scan.pattern.as_deref(), Some(&b"*ann*"[..]));
    h.on_page(
        2,
        Ok(Page {
            rows: Rows::Fields(vec![(b"anna".to_vec(), b"1".to_vec())]),
            next: None,
        }),
    );
    assert_eq!(h.position(), "rows 1-1 matching");
    assert_eq!(h.highlights(b"Joanna"), vec![2..5]);
    assert!(
        matches!(h.clear_search(3), Some(Fetch::Page { req: PageReq::HashScan(s), .. }) if s.pattern.is_none())
    );

    let mut l = Session::new(b"k", Some(Kind::List), Limits::default());
    l.reload(1);
    l.on_opened(1, opened(Kind::List, 3, items(0..30), None), now);
    assert_eq!(l.search(b"item17", 2), None, "lists search what is loaded");
    assert_eq!(l.selected(), 17);

    let mut t = Session::new(b"k", Some(Kind::String), Limits::default());
    t.reload(1);
    let text = b"first\nsecond\nthird needle\n".to_vec();
    t.on_opened(
        1,
        opened(
            Kind::String,
            26,
            Rows::Chunk {
                offset: 0,
                bytes: text,
            },
            None,
        ),
        now,
    );
    assert_eq!(t.search(b"needle", 2), None);
    assert_eq!(t.selected(), 2, "the line holding the match");
}

#[test]
fn order_reverses_sorted_sets_and_streams_only() {
    let now = Instant::now();
    let mut z = Session::new(b"k", Some(Kind::ZSet), Limits::default());
    z.reload(1);
    z.on_opened(
        1,
        opened(
            Kind::ZSet,
            0,
            Rows::Scored {
                start: Some(0),
                rows: vec![],
            },
            None,
        ),
        now,
    );
    assert!(matches!(
        z.toggle_order(2),
        Some(Fetch::Page {
            req: PageReq::ZRange { rev: true, .. },
            ..
        })
    ));
    let mut l = Session::new(b"k", Some(Kind::List), Limits::default());
    assert_eq!(l.toggle_order(1), None);
}

#[test]
fn strings_render_in_each_format_and_copy() {
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::String), Limits::default());
    s.reload(1);
    let json = br#"{"a":[1,2]}"#.to_vec();
    s.on_opened(
        1,
        opened(
            Kind::String,
            json.len() as u64,
            Rows::Chunk {
                offset: 0,
                bytes: json.clone(),
            },
            None,
        ),
        now,
    );
    assert!(matches!(s.rendered().map(|r| &r.body), Some(Body::Json(_))));
    assert_eq!(s.len(), 6, "pretty JSON lines");
    s.cycle_format();
    assert_eq!(s.format(), Format::Text);
    assert!(matches!(s.rendered().map(|r| &r.body), Some(Body::Text(t)) if t == r#"{"a":[1,2]}"#));
    s.cycle_format();
    s.cycle_format();
    assert_eq!(s.format(), Format::Hex);
    assert_eq!(s.len(), 1);
    assert_eq!(
        s.copy(1024),
        Some(Ok("\x1b]52;c;eyJhIjpbMSwyXX0=\x07".to_string()))
    );
    assert!(s.copy(4).is_some_and(|r| r.is_err()));
    assert_eq!(s.position(), "11 B");
    assert_eq!(
        s.ttl_left(now + Duration::from_secs(4)),
        Some(Duration::from_secs(6))
    );
}

#[test]
fn auto_refresh_marks_changed_rows_and_never_piles_up() {
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::Hash), Limits::default());
    s.reload(1);
    let v = |s: &str| s.as_bytes().to_vec();
    s.on_opened(
        1,
        opened(
            Kind::Hash,
            2,
            Rows::Fields(vec![(v("a"), v("1")), (v("b"), v("2"))]),
            None,
        ),
        now,
    );
    assert!(s.toggle_auto());
    assert!(s.refresh(2).is_some());
    assert_eq!(s.refresh(3), None, "still waiting for the last refresh");
    s.on_opened(
        2,
        opened(
            Kind::Hash,
            2,
            Rows::Fields(vec![(v("a"), v("1")), (v("b"), v("3"))]),
            None,
        ),
        now,
    );
    assert_eq!(s.changed(), &[1]);
    assert!(!s.toggle_auto());
    assert!(s.changed().is_empty());
}

#[test]
fn auto_refresh_keeps_rows_loaded_beyond_the_first_page() {
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::List), Limits::default());
    s.reload(1);
    let next = |start| Some(PageReq::ListRange { start, count: 200 });
    s.on_opened(1, opened(Kind::List, 1000, items(0..200), next(200)), now);
    let fetch = s.move_by(190, 2);
    assert!(fetch.is_some());
    s.on_page(
        2,
        Ok(Page {
            rows: items(200..400),
            next: next(400),
        }),
    );
    s.move_by(100, 3);
    assert_eq!(s.selected(), 290);
    s.toggle_auto();
    s.refresh(4);
    let mut fresh = items(0..200);
    if let Rows::Items { items, .. } = &mut fresh {
        items[5] = b"changed".to_vec();
    }
    s.on_opened(4, opened(Kind::List, 1000, fresh, next(200)), now);
    assert_eq!(s.rows().map(Rows::len), Some(400));
    assert_eq!(s.selected(), 290);
    assert_eq!(s.changed(), &[5]);
    assert_eq!(s.element(399), Some(b"item399".to_vec()));
    assert!(matches!(
        s.more(5),
        Some(Fetch::Page {
            req: PageReq::ListRange { start: 400, .. },
            ..
        })
    ));
}

#[tokio::test]
async fn a_session_driven_through_the_gateway() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let mut rpush = redis::cmd("RPUSH");
    rpush.arg("jobs");
    for i in 0..500 {
        rpush.arg(format!("job{i}"));
    }
    let _: i64 = rpush.query_async(&mut c).await.expect("seed");
    let client = h.client();
    let limits = Limits::default();
    let mut s = Session::new(b"jobs", Some(Kind::List), limits.clone());
    let mut id = 0;
    let mut fetch = Some(s.reload(id));
    // Scroll to the bottom, fetching pages as the selection nears the end.
    while let Some(f) = fetch.take() {
        let done: Done = run(&client, f).await;
        assert!(s.apply(done, Instant::now()));
        id += 1;
        fetch = s.move_by(1000, id);
    }
    assert_eq!(s.rows().map(Rows::len), Some(500));
    assert_eq!(s.element(499), Some(b"job499".to_vec()));
    assert_eq!(s.position(), "rows 1-500 of 500");
    assert!(!s.has_more());
}

#[test]
fn g_keeps_its_window_through_auto_refresh_and_esc_stops_a_walk() {
    use upstash_tui::value::tail::Tail;
    let now = Instant::now();
    let mut s = Session::new(b"k", Some(Kind::List), Limits::default());
    s.reload(1);
    let next = PageReq::ListRange {
        start: 200,
        count: 200,
    };
    s.on_opened(
        1,
        opened(Kind::List, 1_000_000, items(0..200), Some(next)),
        now,
    );
    assert!(matches!(
        s.bottom(2),
        Some(Fetch::Tail {
            id: 2,
            rev: false,
            ..
        })
    ));
    let tail = Tail {
        page: Page {
            rows: items(999_800..1_000_000),
            next: None,
        },
        len: 1_000_000,
    };
    assert!(s.on_tail(2, Ok(tail)));
    assert_eq!(s.position(), "rows 999 801-1 000 000 of 1 000 000");
    assert_eq!(s.selected(), 199);
    s.toggle_auto();
    let refresh = s.refresh(3).expect("a refresh");
    assert!(matches!(refresh, Fetch::Open { id: 3, .. }));
    s.on_opened(3, opened(Kind::List, 1_000_001, items(0..200), None), now);
    assert_eq!(s.position(), "rows 999 801-1 000 000 of 1 000 001");

    // A hash: G walks its scan; Esc stops between two steps.
    let mut h = Session::new(b"h", Some(Kind::Hash), Limits::default());
    h.reload(1);
    let scan = |cursor: &str| {
        PageReq::HashScan(upstash_tui::value::page::Scan {
            cursor: cursor.as_bytes().to_vec(),
            pattern: None,
            count: 200,
        })
    };
    let fields = |n: usize| {
        Rows::Fields(
            (0..n)
                .map(|i| (format!("f{i}").into_bytes(), b"v".to_vec()))
                .collect(),
        )
    };
    h.on_opened(
        1,
        opened(Kind::Hash, 5000, fields(200), Some(scan("7"))),
        now,
    );
    let Some(Fetch::Page {
        req: PageReq::HashScan(first),
        ..
    }) = h.bottom(2)
    else {
        panic!("a walk");
    };
    assert_eq!(first.count, 1000, "walks take bigger steps");
    h.on_page(
        2,
        Ok(Page {
            rows: fields(1000),
            next: Some(scan("9")),
        }),
    );
    assert!(
        h.progress()
            .is_some_and(|p| p.starts_with("1 request, about 1 000 fields of 5 000"))
    );
    assert!(matches!(h.step(3), Some(Fetch::Page { id: 3, .. })));
    assert!(h.stop());
    assert!(
        h.take_news()
            .is_some_and(|n| n.0.starts_with("stopped: 1 request"))
    );
    assert!(
        !h.on_page(
            3,
            Ok(Page {
                rows: fields(1),
                next: None
            })
        ),
        "the reply after Esc is dropped"
    );
    assert_eq!(h.step(4), None);
    assert_eq!(h.len(), 1200);
}
