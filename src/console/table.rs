//! The bundled command table (`assets/commands.json`): what a redis-server
//! 7.0 says about each command in `COMMAND DOCS` and `COMMAND INFO`, plus
//! whether Upstash serves it over REST. Upstash answers `COMMAND` with
//! nothing, so completion, hints and checks all read this table.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The table file, embedded in the binary.
const BUNDLED: &str = include_str!("../../assets/commands.json");

/// Parsed once, on first use.
static TABLE: LazyLock<CommandTable> = LazyLock::new(|| match CommandTable::from_json(BUNDLED) {
    Ok(t) => t,
    Err(e) => {
        // Only reachable with a corrupt build; the console still works
        // without completion and checks.
        tracing::error!("the bundled command table does not parse: {e}");
        CommandTable::default()
    }
});

/// The whole file: where it came from and the commands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// The server the table was read from, e.g. `redis-server 7.0.15`.
    pub generated_from: String,
    /// Top-level commands, sorted by name, each with its subcommands.
    pub commands: Vec<Command>,
}

/// One command or subcommand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// Upper-case name; a subcommand's name includes its container (`CONFIG SET`).
    pub name: String,
    /// One-line description from `COMMAND DOCS`.
    pub summary: String,
    /// The version that introduced it.
    pub since: String,
    /// The documentation group (`string`, `list`, `server` ...).
    pub group: String,
    /// `COMMAND INFO` arity: exact when positive, a minimum when negative;
    /// counts the name (and, for a subcommand, the container's name).
    pub arity: i64,
    /// The flags that matter here: `write`, `readonly`, `admin`, `blocking`
    /// (from `COMMAND INFO` flags) and `dangerous` (the `@dangerous` ACL category).
    pub flags: Vec<String>,
    /// redis-cli-style hints, one per argument (`key`, `[NX|XX]`, `[key ...]`).
    pub args: Vec<String>,
    /// Where the keys are when they sit at fixed positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<KeyRange>,
    /// Where the keys are when an argument counts them (`EVAL script numkeys key ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keynum: Option<KeyNum>,
    /// Why Upstash does not serve this command over REST, when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_unavailable: Option<String>,
    /// Subcommands, for containers such as `CONFIG`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subcommands: Vec<Command>,
}

/// Key positions from `COMMAND INFO`'s first key, last key and step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRange {
    /// Position of the first key (the command name is position 0).
    pub first: i64,
    /// Position of the last key; negative counts from the end (-1 = last).
    pub last: i64,
    /// Distance between keys (2 for `MSET key value key value`).
    pub step: i64,
}

/// Key positions announced by a count argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyNum {
    /// Position of the argument that holds the number of keys.
    pub count_at: i64,
    /// Position of the first key.
    pub first: i64,
    /// Distance between keys.
    pub step: i64,
}

impl Command {
    /// Whether `COMMAND INFO` or the ACL categories carry this flag.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// Whether the command changes data (the read-only mode refuses these).
    pub fn is_write(&self) -> bool {
        self.has_flag("write")
    }

    /// The syntax line, as redis-cli's `HELP` shows it.
    pub fn syntax(&self) -> String {
        self.args.join(" ")
    }

    /// How many words the name takes (2 for `CONFIG SET`).
    pub fn name_words(&self) -> usize {
        self.name.split(' ').count()
    }

    /// The keys named by a complete command line (to know which panes a
    /// write may have changed).
    pub fn keys_in<'a>(&self, argv: &'a [Vec<u8>]) -> Vec<&'a [u8]> {
        let n = i64::try_from(argv.len()).unwrap_or(i64::MAX);
        argv.iter()
            .enumerate()
            .filter(|(i, _)| {
                let Ok(p) = i64::try_from(*i) else {
                    return false;
                };
                match self.keys {
                    // A complete line resolves a last key counted from the end.
                    Some(k) if k.first > 0 && k.last < 0 => {
                        self.is_key_position(argv, *i) && p <= n + k.last
                    }
                    _ => self.is_key_position(argv, *i),
                }
            })
            .map(|(_, a)| a.as_slice())
            .collect()
    }

    /// Whether the argument at `pos` (0 = the name) is a key, given the
    /// arguments typed so far.
    pub fn is_key_position(&self, argv: &[Vec<u8>], pos: usize) -> bool {
        let Ok(p) = i64::try_from(pos) else {
            return false;
        };
        if let Some(k) = self.keys
            && k.first > 0
            && p >= k.first
            && k.step > 0
            && (p - k.first) % k.step == 0
        {
            // While typing, a negative last key cannot be resolved: the line
            // may grow, so every later position in step may still be a key.
            return k.last < 0 || p <= k.last;
        }
        if let Some(k) = self.keynum
            && k.step > 0
            && p >= k.first
            && (p - k.first) % k.step == 0
        {
            let count = usize::try_from(k.count_at)
                .ok()
                .and_then(|i| argv.get(i))
                .and_then(|a| std::str::from_utf8(a).ok())
                .and_then(|s| s.parse::<i64>().ok());
            return match count {
                Some(n) => p < k.first + n * k.step,
                None => false,
            };
        }
        false
    }
}

