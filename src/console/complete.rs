//! Tab completion: command names, subcommands, option words and the names of
//! keys already loaded, for the word before the cursor. Repeated Tab cycles
//! through the candidates.

use super::table::CommandTable;
use crate::redis_cli::{quote, split};

/// At most this many candidates are offered (key lists can be huge).
pub const MAX_CANDIDATES: usize = 200;

/// The candidates for one word and the one currently inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The line up to the word being completed.
    head: String,
    /// The line after the cursor, left untouched.
    tail: String,
    /// The word as the user typed it, given back after the last candidate.
    typed: String,
    candidates: Vec<String>,
    /// Which candidate is inserted; `candidates.len()` means the typed word.
    index: usize,
}

impl Cycle {
    /// The candidates, in the order Tab visits them.
    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }

    /// The line with the current candidate inserted, and the cursor after it
    /// (a byte offset).
    pub fn line(&self) -> (String, usize) {
        let word = self.candidates.get(self.index).unwrap_or(&self.typed);
        let cursor = self.head.len() + word.len();
        (format!("{}{}{}", self.head, word, self.tail), cursor)
    }

    /// Tab again: the next candidate, then the typed word, then around.
    pub fn next(&mut self) {
        self.index = (self.index + 1) % (self.candidates.len() + 1);
    }

    /// Shift-Tab: the previous candidate.
    pub fn prev(&mut self) {
        let n = self.candidates.len() + 1;
        self.index = (self.index + n - 1) % n;
    }
}

/// Starts completing the word before `cursor` (a byte offset into `line`).
/// `keys` are the key names loaded in the Keys pane. `None` when nothing fits.
pub fn complete<'k>(
    table: &CommandTable,
    line: &str,
    cursor: usize,
    keys: impl IntoIterator<Item = &'k [u8]>,
) -> Option<Cycle> {
    let before = line.get(..cursor)?;
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    // Inside quotes the word boundaries are not the whitespace: leave it alone.
    if word.contains(['"', '\'']) {
        return None;
    }
    let done = split(&before[..start]).ok()?;
    let candidates = match done.len() {
        0 => names(table.commands().iter().map(|c| c.name.as_str()), word),
        _ => {
            let top = table.get(std::str::from_utf8(&done[0]).ok()?);
            let subs = top.filter(|t| done.len() == 1 && !t.subcommands.is_empty());
            if let Some(t) = subs {
                let subs = t
                    .subcommands
                    .iter()
                    .filter_map(|s| s.name.split(' ').nth(1));
                names(subs, word)
            } else {
                let cmd = table.lookup(&done)?;
                if cmd.is_key_position(&done, done.len()) {
                    key_names(keys, word)
                } else {
                    let words = cmd.args.iter().flat_map(|a| a.split([' ', '[', ']', '|']));
                    let options = words.filter(|w| {
                        w.len() > 1
                            && w.bytes()
                                .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-')
                    });
                    names(options, word)
                }
            }
        }
    };
    if candidates.is_empty() {
        return None;
    }
    Some(Cycle {
        head: before[..start].to_string(),
        tail: line[cursor..].to_string(),
        typed: word.to_string(),
        candidates,
        index: 0,
    })
}

