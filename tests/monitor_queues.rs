//! Queue watching against the real gateway: a producer and a consumer at
//! known rates, driven tick by tick so that the rates are deterministic;
//! stalled and drain time. Celery's queues recognised in keys the real
//! library wrote (`celery_fixture.rs`), on a 100 000-key database through
//! the counting proxy: no SCAN but the Keys pane's at start, the default
//! queue found all the same, keys met later recognised without reads, and
//! the scan for queues asked for with its cost shown first.

#[path = "monitor_queues/celery_fixture.rs"]
mod celery_fixture;
mod common;
#[path = "tui_value_edit_driver/mod.rs"]
mod driver;

use std::time::{Duration, Instant};

use common::proxy::Proxy;
use common::tmux::Tmux;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use driver::Driver;
use upstash_tui::monitor::reading::KeyType;
use upstash_tui::monitor::{Engine, Settings, tick};
use upstash_tui::recognise::Recognisers;
use upstash_tui::recognise::sweep::Cost;
use upstash_tui::scan::{self, Budget, Query, Scan, Status};
use upstash_tui::tui::msg::{Effect, Msg};
use upstash_tui::tui::panes::monitor::sweep::Phase;
use upstash_tui::upstash::{Client, ClientConfig, Reply, cmd};

/// Messages the producer adds and the consumer takes per one-second tick.
const PRODUCE: u64 = 7;
const CONSUME: u64 = 4;

fn within_ten_percent(got: f64, want: f64) -> bool {
    (got - want).abs() <= want.abs() * 0.10
}

async fn tick(client: &Client, engine: &mut Engine, at: Instant) {
    let plan = engine.plan();
    let report = tick::run(client, plan).await;
    assert!(report.result.is_ok(), "{:?}", report.result);
    engine.apply(at, report);
}

async fn produce_and_consume(client: &Client, n: u64) {
    let mut cmds = Vec::new();
    for i in 0..PRODUCE {
        cmds.push(cmd([
            "RPUSH".to_string(),
            "jobs".into(),
            format!("job-{n}-{i}"),
        ]));
        cmds.push(cmd(["XADD", "events", "*", "n", "1"]));
    }
    cmds.push(cmd([
        "LPOP".to_string(),
        "jobs".into(),
        CONSUME.to_string(),
    ]));
    client.pipeline(&cmds).await.expect("producer");
    let read = [
        "XREADGROUP".to_string(),
        "GROUP".into(),
        "workers".into(),
        "w1".into(),
        "COUNT".into(),
        CONSUME.to_string(),
        "STREAMS".into(),
        "events".into(),
        ">".into(),
    ];
    let got = client.command(&read).await.expect("consumer reads");
    let ids: Vec<Vec<u8>> = got
        .as_array()
        .and_then(|streams| streams.first())
        .and_then(Reply::as_array)
        .and_then(|s| s.get(1))
        .and_then(Reply::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e.as_array()?.first()?.as_bytes().map(<[u8]>::to_vec))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ids.len() as u64, CONSUME);
    let mut ack = cmd(["XACK", "events", "workers"]);
    ack.extend(ids);
    client.command(&ack).await.expect("consumer acknowledges");
}

