//! The terminal UI: the event loop and the terminal guard.
//!
//! One `tokio::select!` over terminal events, task replies and timers; after
//! each wake-up the channel is drained, effects are run and the screen is
//! drawn once if anything changed.

pub mod app;
pub mod effects;
pub mod external;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod panes;
pub mod text;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::io::{Stdout, stdout};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, KeyEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures::StreamExt as _;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use crate::edit::{Editor, ReadOnly};
use crate::scan::Budget;
use crate::upstash::Client;
use app::App;
use keymap::Keymap;
use msg::{Effect, Msg};

/// How long scrolling must pause before TTLs of the visible rows are fetched.
const ROWS_DEBOUNCE: Duration = Duration::from_millis(120);

/// What the TUI needs besides the client.
#[derive(Debug, Clone)]
pub struct Options {
    /// Splits keys into folders (empty: a flat list).
    pub delimiter: String,
    /// Shows the read-only badge.
    pub read_only: bool,
    /// Key bindings over the built-in ones, shaped like `assets/keymap.toml`.
    pub keymap: toml::Table,
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            delimiter: ":".into(),
            read_only: false,
            keymap: toml::Table::new(),
            scan_budget: Budget::default(),
            log_path: None,
            theme: None,
            profile: None,
            color: None,
            monitor: crate::monitor::Settings::default(),
            watch: Vec::new(),
            value_limits: crate::value::Limits::default(),
        }
    }
}

/// Opens the TUI on the terminal and runs until the user quits.
pub async fn run(client: Client, opts: Options) -> anyhow::Result<()> {
    let keymap = Keymap::new(&opts.keymap)?;
    let mut app = App::new(
        client.host(),
        keymap,
        opts.delimiter.as_bytes(),
        opts.scan_budget,
    );
    app.read_only = opts.read_only;
    app.keys.set_timeout(client.request_timeout());
    app.value = panes::value::State::with_limits(opts.value_limits.clone());
    app.monitor = panes::monitor::State::new(opts.monitor, std::time::Instant::now());
    for key in &opts.watch {
        app.monitor.toggle_watch(key);
    }
    // The console's history lives in the XDG data folder; without one it stays in memory.
    match crate::console::history::default_path().map(crate::console::history::History::open) {
        Some(Ok(history)) => app.set_history(history),
        Some(Err(e)) => tracing::warn!("console history not loaded: {e}"),
        None => tracing::warn!("no data folder: the console history is not kept"),
    }
    app.theme = theme::Theme::named(opts.theme.as_deref().unwrap_or("dark"))?;
    if let Some(name) = &opts.profile {
        let color = match &opts.color {
            Some(c) => Some(
                c.parse::<ratatui::style::Color>()
                    .map_err(|_| anyhow::anyhow!("unknown profile colour {c:?}"))?,
            ),
            None => None,
        };
        app.profile = Some((name.clone(), color));
    }
    install_panic_hook(opts.log_path.clone());
    let mut guard = Guard::enter()?;
    let editor = Editor::new(client, ReadOnly::new(opts.read_only));
    let result = event_loop(&mut guard.terminal, &editor, app).await;
    drop(guard);
    // Back to the default hook: the terminal is no longer ours to restore.
    let _ = std::panic::take_hook();
    result
}

async fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    editor: &Editor,
    mut app: App,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut events = EventStream::new();
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let debounce = tokio::time::sleep(ROWS_DEBOUNCE);
    tokio::pin!(debounce);
    let mut debounce_armed = false;
    let mut scan_task: Option<tokio::task::AbortHandle> = None;
    // The monitor's tick (probe and samples) is the only periodic request;
    // its delay comes from the monitor (interval, backoff, budget).
    let monitor = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(monitor);
    let mut monitor_armed = false;

    let size = terminal.size()?;
    let mut pending = app.update(Msg::Resize(size.width, size.height));
    pending.extend(app.start());
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
                // The editor owns the terminal until it exits: the event
                // stream's reader thread is stopped so it takes no keys
                // meant for the editor, and nothing else runs meanwhile.
                // Then every cell is drawn again, at the size the terminal
                // has now.
                Effect::EditExternal { text, suffix } => {
                    drop(events);
                    let result = external::edit_in_terminal(terminal, &text, suffix).await;
                    events = EventStream::new();
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
                other => {
                    effects::spawn(editor, other, &tx);
                }
            }
        }
        if dirty {
            terminal.draw(|f| ui::draw(&app, f))?;
            dirty = false;
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Some(Ok(Event::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => msg,
            () = &mut debounce, if debounce_armed => {
                debounce_armed = false;
                Msg::RowsDue
            }
            () = &mut monitor, if monitor_armed => {
                monitor_armed = false;
                Msg::MonitorDue
            }
            _ = sigterm.recv() => return Ok(()),
        };
        pending.extend(app.update(msg));
        // Coalesce a burst of replies into one draw.
        while let Ok(msg) = rx.try_recv() {
            pending.extend(app.update(msg));
        }
        dirty = true;
    }
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

/// Owns the terminal while the TUI runs and restores it when dropped.
struct Guard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Guard {
    fn enter() -> anyhow::Result<Guard> {
        enable_raw_mode()?;
        let mut out = stdout();
        if let Err(e) = execute!(
            out,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(e.into());
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(Guard { terminal }),
            Err(e) => {
                restore();
                Err(e.into())
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Err(e) = self.terminal.show_cursor() {
            tracing::warn!("could not show the cursor: {e}");
        }
        restore();
    }
}

/// Leaves raw mode, the alternate screen and mouse capture; logs failures
/// instead of panicking (this also runs inside the panic hook).
fn restore() {
    if let Err(e) = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    ) {
        tracing::warn!("could not leave the alternate screen: {e}");
    }
    if let Err(e) = disable_raw_mode() {
        tracing::warn!("could not leave raw mode: {e}");
    }
}

/// Restores the terminal before a panic message is printed, then says where the log is.
pub fn install_panic_hook(log_path: Option<PathBuf>) {
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        eprintln!("upstash-tui crashed: {info}");
        match &log_path {
            Some(p) => eprintln!("The log is at {}", p.display()),
            None => eprintln!("No log file was configured."),
        }
    }));
}
