//! Server-Sent Events: `/subscribe/<channel>`, `/psubscribe/<pattern>` and
//! `/monitor` with `Accept: text/event-stream`, as Upstash serves them
//! (<https://upstash.com/docs/redis/features/restapi>). Each stream
//! has its own redis connection, closed when the client goes away.

use std::convert::Infallible;

use axum::http::{HeaderMap, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse as _, Response};
use futures::StreamExt as _;
use tokio_util::sync::CancellationToken;

use super::auth::Access;
use super::error::GatewayError;
use super::request::Command;

/// What a streaming request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Subscribe,
    PSubscribe,
    Monitor,
}

/// The stream a request asks for: an SSE `Accept` header and one of the
/// three streaming commands. Anything else is an ordinary command (and
/// SUBSCRIBE without SSE is refused by the policy).
pub fn wanted(headers: &HeaderMap, cmd: &Command) -> Option<Kind> {
    let accepts = headers
        .get_all(header::ACCEPT)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.contains("text/event-stream")));
    if !accepts {
        return None;
    }
    let name = cmd.first()?;
    if name.eq_ignore_ascii_case(b"subscribe") {
        Some(Kind::Subscribe)
    } else if name.eq_ignore_ascii_case(b"psubscribe") {
        Some(Kind::PSubscribe)
    } else if name.eq_ignore_ascii_case(b"monitor") {
        Some(Kind::Monitor)
    } else {
        None
    }
}

/// Opens the stream. Lines are `subscribe,<channel>,<count>` then
/// `message,<channel>,<payload>` (`psubscribe` / `pmessage,<pattern>,...`
/// for patterns), or `"OK"` then one line per command for MONITOR.
/// A payload with line breaks spans several `data:` lines, as SSE joins them.
pub async fn open(
    client: &redis::Client,
    kind: Kind,
    cmd: Command,
    access: Access,
    stop: CancellationToken,
) -> Result<Response, GatewayError> {
    let targets: Vec<Vec<u8>> = cmd.into_iter().skip(1).collect();
    match kind {
        Kind::Monitor if access == Access::ReadOnly => Err(GatewayError::Command(
            "NOPERM this user has no permissions to run the 'monitor' command".into(),
        )),
        Kind::Monitor => monitor(client, stop).await,
        _ if targets.is_empty() => Err(GatewayError::BadRequest(
            "ERR wrong number of arguments: name at least one channel in the path".into(),
        )),
        Kind::Subscribe | Kind::PSubscribe => subscribe(client, kind, targets, stop).await,
    }
}

async fn subscribe(
    client: &redis::Client,
    kind: Kind,
    targets: Vec<Vec<u8>>,
    stop: CancellationToken,
) -> Result<Response, GatewayError> {
    let mut pubsub = client.get_async_pubsub().await?;
    let verb = if kind == Kind::PSubscribe {
        "psubscribe"
    } else {
        "subscribe"
    };
    let mut intro = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        let done = if kind == Kind::PSubscribe {
            pubsub.psubscribe(t.as_slice()).await
        } else {
            pubsub.subscribe(t.as_slice()).await
        };
        done?;
        intro.push(line(format!("{verb},{},{}", text(t), i + 1)));
    }
    let messages = pubsub.into_on_message().map(|msg| {
        let channel: Vec<u8> = msg.get_channel().unwrap_or_default();
        let payload = text(msg.get_payload_bytes());
        if msg.from_pattern() {
            let pattern: Vec<u8> = msg.get_pattern().unwrap_or_default();
            line(format!(
                "pmessage,{},{},{payload}",
                text(&pattern),
                text(&channel)
            ))
        } else {
            line(format!("message,{},{payload}", text(&channel)))
        }
    });
    Ok(sse(futures::stream::iter(intro).chain(messages), stop))
}

async fn monitor(
    client: &redis::Client,
    stop: CancellationToken,
) -> Result<Response, GatewayError> {
    let monitor = client.get_async_monitor().await?;
    let lines = monitor.into_on_message::<String>().map(line);
    Ok(sse(
        futures::stream::iter([line("\"OK\"".into())]).chain(lines),
        stop,
    ))
}

/// An SSE response that ends when the gateway stops, so that graceful
/// shutdown does not wait for subscribers that never leave.
fn sse(
    events: impl futures::Stream<Item = Event> + Send + 'static,
    stop: CancellationToken,
) -> Response {
    let events = events.take_until(stop.cancelled_owned());
    Sse::new(events.map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn line(data: String) -> Event {
    Event::default().data(data)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
