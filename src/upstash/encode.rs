//! Request bodies and paths: how commands whose arguments are bytes travel
//! over a protocol built on JSON strings.
//!
//! - Every argument valid UTF-8: the command is a JSON array of strings
//!   (`POST /` for one command, a 2-D array for `/pipeline` and `/multi-exec`).
//! - A single command with a non-UTF-8 argument: the raw-body path form,
//!   `POST /<arg0>/<arg1>/.../<argN-1>` with the last argument as the raw
//!   body. Each path segment is percent-encoded except unreserved characters
//!   (so `/` becomes `%2F`), which keeps every byte exact, keys included.
//! - Where the path form cannot carry the command (inside a pipeline or a
//!   transaction; an empty last argument, which an empty body cannot tell
//!   from none; an empty, `.` or `..` segment, which URLs drop or fold; a
//!   command named like an endpoint), it is wrapped in a Lua script whose
//!   arguments are hex strings: [`HEX_SCRIPT`] decodes them and runs the
//!   command with `redis.pcall`, so the reply and any error come back as the
//!   command's own. Reads use `EVAL_RO`, so a read-only token can run them.
//!
//! Keys do not go through `KEYS` in the wrapper: `KEYS` would have to carry
//! the key's bytes, and those bytes are exactly what a JSON string cannot
//! hold. Upstash runs each database on one shard and Redis outside cluster
//! mode allows undeclared keys, so the declaration would not change the
//! result. Two limits of the wrapper: Lua numbers are doubles, so integer
//! replies beyond 2^53 lose precision, and Lua's `unpack` caps a command at
//! a few thousand arguments.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use super::error::Error;
use super::read_only::is_read_only_command;

/// Marks the wrapper in `EVAL` commands, so a monitor or log can recognise it.
pub const HEX_SCRIPT_TAG: &str = "upstash-tui:hex-argv";

/// The Lua wrapper for commands with non-UTF-8 arguments inside JSON bodies.
pub const HEX_SCRIPT: &str = "-- upstash-tui:hex-argv (arguments are hex so any bytes survive JSON)\n\
local a = {}\n\
for i, h in ipairs(ARGV) do\n\
  a[i] = (h:gsub('%x%x', function(c) return string.char(tonumber(c, 16)) end))\n\
end\n\
return redis.pcall(unpack(a))\n";

/// Everything but unreserved characters (RFC 3986) is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// First path segments that name an endpoint rather than a command.
const ENDPOINTS: &[&str] = &[
    "pipeline",
    "multi-exec",
    "monitor",
    "subscribe",
    "psubscribe",
];

/// A request ready to send: a path below the base URL and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// `""` for `POST /`, or `/seg/seg/...` for the path form.
    pub path: String,
    pub body: Vec<u8>,
    /// Whether the body is a raw value (path form) rather than JSON.
    pub raw: bool,
}

/// Encodes one command for `POST /` (JSON) or the raw-body path form.
pub fn single<A: AsRef<[u8]>>(args: &[A]) -> Result<Encoded, Error> {
    check_not_empty(args)?;
    let all_text = args.iter().all(|a| std::str::from_utf8(a.as_ref()).is_ok());
    if !all_text && let Some(enc) = path_form(args) {
        return Ok(enc);
    }
    Ok(Encoded {
        path: String::new(),
        body: to_json(&as_json_args(args))?,
        raw: false,
    })
}

/// Encodes commands for `/pipeline` or `/multi-exec` as a 2-D JSON array.
pub fn batch<A: AsRef<[u8]>>(cmds: &[Vec<A>]) -> Result<Vec<u8>, Error> {
    let mut rows = Vec::with_capacity(cmds.len());
    for c in cmds {
        check_not_empty(c)?;
        rows.push(as_json_args(c));
    }
    to_json(&rows)
}

fn check_not_empty<A>(args: &[A]) -> Result<(), Error> {
    if args.is_empty() {
        return Err(Error::Input(
            "empty command: a command needs at least a name".into(),
        ));
    }
    Ok(())
}

/// The command as JSON strings: itself when all UTF-8, else the hex wrapper.
fn as_json_args<A: AsRef<[u8]>>(args: &[A]) -> Vec<Cow<'_, str>> {
    let texts: Option<Vec<&str>> = args
        .iter()
        .map(|a| std::str::from_utf8(a.as_ref()).ok())
        .collect();
    if let Some(texts) = texts {
        return texts.into_iter().map(Cow::Borrowed).collect();
    }
    let eval = if is_read_only_command(args) {
        "EVAL_RO"
    } else {
        "EVAL"
    };
    let mut out = Vec::with_capacity(args.len() + 3);
    out.push(Cow::Borrowed(eval));
    out.push(Cow::Borrowed(HEX_SCRIPT));
    out.push(Cow::Borrowed("0"));
    out.extend(args.iter().map(|a| Cow::Owned(hex(a.as_ref()))));
    out
}

