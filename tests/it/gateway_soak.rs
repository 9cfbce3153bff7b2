//! The gateway under a mixed load from 64 concurrent clients, bounded by a
//! request count: reads, writes, pipelines, transactions, big values and
//! commands that fail. Only the expected errors occur, every write lands
//! exactly once, and redis-server's connection count comes back to where it
//! was before the load.

use crate::common;

use std::time::Duration;

use common::{Harness, wait_until};
use redis::aio::MultiplexedConnection;
use upstash_tui::upstash::{Client, Error, Reply, cmd};

const CLIENTS: usize = 64;
const ROUNDS: usize = 4;
/// Requests each client makes per round (one of each kind below).
const KINDS: usize = 8;
const BIG: usize = 512 * 1024;
/// A script that keeps redis-server busy for some milliseconds.
const SPIN: &str = "local x = 0 for i = 1, 2000000 do x = x + i end return 0";

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    requests: u64,
    expected_errors: u64,
}

async fn connected_clients(conn: &mut MultiplexedConnection) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("clients")
        .query_async(conn)
        .await
        .expect("INFO clients");
    info.lines()
        .find_map(|l| l.strip_prefix("connected_clients:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("connected_clients in INFO")
}

fn text(r: &Reply) -> &[u8] {
    r.as_bytes()
        .unwrap_or_else(|| panic!("a string reply, not {r:?}"))
}

/// One client's mixed load; panics on anything unexpected.
async fn load(client: Client, id: usize, big: Vec<u8>) -> Tally {
    let mut tally = Tally::default();
    let key = |name: &str| format!("soak:{id}:{name}");
    for round in 0..ROUNDS {
        for kind in 0..KINDS {
            tally.requests += 1;
            match kind {
                0 => {
                    let value = format!("v{round}");
                    let r = client.command(&["SET", &key("s"), &value]).await;
                    assert_eq!(text(&r.expect("SET")), b"OK");
                }
                1 => {
                    let r = client.command(&["GET", &key("s")]).await.expect("GET");
                    assert_eq!(text(&r), format!("v{round}").as_bytes());
                }
                2 => {
                    let r = client.command(&["INCR", &key("n")]).await.expect("INCR");
                    assert_eq!(r, Reply::Int(round as i64 + 1));
                }
                3 => {
                    // A pipeline with a failing command in the middle.
                    let cmds = [
                        cmd(["HSET", &key("h"), "f", &round.to_string()]),
                        cmd(["LPUSH", &key("h"), "x"]),
                        cmd(["HGET", &key("h"), "f"]),
                    ];
                    let r = client.pipeline(&cmds).await.expect("pipeline");
                    assert!(matches!(&r[1], Reply::Error(e) if e.starts_with("WRONGTYPE")));
                    assert_eq!(text(&r[2]), round.to_string().as_bytes());
                    tally.expected_errors += 1;
                }
                4 => {
                    let cmds: Vec<_> = (0..10).map(|_| cmd(["INCR", &key("t")])).collect();
                    let r = client.transaction(&cmds).await.expect("transaction");
                    assert_eq!(r.last(), Some(&Reply::Int((round as i64 + 1) * 10)));
                }
                5 => {
                    let k = key("big");
                    let set = client.command(&[k.as_bytes(), &big]).await;
                    // The key alone is not a command: redis refuses it.
                    assert!(matches!(set, Err(Error::Command(_))), "{set:?}");
                    tally.expected_errors += 1;
                    let set = client.command(&[&b"SET"[..], k.as_bytes(), &big]).await;
                    assert_eq!(text(&set.expect("SET big")), b"OK");
                    tally.requests += 1;
                }
                6 => {
                    let r = client
                        .command(&["GET", &key("big")])
                        .await
                        .expect("GET big");
                    assert_eq!(text(&r).len(), BIG);
                }
                _ => {
                    // A discarded transaction: nothing in it runs.
                    let cmds = [cmd(["INCR", &key("never")]), cmd(["NOSUCHCOMMAND"])];
                    let r = client.transaction(&cmds).await;
                    assert!(r.is_err(), "{r:?}");
                    tally.expected_errors += 1;
                }
            }
        }
    }
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_mixed_load_leaves_no_connections_behind() {
    let h = Harness::start().await;
    let mut redis = h.redis_conn().await;
    let big: Vec<u8> = (0..BIG).map(|i| (i % 251) as u8).collect();

    // Warm-up: transactions that keep redis-server busy for a while each, so
    // many are in flight at once and the gateway fills its pool of idle
    // transaction connections (up to 8), which then stays at rest.
    let warm: Vec<_> = (0..CLIENTS / 4)
        .map(|_| {
            let c = h.client();
            tokio::spawn(async move { c.transaction(&[cmd(["EVAL", SPIN, "0"])]).await })
        })
        .collect();
    for t in warm {
        t.await.expect("task").expect("warm-up transaction");
    }
    h.client().command(&["PING"]).await.expect("PING");
    // This connection, the gateway's shared one and at most 8 idle ones
    // (fewer when a loaded machine ran the warm-up's transactions with
    // less overlap).
    let at_rest = 1 + 1 + 8;
    let settled = wait_until(Duration::from_secs(10), || {
        let mut r = redis.clone();
        async move { (3..=at_rest).contains(&connected_clients(&mut r).await) }
    })
    .await;
    assert!(
        settled,
        "{} clients after the warm-up, not 3 to {at_rest}",
        connected_clients(&mut redis).await
    );
    let baseline = at_rest;

    let tasks: Vec<_> = (0..CLIENTS)
        .map(|id| tokio::spawn(load(h.client(), id, big.clone())))
        .collect();
    let mut total = Tally::default();
    for t in tasks {
        let tally = t.await.expect("a client's load ran without a surprise");
        total.requests += tally.requests;
        total.expected_errors += tally.expected_errors;
    }
    let per_client = (ROUNDS * (KINDS + 1)) as u64;
    assert_eq!(total.requests, CLIENTS as u64 * per_client);
    assert_eq!(total.expected_errors, (CLIENTS * ROUNDS * 3) as u64);

    // Every write landed exactly once.
    for id in 0..CLIENTS {
        let n: i64 = redis::cmd("GET")
            .arg(format!("soak:{id}:n"))
            .query_async(&mut redis)
            .await
            .expect("GET n");
        let t: i64 = redis::cmd("GET")
            .arg(format!("soak:{id}:t"))
            .query_async(&mut redis)
            .await
            .expect("GET t");
        let never: Option<i64> = redis::cmd("GET")
            .arg(format!("soak:{id}:never"))
            .query_async(&mut redis)
            .await
            .expect("GET never");
        assert_eq!((n, t, never), (ROUNDS as i64, ROUNDS as i64 * 10, None));
    }

    let back = wait_until(Duration::from_secs(10), || {
        let mut r = redis.clone();
        async move { connected_clients(&mut r).await <= baseline }
    })
    .await;
    assert!(
        back,
        "redis-server has {} clients after the load, {baseline} before",
        connected_clients(&mut redis).await
    );
}
