//! Recognisers: what an application wrote, told from key names as the Keys
//! pane meets them, with no scan of their own.
//!
//! Every key the Keys pane lists (a scan page, a direct lookup, a key created
//! from the TUI) is offered to every recogniser through
//! [`Recognisers::offer`], at no cost in commands. What names alone cannot
//! tell (the queues a binding set routes to, whether a default name exists on
//! a database too big to scan) a recogniser asks for as reads, and
//! [`Recognisers::reads`] gathers every recogniser's into one pipeline, one at
//! a time. A system is one module with its key layout documented at its top;
//! it plugs in by implementing [`Recogniser`] and being listed in
//! [`Recognisers::new`].

pub mod celery;
pub mod page;
pub mod sweep;

use std::fmt;

use crate::upstash::{Client, Cmd, Error, Reply};

/// A key as the Keys pane met it: its name, and its type when the server
/// said (`list`, `set`, ... as `TYPE` names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'a> {
    pub key: &'a [u8],
    pub kind: Option<&'a str>,
}

/// A key worth watching, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The system that wrote it (`Celery`).
    pub system: &'static str,
    pub key: Vec<u8>,
    pub why: String,
}

/// One application's recogniser.
pub trait Recogniser: fmt::Debug + Send {
    /// Looks at one key the Keys pane met; costs nothing.
    fn offer(&mut self, seen: Seen<'_>);

    /// The reads it wants sent now, handed over once: they come back through
    /// [`Recogniser::answered`].
    fn reads(&mut self) -> Vec<Cmd>;

    /// The replies to reads it handed over, in their order, or the failure of
    /// the request that carried them (they may then be asked again).
    fn answered(&mut self, cmds: Vec<Cmd>, replies: Result<Vec<Reply>, &Error>);

    /// The keys worth watching, in a stable order.
    fn suggestions(&self) -> Vec<Suggestion>;
}

/// Reads gathered from every recogniser, sent as one pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reads {
    pub cmds: Vec<Cmd>,
    /// How many of `cmds` each recogniser asked for, in order.
    split: Vec<usize>,
}

/// A command as one line of its words, bytes escaped as the logs show them.
pub fn words(cmd: &Cmd) -> String {
    cmd.iter()
        .map(|w| w.escape_ascii().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every recogniser, and whether their reads are in flight.
#[derive(Debug)]
pub struct Recognisers {
    all: Vec<Box<dyn Recogniser>>,
    asking: bool,
}

impl Default for Recognisers {
    fn default() -> Self {
        Self::new()
    }
}

impl Recognisers {
    /// Every known recogniser, each with its start-up checks of default names
    /// waiting as reads.
    pub fn new() -> Recognisers {
        Recognisers {
            all: vec![Box::new(celery::Celery::new())],
            asking: false,
        }
    }

    /// Offers keys to every recogniser; costs nothing.
    pub fn offer<'a>(&mut self, keys: impl IntoIterator<Item = Seen<'a>>) {
        for seen in keys {
            for r in &mut self.all {
                r.offer(seen);
            }
        }
    }

    /// One pipeline of every recogniser's waiting reads; `None` while one is
    /// in flight or when nothing waits.
    pub fn reads(&mut self) -> Option<Reads> {
        if self.asking {
            return None;
        }
        let mut reads = Reads {
            cmds: Vec::new(),
            split: Vec::with_capacity(self.all.len()),
        };
        for r in &mut self.all {
            let cmds = r.reads();
            reads.split.push(cmds.len());
            reads.cmds.extend(cmds);
        }
        if reads.cmds.is_empty() {
            return None;
        }
        self.asking = true;
        Some(reads)
    }

    /// Hands each recogniser the replies to its reads.
    pub fn answered(&mut self, reads: Reads, result: Result<Vec<Reply>, Error>) {
        self.asking = false;
        let mut cmds = reads.cmds.into_iter();
        let mut replies = result.as_ref().ok().map(|r| r.iter().cloned());
        for (r, n) in self.all.iter_mut().zip(reads.split) {
            let mine: Vec<Cmd> = cmds.by_ref().take(n).collect();
            if mine.is_empty() {
                continue;
            }
            let answer = match (&mut replies, &result) {
                (Some(replies), _) => Ok(replies.by_ref().take(n).collect()),
                (None, Err(e)) => Err(e),
                (None, Ok(_)) => continue,
            };
            r.answered(mine, answer);
        }
    }

    /// Every recogniser's suggestions.
    pub fn suggestions(&self) -> Vec<Suggestion> {
        self.all.iter().flat_map(|r| r.suggestions()).collect()
    }

    /// Sends reads until none waits, for callers without an event loop (a
    /// failed request ends it with its error).
    pub async fn settle(&mut self, client: &Client) -> Result<(), Error> {
        while let Some(reads) = self.reads() {
            let result = client.pipeline(&reads.cmds).await;
            let failed = result.as_ref().err().cloned();
            self.answered(reads, result);
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(())
    }
}
