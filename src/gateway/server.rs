//! The HTTP side: one handler for every route, answering Upstash JSON with
//! its status codes, and a fresh `upstash-sync-token` on every response.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse as _, Response};
use tokio_util::sync::CancellationToken;

use super::auth::{Access, Tokens};
use super::backend::Backend;
use super::body::read_body;
use super::error::GatewayError;
use super::json;
use super::policy::{self, Step};
use super::request::{self, Command};
use super::response::{Format, json_response, resp2_response};
use super::sse;
use crate::upstash::Reply;

/// The response header that carries the read-your-writes token, a new one
/// on every response (<https://upstash.com/docs/redis/howto/readyourwrites>).
const SYNC_TOKEN: &str = "upstash-sync-token";

/// Everything a request needs, shared by all requests.
pub struct Gate {
    backend: Backend,
    tokens: Tokens,
    max_body: usize,
    sync_prefix: u64,
    sync_counter: AtomicU64,
    stop: CancellationToken,
}

impl Gate {
    /// Bundles the backend, the tokens, the body limit, and the signal that
    /// ends open event streams when the gateway stops.
    pub fn new(backend: Backend, tokens: Tokens, max_body: usize, stop: CancellationToken) -> Gate {
        Gate {
            backend,
            tokens,
            max_body,
            sync_prefix: rand::random(),
            sync_counter: AtomicU64::new(0),
            stop,
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

impl Form {
    fn of(path: &str) -> Form {
        match path.trim_start_matches('/') {
            "" => Form::Single,
            "pipeline" => Form::Pipeline,
            "multi-exec" => Form::Transaction,
            _ => Form::Path,
        }
    }
}

async fn handle(State(gate): State<Arc<Gate>>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let form = Form::of(req.uri().path());
    let resp = serve(&gate, req, form).await.into_response();
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

async fn serve(gate: &Gate, req: Request, form: Form) -> Result<Response, GatewayError> {
    let (parts, body) = req.into_parts();
    if ![Method::GET, Method::HEAD, Method::POST, Method::PUT].contains(&parts.method) {
        return Err(GatewayError::MethodNotAllowed);
    }
    let query = request::parse_query(parts.uri.query());
    let access = gate
        .tokens
        .check(&parts.headers, query.token.as_deref())
        .ok_or(GatewayError::Unauthorized)?;
    let format = Format::of(&parts.headers)?;
    let body = read_body(body, &parts.headers, gate.max_body).await?;
    match form {
        Form::Single => {
            let cmd = request::json_command(&body).map_err(GatewayError::BadRequest)?;
            single(gate, cmd, access, format).await
        }
        Form::Path => {
            let path = parts.uri.path();
            // A stream's channels are the path alone: the TS SDK sends `[]`
            // as the body of its SSE requests.
            let bare = request::path_command(path, b"", Vec::new());
            if let Some(kind) = sse::wanted(&parts.headers, &bare) {
                return sse::open(gate.backend.client(), kind, bare, access, gate.stop.clone())
                    .await;
            }
            let cmd = request::path_command(path, &body, query.args);
            single(gate, cmd, access, format).await
        }
        Form::Pipeline | Form::Transaction => {
            let cmds = request::json_commands(&body).map_err(GatewayError::BadRequest)?;
            if matches!(form, Form::Transaction) {
                // `Upstash-Response-Format: resp2` does not apply to
                // /multi-exec, which always answers JSON.
                let format = match format {
                    Format::Resp2 => Format::Json { base64: false },
                    f => f,
                };
                many(gate, cmds, access, format, true).await
            } else {
                many(gate, cmds, access, format, false).await
            }
        }
    }
}

async fn plan(gate: &Gate, cmds: Vec<Command>, access: Access) -> Result<Vec<Step>, GatewayError> {
    // The command table is needed for a read-only token, and to keep
    // binary arguments of unknown commands away from redis-server.
    let table = if access == Access::ReadOnly || cmds.iter().any(policy::has_binary) {
        Some(gate.backend.table().await?)
    } else {
        None
    };
    let read_only = table.as_deref().filter(|_| access == Access::ReadOnly);
    Ok(cmds
        .into_iter()
        .map(
            |c| match table.as_deref().and_then(|t| policy::unknown_binary(&c, t)) {
                Some(e) => Step::Answer(Reply::Error(e)),
                None => policy::plan(c, read_only),
            },
        )
        .collect())
}

async fn single(
    gate: &Gate,
    cmd: Command,
    access: Access,
    format: Format,
) -> Result<Response, GatewayError> {
    let steps = plan(gate, vec![cmd], access).await?;
    let reply = gate
        .backend
        .pipeline(steps)
        .await?
        .pop()
        .ok_or(GatewayError::NoReply)?;
    match (reply, format) {
        // RESP2 carries the error reply itself, with the status JSON would have.
        (r, Format::Resp2) => {
            let status = if matches!(r, Reply::Error(_)) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            Ok(resp2_response(status, &[r]))
        }
        (Reply::Error(e), Format::Json { .. }) => Err(GatewayError::Command(e)),
        (r, Format::Json { base64 }) => Ok(json_response(
            StatusCode::OK,
            &json::Single { reply: &r, base64 },
        )),
    }
}

async fn many(
    gate: &Gate,
    cmds: Vec<Command>,
    access: Access,
    format: Format,
    atomic: bool,
) -> Result<Response, GatewayError> {
    let steps = plan(gate, cmds, access).await?;
    let replies = if atomic {
        gate.backend.transaction(steps).await?
    } else {
        gate.backend.pipeline(steps).await?
    };
    Ok(match format {
        // The replies one after the other, as redis-server sends a pipeline.
        Format::Resp2 => resp2_response(StatusCode::OK, &replies),
        Format::Json { base64 } => json_response(
            StatusCode::OK,
            &json::Items {
                replies: &replies,
                base64,
            },
        ),
    })
}
