//! The value engine against a real redis-server through the gateway and the
//! client: every type's header and pages, in as few requests as promised.

use crate::common;

use std::collections::BTreeSet;

use common::Harness;
use redis::aio::MultiplexedConnection;
use upstash_tui::value::format::{self, Body, Format};
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Kind, Limits, PageReq, fetch, fetch_filled, open, search};

async fn run(c: &mut MultiplexedConnection, args: &[&[u8]]) {
    let mut cmd = redis::cmd(std::str::from_utf8(args[0]).expect("name"));
    for a in &args[1..] {
        cmd.arg(*a);
    }
    let _: redis::Value = cmd.query_async(c).await.expect("seed command");
}

#[tokio::test]
async fn string_opens_in_one_request_when_the_type_is_known() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(
        &mut c,
        &[b"SET", b"greeting", b"hello world", b"PX", b"60000"],
    )
    .await;
    let o = open(
        &h.client(),
        b"greeting",
        Some(&Kind::String),
        &Limits::default(),
    )
    .await
    .expect("opens");
    assert_eq!(o.requests, 1);
    assert_eq!(o.header.kind, Kind::String);
    assert_eq!(o.header.len, Some(11));
    assert_eq!(o.header.encoding.as_deref(), Some("embstr"));
    assert!(o.header.memory.is_some_and(|m| m > 0));
    assert!(o.header.ttl_ms.is_some_and(|t| t > 0 && t <= 60_000));
    let page = o.page.expect("a page");
    assert_eq!(
        page.rows,
        Rows::Chunk {
            offset: 0,
            bytes: b"hello world".to_vec()
        }
    );
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn unknown_or_wrong_type_costs_one_more_request() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(&mut c, &[b"RPUSH", b"q", b"a", b"b"]).await;
    let client = h.client();
    let limits = Limits::default();
    let unknown = open(&client, b"q", None, &limits).await.expect("opens");
    assert_eq!(
        (unknown.requests, unknown.header.kind.clone()),
        (2, Kind::List)
    );
    let wrong = open(&client, b"q", Some(&Kind::Hash), &limits)
        .await
        .expect("opens");
    assert_eq!((wrong.requests, wrong.header.kind.clone()), (2, Kind::List));
    assert_eq!(unknown.page, wrong.page);
    assert_eq!(unknown.header.ttl_ms, None);

    let missing = open(&client, b"nope", None, &limits).await.expect("opens");
    assert_eq!(missing.header.kind, Kind::Missing);
    assert_eq!(missing.page, None);
    assert_eq!(missing.header.len, None);
}

#[tokio::test]
async fn big_string_fetches_one_range_and_more_on_demand() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let value: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    run(&mut c, &[b"SET", b"blob", &value]).await;
    let client = h.client();
    let limits = Limits {
        string_cap: 200_000,
        ..Limits::default()
    };
    let o = open(&client, b"blob", Some(&Kind::String), &limits)
        .await
        .expect("opens");
    assert_eq!(o.header.len, Some(300_000));
    let Some(Rows::Chunk { bytes, .. }) = o.page.map(|p| p.rows) else {
        panic!("a chunk");
    };
    assert_eq!(bytes, &value[..65_536]);
    let mut loaded = bytes;
    while let Some(req) = PageReq::string_more(loaded.len() as u64, 300_000, &limits) {
        let page = fetch(&client, b"blob", &req).await.expect("range");
        let Rows::Chunk { offset, bytes } = page.rows else {
            panic!("a chunk");
        };
        assert_eq!(offset, loaded.len() as u64);
        loaded.extend(bytes);
    }
    // The cap stops loading before the end of the value.
    assert_eq!(loaded.len(), 200_000);
    assert_eq!(loaded, &value[..200_000]);
}

