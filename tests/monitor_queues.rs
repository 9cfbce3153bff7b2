//! Queue watching against the real gateway: a producer and a consumer at
//! known rates, driven tick by tick so that the rates are deterministic;
//! stalled and drain time; Celery discovery.

mod common;

use std::time::{Duration, Instant};

use upstash_tui::monitor::reading::KeyType;
use upstash_tui::monitor::{Engine, Settings, celery, tick};
use upstash_tui::upstash::{Client, Reply, cmd};

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

#[tokio::test]
async fn celery_queues_are_discovered_from_kombu_bindings() {
    let h = common::Harness::start().await;
    let client = h.client();
    let member = |q: &str| format!("{q}\x06\x16\x06\x16{q}");
    client
        .pipeline(&[
            cmd([
                "SADD".to_string(),
                "_kombu.binding.celery".into(),
                member("celery"),
            ]),
            cmd([
                "SADD".to_string(),
                "_kombu.binding.emails".into(),
                member("emails"),
            ]),
            // Celery's event exchange is a fanout: its queues are not lists.
            cmd([
                "SADD".to_string(),
                "_kombu.binding.celeryev".into(),
                member("celeryev.5f1c"),
            ]),
            cmd(["RPUSH", "celery", "{}"]),
            cmd(["RPUSH", "celery\x06\x169", "{}"]),
            cmd(["HSET", "unacked", "tag", "{}"]),
            cmd(["ZADD", "unacked_index", "1", "tag"]),
        ])
        .await
        .expect("kombu layout");
    let found = celery::discover(&client).await.expect("discovery");
    let keys: Vec<&[u8]> = found.iter().map(|s| s.key.as_slice()).collect();
    assert_eq!(
        keys,
        [
            &b"celery"[..],
            b"celery\x06\x169",
            b"emails",
            b"unacked",
            b"unacked_index"
        ]
    );
    assert!(found[1].why.contains("priority 9"));
}
