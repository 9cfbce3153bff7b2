//! The vocabulary of the loop: `Action` (what a key means), `Msg` (what
//! happened) and `Effect` (what to do outside `update`).
//!
//! It names UI-free types only (the terminal's key and mouse events aside):
//! never the model (`tui::app`) or a pane (`tui::panes`), so that the model,
//! the panes and the effects runner all depend on it and it on none of them.
//! `crate::layers` checks it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{KeyEvent, MouseEvent};
use tokio_util::sync::CancellationToken;

use crate::analyze;

use crate::console::scrollback::EntryId;
use crate::console::{Argv, Sent};
use crate::edit::{Now, Outcome, Write};
use crate::jobs::{Done, Job, Progress};
use crate::monitor::Cursor;
use crate::monitor::tick::{self, Ticked};
use crate::recognise::Reads;
use crate::scan;
use crate::tui::screen::Id as ScreenId;
use crate::upstash::{Error, Reply};
use crate::value;
use crate::value::save::{Destination, Report};

pub use crate::tui::keymap::Action;

/// Identifies a request so that a reply to a superseded one can be dropped.
pub type ReqId = u64;

/// Something that happened: input, a timer, or a reply from a task.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The debounce after scrolling ran out: fetch details for visible rows.
    RowsDue,
    /// Time for the monitor's next tick (probe and samples).
    MonitorDue,
    /// The cursor rested on a key: fetch it ahead of `Enter`.
    PrefetchDue,
    /// A prefetch (header and first page) finished.
    Prefetched {
        done: value::Done,
        at: Instant,
    },
    /// A page of the scan (or the direct lookup) came back.
    Scanned {
        req: ReqId,
        request: scan::Request,
        result: Result<Vec<Reply>, Error>,
        /// From sending the request to its reply: the next page's COUNT depends on it.
        elapsed: Duration,
    },
    /// `DBSIZE` came back.
    Counted {
        req: ReqId,
        result: Result<i64, Error>,
    },
    /// TYPE and PTTL for the visible keys came back (two replies per key).
    Detailed {
        req: ReqId,
        keys: Vec<Vec<u8>>,
        result: Result<Vec<Reply>, Error>,
    },
    /// A load of the open key (header and first page, or a page) finished.
    ValueLoaded {
        done: value::Done,
        at: Instant,
    },
    /// The Value pane's countdown tick.
    ValueTick {
        req: ReqId,
        at: Instant,
    },
    /// Saving a value to a file went on (progress) or ended.
    ValueSaved {
        path: PathBuf,
        report: Report,
    },
    /// A checked write from the Value pane's edit form came back.
    Edited {
        req: ReqId,
        result: Result<Outcome, Error>,
        /// Whether `u` can reverse it (not when what it replaced is over the undo cap).
        undo: bool,
    },
    /// What the server holds after a write whose answer was lost.
    ReadBack {
        req: ReqId,
        result: Result<Now, Error>,
    },
    /// Whether the database has ReJSON, asked before editing a document.
    JsonProbed {
        req: ReqId,
        result: Result<bool, Error>,
    },
    /// `$EDITOR` closed: the text it left, or why there is none.
    ExternalEdited(Result<Vec<u8>, String>),
    /// A monitor tick finished, with what the client recorded meanwhile.
    MonitorTicked(Box<Ticked>),
    /// The recognisers' reads came back.
    Recognised {
        reads: Reads,
        result: Result<Vec<Reply>, Error>,
    },
    /// A page of the scan for queues came back.
    Swept {
        req: ReqId,
        request: scan::Request,
        result: Result<Vec<Reply>, Error>,
        /// From sending the request to having the reply.
        elapsed: Duration,
    },
    /// Text pasted in one piece (bracketed paste).
    Paste(String),
    /// The replies to a console command came back.
    ConsoleSent {
        entry: EntryId,
        cmds: Vec<Argv>,
        sent: Sent,
    },
    /// A job went on (a bulk delete's batch); its [`Msg::JobDone`] follows.
    JobProgress {
        req: ReqId,
        progress: Progress,
    },
    /// A job ended: the last message for `req`.
    JobDone {
        req: ReqId,
        result: Result<Done, Error>,
    },
    /// The replies to a screen's read, for that screen alone.
    ScreenRead {
        screen: ScreenId,
        req: ReqId,
        result: Result<Vec<Reply>, Error>,
    },
    /// An analysis a screen started went on or ended, for that screen alone.
    Analysis {
        screen: ScreenId,
        req: ReqId,
        event: Analysis,
    },
}

