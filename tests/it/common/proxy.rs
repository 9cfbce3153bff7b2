//! A fault-injection TCP proxy between the client and the gateway. It reads
//! HTTP/1.1 requests one at a time from each client connection, forwards
//! them over its own connection to the gateway, and misbehaves as the
//! current [`Fault`] says. The fault can be switched at any moment; it
//! applies from the next request on.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the proxy treats the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward requests and responses unchanged.
    Pass,
    /// Forward the request at once, hold the response back this long.
    Latency(Duration),
    /// Read the request, then close the connection without forwarding it.
    Drop,
    /// Forward the request, then reset the connection (RST) instead of answering.
    Reset,
    /// Answer this HTTP status with a canned body, without forwarding.
    Status(u16),
    /// Forward the request, then send the headers and half of the body and close.
    Truncate,
    /// Forward the request, then answer with the body's first byte flipped.
    Corrupt,
}

struct Shared {
    fault: Mutex<Fault>,
    connections: AtomicU64,
    requests: AtomicU64,
    forwarded: AtomicU64,
    commands: AtomicU64,
    /// The largest response body passed back so far.
    largest: AtomicU64,
    sent: Mutex<Vec<Vec<String>>>,
}

/// A running proxy on a free loopback port; stops when dropped.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (an `http://host:port` URL).
    pub async fn start(upstream: &str) -> Proxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("the upstream is http://ip:port");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            fault: Mutex::new(Fault::Pass),
            connections: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            forwarded: AtomicU64::new(0),
            commands: AtomicU64::new(0),
            largest: AtomicU64::new(0),
            sent: Mutex::new(Vec::new()),
        });
        let for_task = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                for_task.connections.fetch_add(1, Ordering::SeqCst);
                let shared = for_task.clone();
                tokio::spawn(async move {
                    // A connection ends with an error whenever a fault ends
                    // it on purpose; there is nothing to report.
                    let _ = serve(client, upstream, &shared).await;
                });
            }
        });
        Proxy { addr, shared, task }
    }

    /// The URL the client should use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Switches the fault for the requests that follow.
    pub fn set(&self, fault: Fault) {
        *self.shared.fault.lock().unwrap_or_else(|p| p.into_inner()) = fault;
    }

    /// Client connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Requests read from clients so far.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests passed on to the gateway so far.
    pub fn forwarded(&self) -> u64 {
        self.shared.forwarded.load(Ordering::SeqCst)
    }

    /// Commands carried by the requests read so far, as Upstash bills them:
    /// one per command of a pipeline or transaction, one for any other request.
    pub fn commands(&self) -> u64 {
        self.shared.commands.load(Ordering::SeqCst)
    }

    /// The size of the largest response body passed back so far.
    pub fn largest_response(&self) -> u64 {
        self.shared.largest.load(Ordering::SeqCst)
    }

    /// The commands of every request read so far, request by request, each
    /// as its words (`["SCAN", "0", "COUNT", "100"]`; a path-form command's
    /// body is left out).
    pub fn sent(&self) -> Vec<Vec<String>> {
        self.shared
            .sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One client connection: request by request, each with the fault current
/// when it arrived.
async fn serve(mut client: TcpStream, upstream: SocketAddr, shared: &Shared) -> io::Result<()> {
    let mut from_client = Vec::new();
    let mut gateway: Option<(TcpStream, Vec<u8>)> = None;
    loop {
        let Some(request) = read_message(&mut client, &mut from_client, Side::Request).await?
        else {
            return Ok(());
        };
        shared.requests.fetch_add(1, Ordering::SeqCst);
        shared
            .commands
            .fetch_add(commands_in(&request), Ordering::SeqCst);
        shared
            .sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(words_in(&request));
        let fault = *shared.fault.lock().unwrap_or_else(|p| p.into_inner());
        match fault {
            Fault::Drop => return Ok(()),
            Fault::Status(code) => {
                client.write_all(&canned(code)).await?;
                continue;
            }
            _ => {}
        }
        let (conn, buf) = match &mut gateway {
            Some(g) => g,
            None => gateway.insert((TcpStream::connect(upstream).await?, Vec::new())),
        };
        conn.write_all(&request.bytes).await?;
        shared.forwarded.fetch_add(1, Ordering::SeqCst);
        let response = read_message(conn, buf, Side::Response)
            .await?
            .ok_or_else(|| io::Error::other("the gateway closed the connection"))?;
        shared.largest.fetch_max(
            (response.bytes.len() - response.head) as u64,
            Ordering::SeqCst,
        );
        let mut bytes = response.bytes;
        match fault {
            Fault::Latency(d) => tokio::time::sleep(d).await,
            Fault::Reset => {
                client.set_zero_linger()?;
                return Ok(());
            }
            Fault::Truncate => {
                let body = bytes.len() - response.head;
                client.write_all(&bytes[..response.head + body / 2]).await?;
                return Ok(());
            }
            Fault::Corrupt => {
                if let Some(b) = bytes.get_mut(response.head) {
                    // `{` and `[` become a byte that starts no JSON value (and no UTF-8).
                    *b ^= 0x80;
                }
            }
            Fault::Pass | Fault::Drop | Fault::Status(_) => {}
        }
        client.write_all(&bytes).await?;
    }
}

/// The commands a request carries: the length of a `/pipeline` or
/// `/multi-exec` body's array, else one.
fn commands_in(request: &Message) -> u64 {
    let path = path_of(request);
    if !(path.ends_with(b"/pipeline") || path.ends_with(b"/multi-exec")) {
        return 1;
    }
    serde_json::from_slice::<Vec<serde_json::Value>>(&request.bytes[request.head..])
        .map_or(1, |cmds| cmds.len() as u64)
}

/// The request line's path, without its query.
fn path_of(request: &Message) -> &[u8] {
    let line = request
        .bytes
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    let path = line.split(|&b| b == b' ').nth(1).unwrap_or_default();
    path.split(|&b| b == b'?').next().unwrap_or_default()
}

/// The commands a request carries, each as one string of its words.
fn words_in(request: &Message) -> Vec<String> {
    let path = String::from_utf8_lossy(path_of(request));
    let words = |v: &serde_json::Value| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|w| w.as_str().map_or_else(|| w.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    let body = serde_json::from_slice::<serde_json::Value>(&request.bytes[request.head..]);
    match body {
        Ok(v) if path.ends_with("/pipeline") || path.ends_with("/multi-exec") => v
            .as_array()
            .map(|cmds| cmds.iter().map(words).collect())
            .unwrap_or_default(),
        Ok(v) if path == "/" || path.is_empty() => vec![words(&v)],
        _ => vec![path.trim_start_matches('/').replace('/', " ")],
    }
}

#[derive(Clone, Copy)]
enum Side {
    Request,
    Response,
}

/// One whole HTTP message: its bytes and where its body starts.
struct Message {
    bytes: Vec<u8>,
    head: usize,
}

/// Reads one message framed by `Content-Length` (the client and the gateway
/// both send one); `None` when the peer closed between messages. Bytes read
/// past the message stay in `buf` for the next one.
async fn read_message(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    side: Side,
) -> io::Result<Option<Message>> {
    loop {
        if let Some((head, length)) = parse_head(buf, side)? {
            let total = head + length;
            while buf.len() < total {
                if fill(stream, buf).await? == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
            }
            let rest = buf.split_off(total);
            let bytes = std::mem::replace(buf, rest);
            return Ok(Some(Message { bytes, head }));
        }
        if fill(stream, buf).await? == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
    }
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

/// The head's length and the body's length, once the whole head has arrived.
fn parse_head(buf: &[u8], side: Side) -> io::Result<Option<(usize, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let parsed = match side {
        Side::Request => httparse::Request::new(&mut headers).parse(buf),
        Side::Response => httparse::Response::new(&mut headers).parse(buf),
    };
    let head = match parsed.map_err(io::Error::other)? {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(None),
    };
    let length = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .unwrap_or(0);
    Ok(Some((head, length)))
}

/// A response such as a load balancer or an Upstash front end would send.
fn canned(code: u16) -> Vec<u8> {
    let (reason, content_type, body) = match code {
        401 => (
            "Unauthorized",
            "application/json",
            r#"{"error":"Unauthorized"}"#,
        ),
        429 => ("Too Many Requests", "text/plain", "Too Many Requests"),
        500 => (
            "Internal Server Error",
            "text/plain",
            "Internal Server Error",
        ),
        _ => ("Error", "text/plain", "error"),
    };
    format!(
        "HTTP/1.1 {code} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
