//! `upstash-tui exec`: run commands and print the replies like redis-cli.

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::os_bytes;
use crate::redis_cli::{self, Mode};
use crate::upstash::{Client, Cmd, Error, Reply, is_read_only_command};

/// Arguments of `upstash-tui exec`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Print replies like `redis-cli --raw`.
    #[arg(long, conflicts_with = "json")]
    pub raw: bool,

    /// Print each reply as one line of JSON (non-UTF-8 strings as {"base64": ...}).
    #[arg(long)]
    pub json: bool,

    /// The command and its arguments; without them, commands are read from
    /// stdin, one per line, with redis-cli's quoting.
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,

    /// Refuse commands that may write (from `--read-only` or the profile).
    #[arg(skip)]
    pub read_only: bool,

    /// Option names found after the command (see [`trailing_options`]),
    /// named when the command fails.
    #[arg(skip)]
    pub trailing: Vec<String>,
}

impl Args {
    fn mode(&self) -> Mode {
        if self.raw {
            Mode::Raw
        } else if self.json {
            Mode::Json
        } else {
            Mode::Tty
        }
    }
}

/// The words after the command that name one of `exec`'s own options
/// (`--url`, `--raw`, ...): sent as the command's arguments, as redis-cli
/// does, which is rarely what was meant.
pub fn trailing_options(command: &[OsString], options: &[String]) -> Vec<String> {
    command
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .map(|a| a.split_once('=').map_or(a, |(name, _)| name))
        .filter(|a| options.iter().any(|o| o == a))
        .map(str::to_owned)
        .collect()
}

/// Adds to a settings error the likely cause when options came after the
/// command (`exec PING --url ...`): they are the command's arguments.
pub fn explain_trailing(err: anyhow::Error, trailing: &[String]) -> anyhow::Error {
    if trailing.is_empty() {
        return err;
    }
    let (names, taken) = match trailing {
        [one] => (
            format!("`{one}`"),
            "it was taken as one of the command's arguments",
        ),
        [rest @ .., last] => (
            format!(
                "{} and `{last}`",
                rest.iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "they were taken as the command's arguments",
        ),
        [] => return err,
    };
    err.context(format!(
        "{names} came after the command, so {taken}; options go before the command \
         (upstash-tui exec --url URL COMMAND ARG...)"
    ))
}

/// Runs `upstash-tui exec` on an already configured client.
pub async fn run(client: Client, args: Args) -> anyhow::Result<ExitCode> {
    let cmds = if args.command.is_empty() {
        read_commands(std::io::stdin().lock())?
    } else {
        vec![args.command.iter().map(|a| os_bytes(a)).collect()]
    };
    if cmds.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if args.read_only
        && let Some(write) = cmds.iter().find(|c| !is_read_only_command(c))
    {
        bail!(
            "refusing {}: read-only mode is on (--read-only or the profile's read_only), \
             and it may write; nothing was sent",
            redis_cli::quote(write.first().map_or(&[][..], Vec::as_slice))
        );
    }
    let replies = send(&client, &cmds).await?;
    let mode = args.mode();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for (cmd, reply) in cmds.iter().zip(replies) {
        failed |= matches!(reply, Reply::Error(_));
        let reply = redis_cli::restore_status(cmd, reply);
        out.write_all(&redis_cli::format(&reply, mode))?;
    }
    out.flush()?;
    if failed && !args.trailing.is_empty() {
        eprintln!(
            "note: {} came after the command and went to Redis as arguments; options go before the command",
            args.trailing.join(" ")
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Sends one command on its own, or several as one pipeline, and returns one
/// reply per command with command errors as [`Reply::Error`].
async fn send(client: &Client, cmds: &[Cmd]) -> anyhow::Result<Vec<Reply>> {
    if let [single] = cmds {
        return match client.command(single).await {
            Ok(reply) => Ok(vec![reply]),
            Err(e) => match command_error(&e) {
                Some(text) => Ok(vec![Reply::Error(text)]),
                None => Err(e.into()),
            },
        };
    }
    Ok(client.pipeline(cmds).await?)
}

/// The Redis error text when the server refused the command itself (as
/// opposed to a transport or authentication failure).
fn command_error(e: &Error) -> Option<String> {
    match e {
        Error::Command(text) | Error::NoPermission(text) | Error::Limit { text, .. } => {
            Some(text.clone())
        }
        _ => None,
    }
}

/// Reads one command per line with redis-cli's quoting; blank lines are skipped.
pub fn read_commands(input: impl std::io::BufRead) -> anyhow::Result<Vec<Cmd>> {
    let mut cmds = Vec::new();
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line.context("reading commands from stdin")?;
        match redis_cli::split(&line) {
            Ok(args) if args.is_empty() => {}
            Ok(args) => cmds.push(args),
            Err(e) => bail!("line {}: {e}", n + 1),
        }
    }
    Ok(cmds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_lines_and_skips_blank_ones() {
        let input = b"SET k \"a b\"\n\n  \r\nGET 'k'\r\n" as &[u8];
        let cmds = read_commands(input).unwrap();
        assert_eq!(
            cmds,
            vec![
                vec![b"SET".to_vec(), b"k".to_vec(), b"a b".to_vec()],
                vec![b"GET".to_vec(), b"k".to_vec()]
            ]
        );
    }

    #[test]
    fn unbalanced_quotes_name_the_line() {
        let err = read_commands(b"PING\nSET \"k\n" as &[u8]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2: Invalid argument(s): unbalanced quotes"
        );
    }
}
