//! `assets/commands.json` against a real redis-server.
//!
//! Without `UPDATE_COMMANDS_JSON=1` this checks that every entry of the
//! committed file is exactly what the server's `COMMAND DOCS` and
//! `COMMAND INFO` produce today. With it, the file is rewritten:
//!
//! `UPDATE_COMMANDS_JSON=1 cargo test --test it commands_table`

use std::collections::BTreeMap;

use redis::Value;
use upstash_tui::console::table::{Command, File, KeyNum, KeyRange};
use upstash_tui::redis_server::RedisServer;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/commands.json");

/// Why Upstash does not serve a command over REST, as the REST API page's
/// compatibility table says (<https://upstash.com/docs/redis/features/restapi>;
/// a subcommand inherits its container's reason).
fn rest_reason(name: &str) -> Option<&'static str> {
    const BLOCKING: &str = "blocking commands are not served over REST (each request stands alone); use the non-blocking form";
    const TX: &str = "over REST a transaction is one /multi-exec request; WATCH, UNWATCH, MULTI, EXEC and DISCARD are not served";
    const SUB: &str = "subscriptions are served as Server-Sent Events on /subscribe and /psubscribe, not as commands";
    const CONN: &str = "REST requests have no connection state: of the connection commands only PING and ECHO are served";
    const ADMIN: &str = "Upstash manages the server: administration and replication commands are not served over REST";
    Some(match name {
        "BLPOP" | "BRPOP" | "BRPOPLPUSH" | "BLMOVE" | "BLMPOP" | "BZPOPMAX" | "BZPOPMIN"
        | "BZMPOP" => BLOCKING,
        "WATCH" | "UNWATCH" | "MULTI" | "EXEC" | "DISCARD" => TX,
        "SUBSCRIBE" | "PSUBSCRIBE" | "UNSUBSCRIBE" | "PUNSUBSCRIBE" | "SSUBSCRIBE"
        | "SUNSUBSCRIBE" => SUB,
        "MONITOR" => "MONITOR is served as Server-Sent Events on /monitor, not as a command",
        "CLIENT" => {
            "CLIENT commands are not supported over REST: there is no connection to inspect"
        }
        "HELLO" | "AUTH" | "QUIT" | "RESET" => CONN,
        "CLUSTER" | "READONLY" | "READWRITE" | "ASKING" => {
            "cluster commands are not supported by Upstash"
        }
        "MEMORY STATS" => "Upstash answers MEMORY STATS with 'Command is not available'",
        "SLOWLOG" => "Upstash answers SLOWLOG with 'Command is not available'",
        "DEBUG" | "SHUTDOWN" | "FAILOVER" | "REPLICAOF" | "SLAVEOF" | "SYNC" | "PSYNC" => ADMIN,
        _ => return None,
    })
}

fn text(v: &Value) -> String {
    match v {
        Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
        Value::SimpleString(s) => s.clone(),
        Value::Okay => "OK".into(),
        Value::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        other => text(other).parse().unwrap_or(0),
    }
}

fn items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) | Value::Set(a) => a.iter().collect(),
        Value::Map(m) => m.iter().flat_map(|(k, v)| [k, v]).collect(),
        _ => Vec::new(),
    }
}

/// A RESP2 flat map `[k1, v1, k2, v2 ...]` (or a RESP3 map) by key.
fn map(v: &Value) -> BTreeMap<String, &Value> {
    items(v)
        .chunks(2)
        .filter(|p| p.len() == 2)
        .map(|p| (text(p[0]), p[1]))
        .collect()
}

fn display_name(server_name: &str) -> String {
    server_name.replace('|', " ").to_ascii_uppercase()
}

/// One argument's hint, as redis-cli 7.0's `addHintForArgument` builds it.
fn hint(arg: &Value) -> String {
    let m = map(arg);
    let flags: Vec<String> = m
        .get("flags")
        .map(|f| items(f).into_iter().map(text).collect())
        .unwrap_or_default();
    let optional = flags.iter().any(|f| f == "optional");
    let multiple = flags.iter().any(|f| f == "multiple");
    let body = body(&m, true);
    let mut out = String::new();
    if optional {
        out.push('[');
    }
    out.push_str(&body);
    if multiple {
        out.push_str(&format!(" [{} ...]", repeat(&m, &flags)));
    }
    if optional {
        out.push(']');
    }
    out
}

