//! `upstash-tui view KEY`: a key's value printed as the Value pane shows it,
//! for scripts and pipes, through the same engine: [`value::open`] for the
//! header and first page, [`format::render`] for every body and element.
//!
//! What it prints, and where:
//! - the header (type, TTL, length, encoding, memory, how the body was
//!   decoded) on stderr, or as the first line of stdout with `--header`;
//! - the value on stdout: a string's body, a hash's `field: value` rows, a
//!   list's `0) …` elements, a set's members, a sorted set's `score member`
//!   rows, a stream's entries; at most `--limit` rows, like the pane's page;
//! - notes (rows left out, a cut string, a format that did not apply) on stderr.
//!
//! Exit codes: 0 shown, 1 no such key, 2 anything else (connection,
//! authentication, a value the server cannot show), so a script can tell a
//! missing key from a failure.

mod print;

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use tokio::io::AsyncWriteExt as _;

use crate::redis_cli::repr;
use crate::upstash::Client;
use crate::value::format::{self, Format, Rendered};
use crate::value::page::{PageReq, Rows};
use crate::value::{self, Header, Kind, Limits, fetch};

use super::os_bytes;
use print::{Missed, Out};

/// Rows fetched per request past the first page: more than a screen, as the
/// whole `--limit` is printed at once.
const PAGE_ROWS: usize = 1000;

/// Arguments of `upstash-tui view`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The key, byte for byte as given: a binary key is `$'\xff\x01k'` in
    /// bash or zsh (no argument can hold a NUL byte); after `--` when it starts with `-`.
    #[arg(value_name = "KEY")]
    pub key: OsString,

    /// Show the value in this format instead of the one `auto` picks.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "auto",
        value_parser = PossibleValuesParser::new(Format::names()).try_map(|s| Format::parse(&s))
    )]
    pub format: Format,

    /// Print a string's exact bytes and nothing else (refused for other types).
    #[arg(long, conflicts_with_all = ["format", "header", "limit"])]
    pub raw: bool,

    /// Print the header line first on stdout instead of on stderr.
    #[arg(long)]
    pub header: bool,

    /// Rows of a hash, list, set, sorted set or stream to show [default: the
    /// Value pane's page, 200].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// The value limits from the settings (string cap, page size).
    #[arg(skip)]
    pub limits: Limits,

    /// Colour is off in the settings (the `mono` theme or `NO_COLOR`).
    #[arg(skip)]
    pub no_color: bool,
}

/// Runs `upstash-tui view` on an already configured client: exit code 0
/// when shown, 1 for a missing key, 2 with one line on stderr for a failure.
pub async fn run(client: Client, args: Args) -> ExitCode {
    match show(&client, &args).await {
        Ok(code) => code,
        // `view KEY | head` closes the pipe early: that is no failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let line = format!("{e:#}").replace(['\n', '\r'], " ");
            tracing::error!("{line}");
            eprintln!("error: {line}");
            ExitCode::from(2)
        }
    }
}

