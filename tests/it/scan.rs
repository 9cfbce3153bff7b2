//! The scan engine against a real redis-server through the real gateway and
//! client: MATCH, TYPE, WITHTYPE, the budget, duplicates and binary keys.

use crate::common;

use std::collections::HashSet;
use std::time::Duration;

use common::Harness;
use upstash_tui::scan::{
    self, Budget, Found, Query, Request, Scan, Status, literal_of, push_literal,
};
use upstash_tui::upstash::{Client, Error, Reply};
use upstash_tui::value::Kind;

// The engine alone, on replies made by hand.
fn page(cursor: &str, items: &[&str]) -> Result<Vec<Reply>, Error> {
    Ok(vec![Reply::Array(vec![
        Reply::Bytes(cursor.into()),
        Reply::Array(
            items
                .iter()
                .map(|s| Reply::Bytes(s.as_bytes().into()))
                .collect(),
        ),
    ])])
}

#[test]
fn literal_patterns_are_looked_up() {
    assert_eq!(literal_of(b"user:1"), Some(b"user:1".to_vec()));
    assert_eq!(literal_of(b"a\\*b"), Some(b"a*b".to_vec()));
    assert_eq!(literal_of(b"user:*"), None);
    assert_eq!(literal_of(b"h?llo"), None);
    assert_eq!(literal_of(b"h[ae]llo"), None);
    // A key escaped into a glob is looked up as itself.
    for key in [&b"a*b?c[d]e\\f"[..], b"plain", b"\xff\x00"] {
        let mut glob = Vec::new();
        push_literal(&mut glob, key);
        assert_eq!(literal_of(&glob).as_deref(), Some(key), "{glob:?}");
    }
    let mut glob = Vec::new();
    push_literal(&mut glob, b"a*[");
    assert_eq!(glob, b"a\\*\\[");
}

/// The COUNT a request asks for.
fn count_of(r: &Request) -> u64 {
    let Request::Scan { cmd, .. } = r else {
        panic!("scan expected")
    };
    let at = cmd.iter().position(|a| a == b"COUNT").expect("COUNT");
    String::from_utf8_lossy(&cmd[at + 1])
        .parse()
        .expect("a number")
}

#[test]
fn count_grows_and_a_page_never_passes_the_keys_budget() {
    let budget = Budget {
        keys: 10_000,
        requests: 20,
    };
    let mut s = Scan::new(Query::default(), budget);
    let r = s.next_request().expect("first");
    assert_eq!(count_of(&r), 100);
    let got = s.apply(
        &r,
        page("5", &["a", "string", "b", "hash"]),
        Duration::from_millis(100),
    );
    assert_eq!(got.expect("ok").len(), 2);
    assert_eq!(s.server_types(), Some(true));
    let r = s.next_request().expect("second");
    assert_eq!(count_of(&r), 1_000, "quick and small: tenfold");
    s.apply(
        &r,
        page("7", &["a", "string", "c", "hash"]),
        Duration::from_millis(100),
    )
    .expect("ok");
    assert_eq!(s.found(), 3, "a is not counted twice");
    let r = s.next_request().expect("third");
    assert_eq!(count_of(&r), 8_900, "what the budget has left, not 10 000");
    s.apply(&r, page("9", &[]), Duration::from_millis(100))
        .expect("ok");
    assert_eq!(s.examined(), 10_000);
    assert_eq!(s.requests(), 3);
    assert_eq!(s.status(), Status::Paused);
    assert!(s.next_request().is_none());
    s.extend();
    assert_eq!(s.status(), Status::Running);
    let r = s.next_request().expect("a second window");
    assert_eq!(count_of(&r), 10_000, "one page for the whole window");
}

#[test]
fn a_slow_page_makes_the_next_smaller_and_count_n_stays_fixed() {
    let mut s = Scan::new(Query::default(), Budget::UNLIMITED);
    for (cursor, took, next) in [("1", 100, 1_000), ("2", 100, 10_000), ("3", 2_100, 2_500)] {
        let r = s.next_request().expect("a page");
        s.apply(&r, page(cursor, &[]), Duration::from_millis(took))
            .expect("ok");
        assert_eq!(count_of(&s.next_request().expect("more")), next);
    }
    let fixed = Query {
        count: Some(500),
        ..Query::default()
    };
    let mut s = Scan::new(fixed, Budget::default());
    for cursor in ["1", "2", "3"] {
        let r = s.next_request().expect("a page");
        assert_eq!(count_of(&r), 500);
        s.apply(&r, page(cursor, &[]), Duration::from_millis(100))
            .expect("ok");
    }
}

