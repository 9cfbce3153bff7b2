//! Celery/kombu messages: the JSON envelope a Redis broker stores, whose
//! `body` (usually base64) holds the task call.
//!
//! Celery's task protocol 2 puts the task name, id, retries and eta in the
//! envelope's `headers` and `[args, kwargs, embed]` in the body; protocol 1
//! puts everything in a body object. Both are read. The `unacked` hash keeps
//! `[envelope, exchange, routing_key]`, which is read too.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value};

/// The structured summary of one message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub task: Option<String>,
    pub id: Option<String>,
    /// The positional arguments as compact JSON.
    pub args: Option<String>,
    /// The keyword arguments as compact JSON.
    pub kwargs: Option<String>,
    /// Protocol 2's `embed` (callbacks, errbacks, chain, chord) as compact JSON.
    pub embed: Option<String>,
    pub retries: Option<i64>,
    pub eta: Option<String>,
    pub content_type: Option<String>,
    pub body_encoding: Option<String>,
    /// The routing key from the delivery info, when present.
    pub routing_key: Option<String>,
    /// Celery's task protocol (1 or 2), when the body could be read.
    pub protocol: Option<u8>,
    /// The decoded body bytes.
    pub body: Vec<u8>,
}

impl Message {
    /// The summary as labelled lines, in reading order; absent parts left out.
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        let retries = self.retries.map(|r| r.to_string());
        let protocol = self.protocol.map(|p| format!("Celery task protocol {p}"));
        [
            ("task", self.task.clone()),
            ("id", self.id.clone()),
            ("args", self.args.clone()),
            ("kwargs", self.kwargs.clone()),
            ("retries", retries),
            ("eta", self.eta.clone()),
            ("embed", self.embed.clone()),
            ("queue", self.routing_key.clone()),
            ("content", self.content_type.clone()),
            ("encoding", self.body_encoding.clone()),
            ("format", protocol),
        ]
        .into_iter()
        .filter_map(|(label, v)| v.map(|v| (label, v)))
        .collect()
    }
}

/// Decodes `data` when it is a kombu envelope (or the `unacked` hash's
/// `[envelope, exchange, routing_key]`).
pub fn decode(data: &[u8]) -> Option<Message> {
    if !super::json::is_container(data) {
        return None;
    }
    let value: Value = serde_json::from_slice(data).ok()?;
    let envelope = match &value {
        Value::Object(m) => m,
        Value::Array(a) => a.first()?.as_object()?,
        _ => return None,
    };
    from_envelope(envelope)
}