/// All commands by name, for lookups in any case.
#[derive(Debug, Clone, Default)]
pub struct CommandTable {
    file: File,
    /// Upper-case top-level name -> index in `file.commands`.
    by_name: HashMap<String, usize>,
}

impl CommandTable {
    /// The table bundled with the program.
    pub fn bundled() -> &'static CommandTable {
        &TABLE
    }

    /// Parses a table in the `assets/commands.json` format.
    pub fn from_json(text: &str) -> Result<CommandTable, serde_json::Error> {
        let file: File = serde_json::from_str(text)?;
        Ok(CommandTable::from_file(file))
    }

    /// Indexes an already parsed file.
    pub fn from_file(file: File) -> CommandTable {
        let by_name = file
            .commands
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        CommandTable { file, by_name }
    }

    /// The parsed file.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Top-level commands, sorted by name.
    pub fn commands(&self) -> &[Command] {
        &self.file.commands
    }

    /// A top-level command by name, in any case.
    pub fn get(&self, name: &str) -> Option<&Command> {
        self.by_name
            .get(&name.to_ascii_uppercase())
            .and_then(|&i| self.file.commands.get(i))
    }

    /// The most specific entry for a typed command line: the subcommand when
    /// the second word names one, else the top-level command.
    pub fn lookup<A: AsRef<[u8]>>(&self, argv: &[A]) -> Option<&Command> {
        let name = std::str::from_utf8(argv.first()?.as_ref()).ok()?;
        let top = self.get(name)?;
        if let Some(sub) = argv
            .get(1)
            .and_then(|s| std::str::from_utf8(s.as_ref()).ok())
        {
            let full = format!("{} {}", top.name, sub.to_ascii_uppercase());
            if let Some(c) = top.subcommands.iter().find(|c| c.name == full) {
                return Some(c);
            }
        }
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_parses_and_knows_common_commands() {
        let t = CommandTable::from_json(BUNDLED).expect("bundled table parses");
        assert!(t.commands().len() > 200);
        let set = t.get("set").expect("SET is listed");
        assert!(set.is_write());
        assert_eq!(set.arity, -3);
        assert!(set.syntax().starts_with("key value"));
        assert!(CommandTable::bundled().get("GET").is_some());
    }

    #[test]
    fn lookup_prefers_the_subcommand() {
        let t = CommandTable::bundled();
        let c = t.lookup(&["config", "set", "x", "y"]).expect("found");
        assert_eq!(c.name, "CONFIG SET");
        let c = t.lookup(&["config", "nosuch"]).expect("found");
        assert_eq!(c.name, "CONFIG");
        assert!(t.lookup(&["nosuchcommand"]).is_none());
    }

    #[test]
    fn key_positions_follow_ranges_and_counts() {
        let t = CommandTable::bundled();
        let argv = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        let mset = t.get("MSET").expect("MSET");
        let a = argv(&["MSET", "a", "1", "b"]);
        assert!(mset.is_key_position(&a, 1));
        assert!(!mset.is_key_position(&a, 2));
        assert!(mset.is_key_position(&a, 3));
        let get = t.get("GET").expect("GET");
        assert!(get.is_key_position(&a, 1));
        assert!(!get.is_key_position(&a, 2));
        let eval = t.get("EVAL").expect("EVAL");
        let a = argv(&["EVAL", "return 1", "2", "k1", "k2", "arg"]);
        assert!(eval.is_key_position(&a, 3));
        assert!(eval.is_key_position(&a, 4));
        assert!(!eval.is_key_position(&a, 5));
        assert!(!eval.is_key_position(&a, 1));
        assert_eq!(eval.keys_in(&a), [b"k1".as_slice(), b"k2"]);
        let blpop = t.get("BLPOP").expect("BLPOP");
        let a = argv(&["BLPOP", "q1", "q2", "0"]);
        assert_eq!(blpop.keys_in(&a), [b"q1".as_slice(), b"q2"]);
        let mset = argv(&["MSET", "a", "1", "b", "2"]);
        assert_eq!(
            t.get("MSET").expect("MSET").keys_in(&mset),
            [b"a".as_slice(), b"b"]
        );
    }
}
