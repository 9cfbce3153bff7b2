//! The terminal UI: the event loop.
//!
//! One `tokio::select!` over terminal events, task replies and timers; after
//! each wake-up what is already waiting is taken too (for at most
//! [`FRAME`]), effects are run and the screen is drawn once. The terminal
//! and its events are [`terminal`]'s.

pub mod app;
pub mod effects;
pub mod external;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod palette;
pub mod panes;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::io::Stdout;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use crate::edit::{Editor, ReadOnly};
use crate::scan::Budget;
use crate::upstash::Client;
use app::App;
use keymap::Keymap;
use msg::{Effect, Msg};
pub use terminal::install_panic_hook;
use terminal::{Events, Guard, Input, restore};

/// How long scrolling must pause before TTLs of the visible rows are fetched.
const ROWS_DEBOUNCE: Duration = Duration::from_millis(120);

/// The longest the loop takes events already waiting before it draws: a
/// flood of keys (a paste without brackets) is drawn a few times a second,
/// not once a key.
const FRAME: Duration = Duration::from_millis(30);

/// What the TUI needs besides the client.
#[derive(Debug, Clone)]
pub struct Options {
    /// Splits keys into folders (empty: a flat list).
    pub delimiter: String,
    /// Shows the read-only badge.
    pub read_only: bool,
    /// The key bindings, resolved with the settings.
    pub keymap: Keymap,
    /// When a scan pauses by itself.
    pub scan_budget: Budget,
    /// Where the log goes, printed after a crash.
    pub log_path: Option<PathBuf>,
    /// The colour theme's name (`dark`, `light`, `mono`).
    pub theme: Option<String>,
    /// The profile in use, shown in the title bar.
    pub profile: Option<String>,
    /// The profile's colour (a ratatui colour name or `#rrggbb`), for its badge.
    pub color: Option<String>,
    /// The Monitor's probe interval, budget and thresholds.
    pub monitor: crate::monitor::Settings,
    /// Keys the Monitor watches from the start (`--watch`, a profile's list).
    pub watch: Vec<Vec<u8>>,
    /// How much of a value the Value pane fetches.
    pub value_limits: crate::value::Limits,
    /// The name the Console's history is kept under (default: the host and port).
    pub history: Option<String>,
    /// How freely commands are spent (the frugal profile).
    pub cost: crate::config::Cost,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            delimiter: ":".into(),
            read_only: false,
            keymap: Keymap::defaults(),
            scan_budget: Budget::default(),
            log_path: None,
            theme: None,
            profile: None,
            color: None,
            monitor: crate::monitor::Settings::default(),
            watch: Vec::new(),
            value_limits: crate::value::Limits::default(),
            history: None,
            cost: crate::config::Cost::default(),
        }
    }
}

/// Opens the TUI on the terminal and runs until the user quits.
pub async fn run(client: Client, opts: Options) -> anyhow::Result<()> {
    let mut app = App::new(
        client.host(),
        opts.keymap,
        opts.delimiter.as_bytes(),
        opts.scan_budget,
    );
    app.set_read_only(opts.read_only);
    app.set_timeout(client.request_timeout());
    app.set_value_limits(opts.value_limits.clone());
    app.set_monitor(opts.monitor);
    for key in &opts.watch {
        app.watch(key);
    }
    // Each database's console history lives in the XDG data folder; without
    // one it stays in memory.
    let name = opts.history.as_deref().unwrap_or(client.host());
    match crate::console::history::path_for(name).map(crate::console::history::History::open) {
        Some(Ok(history)) => app.set_history(history),
        Some(Err(e)) => tracing::warn!("console history not loaded: {e}"),
        None => tracing::warn!("no data folder: the console history is not kept"),
    }
    // After the panes it reaches into are in place.
    app.set_cost(opts.cost);
    app.set_theme(theme::Theme::named(
        opts.theme.as_deref().unwrap_or("dark"),
    )?);
    if let Some(name) = &opts.profile {
        let color = match &opts.color {
            Some(c) => Some(
                c.parse::<ratatui::style::Color>()
                    .map_err(|_| anyhow::anyhow!("unknown profile colour {c:?}"))?,
            ),
            None => None,
        };
        app.set_profile(name, color);
    }
    install_panic_hook(opts.log_path.clone());
    let mut guard = Guard::enter()?;
    let editor = Editor::new(client, ReadOnly::new(opts.read_only));
    let result = match Events::start() {
        Ok(events) => event_loop(&mut guard.terminal, events, &editor, app).await,
        Err(e) => Err(e),
    };
    drop(guard);
    // Back to the default hook: the terminal is no longer ours to restore.
    let _ = std::panic::take_hook();
    result
}

async fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    mut events: Events,
    editor: &Editor,
    mut app: App,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let debounce = tokio::time::sleep(ROWS_DEBOUNCE);
    tokio::pin!(debounce);
    let mut debounce_armed = false;
    // The cursor's rest before a prefetch, and the one prefetch running.
    let rest = tokio::time::sleep(app::prefetch::REST);
    tokio::pin!(rest);
    let mut rest_armed = false;
    let mut prefetch_task: Option<(msg::ReqId, tokio::task::AbortHandle)> = None;
    let mut scan_task: Option<tokio::task::AbortHandle> = None;
    // The monitor's tick (probe and samples) is the only periodic request;
    // its delay comes from the monitor (interval, backoff, budget).
    let monitor = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(monitor);
    let mut monitor_armed = false;

    let size = terminal.size()?;
    let mut pending = app.update(Msg::Resize(size.width, size.height));
    let mut held = first_request(app.start(), &mut pending);
    let mut dirty = true;
    loop {
        for effect in pending.drain(..) {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::DebounceRows => {
                    debounce
                        .as_mut()
                        .reset(tokio::time::Instant::now() + ROWS_DEBOUNCE);
                    debounce_armed = true;
                }
                Effect::DebouncePrefetch => {
                    rest.as_mut()
                        .reset(tokio::time::Instant::now() + app::prefetch::REST);
                    rest_armed = true;
                }
                Effect::ScheduleMonitor(delay) => {
                    monitor.as_mut().reset(tokio::time::Instant::now() + delay);
                    monitor_armed = true;
                }
                // The clipboard sequence goes to the terminal between draws.
                Effect::Copy(seq) => {
                    use std::io::Write as _;
                    let out = terminal.backend_mut();
                    if let Err(e) = out.write_all(seq.as_bytes()).and_then(|()| out.flush()) {
                        tracing::warn!("could not write the clipboard sequence: {e}");
                    }
                }
                // The editor owns the terminal until it exits: the reader is
                // paused so it takes no keys meant for the editor, and
                // nothing else runs meanwhile. Then every cell is drawn
                // again, at the size the terminal has now.
                Effect::EditExternal { text, suffix } => {
                    events.pause();
                    let result = external::edit_in_terminal(terminal, &text, suffix).await;
                    events.resume();
                    let size = repaint(terminal);
                    for msg in size
                        .map(|s| Msg::Resize(s.width, s.height))
                        .into_iter()
                        .chain([Msg::ExternalEdited(result)])
                    {
                        if tx.send(msg).is_err() {
                            tracing::debug!("the editor's text arrived after the TUI closed");
                        }
                    }
                    dirty = true;
                }
                Effect::Repaint => {
                    repaint(terminal);
                    dirty = true;
                }
                // A newer scan page supersedes any still in flight (its
                // reply would be dropped anyway): stop spending on it.
                scan @ Effect::Scan { .. } => {
                    if let Some(old) = scan_task.replace(effects::spawn(editor, scan, &tx)) {
                        old.abort();
                    }
                }
                // One prefetch at a time: a newer one stops the one it
                // supersedes (not one that `Enter` is now waiting for).
                Effect::Prefetch { fetch, supersedes } => {
                    if let Some((id, old)) = prefetch_task.take()
                        && Some(id) == supersedes
                    {
                        old.abort();
                    }
                    let id = fetch.id();
                    let effect = Effect::Prefetch { fetch, supersedes };
                    prefetch_task = Some((id, effects::spawn(editor, effect, &tx)));
                }
                other => {
                    effects::spawn(editor, other, &tx);
                }
            }
        }
        if dirty {
            terminal.draw(|f| ui::draw(&app, f))?;
            dirty = false;
        }
        let first = tokio::select! {
            input = events.next() => match input {
                Some(input) => Step::Input(input),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => {
                // The first answer: the connection is open for the rest.
                pending.append(&mut held);
                Step::Msg(msg)
            }
            () = &mut debounce, if debounce_armed => {
                debounce_armed = false;
                Step::Msg(Msg::RowsDue)
            }
            () = &mut rest, if rest_armed => {
                rest_armed = false;
                Step::Msg(Msg::PrefetchDue)
            }
            () = &mut monitor, if monitor_armed => {
                monitor_armed = false;
                Step::Msg(Msg::MonitorDue)
            }
        };
        // What is already waiting is taken before drawing, for a frame's time at most.
        let deadline = Instant::now() + FRAME;
        let mut step = Some(first);
        while let Some(s) = step.take() {
            if events.quitting() {
                return Ok(());
            }
            match s {
                Step::Msg(msg) => {
                    pending.extend(app.update(msg));
                    dirty = true;
                }
                Step::Input(Input::Event(event)) => {
                    if let Some(msg) = to_msg(event) {
                        pending.extend(app.update(msg));
                        dirty = true;
                    }
                }
                Step::Input(Input::Failed(e)) => return Err(e.into()),
                Step::Input(Input::Signal(_)) => return Ok(()),
            }
            // Effects must run in order: a quit stops here.
            if pending.iter().any(|e| matches!(e, Effect::Quit)) {
                break;
            }
            if Instant::now() < deadline {
                step = events.try_next().map(Step::Input).or_else(|| {
                    let msg = rx.try_recv().ok()?;
                    pending.append(&mut held);
                    Some(Step::Msg(msg))
                });
            }
        }
    }
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

/// One thing the loop woke up for.
enum Step {
    Input(Input),
    Msg(Msg),
}

/// Clears the terminal and forgets what was drawn, so the next draw paints
/// every cell; returns the terminal's size. Unlike `Terminal::clear`, it asks
/// the terminal nothing (a cursor position query goes unanswered right after
/// another program had the terminal, and the clear was then skipped).
fn repaint<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
) -> Option<ratatui::layout::Size> {
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
