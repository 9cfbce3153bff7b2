//! What a sent command may have changed, so that the panes showing those
//! keys (or the key list itself) can be refreshed.

use super::input::Argv;
use super::table::CommandTable;

/// Commands that can make keys disappear (or rename them), besides those
/// whose keys are unknown.
const REMOVES: &[&str] = &[
    "DEL",
    "UNLINK",
    "RENAME",
    "RENAMENX",
    "MOVE",
    "GETDEL",
    "EXPIRE",
    "PEXPIRE",
    "EXPIREAT",
    "PEXPIREAT",
    "LPOP",
    "RPOP",
    "LMPOP",
    "LREM",
    "LTRIM",
    "LMOVE",
    "RPOPLPUSH",
    "SPOP",
    "SREM",
    "SMOVE",
    "SINTERSTORE",
    "SDIFFSTORE",
    "ZREM",
    "ZPOPMIN",
    "ZPOPMAX",
    "ZMPOP",
    "ZREMRANGEBYSCORE",
    "ZREMRANGEBYRANK",
    "ZREMRANGEBYLEX",
    "HDEL",
    "GETEX",
    "FLUSHDB",
    "FLUSHALL",
    "SWAPDB",
    "RESTORE",
    "COPY",
];

/// The consequences of a batch of commands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Some command writes.
    pub wrote: bool,
    /// Some write may remove or rename keys.
    pub removes: bool,
    /// A write names no key we can tell (FLUSHALL, scripts): anything may have changed.
    pub unknown: bool,
    /// The keys the writes name.
    pub keys: Vec<Vec<u8>>,
}

impl Touched {
    /// Whether `key` may have changed.
    pub fn may_change(&self, key: &[u8]) -> bool {
        self.unknown || self.keys.iter().any(|k| k == key)
    }
}

/// Looks at the commands sent; unknown commands count as writes of unknown
/// keys unless the client's table knows them as reads.
pub fn touched(table: &CommandTable, cmds: &[Argv]) -> Touched {
    let mut t = Touched::default();
    for argv in cmds {
        let Some(cmd) = table.lookup(argv) else {
            if !crate::upstash::is_read_only_command(argv) && !argv.is_empty() {
                t.wrote = true;
                t.unknown = true;
            }
            continue;
        };
        if !cmd.is_write() && cmd.name != "EVAL" && cmd.name != "EVALSHA" && cmd.name != "FCALL" {
            continue;
        }
        t.wrote = true;
        let top = cmd.name.split(' ').next().unwrap_or_default();
        t.removes |= REMOVES.contains(&top);
        let keys = cmd.keys_in(argv);
        // Scripts may touch keys they were not given.
        if keys.is_empty() || top.starts_with("EVAL") || top == "FCALL" {
            t.unknown = true;
        }
        t.keys.extend(keys.into_iter().map(<[u8]>::to_vec));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(lines: &[&str]) -> Touched {
        let cmds: Vec<Argv> = lines
            .iter()
            .map(|l| {
                l.split_whitespace()
                    .map(|w| w.as_bytes().to_vec())
                    .collect()
            })
            .collect();
        touched(CommandTable::bundled(), &cmds)
    }

    #[test]
    fn reads_touch_nothing() {
        assert_eq!(of(&["GET a", "HGETALL h", "SCAN 0"]), Touched::default());
    }

    #[test]
    fn writes_name_their_keys() {
        let t = of(&["SET a 1", "MSET b 1 c 2"]);
        assert!(t.wrote && !t.removes && !t.unknown);
        assert_eq!(t.keys, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        assert!(t.may_change(b"c") && !t.may_change(b"1"));
        let t = of(&["DEL a"]);
        assert!(t.removes);
    }

    #[test]
    fn flushes_scripts_and_unknown_writes_may_change_anything() {
        assert!(of(&["FLUSHALL"]).unknown);
        assert!(of(&["EVAL x 0"]).may_change(b"anything"));
        assert!(of(&["JSON.SET k $ 1"]).unknown);
        assert!(!of(&["JSON.GET k"]).wrote);
    }
}
