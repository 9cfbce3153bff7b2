//! What the gateway does with each command before it reaches redis-server:
//! refuse those that would block or change a shared connection's state,
//! refuse writes for a read-only token, answer `SELECT 0` itself, and turn
//! Upstash's `SCAN ... WITHTYPE` into one script call.

use super::request::Command;
use super::table::Table;
use crate::upstash::Reply;

/// How one command will be answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Sent to redis-server as it is.
    Send(Command),
    /// `SCAN` with Upstash's `WITHTYPE`: these SCAN arguments (cursor and
    /// options, without WITHTYPE) go to a script that also reads each type.
    ScanWithTypes(Vec<Vec<u8>>),
    /// Answered by the gateway itself: a refusal, or `SELECT 0`.
    Answer(Reply),
}

/// Commands that would block a shared connection, change its state (database,
/// transaction, subscription, protocol, identity), or stop the server.
/// Upstash refuses the same families over REST: blocking commands, WATCH
/// and DISCARD, connection commands other than PING and ECHO, plain
/// SUBSCRIBE and MONITOR (<https://upstash.com/docs/redis/features/restapi>).
const REFUSED: &[&str] = &[
    "ASKING",
    "AUTH",
    "BLMOVE",
    "BLMPOP",
    "BLPOP",
    "BRPOP",
    "BRPOPLPUSH",
    "BZMPOP",
    "BZPOPMAX",
    "BZPOPMIN",
    "CLIENT",
    "DEBUG",
    "DISCARD",
    "EXEC",
    "FAILOVER",
    "HELLO",
    "MONITOR",
    "MULTI",
    "PSUBSCRIBE",
    "PSYNC",
    "PUNSUBSCRIBE",
    "QUIT",
    "READONLY",
    "READWRITE",
    "REPLICAOF",
    "RESET",
    "SHUTDOWN",
    "SLAVEOF",
    "SSUBSCRIBE",
    "SUBSCRIBE",
    "SUNSUBSCRIBE",
    "SYNC",
    "UNSUBSCRIBE",
    "UNWATCH",
    "WAIT",
    "WAITAOF",
    "WATCH",
];

/// Commands a read-only token may not run although the server does not flag
/// them as writes: Upstash's read-only tokens may not run the "powerful
/// reads" KEYS and SCAN (<https://upstash.com/docs/redis/features/restapi>),
/// and publishing is not reading.
const READ_ONLY_REFUSED: &[&str] = &["KEYS", "PUBLISH", "SCAN", "SPUBLISH"];

/// The command name in upper case, for messages and list lookups.
pub fn name_of(cmd: &Command) -> String {
    cmd.first()
        .map(|n| String::from_utf8_lossy(n).to_ascii_uppercase())
        .unwrap_or_default()
}

/// Decides how a command is answered, `table` being needed only for a
/// read-only token.
pub fn plan(cmd: Command, read_only: Option<&Table>) -> Step {
    let name = name_of(&cmd);
    if let Some(refusal) = refusal(&name, &cmd) {
        return Step::Answer(Reply::Error(refusal));
    }
    if let Some(table) = read_only
        && let Some(noperm) = read_only_refusal(&name, &cmd, table)
    {
        return Step::Answer(Reply::Error(noperm));
    }
    if name == "SELECT" {
        // Only `SELECT 0` gets here. It changes nothing for a gateway on
        // database 0, and answering it locally keeps the shared connection
        // on the database of the configured URL.
        return Step::Answer(Reply::Status("OK".into()));
    }
    if name == "SCAN"
        && let Some(args) = without_withtype(&cmd)
    {
        return Step::ScanWithTypes(args);
    }
    Step::Send(cmd)
}

/// Whether any part of the command is not plain ASCII. Redis cuts echoed
/// arguments at 128 bytes, which can split a UTF-8 character too.
pub fn has_binary(cmd: &Command) -> bool {
    cmd.iter().any(|a| !a.is_ascii())
}

