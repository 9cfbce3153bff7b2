//! Writing replies back: Upstash JSON (with its base64 rule) or raw RESP2,
//! as the request's headers ask.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::GatewayError;
use super::resp;
use crate::upstash::Reply;

/// How replies are written back (`Upstash-Encoding`, `Upstash-Response-Format`).
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// Upstash JSON, with strings in base64 when asked.
    Json { base64: bool },
    /// Raw RESP2 bytes.
    Resp2,
}

impl Format {
    /// Reads `Upstash-Encoding` and `Upstash-Response-Format`.
    pub fn of(headers: &HeaderMap) -> Result<Format, GatewayError> {
        Format::read(headers).map_err(|e| GatewayError::BadRequest(e.into()))
    }

    fn read(headers: &HeaderMap) -> Result<Format, &'static str> {
        let base64 = headers
            .get("upstash-encoding")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"));
        let resp2 = match headers.get("upstash-response-format").map(|v| v.as_bytes()) {
            None => false,
            Some(v) if v.eq_ignore_ascii_case(b"json") => false,
            Some(v) if v.eq_ignore_ascii_case(b"resp2") => true,
            Some(_) => return Err("ERR invalid Upstash-Response-Format: use json or resp2"),
        };
        match (resp2, base64) {
            (true, true) => Err(
                "ERR Upstash-Response-Format: resp2 cannot be combined with Upstash-Encoding: base64",
            ),
            (true, false) => Ok(Format::Resp2),
            (false, base64) => Ok(Format::Json { base64 }),
        }
    }
}

/// Replies one after the other in RESP2.
pub fn resp2_response(status: StatusCode, replies: &[Reply]) -> Response {
    let mut body = Vec::new();
    for r in replies {
        resp::encode(r, &mut body);
    }
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        )],
        body,
    )
        .into_response()
}

/// A JSON body.
pub fn json_response(status: StatusCode, v: &impl Serialize) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"{\"error\":\"ERR encoding\"}".to_vec());
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}
