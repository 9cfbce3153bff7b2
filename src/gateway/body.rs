//! Reading a request body under the size limit without buffering more
//! than the limit.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use futures::StreamExt as _;

use super::error::GatewayError;

/// Reads the body up to the limit. Beyond it nothing more is kept: the
/// rest is only counted (so the client gets the answer rather than a reset
/// connection), up to a bound after which the connection is given up.
pub async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
) -> Result<Bytes, GatewayError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit64 = limit as u64;
    let drain_bound = limit64.saturating_mul(4).max(64 * 1024 * 1024);
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    let mut over = declared.is_some_and(|d| d > limit64);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            GatewayError::BadRequest(format!("ERR could not read the request body: {e}"))
        })?;
        total = total.saturating_add(chunk.len() as u64);
        if total > limit64 {
            over = true;
            buf = Vec::new();
        }
        if over {
            if total > drain_bound {
                break;
            }
        } else {
            buf.extend_from_slice(&chunk);
        }
    }
    if over {
        let actual = declared.unwrap_or(total).max(total);
        return Err(GatewayError::TooLarge { limit, actual });
    }
    Ok(Bytes::from(buf))
}
