//! The HTTP side: one handler for every route, answering Upstash JSON with
//! its status codes, and a fresh `upstash-sync-token` on every response.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use serde_json::{Value, json};

use super::auth::{self, Access, Tokens};
use super::backend::{Backend, Unavailable};
use super::policy::{self, Step};
use super::request::{self, Command};
use super::resp;
use crate::upstash::Reply;

/// The response header that carries the read-your-writes token (§8).
const SYNC_TOKEN: &str = "upstash-sync-token";

/// Everything a request needs, shared by all requests.
pub struct Gate {
    backend: Backend,
    tokens: Tokens,
    max_body: usize,
    sync_prefix: u64,
    sync_counter: AtomicU64,
}

impl Gate {
    /// Bundles the backend, the tokens and the body limit.
    pub fn new(backend: Backend, tokens: Tokens, max_body: usize) -> Gate {
        Gate {
            backend,
            tokens,
            max_body,
            sync_prefix: rand::random(),
            sync_counter: AtomicU64::new(0),
        }
    }

    fn next_sync_token(&self) -> String {
        let n = self.sync_counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{n:016x}", self.sync_prefix)
    }
}

/// The gateway's routes: every path goes to one handler, because the path
/// itself may be a command (`/set/key/value`).
pub fn router(gate: Gate) -> Router {
    let gate = Arc::new(gate);
    Router::new()
        .fallback(handle)
        .layer(axum::middleware::map_response_with_state(
            gate.clone(),
            add_sync_token,
        ))
        .with_state(gate)
}

async fn add_sync_token(State(gate): State<Arc<Gate>>, mut resp: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&gate.next_sync_token()) {
        resp.headers_mut().insert(SYNC_TOKEN, v);
    }
    resp
}

/// Which of the request forms a path selects.
#[derive(Debug, Clone, Copy)]
enum Form {
    Single,
    Pipeline,
    Transaction,
    Path,
}

async fn handle(State(gate): State<Arc<Gate>>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let (resp, form) = serve(&gate, req).await;
    // Neither the path nor the query is logged: they carry keys, values and
    // possibly the `_token`.
    tracing::debug!(
        %method,
        form = ?form,
        status = resp.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    resp
}

async fn serve(gate: &Gate, req: Request) -> (Response, Option<Form>) {
    let (parts, body) = req.into_parts();
    if ![Method::GET, Method::HEAD, Method::POST, Method::PUT].contains(&parts.method) {
        let mut resp = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "ERR method not allowed: use GET, HEAD, POST or PUT",
        );
        resp.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static("GET, HEAD, POST, PUT"),
        );
        return (resp, None);
    }
    let query = request::parse_query(parts.uri.query());
    let Some(access) = gate.tokens.check(&parts.headers, query.token.as_deref()) else {
        return (error(StatusCode::UNAUTHORIZED, auth::UNAUTHORIZED), None);
    };
    let format = match Format::of(&parts.headers) {
        Ok(f) => f,
        Err(e) => return (error(StatusCode::BAD_REQUEST, e), None),
    };
    let body = match read_body(body, &parts.headers, gate.max_body).await {
        Ok(b) => b,
        Err(resp) => return (resp, None),
    };
    let path = parts.uri.path();
    let form = match path.trim_start_matches('/') {
        "" => Form::Single,
        "pipeline" => Form::Pipeline,
        "multi-exec" => Form::Transaction,
        _ => Form::Path,
    };
    let resp = match form {
        Form::Single => match request::json_command(&body) {
            Ok(cmd) => single(gate, cmd, access, format).await,
            Err(e) => error(StatusCode::BAD_REQUEST, &e),
        },
        Form::Path => {
            let cmd = request::path_command(path, &body, query.args);
            single(gate, cmd, access, format).await
        }
        Form::Pipeline | Form::Transaction => match request::json_commands(&body) {
            Ok(cmds) if matches!(form, Form::Transaction) => {
                // resp2 does not apply to /multi-exec, which answers JSON (§9.2).
                let format = match format {
                    Format::Resp2 => Format::Json { base64: false },
                    f => f,
                };
                many(gate, cmds, access, format, true).await
            }
            Ok(cmds) => many(gate, cmds, access, format, false).await,
            Err(e) => error(StatusCode::BAD_REQUEST, &e),
        },
    };
    (resp, Some(form))
}

