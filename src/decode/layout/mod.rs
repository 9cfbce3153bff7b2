//! Lays out a decoded [`Node`] as text with colour spans, the same
//! [`Pretty`] the JSON printer makes, so the Value pane draws both alike.
//!
//! Containers and calls that fit on one 80-column line stay on it; longer
//! ones put one element per line with two-space indents. A remark
//! ([`Node::Noted`]) goes at the end of its line as a comment, so a
//! container holding one is always opened. The text is bounded: past the
//! cap, the rest is only counted (up to a few times the cap) and a last
//! line says how much was left. A cut key in a map, or a nameless field in
//! a record, stands alone for the rest of its container.

mod text;

pub use text::float;

use super::Node;
use crate::value::format::json::{Pretty, Span, Token};
use unicode_width::UnicodeWidthStr;

/// The notation a tree is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Python literals and calls, for pickles: `{'a': (1, 2)}`, `None`,
    /// `b'\x00'`, `datetime.datetime(2024, 5, 1, 12, 0)`.
    Python,
    /// A JSON-like data notation for msgpack, CBOR, BSON and protobuf:
    /// `{"a": 1}`, `null`, `b"\x00"`, `ext(5, b"…")`, RFC 3339 times.
    Data,
}

/// The widest line a container or call is kept on when it fits.
pub const WIDTH: usize = 80;

/// How many bytes past the cap are counted, in multiples of the cap, before
/// the printer stops counting and says only that there is more.
const COUNTED_PAST_CAP: usize = 4;

/// How deep the printer follows a tree before writing `…` (decoders cut
/// far earlier; this guards trees built elsewhere).
const MAX_DEPTH: usize = 300;

/// Lays out `node` in `dialect`, writing at most about `cap` bytes of text
/// before a last line that says how many more there were.
pub fn layout(node: &Node, dialect: Dialect, cap: usize) -> Pretty {
    let mut p = Printer {
        dialect,
        out: Pretty {
            text: String::new(),
            spans: Vec::new(),
        },
        cap,
        dropped: 0,
        col: 0,
        notes: Vec::new(),
        open: None,
        measure: None,
        over: false,
        stopped: false,
    };
    p.node(node, 0, 0);
    p.finish()
}

/// One element of a container or call.
enum Entry<'n> {
    Item(&'n Node),
    /// `key: value` in a map; a [`Node::Cut`] key alone.
    Pair(&'n Node, &'n Node),
    /// `name: value` in a record.
    Field(&'n str, &'n Node),
    /// `name=value` in a call.
    Kwarg(&'n str, &'n Node),
    /// A bare number (a tag).
    Number(u64),
}

struct Printer {
    dialect: Dialect,
    out: Pretty,
    cap: usize,
    /// Bytes counted but not written once the cap was reached.
    dropped: usize,
    /// Display width of the current line so far.
    col: usize,
    /// Remarks waiting for the end of the current line.
    notes: Vec<String>,
    /// The token and start of the span being written.
    open: Option<(Token, usize)>,
    /// Width left while trying a layout on one line; nothing is written then.
    measure: Option<usize>,
    /// The tried layout did not fit.
    over: bool,
    /// Enough was counted past the cap; the rest is not looked at.
    stopped: bool,
}

impl Printer {
    fn write(&mut self, s: &str) {
        let w = if s.is_ascii() { s.len() } else { s.width() };
        if let Some(left) = &mut self.measure {
            match left.checked_sub(w) {
                Some(l) => *left = l,
                None => self.over = true,
            }
            return;
        }
        self.col += w;
        let len = self.out.text.len();
        if self.dropped > 0 || len + s.len() > self.cap {
            let room = if self.dropped > 0 {
                0
            } else {
                self.cap.saturating_sub(len)
            };
            let cut = (0..=room.min(s.len()))
                .rev()
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(0);
            self.out.text.push_str(&s[..cut]);
            self.dropped += s.len() - cut;
            // A huge tree is not walked to its end for an exact count.
            self.stopped = self.dropped > self.cap.saturating_mul(COUNTED_PAST_CAP).max(4096);
            return;
        }
        self.out.text.push_str(s);
    }

    fn done(&self) -> bool {
        self.over || self.stopped
    }

    fn begin(&mut self, token: Token) {
        if self.measure.is_none() {
            self.open = Some((token, self.out.text.len()));
        }
    }

    fn end(&mut self) {
        if let Some((token, start)) = self.open.take() {
            let end = self.out.text.len();
            if end > start {
                self.out.spans.push(Span {
                    token,
                    range: start..end,
                });
            }
        }
    }

    fn tok(&mut self, token: Token, s: &str) {
        self.begin(token);
        self.write(s);
        self.end();
    }

