//! Showing key bytes safely: escapes and cutting by display width.

use unicode_width::UnicodeWidthChar;

pub use crate::value::human::ttl;

/// Renders bytes for one terminal line: valid UTF-8 stays as is, control
/// characters become `\n`, `\t`, `\xNN`, invalid bytes `\xNN` and a
/// backslash `\\`; [`crate::value::escape::unescape`] reads it back.
pub fn escape(bytes: &[u8]) -> String {
    // The one escaping the whole product reads back (dialogs, files).
    crate::value::escape::line(bytes)
}

/// Cuts `text` to at most `width` columns, ending with `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Packs whole `parts` into lines of at most `width` columns, joined by
/// `sep` within a line, so that no part (a figure, a name) is cut where it
/// could go on the next line; a part wider than a whole line is wrapped at
/// its spaces, and only a word wider than a line is cut.
pub fn wrap_parts<S: AsRef<str>>(parts: &[S], sep: &str, width: usize) -> Vec<String> {
    let sep_width: usize = sep.chars().map(|c| c.width().unwrap_or(0)).sum();
    let mut lines: Vec<String> = Vec::new();
    let mut used = 0;
    for part in parts {
        let part = part.as_ref();
        if part.is_empty() {
            continue;
        }
        let w: usize = part.chars().map(|c| c.width().unwrap_or(0)).sum();
        match lines.last_mut() {
            Some(line) if used + sep_width + w <= width => {
                line.push_str(sep);
                line.push_str(part);
                used += sep_width + w;
            }
            _ if w > width && part.contains(' ') => {
                let wrapped = wrap_words(part, width);
                used = wrapped
                    .last()
                    .map_or(0, |l| l.chars().map(|c| c.width().unwrap_or(0)).sum());
                lines.extend(wrapped);
            }
            _ => {
                let part = fit(part, width);
                used = part.chars().map(|c| c.width().unwrap_or(0)).sum();
                lines.push(part);
            }
        }
    }
    lines
}

/// Wraps `text` at spaces into lines of at most `width` columns.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    wrap_parts(&words(text), " ", width)
}

/// The words of `text`, a figure kept with its unit (`3.0 ms`, `12 KiB`)
/// so that no line break parts them.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let unit =
            !word.is_empty() && word.chars().count() <= 3 && word.chars().all(char::is_alphabetic);
        match out.last_mut() {
            Some(last) if unit && last.ends_with(|c: char| c.is_ascii_digit()) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    out
}

/// A count and its noun, `1 key` or `2 keys`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// A byte count in short human form.
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_invalid_bytes() {
        assert_eq!(escape(b"a\nb\x01\xff"), "a\\nb\\x01\\xff");
        assert_eq!(escape("caf\u{e9}".as_bytes()), "café");
        // A control character beyond ASCII shows as its UTF-8 bytes, so the
        // text reads back exactly.
        let nel = "a\u{85}b".as_bytes();
        assert_eq!(escape(nel), "a\\xc2\\x85b");
        assert_eq!(
            crate::value::escape::unescape(&escape(nel)).as_deref(),
            Some(nel)
        );
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "key", "keys"), "1 key");
        assert_eq!(count(0, "key", "keys"), "0 keys");
        assert_eq!(count(2, "request", "requests"), "2 requests");
    }

    #[test]
    fn wrapping_keeps_parts_whole() {
        let parts = ["p50 712 µs", "p95 3003 ms", "p99 3003 ms"];
        assert_eq!(
            wrap_parts(&parts, " ", 24),
            ["p50 712 µs p95 3003 ms", "p99 3003 ms"]
        );
        assert_eq!(
            wrap_parts(&parts, " · ", 40),
            ["p50 712 µs · p95 3003 ms · p99 3003 ms"]
        );
        assert_eq!(wrap_parts(&["abcdefgh", "x"], " ", 4), ["abc…", "x"]);
        // A long part with spaces wraps at them rather than being cut.
        assert_eq!(
            wrap_parts(&["● waiting for the first probe", "(a: go)"], " ", 12),
            ["● waiting", "for the", "first probe", "(a: go)"]
        );
        assert_eq!(wrap_words("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(
            wrap_words("probe answered in 3.0 ms", 22),
            ["probe answered in", "3.0 ms"]
        );
    }

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("ab", 4), "ab");
    }
}
