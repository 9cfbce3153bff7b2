//! The console engine against a real redis-server behind the gateway.

use crate::common;

use std::time::Duration;

use redis::AsyncCommands as _;
use upstash_tui::console::scrollback::Kind;
use upstash_tui::console::{CommandTable, Context, Input, Scrollback, Verdict, check, parse, send};
use upstash_tui::upstash::Reply;

#[tokio::test]
async fn the_table_agrees_with_the_server_for_a_sample() {
    let h = common::Harness::start().await;
    let client = h.client();
    let table = CommandTable::bundled();
    let sample = [
        "get",
        "set",
        "hset",
        "mset",
        "zadd",
        "xadd",
        "eval",
        "config|set",
        "object|encoding",
        "blpop",
        "xread",
        "flushall",
    ];
    let mut argv = vec![b"COMMAND".to_vec(), b"INFO".to_vec()];
    argv.extend(sample.iter().map(|s| s.as_bytes().to_vec()));
    let reply = client
        .command(&argv)
        .await
        .expect("COMMAND INFO through the gateway");
    let infos = reply.into_array().expect("an array");
    assert_eq!(infos.len(), sample.len());
    for (name, info) in sample.iter().zip(infos) {
        let info = info.into_array().expect("one info per command");
        let words: Vec<&str> = name.split('|').collect();
        let entry = table.lookup(&words).expect("listed in commands.json");
        assert_eq!(entry.name, name.replace('|', " ").to_uppercase());
        assert_eq!(Some(entry.arity), info[1].as_int(), "{name} arity");
        let flags: Vec<String> = info[2]
            .as_array()
            .expect("flags")
            .iter()
            .filter_map(|f| f.as_str().map(String::from))
            .collect();
        for f in ["write", "readonly", "admin", "blocking"] {
            assert_eq!(
                entry.has_flag(f),
                flags.iter().any(|g| g == f),
                "{name} flag {f}"
            );
        }
        let first = info[3].as_int().expect("first key");
        assert_eq!(entry.keys.map_or(0, |k| k.first), first, "{name} first key");
    }
}

#[tokio::test]
async fn commands_the_table_marks_unavailable_are_refused_by_the_gateway_too() {
    let h = common::Harness::start().await;
    let client = h.client();
    for line in [
        "BLPOP q 1",
        "WATCH k",
        "CLIENT LIST",
        "HELLO 2",
        "SUBSCRIBE ch",
        "SELECT 1",
    ] {
        let Input::Command { argv, .. } = parse(line).expect("parses") else {
            panic!("{line} is one command");
        };
        let v = check(CommandTable::bundled(), &argv, Context::default());
        assert!(matches!(v, Verdict::Unavailable { .. }), "{line}: {v:?}");
        let sent = send(&client, &[argv]).await;
        let replies = sent.result.expect("the request itself succeeds");
        assert!(
            matches!(&replies[0], Reply::Error(e) if e.contains("not available")),
            "{line}: {replies:?}"
        );
    }
}

#[tokio::test]
async fn a_multi_line_paste_is_one_pipeline() {
    let h = common::Harness::start().await;
    let client = h.client();
    let text = "SET greeting \"hello world\"\nINCR counter\n\nINCR greeting\nGET greeting\nPING\n";
    let input = parse(text).expect("parses");
    let cmds = input.commands();
    assert!(matches!(input, Input::Pipeline(_)));
    assert_eq!(cmds.len(), 5);
    let before = client.telemetry().snapshot().requests;
    let sent = send(&client, &cmds).await;
    assert_eq!(
        client.telemetry().snapshot().requests,
        before + 1,
        "one request"
    );
    let replies = sent.result.expect("pipeline succeeds");
    let mut sb = Scrollback::default();
    let id = sb.push_command(text);
    sb.finish(id, &cmds, Ok(replies), sent.rtt);
    let lines = sb.window(20);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert!(texts[0].starts_with("> SET greeting \"hello world\" (+5 more lines)  ("));
    assert_eq!(
        texts[1..],
        [
            "OK",
            "(integer) 1",
            "(error) ERR value is not an integer or out of range",
            "\"hello world\"",
            "PONG"
        ]
    );
    assert_eq!(lines[3].kind, Kind::Error);
}

#[tokio::test]
async fn a_repeat_prefix_runs_the_command_n_times() {
    let h = common::Harness::start().await;
    let client = h.client();
    let input = parse("7 INCR hits").expect("parses");
    assert!(matches!(input, Input::Command { repeat: 7, .. }));
    let sent = send(&client, &input.commands()).await;
    let replies = sent.result.expect("succeeds");
    assert_eq!(replies.last(), Some(&Reply::Int(7)));
    let mut redis = h.redis_conn().await;
    let hits: i64 = redis.get("hits").await.expect("direct GET");
    assert_eq!(hits, 7);
}

#[tokio::test]
async fn a_single_error_reply_shows_like_redis_cli_and_failures_stay_errors() {
    let h = common::Harness::start().await;
    let sent = send(&h.client(), &[vec![b"LPUSH".to_vec()]]).await;
    assert_eq!(
        sent.result,
        Ok(vec![Reply::Error(
            "ERR wrong number of arguments for 'lpush' command".into()
        )])
    );
    let sent = send(
        &h.client_with_token("wrong-token"),
        &[vec![b"PING".to_vec()]],
    )
    .await;
    assert!(sent.result.is_err());
    assert!(sent.rtt < Duration::from_secs(30));
}