#[tokio::test]
async fn rates_of_a_producer_and_a_consumer_at_known_rates() {
    let h = common::Harness::start().await;
    let client = h.client();
    // Some backlog to start from, and the stream's consumer group.
    let seed: Vec<_> = (0..50)
        .map(|i| cmd(["RPUSH".to_string(), "jobs".into(), format!("s{i}")]))
        .collect();
    client.pipeline(&seed).await.expect("seed");
    client
        .command(&["XGROUP", "CREATE", "events", "workers", "$", "MKSTREAM"])
        .await
        .expect("group");

    let t0 = Instant::now();
    let mut engine = Engine::new(Settings::default(), t0);
    engine.watch(b"jobs".to_vec(), Some(80));
    engine.watch(b"events".to_vec(), None);
    // The first tick learns the types.
    tick(&client, &mut engine, t0).await;
    assert_eq!(engine.queues()[0].kind(), &KeyType::List);
    assert_eq!(engine.queues()[1].kind(), &KeyType::Stream);
    for n in 1..=12 {
        produce_and_consume(&client, n).await;
        tick(&client, &mut engine, t0 + Duration::from_secs(n)).await;
    }

    let jobs = &engine.queues()[0];
    assert_eq!(
        jobs.last().map(|r| r.length),
        Some(50 + 12 * (PRODUCE - CONSUME))
    );
    let r = jobs.rates().expect("list rates");
    let net = (PRODUCE - CONSUME) as f64;
    assert!(within_ten_percent(r.net, net), "list net {r:?}");
    // A list's length cannot tell enqueues from dequeues.
    assert_eq!((r.enqueue, r.dequeue), (None, None));
    assert!(jobs.alert(), "86 is over the threshold of 80");
    assert_eq!(jobs.drain_time(), None, "it grows");
    assert!(!jobs.stalled());

    let events = &engine.queues()[1];
    let r = events.rates().expect("stream rates");
    let enqueue = r.enqueue.expect("a stream's enqueue rate");
    let dequeue = r.dequeue.expect("the group's dequeue rate");
    assert!(within_ten_percent(enqueue, PRODUCE as f64), "{r:?}");
    assert!(within_ten_percent(dequeue, CONSUME as f64), "{r:?}");
    let group = &events.last().expect("a reading").groups[0];
    assert_eq!(group.name, "workers");
    assert_eq!(group.pending, 0, "every read entry was acknowledged");
    assert_eq!(group.lag, Some(12 * (PRODUCE - CONSUME)));
}

#[tokio::test]
async fn a_queue_nobody_consumes_is_stalled_and_a_draining_one_has_a_drain_time() {
    let h = common::Harness::start().await;
    let client = h.client();
    let seed: Vec<_> = (0..40)
        .map(|i| cmd(["RPUSH".to_string(), "q".into(), i.to_string()]))
        .collect();
    client.pipeline(&seed).await.expect("seed");
    client.command(&["RPUSH", "idle", "x"]).await.expect("seed");
    let t0 = Instant::now();
    let mut engine = Engine::new(Settings::default(), t0);
    engine.watch(b"q".to_vec(), None);
    engine.watch(b"idle".to_vec(), None);
    engine.watch(b"missing".to_vec(), None);
    for n in 0..6 {
        if n > 0 {
            client.command(&["LPOP", "q", "5"]).await.expect("consume");
        }
        tick(&client, &mut engine, t0 + Duration::from_secs(n)).await;
    }
    let [q, idle, missing] = engine.queues() else {
        panic!("three queues");
    };
    // 40 -> 15 at 5/s over the samples since the type was known.
    assert_eq!(q.last().map(|r| r.length), Some(15));
    assert_eq!(q.drain_time(), Some(Duration::from_secs(3)));
    assert!(idle.stalled());
    assert_eq!(missing.kind(), &KeyType::Missing);
    assert!(!missing.stalled());
    assert_eq!(missing.last().map(|r| r.length), Some(0));
}

/// Keys of no application, written straight to redis-server.
async fn filler(h: &common::Harness, n: usize) {
    let mut conn = h.redis_conn().await;
    for start in (0..n).step_by(10_000) {
        let mut pipe = redis::pipe();
        for i in start..(start + 10_000).min(n) {
            pipe.set(format!("session:{i:06}"), i).ignore();
        }
        let () = pipe.query_async(&mut conn).await.expect("filler");
    }
}

/// A client through `proxy`.
fn through(proxy: &Proxy) -> Client {
    Client::new(ClientConfig {
        url: proxy.url(),
        token: common::TOKEN.into(),
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(30),
        allow_insecure_http: false,
    })
    .expect("client builds")
}

/// What the TUI sends by itself or on a key: the Keys pane's scan, count and
/// details, the recognisers' reads, the scan for queues, loads and key
/// dialogs (the Monitor's ticks are left out).
fn reaches_the_server(e: &Effect) -> bool {
    matches!(
        e,
        Effect::Scan { .. }
            | Effect::Count { .. }
            | Effect::Detail { .. }
            | Effect::Recognise(_)
            | Effect::Sweep { .. }
            | Effect::Value(_)
            | Effect::Job { .. }
    )
}

/// The app on `client`, opened: its first requests answered.
async fn opened(client: Client) -> Driver {
    let mut d = Driver::running(client, reaches_the_server);
    let start = d.app.start();
    d.run(start);
    d.settle().await;
    d
}

fn reads(d: &Driver) -> usize {
    d.sent
        .iter()
        .filter(|e| matches!(e, Effect::Recognise(_)))
        .count()
}

