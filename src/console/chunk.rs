//! How one part of a reply becomes text: a top-level array element formatted
//! exactly as redis-cli would print it within the whole reply, in any of
//! the three output modes.

use std::time::Duration;

use crate::redis_cli::{Mode, format, to_json};
use crate::upstash::Reply;

/// How many chunks a reply is cut into: one per top-level element.
pub fn chunk_count(r: &Reply) -> usize {
    match r {
        Reply::Array(items) if !items.is_empty() => items.len(),
        _ => 1,
    }
}

/// The text of element `j` of a reply (the whole reply when it is not a
/// non-empty array), exactly as the formatter would print that part.
pub fn element(reply: &Reply, j: usize, mode: Mode) -> String {
    let text = |r: &Reply, m: Mode| {
        let mut s = String::from_utf8_lossy(&format(r, m)).into_owned();
        if s.ends_with('\n') {
            s.pop();
        }
        s
    };
    let Reply::Array(items) = reply else {
        return text(reply, mode);
    };
    let (Some(item), n) = (items.get(j), items.len()) else {
        return text(reply, mode);
    };
    match mode {
        Mode::Tty => {
            // redis-cli numbers elements right-aligned to the widest number
            // and indents nested lines past "N) ".
            let width = n.to_string().len();
            let indent = " ".repeat(width + 2);
            let body = text(item, Mode::Tty).replace('\n', &format!("\n{indent}"));
            format!("{:>width$}) {body}", j + 1)
        }
        Mode::Raw => text(item, Mode::Raw),
        Mode::Json => {
            let open = if j == 0 { "[" } else { " " };
            let close = if j + 1 == n { "]" } else { "," };
            format!("{open}{}{close}", to_json(item))
        }
    }
}

/// The most of a typed line the scrollback keeps: a pasted megabyte is
/// shown by its start and its size.
pub const ECHO_MAX: usize = 1024;

/// What the scrollback keeps of a typed command: its first line (the start
/// of a long one, with its size) and how many lines followed.
pub fn echo(input: &str) -> String {
    let (first, rest) = input.split_once('\n').unwrap_or((input, ""));
    let first = first.strip_suffix('\r').unwrap_or(first);
    let mut s = String::from("> ");
    if first.len() > ECHO_MAX {
        let mut end = ECHO_MAX;
        while !first.is_char_boundary(end) {
            end -= 1;
        }
        s.push_str(&first[..end]);
        s.push_str(&format!("… ({} bytes)", first.len()));
    } else {
        s.push_str(first);
    }
    let more = rest.lines().count();
    if more > 0 {
        s.push_str(&format!(" (+{more} more lines)"));
    }
    s
}

/// The line that introduces a command's output: its [`echo`] and the
/// round-trip time once known.
pub fn header(echo: &str, rtt: Option<Duration>) -> String {
    match rtt {
        Some(rtt) => format!("{echo}  ({})", human(rtt)),
        None => echo.to_owned(),
    }
}

/// `text` (without control characters) cut into rows of at most `width`
/// cells, as a terminal wraps it; an empty text is one empty row.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.len() <= width {
        // Every character takes at least one byte, and most one cell.
        if text.is_ascii() {
            return vec![text.to_owned()];
        }
    }
    let width = width.max(2);
    let mut rows = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            rows.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(c);
        }
    }
    rows
}

/// A round-trip time in the unit that reads best.
pub fn human(d: Duration) -> String {
    let us = d.as_micros();
    if us < 1000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// Raw output may hold any byte: control characters would move the cursor
/// or break the layout, so they are shown escaped.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_times() {
        assert_eq!(human(Duration::from_micros(250)), "250 µs");
        assert_eq!(human(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(human(Duration::from_millis(1500)), "1.50 s");
    }

    #[test]
    fn a_long_echo_keeps_its_start_and_says_its_size() {
        assert_eq!(echo("GET a"), "> GET a");
        assert_eq!(echo("SET a 1\r\nGET a\n"), "> SET a 1 (+1 more lines)");
        let big = format!("SET k {}", "é".repeat(1000));
        let shown = echo(&big);
        assert!(shown.ends_with("… (2006 bytes)"), "{shown}");
        assert!(shown.len() < ECHO_MAX + 40);
        assert_eq!(
            header("> PING", Some(Duration::from_millis(2))),
            "> PING  (2.0 ms)"
        );
    }

    #[test]
    fn long_lines_wrap_by_cells() {
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(wrap("日本語です", 5), ["日本", "語で", "す"]);
        assert_eq!(wrap("e\u{301}e\u{301}", 1), ["e\u{301}e\u{301}"]);
        assert_eq!(wrap("abc", 3), ["abc"]);
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\tb\x1b[2J\r"), "a    b\\x1b[2J\\x0d");
        assert_eq!(escape_controls("plain"), "plain");
    }
}