async fn plan(gate: &Gate, cmds: Vec<Command>, access: Access) -> Result<Vec<Step>, Unavailable> {
    let table = match access {
        Access::Full => None,
        Access::ReadOnly => Some(gate.backend.table().await?),
    };
    Ok(cmds
        .into_iter()
        .map(|c| policy::plan(c, table.as_deref()))
        .collect())
}

async fn single(gate: &Gate, cmd: Command, access: Access, format: Format) -> Response {
    let run = async {
        let steps = plan(gate, vec![cmd], access).await?;
        gate.backend.pipeline(steps).await
    };
    match run.await {
        Ok(mut replies) => match (replies.pop(), format) {
            (Some(r), Format::Resp2) => {
                let status = if matches!(r, Reply::Error(_)) {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
                resp2_response(status, &[r])
            }
            (Some(Reply::Error(e)), Format::Json { .. }) => error(StatusCode::BAD_REQUEST, &e),
            (Some(r), Format::Json { base64 }) => {
                json_response(StatusCode::OK, &json!({ "result": r.to_json(base64) }))
            }
            (None, _) => error(StatusCode::INTERNAL_SERVER_ERROR, "ERR no reply"),
        },
        Err(Unavailable(e)) => error(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}

async fn many(
    gate: &Gate,
    cmds: Vec<Command>,
    access: Access,
    format: Format,
    atomic: bool,
) -> Response {
    let run = async {
        let steps = plan(gate, cmds, access).await?;
        if atomic {
            gate.backend.transaction(steps).await
        } else {
            gate.backend.pipeline(steps).await.map(Ok)
        }
    };
    match run.await {
        Ok(Ok(replies)) => match format {
            // The replies one after the other, as redis-server sends a pipeline.
            Format::Resp2 => resp2_response(StatusCode::OK, &replies),
            Format::Json { base64 } => {
                let items: Vec<Value> = replies.iter().map(|r| item(r, base64)).collect();
                json_response(StatusCode::OK, &Value::Array(items))
            }
        },
        // A discarded transaction is one error, with 400 as for a single
        // command: a 200 with an object body would break both SDKs (§6).
        Ok(Err(e)) => error(StatusCode::BAD_REQUEST, &e),
        Err(Unavailable(e)) => error(StatusCode::SERVICE_UNAVAILABLE, &e),
    }
}

fn item(r: &Reply, base64: bool) -> Value {
    match r {
        Reply::Error(e) => json!({ "error": e }),
        r => json!({ "result": r.to_json(base64) }),
    }
}

/// Reads the body up to the limit. Beyond it nothing more is kept: the
/// rest is only counted (so the client gets the answer rather than a reset
/// connection), up to a bound after which the connection is given up.
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, Response> {
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
            error(
                StatusCode::BAD_REQUEST,
                &format!("ERR could not read the request body: {e}"),
            )
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
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("ERR max request size exceeded. Limit: {limit} bytes, Actual: {actual} bytes"),
        ));
    }
    Ok(Bytes::from(buf))
}

/// How replies are written back (`Upstash-Encoding`, `Upstash-Response-Format`).
#[derive(Debug, Clone, Copy)]
enum Format {
    /// Upstash JSON, with strings in base64 when asked.
    Json { base64: bool },
    /// Raw RESP2 bytes.
    Resp2,
}

impl Format {
    fn of(headers: &HeaderMap) -> Result<Format, &'static str> {
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

fn resp2_response(status: StatusCode, replies: &[Reply]) -> Response {
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

fn error(status: StatusCode, text: &str) -> Response {
    json_response(status, &json!({ "error": text }))
}

fn json_response(status: StatusCode, v: &Value) -> Response {
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
