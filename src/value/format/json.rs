//! JSON pretty-printing that keeps the document's own key order and number
//! text, and a token list of (kind, range) spans so a view can colour it
//! without parsing again.
//!
//! serde_json checks the syntax first; the printer then only re-indents the
//! tokens of a document known to be valid, so nothing is reinterpreted
//! (no float rounding, no reordered keys, duplicate keys kept).

use std::ops::Range;

/// What a span of pretty-printed JSON is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// An object key (a string followed by `:`).
    Key,
    String,
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// `{ } [ ] , :`
    Punct,
    /// What a decoded value names: a callee, a global, `ext`, `tag`.
    Name,
    /// A remark beside a decoded value, and the line saying output was cut.
    Note,
    /// Where decoding stopped early.
    Warn,
}

/// A span of the pretty text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub token: Token,
    pub range: Range<usize>,
}

/// Pretty-printed JSON and its spans, in text order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pretty {
    pub text: String,
    pub spans: Vec<Span>,
}

/// Whether `data` starts like an object or array (what `auto` calls JSON:
/// a bare `42` or `"x"` reads better as text).
pub fn is_container(data: &[u8]) -> bool {
    matches!(
        data.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Checks `data` is JSON and pretty-prints it with two-space indents.
pub fn pretty(data: &[u8]) -> Result<Pretty, String> {
    serde_json::from_slice::<serde::de::IgnoredAny>(data).map_err(|e| e.to_string())?;
    // serde_json has checked the strings are UTF-8.
    let src = std::str::from_utf8(data).map_err(|e| e.to_string())?;
    let tokens = lex(src);
    let mut out = Pretty {
        text: String::with_capacity(src.len() + src.len() / 4),
        spans: Vec::with_capacity(tokens.len()),
    };
    let mut depth = 0usize;
    for (i, (token, range)) in tokens.iter().enumerate() {
        let piece = &src[range.clone()];
        let next = tokens.get(i + 1).map(|(_, r)| &src[r.clone()]);
        match piece {
            "{" | "[" => {
                out.push(Token::Punct, piece);
                let empty = matches!((piece, next), ("{", Some("}")) | ("[", Some("]")));
                if !empty {
                    depth += 1;
                    newline(&mut out.text, depth);
                }
            }
            "}" | "]" => {
                let prev = i.checked_sub(1).map(|p| &src[tokens[p].1.clone()]);
                if !matches!(prev, Some("{" | "[")) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out.text, depth);
                }
                out.push(Token::Punct, piece);
            }
            "," => {
                out.push(Token::Punct, piece);
                newline(&mut out.text, depth);
            }
            ":" => {
                out.push(Token::Punct, piece);
                out.text.push(' ');
            }
            _ => {
                let kind = match token {
                    Token::String if next == Some(":") => Token::Key,
                    t => *t,
                };
                out.push(kind, piece);
            }
        }
    }
    Ok(out)
}

impl Pretty {
    fn push(&mut self, token: Token, piece: &str) {
        let start = self.text.len();
        self.text.push_str(piece);
        self.spans.push(Span {
            token,
            range: start..self.text.len(),
        });
    }
}

fn newline(text: &mut String, depth: usize) {
    text.push('\n');
    text.extend(std::iter::repeat_n("  ", depth));
}

/// Splits valid JSON into tokens (whitespace dropped).
fn lex(src: &str) -> Vec<(Token, Range<usize>)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let token = match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Token::Punct
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    // Skip the escaped character so `\"` does not end the string.
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                Token::String
            }
            b't' | b'f' | b'n' => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                Token::Literal
            }
            _ => {
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                // Never loop forever, even on input the validator let through.
                i = i.max(start + 1);
                Token::Number
            }
        };
        out.push((token, start..i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pretty_prints_in_document_order() {
        let p =
            pretty(br#"{"z":1,"a":[true,null,{}],"s":"x\"y","n":1.50e3,"e":[]}"#).expect("valid");
        assert_eq!(
            p.text,
            "{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null,\n    {}\n  ],\n  \"s\": \"x\\\"y\",\n  \"n\": 1.50e3,\n  \"e\": []\n}"
        );
        let keys: Vec<&str> = p
            .spans
            .iter()
            .filter(|s| s.token == Token::Key)
            .map(|s| &p.text[s.range.clone()])
            .collect();
        assert_eq!(keys, ["\"z\"", "\"a\"", "\"s\"", "\"n\"", "\"e\""]);
        let lits = p.spans.iter().filter(|s| s.token == Token::Literal).count();
        assert_eq!(lits, 2);
        let num = p
            .spans
            .iter()
            .find(|s| s.token == Token::Number && &p.text[s.range.clone()] == "1.50e3");
        assert!(num.is_some());
    }

    #[test]
    fn rejects_invalid_json() {
        assert!(pretty(b"{\"a\":}").is_err());
        assert!(pretty(b"[1,2").is_err());
        assert!(pretty(b"\xff").is_err());
        assert!(is_container(b"  [1]"));
        assert!(!is_container(b"\"text\""));
    }

    #[test]
    fn big_numbers_stay_exact() {
        let p = pretty(b"[12345678901234567890123, -0.1e-400]").expect("valid");
        assert!(p.text.contains("12345678901234567890123"));
        assert!(p.text.contains("-0.1e-400"));
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[ -~\\n\"\\\\é]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z\"]{0,4}", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn pretty_text_means_the_same_and_spans_cover_it(v in json_value()) {
            let compact = serde_json::to_vec(&v).expect("serialises");
            let p = pretty(&compact).expect("valid");
            let back: serde_json::Value = serde_json::from_str(&p.text).expect("pretty is JSON");
            prop_assert_eq!(back, v);
            let mut last = 0;
            for s in &p.spans {
                prop_assert!(s.range.start >= last);
                prop_assert!(p.text[last..s.range.start].chars().all(char::is_whitespace));
                last = s.range.end;
            }
            prop_assert_eq!(last, p.text.len());
        }
    }
}
