//! `upstash-tui view KEY` against the harness: every type as the Value pane
//! shows it, compressed JSON decoded, binary as hex, `--raw` byte for byte,
//! `--format`, `--limit`, `--header`, a missing key and a failure's exit
//! codes, and no terminal escapes when piped.

use std::ffi::OsStr;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::process::{Command, Output, Stdio};

use crate::common::{BIN, Harness, TOKEN};

/// Bytes no terminal should see raw: NUL, ESC sequences, invalid UTF-8, CSI.
const BINARY: &[u8] = b"\x00\x1b[2J\x1b]52;c;AAAA\x07\xff\xfe\xc2\x9bend";

/// `upstash-tui view --url .. --token .. ARGS...` on the harness, stdout piped.
pub(crate) fn view(h: &Harness, args: &[&[u8]]) -> Output {
    view_at(&h.url, TOKEN, args)
}

/// `upstash-tui view --url URL --token TOKEN ARGS...`, stdout piped.
fn view_at(url: &str, token: &str, args: &[&[u8]]) -> Output {
    Command::new(BIN)
        .args(["view", "--url", url, "--token", token])
        .args(args.iter().map(|a| OsStr::from_bytes(a)))
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .expect("runs the binary")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(crate) fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub(crate) fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("writes");
    enc.finish().expect("finishes")
}

