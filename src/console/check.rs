//! Checks made before a command is sent: whether Upstash serves it over
//! REST, whether it needs a confirmation, whether the read-only mode allows
//! it, and whether it has a sensible number of arguments.

use super::table::{Command, CommandTable};
use crate::upstash::is_read_only_command;

/// Above this many keys, `KEYS` asks before it runs (it blocks the server
/// while it walks the whole keyspace).
pub const KEYS_CONFIRM_ABOVE: u64 = 10_000;

/// What is known about the connection when checking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The profile or token is read-only: writes are refused before sending.
    pub read_only: bool,
    /// The last known `DBSIZE`, when there is one.
    pub dbsize: Option<u64>,
}

/// The outcome of the checks for one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing stands in the way.
    Send,
    /// Upstash does not serve it over REST; not sent.
    Unavailable { command: String, reason: String },
    /// A write while read-only; not sent.
    ReadOnly { command: String },
    /// Too few or too many arguments; not sent.
    Arity { command: String, message: String },
    /// Sent only after the user confirms.
    Confirm(Confirm),
}

/// A confirmation the user must give before a dangerous command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The command's name, upper case.
    pub command: String,
    /// Why it is dangerous, one line.
    pub why: String,
    /// When set, the user must type this word (the command's name) to confirm.
    pub type_to_confirm: Option<String>,
}

impl Confirm {
    /// Whether the typed answer confirms: the name (any case) when one must be
    /// typed, otherwise `y` or `yes`.
    pub fn accepts(&self, typed: &str) -> bool {
        let typed = typed.trim();
        match &self.type_to_confirm {
            Some(word) => typed.eq_ignore_ascii_case(word),
            None => typed.eq_ignore_ascii_case("y") || typed.eq_ignore_ascii_case("yes"),
        }
    }
}

impl Verdict {
    /// A one-line message for the user, or `None` for `Send`.
    pub fn message(&self) -> Option<String> {
        Some(match self {
            Verdict::Send => return None,
            Verdict::Unavailable { command, reason } => {
                format!("{command} is not available over Upstash REST: {reason}")
            }
            Verdict::ReadOnly { command } => {
                format!("{command} writes data and this connection is read-only")
            }
            Verdict::Arity { message, .. } => message.clone(),
            Verdict::Confirm(c) => match &c.type_to_confirm {
                Some(w) => format!("{}: type {w} to confirm", c.why),
                None => format!("{}: confirm with y", c.why),
            },
        })
    }
}

/// Checks one command. Unknown commands pass (Upstash has commands of its
/// own), except that the read-only mode lets through only known reads.
pub fn check(table: &CommandTable, argv: &[Vec<u8>], ctx: Context) -> Verdict {
    let Some(first) = argv.first() else {
        return Verdict::Send;
    };
    let typed_name = String::from_utf8_lossy(first).to_ascii_uppercase();
    let Some(cmd) = table.lookup(argv) else {
        if ctx.read_only && !is_read_only_command(argv) {
            return Verdict::ReadOnly {
                command: typed_name,
            };
        }
        return Verdict::Send;
    };
    if let Some(v) = arity(cmd, argv) {
        return v;
    }
    if let Some(reason) = unavailable(cmd, argv) {
        return Verdict::Unavailable {
            command: cmd.name.clone(),
            reason,
        };
    }
    if ctx.read_only && cmd.is_write() {
        return Verdict::ReadOnly {
            command: cmd.name.clone(),
        };
    }
    match dangerous(cmd, ctx) {
        Some(c) => Verdict::Confirm(c),
        None => Verdict::Send,
    }
}

/// Checks a pipeline: the first command that is refused, with its index;
/// else the first that needs a confirmation (confirming must never let a
/// refused command through).
pub fn check_all(
    table: &CommandTable,
    cmds: &[Vec<Vec<u8>>],
    ctx: Context,
) -> Option<(usize, Verdict)> {
    let verdicts: Vec<(usize, Verdict)> = cmds
        .iter()
        .enumerate()
        .map(|(i, argv)| (i, check(table, argv, ctx)))
        .filter(|(_, v)| *v != Verdict::Send)
        .collect();
    let refused = verdicts
        .iter()
        .position(|(_, v)| !matches!(v, Verdict::Confirm(_)));
    verdicts.into_iter().nth(refused.unwrap_or(0))
}

