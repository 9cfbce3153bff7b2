//! The `upstash-tui` binary: parse the command line, start logging, dispatch.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser as _;
use upstash_tui::cli::{Cli, Command, ConnectionArgs};
use upstash_tui::config::{self, ConfigError, Environment, Overrides, Settings, ThemeName};
use upstash_tui::scan::Budget;
use upstash_tui::upstash::Client;
use upstash_tui::{commands, logging, tui};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_path = logging::init(cli.log_file.as_deref());
    if let Err(e) = &log_path
        && cli.log_file.is_some()
    {
        eprintln!("warning: logging is off: {}", one_line(e));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli, log_path.ok())) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{}", one_line(&e));
            eprintln!("error: {}", one_line(&e));
            if e.is::<ConfigError>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

async fn dispatch(cli: Cli, log_path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            let overrides = Overrides {
                frugal: cli.frugal,
                ..cli.conn.clone().into()
            };
            let settings = config::resolve(&overrides, &Environment::from_process())?;
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                anyhow::bail!(
                    "the TUI needs a terminal; in scripts use `upstash-tui exec`, `scan` or `doctor`"
                );
            }
            let mut options = tui_options(&settings, log_path);
            for key in &cli.watch {
                if !options.watch.iter().any(|w| w == key.as_bytes()) {
                    options.watch.push(key.as_bytes().to_vec());
                }
            }
            tui::run(client(&settings)?, options).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Serve(args)) => commands::serve::run(args).await,
        Some(Command::Demo(args)) => {
            // The demo's Celery queue is watched from the start, so the
            // Monitor shows the live traffic without a key press.
            let watch = if cli.watch.is_empty() {
                vec![b"celery".to_vec()]
            } else {
                cli.watch.iter().map(|k| k.as_bytes().to_vec()).collect()
            };
            // The demo's port changes every run: its history is kept under one name.
            let mut options = tui::Options {
                log_path,
                watch,
                history: Some("demo".into()),
                ..tui::Options::default()
            };
            if cli.frugal {
                frugal_demo(&mut options);
            }
            commands::demo::run_with(args, |session| tui::run(session.client, options)).await
        }
        Some(Command::Exec { conn, mut args }) => {
            let trailing =
                commands::exec::trailing_options(&args.command, &upstash_tui::cli::exec_options());
            let settings = settings(&conn.or(&cli.conn))
                .map_err(|e| commands::exec::explain_trailing(e, &trailing))?;
            args.trailing = trailing;
            args.read_only = settings.read_only;
            commands::exec::run(client(&settings)?, args).await
        }
        Some(Command::View { conn, mut args }) => {
            let settings = settings(&conn.or(&cli.conn))?;
            args.limits = value_limits(&settings);
            args.no_color = settings.theme == ThemeName::Mono
                || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            Ok(commands::view::run(client(&settings)?, args).await)
        }
        Some(Command::Doctor { conn, args }) => {
            commands::doctor::run_with(settings(&conn.or(&cli.conn))?, args).await
        }
        Some(Command::Scan { conn, args }) => {
            commands::scan::run(client(&settings(&conn.or(&cli.conn))?)?, args).await
        }
        Some(Command::Analyze { conn, mut args }) => {
            let settings = settings(&conn.or(&cli.conn))?;
            args.delimiter = settings.delimiter.clone();
            commands::analyze::run(client(&settings)?, args).await
        }
        Some(Command::Watch { conn, args }) => {
            commands::watch::run(client(&settings(&conn.or(&cli.conn))?)?, args).await
        }
        Some(Command::Bench { conn, mut args }) => {
            let settings = settings(&conn.or(&cli.conn))?;
            args.read_only = settings.read_only;
            commands::bench::run(client(&settings)?, args).await
        }
    }
}

/// Resolves the settings from the flags, the environment, `.env` and the config file.
fn settings(conn: &ConnectionArgs) -> anyhow::Result<Settings> {
    let overrides = Overrides::from(conn.clone());
    Ok(config::resolve(&overrides, &Environment::from_process())?)
}

/// What the TUI takes from the settings.
fn tui_options(settings: &Settings, log_path: Option<PathBuf>) -> tui::Options {
    tui::Options {
        delimiter: settings.delimiter.clone(),
        read_only: settings.read_only,
        keymap: settings.keymap.clone(),
        scan_budget: budget(&settings.scan),
        log_path,
        theme: settings.theme,
        profile: settings.profile.clone(),
        color: settings.color,
        monitor: monitor_settings(settings),
        watch: settings
            .watch
            .iter()
            .map(|k| k.as_bytes().to_vec())
            .collect(),
        value_limits: value_limits(settings),
        history: None,
        cost: settings.cost,
        screens: tui::screen::Registry::builtin(),
        analyze_budget: settings.analyze_budget,
    }
}

/// The scan engine's budget from the settings'.
fn budget(scan: &config::ScanBudget) -> Budget {
    Budget {
        keys: scan.max_keys,
        requests: scan.max_requests.into(),
    }
}

/// The demo in the frugal profile (it reads no config file).
fn frugal_demo(options: &mut tui::Options) {
    use upstash_tui::config::cost::{FRUGAL_INTERVAL, FRUGAL_SCAN};
    options.cost.frugal = true;
    options.monitor.interval = FRUGAL_INTERVAL;
    options.scan_budget = budget(&FRUGAL_SCAN);
}

/// The Monitor's settings: the defaults, with the config file's interval,
/// budget and quota (the interval is the frugal one unless the file says).
fn monitor_settings(settings: &Settings) -> upstash_tui::monitor::Settings {
    let mut monitor = upstash_tui::monitor::Settings {
        quota: settings.monitor_quota,
        ..Default::default()
    };
    if let Some(interval) = settings.monitor_interval {
        monitor.interval = interval;
    }
    if let Some(budget) = settings.monitor_budget {
        monitor.budget.commands_per_minute = Some(budget);
    }
    monitor
}

/// The Value pane's limits: the defaults, with the config file's string cap.
fn value_limits(settings: &Settings) -> upstash_tui::value::Limits {
    let mut limits = upstash_tui::value::Limits::default();
    if let Some(cap) = settings.max_string_bytes {
        limits.string_cap = cap;
    }
    limits
}

/// Builds the shared client.
fn client(settings: &Settings) -> anyhow::Result<Client> {
    let client = Client::new(settings.client_config())?;
    // The checked host only: a URL may have been pasted with a `_token` in it.
    tracing::info!(host = %client.host(), source = %settings.url_source, "connecting");
    Ok(client)
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace(['\n', '\r'], " ")
}
