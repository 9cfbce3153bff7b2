//! Search within a value: highlight ranges in loaded rows, the MATCH
//! pattern that asks the server to filter hashes, sets and sorted sets, and
//! the same glob matched here for the kinds the server cannot filter.

use std::ops::Range;

use memchr::memmem;

/// The byte ranges of `needle` in `haystack`, left to right, not
/// overlapping. Smart case: a needle with an uppercase ASCII letter matches
/// case exactly, otherwise ASCII case is ignored. An empty needle matches nothing.
pub fn find(haystack: &[u8], needle: &[u8]) -> Vec<Range<usize>> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return Vec::new();
    }
    let exact = needle.iter().any(u8::is_ascii_uppercase);
    let lowered;
    let hay = if exact {
        haystack
    } else {
        // ASCII lowercasing keeps every byte's position, so ranges map back.
        lowered = haystack.to_ascii_lowercase();
        &lowered[..]
    };
    memmem::find_iter(hay, needle)
        .map(|start| start..start + needle.len())
        .collect()
}

/// Whether `needle` occurs in any of `parts` (e.g. a field or its value).
pub fn matches_any(parts: &[&[u8]], needle: &[u8]) -> bool {
    parts.iter().any(|p| !find(p, needle).is_empty())
}

/// The MATCH pattern for "contains `needle`": `*needle*` with the glob
/// characters of the needle escaped. The server matches case exactly.
pub fn contains_pattern(needle: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(needle.len() + 2);
    out.push(b'*');
    crate::scan::push_literal(&mut out, needle);
    out.push(b'*');
    out
}

/// Whether `needle` is a glob (`*`, `?` or `[` not escaped) rather than text.
pub fn is_glob(needle: &[u8]) -> bool {
    let mut it = needle.iter();
    while let Some(&b) = it.next() {
        match b {
            b'\\' => {
                it.next();
            }
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
    }
    false
}

/// The MATCH pattern for what the user typed: a glob as it is, text as
/// "contains" ([`contains_pattern`]).
pub fn pattern(needle: &[u8]) -> Vec<u8> {
    if is_glob(needle) {
        needle.to_vec()
    } else {
        contains_pattern(needle)
    }
}

/// Whether `text` matches the glob `pattern` as Redis matches MATCH and
/// KEYS patterns: `*`, `?`, `[abc]`, `[^a-z]`, `\\x`; case exactly.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        Some((b'?', rest)) => !text.is_empty() && glob_match(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some((&c, tail)) = text.split_first() else {
                return false;
            };
            let (hit, after) = class(rest, c);
            hit && glob_match(after, tail)
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && glob_match(&rest[1..], &text[1..])
        }
        Some((&p, rest)) => text.first() == Some(&p) && glob_match(rest, &text[1..]),
    }
}

/// Whether `c` is in the class that starts `pattern` (just after `[`), and
/// the pattern after its closing `]`.
fn class(pattern: &[u8], c: u8) -> (bool, &[u8]) {
    let (negate, mut p) = match pattern.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pattern),
    };
    let mut hit = false;
    loop {
        match p {
            [] => break,
            [b']', rest @ ..] => {
                p = rest;
                break;
            }
            [b'\\', x, rest @ ..] => {
                hit |= *x == c;
                p = rest;
            }
            [a, b'-', z, rest @ ..] if *z != b']' => {
                let (lo, hi) = if a <= z { (*a, *z) } else { (*z, *a) };
                hit |= (lo..=hi).contains(&c);
                p = rest;
            }
            [x, rest @ ..] => {
                hit |= *x == c;
                p = rest;
            }
        }
    }
    (hit != negate, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_with_smart_case() {
        assert_eq!(find(b"Hello hello", b"hello"), vec![0..5, 6..11]);
        assert_eq!(find(b"Hello hello", b"Hello"), vec![0..5]);
        assert_eq!(find(b"aaaa", b"aa"), vec![0..2, 2..4]);
        assert_eq!(find(b"abc", b""), Vec::<Range<usize>>::new());
        assert_eq!(find(b"\xff\x00X\xff", b"\x00x"), vec![1..3]);
        assert!(matches_any(&[b"field", b"VALUE"], b"value"));
        assert!(!matches_any(&[b"field"], b"nope"));
    }

    #[test]
    fn globs_match_as_redis_does() {
        assert!(is_glob(b"e*") && is_glob(b"a?c") && is_glob(b"[ab]x"));
        assert!(!is_glob(b"plain") && !is_glob(b"a\\*b"));
        assert_eq!(pattern(b"e*"), b"e*");
        assert_eq!(pattern(b"e"), b"*e*");
        assert!(glob_match(b"e*", b"email"));
        assert!(!glob_match(b"e*", b"name"));
        assert!(glob_match(b"*field-19999", b"field-19999"));
        assert!(glob_match(b"h?llo", b"hello") && !glob_match(b"h?llo", b"hllo"));
        assert!(glob_match(b"h[ae]llo", b"hallo") && !glob_match(b"h[ae]llo", b"hillo"));
        assert!(glob_match(b"h[^e]llo", b"hallo") && !glob_match(b"h[^e]llo", b"hello"));
        assert!(glob_match(b"[a-c]*", b"bob") && !glob_match(b"[a-c]*", b"dan"));
        assert!(glob_match(b"a\\*b", b"a*b") && !glob_match(b"a\\*b", b"axb"));
        assert!(glob_match(b"*", b"") && !glob_match(b"?", b""));
        assert!(glob_match(b"\xff*", b"\xff\x00"));
    }

    #[test]
    fn patterns_escape_globs() {
        assert_eq!(contains_pattern(b"user"), b"*user*");
        assert_eq!(contains_pattern(b"a*b?[c]\\"), b"*a\\*b\\?\\[c\\]\\\\*");
    }
}
