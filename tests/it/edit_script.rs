//! The editor's Lua scripts against the real gateway: the text goes once per
//! session, then the SHA1, so a session's first write is not a NOSCRIPT
//! failure in the counters; a flushed script cache is still handled.

use crate::common;

use common::Harness;
use redis::aio::MultiplexedConnection;
use upstash_tui::edit::{Created, Editor, Initial, Overwrite, ReadOnly};

/// Calls of `command` in INFO commandstats.
async fn calls(c: &mut MultiplexedConnection, command: &str) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(c)
        .await
        .unwrap();
    let prefix = format!("cmdstat_{command}:calls=");
    info.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

async fn create(ed: &Editor, key: &[u8]) {
    let first = Initial::String(key.to_vec());
    let made = ed
        .create(key, &first, None, Overwrite::Never)
        .await
        .unwrap();
    assert_eq!(made, Created::Created);
}

#[tokio::test]
async fn the_first_write_sends_the_text_and_later_ones_the_sha() {
    let h = Harness::start().await;
    let client = h.client();
    let ed = Editor::new(client.clone(), ReadOnly::default());
    let mut c = h.redis_conn().await;

    create(&ed, b"a").await;
    create(&ed, b"b").await;
    assert_eq!(
        client.telemetry().snapshot().failed(),
        0,
        "no NOSCRIPT miss"
    );
    assert_eq!(calls(&mut c, "eval").await, 1);
    assert_eq!(calls(&mut c, "evalsha").await, 1);

    // The server forgets its scripts: the next write still goes through.
    let () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut c)
        .await
        .unwrap();
    create(&ed, b"c").await;
    assert_eq!(calls(&mut c, "eval").await, 2);
    let v: Vec<u8> = redis::cmd("GET")
        .arg("c")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(v, b"c");
}
