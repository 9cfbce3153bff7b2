//! Huge values open as fast as small ones: a 50 MiB string, a 1 000 000-element
//! list and a 1 000 000-field hash, each opened in one request that fetches
//! one bounded page.

mod common;

use common::Harness;
use redis::aio::MultiplexedConnection;
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Kind, Limits, PageReq, fetch, human, open};

const MILLION: i64 = 1_000_000;

/// Fills `key` with a million elements server-side, in scripts of 100 000
/// (each well inside the connection's response timeout) that push 1000 at a time.
async fn seed_million(c: &mut MultiplexedConnection, key: &str, hash: bool) {
    let script = r#"
        local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
        for i = from, to - 1, 1000 do
            local t = {}
            for j = i, math.min(i + 999, to - 1) do
                if ARGV[3] == "hash" then t[#t + 1] = "field:" .. j end
                t[#t + 1] = "value:" .. j
            end
            if ARGV[3] == "hash" then
                redis.call("HSET", KEYS[1], unpack(t))
            else
                redis.call("RPUSH", KEYS[1], unpack(t))
            end
        end
        return to - from
    "#;
    let kind = if hash { "hash" } else { "list" };
    let step = 100_000;
    for from in (0..MILLION).step_by(step as usize) {
        let n: i64 = redis::cmd("EVAL")
            .arg(script)
            .arg(1)
            .arg(key)
            .arg(from)
            .arg(from + step)
            .arg(kind)
            .query_async(c)
            .await
            .expect("seeding script");
        assert_eq!(n, step);
    }
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