/// An unbudgeted scan after two quick pages: the next asks for 10 000.
fn ramped() -> Scan {
    let mut s = Scan::new(Query::default(), Budget::UNLIMITED);
    for cursor in ["1", "2"] {
        let r = s.next_request().expect("a page");
        s.apply(&r, page(cursor, &[]), Duration::from_millis(100))
            .expect("ok");
    }
    assert_eq!(count_of(&s.next_request().expect("a third page")), 10_000);
    s
}

#[test]
fn a_reply_over_the_size_limit_is_asked_again_for_a_tenth() {
    let too_large = || Error::Limit {
        text: "ERR max request size exceeded. Limit: 10485760 bytes".into(),
        hint: "send less",
    };
    let mut s = ramped();
    let r = s.next_request().expect("a big page");
    let got = s.apply(&r, Err(too_large()), Duration::from_millis(100));
    assert_eq!(got, Ok(vec![]), "not an error: the page is asked again");
    let again = s.next_request().expect("the same page, smaller");
    let Request::Scan { cmd, .. } = &again else {
        panic!("scan expected")
    };
    assert_eq!(cmd[1], b"2", "from the same cursor");
    assert_eq!(count_of(&again), 1_000);
    assert_eq!(s.examined(), 1_100, "the refused page examined nothing");
    for count in [100, 10] {
        s.apply(
            &s.next_request().expect("page"),
            Err(too_large()),
            Duration::ZERO,
        )
        .expect("asked again");
        assert_eq!(count_of(&s.next_request().expect("again")), count);
    }
    let r = s.next_request().expect("the smallest page");
    assert_eq!(
        s.apply(&r, Err(too_large()), Duration::ZERO),
        Err(too_large())
    );

    let fixed = Query {
        count: Some(50_000),
        ..Query::default()
    };
    let mut s = Scan::new(fixed, Budget::UNLIMITED);
    let r = s.next_request().expect("a page");
    assert_eq!(
        s.apply(&r, Err(too_large()), Duration::ZERO),
        Err(too_large()),
        "--count N is the user's to change"
    );
}

#[test]
fn a_page_that_timed_out_is_asked_again_smaller() {
    let mut s = ramped();
    let r = s.next_request().expect("a big page");
    let got = s.apply(&r, Err(Error::Timeout), Duration::from_millis(10_100));
    assert_eq!(got, Err(Error::Timeout), "the failure is reported");
    // 10 s beyond the round trip for 10 000 keys: 500 ms is a twentieth.
    assert_eq!(count_of(&s.next_request().expect("again")), 500);
}

#[test]
fn a_pattern_that_reads_count_is_not_taken_for_the_count() {
    let query = Query {
        pattern: Some(b"COUNT*".to_vec()),
        ..Query::default()
    };
    let mut s = Scan::new(query, Budget::UNLIMITED);
    let r = s.next_request().expect("first");
    s.apply(&r, page("1", &[]), Duration::from_millis(100))
        .expect("ok");
    assert_eq!(s.examined(), 100);
}

#[test]
fn rejected_withtype_falls_back_once() {
    let mut s = Scan::new(Query::default(), Budget::UNLIMITED);
    let r = s.next_request().expect("first");
    let got = s.apply(
        &r,
        Err(Error::Other("ERR syntax error".into())),
        Duration::ZERO,
    );
    assert_eq!(got.expect("fallback is not an error"), vec![]);
    let r = s.next_request().expect("retry");
    assert!(matches!(
        r,
        Request::Scan {
            with_type: false,
            ..
        }
    ));
    let found = s.apply(&r, page("0", &["k"]), Duration::ZERO).expect("ok");
    assert_eq!(found[0].kind, None);
    assert_eq!(s.status(), Status::Done);
    let err = Scan::new(Query::default(), Budget::UNLIMITED)
        .without_types()
        .apply(&r, Err(Error::Other("boom".into())), Duration::ZERO);
    assert!(err.is_err());
}

