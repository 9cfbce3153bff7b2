//! `upstash-tui scan`: every matching key, one per line, through the same
//! scan engine as the Keys pane (without its budget).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use tokio::task::JoinHandle;

use crate::redis_cli::quote;
use crate::scan::{self, Budget, Query, Request, Scan, Status};
use crate::upstash::{Client, Error, Reply};
use crate::value::Kind;

/// Arguments of `upstash-tui scan`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Only keys matching this glob (SCAN ... MATCH).
    #[arg(long = "match", value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// Only keys of this type (string, hash, list, set, zset, stream, ReJSON-RL).
    #[arg(long = "type", value_name = "TYPE", value_parser = Kind::parse_filter)]
    pub kind: Option<Kind>,
    /// A fixed COUNT hint per request (default: 100 for the first, then
    /// growing while pages come back quick and small, up to about 1 MB a reply).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Print `key<TAB>type`.
    #[arg(long)]
    pub with_types: bool,
    /// Print one JSON object per line: {"key": ..., "type": ...}; keys that
    /// are not UTF-8 come as "key_base64".
    #[arg(long)]
    pub json: bool,
}

/// Runs `upstash-tui scan` on an already configured client.
pub async fn run(client: Client, args: Args) -> anyhow::Result<ExitCode> {
    let query = Query {
        pattern: args.pattern.clone().map(String::into_bytes),
        kind: args.kind.clone(),
        count: args.count,
    };
    let want_types = args.with_types || args.json;
    let mut scan = Scan::new(query, Budget::UNLIMITED);
    if !want_types {
        scan = scan.without_types();
    }
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    // The next page is asked for as soon as this one's cursor is known, so
    // decoding and printing a page overlaps the server's work on the next.
    let mut next = ask(&client, scan.next_request());
    while let Some((req, page)) = next.take() {
        let (replies, elapsed) = page.await?;
        let mut found = scan.apply(&req, replies, elapsed)?;
        next = ask(&client, scan.next_request());
        let missing: Vec<&[u8]> = found
            .iter()
            .filter(|f| f.kind.is_none())
            .map(|f| f.key.as_slice())
            .collect();
        if want_types && !missing.is_empty() && matches!(req, Request::Scan { .. }) {
            // The server has no WITHTYPE: one pipeline of TYPE for this page.
            let types = client.pipeline(&scan::type_commands(&missing)).await?;
            let mut types = types.into_iter();
            for f in found.iter_mut().filter(|f| f.kind.is_none()) {
                f.kind = types
                    .next()
                    .and_then(Reply::into_bytes)
                    .map(|b| scan::kind_of(&b));
            }
        }
        for f in &found {
            let written = if args.json {
                writeln!(out, "{}", json_line(&f.key, f.kind.as_ref()))
            } else if args.with_types {
                writeln!(
                    out,
                    "{}\t{}",
                    quote(&f.key),
                    f.kind.as_ref().map_or("?", Kind::name)
                )
            } else {
                writeln!(out, "{}", quote(&f.key))
            };
            if let Err(e) = written {
                return closed(e);
            }
        }
    }
    debug_assert_eq!(scan.status(), Status::Done);
    if let Err(e) = out.flush() {
        return closed(e);
    }
    Ok(ExitCode::SUCCESS)
}

/// A page in flight: the request and the task that sends it and times it.
type InFlight = (Request, JoinHandle<(Result<Vec<Reply>, Error>, Duration)>);

/// Starts sending `req`, if any, in the background.
fn ask(client: &Client, req: Option<Request>) -> Option<InFlight> {
    let req = req?;
    let (client, sent) = (client.clone(), req.clone());
    Some((
        req,
        tokio::spawn(async move { scan::send_timed(&client, &sent).await }),
    ))
}

/// A reader that went away (`| head`) ends the output quietly.
fn closed(e: io::Error) -> anyhow::Result<ExitCode> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(e.into())
    }
}

fn json_line(key: &[u8], kind: Option<&Kind>) -> String {
    let mut obj = serde_json::Map::new();
    match std::str::from_utf8(key) {
        Ok(k) => obj.insert("key".into(), k.into()),
        Err(_) => obj.insert("key_base64".into(), B64.encode(key).into()),
    };
    obj.insert(
        "type".into(),
        kind.map_or(serde_json::Value::Null, |k| k.name().into()),
    );
    serde_json::Value::Object(obj).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_redis_cli() {
        assert_eq!(quote(b"user:1"), "user:1");
        assert_eq!(quote(b"a b"), "\"a b\"");
        assert_eq!(quote(b"\xff\n\"q\""), "\"\\xff\\n\\\"q\\\"\"");
        assert_eq!(quote("café".as_bytes()), "\"caf\\xc3\\xa9\"");
        assert_eq!(quote(b""), "\"\"");
    }

    #[test]
    fn json_lines_keep_bytes() {
        assert_eq!(
            json_line(b"k", Some(&Kind::Hash)),
            r#"{"key":"k","type":"hash"}"#
        );
        assert_eq!(
            json_line(b"\xff", None),
            r#"{"key_base64":"/w==","type":null}"#
        );
    }
}