async fn seed(h: &Harness) {
    let mut c = h.redis_conn().await;
    let mut p = redis::pipe();
    p.cmd("SET").arg("s:text").arg("hello\nworld");
    p.cmd("SET").arg("s:json").arg(r#"{"b":[1,true],"a":"x"}"#);
    p.cmd("SET")
        .arg("s:gz")
        .arg(gzip(br#"{"cached":true,"n":[1,2]}"#));
    p.cmd("SET").arg("s:bin").arg(BINARY);
    p.cmd("HSET")
        .arg("h")
        .arg("name")
        .arg("Ada")
        .arg("doc")
        .arg(r#"{"k":1}"#);
    p.cmd("RPUSH").arg("l").arg("a").arg(r#"{"q":1}"#).arg("c");
    p.cmd("SADD").arg("set").arg("only");
    p.cmd("ZADD")
        .arg("z")
        .arg(1.5)
        .arg("m1")
        .arg(1e20)
        .arg("m2");
    p.cmd("XADD")
        .arg("x")
        .arg("1-1")
        .arg("f")
        .arg("v")
        .arg("j")
        .arg("[1]");
    p.cmd("EXPIRE").arg("h").arg(3600);
    let () = p.query_async(&mut c).await.expect("seeds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_type_is_printed_as_the_pane_shows_it() {
    let h = Harness::start().await;
    seed(&h).await;
    // Key, stdout, the header's start and how the body was shown.
    let expect = [
        (
            "s:text",
            "hello\nworld\n",
            "string · no expiry · 11 bytes",
            "text",
        ),
        (
            "s:json",
            "{\n  \"b\": [\n    1,\n    true\n  ],\n  \"a\": \"x\"\n}\n",
            "string · no expiry · 22 bytes",
            "JSON",
        ),
        (
            "h",
            "name: Ada\ndoc:\n  {\n    \"k\": 1\n  }\n",
            "hash · ttl 59m",
            "format auto",
        ),
        (
            "l",
            "0) a\n1) {\n     \"q\": 1\n   }\n2) c\n",
            "list · no expiry · 3 elements",
            "format auto",
        ),
        ("set", "only\n", "set · no expiry · 1 member", "format auto"),
        (
            "z",
            "1.5 m1\n1e+20 m2\n",
            "zset · no expiry · 2 members",
            "format auto",
        ),
        (
            "x",
            "1-1\n  f: v\n  j:\n    [\n      1\n    ]\n",
            "stream · no expiry · 1 entry",
            "format auto",
        ),
    ];
    for (key, out, header, shown) in expect {
        let o = view(&h, &[key.as_bytes()]);
        assert_eq!(o.status.code(), Some(0), "{key}: {}", stderr(&o));
        assert_eq!(stdout(&o), out, "{key}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{key}: {err}");
        assert!(err.starts_with(header), "{key}: {err}");
        assert!(err.ends_with(&format!(" · {shown}\n")), "{key}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_json_is_decoded_and_binary_is_hex_and_raw_is_exact() {
    let h = Harness::start().await;
    seed(&h).await;

    let o = view(&h, &[b"s:gz"]);
    assert_eq!(
        stdout(&o),
        "{\n  \"cached\": true,\n  \"n\": [\n    1,\n    2\n  ]\n}\n"
    );
    assert!(stderr(&o).contains("· gzip › JSON"), "{}", stderr(&o));

    // Binary bytes: a hex dump, whose ASCII column has no control bytes.
    let o = view(&h, &[b"s:bin"]);
    assert_eq!(
        stdout(&o),
        "00000000  00 1b 5b 32 4a 1b 5d 35  32 3b 63 3b 41 41 41 41  |..[2J.]52;c;AAAA|\n\
         00000010  07 ff fe c2 9b 65 6e 64                           |.....end|\n"
    );
    assert!(stderr(&o).contains("hex dump"), "{}", stderr(&o));

    // The stored gzip bytes, not the JSON, with --format hex.
    let o = view(&h, &[b"--format", b"hex", b"s:gz"]);
    assert!(
        stdout(&o).starts_with("00000000  1f 8b 08"),
        "{}",
        stdout(&o)
    );

    // --raw: exactly the stored bytes, no newline added, nothing else.
    let o = view(&h, &[b"--raw", b"s:bin"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(o.stdout, BINARY);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let o = view(&h, &[b"--raw", b"s:gz"]);
    assert_eq!(o.stdout, gzip(br#"{"cached":true,"n":[1,2]}"#));

    // A string larger than many GETRANGE pages comes back whole.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut c = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg("s:big")
        .arg(&big)
        .query_async(&mut c)
        .await
        .expect("sets");
    let o = view(&h, &[b"--raw", b"s:big"]);
    assert!(o.stdout == big, "{} bytes of {}", o.stdout.len(), big.len());

    // Other types are refused with one line.
    let o = view(&h, &[b"--raw", b"h"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o),
        "error: --raw prints strings only; \"h\" is a hash (try without --raw)\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compression_without_magic_is_read_when_named_and_a_cut_stream_says_where_it_stopped() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    // Written by python's brotli; brotli has no magic, so auto shows hex.
    let br = include_bytes!("fixtures/decode/compress/doc.brotli");
    let doc = include_bytes!("fixtures/decode/compress/doc.json");
    let gz = gzip(&doc.repeat(50));
    let mut p = redis::pipe();
    p.cmd("SET").arg("s:br").arg(&br[..]);
    p.cmd("SET").arg("s:cut").arg(&gz[..gz.len() / 2]);
    let () = p.query_async(&mut c).await.expect("seeds");

    let o = view(&h, &[b"s:br"]);
    assert!(stdout(&o).starts_with("00000000  "), "{}", stdout(&o));
    let o = view(&h, &[b"--format", b"brotli", b"s:br"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"name\": \"Zoë Ångström\""),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("brotli › JSON"), "{}", stderr(&o));

    // Half a gzip stream: what decoded, and one note saying why it ends.
    let o = view(&h, &[b"s:cut"]);
    let out = stdout(&o);
    assert!(out.starts_with(&text(&doc[..100])), "{out}");
    let err = stderr(&o);
    assert_eq!(
        err.matches("note: decompression stopped").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("note: decompression stopped where the input ends"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formats_limits_and_the_header_line() {
    let h = Harness::start().await;
    seed(&h).await;
    let mut c = h.redis_conn().await;
    let items: Vec<String> = (0..450).map(|i| format!("item{i}")).collect();
    let () = redis::cmd("RPUSH")
        .arg("long")
        .arg(&items)
        .query_async(&mut c)
        .await
        .expect("pushes");

    // The pane's page by default: 200 rows, the rest named on stderr.
    let o = view(&h, &[b"long"]);
    let lines: Vec<&str> = o
        .stdout
        .split(|&b| b == b'\n')
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 201, "200 lines and the last newline");
    assert_eq!((lines[0], lines[199]), ("  0) item0", "199) item199"));
    assert!(
        stderr(&o).contains("showing 200 of 450 elements; 250 left out"),
        "{}",
        stderr(&o)
    );

    // --limit past a page of the engine (1000 per request) and below one.
    let o = view(&h, &[b"--limit", b"3", b"long"]);
    assert_eq!(stdout(&o), "0) item0\n1) item1\n2) item2\n");
    let o = view(&h, &[b"--limit", b"1000", b"long"]);
    assert_eq!(stdout(&o).lines().count(), 450);
    assert!(!stderr(&o).contains("left out"), "{}", stderr(&o));

    // --header: the header first on stdout, nothing on stderr.
    let o = view(&h, &[b"--header", b"s:text"]);
    let out = stdout(&o);
    let (first, rest) = out.split_once('\n').unwrap();
    assert!(
        first.starts_with("string · no expiry · 11 bytes · "),
        "{first}"
    );
    assert!(first.ends_with(" · text"), "{first}");
    assert_eq!(rest, "hello\nworld\n");
    assert!(o.stderr.is_empty(), "{}", stderr(&o));

    // A forced format: text shows JSON as stored; JSON on text says why not.
    let o = view(&h, &[b"--format", b"text", b"s:json"]);
    assert_eq!(stdout(&o), "{\"b\":[1,true],\"a\":\"x\"}\n");
    let o = view(&h, &[b"--format", b"json", b"s:text"]);
    assert_eq!(stdout(&o), "hello\nworld\n");
    assert!(stderr(&o).contains("note: not JSON"), "{}", stderr(&o));
    let o = view(&h, &[b"--format", b"hex", b"set"]);
    assert!(
        stdout(&o).starts_with("00000000  6f 6e 6c 79"),
        "{}",
        stdout(&o)
    );
    let o = view(&h, &[b"--format", b"yaml", b"set"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("auto, pickle, msgpack, cbor, bson, protobuf, gzip"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_output_carries_no_terminal_escapes() {
    let h = Harness::start().await;
    seed(&h).await;
    let mut c = h.redis_conn().await;
    let mut p = redis::pipe();
    p.cmd("SET")
        .arg("s:esc")
        .arg("red \x1b[31malert\x1b[0m\r\nnext");
    p.cmd("HSET")
        .arg("h:esc")
        .arg("f\x1b]0;title\x07")
        .arg(BINARY);
    p.cmd("SET").arg("s:c1").arg("[\"\u{9b}31m\"]");
    let () = p.query_async(&mut c).await.expect("seeds");
    for key in ["s:json", "h", "s:esc", "h:esc", "s:c1", "x"] {
        let o = view(&h, &[key.as_bytes()]);
        assert_eq!(o.status.code(), Some(0), "{key}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{key}: {out:?}"
        );
    }
    // Escapes of a text value are shown, not written.
    let o = view(&h, &[b"--format", b"text", b"s:esc"]);
    assert_eq!(stdout(&o), "red \\x1b[31malert\\x1b[0m\\r\nnext\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_bytes_and_missing_keys_and_failures_have_their_exit_codes() {
    let h = Harness::start().await;
    let mut c = h.redis_conn().await;
    let () = redis::cmd("SET")
        .arg(b"bin\xff\x01key".as_slice())
        .arg("found")
        .query_async(&mut c)
        .await
        .expect("sets");
    let o = view(&h, &[b"bin\xff\x01key"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), "found\n"));

    let o = view(&h, &[b"nope\xff"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(stderr(&o), "error: no such key: \"nope\\xff\"\n");

    // A wrong token: one line, exit code 2, the token nowhere.
    let o = view_at(&h.url, "wrong-token-77c1e0", &[b"k"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && !err.contains("wrong-token-77c1e0"),
        "{err}"
    );

    // Nothing listening: the same.
    let port = upstash_tui::redis_server::free_port().expect("a port");
    let url = format!("http://127.0.0.1:{port}");
    let o = view_at(&url, "t", &[b"--connect-timeout", b"500ms", b"k"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}