async fn show(client: &Client, args: &Args) -> anyhow::Result<ExitCode> {
    let key = os_bytes(&args.key);
    let limit = args.limit.map_or(args.limits.rows, |n| {
        usize::try_from(n).unwrap_or(usize::MAX)
    });
    let limits = Limits {
        rows: limit.min(PAGE_ROWS),
        ..args.limits.clone()
    };
    let opened = value::open(client, &key, None, &limits).await?;
    let header = opened.header;
    if header.kind == Kind::Missing {
        eprintln!("error: no such key: {}", repr(&key));
        return Ok(ExitCode::from(1));
    }
    if args.raw && header.kind != Kind::String {
        bail!(
            "--raw prints strings only; {} is a {} (try without --raw)",
            repr(&key),
            header.kind
        );
    }
    let Some(page) = opened.page else {
        bail!(
            "{} is a {}, which this tool cannot show",
            repr(&key),
            header.kind
        );
    };
    if args.raw {
        return raw(client, &key, page, &args.limits).await;
    }
    let mut rows = page.rows;
    let mut next = page.next;
    if let Rows::Unavailable(why) = &rows {
        bail!("{why}");
    }
    let cut = match &mut rows {
        Rows::Chunk { bytes, .. } => {
            string_rest(client, &key, bytes, &header, &args.limits).await?;
            None
        }
        _ => {
            while rows.len() < limit
                && let Some(req) = next.take()
            {
                let more = fetch(client, &key, &req).await?;
                rows.extend(more.rows);
                next = more.next;
            }
            Some(keep(&mut rows, limit))
        }
    };
    let color = !args.no_color && std::io::stdout().is_terminal();
    let mut out = Out::new(std::io::stdout().lock(), color);
    let cap = args.limits.decompress_cap;
    let body = match &rows {
        Rows::Chunk { bytes, .. } | Rows::Json(bytes) => {
            Some(format::render(bytes, args.format, cap))
        }
        _ => None,
    };
    let line = print::header(&header, body.as_ref(), args.format);
    // Before anything else is read: what loading the value would run.
    if let Some(warning) = body.as_ref().and_then(Rendered::warning) {
        eprintln!("warning: {warning}");
    }
    if args.header {
        out.line(&line)?;
    } else {
        eprintln!("{line}");
    }
    let missed = match &body {
        Some(r) => {
            out.body(r)?;
            Missed::default()
        }
        None => print::rows(&mut out, &rows, args.format, cap)?,
    };
    out.flush()?;
    let mut notes = notes(&header, &rows, body.as_ref(), cut, &args.limits);
    if let Some(first) = missed.first {
        notes.push(match missed.count {
            1 => format!("note: one element is shown as text or hex: {first}"),
            n => format!("note: {n} elements are shown as text or hex; the first: {first}"),
        });
    }
    for note in notes {
        eprintln!("{note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches the rest of a string after its first page, up to the string cap,
/// in ranges as large as a save's.
async fn string_rest(
    client: &Client,
    key: &[u8],
    bytes: &mut Vec<u8>,
    header: &Header,
    limits: &Limits,
) -> anyhow::Result<()> {
    let total = header.len.unwrap_or(0);
    let ranges = Limits {
        string_page: limits.save_chunk.max(1),
        ..limits.clone()
    };
    while let Some(req) = PageReq::string_more(bytes.len() as u64, total, &ranges) {
        let asked = match &req {
            PageReq::Range { len, .. } => *len,
            _ => 0,
        };
        let page = fetch(client, key, &req).await?;
        let Rows::Chunk { bytes: more, .. } = page.rows else {
            bail!("the string changed type while it was read");
        };
        // Shorter than asked: the string shrank meanwhile, and this is its end.
        let short = (more.len() as u64) < asked;
        bytes.extend(more);
        if short {
            break;
        }
    }
    Ok(())
}

/// Streams a string's exact bytes to stdout, past the string cap too: only
/// one range is in memory at a time.
async fn raw(
    client: &Client,
    key: &[u8],
    page: value::Page,
    limits: &Limits,
) -> anyhow::Result<ExitCode> {
    let mut out = tokio::io::stdout();
    let (mut rows, mut next) = (page.rows, page.next);
    loop {
        if let Rows::Chunk { bytes, .. } = &rows {
            out.write_all(bytes).await.context("writing to stdout")?;
        }
        let Some(req) = next else { break };
        let req = match req {
            PageReq::Range { offset, .. } => PageReq::Range {
                offset,
                len: limits.save_chunk.max(1),
            },
            other => other,
        };
        let page = fetch(client, key, &req).await?;
        (rows, next) = (page.rows, page.next);
    }
    out.flush().await.context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Keeps the first `limit` rows; returns how many were dropped.
fn keep(rows: &mut Rows, limit: usize) -> usize {
    fn cut<T>(v: &mut Vec<T>, limit: usize) -> usize {
        let dropped = v.len().saturating_sub(limit);
        v.truncate(limit);
        dropped
    }
    match rows {
        Rows::Fields(v) | Rows::Scored { rows: v, .. } => cut(v, limit),
        Rows::Items { items: v, .. } | Rows::Members(v) => cut(v, limit),
        Rows::Entries(v) => cut(v, limit),
        Rows::Chunk { .. } | Rows::Json(_) | Rows::Unavailable(_) => 0,
    }
}

/// What stderr says after the value: rows left out, a string cut at the
/// cap, decompression cut, a format that did not apply.
fn notes(
    header: &Header,
    rows: &Rows,
    body: Option<&Rendered>,
    cut: Option<usize>,
    limits: &Limits,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = body {
        if let Some(note) = &r.note {
            out.push(format!("note: {note}"));
        }
        if r.cut {
            out.push(format!(
                "note: decompression stopped at {}",
                value::human::bytes(limits.decompress_cap as u64)
            ));
        }
    }
    match (rows, header.len) {
        (Rows::Chunk { bytes, .. }, Some(total)) if (bytes.len() as u64) < total => {
            out.push(format!(
                "note: showing the first {} of {} (the string cap, [value] max_string_bytes); \
                 --raw prints all of it",
                value::human::bytes(bytes.len() as u64),
                value::human::bytes(total)
            ));
        }
        (Rows::Chunk { .. } | Rows::Json(_), _) => {}
        (rows, total) => {
            let shown = rows.len() as u64;
            let left = total.map_or(cut.unwrap_or(0) as u64, |t| t.saturating_sub(shown));
            if left > 0 {
                out.push(format!(
                    "note: showing {} of {} {}; {} left out (--limit N shows more)",
                    value::human::count(shown),
                    total.map_or("more".to_string(), value::human::count),
                    print::noun(&header.kind, total.unwrap_or(2)),
                    value::human::count(left)
                ));
            }
        }
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
