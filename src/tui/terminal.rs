//! The terminal while the TUI runs: raw mode and the alternate screen,
//! restored on every way out (a quit, an error, a panic, SIGTERM, SIGHUP,
//! SIGINT); and its events, read on a thread of their own so that Ctrl-C
//! and signals are seen even while the loop is busy. If the loop does not
//! quit within [`GRACE`] of either, the terminal is restored and the
//! process exits from here.

use std::io::{Stdout, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    KeyCode, KeyEventKind, KeyModifiers,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::runner::Source;

/// How long the loop has to quit after Ctrl-C or a signal before the
/// process exits without it.
pub const GRACE: Duration = Duration::from_secs(2);

/// Holds the terminal in the TUI's modes while it runs and restores it when dropped.
pub struct Guard(());

impl Guard {
    /// Raw mode, the alternate screen, mouse capture and bracketed paste;
    /// the terminal to draw on.
    pub fn enter() -> anyhow::Result<(Guard, Terminal<CrosstermBackend<Stdout>>)> {
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
            Ok(terminal) => Ok((Guard(()), terminal)),
            Err(e) => {
                restore();
                Err(e.into())
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode, the alternate screen and mouse capture and shows the
/// cursor; logs failures
/// instead of panicking (this also runs inside the panic hook).
pub fn restore() {
    if let Err(e) = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
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

/// What the reader and the signal handlers tell the loop.
#[derive(Debug)]
pub enum Input {
    /// A terminal event (key releases are left out).
    Event(Event),
    /// Reading the terminal failed; the TUI cannot go on.
    Failed(std::io::Error),
    /// SIGTERM, SIGHUP or SIGINT: quit now.
    Signal(&'static str),
}

/// How long the reader waits for input before it looks whether it should
/// pause or stop.
const TICK: Duration = Duration::from_millis(50);

/// What the reader thread should be doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    On,
    /// Asked to stop reading (another program is about to use the terminal).
    Pausing,
    /// Not reading until `On` again.
    Paused,
    Stop,
}

/// The reader's state and the condition it changes on.
struct Shared {
    state: Mutex<Reading>,
    changed: Condvar,
}

impl Shared {
    fn set(&self, to: Reading) {
        *lock(&self.state) = to;
        self.changed.notify_all();
    }
}

/// The lock, whether or not a thread panicked while holding it (the state
/// is a plain value and stays valid).
fn lock(m: &Mutex<Reading>) -> std::sync::MutexGuard<'_, Reading> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The terminal's events and the signals, read apart from the loop.
pub struct Events {
    rx: mpsc::UnboundedReceiver<Input>,
    shared: Arc<Shared>,
    /// Set on Ctrl-C or a signal, so the loop stops before the events still queued.
    quit: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    signals: JoinHandle<()>,
}

impl Events {
    /// Starts reading; fails when the signal handlers cannot be installed.
    pub fn start() -> anyhow::Result<Events> {
        let (tx, rx) = mpsc::unbounded_channel();
        let quit = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            state: Mutex::new(Reading::On),
            changed: Condvar::new(),
        });
        let signals = Signals::install()?;
        let reader = std::thread::Builder::new()
            .name("terminal input".into())
            .spawn({
                let (tx, quit, shared) = (tx.clone(), Arc::clone(&quit), Arc::clone(&shared));
                move || read(&tx, &quit, &shared)
            })?;
        let signals = tokio::spawn(signals.watch(tx, Arc::clone(&quit), Arc::clone(&shared)));
        Ok(Events {
            rx,
            shared,
            quit,
            reader: Some(reader),
            signals,
        })
    }

    /// The next input; `None` when the reader has stopped for good.
    pub async fn next(&mut self) -> Option<Input> {
        self.rx.recv().await
    }

    /// An input already waiting, if any.
    pub fn try_next(&mut self) -> Option<Input> {
        self.rx.try_recv().ok()
    }

    /// Whether Ctrl-C or a signal asked to quit.
    pub fn quitting(&self) -> bool {
        self.quit.load(Ordering::SeqCst)
    }

    /// Stops reading the terminal (another program is about to use it);
    /// returns once the reader has stopped, within a [`TICK`].
    pub fn pause(&self) {
        let mut state = lock(&self.shared.state);
        *state = Reading::Pausing;
        while *state == Reading::Pausing {
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Reads the terminal again.
    pub fn resume(&self) {
        self.shared.set(Reading::On);
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.signals.abort();
        self.shared.set(Reading::Stop);
        // The reader must be done with the terminal before it is given back.
        if let Some(reader) = self.reader.take()
            && reader.join().is_err()
        {
            tracing::warn!("the terminal reader panicked");
        }
    }
}

impl Source<CrosstermBackend<Stdout>> for Events {
    async fn next(&mut self) -> Option<Input> {
        Events::next(self).await
    }

    fn try_next(&mut self) -> Option<Input> {
        Events::try_next(self)
    }

    fn quitting(&self) -> bool {
        Events::quitting(self)
    }

    fn copy(&mut self, terminal: &mut Terminal<CrosstermBackend<Stdout>>, seq: &str) {
        use std::io::Write as _;
        let out = terminal.backend_mut();
        if let Err(e) = out.write_all(seq.as_bytes()).and_then(|()| out.flush()) {
            tracing::warn!("could not write the clipboard sequence: {e}");
        }
    }

    /// The reader is paused meanwhile, so it takes no keys meant for the editor.
    async fn edit(
        &mut self,
        terminal: &mut Terminal<CrosstermBackend<Stdout>>,
        text: &[u8],
        suffix: &'static str,
    ) -> Result<Vec<u8>, String> {
        self.pause();
        let result = super::external::edit_in_terminal(terminal, text, suffix).await;
        self.resume();
        result
    }
}

/// Forwards terminal events until the loop goes away or asks to stop;
/// Ctrl-C also sets `quit` and starts the [`watchdog`].
///
/// It polls with a timeout on a thread of its own: crossterm's `/dev/tty`
/// source polls level-triggered, so a paste without brackets is read to
/// its end (its edge-triggered source would leave the rest unread until
/// the next key, Ctrl-C included).
fn read(tx: &mpsc::UnboundedSender<Input>, quit: &AtomicBool, shared: &Shared) {
    loop {
        {
            let mut state = lock(&shared.state);
            loop {
                match *state {
                    Reading::On => break,
                    Reading::Stop => return,
                    Reading::Pausing => {
                        *state = Reading::Paused;
                        shared.changed.notify_all();
                    }
                    Reading::Paused => {
                        state = shared
                            .changed
                            .wait(state)
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                    }
                }
            }
        }
        let input = match crossterm::event::poll(TICK) {
            Ok(false) => continue,
            Ok(true) => match crossterm::event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Release => continue,
                Ok(Event::Key(k))
                    if k.code == KeyCode::Char('c')
                        && k.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    quit.store(true, Ordering::SeqCst);
                    watchdog(tx.clone(), 130);
                    Input::Event(Event::Key(k))
                }
                Ok(event) => Input::Event(event),
                Err(e) => Input::Failed(e),
            },
            Err(e) => Input::Failed(e),
        };
        let failed = matches!(input, Input::Failed(_));
        if tx.send(input).is_err() || failed {
            return;
        }
    }
}

/// The signals that end the TUI.
struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// Waits for one, tells the loop and starts the [`watchdog`]. SIGINT is
    /// ignored while another program has the terminal: it was that
    /// program's Ctrl-C.
    async fn watch(
        mut self,
        tx: mpsc::UnboundedSender<Input>,
        quit: Arc<AtomicBool>,
        shared: Arc<Shared>,
    ) {
        let (name, code) = loop {
            tokio::select! {
                _ = self.term.recv() => break ("SIGTERM", 143),
                _ = self.hup.recv() => break ("SIGHUP", 129),
                _ = self.int.recv() => {
                    if *lock(&shared.state) == Reading::On {
                        break ("SIGINT", 130);
                    }
                }
            }
        };
        tracing::info!("{name}: quitting");
        quit.store(true, Ordering::SeqCst);
        if tx.send(Input::Signal(name)).is_ok() {
            watchdog(tx, code);
        }
    }
}

/// Gives the loop [`GRACE`] to quit (to drop its end of `tx`); if it has
/// not (it is stuck in some long piece of work), restores the terminal and
/// exits with `code`. It runs on a thread of its own, so a busy runtime
/// cannot hold it up.
pub fn watchdog(tx: mpsc::UnboundedSender<Input>, code: i32) {
    let spawned = std::thread::Builder::new()
        .name("quit watchdog".into())
        .spawn(move || {
            std::thread::sleep(GRACE);
            if tx.is_closed() {
                return;
            }
            tracing::warn!("the TUI did not quit within {GRACE:?}: exiting");
            restore();
            eprintln!("upstash-tui: quit while busy");
            std::process::exit(code);
        });
    if let Err(e) = spawned {
        tracing::warn!("no quit watchdog: {e}");
    }
}