#[test]
fn a_first_page_lost_to_the_network_keeps_withtype() {
    for failure in [
        Error::Timeout,
        Error::Connect("connection refused".into()),
        Error::Unauthorized,
        Error::Http {
            status: 502,
            text: "bad gateway".into(),
        },
    ] {
        let mut s = Scan::new(Query::default(), Budget::UNLIMITED);
        let r = s.next_request().expect("first");
        let got = s.apply(&r, Err(failure.clone()), Duration::ZERO);
        assert_eq!(got, Err(failure.clone()), "the failure is reported");
        assert_eq!(
            s.server_types(),
            None,
            "{failure:?} says nothing of WITHTYPE"
        );
        assert_eq!(s.next_request(), Some(r), "the same page is asked again");
    }
}

// The engine against the gateway.

async fn seed(h: &Harness) {
    let mut conn = h.redis_conn().await;
    let mut pipe = redis::pipe();
    for i in 0..3000 {
        pipe.set(format!("user:{i}:name"), "x").ignore();
    }
    for i in 0..200 {
        pipe.hset(format!("session:{i}"), "f", "v").ignore();
    }
    pipe.rpush("queue", "job").ignore();
    pipe.sadd("tags", "a").ignore();
    pipe.zadd("board", "p", 1).ignore();
    pipe.set(&b"bin:\xff\x00\n\x01"[..], "raw").ignore();
    pipe.set("literal*star", "glob char in the name").ignore();
    let () = pipe.query_async(&mut conn).await.expect("seed");
}

const TOTAL: usize = 3000 + 200 + 3 + 2;

/// Runs `scan` until it pauses or ends, collecting what it finds.
async fn drain(client: &Client, scan: &mut Scan) -> Vec<Found> {
    let mut all = Vec::new();
    while let Some(req) = scan.next_request() {
        let (replies, elapsed) = scan::send_timed(client, &req).await;
        all.extend(scan.apply(&req, replies, elapsed).expect("scan page"));
    }
    all
}

fn keys(found: &[Found]) -> HashSet<Vec<u8>> {
    found.iter().map(|f| f.key.clone()).collect()
}

#[tokio::test]
async fn full_scan_finds_every_key_once_with_types() {
    let h = Harness::start().await;
    seed(&h).await;
    let client = h.client();
    let mut s = Scan::new(Query::default(), Budget::UNLIMITED);
    let found = drain(&client, &mut s).await;
    assert_eq!(s.status(), Status::Done);
    assert_eq!(found.len(), TOTAL, "no duplicates, nothing missing");
    assert_eq!(keys(&found).len(), TOTAL);
    assert_eq!(s.server_types(), Some(true), "the gateway answers WITHTYPE");
    let kind = |k: &[u8]| {
        found
            .iter()
            .find(|f| f.key == k)
            .and_then(|f| f.kind.clone())
    };
    assert_eq!(kind(b"session:7"), Some(Kind::Hash));
    assert_eq!(kind(b"board"), Some(Kind::ZSet));
    assert_eq!(
        kind(b"bin:\xff\x00\n\x01"),
        Some(Kind::String),
        "binary key exact"
    );
    // 100 first, then 1 000, then 10 000: three requests.
    assert_eq!(s.requests(), 3);
}

#[tokio::test]
async fn match_and_type_narrow_the_scan() {
    let h = Harness::start().await;
    seed(&h).await;
    let client = h.client();
    let query = Query {
        pattern: Some(b"session:1*".to_vec()),
        ..Query::default()
    };
    let found = drain(&client, &mut Scan::new(query, Budget::UNLIMITED)).await;
    assert_eq!(
        found.len(),
        1 + 10 + 100,
        "session:1, session:1x, session:1xx"
    );
    assert!(found.iter().all(|f| f.key.starts_with(b"session:1")));

    let query = Query {
        kind: Some(Kind::Hash),
        ..Query::default()
    };
    let found = drain(&client, &mut Scan::new(query, Budget::UNLIMITED)).await;
    assert_eq!(found.len(), 200);
    assert!(found.iter().all(|f| f.kind == Some(Kind::Hash)));
}

