//! The scan engine: a UI-free state machine over `SCAN`, shared by the Keys
//! pane and `upstash-tui scan`.
//!
//! The engine never touches the network itself. [`Scan::next_request`] says
//! what to send, the caller sends it (see [`send_timed`]) and hands the
//! replies back to [`Scan::apply`] with the time they took, which returns the
//! new keys and sizes the next page from this one ([`Pace`]). This keeps the
//! TUI's update loop synchronous and lets the CLI drive the same code in a
//! plain loop.

mod pace;

use std::hash::{BuildHasherDefault, Hasher};
use std::time::Duration;

use hashbrown::HashSet;

pub use pace::{COUNT_FIRST, COUNT_MAX, COUNT_MIN, GROWTH, PAGE_BYTES, PAGE_WORK, Pace, Page};

use crate::upstash::{Client, Cmd, Error, Reply, cmd};
use crate::value::Kind;

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// A glob for `MATCH`; `None` or `*` scans everything.
    pub pattern: Option<Vec<u8>>,
    /// Only keys of this type (`SCAN ... TYPE`).
    pub kind: Option<Kind>,
    /// A fixed COUNT hint instead of the adaptive one ([`Pace`]).
    pub count: Option<u64>,
}

/// When a scan pauses by itself; continuing adds the same amount again.
///
/// The keys budget is a bound, not a target: a page never asks for more
/// keys than the budget has left, however far COUNT has grown, so a
/// budgeted scan examines at most `keys` keys per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Keys examined (the sum of COUNT hints sent) at most before pausing.
    pub keys: u64,
    /// Requests sent before pausing.
    pub requests: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            keys: 10_000,
            requests: 20,
        }
    }
}

impl Budget {
    /// No limit: the scan runs to the end.
    pub const UNLIMITED: Budget = Budget {
        keys: u64::MAX,
        requests: u64::MAX,
    };
}

/// One key found, with its type when the server told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub key: Vec<u8>,
    pub kind: Option<Kind>,
}

/// One request the caller should send: a single command or a pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A `SCAN` command (sent with [`Client::command`]).
    Scan { cmd: Cmd, with_type: bool },
    /// `EXISTS` and `TYPE` for a pattern without glob characters (a pipeline).
    Lookup { key: Vec<u8>, cmds: Vec<Cmd> },
}

/// Where a scan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// More pages to fetch within the budget.
    Running,
    /// The budget is spent; [`Scan::extend`] continues.
    Paused,
    /// The cursor came back to 0 (or the direct lookup answered).
    Done,
}

/// Whether the server accepts Upstash's `SCAN ... WITHTYPE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WithType {
    Unknown,
    Yes,
    No,
}

/// A running scan: cursor, budget, counters and the set of keys already seen.
#[derive(Debug)]
pub struct Scan {
    query: Query,
    literal: Option<Vec<u8>>,
    cursor: Vec<u8>,
    with_type: WithType,
    pace: Pace,
    budget: Budget,
    limit: Budget,
    examined: u64,
    requests: u64,
    found: u64,
    done: bool,
    seen: HashSet<u128, BuildHasherDefault<Folded>>,
    seed: u64,
}

impl Scan {
    /// Starts a scan for `query`, pausing every `budget`; WITHTYPE is tried first.
    pub fn new(query: Query, budget: Budget) -> Scan {
        let literal = query.pattern.as_deref().and_then(literal_of);
        Scan {
            query,
            literal,
            cursor: b"0".to_vec(),
            with_type: WithType::Unknown,
            pace: Pace::default(),
            budget,
            limit: budget,
            examined: 0,
            requests: 0,
            found: 0,
            done: false,
            seen: HashSet::default(),
            seed: rand::random(),
        }
    }

    /// Tells the engine the server is known not to accept WITHTYPE.
    pub fn without_types(mut self) -> Scan {
        self.with_type = WithType::No;
        self
    }

    /// The query this scan answers.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Whether the server answered WITHTYPE (`Some(false)` after a rejection).
    pub fn server_types(&self) -> Option<bool> {
        match self.with_type {
            WithType::Unknown => None,
            WithType::Yes => Some(true),
            WithType::No => Some(false),
        }
    }

    /// Where the scan stands.
    pub fn status(&self) -> Status {
        if self.done {
            Status::Done
        } else if self.examined >= self.limit.keys || self.requests >= self.limit.requests {
            Status::Paused
        } else {
            Status::Running
        }
    }

    /// Keys examined so far: the sum of the COUNT hints sent (Redis examines
    /// about that many entries per call, matching or not).
    pub fn examined(&self) -> u64 {
        self.examined
    }

    /// Requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Distinct keys found so far.
    pub fn found(&self) -> u64 {
        self.found
    }

    /// About how many requests examine `keys` more keys from here: at the
    /// fixed COUNT, or as the pace would grow if pages stay quick and small.
    pub fn requests_for(&self, keys: u64) -> u64 {
        match self.query.count {
            Some(n) => keys.div_ceil(n.max(1)),
            None => self.pace.pages_for(keys),
        }
    }

