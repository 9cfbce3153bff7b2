//! The redis-server side: one auto-reconnecting multiplexed connection for
//! single commands and pipelines (each pipeline is one round trip, plus one
//! for the types when it holds a SCAN WITHTYPE), and a
//! small pool of dedicated connections, one per open `/multi-exec`.
//!
//! Requests whose arguments are not UTF-8 go on a plain connection of their
//! own instead ([`super::raw`]): Redis echoes some arguments in its error
//! lines, and the `redis` crate drops a connection on an error line that is
//! not UTF-8, which would fail every request sharing it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::{ConnectionLike as _, ConnectionManager, MultiplexedConnection};
use redis::{AsyncConnectionConfig, Cmd, Pipeline, Value};
use tokio::sync::OnceCell;

use super::convert;
use super::error::GatewayError;
use super::policy::Step;
use super::raw;
use super::table::Table;
use super::withtype;
use crate::upstash::Reply;

/// Idle transaction connections kept for reuse.
const POOL_SIZE: usize = 8;
/// How long to wait for redis-server to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a reply may take (generous: large pipelines and scripts).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);

/// Connections to redis-server and what the gateway caches about it.
pub struct Backend {
    client: redis::Client,
    shared: ConnectionManager,
    idle: Mutex<Vec<MultiplexedConnection>>,
    table: OnceCell<Arc<Table>>,
    scan_sha: OnceCell<String>,
}

impl Backend {
    /// Prepares the connections; nothing is dialled until the first request,
    /// so the gateway starts (and later recovers) while redis-server is down.
    pub fn new(redis_url: &str) -> anyhow::Result<Backend> {
        let client = redis::Client::open(redis_url)
            .map_err(|e| anyhow::anyhow!("invalid redis URL: {e}"))?;
        let cfg = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let shared = ConnectionManager::new_lazy_with_config(client.clone(), cfg)
            .map_err(|e| anyhow::anyhow!("preparing the redis connection: {e}"))?;
        Ok(Backend {
            client,
            shared,
            idle: Mutex::new(Vec::new()),
            table: OnceCell::new(),
            scan_sha: OnceCell::new(),
        })
    }

    /// The redis client, for streams that need a connection of their own.
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// The server's command table, read once with `COMMAND`.
    pub async fn table(&self) -> Result<Arc<Table>, GatewayError> {
        self.table
            .get_or_try_init(|| async {
                let v = self
                    .shared
                    .clone()
                    .req_packed_command(&redis::cmd("COMMAND"))
                    .await?;
                let t = Table::from_command_reply(&v);
                if t.is_empty() {
                    return Err(GatewayError::Unavailable(
                        "ERR redis-server did not list its commands".into(),
                    ));
                }
                Ok(Arc::new(t))
            })
            .await
            .cloned()
    }