#[tokio::test]
async fn plain_scan_without_withtype_still_works() {
    let h = Harness::start().await;
    seed(&h).await;
    let client = h.client();
    let mut s = Scan::new(Query::default(), Budget::UNLIMITED).without_types();
    let found = drain(&client, &mut s).await;
    assert_eq!(found.len(), TOTAL);
    assert!(found.iter().all(|f| f.kind.is_none()));
    let some: Vec<&[u8]> = found.iter().take(3).map(|f| f.key.as_slice()).collect();
    let types = client
        .pipeline(&scan::type_commands(&some))
        .await
        .expect("TYPE pipeline");
    assert_eq!(types.len(), 3);
    assert!(
        types
            .iter()
            .all(|t| t.as_str().is_some_and(|s| s != "none"))
    );
}

#[tokio::test]
async fn budget_pauses_and_extend_continues_to_the_end() {
    let h = Harness::start().await;
    seed(&h).await;
    let client = h.client();
    let budget = Budget {
        keys: 1000,
        requests: 20,
    };
    let mut s = Scan::new(Query::default(), budget);
    let mut found = drain(&client, &mut s).await;
    assert_eq!(s.status(), Status::Paused);
    assert_eq!(s.requests(), 2, "100 and 900 make the 1000-key budget");
    assert_eq!(s.examined(), 1000, "and no more");
    assert!(found.len() < TOTAL);
    while s.status() == Status::Paused {
        s.extend();
        found.extend(drain(&client, &mut s).await);
    }
    assert_eq!(keys(&found).len(), TOTAL);
    assert_eq!(found.len(), TOTAL, "continuing repeats nothing");
}

#[tokio::test]
async fn a_literal_pattern_is_one_lookup() {
    let h = Harness::start().await;
    seed(&h).await;
    let client = h.client();
    let query = Query {
        pattern: Some(b"literal\\*star".to_vec()),
        ..Query::default()
    };
    let mut s = Scan::new(query, Budget::default());
    let found = drain(&client, &mut s).await;
    assert_eq!(s.requests(), 1);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key, b"literal*star");
    assert_eq!(found[0].kind, Some(Kind::String));
    let query = Query {
        pattern: Some(b"user:7:name".to_vec()),
        kind: Some(Kind::Hash),
        count: None,
    };
    let found = drain(&client, &mut Scan::new(query, Budget::default())).await;
    assert!(found.is_empty(), "the type filter applies to lookups too");
}

/// Runs `upstash-tui scan` on the harness's gateway.
async fn cli_scan(h: &Harness, args: &[&str]) -> Vec<u8> {
    common::scan_cli(&h.url, args).await
}

fn sorted_lines(out: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(out)
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn the_scan_command_agrees_with_redis_cli() {
    let h = Harness::start().await;
    seed(&h).await;
    let port = h.redis.url().rsplit(':').next().expect("port").to_owned();
    let theirs = tokio::process::Command::new("redis-cli")
        .args(["-p", &port, "--scan", "--pattern", "user:*"])
        .output()
        .await
        .expect("redis-cli is installed");
    let mut conn = h.redis_conn().await;
    let () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query_async(&mut conn)
        .await
        .expect("reset stats");
    let ours = cli_scan(&h, &["--match", "user:*", "--count", "500"]).await;
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut conn)
        .await
        .expect("stats");
    let calls: usize = stats
        .lines()
        .find_map(|l| l.strip_prefix("cmdstat_scan:calls="))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .expect("SCAN calls in INFO");
    assert!(
        calls <= TOTAL / 500 + 2,
        "{calls} SCAN calls for {TOTAL} keys at COUNT 500"
    );
    let (ours, theirs) = (sorted_lines(&ours), sorted_lines(&theirs.stdout));
    assert_eq!(theirs.len(), 3000);
    assert!(
        ours == theirs,
        "{} lines, redis-cli printed {}",
        ours.len(),
        theirs.len()
    );

    let all = sorted_lines(&cli_scan(&h, &[]).await);
    assert_eq!(
        all.len(),
        TOTAL,
        "one line per key, even with a newline inside"
    );
    assert!(
        all.contains(&r#""bin:\xff\x00\n\x01""#.to_owned()),
        "escaped like redis-cli"
    );

    let typed = sorted_lines(&cli_scan(&h, &["--match", "session:1?", "--with-types"]).await);
    assert_eq!(typed.len(), 10);
    assert!(typed.iter().all(|l| l.ends_with("\thash")), "{typed:?}");

    let json = cli_scan(&h, &["--type", "zset", "--json"]).await;
    assert_eq!(
        String::from_utf8_lossy(&json),
        "{\"key\":\"board\",\"type\":\"zset\"}\n"
    );
}
