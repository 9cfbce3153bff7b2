//! The loop on any ratatui backend: it owns the timers, the tasks and the
//! model, takes its input from a [`Source`] (the real terminal's reader, or
//! a test's channel), runs the effects and draws when something changed.
//!
//! One [`Runner::step`] is one wake-up: an input, a reply or a timer, then
//! what is already waiting (for at most [`FRAME`]), the effects, a draw.

use std::future::Future;
use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::app::App;
use super::effects;
use super::msg::{Effect, Msg, ReqId};
use super::terminal::Input;
use super::timers::Timers;
use crate::edit::Editor;

/// The longest the loop takes events already waiting before it draws: a
/// flood of keys (a paste without brackets) is drawn a few times a second,
/// not once a key.
pub const FRAME: Duration = Duration::from_millis(30);

/// Where the loop's input comes from, and the work only the terminal can
/// do (the clipboard sequence, handing the screen to `$EDITOR`).
pub trait Source<B: Backend> {
    /// The next input; `None` when no more will come.
    fn next(&mut self) -> impl Future<Output = Option<Input>>;

    /// An input already waiting, if any.
    fn try_next(&mut self) -> Option<Input>;

    /// Whether Ctrl-C or a signal asked to quit (the inputs still queued
    /// are then left).
    fn quitting(&self) -> bool;

    /// Writes an OSC 52 clipboard sequence to the terminal, between draws.
    fn copy(&mut self, terminal: &mut Terminal<B>, seq: &str);

    /// Runs the user's editor on `text` (a file ending in `suffix`) and
    /// returns what it left; the terminal is the editor's until then.
    fn edit(
        &mut self,
        terminal: &mut Terminal<B>,
        text: &[u8],
        suffix: &'static str,
    ) -> impl Future<Output = Result<Vec<u8>, String>>;
}

/// Whether the loop goes on after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// The model, the terminal it is drawn on and everything that runs meanwhile.
pub struct Runner<B: Backend> {
    terminal: Terminal<B>,
    app: App,
    editor: Editor,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    timers: Timers,
    /// The one scan page in flight: a newer one stops it.
    scan_task: Option<AbortHandle>,
    /// The one prefetch in flight, by its request id.
    prefetch_task: Option<(ReqId, AbortHandle)>,
    /// Effects to run before the next draw.
    pending: Vec<Effect>,
    /// The start's requests that wait for the first answer (see [`first_request`]).
    held: Vec<Effect>,
    dirty: bool,
}

