//! One command on a plain RESP2 connection of its own, read by a parser
//! that takes status and error lines as bytes.
//!
//! Only for commands whose arguments are not UTF-8. Redis echoes some
//! arguments in its error lines (`ERR Unsupported option \xa0`), and the
//! `redis` crate cannot read a line that is not UTF-8: it drops the
//! connection, which fails every request sharing it and says nothing of
//! why. Here such a line is read lossily, as Upstash shows it.

use std::time::Duration;

use redis::{ConnectionAddr, ConnectionInfo};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::error::GatewayError;
use crate::upstash::Reply;

/// Arrays nested deeper than this are refused (Redis never sends them).
const MAX_DEPTH: usize = 64;

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Sends `count` packed commands on a new connection and reads their
/// replies; `None` when the address is one this path does not dial (TLS),
/// so the caller uses the `redis` crate instead.
pub async fn send(
    info: &ConnectionInfo,
    packed: &[u8],
    count: usize,
    timeout: Duration,
) -> Option<Result<Vec<Reply>, GatewayError>> {
    let dial = async {
        let stream: Box<dyn Stream> = match info.addr() {
            ConnectionAddr::Tcp(host, port) => {
                let s = tokio::net::TcpStream::connect((host.as_str(), *port)).await?;
                s.set_nodelay(true)?;
                Box::new(s)
            }
            ConnectionAddr::Unix(path) => Box::new(tokio::net::UnixStream::connect(path).await?),
            _ => return Ok(None),
        };
        Ok::<_, std::io::Error>(Some(stream))
    };
    let timed_out =
        || GatewayError::Unavailable("ERR redis-server is unavailable: timed out".into());
    let stream = match tokio::time::timeout(timeout, dial).await {
        Ok(Ok(Some(s))) => s,
        Ok(Ok(None)) => return None,
        Ok(Err(e)) => return Some(Err(unavailable(&e))),
        Err(_) => return Some(Err(timed_out())),
    };
    Some(
        tokio::time::timeout(timeout, exchange(stream, info, packed, count))
            .await
            .unwrap_or_else(|_| Err(timed_out())),
    )
}

fn unavailable(e: &std::io::Error) -> GatewayError {
    GatewayError::Unavailable(format!("ERR redis-server is unavailable: {e}"))
}

