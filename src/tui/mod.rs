//! The terminal UI: its options, the model they set up, and the real
//! terminal the [`runner`] loop runs on. The terminal and its events are
//! [`terminal`]'s; the loop runs on any backend.

pub mod app;
pub mod effects;
pub mod external;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod palette;
pub mod panes;
pub mod runner;
pub mod screen;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod timers;
pub mod ui;
pub mod widgets;

use std::path::PathBuf;

use crate::edit::{Editor, ReadOnly};
use crate::scan::Budget;
use crate::upstash::Client;
use app::App;
use keymap::Keymap;
use runner::Runner;
pub use terminal::install_panic_hook;
use terminal::{Events, Guard, restore};

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
    /// The colour theme.
    pub theme: crate::config::ThemeName,
    /// The profile in use, shown in the title bar.
    pub profile: Option<String>,
    /// The profile's colour, for its badge.
    pub color: Option<crate::config::Color>,
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
    /// The screens that can be opened besides the Browser.
    pub screens: screen::Registry,
    /// Commands an analysis may spend before it asks (the default when `None`).
    pub analyze_budget: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            delimiter: ":".into(),
            read_only: false,
            keymap: Keymap::defaults(),
            scan_budget: Budget::default(),
            log_path: None,
            theme: crate::config::ThemeName::default(),
            profile: None,
            color: None,
            monitor: crate::monitor::Settings::default(),
            watch: Vec::new(),
            value_limits: crate::value::Limits::default(),
            history: None,
            cost: crate::config::Cost::default(),
            screens: screen::Registry::builtin(),
            analyze_budget: None,
        }
    }
}

/// Opens the TUI on the terminal and runs until the user quits.
pub async fn run(client: Client, opts: Options) -> anyhow::Result<()> {
    let mut app = model(&client, &opts)?;
    // Each database's console history lives in the XDG data folder; without
    // one it stays in memory.
    let name = opts.history.as_deref().unwrap_or(client.host());
    match crate::console::history::path_for(name).map(crate::console::history::History::open) {
        Some(Ok(history)) => app.set_history(history),
        Some(Err(e)) => tracing::warn!("console history not loaded: {e}"),
        None => tracing::warn!("no data folder: the console history is not kept"),
    }
    install_panic_hook(opts.log_path.clone());
    let (guard, terminal) = Guard::enter()?;
    let editor = Editor::new(client, ReadOnly::new(opts.read_only));
    let result = match Events::start() {
        Ok(mut events) => match Runner::new(terminal, app, editor) {
            Ok(runner) => runner.run(&mut events).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    drop(guard);
    // Back to the default hook: the terminal is no longer ours to restore.
    let _ = std::panic::take_hook();
    result
}

/// The model as `opts` set it up, on `client`'s endpoint, with the console
/// history in memory (the caller opens the file it is kept in).
pub fn model(client: &Client, opts: &Options) -> anyhow::Result<App> {
    let mut app = App::new(
        client.host(),
        opts.keymap.clone(),
        opts.delimiter.as_bytes(),
        opts.scan_budget,
    );
    app.set_screens(opts.screens.clone());
    app.set_read_only(opts.read_only);
    app.set_timeout(client.request_timeout());
    app.set_value_limits(opts.value_limits.clone());
    app.set_monitor(opts.monitor);
    for key in &opts.watch {
        app.watch(key);
    }
    // After the panes it reaches into are in place.
    app.set_cost(opts.cost);
    app.set_analyze_budget(opts.analyze_budget);
    app.set_theme(theme::Theme::of(opts.theme));
    if let Some(name) = &opts.profile {
        app.set_profile(name, opts.color);
    }
    Ok(app)
}
