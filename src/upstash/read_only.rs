//! Which commands only read: the client retries those (and only those) after
//! transport failures, and other parts use the same table to tell reads from
//! writes (e.g. to warn before a write with a read-only token).

/// Commands that never change data, by name (upper case).
const READ_ONLY: &[&str] = &[
    "BITCOUNT",
    "BITPOS",
    "DBSIZE",
    "DUMP",
    "ECHO",
    "EXISTS",
    "EXPIRETIME",
    "GEODIST",
    "GEOHASH",
    "GEOPOS",
    "GEOSEARCH",
    "GET",
    "GETBIT",
    "GETRANGE",
    "HEXISTS",
    "HGET",
    "HGETALL",
    "HKEYS",
    "HLEN",
    "HMGET",
    "HRANDFIELD",
    "HSCAN",
    "HSTRLEN",
    "HVALS",
    "INFO",
    "JSON.GET",
    "JSON.MGET",
    "JSON.OBJKEYS",
    "JSON.OBJLEN",
    "JSON.STRLEN",
    "JSON.TYPE",
    "JSON.ARRLEN",
    "KEYS",
    "LCS",
    "LINDEX",
    "LLEN",
    "LOLWUT",
    "LPOS",
    "LRANGE",
    "MGET",
    "PEXPIRETIME",
    "PFCOUNT",
    "PING",
    "PTTL",
    "RANDOMKEY",
    "SCAN",
    "SCARD",
    "SDIFF",
    "SINTER",
    "SINTERCARD",
    "SISMEMBER",
    "SMEMBERS",
    "SMISMEMBER",
    "SRANDMEMBER",
    "SSCAN",
    "STRLEN",
    "SUBSTR",
    "SUNION",
    "TIME",
    "TOUCH",
    "TTL",
    "TYPE",
    "XLEN",
    "XPENDING",
    "XRANGE",
    "XREVRANGE",
    "ZCARD",
    "ZCOUNT",
    "ZDIFF",
    "ZINTER",
    "ZINTERCARD",
    "ZLEXCOUNT",
    "ZMSCORE",
    "ZRANDMEMBER",
    "ZRANGE",
    "ZRANGEBYLEX",
    "ZRANGEBYSCORE",
    "ZRANK",
    "ZREVRANGE",
    "ZREVRANGEBYLEX",
    "ZREVRANGEBYSCORE",
    "ZREVRANK",
    "ZSCAN",
    "ZSCORE",
    "ZUNION",
    // The read-only variants Redis provides for commands that could write.
    "BITFIELD_RO",
    "EVAL_RO",
    "EVALSHA_RO",
    "FCALL_RO",
    "GEORADIUS_RO",
    "GEORADIUSBYMEMBER_RO",
    "SORT_RO",
    "PUBSUB",
    "XREAD",
];

/// Commands whose first argument is a subcommand; the listed subcommands only read.
const READ_ONLY_SUBCOMMANDS: &[(&str, &[&str])] = &[
    (
        "OBJECT",
        &["ENCODING", "FREQ", "IDLETIME", "REFCOUNT", "HELP"],
    ),
    ("MEMORY", &["USAGE", "DOCTOR", "HELP"]),
    ("XINFO", &["STREAM", "GROUPS", "CONSUMERS", "HELP"]),
    ("CONFIG", &["GET"]),
    (
        "COMMAND",
        &["COUNT", "DOCS", "INFO", "LIST", "GETKEYS", "HELP"],
    ),
    ("SCRIPT", &["EXISTS"]),
];

/// Whether a command name (any case) only reads, judged by its name alone.
/// Commands that need a subcommand to tell (e.g. `OBJECT`) count as writes
/// here; use [`is_read_only_command`] for those.
pub fn is_read_only(name: &[u8]) -> bool {
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    READ_ONLY.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// Whether a whole command (name and arguments) only reads, looking at the
/// subcommand of `OBJECT`, `MEMORY`, `XINFO`, `CONFIG`, `COMMAND`, `SCRIPT`.
pub fn is_read_only_command<A: AsRef<[u8]>>(argv: &[A]) -> bool {
    let Some(name) = argv.first().map(AsRef::as_ref) else {
        return false;
    };
    if is_read_only(name) {
        return true;
    }
    let Some((_, subs)) = READ_ONLY_SUBCOMMANDS
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
    else {
        return false;
    };
    argv.get(1).is_some_and(|sub| {
        subs.iter()
            .any(|s| s.as_bytes().eq_ignore_ascii_case(sub.as_ref()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_are_told_apart() {
        for r in [
            "get",
            "GET",
            "Scan",
            "hgetall",
            "zrange",
            "ping",
            "xrevrange",
        ] {
            assert!(is_read_only(r.as_bytes()), "{r}");
        }
        for w in [
            "SET", "INCR", "DEL", "EVAL", "FLUSHALL", "OBJECT", "GETDEL", "GETEX",
        ] {
            assert!(!is_read_only(w.as_bytes()), "{w}");
        }
        assert!(!is_read_only(b"\xffGET"));
    }

    #[test]
    fn subcommands_decide_for_two_word_commands() {
        assert!(is_read_only_command(&["memory", "usage", "k"]));
        assert!(is_read_only_command(&["OBJECT", "encoding", "k"]));
        assert!(!is_read_only_command(&["MEMORY", "PURGE"]));
        assert!(!is_read_only_command(&["CONFIG", "SET", "a", "b"]));
        assert!(!is_read_only_command(&["OBJECT"]));
        assert!(!is_read_only_command::<&str>(&[]));
        assert!(is_read_only_command(&["GET", "k"]));
    }

    #[test]
    fn the_table_is_upper_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in READ_ONLY {
            assert_eq!(*r, r.to_uppercase());
            assert!(seen.insert(r), "{r} twice");
        }
    }
}
