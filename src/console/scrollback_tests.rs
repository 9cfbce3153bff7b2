use super::*;
use crate::console::chunk::escape_controls;
use crate::redis_cli::{format, to_json};

fn bytes(s: &str) -> Reply {
    Reply::Bytes(s.as_bytes().to_vec())
}

fn argv(line: &str) -> Argv {
    line.split_whitespace()
        .map(|w| w.as_bytes().to_vec())
        .collect()
}

fn texts(lines: &[Line]) -> Vec<&str> {
    lines.iter().map(|l| l.text.as_str()).collect()
}

fn one(sb: &mut Scrollback, input: &str, reply: Reply) {
    let id = sb.push_command(input);
    sb.finish(
        id,
        &[argv(input)],
        Ok(vec![reply]),
        Duration::from_micros(1500),
    );
}

fn nested() -> Reply {
    Reply::Array(vec![
        bytes("a"),
        Reply::Array(vec![
            Reply::Int(1),
            Reply::Nil,
            Reply::Array(vec![bytes("x\ny"), Reply::Array(vec![])]),
        ]),
        Reply::Bytes(vec![0xff, b'\t']),
        Reply::Error("ERR inside".into()),
        bytes("j"),
        bytes("k"),
        bytes("l"),
        bytes("m"),
        bytes("n"),
        bytes("o"),
    ])
}

#[test]
fn chunked_output_is_exactly_the_formatters_output() {
    for mode in [Mode::Tty, Mode::Raw] {
        let mut sb = Scrollback::default();
        while sb.mode() != mode {
            sb.toggle_mode();
        }
        one(&mut sb, "X", nested());
        let lines = sb.window(100);
        let got: Vec<&str> = texts(&lines)[1..].to_vec();
        let full = String::from_utf8_lossy(&format(&nested(), mode)).into_owned();
        let want: Vec<String> = full
            .trim_end_matches('\n')
            .split('\n')
            .map(escape_controls)
            .collect();
        assert_eq!(got, want, "{mode:?}");
    }
}

#[test]
fn json_mode_shows_one_json_array() {
    let mut sb = Scrollback::default();
    sb.toggle_mode();
    sb.toggle_mode();
    assert_eq!(sb.mode(), Mode::Json);
    one(&mut sb, "X", nested());
    let text: String = texts(&sb.window(100))[1..].join("");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(parsed, to_json(&nested()));
    sb.toggle_mode();
    assert_eq!(sb.mode(), Mode::Tty);
}

#[test]
fn the_header_carries_the_round_trip_time_and_statuses_are_restored() {
    let mut sb = Scrollback::default();
    one(&mut sb, "PING", bytes("PONG"));
    one(&mut sb, "GET k", bytes("PONG"));
    one(&mut sb, "GET missing", Reply::Nil);
    assert_eq!(
        texts(&sb.window(10)),
        [
            "> PING  (1.5 ms)",
            "PONG",
            "> GET k  (1.5 ms)",
            "\"PONG\"",
            "> GET missing  (1.5 ms)",
            "(nil)"
        ]
    );
}

#[test]
fn pipelines_failures_and_local_text() {
    let mut sb = Scrollback::default();
    let id = sb.push_command("SET a 1\nINCR a");
    assert_eq!(texts(&sb.window(5)), ["> SET a 1 (+1 more lines)", "…"]);
    sb.finish(
        id,
        &[argv("SET a 1"), argv("INCR a")],
        Ok(vec![Reply::Status("OK".into()), Reply::Int(2)]),
        Duration::from_millis(3),
    );
    let id = sb.push_command("GET a");
    sb.finish(
        id,
        &[],
        Err("connection refused".into()),
        Duration::from_secs(2),
    );
    sb.push_text(
        "HELP",
        vec!["line one".into(), "line two".into()],
        Kind::Notice,
    );
    let w = sb.window(20);
    assert_eq!(
        texts(&w),
        [
            "> SET a 1 (+1 more lines)  (3.0 ms)",
            "OK",
            "(integer) 2",
            "> GET a  (2.00 s)",
            "(error) connection refused",
            "> HELP",
            "line one",
            "line two"
        ]
    );
    assert_eq!(w[4].kind, Kind::Error);
    assert_eq!(w[6].kind, Kind::Notice);
}

