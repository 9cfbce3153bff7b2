//! How `view` lays a value out as text: the header line, a body, and the
//! rows of each type, with JSON coloured on a terminal as the pane colours it.
//!
//! Everything written passes through [`escape::text`], so no byte of a value
//! reaches the terminal as a control character (only newlines and tabs).

use std::borrow::Cow;
use std::io::{self, Write};

use crate::value::escape;
use crate::value::format::json::Token;
use crate::value::format::{self, Format, Rendered};
use crate::value::page::Rows;
use crate::value::{Header, Kind, human, score};

/// What colour a piece of text takes on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paint {
    Plain,
    /// Labels: fields, indexes, scores, stream ids.
    Dim,
    /// A span of pretty JSON or of a decoded tree.
    Json(Token),
}

impl Paint {
    /// The ANSI SGR code, the pane's colours for JSON.
    fn code(self) -> Option<&'static str> {
        match self {
            Paint::Plain | Paint::Json(Token::Punct) => None,
            Paint::Dim => Some("\x1b[2m"),
            Paint::Json(Token::Key) => Some("\x1b[36m"),
            Paint::Json(Token::String) => Some("\x1b[32m"),
            Paint::Json(Token::Number) => Some("\x1b[35m"),
            Paint::Json(Token::Literal) => Some("\x1b[33m"),
            Paint::Json(Token::Name) => Some("\x1b[34m"),
            Paint::Json(Token::Note) => Some("\x1b[90m"),
            Paint::Json(Token::Warn) => Some("\x1b[31m"),
        }
    }
}

const RESET: &str = "\x1b[0m";

/// The output: a writer, and whether it takes colour.
pub struct Out<W: Write> {
    w: W,
    color: bool,
}

impl<W: Write> Out<W> {
    /// Writes to `w`, with ANSI colours when `color` is set.
    pub fn new(w: W, color: bool) -> Out<W> {
        Out { w, color }
    }

    /// `text` and a newline.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        self.put(text, Paint::Plain, "")?;
        self.w.write_all(b"\n")
    }

    /// A whole body and a newline.
    pub fn body(&mut self, r: &Rendered) -> io::Result<()> {
        self.rendered(r, "")?;
        self.w.write_all(b"\n")
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }

    /// `text` in `paint`, each line after the first starting with `indent`.
    fn put(&mut self, text: &str, paint: Paint, indent: &str) -> io::Result<()> {
        let text = safe(text);
        let code = paint.code().filter(|_| self.color);
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                self.w.write_all(b"\n")?;
                self.w.write_all(indent.as_bytes())?;
            }
            match code {
                Some(c) if !piece.is_empty() => write!(self.w, "{c}{piece}{RESET}")?,
                _ => self.w.write_all(piece.as_bytes())?,
            }
        }
        Ok(())
    }

    /// A rendered body without a final newline; its later lines start with `indent`.
    fn rendered(&mut self, r: &Rendered, indent: &str) -> io::Result<()> {
        let Some(p) = r.body.pretty() else {
            return self.put(&r.text(), Paint::Plain, indent);
        };
        let mut at = 0;
        for s in &p.spans {
            let (a, b) = (s.range.start.max(at), s.range.end);
            if a >= b || !p.text.is_char_boundary(a) || !p.text.is_char_boundary(b) {
                continue;
            }
            self.put(&p.text[at..a], Paint::Plain, indent)?;
            self.put(&p.text[a..b], Paint::Json(s.token), indent)?;
            at = b;
        }
        self.put(&p.text[at..], Paint::Plain, indent)
    }

    /// `head` then the value: `head: value` when the value is one line,
    /// else `head:` and the value's lines below, two spaces further in.
    fn labelled(&mut self, indent: &str, head: &str, r: &Rendered) -> io::Result<()> {
        self.w.write_all(indent.as_bytes())?;
        self.put(head, Paint::Dim, "")?;
        self.w.write_all(b":")?;
        let inner = format!("{indent}  ");
        if r.text().contains('\n') {
            self.w.write_all(b"\n")?;
            self.w.write_all(inner.as_bytes())?;
        } else {
            self.w.write_all(b" ")?;
        }
        self.rendered(r, &inner)?;
        self.w.write_all(b"\n")
    }

    /// `head` then the value, its later lines starting `hang` columns in.
    fn hanging(&mut self, head: &str, r: &Rendered, hang: usize) -> io::Result<()> {
        self.put(head, Paint::Dim, "")?;
        self.rendered(r, &" ".repeat(hang))?;
        self.w.write_all(b"\n")
    }
}

/// `text` with every control character but newline and tab escaped.
fn safe(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\t'))
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(escape::text(text.as_bytes()))
    }
}

/// Elements that could not be shown in the format asked for: how many, and
/// the first one's reason ("not JSON: ...").
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Missed {
    pub count: usize,
    pub first: Option<String>,
}