fn from_envelope(env: &Map<String, Value>) -> Option<Message> {
    let body = env.get("body")?.as_str()?;
    // A JSON object with a string `body` is not enough: kombu always sets
    // `content-type` and `properties` as well.
    let props = env.get("properties")?.as_object()?;
    let content_type = text(env.get("content-type")?);
    let body_encoding = props.get("body_encoding").and_then(text);
    let body = match body_encoding.as_deref() {
        Some("base64") => B64.decode(body).ok()?,
        _ => body.as_bytes().to_vec(),
    };
    let headers = env.get("headers").and_then(Value::as_object);
    let mut m = Message {
        content_type,
        body_encoding,
        routing_key: props
            .get("delivery_info")
            .and_then(|d| d.get("routing_key"))
            .and_then(text),
        ..Message::default()
    };
    let call: Option<Value> = serde_json::from_slice(&body).ok();
    match (headers.and_then(|h| h.get("task")), call) {
        // Protocol 2: the call is [args, kwargs, embed], the rest in headers.
        (Some(_), Some(Value::Array(parts))) => {
            let h = headers?;
            m.protocol = Some(2);
            m.task = h.get("task").and_then(text);
            m.id = h.get("id").and_then(text);
            m.retries = h.get("retries").and_then(Value::as_i64);
            m.eta = h.get("eta").and_then(text);
            m.args = parts.first().map(compact);
            m.kwargs = parts.get(1).map(compact);
            m.embed = parts.get(2).map(compact);
        }
        // Protocol 1: everything in the body.
        (_, Some(Value::Object(b))) if b.contains_key("task") => {
            m.protocol = Some(1);
            m.task = b.get("task").and_then(text);
            m.id = b.get("id").and_then(text);
            m.retries = b.get("retries").and_then(Value::as_i64);
            m.eta = b.get("eta").and_then(text);
            m.args = b.get("args").map(compact);
            m.kwargs = b.get("kwargs").map(compact);
        }
        // A body in another serialiser (pickle, msgpack): the call read
        // with its decoder, never run; the rest from the headers.
        _ => {
            let h = headers;
            m.task = h.and_then(|h| h.get("task")).and_then(text);
            m.id = h.and_then(|h| h.get("id")).and_then(text);
            m.retries = h.and_then(|h| h.get("retries")).and_then(Value::as_i64);
            m.eta = h.and_then(|h| h.get("eta")).and_then(text);
            let parts = m
                .content_type
                .as_deref()
                .and_then(|ct| super::decoded::kombu_body(ct, &body));
            if let Some(parts) = parts {
                m.protocol = h.is_some_and(|h| h.contains_key("task")).then_some(2);
                let mut parts = parts.into_iter();
                m.args = parts.next();
                m.kwargs = parts.next();
                m.embed = parts.next();
            }
        }
    }
    m.body = body;
    Some(m)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn compact(v: &Value) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope(body: &Value, headers: Value) -> Vec<u8> {
        let encoded = B64.encode(serde_json::to_vec(body).expect("json"));
        serde_json::to_vec(&json!({
            "body": encoded,
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": headers,
            "properties": {
                "body_encoding": "base64",
                "delivery_info": {"exchange": "", "routing_key": "celery"},
                "delivery_tag": "3f1c", "priority": 0
            }
        }))
        .expect("json")
    }

    #[test]
    fn protocol_two() {
        let data = envelope(
            &json!([[4, 4], {"user": "ann"}, {"callbacks": null, "chain": null}]),
            json!({"lang": "py", "task": "tasks.add", "id": "a1b2", "retries": 2,
                   "eta": "2026-11-25T20:00:00+00:00", "argsrepr": "(4, 4)"}),
        );
        let m = decode(&data).expect("kombu");
        assert_eq!(m.protocol, Some(2));
        assert_eq!(m.task.as_deref(), Some("tasks.add"));
        assert_eq!(m.id.as_deref(), Some("a1b2"));
        assert_eq!(m.args.as_deref(), Some("[4,4]"));
        assert_eq!(m.kwargs.as_deref(), Some(r#"{"user":"ann"}"#));
        assert_eq!(m.retries, Some(2));
        assert_eq!(m.eta.as_deref(), Some("2026-11-25T20:00:00+00:00"));
        assert_eq!(m.routing_key.as_deref(), Some("celery"));
        assert!(m.embed.as_ref().is_some_and(|e| e.contains("callbacks")));
        let summary = m.summary();
        assert_eq!(summary[0], ("task", "tasks.add".to_string()));
        assert!(summary.iter().any(|(l, v)| *l == "retries" && v == "2"));
    }

    #[test]
    fn protocol_one_and_unacked_entries() {
        let data = envelope(
            &json!({"task": "tasks.mul", "id": "x9", "args": [2, 3], "kwargs": {}, "retries": 0, "eta": null}),
            json!({}),
        );
        let unacked = format!("[{}, \"\", \"celery\"]", String::from_utf8_lossy(&data));
        let m = decode(unacked.as_bytes()).expect("kombu");
        assert_eq!(m.protocol, Some(1));
        assert_eq!(m.task.as_deref(), Some("tasks.mul"));
        assert_eq!(m.args.as_deref(), Some("[2,3]"));
        assert_eq!(m.eta, None);
    }

    #[test]
    fn plain_json_is_not_kombu() {
        assert_eq!(decode(br#"{"body":"aGk="}"#), None);
        assert_eq!(decode(br#"{"a":1}"#), None);
        assert_eq!(decode(b"not json"), None);
        assert_eq!(decode(br#"[1,2]"#), None);
    }
}
