//! A `/pipeline` (and a `/multi-exec`) of 1 000 commands reaches redis-server
//! as one round trip: a counting TCP proxy between the gateway and
//! redis-server sees every command sent before the gateway waits for a reply.

use crate::common;

use std::sync::{Arc, Mutex};

use common::Harness;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use upstash_tui::upstash::{Reply, cmd};

/// What the proxy saw, summed over every connection the gateway opened.
#[derive(Debug, Default)]
struct Counts {
    /// Commands the gateway sent.
    commands: u64,
    /// Commands sent while nothing was awaiting a reply on that connection:
    /// each one starts a new round trip.
    rounds: u64,
}

/// One connection's commands still waiting for their reply.
#[derive(Default)]
struct Link {
    outstanding: u64,
}

/// The length of the first complete RESP2 value in `buf`, if it is complete.
fn value_len(buf: &[u8]) -> Option<usize> {
    let line_end = buf.windows(2).position(|w| w == b"\r\n")?;
    let head = std::str::from_utf8(buf.get(1..line_end)?).ok()?;
    let after = line_end + 2;
    match buf.first()? {
        b'+' | b'-' | b':' => Some(after),
        b'$' => {
            let n: i64 = head.parse().ok()?;
            if n < 0 {
                return Some(after);
            }
            let end = after + n as usize + 2;
            (buf.len() >= end).then_some(end)
        }
        b'*' => {
            let n: i64 = head.parse().ok()?;
            let mut at = after;
            for _ in 0..n.max(0) {
                at += value_len(&buf[at..])?;
            }
            Some(at)
        }
        other => panic!("unexpected RESP type byte {other:#x}"),
    }
}

/// Takes every complete value off the front of `buf`; returns how many.
fn take_values(buf: &mut Vec<u8>) -> u64 {
    let mut n = 0;
    let mut at = 0;
    while let Some(len) = value_len(&buf[at..]) {
        at += len;
        n += 1;
    }
    buf.drain(..at);
    n
}

/// Forwards one connection both ways, counting commands and replies.
async fn relay(client: TcpStream, redis_addr: String, counts: Arc<Mutex<Counts>>) {
    let server = TcpStream::connect(redis_addr)
        .await
        .expect("proxy dials redis");
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let link = Arc::new(Mutex::new(Link::default()));
    let up = {
        let (link, counts) = (link.clone(), counts.clone());
        async move {
            let (mut chunk, mut pending) = (vec![0u8; 1 << 16], Vec::new());
            loop {
                let n = match cr.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                pending.extend_from_slice(&chunk[..n]);
                // Counted before forwarding, so no reply can overtake its command.
                let sent = take_values(&mut pending);
                {
                    let mut link = link.lock().expect("link");
                    let mut counts = counts.lock().expect("counts");
                    for _ in 0..sent {
                        if link.outstanding == 0 {
                            counts.rounds += 1;
                        }
                        link.outstanding += 1;
                        counts.commands += 1;
                    }
                }
                if sw.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
            }
        }
    };
    let down = async move {
        let (mut chunk, mut pending) = (vec![0u8; 1 << 16], Vec::new());
        loop {
            let n = match sr.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            pending.extend_from_slice(&chunk[..n]);
            let answered = take_values(&mut pending);
            {
                let mut link = link.lock().expect("link");
                link.outstanding = link.outstanding.saturating_sub(answered);
            }
            if cw.write_all(&chunk[..n]).await.is_err() {
                break;
            }
        }
    };
    tokio::join!(up, down);
}

/// A harness whose gateway reaches redis-server through the counting proxy.
async fn start() -> (Harness, Arc<Mutex<Counts>>) {
    let counts = Arc::new(Mutex::new(Counts::default()));
    let shared = counts.clone();
    let h = Harness::start_with(move |cfg| {
        let redis_addr = cfg
            .redis_url
            .trim_start_matches("redis://")
            .trim_end_matches('/')
            .to_string();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("proxy binds");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let port = std_listener.local_addr().expect("proxy addr").port();
        let listener = TcpListener::from_std(std_listener).expect("tokio listener");
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, redis_addr.clone(), shared.clone()));
            }
        });
        cfg.redis_url = format!("redis://127.0.0.1:{port}");
    })
    .await;
    (h, counts)
}

fn reset(counts: &Mutex<Counts>) {
    *counts.lock().expect("counts") = Counts::default();
}

fn snapshot(counts: &Mutex<Counts>) -> (u64, u64) {
    let c = counts.lock().expect("counts");
    (c.commands, c.rounds)
}

#[tokio::test]
async fn a_pipeline_of_1000_commands_is_one_round_trip() {
    let (h, counts) = start().await;
    let client = h.client();
    // The first request dials redis-server (and the client library says hello).
    let pong = client.command(&["PING"]).await.expect("ping");
    assert_eq!(pong.as_bytes(), Some(&b"PONG"[..]));
    let writes: Vec<_> = (0..1000)
        .map(|i| cmd(["SET".to_string(), format!("k:{i}"), format!("v{i}")]))
        .collect();
    reset(&counts);
    let replies = client.pipeline(&writes).await.expect("pipeline");
    assert_eq!(replies.len(), 1000);
    assert!(replies.iter().all(|r| r.as_bytes() == Some(b"OK")));
    assert_eq!(snapshot(&counts), (1000, 1), "(commands, round trips)");

    let reads: Vec<_> = (0..1000)
        .map(|i| cmd(["GET".to_string(), format!("k:{i}")]))
        .collect();
    reset(&counts);
    let replies = client.pipeline(&reads).await.expect("pipeline");
    assert_eq!(replies[999], Reply::Bytes(b"v999".to_vec()));
    assert_eq!(snapshot(&counts), (1000, 1), "(commands, round trips)");
}

#[tokio::test]
async fn a_transaction_of_1000_commands_is_one_round_trip() {
    let (h, counts) = start().await;
    let client = h.client();
    // The first transaction opens its dedicated connection.
    client
        .transaction(&[cmd(["SET", "warm", "1"])])
        .await
        .expect("warm-up transaction");
    let incrs: Vec<_> = (0..1000).map(|_| cmd(["INCR", "n"])).collect();
    reset(&counts);
    let replies = client.transaction(&incrs).await.expect("transaction");
    assert_eq!(replies.last(), Some(&Reply::Int(1000)));
    // MULTI, the 1 000 commands and EXEC, written before any reply is read.
    assert_eq!(snapshot(&counts), (1002, 1), "(commands, round trips)");
}
