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

/// The line that introduces a command's output: what was typed (the first
/// line of a paste) and the round-trip time once known.
pub fn header(input: &str, rtt: Option<Duration>) -> String {
    let mut lines = input.lines();
    let first = lines.next().unwrap_or_default();
    let more = lines.count();
    let mut s = format!("> {first}");
    if more > 0 {
        s.push_str(&format!(" (+{more} more lines)"));
    }
    if let Some(rtt) = rtt {
        s.push_str(&format!("  ({})", human(rtt)));
    }
    s
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
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\tb\x1b[2J\r"), "a    b\\x1b[2J\\x0d");
        assert_eq!(escape_controls("plain"), "plain");
    }
}
