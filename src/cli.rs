//! Command-line definitions (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::commands::{analyze, bench, demo, doctor, exec, scan, serve, view, watch};
use crate::config::Overrides;
use crate::parse;

/// A terminal UI for Upstash Redis over its REST API, with a local
/// Upstash-compatible gateway. Without a subcommand it opens the TUI.
#[derive(Debug, Parser)]
#[command(name = "upstash-tui", version, about, propagate_version = true)]
pub struct Cli {
    /// Write logs to this file instead of the XDG state folder.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    /// Connection settings for the TUI.
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// Keys (queues) the Monitor watches from the start, comma-separated or
    /// repeated; added to the profile's watch list.
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    pub watch: Vec<String>,

    /// Spend few commands (for free-tier databases): no prefetch, a probe
    /// every 30s, smaller scan budgets, and a question before anything over
    /// 100 commands. Like `cost = "frugal"` in the config file.
    #[arg(long)]
    pub frugal: bool,

    /// What to run; none opens the TUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an Upstash-compatible REST gateway in front of a redis-server.
    Serve(serve::Args),
    /// Run one command (or commands from stdin) and print the replies like redis-cli.
    Exec {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: exec::Args,
    },
    /// Print a key's value as the Value pane shows it (decoded), or its exact bytes with --raw.
    View {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: view::Args,
    },
    /// Check the connection, authentication, latency and permissions.
    Doctor {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: doctor::Args,
    },
    /// Print the keys one per line.
    Scan {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: scan::Args,
    },
    /// Where the keys and the memory go, per prefix, with the biggest keys, TTLs and expiry forecast.
    Analyze {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: analyze::Args,
    },
    /// Start a local redis-server and gateway with sample data and open the TUI on them.
    Demo(demo::Args),
    /// Print the length and rate of watched keys (queues) once per interval.
    Watch {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: watch::Args,
    },
    /// Measure the endpoint's latency and throughput (PING, SET, GET, pipelines).
    Bench {
        #[command(flatten)]
        conn: ConnectionArgs,
        #[command(flatten)]
        args: bench::Args,
    },
}

/// The long options `exec` takes (`--url`, `--raw`, ...), from the
/// definitions above.
pub fn exec_options() -> Vec<String> {
    use clap::CommandFactory as _;
    Cli::command()
        .find_subcommand("exec")
        .map(|c| {
            c.get_arguments()
                .filter_map(|a| a.get_long())
                .map(|l| format!("--{l}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Where and how to connect; see `config` for how these combine with the
/// environment, `.env` and the config file (as [`Overrides`]).
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// REST URL of the database [env: UPSTASH_REDIS_REST_URL, KV_REST_API_URL].
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// REST token [env: UPSTASH_REDIS_REST_TOKEN, KV_REST_API_TOKEN].
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Read variables from this file instead of ./.env.
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,

    /// Use this profile of the config file.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Config file [default: ~/.config/upstash-tui/config.toml].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Allow plain http:// to a non-loopback host (the token travels in clear text).
    #[arg(long)]
    pub allow_insecure_http: bool,

    /// How long to wait for a connection, like 500ms, 5s or 1m [default: 5s].
    #[arg(long, value_name = "DURATION", value_parser = parse::duration)]
    pub connect_timeout: Option<Duration>,

    /// How long to wait for a whole request [default: 15s].
    #[arg(long, value_name = "DURATION", value_parser = parse::duration)]
    pub timeout: Option<Duration>,

    /// Refuse commands that may write (the TUI and exec).
    #[arg(long)]
    pub read_only: bool,
}

impl ConnectionArgs {
    /// Combines the options given after a subcommand with those given before
    /// it; the ones after win.
    pub fn or(self, outer: &ConnectionArgs) -> ConnectionArgs {
        ConnectionArgs {
            url: self.url.or_else(|| outer.url.clone()),
            token: self.token.or_else(|| outer.token.clone()),
            env_file: self.env_file.or_else(|| outer.env_file.clone()),
            profile: self.profile.or_else(|| outer.profile.clone()),
            config: self.config.or_else(|| outer.config.clone()),
            allow_insecure_http: self.allow_insecure_http || outer.allow_insecure_http,
            connect_timeout: self.connect_timeout.or(outer.connect_timeout),
            timeout: self.timeout.or(outer.timeout),
            read_only: self.read_only || outer.read_only,
        }
    }
}

impl From<ConnectionArgs> for Overrides {
    fn from(args: ConnectionArgs) -> Overrides {
        Overrides {
            url: args.url,
            token: args.token,
            env_file: args.env_file,
            profile: args.profile,
            config: args.config,
            allow_insecure_http: args.allow_insecure_http,
            connect_timeout: args.connect_timeout,
            timeout: args.timeout,
            read_only: args.read_only,
            frugal: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_after_the_subcommand_win() {
        let cli = Cli::try_parse_from([
            "upstash-tui",
            "--url",
            "https://outer",
            "--timeout",
            "2s",
            "exec",
            "--url",
            "https://inner",
            "GET",
            "k",
        ])
        .unwrap();
        let Some(Command::Exec { conn, .. }) = cli.command else {
            panic!("exec expected");
        };
        let merged = conn.or(&cli.conn);
        assert_eq!(merged.url.as_deref(), Some("https://inner"));
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
    }

    #[test]
    fn watch_takes_commas_and_repeats() {
        let cli =
            Cli::try_parse_from(["upstash-tui", "--watch", "celery,emails", "--watch", "jobs"])
                .unwrap();
        assert_eq!(cli.watch, ["celery", "emails", "jobs"]);
        assert!(cli.command.is_none());
    }
}
