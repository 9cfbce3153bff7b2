//! redis-cli's argument tokeniser (`sdssplitargs`) and its inverse.
//!
//! The rules follow `sds.c` in Redis exactly: arguments are separated by
//! whitespace; double quotes understand `\n`, `\r`, `\t`, `\b`, `\a`, `\xNN`
//! and `\<any>`; single quotes only understand `\'`; a closing quote must be
//! followed by whitespace or the end of the line. Like the C code, which
//! works on NUL-terminated strings, input stops at the first NUL byte.

/// Why a line could not be split into arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A quote was never closed, or a closing quote was followed by a non-space.
    #[error("Invalid argument(s): unbalanced quotes")]
    UnbalancedQuotes,
}

/// C's `isspace` in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Splits one line into arguments exactly as redis-cli does.
pub fn split(line: impl AsRef<[u8]>) -> Result<Vec<Vec<u8>>, SplitError> {
    let line = line.as_ref();
    let line = match line.iter().position(|&b| b == 0) {
        Some(end) => &line[..end],
        None => line,
    };
    // Reading past the end yields 0, as the C code's NUL terminator does.
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut p = 0;
    loop {
        while p < line.len() && is_c_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Ok(args);
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\'
                    && at(p + 1) == b'x'
                    && let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3)))
                {
                    current.push(hi * 16 + lo);
                    p += 3;
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return Err(SplitError::UnbalancedQuotes);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(SplitError::UnbalancedQuotes);
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return Err(SplitError::UnbalancedQuotes);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(SplitError::UnbalancedQuotes);
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        if c != 0 {
                            p += 1;
                        }
                        break;
                    }
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => current.push(c),
                }
            }
            p += 1;
        }
        args.push(current);
    }
}

/// Quotes bytes the way redis-cli prints strings (`sdscatrepr`): always in
/// double quotes, with `\n`, `\r`, `\t`, `\a`, `\b`, `\\`, `\"` and `\xNN`
/// for other non-printable bytes.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Quotes one argument so that [`split`] gives it back unchanged: bare when
/// it is plain printable ASCII, otherwise in redis-cli's double-quoted form.
pub fn quote(arg: &[u8]) -> String {
    let bare = !arg.is_empty()
        && arg
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b'"' && b != b'\'');
    if bare {
        // Printable ASCII is valid UTF-8, so nothing is lost here.
        String::from_utf8_lossy(arg).into_owned()
    } else {
        repr(arg)
    }
}

/// Quotes a whole command line: [`quote`] on each argument, joined by spaces.
pub fn join<A: AsRef<[u8]>>(args: &[A]) -> String {
    args.iter()
        .map(|a| quote(a.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(line: &str) -> Vec<Vec<u8>> {
        split(line).unwrap()
    }

    fn v(items: &[&[u8]]) -> Vec<Vec<u8>> {
        items.iter().map(|i| i.to_vec()).collect()
    }

    #[test]
    fn splits_on_whitespace() {
        assert_eq!(s("  SET  foo\tbar \r\n"), v(&[b"SET", b"foo", b"bar"]));
        assert_eq!(s(""), Vec::<Vec<u8>>::new());
        assert_eq!(s(" \x0b\x0c "), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn double_quotes_understand_escapes() {
        assert_eq!(
            s(r#"set "a b" "\n\r\t\b\a\"\\\xff\x41\q""#),
            v(&[b"set", b"a b", b"\n\r\t\x08\x07\"\\\xffAq"])
        );
        // `\x` without two hex digits is a plain `x`.
        assert_eq!(s(r#""\xZZ""#), v(&[b"xZZ"]));
        assert_eq!(s(r#""""#), v(&[b""]));
    }

    #[test]
    fn single_quotes_only_escape_the_quote() {
        assert_eq!(s(r"'it\'s \n'"), v(&[b"it's \\n"]));
        assert_eq!(s("''"), v(&[b""]));
    }

    #[test]
    fn quotes_may_start_inside_a_token() {
        assert_eq!(s(r#"ab"c d""#), v(&[b"abc d"]));
        assert_eq!(s(r"a\b"), v(&[b"a\\b"]));
    }

    #[test]
    fn unbalanced_quotes_are_errors() {
        for bad in [r#""abc"#, "'abc", r#""a"b"#, "'a'b", r#""abc\"#, r#""\""#] {
            assert_eq!(split(bad), Err(SplitError::UnbalancedQuotes), "{bad}");
        }
    }

    #[test]
    fn input_stops_at_nul() {
        assert_eq!(split(b"a b\0c").unwrap(), v(&[b"a", b"b"]));
    }

    #[test]
    fn quote_is_bare_only_when_safe() {
        assert_eq!(quote(b"foo:bar"), "foo:bar");
        assert_eq!(quote(b""), r#""""#);
        assert_eq!(quote(b"a b"), r#""a b""#);
        assert_eq!(quote(b"it's"), r#""it's""#);
        assert_eq!(quote(b"\x00\xff\n"), r#""\x00\xff\n""#);
        assert_eq!(quote("é".as_bytes()), r#""\xc3\xa9""#);
    }

    proptest! {
        #[test]
        fn never_panics(line in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = split(&line);
        }

        #[test]
        fn never_panics_on_quote_heavy_text(line in r#"[ "'\\xa-f0-9n]{0,40}"#) {
            let _ = split(&line);
        }

        #[test]
        fn quote_round_trips(args in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..24), 0..6)) {
            prop_assert_eq!(split(join(&args)).unwrap(), args.clone());
            for a in &args {
                prop_assert_eq!(split(quote(a)).unwrap(), vec![a.clone()]);
                prop_assert_eq!(split(repr(a)).unwrap(), vec![a.clone()]);
            }
        }
    }
}
