//! Turning an HTTP request into Redis commands: the JSON array bodies of
//! `POST /`, `/pipeline` and `/multi-exec`, and the path form with its raw
//! body and query arguments (<https://upstash.com/docs/redis/features/restapi>).

use percent_encoding::percent_decode;
use serde_json::value::RawValue;

/// One Redis command: the name and its arguments, as raw bytes.
pub type Command = Vec<Vec<u8>>;

/// The query string of a request, split into the token and the arguments.
#[derive(Debug, Default, PartialEq)]
pub struct Query {
    /// The value of `_token`, if present.
    pub token: Option<Vec<u8>>,
    /// Every other pair, in order, as `K`, `V` (a key without `=` is one argument).
    pub args: Vec<Vec<u8>>,
}

/// Splits a raw query string. `+` means a space, as HTML forms and
/// `URLSearchParams` encode it; `%XX` escapes decode to raw bytes.
pub fn parse_query(raw: Option<&str>) -> Query {
    let mut q = Query::default();
    for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once('=') {
            Some((k, v)) => (decode_query(k), Some(decode_query(v))),
            None => (decode_query(pair), None),
        };
        if key == b"_token" {
            q.token = value;
            continue;
        }
        q.args.push(key);
        q.args.extend(value);
    }
    q
}

fn decode_query(s: &str) -> Vec<u8> {
    let spaced = s.replace('+', " ");
    percent_decode(spaced.as_bytes()).collect()
}

/// The command of a path-form request: `/cmd/arg/...` split on literal `/`
/// and then percent-decoded, so `%2F`, `%00` and `%FF` arrive as those bytes.
///
/// Leading slashes are skipped and one trailing slash is ignored; empty
/// segments in between are empty arguments. A non-empty body becomes the
/// next argument, and the query arguments follow it.
pub fn path_command(path: &str, body: &[u8], query_args: Vec<Vec<u8>>) -> Command {
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let mut cmd: Command = trimmed
        .split('/')
        .map(|seg| percent_decode(seg.as_bytes()).collect())
        .collect();
    if !body.is_empty() {
        cmd.push(body.to_vec());
    }
    cmd.extend(query_args);
    cmd
}

/// Parses `["SET","k","v"]` into one command.
pub fn json_command(body: &[u8]) -> Result<Command, String> {
    let items: Vec<&RawValue> = json_array(
        body,
        "ERR the request body must be a JSON array like [\"SET\",\"key\",\"value\"]",
    )?;
    command_from(&items)
}

/// Parses `[["SET","k","v"],["GET","k"]]` into a list of commands.
pub fn json_commands(body: &[u8]) -> Result<Vec<Command>, String> {
    const SHAPE: &str = "ERR the request body must be a JSON array of commands like [[\"SET\",\"k\",\"v\"],[\"GET\",\"k\"]]";
    let outer: Vec<&RawValue> = json_array(body, SHAPE)?;
    outer
        .iter()
        .map(|item| {
            let inner: Vec<&RawValue> = json_array(item.get().as_bytes(), SHAPE)?;
            command_from(&inner)
        })
        .collect()
}

fn json_array<'a>(body: &'a [u8], shape: &str) -> Result<Vec<&'a RawValue>, String> {
    let raw: &RawValue = serde_json::from_slice(body)
        .map_err(|e| format!("ERR the request body is not valid JSON: {e}"))?;
    if !raw.get().starts_with('[') {
        return Err(shape.to_string());
    }
    serde_json::from_str(raw.get())
        .map_err(|e| format!("ERR the request body is not valid JSON: {e}"))
}

fn command_from(items: &[&RawValue]) -> Result<Command, String> {
    if items.is_empty() {
        return Err("ERR empty command: the array needs at least a command name".into());
    }
    items.iter().map(|v| argument(v)).collect()
}

