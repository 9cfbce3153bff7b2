//! The inline hint shown after the typed text (the arguments still to come,
//! as redis-cli shows them) and the text of `HELP`.

use super::table::{Command, CommandTable};
use crate::redis_cli::split;

/// The hint to show after `line`, or `None`.
///
/// As in redis-cli 7.0: once the command is known, its syntax line loses one
/// word per argument typed, stopping at the first optional part (`[`); a
/// space is put in front when the line does not end with one.
pub fn hint(table: &CommandTable, line: &str) -> Option<String> {
    let argv = split(line).ok()?;
    let cmd = table.lookup(&argv)?;
    let typed = argv.len().checked_sub(cmd.name_words())?;
    let syntax = cmd.syntax();
    let mut rest = syntax.as_str();
    let mut to_remove = typed;
    while to_remove > 0 && !rest.is_empty() && !rest.starts_with('[') {
        match rest.find(' ') {
            Some(i) => rest = &rest[i + 1..],
            None => rest = "",
        }
        to_remove -= 1;
    }
    if rest.is_empty() {
        return None;
    }
    let ends_with_space = line.ends_with(|c: char| c.is_ascii_whitespace());
    Some(if ends_with_space {
        rest.to_string()
    } else {
        format!(" {rest}")
    })
}

/// The text of `HELP`, `HELP <command>` or `HELP @<group>`, as lines.
pub fn help(table: &CommandTable, topic: Option<&str>) -> Vec<String> {
    let Some(topic) = topic.map(str::trim).filter(|t| !t.is_empty()) else {
        return vec![
            "Type a command as in redis-cli; Tab completes, Up/Down and Ctrl-R search the history.".into(),
            "\"HELP <command>\" shows a command's syntax, \"HELP @<group>\" the commands of a group".into(),
            format!("(groups: {}).", groups(table).join(", ")),
            "\"N CMD\" runs CMD N times; pasting several lines sends them as one pipeline.".into(),
        ];
    };
    if let Some(group) = topic.strip_prefix('@') {
        let group = group.to_ascii_lowercase();
        let mut out = Vec::new();
        for c in table.commands() {
            for c in std::iter::once(c).chain(&c.subcommands) {
                // A bare container (CONFIG) says nothing its subcommands do not.
                let container = c.args.is_empty() && !c.subcommands.is_empty();
                if c.group == group && !container {
                    out.extend(entry(c));
                }
            }
        }
        if out.is_empty() {
            out.push(format!(
                "No group named {group}; groups: {}.",
                groups(table).join(", ")
            ));
        }
        return out;
    }
    let words: Vec<&str> = topic.split_whitespace().collect();
    let Some(cmd) = table.lookup(&words) else {
        return vec![format!(
            "No help for {topic}: the command is not in the bundled table."
        )];
    };
    let mut out = entry(cmd);
    // A container lists its subcommands, as redis-cli does for `HELP CONFIG`.
    if words.len() == 1 {
        for sub in &cmd.subcommands {
            out.extend(entry(sub));
        }
    }
    out
}

fn entry(c: &Command) -> Vec<String> {
    let mut out = vec![
        String::new(),
        format!("  {} {}", c.name, c.syntax())
            .trim_end()
            .to_string(),
        format!("  summary: {}", c.summary),
        format!("  since: {}", c.since),
        format!("  group: {}", c.group),
    ];
    if let Some(reason) = &c.rest_unavailable {
        out.push(format!("  not available over Upstash REST: {reason}"));
    }
    out
}

fn groups(table: &CommandTable) -> Vec<String> {
    let mut g: Vec<String> = table.commands().iter().map(|c| c.group.clone()).collect();
    g.sort();
    g.dedup();
    g.retain(|x| !x.is_empty());
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(line: &str) -> Option<String> {
        hint(CommandTable::bundled(), line)
    }

    #[test]
    fn hints_drop_typed_arguments_like_redis_cli() {
        assert_eq!(
            h("SET").as_deref(),
            Some(
                " key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"
            )
        );
        assert_eq!(
            h("set ").as_deref().map(|s| s.starts_with("key value")),
            Some(true)
        );
        assert_eq!(
            h("SET k").as_deref().map(|s| s.starts_with(" value [NX")),
            Some(true)
        );
        assert_eq!(
            h("SET k v ").as_deref().map(|s| s.starts_with("[NX|XX]")),
            Some(true)
        );
        assert_eq!(h("GET k"), None, "nothing left");
        assert_eq!(h("DEL a b c ").as_deref(), Some("[key ...]"));
        assert_eq!(
            h("config set ").as_deref(),
            Some("parameter value [parameter value ...]")
        );
        assert_eq!(h("nosuch "), None);
        assert_eq!(h("GET \"open"), None);
    }

    #[test]
    fn help_shows_syntax_summary_and_rest_availability() {
        let t = CommandTable::bundled();
        let lines = help(t, Some("set"));
        assert!(lines.iter().any(|l| l.starts_with("  SET key value")));
        assert!(lines.iter().any(|l| l == "  group: string"));
        let lines = help(t, Some("blpop"));
        assert!(
            lines
                .iter()
                .any(|l| l.contains("not available over Upstash REST"))
        );
        let lines = help(t, Some("CONFIG"));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("  CONFIG SET parameter value"))
        );
        let lines = help(t, Some("@hyperloglog"));
        assert!(lines.iter().any(|l| l.starts_with("  PFADD key")));
        assert!(help(t, Some("@nope"))[0].starts_with("No group named nope"));
        assert!(help(t, Some("nosuch"))[0].starts_with("No help for nosuch"));
        assert!(help(t, None).iter().any(|l| l.contains("HELP <command>")));
    }
}