fn pages(d: &Driver) -> usize {
    d.sent
        .iter()
        .filter(|e| matches!(e, Effect::Sweep { .. }))
        .count()
}

fn esc() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

fn suggested(d: &Driver) -> Vec<Vec<u8>> {
    d.app
        .monitor()
        .suggestions()
        .map(|s| s.key.clone())
        .collect()
}

/// The commands of the requests the proxy read after the first `from`.
fn sent_since(proxy: &Proxy, from: u64) -> Vec<Vec<String>> {
    proxy.sent().into_iter().skip(from as usize).collect()
}

fn is_scan(request: &[String]) -> bool {
    request.iter().any(|c| c.starts_with("SCAN "))
}

#[tokio::test]
async fn a_real_celery_brokers_queues_are_recognised_and_its_fanouts_skipped() {
    let h = common::Harness::start().await;
    let _broker = celery_fixture::write(&h.redis.url()).await;
    let stored = h.keys_matching("_kombu.binding.*").await;
    assert!(
        stored.contains(&"_kombu.binding.celeryev".to_owned()),
        "the fixture declared the event exchange: {stored:?}"
    );
    let proxy = Proxy::start(&h.url).await;
    let client = through(&proxy);
    // The start-up reads alone, in one request, find the default queue and
    // the unacked message.
    let mut r = Recognisers::new();
    r.settle(&client).await.expect("reads");
    assert_eq!(proxy.requests(), 1);
    let keys =
        |r: &Recognisers| -> Vec<Vec<u8>> { r.suggestions().into_iter().map(|s| s.key).collect() };
    assert_eq!(keys(&r), [&b"celery"[..], b"unacked", b"unacked_index"]);
    // A scan's pages, as the Keys pane gets them, add the rest.
    let mut scan = Scan::new(Query::default(), Budget::UNLIMITED);
    while let Some(request) = scan.next_request() {
        let replies = scan::send(&client, &request).await.expect("a page");
        r.offer(upstash_tui::recognise::page::keys(&request, &replies));
        scan.apply(&request, Ok(replies), Duration::from_millis(1))
            .expect("the page applies");
    }
    r.settle(&client).await.expect("reads");
    let suggestions = r.suggestions();
    let found: Vec<&[u8]> = suggestions.iter().map(|s| s.key.as_slice()).collect();
    assert_eq!(
        found,
        [
            &b"celery"[..],
            b"emails",
            b"emails\x06\x169",
            b"unacked",
            b"unacked_index"
        ]
    );
    assert_eq!(suggestions[2].why, "Celery queue emails, priority 9");
    assert!(suggestions.iter().all(|s| s.system == "Celery"));
    let read: Vec<String> = proxy.sent().into_iter().flatten().collect();
    assert!(
        !read.iter().any(|c| c.contains("celeryev")),
        "a fanout exchange is never read: {read:?}"
    );
}