    async fn scan_sha(&self) -> Result<String, GatewayError> {
        self.scan_sha
            .get_or_try_init(|| async {
                let load = redis::cmd("SCRIPT")
                    .arg("LOAD")
                    .arg(withtype::SCRIPT)
                    .clone();
                match self.shared.clone().req_packed_command(&load).await? {
                    Value::BulkString(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
                    other => Err(GatewayError::Unavailable(format!(
                        "ERR redis-server refused the WITHTYPE script: {:?}",
                        convert::reply(other)
                    ))),
                }
            })
            .await
            .cloned()
    }

    /// Runs the steps as one pipeline on the shared connection, keeping each
    /// command's own error; a SCAN WITHTYPE adds one pipeline of TYPE.
    pub async fn pipeline(&self, steps: Vec<Step>) -> Result<Vec<Reply>, GatewayError> {
        // Only the path form carries bytes that are not UTF-8 (JSON bodies
        // are text), and it holds one command: never both that and a SCAN
        // WITHTYPE, whose types take a second round trip below.
        let binary = steps
            .iter()
            .any(|s| matches!(s, Step::Send(cmd) if !is_text(cmd)));
        let mut pipe = redis::pipe();
        let mut slots = Vec::with_capacity(steps.len());
        // Positions among the remote replies of each SCAN WITHTYPE.
        let mut scans = Vec::new();
        for step in steps {
            slots.push(match step {
                Step::Answer(r) => Slot::Local(r),
                Step::Send(cmd) => {
                    pipe.add_command(to_cmd(&cmd));
                    Slot::Remote
                }
                Step::ScanWithTypes(args) => {
                    pipe.add_command(withtype::scan(&args));
                    scans.push(pipe.len() - 1);
                    Slot::Remote
                }
            });
        }
        if binary && scans.is_empty() {
            let replies = self.send_raw(&pipe).await?;
            return Ok(merge(slots, replies));
        }
        let mut replies = send(&mut self.shared.clone(), &pipe).await?;
        if !scans.is_empty() {
            let types = withtype::type_pipeline(&replies, &scans);
            let types = send(&mut self.shared.clone(), &types).await?;
            withtype::attach(&mut replies, &scans, types);
        }
        Ok(merge(slots, replies))
    }

    /// Sends a pipeline on a plain connection of its own, whose reader takes
    /// error lines that are not UTF-8; through the `redis` crate on a
    /// dedicated connection where that path cannot dial (TLS).
    async fn send_raw(&self, pipe: &Pipeline) -> Result<Vec<Reply>, GatewayError> {
        let info = self.client.get_connection_info();
        let packed = pipe.get_packed_pipeline();
        if let Some(r) = raw::send(info, &packed, pipe.len(), RESPONSE_TIMEOUT).await {
            return r;
        }
        let mut conn = self.dedicated().await?;
        let replies = send(&mut conn, pipe).await?;
        self.release(conn);
        Ok(replies)
    }

    /// Runs the steps as `MULTI ... EXEC` on a connection of its own; a
    /// transaction discarded as a whole (a refused command, a queue-time
    /// error such as `EXECABORT ...`) is [`GatewayError::Discarded`].
    pub async fn transaction(&self, steps: Vec<Step>) -> Result<Vec<Reply>, GatewayError> {
        let mut pipe = redis::pipe();
        let mut slots = Vec::with_capacity(steps.len());
        let with_scan = steps.iter().any(|s| matches!(s, Step::ScanWithTypes(_)));
        if with_scan {
            // Loaded in the same round trip, so EVALSHA cannot miss inside EXEC.
            pipe.cmd("SCRIPT").arg("LOAD").arg(withtype::SCRIPT);
        }
        pipe.cmd("MULTI");
        for step in steps {
            slots.push(match step {
                Step::Answer(Reply::Error(e)) => return Err(GatewayError::Discarded(e)),
                Step::Answer(r) => Slot::Local(r),
                Step::Send(cmd) => {
                    pipe.add_command(to_cmd(&cmd));
                    Slot::Remote
                }
                Step::ScanWithTypes(args) => {
                    pipe.add_command(evalsha(&self.scan_sha().await?, &args));
                    Slot::Remote
                }
            });
        }
        pipe.cmd("EXEC");
        // Bodies of /multi-exec are JSON, so their arguments are UTF-8.
        self.exec_on_pool(pipe, slots).await
    }

    /// Sends a `MULTI ... EXEC` pipeline on a pooled connection.
    async fn exec_on_pool(
        &self,
        pipe: Pipeline,
        slots: Vec<Slot>,
    ) -> Result<Vec<Reply>, GatewayError> {
        let mut conn = self.dedicated().await?;
        let replies = match send(&mut conn, &pipe).await {
            Ok(r) => r,
            Err(e) => {
                // Not retried: EXEC may have run. The idle connections most
                // likely died with this one (redis-server restarted), so
                // they are dropped too and the next transaction dials anew.
                if let Ok(mut idle) = self.idle.lock() {
                    idle.clear();
                }
                return Err(e);
            }
        };
        // EXEC answered, so the connection is out of MULTI: safe to reuse.
        self.release(conn);
        exec_result(slots, replies)
    }

    async fn dedicated(&self) -> Result<MultiplexedConnection, GatewayError> {
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        if let Some(conn) = pooled {
            return Ok(conn);
        }
        let cfg = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        Ok(self
            .client
            .get_multiplexed_async_connection_with_config(&cfg)
            .await?)
    }

    fn release(&self, conn: MultiplexedConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_SIZE
        {
            idle.push(conn);
        }
    }
}

/// Where one command's reply comes from.
enum Slot {
    Local(Reply),
    Remote,
}

/// Puts local answers and redis-server's replies back in request order.
fn merge(slots: Vec<Slot>, remote: Vec<Reply>) -> Vec<Reply> {
    let mut remote = remote.into_iter();
    slots
        .into_iter()
        .map(|s| match s {
            Slot::Local(r) => r,
            Slot::Remote => remote
                .next()
                .unwrap_or_else(|| Reply::Error("ERR missing reply from redis-server".into())),
        })
        .collect()
}

/// Sends a pipeline and reads one reply per command.
async fn send(
    conn: &mut impl redis::aio::ConnectionLike,
    pipe: &Pipeline,
) -> Result<Vec<Reply>, GatewayError> {
    let count = pipe.len();
    if count == 0 {
        return Ok(Vec::new());
    }
    let values = conn.req_packed_commands(pipe, 0, count).await?;
    if values.len() != count {
        return Err(GatewayError::Unavailable(format!(
            "ERR redis-server sent {} replies for {count} commands",
            values.len()
        )));
    }
    Ok(values.into_iter().map(convert::reply).collect())
}

/// The outcome of a `MULTI ... EXEC` pipeline, from EXEC's reply.
fn exec_result(slots: Vec<Slot>, replies: Vec<Reply>) -> Result<Vec<Reply>, GatewayError> {
    match replies.into_iter().last() {
        Some(Reply::Array(items)) => Ok(merge(slots, items)),
        Some(Reply::Error(e)) => Err(GatewayError::Discarded(e)),
        _ => Err(GatewayError::Discarded(
            "EXECABORT Transaction discarded".into(),
        )),
    }
}

/// Whether every argument is UTF-8, so no error line can echo other bytes.
fn is_text(cmd: &[Vec<u8>]) -> bool {
    cmd.iter().all(|a| std::str::from_utf8(a).is_ok())
}

fn to_cmd(args: &[Vec<u8>]) -> Cmd {
    let mut c = Cmd::new();
    for a in args {
        c.arg(a.as_slice());
    }
    c
}

fn evalsha(sha: &str, args: &[Vec<u8>]) -> Cmd {
    let mut c = redis::cmd("EVALSHA");
    c.arg(sha).arg(0);
    for a in args {
        c.arg(a.as_slice());
    }
    c
}
