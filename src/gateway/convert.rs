//! RESP replies from the `redis` crate into the shared [`Reply`] model.

use redis::{ServerError, Value};

use crate::upstash::Reply;

/// Converts one RESP reply. The gateway speaks RESP2, so maps, sets,
/// doubles and booleans do not occur; they are still mapped the way RESP2
/// would have sent them (flat arrays, strings, 0/1) to stay total.
pub fn reply(v: Value) -> Reply {
    match v {
        Value::Nil => Reply::Nil,
        Value::Int(i) => Reply::Int(i),
        Value::BulkString(b) => Reply::Bytes(b),
        Value::Array(items) | Value::Set(items) => {
            Reply::Array(items.into_iter().map(reply).collect())
        }
        Value::SimpleString(s) => Reply::Status(s),
        Value::Okay => Reply::Status("OK".into()),
        Value::Map(pairs) => Reply::Array(
            pairs
                .into_iter()
                .flat_map(|(k, v)| [reply(k), reply(v)])
                .collect(),
        ),
        Value::Attribute { data, .. } => reply(*data),
        Value::Double(d) => Reply::Bytes(d.to_string().into_bytes()),
        Value::Boolean(b) => Reply::Int(i64::from(b)),
        Value::VerbatimString { text, .. } => Reply::Bytes(text.into_bytes()),
        Value::BigNumber(n) => Reply::Bytes(n),
        Value::Push { data, .. } => Reply::Array(data.into_iter().map(reply).collect()),
        Value::ServerError(e) => Reply::Error(error_text(&e)),
        // The enum is non-exhaustive; a future variant is reported, not guessed.
        other => Reply::Error(format!(
            "ERR unsupported reply from redis-server: {other:?}"
        )),
    }
}

/// The error line exactly as redis-server sent it (`ERR wrong number ...`),
/// rebuilt from the code and detail the crate splits it into.
pub fn error_text(e: &ServerError) -> String {
    match e.details() {
        Some(detail) => format!("{} {}", e.code(), detail),
        None => e.code().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_stay_statuses_and_bulks_stay_bytes() {
        assert_eq!(reply(Value::Okay), Reply::Status("OK".into()));
        assert_eq!(
            reply(Value::SimpleString("PONG".into())),
            Reply::Status("PONG".into())
        );
        assert_eq!(
            reply(Value::BulkString(vec![0, 255])),
            Reply::Bytes(vec![0, 255])
        );
        assert_eq!(
            reply(Value::Array(vec![Value::Nil, Value::Int(-3)])),
            Reply::Array(vec![Reply::Nil, Reply::Int(-3)])
        );
    }
}
