//! Which commands a read-only token may run, decided from the real server's
//! own `COMMAND` table (flags and ACL categories), so that modules and new
//! Redis versions are judged by the server rather than by a fixed list.

use std::collections::HashMap;

use redis::Value;

/// For each command (`get`) and subcommand (`config|set`): may a read-only
/// token run it?
#[derive(Debug, Default)]
pub struct Table {
    read_only_ok: HashMap<String, bool>,
    containers: std::collections::HashSet<String>,
}

impl Table {
    /// Builds the table from the RESP2 reply of `COMMAND`.
    pub fn from_command_reply(v: &Value) -> Table {
        let mut t = Table::default();
        if let Value::Array(entries) = v {
            for e in entries {
                t.add(e);
            }
        }
        t
    }

    fn add(&mut self, entry: &Value) {
        let Value::Array(fields) = entry else { return };
        let Some(name) = fields.first().and_then(text) else {
            return;
        };
        let name = name.to_ascii_lowercase();
        let flags = words(fields.get(2));
        let categories = words(fields.get(6));
        // Scripts and functions are not flagged `write` although they can
        // write (Upstash answers NOPERM for EVAL): only their `_RO` forms,
        // flagged `readonly`, are reads. Admin commands (CONFIG SET, DEBUG
        // ...) change the server, so they are refused too.
        let has = |f: &str| flags.iter().any(|x| x == f);
        let ok = !has("write")
            && !has("may_replicate")
            && !has("admin")
            && !categories.iter().any(|c| c == "@admin" || c == "@write")
            && (has("readonly") || !categories.iter().any(|c| c == "@scripting"));
        if let Some(Value::Array(subs)) = fields.get(9)
            && !subs.is_empty()
        {
            self.containers.insert(name.clone());
            for s in subs {
                self.add(s);
            }
        }
        self.read_only_ok.insert(name, ok);
    }

    /// Whether a read-only token may run `name [sub]`; `None` for commands
    /// the server does not know (its own error then reaches the caller).
    pub fn read_only_ok(&self, name: &str, sub: Option<&[u8]>) -> Option<bool> {
        if self.containers.contains(name)
            && let Some(sub) = sub
        {
            let full = format!(
                "{name}|{}",
                String::from_utf8_lossy(sub).to_ascii_lowercase()
            );
            if let Some(ok) = self.read_only_ok.get(&full) {
                return Some(*ok);
            }
        }
        self.read_only_ok.get(name).copied()
    }

    /// Whether the server knows `name` (`get`) or `name|sub` (`config|get`), in lower case.
    pub fn knows(&self, name: &str) -> bool {
        self.read_only_ok.contains_key(name)
    }

    /// Whether `name` has subcommands (`config`, `client`, `object` ...).
    pub fn is_container(&self, name: &str) -> bool {
        self.containers.contains(name)
    }

    /// Whether the table holds anything (an empty one means `COMMAND` failed).
    pub fn is_empty(&self) -> bool {
        self.read_only_ok.is_empty()
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Okay => Some("OK".into()),
        _ => None,
    }
}

fn words(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) | Some(Value::Set(items)) => items
            .iter()
            .filter_map(text)
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        _ => Vec::new(),
    }
}
