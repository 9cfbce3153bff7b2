//! Search within a value: highlight ranges in loaded rows, and the MATCH
//! pattern that asks the server to filter hashes, sets and sorted sets.

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
    for &b in needle {
        if matches!(b, b'*' | b'?' | b'[' | b']' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'*');
    out
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
    fn patterns_escape_globs() {
        assert_eq!(contains_pattern(b"user"), b"*user*");
        assert_eq!(contains_pattern(b"a*b?[c]\\"), b"*a\\*b\\?\\[c\\]\\\\*");
    }
}