/// The part after the first occurrence of a multiple argument.
fn repeat(m: &BTreeMap<String, &Value>, flags: &[String]) -> String {
    body(m, flags.iter().any(|f| f == "multiple_token"))
}

fn body(m: &BTreeMap<String, &Value>, with_token: bool) -> String {
    let kind = m.get("type").map(|v| text(v)).unwrap_or_default();
    let mut out = String::new();
    if with_token && let Some(t) = m.get("token") {
        // MIGRATE's empty-key token is the empty string; redis-cli shows it quoted.
        let t = text(t);
        out.push_str(if t.is_empty() { "\"\"" } else { &t });
        if kind != "pure-token" {
            out.push(' ');
        }
    }
    let subs = || -> Vec<String> {
        m.get("arguments")
            .map(|a| items(a).into_iter().map(hint).collect())
            .unwrap_or_default()
    };
    match kind.as_str() {
        "block" => out.push_str(&subs().join(" ")),
        "oneof" => out.push_str(&subs().join("|")),
        "pure-token" => {}
        _ => out.push_str(&m.get("name").map(|v| text(v)).unwrap_or_default()),
    }
    out
}

/// Top-level hints; a required repeated argument becomes two entries
/// (`key`, `[key ...]`) so a hint can drop the first once it is typed.
fn top_hints(args: Option<&&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for arg in args.map(|a| items(a)).unwrap_or_default() {
        let m = map(arg);
        let flags: Vec<String> = m
            .get("flags")
            .map(|f| items(f).into_iter().map(text).collect())
            .unwrap_or_default();
        let optional = flags.iter().any(|f| f == "optional");
        let multiple = flags.iter().any(|f| f == "multiple");
        if multiple && !optional {
            out.push(body(&m, true));
            out.push(format!("[{} ...]", repeat(&m, &flags)));
        } else {
            out.push(hint(arg));
        }
    }
    out
}

fn keynum(specs: &Value) -> Option<KeyNum> {
    let spec = items(specs).into_iter().next()?;
    let spec = map(spec);
    let begin = map(spec.get("begin_search")?);
    let find = map(spec.get("find_keys")?);
    if text(begin.get("type")?) != "index" || text(find.get("type")?) != "keynum" {
        return None;
    }
    let index = int(map(begin.get("spec")?).get("index")?);
    let f = map(find.get("spec")?);
    Some(KeyNum {
        count_at: index + int(f.get("keynumidx")?),
        first: index + int(f.get("firstkey")?),
        step: int(f.get("keystep")?),
    })
}

fn entry(info: &Value, docs: &BTreeMap<String, &Value>, parent_reason: Option<&str>) -> Command {
    let i = items(info);
    let server_name = text(i[0]);
    let name = display_name(&server_name);
    let doc = docs.get(&server_name).map(|d| map(d)).unwrap_or_default();
    let info_flags: Vec<String> = items(i[2]).into_iter().map(text).collect();
    let acl: Vec<String> = items(i[6]).into_iter().map(text).collect();
    let mut flags: Vec<String> = ["write", "readonly", "admin", "blocking"]
        .into_iter()
        .filter(|f| info_flags.iter().any(|g| g == f))
        .map(String::from)
        .collect();
    if acl.iter().any(|c| c == "@dangerous") {
        flags.push("dangerous".into());
    }
    let (first, last, step) = (int(i[3]), int(i[4]), int(i[5]));
    let reason = parent_reason.or_else(|| rest_reason(&name));
    let sub_docs = doc.get("subcommands").map(|s| map(s)).unwrap_or_default();
    let mut subcommands: Vec<Command> = i
        .get(9)
        .map(|s| {
            items(s)
                .into_iter()
                .map(|s| entry(s, &sub_docs, reason))
                .collect()
        })
        .unwrap_or_default();
    subcommands.sort_by(|a, b| a.name.cmp(&b.name));
    Command {
        summary: doc.get("summary").map(|v| text(v)).unwrap_or_default(),
        since: doc.get("since").map(|v| text(v)).unwrap_or_default(),
        group: doc.get("group").map(|v| text(v)).unwrap_or_default(),
        arity: int(i[1]),
        flags,
        args: top_hints(doc.get("arguments")),
        keys: (first > 0).then_some(KeyRange { first, last, step }),
        keynum: if first == 0 {
            i.get(8).and_then(|s| keynum(s))
        } else {
            None
        },
        rest_unavailable: reason.map(String::from),
        subcommands,
        name,
    }
}

