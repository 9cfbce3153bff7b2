use super::*;

fn argv(line: &str) -> Vec<Vec<u8>> {
    line.split_whitespace()
        .map(|w| w.as_bytes().to_vec())
        .collect()
}

fn verdict(line: &str, ctx: Context) -> Verdict {
    check(CommandTable::bundled(), &argv(line), ctx)
}

#[test]
fn ordinary_commands_pass() {
    let ctx = Context::default();
    assert_eq!(verdict("SET a b EX 10", ctx), Verdict::Send);
    assert_eq!(verdict("get a", ctx), Verdict::Send);
    assert_eq!(verdict("SELECT 0", ctx), Verdict::Send);
    assert_eq!(verdict("XREAD COUNT 2 STREAMS s 0", ctx), Verdict::Send);
    // Unknown to redis-server 7.0 but served by Upstash.
    assert_eq!(verdict("JSON.SET k $ 1", ctx), Verdict::Send);
}

#[test]
fn commands_upstash_does_not_serve_are_refused_with_the_reason() {
    let ctx = Context::default();
    for line in [
        "BLPOP q 0",
        "WATCH k",
        "MULTI",
        "SUBSCRIBE ch",
        "CLIENT LIST",
        "HELLO 3",
        "SELECT 2",
        "XREAD BLOCK 0 STREAMS s $",
        "MEMORY STATS",
        "CLUSTER INFO",
    ] {
        let v = verdict(line, ctx);
        let Verdict::Unavailable { reason, .. } = &v else {
            panic!("{line}: {v:?}");
        };
        assert!(!reason.is_empty());
        assert!(
            v.message()
                .is_some_and(|m| m.contains("not available over Upstash REST"))
        );
    }
    assert_eq!(
        verdict("MEMORY USAGE k", ctx),
        Verdict::Send,
        "only MEMORY STATS is refused"
    );
}

#[test]
fn read_only_refuses_writes_by_the_write_flag() {
    let ctx = Context {
        read_only: true,
        dbsize: None,
    };
    assert_eq!(
        verdict("SET a b", ctx),
        Verdict::ReadOnly {
            command: "SET".into()
        }
    );
    assert_eq!(verdict("CONFIG GET maxmemory", ctx), Verdict::Send);
    assert_eq!(verdict("GET a", ctx), Verdict::Send);
    // Unknown commands pass only when known to read.
    assert_eq!(verdict("JSON.GET k", ctx), Verdict::Send);
    assert!(matches!(
        verdict("JSON.SET k $ 1", ctx),
        Verdict::ReadOnly { .. }
    ));
}

#[test]
fn wrong_arity_is_a_friendly_message() {
    let ctx = Context::default();
    let v = verdict("GET", ctx);
    assert_eq!(
        v.message().as_deref(),
        Some("GET takes exactly 1 argument, 0 given: GET key")
    );
    let v = verdict("SET a", ctx);
    assert!(
        v.message()
            .is_some_and(|m| m.starts_with("SET takes at least 2 arguments, 1 given"))
    );
    let v = verdict("CONFIG", ctx);
    assert!(
        v.message()
            .is_some_and(|m| m.starts_with("CONFIG needs a subcommand:") && m.contains("SET"))
    );
    let v = verdict("CONFIG SET maxmemory", ctx);
    assert!(
        v.message()
            .is_some_and(|m| m.starts_with("CONFIG SET takes at least 2 arguments, 1 given"))
    );
}

#[test]
fn flush_needs_the_name_typed() {
    let Verdict::Confirm(c) = verdict("FLUSHALL", Context::default()) else {
        panic!("FLUSHALL asks first");
    };
    assert_eq!(c.type_to_confirm.as_deref(), Some("FLUSHALL"));
    assert!(!c.accepts("y"));
    assert!(c.accepts(" flushall "));
    let Verdict::Confirm(c) = verdict("flushdb async", Context::default()) else {
        panic!("FLUSHDB asks first");
    };
    assert!(c.accepts("FLUSHDB"));
    assert!(!c.accepts("FLUSHALL"));
}

#[test]
fn other_dangerous_commands_need_a_yes() {
    for line in [
        "SCRIPT FLUSH",
        "CONFIG SET maxmemory 1mb",
        "FUNCTION FLUSH",
        "SWAPDB 0 1",
    ] {
        let Verdict::Confirm(c) = verdict(line, Context::default()) else {
            panic!("{line} asks first");
        };
        assert!(c.type_to_confirm.is_none());
        assert!(c.accepts("y") && c.accepts("YES") && !c.accepts("n"));
    }
    // INFO is in @dangerous, but only reads.
    assert_eq!(verdict("INFO", Context::default()), Verdict::Send);
}

#[test]
fn keys_asks_only_on_a_large_database() {
    let small = Context {
        read_only: false,
        dbsize: Some(100),
    };
    assert_eq!(verdict("KEYS *", small), Verdict::Send);
    let large = Context {
        read_only: false,
        dbsize: Some(2_000_000),
    };
    let v = verdict("KEYS *", large);
    assert!(matches!(&v, Verdict::Confirm(c) if c.why.contains("2000000")));
    assert!(matches!(
        verdict("KEYS *", Context::default()),
        Verdict::Confirm(_)
    ));
}

#[test]
fn a_pipeline_reports_its_first_problem() {
    let cmds = vec![
        argv("SET a 1"),
        argv("GET a"),
        argv("BLPOP q 0"),
        argv("FLUSHALL"),
    ];
    let found = check_all(CommandTable::bundled(), &cmds, Context::default());
    assert!(matches!(found, Some((2, Verdict::Unavailable { .. }))));
    assert_eq!(
        check_all(CommandTable::bundled(), &cmds[..2], Context::default()),
        None
    );
}