#[tokio::test]
async fn hash_with_binary_fields_and_values() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(
        &mut c,
        &[b"HSET", b"h\xff", b"f\x00\xff", b"v\xfe", b"name", b"ann"],
    )
    .await;
    let o = open(&h.client(), b"h\xff", Some(&Kind::Hash), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.requests, 1);
    assert_eq!(o.header.len, Some(2));
    assert_eq!(o.header.encoding.as_deref(), Some("listpack"));
    let page = o.page.expect("a page");
    let Rows::Fields(rows) = page.rows else {
        panic!("fields");
    };
    let got: BTreeSet<_> = rows.into_iter().collect();
    let want: BTreeSet<_> = [
        (b"f\x00\xff".to_vec(), b"v\xfe".to_vec()),
        (b"name".to_vec(), b"ann".to_vec()),
    ]
    .into();
    assert_eq!(got, want);
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn list_pages_by_index() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let items: Vec<Vec<u8>> = (0..450).map(|i| format!("item{i}").into_bytes()).collect();
    let mut args: Vec<&[u8]> = vec![b"RPUSH", b"l"];
    args.extend(items.iter().map(Vec::as_slice));
    run(&mut c, &args).await;
    let client = h.client();
    let o = open(&client, b"l", Some(&Kind::List), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.header.len, Some(450));
    let mut page = o.page.expect("a page");
    let mut all = Vec::new();
    loop {
        let Rows::Items { start, items } = page.rows else {
            panic!("items");
        };
        assert_eq!(start, all.len() as u64);
        all.extend(items);
        match page.next {
            Some(next) => page = fetch(&client, b"l", &next).await.expect("page"),
            None => break,
        }
    }
    assert_eq!(all, items);
}

#[tokio::test]
async fn set_members_including_non_utf8() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(&mut c, &[b"SADD", b"s", b"plain", b"\xc3\x28", b"\x00"]).await;
    let o = open(&h.client(), b"s", Some(&Kind::Set), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.header.len, Some(3));
    let Some(Rows::Members(m)) = o.page.map(|p| p.rows) else {
        panic!("members");
    };
    let got: BTreeSet<_> = m.into_iter().collect();
    let want: BTreeSet<Vec<u8>> =
        [b"plain".to_vec(), b"\xc3\x28".to_vec(), b"\x00".to_vec()].into();
    assert_eq!(got, want);
}

#[tokio::test]
async fn zset_by_rank_both_ways_and_search() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(
        &mut c,
        &[
            b"ZADD", b"z", b"1.5", b"ann", b"-3", b"bob", b"10", b"cy\xff", b"2", b"annie",
        ],
    )
    .await;
    let client = h.client();
    let o = open(&client, b"z", Some(&Kind::ZSet), &Limits::default())
        .await
        .expect("opens");
    assert_eq!(o.header.len, Some(4));
    let scored = |rows: Rows| match rows {
        Rows::Scored { rows, .. } => rows,
        other => panic!("scored rows, got {other:?}"),
    };
    let rows = scored(o.page.expect("page").rows);
    let pairs = |v: &[(&[u8], &[u8])]| -> Vec<(Vec<u8>, Vec<u8>)> {
        v.iter().map(|(a, b)| (a.to_vec(), b.to_vec())).collect()
    };
    assert_eq!(
        rows,
        pairs(&[
            (b"bob", b"-3"),
            (b"ann", b"1.5"),
            (b"annie", b"2"),
            (b"cy\xff", b"10")
        ])
    );
    let rev = PageReq::ZRange {
        start: 0,
        count: 2,
        rev: true,
    };
    let page = fetch(&client, b"z", &rev).await.expect("rev page");
    assert_eq!(
        scored(page.rows),
        pairs(&[(b"cy\xff", b"10"), (b"annie", b"2")])
    );
    assert!(page.next.is_some());

    let limits = Limits::default();
    let req =
        PageReq::search(&Kind::ZSet, search::contains_pattern(b"ann"), &limits).expect("zscan");
    let (page, _) = fetch_filled(&client, b"z", &req, &limits)
        .await
        .expect("search");
    let mut found = scored(page.rows);
    found.sort();
    assert_eq!(found, pairs(&[(b"ann", b"1.5"), (b"annie", b"2")]));
}

