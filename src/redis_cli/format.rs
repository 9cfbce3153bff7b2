//! Formatting replies exactly as redis-cli prints them (`cliFormatReplyTTY`
//! and `cliFormatReplyRaw` in `redis-cli.c`), plus a JSON form.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::split::repr;
use crate::upstash::Reply;

/// How replies are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// redis-cli on a terminal: `(integer) 5`, `"quoted"`, numbered arrays.
    #[default]
    Tty,
    /// `redis-cli --raw`: bare strings, one array element per line.
    Raw,
    /// One JSON value per reply (see [`to_json`]).
    Json,
}

/// Formats one top-level reply, including the trailing newline.
///
/// Output is bytes because `--raw` prints values verbatim, which need not be
/// UTF-8.
pub fn format(reply: &Reply, mode: Mode) -> Vec<u8> {
    match mode {
        Mode::Tty => {
            let mut out = String::new();
            tty(reply, "", &mut out);
            out.into_bytes()
        }
        Mode::Raw => {
            let mut out = Vec::new();
            raw(reply, &mut out);
            out.push(b'\n');
            out
        }
        Mode::Json => {
            let mut out = to_json(reply).to_string().into_bytes();
            out.push(b'\n');
            out
        }
    }
}

fn tty(reply: &Reply, prefix: &str, out: &mut String) {
    match reply {
        Reply::Error(e) => {
            out.push_str("(error) ");
            out.push_str(e);
            out.push('\n');
        }
        Reply::Status(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Reply::Int(i) => {
            out.push_str(&format!("(integer) {i}\n"));
        }
        Reply::Bytes(b) => {
            out.push_str(&repr(b));
            out.push('\n');
        }
        Reply::Nil => out.push_str("(nil)\n"),
        Reply::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
        Reply::Array(items) => {
            let width = items.len().to_string().len();
            // Nested elements are indented past "N) ", as redis-cli does.
            let child_prefix = format!("{prefix}{}", " ".repeat(width + 2));
            for (i, item) in items.iter().enumerate() {
                // The first element follows its parent's number on the same line.
                let lead = if i == 0 { "" } else { prefix };
                out.push_str(&format!("{lead}{:>width$}) ", i + 1));
                tty(item, &child_prefix, out);
            }
        }
    }
}

fn raw(reply: &Reply, out: &mut Vec<u8>) {
    match reply {
        Reply::Nil => {}
        Reply::Error(e) => {
            out.extend_from_slice(e.as_bytes());
            out.push(b'\n');
        }
        Reply::Status(s) => out.extend_from_slice(s.as_bytes()),
        Reply::Bytes(b) => out.extend_from_slice(b),
        Reply::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Reply::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                raw(item, out);
            }
        }
    }
}

/// The reply as JSON.
///
/// Strings (bulk or status) that are valid UTF-8 become JSON strings; other
/// byte strings become `{"base64": "..."}` so no byte is lost; integers are
/// numbers, nil is `null`, arrays are arrays, and errors are
/// `{"error": "..."}`.
pub fn to_json(reply: &Reply) -> Value {
    match reply {
        Reply::Nil => Value::Null,
        Reply::Int(i) => json!(i),
        Reply::Status(s) => json!(s),
        Reply::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => json!(s),
            Err(_) => json!({ "base64": B64.encode(b) }),
        },
        Reply::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Reply::Error(e) => json!({ "error": e }),
    }
}

/// Commands whose every string reply is a status reply in RESP.
const STATUS_COMMANDS: &[&str] = &["TYPE", "BGSAVE", "BGREWRITEAOF", "SAVE", "RESET"];

/// Commands that answer a status `OK` on success.
const OK_COMMANDS: &[&str] = &[
    "SET",
    "SETEX",
    "PSETEX",
    "MSET",
    "HMSET",
    "LSET",
    "LTRIM",
    "RENAME",
    "FLUSHDB",
    "FLUSHALL",
    "SELECT",
    "SWAPDB",
    "RESTORE",
    "PFMERGE",
    "XGROUP",
    "XSETID",
    "MIGRATE",
    "CONFIG",
    "SCRIPT",
    "FUNCTION",
    "DISCARD",
    "MULTI",
    "WATCH",
    "UNWATCH",
    "READONLY",
    "READWRITE",
    "CLIENT",
    "DEBUG",
    "ACL",
    "SLOWLOG",
    "LATENCY",
    "JSON.SET",
    "JSON.MSET",
    "JSON.MERGE",
    "QUIT",
    "AUTH",
    "ASKING",
    "MEMORY",
];

