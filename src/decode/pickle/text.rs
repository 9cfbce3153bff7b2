//! Protocol 0's text arguments: decimal integers, float reprs, quoted
//! `STRING`s with Python escapes and `UNICODE`'s raw-unicode-escape.

/// A decimal integer as Python's `int()` of a pickle line gives it, in
/// canonical form (`-12`, `0`); `None` when it is not one.
pub fn decimal(line: &[u8]) -> Option<String> {
    let (neg, digits) = match line.first()? {
        b'-' => (true, &line[1..]),
        b'+' => (false, &line[1..]),
        _ => (false, line),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let trimmed = match digits.iter().position(|&d| d != b'0') {
        Some(i) => &digits[i..],
        None => return Some("0".to_owned()),
    };
    let mut out = String::with_capacity(trimmed.len() + 1);
    if neg {
        out.push('-');
    }
    out.extend(trimmed.iter().map(|&d| d as char));
    Some(out)
}

/// A float line as Python's `float()` reads it (`1.5`, `nan`, `-inf`, `1e+16`).
pub fn float(line: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(line).ok()?.trim();
    s.parse::<f64>().ok()
}

/// The bytes inside a quoted `STRING` argument, unescaped as
/// `codecs.escape_decode` does; `Err` names what is wrong.
pub fn quoted(line: &[u8]) -> Result<Vec<u8>, &'static str> {
    let inner = match line {
        [q @ (b'\'' | b'"'), inner @ .., last] if last == q => inner,
        _ => return Err("the STRING argument is not quoted"),
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = inner.get(i) else {
            return Err("the STRING argument ends in a lone backslash");
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match inner.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'x' => {
                let hex = inner
                    .get(i..i + 2)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => return Err("the STRING argument has a bad \\x escape"),
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// `UNICODE`'s argument decoded as Python's raw-unicode-escape: bytes are
/// Latin-1 characters, and `\uXXXX`/`\UXXXXXXXX` escape only after an odd
/// run of backslashes. Lone surrogates, which Rust strings cannot hold,
/// become U+FFFD.
pub fn raw_unicode_escape(line: &[u8]) -> Result<String, &'static str> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i] != b'\\' {
            out.push(char::from(line[i]));
            i += 1;
            continue;
        }
        let run = line[i..].iter().take_while(|&&b| b == b'\\').count();
        i += run;
        let width = match line.get(i) {
            Some(b'u') if run % 2 == 1 => 4,
            Some(b'U') if run % 2 == 1 => 8,
            _ => {
                out.extend(std::iter::repeat_n('\\', run));
                continue;
            }
        };
        out.extend(std::iter::repeat_n('\\', run - 1));
        let hex = line
            .get(i + 1..i + 1 + width)
            .and_then(|h| std::str::from_utf8(h).ok())
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or("the UNICODE argument has a truncated \\u escape")?;
        if hex > 0x10ffff {
            return Err("the UNICODE argument escapes a code point past U+10FFFF");
        }
        out.push(char::from_u32(hex).unwrap_or(char::REPLACEMENT_CHARACTER));
        i += 1 + width;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_canonical() {
        assert_eq!(decimal(b"-0012").as_deref(), Some("-12"));
        assert_eq!(decimal(b"000").as_deref(), Some("0"));
        assert_eq!(decimal(b"+7").as_deref(), Some("7"));
        assert_eq!(decimal(b"1x"), None);
        assert_eq!(decimal(b"-"), None);
    }

    #[test]
    fn quoted_strings_unescape_as_python_does() {
        assert_eq!(quoted(br"'a\'b\n\x41\101\q'").unwrap(), b"a'b\nAA\\q");
        assert!(quoted(b"abc").is_err());
        assert!(quoted(br"'\x4'").is_err());
    }

    #[test]
    fn raw_unicode_escape_counts_backslashes() {
        assert_eq!(raw_unicode_escape(br"caf\u00e9").unwrap(), "café");
        assert_eq!(raw_unicode_escape(br"\\u0041").unwrap(), r"\\u0041");
        assert_eq!(raw_unicode_escape(br"\\\u0041").unwrap(), r"\\A");
        assert_eq!(raw_unicode_escape(b"\xe9").unwrap(), "é");
        assert_eq!(raw_unicode_escape(br"\U0001f600").unwrap(), "😀");
        assert_eq!(raw_unicode_escape(br"\ud800").unwrap(), "\u{fffd}");
        assert!(raw_unicode_escape(br"\u00").is_err());
    }
}
