//! Showing key bytes safely: escapes and cutting by display width.

use unicode_width::UnicodeWidthChar;

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

/// A TTL in milliseconds as a short human string (`-1` none, `-2` gone).
pub fn ttl(ms: i64) -> String {
    match ms {
        -1 => "∞".into(),
        ms if ms < 0 => "gone".into(),
        ms if ms < 1000 => format!("{ms}ms"),
        ms if ms < 60_000 => format!("{}s", ms / 1000),
        ms if ms < 3_600_000 => format!("{}m{}s", ms / 60_000, ms / 1000 % 60),
        ms if ms < 86_400_000 => format!("{}h{}m", ms / 3_600_000, ms / 60_000 % 60),
        ms => format!("{}d{}h", ms / 86_400_000, ms / 3_600_000 % 24),
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
    fn fits_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("ab", 4), "ab");
    }
}