impl<B: Backend> Runner<B>
where
    B::Error: Send + Sync + 'static,
{
    /// A loop for `app` drawn on `terminal`, writing through `editor`; the
    /// start's effects (the first scan, the Monitor's first tick) run on the
    /// first step.
    pub fn new(terminal: Terminal<B>, mut app: App, editor: Editor) -> anyhow::Result<Runner<B>> {
        let (tx, rx) = mpsc::unbounded_channel();
        let size = terminal.size()?;
        let mut pending = app.update(Msg::Resize(size.width, size.height));
        let held = first_request(app.start(), &mut pending);
        Ok(Runner {
            terminal,
            app,
            editor,
            tx,
            rx,
            timers: Timers::new(),
            scan_task: None,
            prefetch_task: None,
            pending,
            held,
            dirty: true,
        })
    }

    /// The model, to read.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The terminal, to read what was drawn.
    pub fn terminal(&self) -> &Terminal<B> {
        &self.terminal
    }

    /// The terminal, to resize a test's backend.
    pub fn terminal_mut(&mut self) -> &mut Terminal<B> {
        &mut self.terminal
    }

    /// Runs until the user quits, the input ends or a signal arrives.
    pub async fn run(mut self, source: &mut impl Source<B>) -> anyhow::Result<()> {
        while self.step(source).await? == Flow::Continue {}
        Ok(())
    }

    /// Runs what is pending and draws, waits for one input, reply or timer,
    /// takes what is already waiting, then runs the effects and draws again:
    /// when it returns, the screen shows everything taken.
    pub async fn step(&mut self, source: &mut impl Source<B>) -> anyhow::Result<Flow> {
        if self.settle(source).await? == Flow::Quit {
            return Ok(Flow::Quit);
        }
        if self.take(source).await? == Flow::Quit {
            return Ok(Flow::Quit);
        }
        self.settle(source).await
    }

    /// Runs the pending effects in order, then draws if anything changed.
    async fn settle(&mut self, source: &mut impl Source<B>) -> anyhow::Result<Flow> {
        let pending = std::mem::take(&mut self.pending);
        for effect in pending {
            if self.run_effect(effect, source).await == Flow::Quit {
                return Ok(Flow::Quit);
            }
        }
        if self.dirty {
            let app = &self.app;
            self.terminal.draw(|f| super::ui::draw(app, f))?;
            self.dirty = false;
        }
        Ok(Flow::Continue)
    }

    /// Waits for the first thing to wake up for, then takes what is already
    /// waiting, for a frame's time at most.
    async fn take(&mut self, source: &mut impl Source<B>) -> anyhow::Result<Flow> {
        let first = tokio::select! {
            input = source.next() => match input {
                Some(input) => Step::Input(input),
                None => return Ok(Flow::Quit),
            },
            Some(msg) = self.rx.recv() => {
                // The first answer: the connection is open for the rest.
                self.pending.append(&mut self.held);
                Step::Msg(msg)
            }
            msg = self.timers.next() => Step::Msg(msg),
        };
        let deadline = Instant::now() + FRAME;
        let mut step = Some(first);
        while let Some(s) = step.take() {
            if source.quitting() {
                return Ok(Flow::Quit);
            }
            match s {
                Step::Msg(msg) => self.update(msg),
                Step::Input(Input::Event(event)) => {
                    if let Some(msg) = to_msg(event) {
                        self.update(msg);
                    }
                }
                Step::Input(Input::Failed(e)) => return Err(e.into()),
                Step::Input(Input::Signal(_)) => return Ok(Flow::Quit),
            }
            // Effects must run in order: a quit stops here.
            if self.pending.iter().any(|e| matches!(e, Effect::Quit)) {
                break;
            }
            if Instant::now() < deadline {
                step = source.try_next().map(Step::Input).or_else(|| {
                    let msg = self.rx.try_recv().ok()?;
                    self.pending.append(&mut self.held);
                    Some(Step::Msg(msg))
                });
            }
        }
        Ok(Flow::Continue)
    }

    fn update(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.pending.extend(effects);
        self.dirty = true;
    }

    /// Runs one effect: the loop's own (timers, the terminal) here, the
    /// others as tasks on the client.
    async fn run_effect(&mut self, effect: Effect, source: &mut impl Source<B>) -> Flow {
        match effect {
            Effect::Quit => return Flow::Quit,
            Effect::DebounceRows => self.timers.rows(),
            Effect::DebouncePrefetch => self.timers.prefetch(),
            Effect::ScheduleMonitor(delay) => self.timers.monitor(delay),
            Effect::ValueTick { req, after } => self.timers.value(req, after),
            Effect::Copy(seq) => source.copy(&mut self.terminal, &seq),
            // The editor owns the terminal until it exits, and nothing else
            // runs meanwhile. Then every cell is drawn again, at the size
            // the terminal has now.
            Effect::EditExternal { text, suffix } => {
                let result = source.edit(&mut self.terminal, &text, suffix).await;
                let size = repaint(&mut self.terminal);
                for msg in size
                    .map(|s| Msg::Resize(s.width, s.height))
                    .into_iter()
                    .chain([Msg::ExternalEdited(result)])
                {
                    if self.tx.send(msg).is_err() {
                        tracing::debug!("the editor's text arrived after the TUI closed");
                    }
                }
                self.dirty = true;
            }
            Effect::Repaint => {
                repaint(&mut self.terminal);
                self.dirty = true;
            }
            // A newer scan page supersedes any still in flight (its reply
            // would be dropped anyway): stop spending on it.
            scan @ Effect::Scan { .. } => {
                let task = effects::spawn(&self.editor, scan, &self.tx);
                if let Some(old) = self.scan_task.replace(task) {
                    old.abort();
                }
            }
            // One prefetch at a time: a newer one stops the one it
            // supersedes (not one that `Enter` is now waiting for).
            Effect::Prefetch { fetch, supersedes } => {
                if let Some((id, old)) = self.prefetch_task.take()
                    && Some(id) == supersedes
                {
                    old.abort();
                }
                let id = fetch.id();
                let effect = Effect::Prefetch { fetch, supersedes };
                self.prefetch_task = Some((id, effects::spawn(&self.editor, effect, &self.tx)));
            }
            other => {
                effects::spawn(&self.editor, other, &self.tx);
            }
        }
        Flow::Continue
    }
}

/// One thing the loop woke up for.
enum Step {
    Input(Input),
    Msg(Msg),
}