/// What comes back from an analysis: its estimate, its progress, its end.
#[derive(Debug)]
pub enum Analysis {
    Estimated(Result<analyze::Estimate, Error>),
    Progress(analyze::Progress),
    /// The last message for its request.
    Done(Result<Box<analyze::Report>, Error>),
}

/// The handle that stops a running analysis, kept by the model.
#[derive(Debug, Clone, Default)]
pub struct Stop(pub CancellationToken);

// Two handles are the same request whatever their state, as effects compare.
impl PartialEq for Stop {
    fn eq(&self, _: &Stop) -> bool {
        true
    }
}

impl Eq for Stop {}

/// Work for the effects runner; each one sends back exactly one `Msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Scan {
        req: ReqId,
        request: scan::Request,
    },
    Count {
        req: ReqId,
    },
    Detail {
        req: ReqId,
        keys: Vec<Vec<u8>>,
    },
    /// Load part of the open key.
    Value(value::Fetch),
    /// Fetch the selected key's header and first page ahead of `Enter`;
    /// the prefetch tagged `supersedes`, if still running, is aborted.
    Prefetch {
        fetch: value::Fetch,
        supersedes: Option<ReqId>,
    },
    /// Start (or restart) the rest before [`Msg::PrefetchDue`].
    DebouncePrefetch,
    /// Send [`Msg::ValueTick`] after a while.
    ValueTick {
        req: ReqId,
        after: Duration,
    },
    /// Stream a whole value to a file, with progress.
    SaveValue {
        key: Vec<u8>,
        kind: value::Kind,
        to: Destination,
    },
    /// Apply one checked edit through the editor.
    ApplyEdit {
        req: ReqId,
        write: Write,
    },
    /// Read back the element a write changes, after its answer was lost
    /// (the write itself is not sent again).
    ReadBack {
        req: ReqId,
        write: Write,
    },
    /// Ask whether the database has ReJSON.
    ProbeJson {
        req: ReqId,
    },
    /// Hand the terminal to `$EDITOR` on `text` (a file ending in `suffix`).
    EditExternal {
        text: Vec<u8>,
        suffix: &'static str,
    },
    /// Write an OSC 52 clipboard sequence to the terminal.
    Copy(String),
    /// Clear the terminal and draw every cell again.
    Repaint,
    /// Run one monitor tick and read the telemetry after `cursor`.
    MonitorTick {
        plan: tick::Plan,
        cursor: Cursor,
    },
    /// Arm the timer for the next [`Msg::MonitorDue`].
    ScheduleMonitor(Duration),
    /// Send the recognisers' reads (one pipeline).
    Recognise(Reads),
    /// Ask for a page of the scan for queues.
    Sweep {
        req: ReqId,
        request: scan::Request,
    },
    /// Send the console's commands (one alone, several as a pipeline).
    ConsoleSend {
        entry: EntryId,
        cmds: Vec<Argv>,
    },
    /// Start (or restart) the debounce before [`Msg::RowsDue`].
    DebounceRows,
    Quit,
    /// Run a job (create, rename, TTL, delete, bulk delete, undo):
    /// progress comes back as [`Msg::JobProgress`], the end as [`Msg::JobDone`].
    Job {
        req: ReqId,
        job: Job,
    },
    /// Send a screen's read-only commands in one pipeline.
    ScreenRead {
        screen: ScreenId,
        req: ReqId,
        cmds: Vec<crate::upstash::Cmd>,
    },
    /// Say what an analysis of `opts` will cost (one DBSIZE).
    EstimateAnalysis {
        screen: ScreenId,
        req: ReqId,
        opts: analyze::Options,
    },
    /// Run an analysis until its end or `stop`: progress and the end come
    /// back as [`Msg::Analysis`].
    Analyze {
        screen: ScreenId,
        req: ReqId,
        opts: analyze::Options,
        stop: Stop,
    },
}
