//! What the user typed, read as redis-cli reads it: one line split with
//! redis-cli's quoting, an optional repeat prefix (`3 INCR n`), `HELP`, or a
//! multi-line paste that becomes one pipeline.

use crate::redis_cli::split;

/// A command's arguments, the name first.
pub type Argv = Vec<Vec<u8>>;

/// The most copies a repeat prefix may ask for in one request.
pub const MAX_REPEAT: u64 = 100_000;

/// A parsed console input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Nothing but whitespace.
    Empty,
    /// `HELP`, `HELP SET`, `HELP @string`: answered locally from the table.
    Help(Option<String>),
    /// `CLEAR`, as in redis-cli: empties the output.
    Clear,
    /// One command, sent `repeat` times (1 without a prefix).
    Command { repeat: u64, argv: Argv },
    /// Several lines pasted at once: one pipeline, in order.
    Pipeline(Vec<Argv>),
}

impl Input {
    /// The commands to send, repeats expanded, in order.
    pub fn commands(&self) -> Vec<Argv> {
        self.clone().into_commands()
    }

    /// The commands to send, taken without a copy (a pasted megabyte is
    /// copied only as often as repeats ask).
    pub fn into_commands(self) -> Vec<Argv> {
        match self {
            Input::Empty | Input::Clear | Input::Help(_) => Vec::new(),
            Input::Command { repeat, argv } => {
                let n = usize::try_from(repeat).unwrap_or(usize::MAX);
                std::iter::repeat_n(argv, n).collect()
            }
            Input::Pipeline(cmds) => cmds,
        }
    }
}

/// Why an input cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A quote was left open on this (1-based) line.
    #[error("line {line}: Invalid argument(s): unbalanced quotes")]
    Unbalanced { line: usize },
    /// The repeat prefix was zero, negative or too large.
    #[error("Invalid repeat count {0}: give a number from 1 to {MAX_REPEAT}")]
    Repeat(String),
}

/// Parses the console's text: one line, or several pasted lines.
pub fn parse(text: &str) -> Result<Input, Error> {
    let mut lines = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let argv =
            split(line.trim_end_matches('\r')).map_err(|_| Error::Unbalanced { line: i + 1 })?;
        if !argv.is_empty() {
            lines.push(argv);
        }
    }
    match lines.len() {
        0 => Ok(Input::Empty),
        1 => {
            let argv = lines.remove(0);
            if argv[0].eq_ignore_ascii_case(b"help") {
                let topic = (argv.len() > 1).then(|| {
                    argv[1..]
                        .iter()
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                return Ok(Input::Help(topic));
            }
            if argv.len() == 1 && argv[0].eq_ignore_ascii_case(b"clear") {
                return Ok(Input::Clear);
            }
            let (repeat, argv) = repeat_prefix(argv)?;
            Ok(Input::Command { repeat, argv })
        }
        _ => {
            let mut cmds = Vec::new();
            for argv in lines {
                let (repeat, argv) = repeat_prefix(argv)?;
                let n = usize::try_from(repeat).unwrap_or(usize::MAX);
                cmds.extend(std::iter::repeat_n(argv, n));
            }
            Ok(Input::Pipeline(cmds))
        }
    }
}

/// redis-cli's rule: a first word that is entirely an integer, followed by
/// more words, is a repeat count.
fn repeat_prefix(argv: Argv) -> Result<(u64, Argv), Error> {
    if argv.len() < 2 {
        return Ok((1, argv));
    }
    let Some(word) = std::str::from_utf8(&argv[0]).ok() else {
        return Ok((1, argv));
    };
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok((1, argv));
    }
    match word.parse::<u64>() {
        Ok(n) if (1..=MAX_REPEAT).contains(&n) => Ok((n, argv[1..].to_vec())),
        _ => Err(Error::Repeat(word.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Argv {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn one_line_is_one_command() {
        assert_eq!(
            parse(r#"SET "a key" 'it''s'"#).map(|i| i.commands()),
            Err(Error::Unbalanced { line: 1 })
        );
        let input = parse(r#"SET "a\x41\n" 'b c'"#).expect("parses");
        assert_eq!(
            input,
            Input::Command {
                repeat: 1,
                argv: vec![b"SET".to_vec(), b"aA\n".to_vec(), b"b c".to_vec()]
            }
        );
        assert_eq!(parse("   \t "), Ok(Input::Empty));
    }

    #[test]
    fn an_unbalanced_quote_is_an_error_naming_the_line() {
        let e = parse("GET \"open").expect_err("unbalanced");
        assert_eq!(
            e.to_string(),
            "line 1: Invalid argument(s): unbalanced quotes"
        );
        let e = parse("PING\nGET 'x").expect_err("unbalanced");
        assert_eq!(e, Error::Unbalanced { line: 2 });
    }

    #[test]
    fn repeat_prefix_like_redis_cli() {
        let input = parse("3 INCR n").expect("parses");
        assert_eq!(
            input,
            Input::Command {
                repeat: 3,
                argv: argv(&["INCR", "n"])
            }
        );
        assert_eq!(input.commands().len(), 3);
        // A lone number is a command name, as in redis-cli.
        assert_eq!(
            parse("5"),
            Ok(Input::Command {
                repeat: 1,
                argv: argv(&["5"])
            })
        );
        assert!(matches!(parse("0 PING"), Err(Error::Repeat(_))));
        assert!(matches!(parse("-2 PING"), Err(Error::Repeat(_))));
        assert!(matches!(parse("100001 PING"), Err(Error::Repeat(_))));
        assert!(matches!(
            parse("99999999999999999999999 PING"),
            Err(Error::Repeat(_))
        ));
        // Not entirely digits: an ordinary argument.
        assert_eq!(
            parse("3x PING"),
            Ok(Input::Command {
                repeat: 1,
                argv: argv(&["3x", "PING"])
            })
        );
    }

    #[test]
    fn a_paste_is_one_pipeline_without_blank_lines() {
        let input = parse("SET a 1\r\n\n  \n2 INCR a\nGET a\n").expect("parses");
        assert_eq!(
            input,
            Input::Pipeline(vec![
                argv(&["SET", "a", "1"]),
                argv(&["INCR", "a"]),
                argv(&["INCR", "a"]),
                argv(&["GET", "a"]),
            ])
        );
    }

    #[test]
    fn help_is_local() {
        assert_eq!(parse("help"), Ok(Input::Help(None)));
        assert_eq!(
            parse("HELP config set"),
            Ok(Input::Help(Some("config set".into())))
        );
        assert!(parse("help").expect("parses").commands().is_empty());
        assert_eq!(parse(" clear "), Ok(Input::Clear));
        assert!(matches!(parse("clear x"), Ok(Input::Command { .. })));
    }

    proptest::proptest! {
        /// Any text parses or fails cleanly; a repeat never exceeds the cap.
        #[test]
        fn any_text(text in "\\PC{0,60}|[0-9 a-z\"'\\n]{0,30}") {
            if let Ok(Input::Command { repeat, .. }) = parse(&text) {
                proptest::prop_assert!((1..=MAX_REPEAT).contains(&repeat));
            }
        }
    }
}
