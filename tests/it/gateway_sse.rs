//! Server-Sent Events: `/subscribe`, `/psubscribe` and `/monitor`, as
//! <https://upstash.com/docs/redis/features/restapi> shows them.

use crate::common;

use std::time::Duration;

use crate::common::http::Http;
use common::{Harness, RO_TOKEN, TOKEN, wait_until};

/// An open event stream, read line by line.
struct Stream {
    resp: reqwest::Response,
    buf: String,
}

impl Stream {
    async fn open(h: &Harness, path: &str, token: &str) -> Stream {
        let resp = reqwest::Client::new()
            .post(format!("{}{path}", h.url))
            .bearer_auth(token)
            .header("Accept", "text/event-stream")
            .body("[]")
            .send()
            .await
            .expect("stream opens");
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        Stream {
            resp,
            buf: String::new(),
        }
    }

    /// Reads until a `data:` line satisfying `want` arrives; returns it.
    async fn until(&mut self, want: impl Fn(&str) -> bool) -> String {
        let read = async {
            loop {
                while let Some(i) = self.buf.find('\n') {
                    let line: String = self.buf.drain(..=i).collect();
                    if let Some(data) = line.trim_end().strip_prefix("data: ")
                        && want(data)
                    {
                        return data.to_string();
                    }
                }
                let chunk = self.resp.chunk().await.expect("chunk").expect("open");
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        tokio::time::timeout(Duration::from_secs(10), read)
            .await
            .expect("the line arrives")
    }
}

async fn subscribers(h: &Harness, channel: &str) -> i64 {
    let mut c = h.redis_conn().await;
    let (_, n): (String, i64) = redis::cmd("PUBSUB")
        .arg("NUMSUB")
        .arg(channel)
        .query_async(&mut c)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn subscribe_streams_messages_and_ends_with_the_client() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let mut s = Stream::open(&h, "/subscribe/chat", TOKEN).await;
    assert_eq!(s.until(|_| true).await, "subscribe,chat,1");
    let r = http.post("/publish/chat/hello", "").await;
    assert_eq!(r.body, r#"{"result":1}"#);
    let r = http.post("/", r#"["PUBLISH","chat","a,b,c"]"#).await;
    assert_eq!(r.status, 200);
    assert_eq!(s.until(|_| true).await, "message,chat,hello");
    assert_eq!(s.until(|_| true).await, "message,chat,a,b,c");
    drop(s);
    let gone = wait_until(Duration::from_secs(5), || async {
        subscribers(&h, "chat").await == 0
    })
    .await;
    assert!(gone, "the subscription ends when the client leaves");
}

#[tokio::test]
async fn psubscribe_reports_pattern_and_channel() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let mut s = Stream::open(&h, "/psubscribe/news.*", TOKEN).await;
    assert_eq!(s.until(|_| true).await, "psubscribe,news.*,1");
    http.post("/publish/news.tech/rust", "").await;
    assert_eq!(s.until(|_| true).await, "pmessage,news.*,news.tech,rust");
}

#[tokio::test]
async fn monitor_streams_commands_for_full_tokens_only() {
    let h = Harness::start().await;
    let http = Http::new(&h);
    let mut s = Stream::open(&h, "/monitor", TOKEN).await;
    assert_eq!(s.until(|_| true).await, "\"OK\"");
    http.post("/", r#"["SET","watched","v"]"#).await;
    let seen = s.until(|l| l.contains("\"watched\"")).await;
    assert!(seen.contains(r#""SET" "watched" "v""#), "{seen}");
    let r = reqwest::Client::new()
        .post(format!("{}/monitor", h.url))
        .bearer_auth(RO_TOKEN)
        .header("Accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("NOPERM"));
}

#[tokio::test]
async fn without_event_stream_subscribe_is_refused_and_shutdown_ends_streams() {
    let mut h = Harness::start().await;
    let http = Http::new(&h);
    let r = http.post("/subscribe/chat", "").await;
    assert_eq!(
        r.body,
        r#"{"error":"ERR Command is not available: 'SUBSCRIBE'"}"#
    );
    let mut s = Stream::open(&h, "/subscribe/chat", TOKEN).await;
    assert_eq!(s.until(|_| true).await, "subscribe,chat,1");
    let gateway = h.gateway.take().expect("gateway");
    tokio::time::timeout(Duration::from_secs(10), gateway.shutdown())
        .await
        .expect("shutdown does not wait for subscribers");
}
