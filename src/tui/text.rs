//! Showing key bytes safely: escapes and cutting by display width.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

/// Renders bytes for one terminal line: valid UTF-8 stays as is, control
/// characters become `\n`, `\t`, `\xNN`, and invalid bytes become `\xNN`.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() || c.width().is_none() => {
                    if (c as u32) < 0x100 {
                        let _ = write!(out, "\\x{:02x}", c as u32);
                    } else {
                        let _ = write!(out, "\\u{{{:x}}}", c as u32);
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
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
    }

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("ab", 4), "ab");
    }
}