/// Puts the start's effects in `pending`, but of those that send a request
/// only the first page of the scan (or the first request): it opens the
/// connection (TCP, TLS, HTTP/2 by ALPN) while the first frame is drawn,
/// and the others, returned, go once it answers, over that connection,
/// instead of each opening one of their own. The first keys come no later.
fn first_request(start: Vec<Effect>, pending: &mut Vec<Effect>) -> Vec<Effect> {
    let requests = |e: &Effect| !loop_only(e);
    let first = start
        .iter()
        .position(|e| matches!(e, Effect::Scan { .. }))
        .or_else(|| start.iter().position(requests));
    let mut held = Vec::new();
    for (i, effect) in start.into_iter().enumerate() {
        if Some(i) == first || !requests(&effect) {
            pending.push(effect);
        } else {
            held.push(effect);
        }
    }
    held
}

/// Whether an effect stays in the loop (timers, the terminal) rather than
/// sending a request.
fn loop_only(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::Quit
            | Effect::DebounceRows
            | Effect::DebouncePrefetch
            | Effect::ScheduleMonitor(_)
            | Effect::ValueTick { .. }
            | Effect::Copy(_)
            | Effect::Repaint
            | Effect::EditExternal { .. }
    )
}

/// Clears the terminal and forgets what was drawn, so the next draw paints
/// every cell; returns the terminal's size. Unlike `Terminal::clear`, it asks
/// the terminal nothing (a cursor position query goes unanswered right after
/// another program had the terminal, and the clear was then skipped).
fn repaint<B: Backend>(terminal: &mut Terminal<B>) -> Option<ratatui::layout::Size> {
    let size = terminal.size().and_then(|size| {
        terminal
            .resize(ratatui::layout::Rect::from((
                ratatui::layout::Position::ORIGIN,
                size,
            )))
            .map(|()| size)
    });
    match size {
        Ok(size) => Some(size),
        Err(e) => {
            tracing::warn!("could not repaint the terminal: {e}");
            None
        }
    }
}

/// The message a terminal event stands for, if any.
fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

/// Input from a channel, for driving the loop without a terminal: a test
/// sends keys on the sender and reads the screen from the backend. The
/// clipboard sequences it was asked to write are kept; `$EDITOR` runs on
/// its file without a terminal to hand over, when one is named.
#[derive(Debug)]
pub struct Feed {
    rx: mpsc::UnboundedReceiver<Input>,
    /// The OSC 52 sequences written, oldest first.
    pub copied: Vec<String>,
    /// The editor command (`sh -c` style), if `E` should run one.
    pub editor: Option<String>,
}

impl Feed {
    /// A feed and the sender its inputs come from.
    pub fn new() -> (mpsc::UnboundedSender<Input>, Feed) {
        let (tx, rx) = mpsc::unbounded_channel();
        let feed = Feed {
            rx,
            copied: Vec::new(),
            editor: None,
        };
        (tx, feed)
    }
}

impl<B: Backend> Source<B> for Feed {
    async fn next(&mut self) -> Option<Input> {
        self.rx.recv().await
    }

    fn try_next(&mut self) -> Option<Input> {
        self.rx.try_recv().ok()
    }

    fn quitting(&self) -> bool {
        false
    }

    fn copy(&mut self, _terminal: &mut Terminal<B>, seq: &str) {
        self.copied.push(seq.to_owned());
    }

    async fn edit(
        &mut self,
        _terminal: &mut Terminal<B>,
        text: &[u8],
        suffix: &'static str,
    ) -> Result<Vec<u8>, String> {
        match &self.editor {
            Some(command) => super::external::edit(command, text, suffix).await,
            None => Err("no editor: this screen has no terminal to hand over".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_scan_page_goes_alone_and_the_rest_waits() {
        let start = vec![
            Effect::Count { req: 1 },
            Effect::Scan {
                req: 2,
                request: crate::scan::Request::Scan {
                    cmd: Vec::new(),
                    with_type: false,
                },
            },
            Effect::ScheduleMonitor(Duration::ZERO),
            Effect::ProbeJson { req: 3 },
        ];
        let mut pending = Vec::new();
        let held = first_request(start, &mut pending);
        assert!(matches!(pending[0], Effect::Scan { req: 2, .. }));
        assert!(matches!(pending[1], Effect::ScheduleMonitor(_)));
        assert_eq!(pending.len(), 2);
        assert_eq!(
            held,
            vec![Effect::Count { req: 1 }, Effect::ProbeJson { req: 3 }]
        );
    }
}