/// One argument: a string's UTF-8 bytes, a number's exact literal text (so
/// 12345678901234567890 and 1.5e3 reach Redis as written), or `true`/`false`.
fn argument(v: &RawValue) -> Result<Vec<u8>, String> {
    let text = v.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(String::into_bytes)
            .map_err(|e| format!("ERR invalid JSON string argument: {e}")),
        Some(b'-' | b'0'..=b'9' | b't' | b'f') => Ok(text.as_bytes().to_vec()),
        Some(b'n') => Err("ERR null is not a valid command argument".into()),
        Some(b'[') => Err("ERR a nested array is not a valid command argument".into()),
        Some(b'{') => Err("ERR a JSON object is not a valid command argument".into()),
        _ => Err(format!("ERR invalid command argument: {text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn numbers_keep_their_literal_text() {
        let cmd = json_command(br#"["SET","k",12345678901234567890,1.5e3,-0.0,true]"#).unwrap();
        assert_eq!(
            cmd,
            vec![
                b("SET"),
                b("k"),
                b("12345678901234567890"),
                b("1.5e3"),
                b("-0.0"),
                b("true")
            ]
        );
    }

    #[test]
    fn whitespace_around_values_is_fine() {
        let cmd = json_command(b" [ \"GET\" ,\n \"k\" ] ").unwrap();
        assert_eq!(cmd, vec![b("GET"), b("k")]);
    }

    #[test]
    fn bad_bodies_are_clear_errors() {
        assert!(json_command(b"{").unwrap_err().contains("not valid JSON"));
        assert!(
            json_command(b"{\"a\":1}")
                .unwrap_err()
                .contains("must be a JSON array")
        );
        assert!(json_command(b"[]").unwrap_err().contains("empty command"));
        assert!(
            json_command(b"[\"GET\",null]")
                .unwrap_err()
                .contains("null")
        );
        assert!(
            json_command(b"[\"GET\",[1]]")
                .unwrap_err()
                .contains("nested array")
        );
        assert!(
            json_command(b"[\"GET\",{}]")
                .unwrap_err()
                .contains("object")
        );
        assert!(
            json_commands(b"[\"GET\"]")
                .unwrap_err()
                .contains("array of commands")
        );
        assert!(json_command(b"\xff").unwrap_err().starts_with("ERR"));
    }

    #[test]
    fn path_segments_decode_to_raw_bytes() {
        let cmd = path_command("/set/a%2Fb%00%FF/x%20y/", b"", vec![]);
        assert_eq!(cmd, vec![b("set"), b"a/b\x00\xff".to_vec(), b("x y")]);
        let cmd = path_command("//get/k", b"", vec![]);
        assert_eq!(cmd, vec![b("get"), b("k")]);
    }

    #[test]
    fn body_then_query_follow_the_path() {
        let q = parse_query(Some("EX=100&_token=T&NX&a+b=%2B"));
        assert_eq!(q.token, Some(b("T")));
        let cmd = path_command("/set/k", b"{\"v\":1}", q.args);
        assert_eq!(
            cmd,
            vec![
                b("set"),
                b("k"),
                b("{\"v\":1}"),
                b("EX"),
                b("100"),
                b("NX"),
                b("a b"),
                b("+")
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_input_parses_or_gives_an_err_line(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            path in "\\PC*",
            query in "\\PC*",
        ) {
            for result in [json_command(&body).map(|_| ()), json_commands(&body).map(|_| ())] {
                if let Err(e) = result {
                    proptest::prop_assert!(e.starts_with("ERR "), "{}", e);
                }
            }
            let q = parse_query(Some(&query));
            let cmd = path_command(&path, &body, q.args);
            proptest::prop_assert!(!cmd.is_empty());
        }

        #[test]
        fn any_string_argument_arrives_as_its_utf8_bytes(s in "\\PC*") {
            let body = serde_json::to_vec(&["ECHO", s.as_str()]).unwrap();
            proptest::prop_assert_eq!(&json_command(&body).unwrap()[1], &s.into_bytes());
        }
    }
}
