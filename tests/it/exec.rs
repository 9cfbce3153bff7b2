//! `upstash-tui exec` prints exactly what `redis-cli` prints for the same
//! commands against the same redis-server (one through the gateway, one
//! direct), in the default format, with `--raw`, and for stdin pipelines.

use crate::common;

use std::ffi::OsStr;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::process::{Command, Output, Stdio};

use common::{Harness, TOKEN};

use crate::common::BIN;

/// A value with binary bytes, newlines, quotes, backslashes and unicode.
const MESSY: &[u8] = b"a\x00b\xff\n\r\t\x07\x08\"q'\\ \xc3\xa9 \xe2\x9c\x93 \x7f end";
/// The same without NUL, which a command-line argument cannot hold.
const MESSY_ARG: &[u8] = b"a\x01b\xff\n\r\t\x07\x08\"q'\\ \xc3\xa9 \xe2\x9c\x93 \x7f end";

fn run(program: &str, args: &[&[u8]], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(program)
        .args(args.iter().map(|a| OsStr::from_bytes(a)))
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running {program}: {e}"));
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// `upstash-tui exec FLAGS... ARGS...` against the gateway.
fn ours(h: &Harness, flags: &[&str], args: &[&[u8]], stdin: Option<&[u8]>) -> Output {
    let mut all: Vec<&[u8]> = vec![
        b"exec",
        b"--url",
        h.url.as_bytes(),
        b"--token",
        TOKEN.as_bytes(),
    ];
    all.extend(flags.iter().map(|f| f.as_bytes()));
    all.extend_from_slice(args);
    run(BIN, &all, stdin)
}

/// `redis-cli -p PORT FLAGS... ARGS...` straight at the redis-server.
fn theirs(h: &Harness, flags: &[&str], args: &[&[u8]], stdin: Option<&[u8]>) -> Output {
    let port = h.redis.port().to_string();
    let mut all: Vec<&[u8]> = vec![b"-p", port.as_bytes()];
    all.extend(flags.iter().map(|f| f.as_bytes()));
    all.extend_from_slice(args);
    run("redis-cli", &all, stdin)
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn seed(h: &Harness) {
    let mut c = h.redis_conn().await;
    let mut p = redis::pipe();
    p.cmd("SET").arg("str:messy").arg(MESSY);
    p.cmd("SET").arg("str:text").arg("hello world");
    p.cmd("SET").arg("counter").arg(41);
    p.cmd("SET").arg("empty").arg("");
    p.cmd("SET").arg("ключ:✓").arg("значение ✓");
    p.cmd("SET")
        .arg(b"bin:\xff\x01key".as_slice())
        .arg(b"\xfe\xfd".as_slice());
    p.cmd("HSET")
        .arg("hash")
        .arg("f1")
        .arg("v1")
        .arg("f\n2")
        .arg(MESSY);
    p.cmd("RPUSH").arg("list").arg("a").arg("").arg(MESSY);
    p.cmd("ZADD")
        .arg("z")
        .arg(1.5)
        .arg("m1")
        .arg(-2)
        .arg("m2")
        .arg(1e20)
        .arg("m3");
    p.cmd("SADD").arg("set").arg(1).arg(2).arg(3);
    p.cmd("XADD").arg("stream").arg("1-1").arg("a").arg("1");
    p.cmd("XADD")
        .arg("stream")
        .arg("2-1")
        .arg("b")
        .arg("2")
        .arg("c")
        .arg(MESSY);
    for i in 0..12 {
        p.cmd("SET").arg(format!("scan:{i}")).arg(i);
    }
    let () = p.query_async(&mut c).await.unwrap();
}

/// Commands that give the same reply each time they run.
fn commands() -> Vec<Vec<&'static [u8]>> {
    let c = |parts: &[&'static [u8]]| parts.to_vec();
    vec![
        c(&[b"GET", b"str:messy"]),
        c(&[b"GET", b"str:text"]),
        c(&[b"GET", b"missing"]),
        c(&[b"GET", "ключ:✓".as_bytes()]),
        c(&[b"GET", b"bin:\xff\x01key"]),
        c(&[b"SET", b"str:text", b"hello world"]),
        c(&[b"INCRBY", b"counter", b"0"]),
        c(&[b"INCR", b"str:text"]),
        c(&[b"EXISTS"]),
        c(&[b"PING"]),
        c(&[b"PING", b"hello"]),
        c(&[b"TYPE", b"hash"]),
        c(&[b"TYPE", b"missing"]),
        c(&[b"HGETALL", b"hash"]),
        c(&[b"HGET", b"hash", b"nope"]),
        c(&[b"LRANGE", b"list", b"0", b"-1"]),
        c(&[b"LRANGE", b"missing", b"0", b"-1"]),
        c(&[b"MGET", b"str:text", b"missing", b"counter"]),
        c(&[b"ZRANGE", b"z", b"0", b"-1", b"WITHSCORES"]),
        c(&[b"ZSCORE", b"z", b"m1"]),
        c(&[b"SMEMBERS", b"set"]),
        c(&[b"SCAN", b"0", b"MATCH", b"scan:*", b"COUNT", b"1000"]),
        c(&[b"XRANGE", b"stream", b"-", b"+"]),
        c(&[b"ECHO", MESSY_ARG]),
        c(&[b"STRLEN", b"str:messy"]),
        c(&[b"GET", b"empty"]),
        c(&[b"GETRANGE", b"str:messy", b"0", b"3"]),
        c(&[b"HKEYS", b"hash"]),
        c(&[b"ZRANGEBYSCORE", b"z", b"-inf", b"+inf", b"WITHSCORES"]),
        c(&[b"EVAL", b"return {1, {2, false, 'x'}, {}, -7}", b"0"]),
        c(&[b"MSET", b"k 1", b"v", b"k\n2", b""]),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_commands_print_like_redis_cli() {
    let h = Harness::start().await;
    seed(&h).await;
    for (ours_flags, theirs_flags) in [(&[][..], &["--no-raw"][..]), (&["--raw"], &["--raw"])] {
        for args in commands() {
            let mine = ours(&h, ours_flags, &args, None);
            let real = theirs(&h, theirs_flags, &args, None);
            assert!(!real.stdout.is_empty(), "redis-cli printed nothing");
            assert!(
                real.status.success(),
                "redis-cli failed: {}",
                show(&real.stderr)
            );
            assert_eq!(
                show(&mine.stdout),
                show(&real.stdout),
                "{ours_flags:?} {:?} (stderr: {})",
                args.iter().map(|a| show(a)).collect::<Vec<_>>(),
                show(&mine.stderr)
            );
            assert_eq!(mine.stdout, real.stdout, "byte for byte");
            // redis-cli exits 0 on a command error; exec says so with 1.
            let is_error = args[0] == b"EXISTS" || (args[0] == b"INCR");
            assert_eq!(
                mine.status.code(),
                Some(if is_error { 1 } else { 0 }),
                "{}",
                show(&mine.stderr)
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_pipelines_print_like_redis_cli() {
    let h = Harness::start().await;
    seed(&h).await;
    let mut script: Vec<u8> = Vec::new();
    for args in commands() {
        script.extend_from_slice(upstash_tui::redis_cli::join(&args).as_bytes());
        script.extend_from_slice(b"\n\n   \n");
    }
    script.extend_from_slice(b"SET 'quoted key' \"two\\nlines \\xff\"\nGET 'quoted key'\n");
    for (ours_flags, theirs_flags) in [(&[][..], &["--no-raw"][..]), (&["--raw"], &["--raw"])] {
        let mine = ours(&h, ours_flags, &[], Some(&script));
        let real = theirs(&h, theirs_flags, &[], Some(&script));
        assert_eq!(
            show(&mine.stdout),
            show(&real.stdout),
            "{ours_flags:?}: {}",
            show(&mine.stderr)
        );
        assert_eq!(mine.stdout, real.stdout);
        assert_eq!(
            mine.status.code(),
            Some(1),
            "the script has failing commands"
        );
    }
    let ok = ours(&h, &[], &[], Some(b"PING\nGET str:text\n"));
    assert_eq!(show(&ok.stdout), "PONG\n\"hello world\"\n");
    assert_eq!(ok.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_utf8_arguments_round_trip() {
    let h = Harness::start().await;
    let key: &[u8] = b"k\xff\x80";
    let value: &[u8] = b"\x01\xc3\x28\xff";
    let set = ours(&h, &[], &[b"SET", key, value], None);
    assert_eq!(show(&set.stdout), "OK\n", "{}", show(&set.stderr));
    let mut c = h.redis_conn().await;
    let stored: Vec<u8> = redis::cmd("GET")
        .arg(key)
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(stored, value);
    let get = ours(&h, &["--raw"], &[b"GET", key], None);
    assert_eq!(get.stdout, [value, b"\n"].concat());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output() {
    let h = Harness::start().await;
    seed(&h).await;
    let out = ours(&h, &["--json"], &[b"HGETALL", b"hash"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = serde_json::json!([
        "f1", "v1", "f\n2",
        {"base64": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, MESSY)}
    ]);
    assert_eq!(v, expected);
    let out = ours(
        &h,
        &["--json"],
        &[],
        Some(b"GET missing\nINCRBY counter 0\nINCR str:text\n"),
    );
    let lines: Vec<serde_json::Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines[0], serde_json::Value::Null);
    assert_eq!(lines[1], serde_json::json!(41));
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("ERR value is not an integer")
    );
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_one_line_without_the_token() {
    let h = Harness::start().await;
    let out = run(
        BIN,
        &[
            b"exec",
            b"--url",
            h.url.as_bytes(),
            b"--token",
            b"wrong-token-abcdef123456",
            b"PING",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = show(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains("401"), "{err}");
    assert!(!err.contains("wrong-token-abcdef123456"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_mode_refuses_writes_before_sending() {
    let h = Harness::start().await;
    let read = ours(&h, &["--read-only"], &[b"GET", b"k"], None);
    assert_eq!(show(&read.stdout), "(nil)\n", "{}", show(&read.stderr));
    let out = ours(&h, &["--read-only"], &[], Some(b"GET k\nSET k v\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        show(&out.stderr).starts_with("error: refusing SET: read-only mode is on"),
        "{}",
        show(&out.stderr)
    );
    assert_eq!(
        h.redis_conn()
            .await
            .send_packed_command(&redis::cmd("DBSIZE"))
            .await
            .unwrap(),
        redis::Value::Int(0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_after_the_command_are_sent_and_named_when_it_fails() {
    let h = Harness::start().await;
    let out = ours(&h, &[], &[b"GET", b"k", b"--raw"], None);
    assert_eq!(out.status.code(), Some(1));
    // Sent as redis-cli sends it: Redis refuses the third argument.
    assert!(
        show(&out.stdout).contains("wrong number of arguments"),
        "{}",
        show(&out.stdout)
    );
    let err = show(&out.stderr);
    assert!(err.contains("note: --raw came after the command"), "{err}");
    // A command that succeeds with such an argument gets no note.
    let out = ours(&h, &[], &[b"SET", b"k", b"--raw"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", show(&out.stderr));
}