/// Authenticates and selects the database as the URL says, then runs the
/// commands, all in one write.
async fn exchange(
    mut stream: Box<dyn Stream>,
    info: &ConnectionInfo,
    packed: &[u8],
    count: usize,
) -> Result<Vec<Reply>, GatewayError> {
    let settings = info.redis_settings();
    let mut out = Vec::new();
    let mut preamble = 0;
    if let Some(password) = settings.password() {
        let mut auth = redis::cmd("AUTH");
        if let Some(user) = settings.username() {
            auth.arg(user);
        }
        auth.arg(password);
        auth.write_packed_command(&mut out);
        preamble += 1;
    }
    if settings.db() != 0 {
        redis::cmd("SELECT")
            .arg(settings.db())
            .write_packed_command(&mut out);
        preamble += 1;
    }
    out.extend_from_slice(packed);
    stream.write_all(&out).await.map_err(|e| unavailable(&e))?;

    let mut buf = Vec::with_capacity(4096);
    let mut replies = Vec::with_capacity(preamble + count);
    let mut parser = Parser::default();
    while replies.len() < preamble + count {
        match parser.feed(&buf) {
            Ok(Some((reply, used))) => {
                buf.drain(..used);
                replies.push(reply);
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                return Err(GatewayError::Unavailable(format!(
                    "ERR redis-server sent {e}"
                )));
            }
        }
        let mut chunk = [0u8; 64 * 1024];
        let n = stream.read(&mut chunk).await.map_err(|e| unavailable(&e))?;
        if n == 0 {
            return Err(GatewayError::Unavailable(
                "ERR redis-server is unavailable: it closed the connection".into(),
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let answers = replies.split_off(preamble);
    // A refused AUTH or SELECT is the gateway's configuration, not the caller's.
    if let Some(Reply::Error(e)) = replies.iter().find(|r| matches!(r, Reply::Error(_))) {
        return Err(GatewayError::Unavailable(format!(
            "ERR redis-server refused the gateway's connection: {e}"
        )));
    }
    Ok(answers)
}

/// A RESP2 reader that resumes where it stopped, so a large reply arriving
/// in many reads is walked once.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes of `buf` already taken.
    pos: usize,
    /// Arrays being filled, with the number of items each still needs.
    open: Vec<(Vec<Reply>, usize)>,
}

impl Parser {
    /// Takes what it can from `buf` (all bytes received so far): the reply
    /// once it is whole, with the bytes it took, `None` while more are
    /// needed, or what is wrong with the bytes.
    pub fn feed(&mut self, buf: &[u8]) -> Result<Option<(Reply, usize)>, String> {
        loop {
            let Some((mut item, used)) = element(&buf[self.pos..])? else {
                return Ok(None);
            };
            self.pos += used;
            if let Element::Open(n) = item {
                if self.open.len() >= MAX_DEPTH {
                    return Err("arrays nested too deeply".into());
                }
                self.open.push((Vec::with_capacity(n.min(1024)), n));
                item = Element::Done(None);
            }
            let mut done = match item {
                Element::Done(Some(r)) => Some(r),
                _ => None,
            };
            // Close every array this item (or an empty array) completes.
            while let Some((items, left)) = self.open.last_mut() {
                if let Some(r) = done.take() {
                    items.push(r);
                    *left -= 1;
                }
                if *left > 0 {
                    break;
                }
                let (items, _) = self.open.pop().unwrap_or_default();
                done = Some(Reply::Array(items));
            }
            if self.open.is_empty()
                && let Some(r) = done
            {
                let used = std::mem::take(&mut self.pos);
                return Ok(Some((r, used)));
            }
        }
    }
}

/// One element at the start of `buf`.
enum Element {
    /// A whole value (`None`: an array was opened in its place).
    Done(Option<Reply>),
    /// An array of this many items follows.
    Open(usize),
}

fn element(buf: &[u8]) -> Result<Option<(Element, usize)>, String> {
    let Some(end) = buf.windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    let Some((&kind, line)) = buf[..end].split_first() else {
        return Err("an empty line".into());
    };
    let after = end + 2;
    let text = || String::from_utf8_lossy(line).into_owned();
    let number = || {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| format!("a bad length or number {:?}", text()))
    };
    let done = |r: Reply, used: usize| Ok(Some((Element::Done(Some(r)), used)));
    match kind {
        b'+' => done(Reply::Status(text()), after),
        b'-' => done(Reply::Error(text()), after),
        b':' => done(Reply::Int(number()?), after),
        b'$' => {
            let n = number()?;
            if n < 0 {
                return done(Reply::Nil, after);
            }
            let n = n as usize;
            if buf.len() < after + n + 2 {
                return Ok(None);
            }
            if &buf[after + n..after + n + 2] != b"\r\n" {
                return Err("a bulk string without its line end".into());
            }
            done(Reply::Bytes(buf[after..after + n].to_vec()), after + n + 2)
        }
        b'*' => match number()? {
            n if n < 0 => done(Reply::Nil, after),
            0 => done(Reply::Array(Vec::new()), after),
            n => Ok(Some((Element::Open(n as usize), after))),
        },
        other => Err(format!("an unknown reply type {:?}", other as char)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_resp2_reply_and_lines_that_are_not_utf8() {
        let all = b"*6\r\n+OK\r\n-ERR Unsupported option \xa0\r\n:-3\r\n$3\r\na\r\n\r\n$-1\r\n*1\r\n$0\r\n\r\nrest";
        let (reply, used) = Parser::default().feed(all).unwrap().unwrap();
        assert_eq!(&all[used..], b"rest");
        assert_eq!(
            reply,
            Reply::Array(vec![
                Reply::Status("OK".into()),
                Reply::Error("ERR Unsupported option \u{fffd}".into()),
                Reply::Int(-3),
                Reply::Bytes(b"a\r\n".to_vec()),
                Reply::Nil,
                Reply::Array(vec![Reply::Bytes(Vec::new())]),
            ])
        );
    }

    #[test]
    fn asks_for_more_until_a_reply_is_whole() {
        let all = b"*2\r\n$5\r\nhello\r\n:1\r\n";
        // Fed byte by byte, as reads may split it anywhere.
        let mut p = Parser::default();
        for cut in 0..all.len() {
            assert_eq!(p.feed(&all[..cut]), Ok(None), "cut at {cut}");
        }
        let (reply, used) = p.feed(all).unwrap().unwrap();
        assert_eq!(used, all.len());
        assert_eq!(
            reply,
            Reply::Array(vec![Reply::Bytes(b"hello".to_vec()), Reply::Int(1)])
        );
        // Empty and nested arrays close their parents.
        let (r, _) = Parser::default()
            .feed(b"*2\r\n*0\r\n*1\r\n*0\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            r,
            Reply::Array(vec![
                Reply::Array(vec![]),
                Reply::Array(vec![Reply::Array(vec![])])
            ])
        );
    }

    #[test]
    fn refuses_what_is_not_resp2() {
        let bad = |b: &[u8]| Parser::default().feed(b).is_err();
        assert!(bad(b"?x\r\n"));
        assert!(bad(b":12a\r\n"));
        assert!(bad(b"$2\r\nabcd\r\n"));
        assert!(bad(b"\r\n"));
        assert!(bad("*1\r\n".repeat(MAX_DEPTH + 2).as_bytes()));
    }
}
