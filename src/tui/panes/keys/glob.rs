//! Redis's glob matching (`SCAN MATCH`), so that a key written from the TUI
//! is listed only when the scan would have listed it.
//!
//! Written out rather than taken from a crate: the glob crates follow shell
//! or path rules (`[!a]`, separators, no `\` escapes), and the Keys pane must
//! agree with `stringmatchlen` in Redis byte for byte.

/// Whether `key` matches the Redis glob `pattern`.
pub fn matches(pattern: &[u8], key: &[u8]) -> bool {
    match pattern.split_first() {
        None => key.is_empty(),
        Some((b'*', rest)) => {
            // Consecutive stars match like one.
            let rest = &rest[rest.iter().take_while(|&&b| b == b'*').count()..];
            rest.is_empty() || (0..=key.len()).any(|i| matches(rest, &key[i..]))
        }
        Some((b'?', rest)) => !key.is_empty() && matches(rest, &key[1..]),
        Some((b'[', rest)) => {
            let Some((&c, tail)) = key.split_first() else {
                return false;
            };
            let (hit, used) = class(rest, c);
            hit && matches(&rest[used..], tail)
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            key.first() == Some(&rest[0]) && matches(&rest[1..], &key[1..])
        }
        Some((&c, rest)) => key.first() == Some(&c) && matches(rest, &key[1..]),
    }
}

/// Matches `c` against a class body (after `[`); returns the result and
/// the bytes used, `]` included. An unclosed class ends with the pattern.
fn class(p: &[u8], c: u8) -> (bool, usize) {
    let negate = p.first() == Some(&b'^');
    let mut i = usize::from(negate);
    let mut hit = false;
    while i < p.len() && p[i] != b']' {
        if p[i] == b'\\' && i + 1 < p.len() {
            hit |= p[i + 1] == c;
            i += 2;
        } else if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
            let (lo, hi) = (p[i].min(p[i + 2]), p[i].max(p[i + 2]));
            hit |= (lo..=hi).contains(&c);
            i += 3;
        } else {
            hit |= p[i] == c;
            i += 1;
        }
    }
    let used = (i + 1).min(p.len());
    (hit != negate, used)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs_match_like_redis() {
        let yes: &[(&str, &str)] = &[
            ("*", ""),
            ("user:*", "user:1"),
            ("user:*:name", "user:12:name"),
            ("h?llo", "hello"),
            ("h[ae]llo", "hallo"),
            ("h[^e]llo", "hallo"),
            ("h[a-b]llo", "hbllo"),
            ("a\\*b", "a*b"),
            ("**x", "abcx"),
        ];
        for (p, k) in yes {
            assert!(matches(p.as_bytes(), k.as_bytes()), "{p} ~ {k}");
        }
        let no: &[(&str, &str)] = &[
            ("user:*", "session:1"),
            ("h?llo", "hllo"),
            ("h[^e]llo", "hello"),
            ("h[a-b]llo", "hcllo"),
            ("a\\*b", "axb"),
            ("abc", "abcd"),
        ];
        for (p, k) in no {
            assert!(!matches(p.as_bytes(), k.as_bytes()), "{p} !~ {k}");
        }
    }
}