    /// Grants one more budget window to a paused scan.
    pub fn extend(&mut self) {
        self.limit.keys = self.examined.saturating_add(self.budget.keys);
        self.limit.requests = self.requests.saturating_add(self.budget.requests);
    }

    /// Lifts the budget: the scan runs to the end unless paused.
    pub fn unlimited(&mut self) {
        self.limit = Budget::UNLIMITED;
    }

    /// Pauses where the scan stands; [`Scan::extend`] resumes it.
    pub fn pause(&mut self) {
        self.limit = Budget {
            keys: self.examined,
            requests: self.requests,
        };
    }

    /// The next request to send, or `None` when done or paused.
    pub fn next_request(&self) -> Option<Request> {
        if self.status() != Status::Running {
            return None;
        }
        if let Some(key) = &self.literal {
            return Some(Request::Lookup {
                key: key.clone(),
                cmds: vec![cmd([&b"EXISTS"[..], key]), cmd([&b"TYPE"[..], key])],
            });
        }
        let count = self.count().to_string();
        let mut c = cmd(["SCAN".as_bytes(), &self.cursor]);
        if let Some(p) = self.query.pattern.as_deref().filter(|p| *p != b"*") {
            c.push(b"MATCH".to_vec());
            c.push(p.to_vec());
        }
        c.push(b"COUNT".to_vec());
        c.push(count.into_bytes());
        if let Some(kind) = &self.query.kind {
            c.push(b"TYPE".to_vec());
            c.push(kind.name().as_bytes().to_vec());
        }
        let with_type = self.with_type != WithType::No;
        if with_type {
            c.push(b"WITHTYPE".to_vec());
        }
        Some(Request::Scan { cmd: c, with_type })
    }

    /// The COUNT of the next page: the fixed one, or the pace's within
    /// what the keys budget has left.
    fn count(&self) -> u64 {
        match self.query.count {
            Some(n) => n.max(1),
            None => {
                let left = self.limit.keys.saturating_sub(self.examined);
                self.pace.count().min(left).max(1)
            }
        }
    }

    /// Takes the replies to `req`, which took `elapsed` from sending to
    /// answer, and returns the keys not seen before; the page's size and
    /// time set the next page's COUNT.
    ///
    /// A first WITHTYPE request that the server refuses as a command is
    /// taken as the server rejecting the extension: the engine switches to
    /// plain SCAN and the same cursor is asked again (nothing is lost; the
    /// caller just sends the next request). A failure of the network or the
    /// server says nothing about WITHTYPE and is returned.
    pub fn apply(
        &mut self,
        req: &Request,
        replies: Result<Vec<Reply>, Error>,
        elapsed: Duration,
    ) -> Result<Vec<Found>, Error> {
        match req {
            Request::Lookup { key, .. } => {
                let replies = replies?;
                self.requests += 1;
                self.examined += 1;
                self.done = true;
                let exists = replies.first().and_then(Reply::as_int).unwrap_or(0) > 0;
                let kind = replies.get(1).and_then(Reply::as_str).map(Kind::parse);
                let wanted = match (&self.query.kind, &kind) {
                    (Some(want), Some(got)) => want == got,
                    _ => true,
                };
                if !exists || !wanted {
                    return Ok(Vec::new());
                }
                self.found += 1;
                Ok(vec![Found {
                    key: key.clone(),
                    kind,
                }])
            }
            Request::Scan { cmd, with_type } => {
                let count = count_of(cmd).unwrap_or_else(|| self.count());
                let adaptive = self.query.count.is_none();
                let reply = match replies.map(|mut r| r.pop()) {
                    Ok(Some(r)) => r,
                    Ok(None) => return Err(protocol("an empty reply to SCAN")),
                    Err(e)
                        if *with_type
                            && self.with_type == WithType::Unknown
                            && rejects_withtype(&e) =>
                    {
                        tracing::debug!("SCAN WITHTYPE rejected ({e}); falling back to TYPE");
                        self.with_type = WithType::No;
                        return Ok(Vec::new());
                    }
                    // A reply over the plan's size limit: the same cursor
                    // is asked again for fewer keys (a read, safe to repeat).
                    Err(e) if adaptive && too_large(&e) && count > COUNT_MIN => {
                        tracing::debug!("a SCAN page of COUNT {count} was too large ({e})");
                        self.pace.too_large(count);
                        return Ok(Vec::new());
                    }
                    Err(e) => {
                        // No reply in time: the page that is asked again is
                        // smaller, as after a slow one.
                        if adaptive && e == Error::Timeout {
                            self.pace.timed_out(count, elapsed);
                        }
                        return Err(e);
                    }
                };
                let (cursor, items) = split_page(reply)?;
                self.requests += 1;
                self.examined = self.examined.saturating_add(count);
                if *with_type {
                    self.with_type = WithType::Yes;
                }
                let bytes = items
                    .iter()
                    .map(|r| r.as_bytes().map_or(0, |b| pace::wire_len(b.len())))
                    .sum::<u64>()
                    + pace::wire_len(cursor.len());
                self.pace.record(Page {
                    count,
                    bytes,
                    elapsed,
                });
                let mut out = Vec::new();
                let mut items = items.into_iter();
                while let Some(key) = items.next() {
                    let key = key
                        .into_bytes()
                        .ok_or_else(|| protocol("a SCAN key that is not a string"))?;
                    let kind = if *with_type {
                        items
                            .next()
                            .and_then(Reply::into_bytes)
                            .map(|b| kind_of(&b))
                    } else {
                        self.query.kind.clone()
                    };
                    if self.seen.insert(self.fingerprint(&key)) {
                        self.found += 1;
                        out.push(Found { key, kind });
                    }
                }
                self.done = cursor == b"0";
                self.cursor = cursor;
                Ok(out)
            }
        }
    }