#[tokio::test]
async fn stream_pages_with_exclusive_ids_and_groups() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    for i in 1..=5 {
        let id = format!("{i}-1");
        run(
            &mut c,
            &[
                b"XADD",
                b"ev",
                id.as_bytes(),
                b"n",
                i.to_string().as_bytes(),
            ],
        )
        .await;
    }
    run(&mut c, &[b"XGROUP", b"CREATE", b"ev", b"workers", b"0"]).await;
    run(
        &mut c,
        &[
            b"XREADGROUP",
            b"GROUP",
            b"workers",
            b"w1",
            b"COUNT",
            b"2",
            b"STREAMS",
            b"ev",
            b">",
        ],
    )
    .await;
    let client = h.client();
    let limits = Limits {
        rows: 2,
        ..Limits::default()
    };
    let o = open(&client, b"ev", Some(&Kind::Stream), &limits)
        .await
        .expect("opens");
    assert_eq!(o.requests, 1);
    assert_eq!(o.header.len, Some(5));
    assert_eq!(o.header.groups.len(), 1);
    let g = &o.header.groups[0];
    assert_eq!(
        (g.name.as_slice(), g.consumers, g.pending),
        (&b"workers"[..], 1, 2)
    );
    assert_eq!(g.last_delivered, b"2-1");
    assert_eq!(g.lag, Some(3));

    let ids = |rows: &Rows| match rows {
        Rows::Entries(e) => e
            .iter()
            .map(|e| String::from_utf8_lossy(&e.id).into_owned())
            .collect::<Vec<_>>(),
        other => panic!("entries, got {other:?}"),
    };
    let mut page = o.page.expect("page");
    let mut seen = ids(&page.rows);
    while let Some(next) = page.next.clone() {
        page = fetch(&client, b"ev", &next).await.expect("page");
        seen.extend(ids(&page.rows));
    }
    assert_eq!(seen, ["1-1", "2-1", "3-1", "4-1", "5-1"]);
    if let Rows::Entries(e) = &page.rows {
        assert_eq!(
            e.last().map(|e| e.fields.clone()),
            Some(vec![(b"n".to_vec(), b"5".to_vec())])
        );
    }
    let rev = PageReq::Stream {
        after: Some(b"4-1".to_vec()),
        count: 10,
        rev: true,
    };
    let page = fetch(&client, b"ev", &rev).await.expect("rev page");
    assert_eq!(ids(&page.rows), ["3-1", "2-1", "1-1"]);
}

#[tokio::test]
async fn rejson_without_the_module_is_said_plainly() {
    let h = Harness::start().await;
    let page = fetch(&h.client(), b"doc", &PageReq::Json)
        .await
        .expect("no failure");
    let Rows::Unavailable(why) = page.rows else {
        panic!("unavailable");
    };
    assert!(why.contains("no RedisJSON module"), "{why}");
}

#[tokio::test]
async fn hash_search_asks_the_server() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let mut owned: Vec<Vec<u8>> = Vec::new();
    for i in 0..2000 {
        let field = if i % 100 == 7 {
            format!("admin:{i}")
        } else {
            format!("user:{i}")
        };
        owned.push(field.into_bytes());
        owned.push(b"x".to_vec());
    }
    let mut args: Vec<&[u8]> = vec![b"HSET", b"big"];
    args.extend(owned.iter().map(Vec::as_slice));
    run(&mut c, &args).await;
    let client = h.client();
    let limits = Limits::default();
    let mut req = PageReq::search(&Kind::Hash, search::contains_pattern(b"admin"), &limits);
    let mut found = BTreeSet::new();
    let mut requests = 0;
    while let Some(r) = req {
        let (page, n) = fetch_filled(&client, b"big", &r, &limits)
            .await
            .expect("search");
        requests += n;
        let Rows::Fields(rows) = page.rows else {
            panic!("fields");
        };
        found.extend(rows.into_iter().map(|(f, _)| f));
        req = page.next;
    }
    assert_eq!(found.len(), 20);
    assert!(found.iter().all(|f| f.starts_with(b"admin:")));
    assert!(requests > 1, "a rare pattern takes several scans");
}