    /// Text from a decoder (a number, a name, a remark) with anything a
    /// terminal must not see escaped.
    fn plain(&mut self, token: Token, s: &str) {
        self.begin(token);
        self.plain_text(s);
        self.end();
    }

    fn plain_text(&mut self, s: &str) {
        if s.chars().all(text::printable) {
            self.write(s);
            return;
        }
        for c in s.chars() {
            self.write(text::char_piece(c, text::Style::Plain).as_str());
            if self.done() {
                return;
            }
        }
    }

    fn string(&mut self, s: &str, token: Token) {
        let (style, q) = text::str_quote(s, self.dialect);
        let mut buf = [0u8; 4];
        let q = &*q.encode_utf8(&mut buf);
        self.begin(token);
        self.write(q);
        for c in s.chars() {
            self.write(text::char_piece(c, style).as_str());
            if self.done() {
                break;
            }
        }
        self.write(q);
        self.end();
    }

    fn bytes(&mut self, b: &[u8]) {
        let q = text::bytes_quote(b, self.dialect);
        let mut buf = [0u8; 4];
        let qs = &*q.encode_utf8(&mut buf);
        self.begin(Token::String);
        self.write("b");
        self.write(qs);
        for &byte in b {
            self.write(text::byte_piece(byte, q).as_str());
            if self.done() {
                break;
            }
        }
        self.write(qs);
        self.end();
    }

    fn newline(&mut self, indent: usize) {
        self.flush_notes();
        self.write("\n");
        self.col = 0;
        for _ in 0..indent {
            self.write("  ");
        }
    }