#[tokio::test]
async fn celery_is_offered_at_start_of_a_big_database_with_no_scan_but_the_keys_panes() {
    // SCAN's order follows redis-server's random hash seed: a new server is
    // tried when the budgeted scan happened to meet the default binding.
    for attempt in 1..=5 {
        let h = common::Harness::start().await;
        filler(&h, 100_000).await;
        let _broker = celery_fixture::write(&h.redis.url()).await;
        let proxy = Proxy::start(&h.url).await;
        let mut d = opened(through(&proxy)).await;
        let met = |d: &Driver, k: &[u8]| d.app.keys().is_listed(k);
        if met(&d, b"_kombu.binding.celery") || met(&d, b"_kombu.binding_permanent.celery") {
            eprintln!("attempt {attempt}: the budgeted scan met the binding; another server");
            continue;
        }
        let scan = d.app.keys().scan().expect("the Keys pane's scan");
        assert_eq!(scan.status(), Status::Paused, "the budget paused it");
        assert!(scan.examined() < 30_000, "{}", scan.examined());
        let pages = scan.requests();
        // Every request is the Keys pane's DBSIZE and pages, or the
        // recognisers' reads: one at start, one more if the pages met the
        // second queue's binding set.
        let emails =
            met(&d, b"_kombu.binding.emails") || met(&d, b"_kombu.binding_permanent.emails");
        let read = 1 + u64::from(emails);
        assert_eq!(reads(&d) as u64, read);
        assert_eq!(proxy.requests(), 1 + pages + read);
        let sent = proxy.sent();
        assert_eq!(sent.iter().filter(|r| is_scan(r)).count() as u64, pages);
        assert!(
            !sent.iter().flatten().any(|c| c.contains("MATCH")),
            "no SCAN of its own: {sent:?}"
        );
        let commands = 1 + pages + 6 + if emails { 4 } else { 0 };
        assert_eq!(proxy.commands(), commands);
        let at_start = suggested(&d);
        assert!(at_start.starts_with(&[b"celery".to_vec()]), "{at_start:?}");
        assert!(at_start.contains(&b"unacked".to_vec()));

        // L lists the rest: names are recognised as they come, and only a
        // binding set not met before costs a read (one request).
        let (requests, pages) = (proxy.requests(), pages);
        d.key('L').await;
        let scan = d.app.keys().scan().expect("the scan");
        assert_eq!(scan.status(), Status::Done);
        let more_pages = scan.requests() - pages;
        let extra: Vec<Vec<String>> = sent_since(&proxy, requests)
            .into_iter()
            .filter(|r| !is_scan(r))
            .collect();
        assert_eq!(proxy.requests() - requests, more_pages + extra.len() as u64);
        if emails {
            assert!(extra.is_empty(), "{extra:?}");
        } else {
            // Its members, and the priority lists of `emails` the scan had
            // not met by then.
            let [read] = extra.as_slice() else {
                panic!("one read: {extra:?}");
            };
            assert_eq!(read[0], "SMEMBERS _kombu.binding.emails");
            let lists = [
                "TYPE emails\x06\x163",
                "TYPE emails\x06\x166",
                "TYPE emails\x06\x169",
            ];
            assert!(
                read[1..].iter().all(|c| lists.contains(&c.as_str())),
                "{read:?}"
            );
        }
        assert_eq!(
            suggested(&d),
            [
                &b"celery"[..],
                b"emails",
                b"emails\x06\x169",
                b"unacked",
                b"unacked_index"
            ]
        );
        return;
    }
    panic!("five servers in a row put _kombu.binding.celery within the scan's budget");
}

