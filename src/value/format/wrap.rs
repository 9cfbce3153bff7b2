//! Soft wrapping: a text body cut into screen lines of a given width, as
//! byte ranges into the text, so long lines (a one-line JSON document) are
//! read whole instead of cut.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::Body;

/// Columns a tab takes on screen (the view draws it as spaces).
pub const TAB: usize = 4;

/// The text a body wraps, for text and JSON bodies.
pub fn text_of(body: &Body) -> Option<&str> {
    match body {
        Body::Text(t) => Some(t),
        Body::Json(p) => Some(&p.text),
        Body::Tree(t) => Some(&t.pretty.text),
        Body::Hex(_) | Body::Kombu(_) => None,
    }
}

/// The screen lines of `text` at `width` columns: each line of the text,
/// cut before the character that would pass the width. No ranges for a
/// width of zero.
pub fn lines(text: &str, width: usize) -> Vec<Range<usize>> {
    if width == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let mut from = start;
        let mut used = 0;
        for (i, c) in line.char_indices() {
            let w = if c == '\t' {
                TAB
            } else {
                c.width().unwrap_or(0)
            };
            if used + w > width && used > 0 {
                out.push(from..start + i);
                from = start + i;
                used = 0;
            }
            used += w;
        }
        out.push(from..start + line.len());
        start += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, width: usize) -> Vec<&str> {
        lines(text, width).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn long_lines_wrap_and_short_ones_stay() {
        assert_eq!(
            shown("abcdefgh\nij\n\nk", 3),
            ["abc", "def", "gh", "ij", "", "k"]
        );
        assert_eq!(shown("日本語", 4), ["日本", "語"]);
        assert_eq!(shown("a\tb", 4), ["a", "\t", "b"]);
        assert_eq!(shown("", 10), [""]);
        assert!(lines("abc", 0).is_empty());
    }
}