fn path_form<A: AsRef<[u8]>>(args: &[A]) -> Option<Encoded> {
    let (last, front) = args.split_last()?;
    let usable = !front.is_empty()
        && !last.as_ref().is_empty()
        && front
            .iter()
            .all(|a| !matches!(a.as_ref(), b"" | b"." | b".."))
        && !ENDPOINTS
            .iter()
            .any(|e| e.as_bytes().eq_ignore_ascii_case(front[0].as_ref()));
    if !usable {
        return None;
    }
    let mut path = String::new();
    for a in front {
        path.push('/');
        path.extend(percent_encoding::percent_encode(a.as_ref(), SEGMENT));
    }
    Some(Encoded {
        path,
        body: last.as_ref().to_vec(),
        raw: true,
    })
}

/// Percent-encodes one path segment the way the path form needs it.
pub fn segment(bytes: &[u8]) -> String {
    percent_encoding::percent_encode(bytes, SEGMENT).collect()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(v).map_err(|e| Error::Input(format!("cannot encode the request: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_commands_are_json_arrays() {
        let e = single(&["SET", "k/1", "v \"q\""]).unwrap();
        assert_eq!(e.path, "");
        assert!(!e.raw);
        assert_eq!(e.body, br#"["SET","k/1","v \"q\""]"#);
        let b = batch(&[vec!["GET", "a"], vec!["INCR", "n"]]).unwrap();
        assert_eq!(b, br#"[["GET","a"],["INCR","n"]]"#);
    }

    #[test]
    fn binary_single_commands_use_the_path_form() {
        let e = single(&[&b"SET"[..], b"a/b%c?\xff .", b"\x00\xff"]).unwrap();
        assert!(e.raw);
        assert_eq!(e.path, "/SET/a%2Fb%25c%3F%FF%20.");
        assert_eq!(e.body, b"\x00\xff");
    }

    #[test]
    fn path_form_falls_back_to_the_wrapper_where_it_cannot_carry_bytes() {
        let cases: Vec<Vec<&[u8]>> = vec![
            vec![b"SET", b"\xff", b""],
            vec![b"SET", b"", b"\xff"],
            vec![b"SET", b"..", b"\xff"],
            vec![b"pipeline", b"\xff"],
            vec![b"\xff"],
        ];
        for c in cases {
            let e = single(&c).unwrap();
            assert!(!e.raw, "{c:?}");
            let v: Vec<String> = serde_json::from_slice(&e.body).unwrap();
            assert_eq!(v[0], "EVAL");
            assert!(v[1].contains(HEX_SCRIPT_TAG));
            assert_eq!(v[2], "0");
            assert_eq!(v.len(), c.len() + 3);
        }
    }

    #[test]
    fn wrapped_arguments_are_hex_and_reads_use_eval_ro() {
        let b = batch(&[vec![&b"GET"[..], b"\x00\xff"], vec![b"SET", b"\xfe", b"v"]]).unwrap();
        let v: Vec<Vec<String>> = serde_json::from_slice(&b).unwrap();
        assert_eq!(v[0][0], "EVAL_RO");
        assert_eq!(&v[0][3..], ["474554", "00ff"]);
        assert_eq!(v[1][0], "EVAL");
        assert_eq!(&v[1][3..], ["534554", "fe", "76"]);
    }

    #[test]
    fn every_byte_is_hex_encoded_and_segment_encoded_losslessly() {
        let all: Vec<u8> = (0..=255).collect();
        let h = hex(&all);
        assert_eq!(h.len(), 512);
        let back: Vec<u8> = (0..256)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert_eq!(back, all);
        let seg = segment(&all);
        assert!(!seg.contains('/'));
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(&seg).collect();
        assert_eq!(decoded, all);
    }

    #[test]
    fn empty_commands_are_refused() {
        assert!(matches!(single::<&str>(&[]), Err(Error::Input(_))));
        assert!(matches!(batch::<&str>(&[vec![]]), Err(Error::Input(_))));
    }

    /// Reverses whichever form [`single`] chose, as a server would.
    fn decode_single(e: &Encoded) -> Vec<Vec<u8>> {
        if e.raw {
            let mut argv: Vec<Vec<u8>> = e.path[1..]
                .split('/')
                .map(|seg| percent_encoding::percent_decode_str(seg).collect())
                .collect();
            argv.push(e.body.clone());
            return argv;
        }
        let v: Vec<String> = serde_json::from_slice(&e.body).unwrap();
        if v[0].starts_with("EVAL") && v[1] == HEX_SCRIPT {
            return v[3..]
                .iter()
                .map(|h| {
                    (0..h.len() / 2)
                        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
                        .collect()
                })
                .collect();
        }
        v.into_iter().map(String::into_bytes).collect()
    }

    proptest::proptest! {
        #[test]
        fn any_command_survives_encoding(
            argv in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..12), 1..6)
        ) {
            let e = single(&argv).unwrap();
            proptest::prop_assert_eq!(decode_single(&e), argv);
        }

        #[test]
        fn any_text_command_stays_plain_json(
            argv in proptest::collection::vec(".{0,10}", 1..6)
        ) {
            let e = single(&argv).unwrap();
            proptest::prop_assert!(!e.raw);
            let v: Vec<String> = serde_json::from_slice(&e.body).unwrap();
            proptest::prop_assert_eq!(v, argv);
        }
    }
}