/// Redis echoes an unknown command with its arguments, or an unknown
/// subcommand, in its error line, and the RESP client drops the shared
/// connection (failing every request on it) when such a line is not
/// UTF-8. Those commands are answered here instead, with Redis' text and
/// the invalid bytes shown as U+FFFD, as Upstash shows them.
pub fn unknown_binary(cmd: &Command, table: &Table) -> Option<String> {
    if table.is_empty() || !has_binary(cmd) {
        return None;
    }
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let name = lossy(cmd.first()?).to_ascii_lowercase();
    if !table.knows(&name) {
        let args: String = cmd[1..]
            .iter()
            .map(|a| format!("'{}' ", lossy(a)))
            .collect();
        return Some(format!(
            "ERR unknown command '{}', with args beginning with: {args}",
            lossy(&cmd[0])
        ));
    }
    let sub = cmd.get(1)?;
    let known = format!("{name}|{}", lossy(sub).to_ascii_lowercase());
    (table.is_container(&name) && !table.knows(&known)).then(|| {
        format!(
            "ERR unknown subcommand '{}'. Try {} HELP.",
            lossy(sub),
            name.to_ascii_uppercase()
        )
    })
}

fn refusal(name: &str, cmd: &Command) -> Option<String> {
    let refused = REFUSED.contains(&name)
        || (name == "SELECT" && !(cmd.len() == 2 && cmd[1] == b"0"))
        || ((name == "XREAD" || name == "XREADGROUP") && blocks(cmd));
    refused.then(|| format!("ERR Command is not available: '{name}'"))
}

/// Whether an XREAD/XREADGROUP asks to block: `BLOCK` among the options
/// before `STREAMS` (after it come key names, which may be "block").
fn blocks(cmd: &Command) -> bool {
    cmd.iter()
        .skip(1)
        .take_while(|a| !a.eq_ignore_ascii_case(b"STREAMS"))
        .any(|a| a.eq_ignore_ascii_case(b"BLOCK"))
}

fn read_only_refusal(name: &str, cmd: &Command, table: &Table) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let sub = cmd.get(1).map(Vec::as_slice);
    let denied =
        READ_ONLY_REFUSED.contains(&name) || table.read_only_ok(&lower, sub) == Some(false);
    if !denied {
        return None;
    }
    let shown = match sub {
        Some(sub) if table.is_container(&lower) => {
            format!(
                "{lower}|{}",
                String::from_utf8_lossy(sub).to_ascii_lowercase()
            )
        }
        _ => lower,
    };
    Some(format!(
        "NOPERM this user has no permissions to run the '{shown}' command"
    ))
}

/// The SCAN arguments without `WITHTYPE`, when `WITHTYPE` was given.
/// Options that take a value are skipped as pairs, so `MATCH withtype`
/// is a pattern, not the flag.
fn without_withtype(cmd: &Command) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(cmd.len());
    let mut found = false;
    let mut i = 1;
    while i < cmd.len() {
        let arg = &cmd[i];
        let takes_value = i > 1
            && [b"MATCH".as_slice(), b"COUNT", b"TYPE"]
                .iter()
                .any(|o| arg.eq_ignore_ascii_case(o));
        if i > 1 && arg.eq_ignore_ascii_case(b"WITHTYPE") {
            found = true;
            i += 1;
            continue;
        }
        out.push(arg.clone());
        if takes_value && let Some(v) = cmd.get(i + 1) {
            out.push(v.clone());
            i += 1;
        }
        i += 1;
    }
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> Command {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    fn refused(parts: &[&str]) -> bool {
        matches!(plan(cmd(parts), None), Step::Answer(Reply::Error(e)) if e.contains("not available"))
    }

    #[test]
    fn blocking_and_stateful_commands_are_refused() {
        assert!(refused(&["blpop", "q", "0"]));
        assert!(refused(&["SELECT", "1"]));
        assert!(refused(&["client", "setname", "x"]));
        assert!(refused(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]));
        assert!(!refused(&["XREAD", "COUNT", "1", "STREAMS", "block", "0"]));
        assert!(!refused(&["GET", "k"]));
        assert_eq!(
            plan(cmd(&["select", "0"]), None),
            Step::Answer(Reply::Status("OK".into()))
        );
    }

    #[test]
    fn withtype_is_taken_out_of_scan() {
        assert_eq!(
            plan(
                cmd(&["SCAN", "0", "MATCH", "withtype", "WithType", "COUNT", "5"]),
                None
            ),
            Step::ScanWithTypes(cmd(&["0", "MATCH", "withtype", "COUNT", "5"]))
        );
        assert_eq!(
            plan(cmd(&["SCAN", "0"]), None),
            Step::Send(cmd(&["SCAN", "0"]))
        );
    }
}