#[test]
fn a_huge_reply_is_formatted_only_where_it_is_seen() {
    let mut sb = Scrollback::default();
    let big = Reply::Array(
        (0..100_000)
            .map(|i| bytes(&format!("member:{i}")))
            .collect(),
    );
    one(&mut sb, "SMEMBERS big", big);
    sb.formatted.set(0);
    let w = sb.window(5);
    assert_eq!(
        texts(&w),
        [
            " 99996) \"member:99995\"",
            " 99997) \"member:99996\"",
            " 99998) \"member:99997\"",
            " 99999) \"member:99998\"",
            "100000) \"member:99999\""
        ]
    );
    assert!(
        sb.formatted.get() < 20,
        "formatted {} chunks",
        sb.formatted.get()
    );
    sb.formatted.set(0);
    sb.to_top();
    assert_eq!(
        texts(&sb.window(2)),
        ["> SMEMBERS big  (1.5 ms)", "     1) \"member:0\""]
    );
    sb.scroll_down(50_000, 2);
    assert_eq!(texts(&sb.window(1)), [" 50000) \"member:49999\""]);
    assert!(
        sb.formatted.get() < 60_000,
        "scrolling formats only what it passes"
    );
}

#[test]
fn scrolling_leaves_and_regains_the_bottom() {
    let mut sb = Scrollback::default();
    for i in 0..10 {
        one(&mut sb, &format!("GET k{i}"), bytes(&format!("v{i}")));
    }
    assert!(sb.is_following());
    assert_eq!(texts(&sb.window(2)), ["> GET k9  (1.5 ms)", "\"v9\""]);
    sb.scroll_up(3, 2);
    assert!(!sb.is_following());
    assert_eq!(texts(&sb.window(2)), ["\"v7\"", "> GET k8  (1.5 ms)"]);
    // New output does not move a reader who scrolled up.
    one(&mut sb, "GET k10", bytes("v10"));
    assert_eq!(texts(&sb.window(2)), ["\"v7\"", "> GET k8  (1.5 ms)"]);
    sb.scroll_down(100, 2);
    assert!(sb.is_following());
    assert_eq!(texts(&sb.window(2)), ["> GET k10  (1.5 ms)", "\"v10\""]);
    sb.scroll_up(1000, 2);
    assert_eq!(texts(&sb.window(1)), ["> GET k0  (1.5 ms)"]);
    sb.to_bottom();
    assert!(sb.is_following());
    sb.clear();
    assert!(sb.window(5).is_empty());
}

#[test]
fn old_entries_are_dropped() {
    let mut sb = Scrollback::default();
    for i in 0..MAX_ENTRIES + 3 {
        one(&mut sb, &format!("GET k{i}"), Reply::Nil);
    }
    sb.to_top();
    assert_eq!(texts(&sb.window(1)), ["> GET k3  (1.5 ms)"]);
    one(&mut sb, "GET last", Reply::Nil);
    assert_eq!(texts(&sb.window(1)), ["> GET k4  (1.5 ms)"]);
}

#[test]
fn a_large_string_is_formatted_once_for_many_frames() {
    let mut sb = Scrollback::default();
    let big: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
    one(&mut sb, "GET big", bytes(&big));
    sb.toggle_mode();
    assert_eq!(sb.mode(), Mode::Raw);
    sb.formatted.set(0);
    for _ in 0..10 {
        assert_eq!(texts(&sb.window(2)), ["line 19999", ""]);
    }
    assert_eq!(sb.formatted.get(), 1, "formatted once, then cached");
    sb.scroll_up(5, 2);
    assert_eq!(texts(&sb.window(2)), ["line 19994", "line 19995"]);
    assert_eq!(sb.formatted.get(), 1);
    // A new reply or another mode formats again.
    sb.toggle_mode();
    sb.window(2);
    assert_eq!(sb.formatted.get(), 2);
}
