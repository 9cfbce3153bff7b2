//! Turning HTTP replies and transport failures into replies and typed errors.

use std::error::Error as _;

use serde_json::Value;

use super::error::{Error, one_line, scrub};
use super::reply::Reply;

/// How much of an unexpected body an error shows.
const SHOWN: usize = 200;

/// The reply to one command (`POST /` or the path form).
pub fn single(status: u16, body: &[u8], token: &str) -> Result<Reply, Error> {
    match parse(status, body, token)? {
        Value::Object(mut o) => {
            if let Some(e) = o.get("error") {
                return Err(server_error(status, e, token));
            }
            let result = o.remove("result").ok_or_else(|| protocol(body, token))?;
            Reply::from_json_base64(&result).map_err(|_| protocol(body, token))
        }
        _ => Err(protocol(body, token)),
    }
}

/// The replies to `n` commands (`/pipeline` or `/multi-exec`): per-item
/// errors stay in the list as [`Reply::Error`]; a discarded transaction
/// (one object with `error`) is an `Err`.
pub fn batch(status: u16, body: &[u8], n: usize, token: &str) -> Result<Vec<Reply>, Error> {
    match parse(status, body, token)? {
        Value::Array(items) if items.len() == n => items
            .iter()
            .map(|item| {
                let Value::Object(o) = item else {
                    return Err(protocol(body, token));
                };
                if let Some(Value::String(e)) = o.get("error") {
                    return Ok(Reply::Error(scrub(e.clone(), token)));
                }
                let result = o.get("result").ok_or_else(|| protocol(body, token))?;
                Reply::from_json_base64(result).map_err(|_| protocol(body, token))
            })
            .collect(),
        Value::Object(o) if o.contains_key("error") => {
            Err(server_error(status, &o["error"], token))
        }
        _ => Err(protocol(body, token)),
    }
}

/// Parses a JSON body; a non-2xx reply becomes its typed error here.
fn parse(status: u16, body: &[u8], token: &str) -> Result<Value, Error> {
    let value = serde_json::from_slice::<Value>(body);
    if !(200..300).contains(&status) {
        return Err(match value {
            Ok(Value::Object(o)) if o.contains_key("error") => {
                server_error(status, &o["error"], token)
            }
            _ if status == 401 || status == 429 => {
                Error::from_server(status, one_line(body, SHOWN, token))
            }
            _ => Error::Http {
                status,
                text: one_line(body, SHOWN, token),
            },
        });
    }
    value.map_err(|_| protocol(body, token))
}

fn server_error(status: u16, e: &Value, token: &str) -> Error {
    let text = match e {
        Value::String(s) => one_line(s.as_bytes(), 4096, token),
        other => one_line(other.to_string().as_bytes(), SHOWN, token),
    };
    Error::from_server(status, text)
}

fn protocol(body: &[u8], token: &str) -> Error {
    Error::Protocol(if body.is_empty() {
        "empty body".into()
    } else {
        one_line(body, SHOWN, token)
    })
}

/// Classifies a failed send or body read. reqwest's own message names the
/// URL, so only the underlying causes are shown.
pub fn transport(e: &reqwest::Error, token: &str) -> Error {
    if e.is_timeout() && !e.is_connect() {
        return Error::Timeout;
    }
    let mut causes = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !causes.iter().any(|c: &String| c.contains(&text)) {
            causes.push(text);
        }
        source = s.source();
    }
    let lower = causes.join(": ").to_ascii_lowercase();
    // rustls read a reply that is not TLS at all: an HTTP server's answer to
    // the handshake (an https:// URL for a plain-HTTP gateway).
    if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        return Error::PlainHttp;
    }
    // The root cause says what happened; the outer layers only repeat "connect".
    let detail = causes.last().cloned().unwrap_or_default();
    let what = if e.is_connect() {
        if e.is_dns() || lower.contains("dns") || lower.contains("lookup") {
            "DNS lookup failed"
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            "TLS handshake failed"
        } else if e.is_timeout() || lower.contains("timed out") {
            "connecting timed out"
        } else {
            "connection failed"
        }
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the reply"
    } else {
        "the request failed"
    };
    let line = if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    };
    Error::Connect(one_line(line.as_bytes(), 400, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "tok-1234567";

    #[test]
    fn single_replies_and_errors() {
        assert_eq!(
            single(200, br#"{"result":"OK"}"#, T),
            Ok(Reply::Status("OK".into()))
        );
        assert_eq!(
            single(200, br#"{"result":"YmFy"}"#, T),
            Ok(Reply::Bytes(b"bar".to_vec()))
        );
        assert_eq!(single(200, br#"{"result":null}"#, T), Ok(Reply::Nil));
        assert_eq!(
            single(400, br#"{"error":"WRONGTYPE Operation against a key"}"#, T),
            Err(Error::Command("WRONGTYPE Operation against a key".into()))
        );
        assert_eq!(
            single(401, br#"{"error":"WRONGPASS"}"#, T),
            Err(Error::Unauthorized)
        );
        assert_eq!(single(401, b"", T), Err(Error::Unauthorized));
        assert!(matches!(
            single(429, b"Too Many Requests", T),
            Err(Error::Limit { text, .. }) if text == "HTTP 429: Too Many Requests"
        ));
        assert!(matches!(single(200, b"{}", T), Err(Error::Protocol(_))));
        assert!(matches!(single(200, b"<html>", T), Err(Error::Protocol(t)) if t == "<html>"));
        assert!(matches!(
            single(502, b"Bad gateway\n", T),
            Err(Error::Http { status: 502, text }) if text == "Bad gateway\\n"
        ));
    }

    #[test]
    fn batches_keep_item_errors() {
        let r = batch(
            200,
            br#"[{"result":"OK"},{"error":"ERR x"},{"result":2}]"#,
            3,
            T,
        );
        assert_eq!(
            r,
            Ok(vec![
                Reply::Status("OK".into()),
                Reply::Error("ERR x".into()),
                Reply::Int(2)
            ])
        );
        assert!(matches!(
            batch(200, br#"[{"result":1}]"#, 2, T),
            Err(Error::Protocol(_))
        ));
        assert_eq!(
            batch(400, br#"{"error":"EXECABORT Transaction discarded"}"#, 2, T),
            Err(Error::Command("EXECABORT Transaction discarded".into()))
        );
    }

    #[test]
    fn protocol_errors_show_at_most_200_escaped_bytes_without_the_token() {
        let mut body = b"tok-1234567\x00\xff".to_vec();
        body.extend([b'a'; 500]);
        let Err(Error::Protocol(text)) = single(200, &body, T) else {
            panic!("expected a protocol error");
        };
        assert!(
            text.starts_with("[token]\\0\\xff") || text.starts_with("[token]\\u{0}\\xff"),
            "{text}"
        );
        assert!(text.len() < 220);
        assert!(!text.contains(T));
    }
}