    /// Marks `key` as listed already (written from the TUI), so a later page
    /// that returns it does not list it twice.
    pub fn remember(&mut self, key: &[u8]) {
        let print = self.fingerprint(key);
        self.seen.insert(print);
    }

    /// A 128-bit fingerprint with this scan's random seed: collisions are
    /// negligible even for hundreds of millions of keys, at 16 bytes each.
    fn fingerprint(&self, key: &[u8]) -> u128 {
        xxhash_rust::xxh3::xxh3_128_with_seed(key, self.seed)
    }
}

/// Hashes a fingerprint by folding its two halves: it is already the output
/// of a seeded hash, so hashing it again (the set's default) only costs time,
/// which was a third of `upstash-tui scan`'s CPU on a million keys.
#[derive(Default)]
struct Folded(u64);

impl Hasher for Folded {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, v: u128) {
        self.0 ^= (v as u64) ^ ((v >> 64) as u64);
    }
}

/// Sends `req` on `client`: one HTTP request either way.
pub async fn send(client: &Client, req: &Request) -> Result<Vec<Reply>, Error> {
    match req {
        Request::Scan { cmd, .. } => client.command(cmd).await.map(|r| vec![r]),
        Request::Lookup { cmds, .. } => client.pipeline(cmds).await,
    }
}

/// Sends `req` on `client` and says how long the reply took.
pub async fn send_timed(client: &Client, req: &Request) -> (Result<Vec<Reply>, Error>, Duration) {
    let sent = std::time::Instant::now();
    let replies = send(client, req).await;
    (replies, sent.elapsed())
}

/// The commands that fetch the types of `keys` when the server has no WITHTYPE.
pub fn type_commands<K: AsRef<[u8]>>(keys: &[K]) -> Vec<Cmd> {
    keys.iter()
        .map(|k| cmd([&b"TYPE"[..], k.as_ref()]))
        .collect()
}

/// The COUNT hint a SCAN command carries: its options come in pairs after
/// the cursor (a MATCH pattern may itself read `COUNT`), WITHTYPE last.
fn count_of(cmd: &Cmd) -> Option<u64> {
    let value = cmd
        .get(2..)?
        .chunks(2)
        .find(|pair| pair[0].eq_ignore_ascii_case(b"COUNT"))?
        .get(1)?;
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// Appends `bytes` to the glob `out` so that they match literally: `*`,
/// `?`, `[`, `]` and `\` escaped with a backslash. The inverse of
/// [`literal_of`].
pub fn push_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        if matches!(b, b'*' | b'?' | b'[' | b']' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
}

/// The key a glob matches literally, when it has no unescaped `*`, `?` or `[`.
pub fn literal_of(pattern: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut bytes = pattern.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'*' | b'?' | b'[' => return None,
            b'\\' => out.push(*bytes.next()?),
            _ => out.push(b),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a failed first WITHTYPE request is the server refusing the
/// option, rather than the network, the server or the token failing.
fn rejects_withtype(e: &Error) -> bool {
    matches!(
        e,
        Error::Command(_)
            | Error::Other(_)
            | Error::Protocol(_)
            | Error::Http {
                status: 400..=499,
                ..
            }
    )
}

/// Whether a failed page was refused for the size of its reply.
fn too_large(e: &Error) -> bool {
    matches!(e, Error::Limit { text, .. } if text.starts_with("ERR max request size exceeded"))
}

/// The cursor and the items of a SCAN reply.
pub(crate) fn split_page(reply: Reply) -> Result<(Vec<u8>, Vec<Reply>), Error> {
    let mut parts = reply
        .into_array()
        .filter(|a| a.len() == 2)
        .ok_or_else(|| protocol("a SCAN reply that is not [cursor, keys]"))?;
    let items = parts
        .pop()
        .and_then(Reply::into_array)
        .ok_or_else(|| protocol("a SCAN reply without a key list"))?;
    let cursor = parts
        .pop()
        .and_then(Reply::into_bytes)
        .ok_or_else(|| protocol("a SCAN reply without a cursor"))?;
    Ok((cursor, items))
}

/// The type a TYPE reply (or WITHTYPE's) names.
pub fn kind_of(name: &[u8]) -> Kind {
    Kind::parse(&String::from_utf8_lossy(name))
}

fn protocol(what: &str) -> Error {
    Error::Other(format!("unexpected reply: {what}"))
}
