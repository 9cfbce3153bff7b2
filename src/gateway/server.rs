//! The HTTP side: one handler for every route, answering Upstash JSON with
//! its status codes, and a fresh `upstash-sync-token` on every response.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use tokio_util::sync::CancellationToken;

use super::auth::{self, Access, Tokens};
use super::backend::{Backend, Unavailable};
use super::body::read_body;
use super::json;
use super::policy::{self, Step};
use super::request::{self, Command};
use super::response::{Format, error, json_response, resp2_response};
use super::sse;
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
            // A stream's channels are the path alone: the TS SDK sends `[]`
            // as the body of its SSE requests.
            let bare = request::path_command(path, b"", Vec::new());
            if let Some(kind) = sse::wanted(&parts.headers, &bare) {
                return (
                    sse::open(gate.backend.client(), kind, bare, access, gate.stop.clone()).await,
                    Some(form),
                );
            }
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
                json_response(StatusCode::OK, &json::Single { reply: &r, base64 })
            }
            (None, _) => error(StatusCode::INTERNAL_SERVER_ERROR, "ERR no reply"),
        },
        Err(u) => unavailable(u),
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
            Format::Json { base64 } => json_response(
                StatusCode::OK,
                &json::Items {
                    replies: &replies,
                    base64,
                },
            ),
        },
        // A discarded transaction is one error, with 400 as for a single
        // command: a 200 with an object body would break both SDKs (§6).
        Ok(Err(e)) => error(StatusCode::BAD_REQUEST, &e),
        Err(u) => unavailable(u),
    }
}

fn unavailable(Unavailable(e): Unavailable) -> Response {
    tracing::warn!("{e}");
    error(StatusCode::SERVICE_UNAVAILABLE, &e)
}