/// Upper-case names starting with `typed` (any case), in the user's case:
/// lower case when they typed lower case, upper case otherwise.
fn names<'a>(all: impl Iterator<Item = &'a str>, typed: &str) -> Vec<String> {
    let upper = typed.to_ascii_uppercase();
    let lower = !typed.is_empty() && !typed.bytes().any(|b| b.is_ascii_uppercase());
    let mut out: Vec<String> = all
        .filter(|n| n.starts_with(&upper))
        .map(|n| {
            if lower {
                n.to_ascii_lowercase()
            } else {
                n.to_string()
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out.truncate(MAX_CANDIDATES);
    out
}

/// Keys starting with `typed` (exact bytes), quoted as redis-cli reads them.
fn key_names<'k>(keys: impl IntoIterator<Item = &'k [u8]>, typed: &str) -> Vec<String> {
    let mut out: Vec<&[u8]> = keys
        .into_iter()
        .filter(|k| k.starts_with(typed.as_bytes()))
        .collect();
    // With a million keys loaded, sorting them all for 200 candidates would
    // be felt: pick the smallest first, then sort only those.
    if out.len() > MAX_CANDIDATES {
        out.select_nth_unstable(MAX_CANDIDATES);
        out.truncate(MAX_CANDIDATES);
    }
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(quote).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(line: &str, keys: &[&str]) -> Option<Cycle> {
        let keys: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
        complete(CommandTable::bundled(), line, line.len(), keys)
    }

    #[test]
    fn command_names_keep_the_users_case() {
        let c = first("hge", &[]).expect("candidates");
        assert_eq!(c.candidates(), ["hget", "hgetall"]);
        assert_eq!(c.line(), ("hget".to_string(), 4));
        let c = first("HGE", &[]).expect("candidates");
        assert_eq!(c.candidates(), ["HGET", "HGETALL"]);
        let c = first("HgE", &[]).expect("candidates");
        assert_eq!(c.candidates()[0], "HGET");
        assert!(first("nosuchcmd", &[]).is_none());
    }

    #[test]
    fn tab_cycles_and_comes_back_to_what_was_typed() {
        let mut c = first("hge", &[]).expect("candidates");
        c.next();
        assert_eq!(c.line().0, "hgetall");
        c.next();
        assert_eq!(c.line().0, "hge");
        c.next();
        assert_eq!(c.line().0, "hget");
        c.prev();
        assert_eq!(c.line().0, "hge");
    }

    #[test]
    fn subcommands_complete_after_a_container() {
        let c = first("config re", &[]).expect("candidates");
        assert_eq!(c.candidates(), ["resetstat", "rewrite"]);
        assert_eq!(c.line().0, "config resetstat");
        let c = first("CONFIG ", &[]).expect("candidates");
        assert!(c.candidates().contains(&"SET".to_string()));
    }

    #[test]
    fn keys_complete_in_key_positions_only() {
        let keys = ["user:1", "user:2", "order:9", "user name"];
        let c = first("GET us", &keys).expect("candidates");
        assert_eq!(c.candidates(), ["\"user name\"", "user:1", "user:2"]);
        let c = first("MSET user:1 x u", &keys).expect("candidates");
        assert_eq!(
            c.candidates().len(),
            3,
            "every other MSET argument is a key"
        );
        // A value position offers no keys.
        assert!(first("SET user:1 us", &keys).is_none());
        let c = first("EVAL s 2 user:1 o", &keys).expect("numkeys positions");
        assert_eq!(c.candidates(), ["order:9"]);
        assert!(
            first("EVAL s 1 user:1 o", &keys).is_none(),
            "past numkeys: an argument"
        );
    }

    #[test]
    fn option_words_complete_elsewhere() {
        let c = first("SET k v e", &[]).expect("candidates");
        assert_eq!(c.candidates(), ["ex", "exat"]);
    }

    #[test]
    fn the_text_after_the_cursor_stays() {
        let line = "hge k";
        let c =
            complete(CommandTable::bundled(), line, 3, Vec::<&[u8]>::new()).expect("candidates");
        assert_eq!(c.line(), ("hget k".to_string(), 4));
        assert!(complete(CommandTable::bundled(), "GET \"us", 7, Vec::<&[u8]>::new()).is_none());
        assert!(complete(CommandTable::bundled(), "GET", 99, Vec::<&[u8]>::new()).is_none());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::console::hint::hint;

    proptest! {
        /// Completion and hints take any text and any cursor without panicking,
        /// and a completion keeps the text after the cursor.
        #[test]
        fn any_line_any_cursor(line in "\\PC{0,40}|[a-zA-Z \"'\\\\]{0,20}", cursor in 0usize..60) {
            let keys: [&[u8]; 3] = [b"a", b"ab\xff", b"key with space"];
            if let Some(mut c) = complete(CommandTable::bundled(), &line, cursor, keys) {
                let tail = &line[cursor..];
                prop_assert!(c.line().0.ends_with(tail));
                c.next();
                c.prev();
                c.prev();
                prop_assert!(c.line().0.ends_with(tail));
            }
            let _ = hint(CommandTable::bundled(), &line);
        }
    }
}