fn arity(cmd: &Command, argv: &[Vec<u8>]) -> Option<Verdict> {
    let n = i64::try_from(argv.len()).ok()?;
    let words = i64::try_from(cmd.name_words()).ok()?;
    let ok = if cmd.arity >= 0 {
        n == cmd.arity
    } else {
        n >= -cmd.arity
    };
    if ok {
        return None;
    }
    if !cmd.subcommands.is_empty() {
        let names: Vec<&str> = cmd
            .subcommands
            .iter()
            .filter_map(|s| s.name.split(' ').nth(1))
            .collect();
        return Some(Verdict::Arity {
            command: cmd.name.clone(),
            message: format!("{} needs a subcommand: {}", cmd.name, names.join(", ")),
        });
    }
    let wanted = cmd.arity.abs() - words;
    let plural = if wanted == 1 { "" } else { "s" };
    let how = if cmd.arity >= 0 {
        "exactly"
    } else {
        "at least"
    };
    Some(Verdict::Arity {
        command: cmd.name.clone(),
        message: format!(
            "{} takes {how} {wanted} argument{plural}, {} given: {} {}",
            cmd.name,
            n - words,
            cmd.name,
            cmd.syntax()
        ),
    })
}

fn unavailable(cmd: &Command, argv: &[Vec<u8>]) -> Option<String> {
    if let Some(r) = &cmd.rest_unavailable {
        return Some(r.clone());
    }
    let has = |word: &[u8]| argv.iter().skip(1).any(|a| a.eq_ignore_ascii_case(word));
    match cmd.name.as_str() {
        "SELECT" if argv.get(1).is_some_and(|db| db.as_slice() != b"0") => {
            Some("an Upstash endpoint has a single database: only SELECT 0 is accepted".into())
        }
        "XREAD" | "XREADGROUP" if has(b"BLOCK") => Some(
            "the blocking form (BLOCK) is not served over REST; leave BLOCK out to poll".into(),
        ),
        _ => None,
    }
}

/// The commands that ask first. `@dangerous` alone is too broad for this (it
/// covers INFO and ROLE), so the list names what destroys data, reconfigures
/// the server or stalls it.
fn dangerous(cmd: &Command, ctx: Context) -> Option<Confirm> {
    let name = cmd.name.as_str();
    let confirm = |why: &str, typed: bool| Confirm {
        command: name.to_string(),
        why: why.to_string(),
        type_to_confirm: typed.then(|| name.to_string()),
    };
    Some(match name {
        "FLUSHALL" => confirm("FLUSHALL deletes every key in every database", true),
        "FLUSHDB" => confirm("FLUSHDB deletes every key in the database", true),
        "KEYS" => match ctx.dbsize {
            Some(n) if n <= KEYS_CONFIRM_ABOVE => return None,
            Some(n) => Confirm {
                why: format!(
                    "KEYS walks all {n} keys and blocks the server meanwhile (SCAN does not)"
                ),
                ..confirm("", false)
            },
            None => confirm(
                "KEYS walks the whole keyspace and blocks the server meanwhile (SCAN does not)",
                false,
            ),
        },
        "SCRIPT FLUSH" => confirm("SCRIPT FLUSH removes every cached script", false),
        "FUNCTION FLUSH" => confirm("FUNCTION FLUSH deletes every function library", false),
        "FUNCTION RESTORE" => confirm("FUNCTION RESTORE may replace function libraries", false),
        "CONFIG SET" | "CONFIG RESETSTAT" | "CONFIG REWRITE" => {
            confirm(&format!("{name} changes the server's configuration"), false)
        }
        "SWAPDB" => confirm("SWAPDB swaps two whole databases", false),
        "MIGRATE" => confirm("MIGRATE moves keys to another server", false),
        "DEBUG" | "SHUTDOWN" | "FAILOVER" | "REPLICAOF" | "SLAVEOF" => {
            confirm(&format!("{name} can stop or reconfigure the server"), false)
        }
        "ACL SETUSER" | "ACL DELUSER" | "ACL LOAD" => {
            confirm(&format!("{name} changes who may connect"), false)
        }
        _ => return None,
    })
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