#[tokio::test]
async fn the_scan_for_queues_shows_its_cost_before_sending_and_esc_stops_it() {
    let h = common::Harness::start().await;
    filler(&h, 100_000).await;
    let _broker = celery_fixture::write(&h.redis.url()).await;
    let dbsize = h.dbsize().await as u64;
    let proxy = Proxy::start(&h.url).await;
    let mut d = opened(through(&proxy)).await;

    let before = proxy.requests();
    d.key('4').await;
    d.key('s').await;
    assert_eq!(
        d.app.monitor().sweep.phase(),
        &Phase::Asking(Cost::of(dbsize))
    );
    let (line, _) = d.app.monitor().sweep.line().expect("the question");
    let line = line.join(" ");
    assert!(
        // COUNT 100, 1 000, 10 000, then about 1 MiB of keys a page.
        line.contains("about 7 requests and 7 commands"),
        "{line}"
    );
    assert_eq!(
        proxy.requests(),
        before,
        "nothing is sent before the answer"
    );

    let reads_before = reads(&d);
    d.feed(Msg::Key(KeyEvent::new(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
    )));
    let mut answered = 0;
    while answered < 2 {
        let msg = d.next().await;
        answered += usize::from(matches!(msg, Msg::Swept { .. }));
        d.feed(msg);
    }
    // The third page is in flight: Esc stops, and it is dropped.
    d.feed(esc());
    d.settle().await;
    assert_eq!(d.app.monitor().sweep.phase(), &Phase::Stopped);
    assert_eq!(pages(&d), 3);
    let after: Vec<Vec<String>> = sent_since(&proxy, before);
    assert_eq!(after.iter().filter(|r| is_scan(r)).count(), 3, "{after:?}");
    assert_eq!(after.len(), 3 + reads(&d) - reads_before);
    let (line, _) = d.app.monitor().sweep.line().expect("where it stopped");
    assert!(
        // Pages of 100 and 1 000 keys came back.
        line.join(" ").contains("1.1k of 100.0k keys · 3 requests"),
        "{line:?}"
    );
    assert_eq!(
        d.app.notice().map(|n| n.text.as_str()),
        Some("scan for queues stopped (s goes on)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_tui_offers_celery_at_start_and_scans_for_more_on_request() {
    let h = common::Harness::start().await;
    filler(&h, 100_000).await;
    let _broker = celery_fixture::write(&h.redis.url()).await;
    let proxy = Proxy::start(&h.url).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let scans = |proxy: &Proxy| proxy.sent().iter().filter(|r| is_scan(r)).count();

    let tmux = Tmux::launch_tui("queues", dir.path(), &proxy.url(), "", "").await;
    tmux.wait("Celery's queues offered", |s| {
        s.contains("Celery queues found")
    })
    .await;
    tmux.wait("the Keys pane's budgeted scan", |s| s.contains("paused"))
        .await;
    let sent = proxy.sent();
    assert!(
        !sent.iter().flatten().any(|c| c.contains("MATCH")),
        "no SCAN of its own: {sent:?}"
    );
    let listed = scans(&proxy);
    assert!(listed <= 20, "the Keys pane's budget: {listed} SCANs");

    // The cost first, nothing sent; then pages with progress until Esc.
    // Far enough that Esc comes before the few growing pages are done.
    proxy.set(common::proxy::Fault::Latency(Duration::from_millis(500)));
    tmux.send(&["4", "s"]);
    tmux.wait("the question", |s| {
        s.contains("scan for queues?") && s.contains("about 7 requests")
    })
    .await;
    assert_eq!(scans(&proxy), listed, "nothing sent before the answer");
    tmux.send(&["y"]);
    tmux.wait("the progress", |s| s.contains("scanning for queues:"))
        .await;
    tmux.send(&["Escape"]);
    tmux.wait("the stop", |s| s.contains("scan for queues stopped"))
        .await;
    let screen = tmux.screen();
    let shown: usize = screen
        .split(" requests")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the requests on screen:\n{screen}"));
    assert!(shown < 7, "{screen}");
    // Every page sent (the one dropped by Esc included) is on screen, and
    // no more follow.
    let counted = common::wait_until(Duration::from_secs(5), || {
        let n = scans(&proxy);
        async move { n == listed + shown }
    })
    .await;
    assert!(counted, "{} SCANs, {screen}", scans(&proxy));
    tmux.send(&["q"]);
    tmux.wait_for_shell().await;
}

#[tokio::test]
async fn a_key_created_from_the_tui_is_recognised_without_a_read() {
    let h = common::Harness::start().await;
    let mut d = opened(h.client()).await;
    assert_eq!(reads(&d), 1);
    // A list at kombu's priority 3 of a queue `mail`, typed as the list
    // shows names (`\xNN` for a byte).
    let press = |code| (code, KeyModifiers::NONE);
    d.key('n').await;
    d.press(KeyCode::End, KeyModifiers::NONE).await;
    for _ in 0..40 {
        d.press(KeyCode::Backspace, KeyModifiers::NONE).await;
    }
    d.type_text("mail\\x06\\x163").await;
    for (code, mods) in [KeyCode::Tab, KeyCode::Right, KeyCode::Right, KeyCode::Tab].map(press) {
        d.press(code, mods).await;
    }
    d.type_text("a message\n").await;
    let notice = d.app.notice().map(|n| n.text.clone());
    assert!(
        notice.as_deref().is_some_and(|n| n.starts_with("created")),
        "{notice:?}"
    );
    assert_eq!(suggested(&d), [&b"mail"[..], b"mail\x06\x163"]);
    assert_eq!(reads(&d), 1, "no read for a name");
}

#[tokio::test]
async fn a_read_only_token_that_may_not_scan_still_finds_the_default_queue() {
    let h = common::Harness::start().await;
    let mut conn = h.redis_conn().await;
    let () = redis::pipe()
        .sadd("_kombu.binding.celery", "celery\x06\x16\x06\x16celery")
        .ignore()
        .rpush("celery\x06\x166", "{}")
        .ignore()
        .query_async(&mut conn)
        .await
        .expect("kombu's keys");
    let d = opened(h.client_with_token(common::RO_TOKEN)).await;
    assert!(
        d.app
            .keys()
            .error()
            .is_some_and(|e| e.contains("may not list keys")),
        "{:?}",
        d.app.keys().error()
    );
    assert_eq!(suggested(&d), [&b"celery"[..], b"celery\x06\x166"]);
}