/// Restores the status type of a reply that arrived as plain bytes.
///
/// Over REST only a top-level `OK` is marked as a status; `PONG` and the
/// result of `TYPE` arrive as strings, which redis-cli would print unquoted.
pub fn restore_status(cmd: &[Vec<u8>], reply: Reply) -> Reply {
    let Reply::Bytes(bytes) = &reply else {
        return reply;
    };
    let Some(name) = cmd
        .first()
        .map(|n| String::from_utf8_lossy(n).to_ascii_uppercase())
    else {
        return reply;
    };
    let is_status = match name.as_str() {
        "PING" => cmd.len() == 1 && bytes == b"PONG",
        n if STATUS_COMMANDS.contains(&n) => true,
        // `SET ... GET` answers the old value as a bulk string.
        "SET" if cmd[1..].iter().any(|a| a.eq_ignore_ascii_case(b"GET")) => false,
        n if OK_COMMANDS.contains(&n) => bytes == b"OK",
        _ => false,
    };
    // A status never holds CR or LF; anything else stays a bulk string.
    if is_status && !bytes.iter().any(|&b| b == b'\r' || b == b'\n') {
        match String::from_utf8(bytes.clone()) {
            Ok(s) => Reply::Status(s),
            Err(_) => reply,
        }
    } else {
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &[u8]) -> Reply {
        Reply::Bytes(s.to_vec())
    }

    fn tty_text(r: &Reply) -> String {
        String::from_utf8(format(r, Mode::Tty)).unwrap()
    }

    #[test]
    fn scalars_look_like_redis_cli() {
        assert_eq!(tty_text(&Reply::Status("OK".into())), "OK\n");
        assert_eq!(tty_text(&Reply::Int(-5)), "(integer) -5\n");
        assert_eq!(tty_text(&Reply::Nil), "(nil)\n");
        assert_eq!(tty_text(&b(b"a\"b\n\x00\xff")), "\"a\\\"b\\n\\x00\\xff\"\n");
        assert_eq!(tty_text(&Reply::Error("ERR x".into())), "(error) ERR x\n");
        assert_eq!(tty_text(&Reply::Array(vec![])), "(empty array)\n");
    }

    #[test]
    fn nested_arrays_are_numbered_and_indented() {
        let entry = |id: &[u8], fields: &[&[u8]]| {
            Reply::Array(vec![
                b(id),
                Reply::Array(fields.iter().map(|f| b(f)).collect()),
            ])
        };
        let r = Reply::Array(vec![
            entry(b"1-0", &[b"a", b"1"]),
            entry(b"2-0", &[b"b", b"2"]),
        ]);
        assert_eq!(
            tty_text(&r),
            "1) 1) \"1-0\"\n   2) 1) \"a\"\n      2) \"1\"\n2) 1) \"2-0\"\n   2) 1) \"b\"\n      2) \"2\"\n"
        );
        let ten = Reply::Array(
            (0..10)
                .map(|_| Reply::Array(vec![Reply::Int(1), Reply::Nil]))
                .collect(),
        );
        let text = tty_text(&ten);
        assert!(
            text.starts_with(" 1) 1) (integer) 1\n    2) (nil)\n 2) 1)"),
            "{text}"
        );
        assert!(
            text.contains("\n10) 1) (integer) 1\n    2) (nil)\n"),
            "{text}"
        );
    }

    #[test]
    fn raw_is_bare() {
        let r = Reply::Array(vec![b(b"a"), Reply::Nil, Reply::Int(3), b(b"\xff")]);
        assert_eq!(format(&r, Mode::Raw), b"a\n\n3\n\xff\n");
        assert_eq!(format(&Reply::Nil, Mode::Raw), b"\n");
        assert_eq!(
            format(&Reply::Error("ERR x".into()), Mode::Raw),
            b"ERR x\n\n"
        );
        assert_eq!(format(&Reply::Array(vec![]), Mode::Raw), b"\n");
    }

    #[test]
    fn json_keeps_every_byte() {
        let r = Reply::Array(vec![
            b("é".as_bytes()),
            b(b"\xff"),
            Reply::Nil,
            Reply::Int(1),
        ]);
        assert_eq!(to_json(&r), json!(["é", {"base64": "/w=="}, null, 1]));
        assert_eq!(
            to_json(&Reply::Error("ERR x".into())),
            json!({"error": "ERR x"})
        );
    }

    #[test]
    fn status_replies_are_restored_for_known_commands() {
        let c = |parts: &[&str]| {
            parts
                .iter()
                .map(|p| p.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            restore_status(&c(&["ping"]), b(b"PONG")),
            Reply::Status("PONG".into())
        );
        assert_eq!(restore_status(&c(&["PING", "x"]), b(b"x")), b(b"x"));
        assert_eq!(
            restore_status(&c(&["TYPE", "k"]), b(b"hash")),
            Reply::Status("hash".into())
        );
        assert_eq!(
            restore_status(&c(&["SET", "k", "v"]), b(b"OK")),
            Reply::Status("OK".into())
        );
        assert_eq!(
            restore_status(&c(&["SET", "k", "v", "GET"]), b(b"OK")),
            b(b"OK")
        );
        assert_eq!(restore_status(&c(&["GET", "k"]), b(b"OK")), b(b"OK"));
    }
}