async fn from_server() -> File {
    let server = RedisServer::start().expect("the test needs redis-server");
    let mut conn = redis::Client::open(server.url())
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .expect("connects to redis-server");
    let info: Value = redis::cmd("COMMAND")
        .arg("INFO")
        .query_async(&mut conn)
        .await
        .expect("COMMAND INFO");
    let docs: Value = redis::cmd("COMMAND")
        .arg("DOCS")
        .query_async(&mut conn)
        .await
        .expect("COMMAND DOCS");
    let server_info: Value = redis::cmd("INFO")
        .arg("server")
        .query_async(&mut conn)
        .await
        .expect("INFO");
    let version = text(&server_info)
        .lines()
        .find_map(|l| {
            l.strip_prefix("redis_version:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    let docs = map(&docs);
    let mut commands: Vec<Command> = items(&info)
        .into_iter()
        .map(|i| entry(i, &docs, None))
        .collect();
    commands.sort_by(|a, b| a.name.cmp(&b.name));
    File {
        generated_from: format!("redis-server {version}"),
        commands,
    }
}

#[tokio::test]
async fn the_committed_table_matches_the_server() {
    let fresh = from_server().await;
    if std::env::var_os("UPDATE_COMMANDS_JSON").is_some_and(|v| v == "1") {
        let mut text = serde_json::to_string_pretty(&fresh).expect("serialises");
        text.push('\n');
        std::fs::write(PATH, text).expect("writes assets/commands.json");
        return;
    }
    let committed: File =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("reads assets/commands.json"))
            .expect("assets/commands.json parses");
    assert!(
        committed.commands.len() > 200,
        "the table lists the server's commands"
    );
    for c in &committed.commands {
        let now = fresh.commands.iter().find(|f| f.name == c.name);
        assert_eq!(
            now,
            Some(c),
            "{} differs from the server; regenerate with UPDATE_COMMANDS_JSON=1 cargo test --test it commands_table",
            c.name
        );
    }
}

#[test]
fn hints_follow_redis_cli() {
    let arg = |name: &str, kind: &str, token: Option<&str>, flags: &[&str], subs: Vec<Value>| {
        let mut v = vec![
            Value::BulkString(b"name".to_vec()),
            Value::BulkString(name.as_bytes().to_vec()),
            Value::BulkString(b"type".to_vec()),
            Value::BulkString(kind.as_bytes().to_vec()),
        ];
        if let Some(t) = token {
            v.push(Value::BulkString(b"token".to_vec()));
            v.push(Value::BulkString(t.as_bytes().to_vec()));
        }
        v.push(Value::BulkString(b"flags".to_vec()));
        v.push(Value::Array(
            flags
                .iter()
                .map(|f| Value::SimpleString(f.to_string()))
                .collect(),
        ));
        v.push(Value::BulkString(b"arguments".to_vec()));
        v.push(Value::Array(subs));
        Value::Array(v)
    };
    let ex = arg("seconds", "integer", Some("EX"), &[], vec![]);
    let keep = arg("keepttl", "pure-token", Some("KEEPTTL"), &[], vec![]);
    let one = arg("expiration", "oneof", None, &["optional"], vec![ex, keep]);
    assert_eq!(hint(&one), "[EX seconds|KEEPTTL]");
    let key = arg("key", "key", None, &["multiple"], vec![]);
    assert_eq!(
        top_hints(Some(&&Value::Array(vec![key]))),
        vec!["key", "[key ...]"]
    );
}