    fn flush_notes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        let notes = std::mem::take(&mut self.notes);
        self.write("  ");
        self.begin(Token::Note);
        self.write(match self.dialect {
            Dialect::Python => "# ",
            Dialect::Data => "// ",
        });
        for (i, note) in notes.iter().enumerate() {
            if i > 0 {
                self.write("; ");
            }
            self.plain_text(note);
        }
        self.end();
    }

    /// Whether `f` writes everything on the rest of the current line.
    fn fits(&mut self, f: impl FnOnce(&mut Self)) -> bool {
        self.measure = Some(WIDTH.saturating_sub(self.col));
        self.over = false;
        f(self);
        let fits = !self.over;
        self.measure = None;
        self.over = false;
        fits
    }

    fn literal(&mut self, python: &str, data: &str) {
        let s = match self.dialect {
            Dialect::Python => python,
            Dialect::Data => data,
        };
        self.tok(Token::Literal, s);
    }

    fn node(&mut self, n: &Node, indent: usize, depth: usize) {
        if self.done() {
            return;
        }
        if depth > MAX_DEPTH {
            self.tok(Token::Warn, "…");
            return;
        }
        let punct = |s| [(Token::Punct, s)];
        match n {
            Node::Null => self.literal("None", "null"),
            Node::Undefined => self.tok(Token::Literal, "undefined"),
            Node::Bool(true) => self.literal("True", "true"),
            Node::Bool(false) => self.literal("False", "false"),
            Node::Int(s) => self.plain(Token::Number, s),
            Node::Float(x) => self.tok(Token::Number, &text::float(*x, self.dialect)),
            Node::Str(s) => self.string(s, Token::String),
            Node::Bytes(b) => self.bytes(b),
            Node::List(v) => {
                let e: Vec<_> = v.iter().map(Entry::Item).collect();
                self.group(&punct("["), &e, "]", false, indent, depth);
            }
            Node::Tuple(v) => {
                let e: Vec<_> = v.iter().map(Entry::Item).collect();
                self.group(&punct("("), &e, ")", true, indent, depth);
            }
            Node::Set(v) if v.is_empty() => {
                self.tok(Token::Name, "set");
                self.tok(Token::Punct, "()");
            }
            Node::Set(v) => {
                let e: Vec<_> = v.iter().map(Entry::Item).collect();
                self.group(&punct("{"), &e, "}", false, indent, depth);
            }
            Node::Map(kv) => {
                let e: Vec<_> = kv.iter().map(|(k, v)| Entry::Pair(k, v)).collect();
                self.group(&punct("{"), &e, "}", false, indent, depth);
            }
            Node::Record(fs) => {
                let e: Vec<_> = fs.iter().map(|(k, v)| Entry::Field(k, v)).collect();
                self.group(&punct("{"), &e, "}", false, indent, depth);
            }
            Node::Call {
                callee,
                args,
                kwargs,
                state,
            } => {
                self.plain(Token::Name, callee);
                let e: Vec<_> = args
                    .iter()
                    .map(Entry::Item)
                    .chain(kwargs.iter().map(|(k, v)| Entry::Kwarg(k, v)))
                    .collect();
                self.group(&punct("("), &e, ")", false, indent, depth);
                if let Some(state) = state {
                    // What BUILD does with the state, in Python's own words.
                    self.tok(Token::Punct, ".");
                    self.tok(Token::Name, "__setstate__");
                    let e = [Entry::Item(state)];
                    self.group(&punct("("), &e, ")", false, indent, depth);
                }
            }
            Node::Global(name) => self.plain(Token::Name, name),
            Node::Ext { tag, data } => {
                self.tok(Token::Name, "ext");
                self.tok(Token::Punct, "(");
                self.tok(Token::Number, &tag.to_string());
                self.tok(Token::Punct, ",");
                self.write(" ");
                self.bytes(data);
                self.tok(Token::Punct, ")");
            }
            Node::Tagged { tag, value } => {
                self.tok(Token::Name, "tag");
                let e = [Entry::Number(*tag), Entry::Item(value)];
                self.group(&punct("("), &e, ")", false, indent, depth);
            }
            Node::Timestamp { secs, nanos } => {
                self.tok(
                    Token::Literal,
                    &text::timestamp(*secs, *nanos, self.dialect),
                );
            }
            Node::Noted { value, note } => {
                self.node(value, indent, depth + 1);
                match self.measure {
                    // A remark ends its line, so whatever holds it opens up.
                    Some(_) => self.over = true,
                    None => self.notes.push(note.clone()),
                }
            }
            Node::Recursion => self.tok(Token::Literal, "[...]"),
            Node::Cut(why) => {
                self.begin(Token::Warn);
                self.write("… ");
                self.plain_text(why);
                self.end();
            }
        }
    }

    fn group(
        &mut self,
        open: &[(Token, &str)],
        entries: &[Entry],
        close: &str,
        tuple: bool,
        indent: usize,
        depth: usize,
    ) {
        for (t, s) in open {
            self.tok(*t, s);
        }
        if entries.is_empty() {
            self.tok(Token::Punct, close);
            return;
        }
        // A one-element tuple keeps its comma: `(1,)`.
        let lone = tuple && entries.len() == 1;
        let flat =
            self.measure.is_some() || self.fits(|p| p.flat(entries, close, lone, indent, depth));
        if flat {
            self.flat(entries, close, lone, indent, depth);
            return;
        }
        for (i, e) in entries.iter().enumerate() {
            if self.stopped {
                return;
            }
            self.newline(indent + 1);
            self.entry(e, indent + 1, depth + 1);
            if i + 1 < entries.len() || lone {
                self.tok(Token::Punct, ",");
            }
        }
        self.newline(indent);
        self.tok(Token::Punct, close);
    }

    fn flat(&mut self, entries: &[Entry], close: &str, lone: bool, indent: usize, depth: usize) {
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                self.tok(Token::Punct, ",");
                self.write(" ");
            }
            self.entry(e, indent, depth + 1);
            if self.done() {
                return;
            }
        }
        if lone {
            self.tok(Token::Punct, ",");
        }
        self.tok(Token::Punct, close);
    }

    fn entry(&mut self, e: &Entry, indent: usize, depth: usize) {
        match e {
            Entry::Item(n) => self.node(n, indent, depth),
            // A cut key stands for the rest of the map.
            Entry::Pair(k @ Node::Cut(_), _) => self.node(k, indent, depth),
            Entry::Pair(k, v) => {
                match k {
                    Node::Str(s) => self.string(s, Token::Key),
                    k => self.node(k, indent, depth),
                }
                self.tok(Token::Punct, ":");
                self.write(" ");
                self.node(v, indent, depth);
            }
            // A field without a name (a cut) shows only its value.
            Entry::Field("", v) => self.node(v, indent, depth),
            Entry::Field(name, v) => {
                self.plain(Token::Key, name);
                self.tok(Token::Punct, ":");
                self.write(" ");
                self.node(v, indent, depth);
            }
            Entry::Kwarg(name, v) => {
                self.plain(Token::Key, name);
                self.tok(Token::Punct, "=");
                self.node(v, indent, depth);
            }
            Entry::Number(n) => self.tok(Token::Number, &n.to_string()),
        }
    }

    fn finish(mut self) -> Pretty {
        self.flush_notes();
        if self.dropped > 0 {
            // End on a whole line rather than inside an escape.
            let text = &mut self.out.text;
            if let Some(nl) = text.rfind('\n') {
                self.dropped += text.len() - nl;
                text.truncate(nl);
            }
            let len = text.len();
            self.out.spans.retain(|s| s.range.start < len);
            if let Some(last) = self.out.spans.last_mut() {
                last.range.end = last.range.end.min(len);
            }
            let line = if self.stopped {
                format!("… (more than {} bytes not shown)", self.dropped)
            } else {
                format!("… ({} more bytes not shown)", self.dropped)
            };
            self.cap = usize::MAX;
            self.dropped = 0;
            self.write("\n");
            self.tok(Token::Note, &line);
        }
        self.out
    }
}

#[cfg(test)]
mod tests;
