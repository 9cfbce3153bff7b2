//! Celery task messages as kombu's Redis transport stores them: the JSON
//! envelope (Celery message protocol v2 inside), the priority-queue key names,
//! the `_kombu.binding.*` set members and the `unacked` bookkeeping entries.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// kombu's default separator between a queue name and its priority, and
/// between the fields of a binding entry (`\x06\x16`).
pub const SEP: &str = "\x06\x16";

/// kombu's default priority steps; priority 0 uses the bare queue name.
pub const PRIORITY_STEPS: [u8; 4] = [0, 3, 6, 9];

/// The hash of delivered-but-unacknowledged messages (kombu's `unacked_key`).
pub const UNACKED: &str = "unacked";

/// The zset of delivery tag to delivery time (kombu's `unacked_index_key`).
pub const UNACKED_INDEX: &str = "unacked_index";

/// One Celery task invocation, before it is wrapped for the broker.
#[derive(Debug, Clone)]
pub struct Task {
    /// Task id (a UUID), also the correlation id.
    pub id: String,
    /// Registered task name, e.g. `docs.tasks.summarize`.
    pub name: String,
    /// Positional arguments.
    pub args: Value,
    /// Keyword arguments.
    pub kwargs: Value,
    /// Python `repr` of the arguments, as Celery puts in `argsrepr`.
    pub argsrepr: String,
    /// Python `repr` of the keyword arguments.
    pub kwargsrepr: String,
    /// kombu priority, 0 (served first) to 9.
    pub priority: u8,
    /// How often the task was retried so far.
    pub retries: u32,
    /// Scheduled execution time (RFC 3339), if any.
    pub eta: Option<String>,
    /// Worker or producer node that sent it, e.g. `gen4021@web-2`.
    pub origin: String,
    /// The producer's reply queue (a UUID).
    pub reply_to: String,
}

/// The Redis list that holds messages of `priority` for `queue`:
/// `celery`, `celery\x06\x163`, `celery\x06\x166`, `celery\x06\x169`.
pub fn queue_key(queue: &str, priority: u8) -> String {
    let step = PRIORITY_STEPS
        .iter()
        .rev()
        .find(|s| **s <= priority)
        .copied()
        .unwrap_or(0);
    if step == 0 {
        queue.to_string()
    } else {
        format!("{queue}{SEP}{step}")
    }
}

/// The set key that lists an exchange's bindings.
pub fn binding_key(exchange: &str) -> String {
    format!("_kombu.binding.{exchange}")
}

/// One member of a binding set: `routing_key SEP pattern SEP queue`.
pub fn binding_member(routing_key: &str, pattern: &str, queue: &str) -> String {
    format!("{routing_key}{SEP}{pattern}{SEP}{queue}")
}

/// The JSON envelope kombu LPUSHes onto a queue list for `task`.
pub fn envelope(task: &Task, queue: &str, delivery_tag: &str) -> Value {
    let body = json!([
        task.args,
        task.kwargs,
        {"callbacks": null, "errbacks": null, "chain": null, "chord": null}
    ]);
    let body = STANDARD.encode(body.to_string());
    json!({
        "body": body,
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {
            "lang": "py",
            "task": task.name,
            "id": task.id,
            "shadow": null,
            "eta": task.eta,
            "expires": null,
            "group": null,
            "group_index": null,
            "retries": task.retries,
            "timelimit": [null, null],
            "root_id": task.id,
            "parent_id": null,
            "argsrepr": task.argsrepr,
            "kwargsrepr": task.kwargsrepr,
            "origin": task.origin,
            "ignore_result": false,
            "replaced_task_nesting": 0,
            "stamped_headers": null,
            "stamps": {}
        },
        "properties": {
            "correlation_id": task.id,
            "reply_to": task.reply_to,
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": task.priority,
            "body_encoding": "base64",
            "delivery_tag": delivery_tag
        }
    })
}

/// The value kombu stores in the `unacked` hash under a delivery tag:
/// `[message, exchange, routing_key]`.
pub fn unacked_entry(message: &Value, exchange: &str, routing_key: &str) -> String {
    json!([message, exchange, routing_key]).to_string()
}

/// Decodes an envelope's body into `[args, kwargs, embed]`; `None` if it is
/// not a base64-encoded JSON array of three elements.
pub fn decode_body(envelope: &Value) -> Option<Vec<Value>> {
    let b64 = envelope.get("body")?.as_str()?;
    let raw = STANDARD.decode(b64).ok()?;
    match serde_json::from_slice::<Value>(&raw).ok()? {
        Value::Array(items) if items.len() == 3 => Some(items),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> Task {
        Task {
            id: "d9b1c4e2-0000-4000-8000-000000000001".into(),
            name: "docs.tasks.summarize".into(),
            args: json!([42]),
            kwargs: json!({"lang": "en"}),
            argsrepr: "(42,)".into(),
            kwargsrepr: "{'lang': 'en'}".into(),
            priority: 0,
            retries: 0,
            eta: None,
            origin: "gen1@web-1".into(),
            reply_to: "4c2b0a52-8f0e-4c3a-9d4e-5b6f7a8c9d0e".into(),
        }
    }

    #[test]
    fn priority_queue_names_follow_kombu() {
        assert_eq!(queue_key("celery", 0), "celery");
        assert_eq!(queue_key("celery", 2), "celery");
        assert_eq!(queue_key("celery", 3), "celery\x06\x163");
        assert_eq!(queue_key("celery", 8), "celery\x06\x166");
        assert_eq!(queue_key("celery", 9), "celery\x06\x169");
    }

    #[test]
    fn binding_member_has_three_fields() {
        let m = binding_member("celery", "", "celery");
        assert_eq!(m.split(SEP).collect::<Vec<_>>(), ["celery", "", "celery"]);
    }

    #[test]
    fn envelope_body_round_trips() {
        let env = envelope(&task(), "celery", "tag-1");
        let body = decode_body(&env).expect("three-element body");
        assert_eq!(body[0], json!([42]));
        assert_eq!(body[1], json!({"lang": "en"}));
        assert_eq!(env["headers"]["task"], "docs.tasks.summarize");
        assert_eq!(env["properties"]["body_encoding"], "base64");
        assert_eq!(env["properties"]["delivery_info"]["routing_key"], "celery");
    }

    #[test]
    fn unacked_entry_is_a_triple() {
        let env = envelope(&task(), "celery", "tag-1");
        let v: Value = serde_json::from_str(&unacked_entry(&env, "", "celery")).expect("json");
        assert_eq!(v.as_array().map(Vec::len), Some(3));
    }
}