/// The rows of a hash, list, set, sorted set or stream, each element
/// rendered in `format` as the pane renders a body; returns the elements
/// the format did not apply to.
pub fn rows<W: Write>(out: &mut Out<W>, rows: &Rows, f: Format, cap: usize) -> io::Result<Missed> {
    let missed = std::cell::RefCell::new(Missed::default());
    let render = |v: &[u8]| {
        let r = format::render(v, f, cap);
        if let Some(note) = &r.note {
            let mut m = missed.borrow_mut();
            m.count += 1;
            m.first.get_or_insert_with(|| note.clone());
        }
        r
    };
    match rows {
        Rows::Fields(fields) => {
            for (field, v) in fields {
                out.labelled("", &escape::line(field), &render(v))?;
            }
        }
        Rows::Items { start, items } => {
            // Right-aligned indexes, as redis-cli numbers an array.
            let last = start + items.len().saturating_sub(1) as u64;
            let width = last.to_string().len();
            for (i, v) in items.iter().enumerate() {
                let head = format!("{:>width$}) ", start + i as u64);
                out.hanging(&head, &render(v), width + 2)?;
            }
        }
        Rows::Members(members) => {
            for m in members {
                out.hanging("", &render(m), 2)?;
            }
        }
        Rows::Scored { rows, .. } => {
            for (member, s) in rows {
                let head = format!("{} ", score::display(s));
                let hang = head.chars().count();
                out.hanging(&head, &render(member), hang)?;
            }
        }
        Rows::Entries(entries) => {
            for e in entries {
                out.put(&escape::line(&e.id), Paint::Dim, "")?;
                out.w.write_all(b"\n")?;
                for (field, v) in &e.fields {
                    out.labelled("  ", &escape::line(field), &render(v))?;
                }
            }
        }
        Rows::Chunk { .. } | Rows::Json(_) | Rows::Unavailable(_) => {}
    }
    Ok(missed.into_inner())
}

/// The header line: type, TTL, length, encoding, memory, and how the body
/// was decoded (a string's or document's `body`), or the format asked for
/// the elements of a collection.
pub fn header(h: &Header, body: Option<&Rendered>, asked: Format) -> String {
    let mut facts = vec![h.kind.name().to_string()];
    facts.push(match h.ttl_ms {
        None => "no expiry".to_string(),
        Some(ms) => format!("ttl {}", human::ttl(ms)),
    });
    if let Some(len) = h.len {
        facts.push(format!("{} {}", human::count(len), noun(&h.kind, len)));
    }
    if let Some(e) = &h.encoding {
        facts.push(escape::line(e.as_bytes()));
    }
    if let Some(m) = h.memory {
        facts.push(format!("{} in memory", human::bytes(m)));
    }
    if !h.groups.is_empty() {
        let pending: i64 = h.groups.iter().map(|g| g.pending).sum();
        facts.push(format!(
            "{} {}, {pending} pending",
            h.groups.len(),
            if h.groups.len() == 1 {
                "group"
            } else {
                "groups"
            }
        ));
    }
    match body {
        Some(r) => match r.layers() {
            Some(layers) => facts.push(layers),
            None => {
                if let Some(k) = r.inflated {
                    facts.push(format!("decompressed from {}", k.label()));
                }
                facts.push(r.format_label().to_string());
            }
        },
        None => facts.push(format!("format {}", asked.label())),
    }
    facts.join(" · ")
}

/// What `n` elements of a key of `kind` are called: bytes, fields, elements.
pub fn noun(kind: &Kind, n: u64) -> &'static str {
    let (one, many) = match kind {
        Kind::String => ("byte", "bytes"),
        Kind::Hash => ("field", "fields"),
        Kind::List => ("element", "elements"),
        Kind::Set | Kind::ZSet => ("member", "members"),
        Kind::Stream => ("entry", "entries"),
        _ => ("item", "items"),
    };
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: usize = 1 << 20;

    fn printed(rows: &Rows, color: bool) -> String {
        let mut out = Out::new(Vec::new(), color);
        super::rows(&mut out, rows, Format::Auto, CAP).expect("writes");
        String::from_utf8(out.w).expect("UTF-8")
    }

    #[test]
    fn multi_line_values_are_indented_under_their_field() {
        let rows = Rows::Fields(vec![
            (b"name".to_vec(), b"Ada".to_vec()),
            (b"doc".to_vec(), br#"{"a":[1]}"#.to_vec()),
        ]);
        assert_eq!(
            printed(&rows, false),
            "name: Ada\ndoc:\n  {\n    \"a\": [\n      1\n    ]\n  }\n"
        );
    }

    #[test]
    fn list_indexes_are_aligned_and_continue_from_the_start() {
        let rows = Rows::Items {
            start: 9,
            items: vec![b"a".to_vec(), b"b\nc".to_vec()],
        };
        assert_eq!(printed(&rows, false), " 9) a\n10) b\n    c\n");
    }

    #[test]
    fn colour_only_when_asked_and_never_a_value_s_escape() {
        let rows = Rows::Members(vec![br#"{"k":"\u001b[31m"}"#.to_vec()]);
        let plain = printed(&rows, false);
        assert!(!plain.contains('\x1b'), "{plain:?}");
        let coloured = printed(&rows, true);
        assert!(coloured.contains("\x1b[36m\"k\"\x1b[0m"), "{coloured:?}");
        // A C1 control (CSI, U+009B) in a JSON string is escaped, not written.
        let rows = Rows::Members(vec!["[\"\u{9b}31m\"]".as_bytes().to_vec()]);
        let out = printed(&rows, true);
        assert!(
            !out.contains('\u{9b}') && out.contains("\\xc2\\x9b"),
            "{out:?}"
        );
    }
}
