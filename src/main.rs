//! The `upstash-tui` binary: parse the command line, start logging, dispatch.

use std::process::ExitCode;

use clap::Parser as _;
use upstash_tui::cli::{Cli, Command, ConnectionArgs};
use upstash_tui::config::{self, ConfigError, Environment};
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
    match runtime.block_on(dispatch(cli)) {
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

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            tui::run(client(&cli.conn)?, tui::Options::default()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Serve(args)) => commands::serve::run(args).await,
        Some(Command::Demo(args)) => commands::demo::run(args).await,
        Some(Command::Exec { conn, args }) => {
            commands::exec::run(client(&conn.or(&cli.conn))?, args).await
        }
        Some(Command::Doctor { conn, args }) => {
            commands::doctor::run(client(&conn.or(&cli.conn))?, args).await
        }
        Some(Command::Scan { conn, args }) => {
            commands::scan::run(client(&conn.or(&cli.conn))?, args).await
        }
    }
}

/// Resolves the settings and builds the shared client.
fn client(conn: &ConnectionArgs) -> anyhow::Result<Client> {
    let settings = config::resolve(conn, &Environment::from_process())?;
    tracing::info!(host = %settings.url, source = %settings.url_source, "connecting");
    Ok(Client::new(settings.client_config())?)
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace(['\n', '\r'], " ")
}
