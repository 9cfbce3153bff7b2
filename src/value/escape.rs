//! Escaping bytes for display and for line-based files: printable text as
//! is, everything else as `\n`, `\t`, `\r`, `\\` or `\xNN`, so that any
//! byte string shows on one line (or, for [`text`], keeps its line breaks)
//! and can be read back exactly with [`unescape`].

/// `bytes` on one line: newlines, tabs, carriage returns, backslashes,
/// control characters and invalid UTF-8 escaped.
pub fn line(bytes: &[u8]) -> String {
    escape(bytes, false)
}

/// `bytes` as multi-line text: like [`line`], but newlines and tabs kept.
pub fn text(bytes: &[u8]) -> String {
    escape(bytes, true)
}

fn escape(bytes: &[u8], keep_breaks: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' | '\t' if keep_breaks => out.push(c),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\\' if !keep_breaks => out.push_str("\\\\"),
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\x{b:02x}"));
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Reads a [`line`] back into the bytes it came from; `None` on a broken escape.
pub fn unescape(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match it.next()? {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'\\' => out.push(b'\\'),
            b'x' => {
                let hex = [it.next()?, it.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes() {
        assert_eq!(
            line(&[&b"a\tb\nc\\d\x00\xff"[..], "é".as_bytes()].concat()),
            "a\\tb\\nc\\\\d\\x00\\xffé"
        );
        assert_eq!(text(b"a\tb\nc\x1b"), "a\tb\nc\\x1b");
        assert_eq!(line("\u{85}".as_bytes()), "\\xc2\\x85");
        assert_eq!(unescape("\\q"), None);
        assert_eq!(unescape("\\x4"), None);
    }

    proptest! {
        #[test]
        fn line_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let l = line(&bytes);
            prop_assert!(!l.contains('\n') && !l.contains('\t'));
            prop_assert_eq!(unescape(&l), Some(bytes));
        }
    }
}
