//! Why a request fails, as a type that turns itself into the response
//! Upstash would send: a status code and `{"error": text}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth;
use super::response::json_response;

/// A request the gateway answers with an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// A method other than GET, HEAD, POST and PUT: 405, with `Allow`.
    #[error("ERR method not allowed: use GET, HEAD, POST or PUT")]
    MethodNotAllowed,
    /// No token, or a wrong one: 401.
    #[error("{}", auth::UNAUTHORIZED)]
    Unauthorized,
    /// Headers, a body or JSON the gateway cannot read: 400 with the reason
    /// (an `ERR ...` line).
    #[error("{0}")]
    BadRequest(String),
    /// A body over the size limit: 400 with Upstash's text.
    #[error("ERR max request size exceeded. Limit: {limit} bytes, Actual: {actual} bytes")]
    TooLarge { limit: usize, actual: u64 },
    /// A single command's error reply, from redis-server or refused by the
    /// gateway's policy: 400 with the error text as Redis words it.
    #[error("{0}")]
    Command(String),
    /// A transaction discarded as a whole (a refused command, a queue-time
    /// error): 400 with the reason, one error for the request. A 200 with
    /// an object body would break both official SDKs, which iterate over a
    /// `/multi-exec` reply as an array.
    #[error("{0}")]
    Discarded(String),
    /// redis-server could not be reached, dropped the connection or sent
    /// something unreadable: 503 with an `ERR redis-server ...` line.
    #[error("{0}")]
    Unavailable(String),
    /// redis-server sent no reply to a command: 500.
    #[error("ERR no reply")]
    NoReply,
}

impl GatewayError {
    /// The HTTP status Upstash answers this failure with.
    pub fn status(&self) -> StatusCode {
        match self {
            GatewayError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            GatewayError::Unauthorized => StatusCode::UNAUTHORIZED,
            GatewayError::BadRequest(_)
            | GatewayError::TooLarge { .. }
            | GatewayError::Command(_)
            | GatewayError::Discarded(_) => StatusCode::BAD_REQUEST,
            GatewayError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            GatewayError::NoReply => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<redis::RedisError> for GatewayError {
    fn from(e: redis::RedisError) -> Self {
        GatewayError::Unavailable(format!("ERR redis-server is unavailable: {e}"))
    }
}

impl IntoResponse for GatewayError {
    fn into_response(self) -> Response {
        if let GatewayError::Unavailable(text) = &self {
            tracing::warn!("{text}");
        }
        let mut resp = json_response(self.status(), &json!({ "error": self.to_string() }));
        if self == GatewayError::MethodNotAllowed {
            resp.headers_mut().insert(
                header::ALLOW,
                HeaderValue::from_static("GET, HEAD, POST, PUT"),
            );
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parts(e: GatewayError) -> (StatusCode, Option<String>, String) {
        let resp = e.into_response();
        let status = resp.status();
        let allow = resp
            .headers()
            .get(header::ALLOW)
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .expect("body");
        (status, allow, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn each_failure_renders_as_upstash_answers_it() {
        assert_eq!(
            parts(GatewayError::MethodNotAllowed).await,
            (
                StatusCode::METHOD_NOT_ALLOWED,
                Some("GET, HEAD, POST, PUT".into()),
                r#"{"error":"ERR method not allowed: use GET, HEAD, POST or PUT"}"#.into()
            )
        );
        assert_eq!(
            parts(GatewayError::Unauthorized).await,
            (
                StatusCode::UNAUTHORIZED,
                None,
                r#"{"error":"WRONGPASS invalid or missing auth token"}"#.into()
            )
        );
        let too_large = GatewayError::TooLarge {
            limit: 10,
            actual: 12,
        };
        assert_eq!(
            parts(too_large).await.2,
            r#"{"error":"ERR max request size exceeded. Limit: 10 bytes, Actual: 12 bytes"}"#
        );
        let discarded = GatewayError::Discarded("EXECABORT Transaction discarded".into());
        assert_eq!(parts(discarded).await.0, StatusCode::BAD_REQUEST);
        let down = GatewayError::Unavailable("ERR redis-server is unavailable: refused".into());
        assert_eq!(
            parts(down).await,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                r#"{"error":"ERR redis-server is unavailable: refused"}"#.into()
            )
        );
        assert_eq!(
            parts(GatewayError::NoReply).await.0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