#[tokio::test]
async fn gzip_values_and_kombu_messages_render() {
    use std::io::Write as _;
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(br#"{"page":"/home","html":"<p>hi</p>"}"#)
        .expect("gzip");
    let gz = enc.finish().expect("gzip");
    run(&mut c, &[b"SET", b"cache:gz", &gz]).await;
    let kombu = br#"{"body": "W1s0LCA0XSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "tasks.add", "id": "9b1e4c1e-6bd3-4c0a-a5b0-1f0c6f0e2d11", "shadow": null, "eta": null, "expires": null, "group": null, "retries": 0, "timelimit": [null, null], "root_id": "9b1e4c1e-6bd3-4c0a-a5b0-1f0c6f0e2d11", "parent_id": null, "argsrepr": "(4, 4)", "kwargsrepr": "{}", "origin": "gen1@host"}, "properties": {"correlation_id": "9b1e4c1e-6bd3-4c0a-a5b0-1f0c6f0e2d11", "reply_to": "c7b3", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "d0a1"}}"#;
    run(&mut c, &[b"LPUSH", b"celery", kombu]).await;
    let client = h.client();
    let limits = Limits::default();

    let o = open(&client, b"cache:gz", Some(&Kind::String), &limits)
        .await
        .expect("opens");
    let Some(Rows::Chunk { bytes, .. }) = o.page.map(|p| p.rows) else {
        panic!("chunk");
    };
    assert_eq!(bytes, gz);
    let r = format::render(&bytes, Format::Auto, limits.decompress_cap);
    assert_eq!(r.inflated, Some(format::compress::Kind::Gzip));
    assert!(matches!(&r.body, Body::Json(p) if p.text.contains("\"page\": \"/home\"")));

    // A zstd value (written by python's zstandard) comes back byte for byte
    // through the gateway and shows as its JSON.
    let zst = include_bytes!("fixtures/decode/compress/doc.zstd");
    run(&mut c, &[b"SET", b"cache:zst", zst]).await;
    let o = open(&client, b"cache:zst", Some(&Kind::String), &limits)
        .await
        .expect("opens");
    let Some(Rows::Chunk { bytes, .. }) = o.page.map(|p| p.rows) else {
        panic!("chunk");
    };
    assert_eq!(bytes, zst);
    let r = format::render(&bytes, Format::Auto, limits.decompress_cap);
    assert_eq!(r.inflated, Some(format::compress::Kind::Zstd));
    assert!(matches!(&r.body, Body::Json(p) if p.text.contains("\"sku\": \"A-100\"")));

    let o = open(&client, b"celery", Some(&Kind::List), &limits)
        .await
        .expect("opens");
    let Some(Rows::Items { items, .. }) = o.page.map(|p| p.rows) else {
        panic!("items");
    };
    let Body::Kombu(m) = format::render(&items[0], Format::Auto, limits.decompress_cap).body else {
        panic!("kombu");
    };
    assert_eq!(m.task.as_deref(), Some("tasks.add"));
    assert_eq!(m.args.as_deref(), Some("[4,4]"));
    assert_eq!(m.kwargs.as_deref(), Some("{}"));
    assert_eq!(m.retries, Some(0));
    // The raw envelope is one format away.
    let raw = format::render(&items[0], Format::Json, limits.decompress_cap);
    assert!(matches!(&raw.body, Body::Json(p) if p.text.contains("\"body_encoding\": \"base64\"")));
}

#[tokio::test]
async fn a_read_only_token_opens_every_type() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    run(&mut c, &[b"SET", b"s", b"v"]).await;
    run(&mut c, &[b"HSET", b"h", b"f", b"v"]).await;
    run(&mut c, &[b"RPUSH", b"l", b"a"]).await;
    run(&mut c, &[b"SADD", b"set", b"m"]).await;
    run(&mut c, &[b"ZADD", b"z", b"1", b"m"]).await;
    run(&mut c, &[b"XADD", b"x", b"1-1", b"f", b"v"]).await;
    let client = h.client_with_token(common::RO_TOKEN);
    let limits = Limits::default();
    for (key, kind) in [
        (&b"s"[..], Kind::String),
        (b"h", Kind::Hash),
        (b"l", Kind::List),
        (b"set", Kind::Set),
        (b"z", Kind::ZSet),
        (b"x", Kind::Stream),
    ] {
        let o = open(&client, key, Some(&kind), &limits)
            .await
            .unwrap_or_else(|e| panic!("{kind} with a read-only token: {e}"));
        assert_eq!(o.header.len, Some(1), "{kind}");
        assert_eq!(o.page.map(|p| p.rows.len()), Some(1), "{kind}");
    }
}
