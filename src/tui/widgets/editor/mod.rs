//! The one text editor behind every input: the Console's command line, the
//! Keys filter, the Value search, the key dialogs and the Value pane's edit
//! form. One line or many, the same readline keys everywhere ([`keys`]),
//! and drawn by window ([`view`]).
//!
//! The cursor is a byte offset on a grapheme boundary, so every edit costs
//! what it inserts or removes plus one move of the text after it: a
//! 10 MB paste is one insert, never a loop over characters.

mod keys;
mod view;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation as _;

pub use keys::HELP;
pub use view::{Area, Window};

/// Editable text with a cursor, on one line or many.
#[derive(Clone, PartialEq, Eq)]
pub struct TextArea {
    text: String,
    /// Byte offset, always on a grapheme boundary.
    cursor: usize,
    /// Whether Enter and Up/Down are left to the owner (a name, a score, a command line).
    single_line: bool,
    /// What the last Ctrl-U, Ctrl-K, Ctrl-W or Alt-Backspace cut, for Ctrl-Y.
    killed: String,
    /// Whether the last edit was a cut, so that cuts in a row add up as in readline.
    killing: bool,
    /// The column Up and Down aim for, kept across short lines.
    goal: Option<usize>,
}

impl std::fmt::Debug for TextArea {
    // A pasted megabyte must not end up in a panic message or a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head: String = self.text.chars().take(40).collect();
        f.debug_struct("TextArea")
            .field("text", &head)
            .field("len", &self.text.len())
            .field("cursor", &self.cursor)
            .field("single_line", &self.single_line)
            .finish()
    }
}

impl Default for TextArea {
    fn default() -> Self {
        TextArea::single("")
    }
}

impl TextArea {
    /// A multi-line text area holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextArea {
        TextArea {
            text: text.to_owned(),
            cursor: text.len(),
            single_line: false,
            killed: String::new(),
            killing: false,
            goal: None,
        }
    }

    /// A one-line input holding `text` (line breaks become spaces).
    pub fn single(text: &str) -> TextArea {
        TextArea {
            single_line: true,
            ..TextArea::new(&text.replace('\n', " "))
        }
    }

    /// The whole text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// The whole text, borrowed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The cursor as a byte offset into [`TextArea::as_str`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether the cursor is after the last character.
    pub fn at_end(&self) -> bool {
        self.cursor == self.text.len()
    }

    /// Whether Enter inserts a line break here.
    pub fn is_multi_line(&self) -> bool {
        !self.single_line
    }

    /// Replaces the text as it is (a recalled pipeline keeps its line
    /// breaks), the cursor at its end; what was cut stays for Ctrl-Y.
    pub fn set_text(&mut self, text: &str) {
        text.clone_into(&mut self.text);
        self.cursor = self.text.len();
        self.killing = false;
    }

    /// Moves the cursor to byte `at` (the next grapheme boundary at or after it).
    pub fn set_cursor(&mut self, at: usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        self.cursor = at;
    }

    /// Empties the text, keeping what was cut.
    pub fn clear(&mut self) {
        self.set_text("");
    }

    /// Takes the text out, leaving the input empty (what was cut stays).
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        self.killing = false;
        self.goal = None;
        std::mem::take(&mut self.text)
    }

    /// Inserts `text` at the cursor in one piece (typed, pasted or yanked):
    /// `\r\n` and `\r` become `\n`, and a line break becomes a space on one line.
    pub fn insert_str(&mut self, text: &str) {
        let text = self.normalise(text);
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
    }

    fn normalise<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let breaks = if self.single_line { "\r\n" } else { "\r" };
        if !text.contains(|c| breaks.contains(c)) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let c = match c {
                '\r' if chars.peek() == Some(&'\n') => continue,
                '\r' | '\n' if self.single_line => ' ',
                '\r' => '\n',
                c => c,
            };
            out.push(c);
        }
        Cow::Owned(out)
    }

    fn insert_char(&mut self, c: char) {
        let mut buf = [0; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    /// The byte offset of the grapheme before the cursor.
    fn prev_grapheme(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    /// The byte offset after the grapheme at the cursor.
    fn next_grapheme(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// Where the word before the cursor starts: readline's `backward-word`
    /// (letters and digits), or with `blank` whitespace-delimited (Ctrl-W).
    fn word_before(&self, blank: bool) -> usize {
        let part = |c: char| is_word(c, blank);
        let before = &self.text[..self.cursor];
        let mut chars = before.char_indices().rev().peekable();
        while chars.next_if(|&(_, c)| !part(c)).is_some() {}
        let mut start = chars.peek().map_or(0, |&(i, c)| i + c.len_utf8());
        while let Some((i, _)) = chars.next_if(|&(_, c)| part(c)) {
            start = i;
        }
        start
    }

    /// Where the word after the cursor ends: readline's `forward-word`.
    fn word_after(&self) -> usize {
        let after = &self.text[self.cursor..];
        let mut chars = after.char_indices().peekable();
        while chars.next_if(|&(_, c)| !is_word(c, false)).is_some() {}
        while chars.next_if(|&(_, c)| is_word(c, false)).is_some() {}
        self.cursor + chars.peek().map_or(after.len(), |&(i, _)| i)
    }

    /// The start of the cursor's line (of the text, on one line).
    fn line_start(&self) -> usize {
        if self.single_line {
            return 0;
        }
        memchr::memrchr(b'\n', &self.text.as_bytes()[..self.cursor]).map_or(0, |i| i + 1)
    }

    /// The end of the cursor's line (before its `\n`).
    fn line_end(&self) -> usize {
        if self.single_line {
            return self.text.len();
        }
        memchr::memchr(b'\n', &self.text.as_bytes()[self.cursor..])
            .map_or(self.text.len(), |i| self.cursor + i)
    }

    /// Removes `from..to` and keeps it for Ctrl-Y; cuts in a row add up,
    /// in reading order.
    fn kill(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let cut: String = self.text.drain(from..to).collect();
        if !self.killing {
            self.killed = cut;
        } else if from < self.cursor {
            self.killed.insert_str(0, &cut);
        } else {
            self.killed.push_str(&cut);
        }
        self.cursor = from;
        self.killing = true;
    }

    /// Removes `from..to` without keeping it.
    fn delete(&mut self, from: usize, to: usize) {
        self.text.replace_range(from..to, "");
        self.cursor = from;
    }

    /// Moves to the same column on the line above (`up`) or below;
    /// false on the first or last line.
    fn vertical(&mut self, up: bool) -> bool {
        let start = self.line_start();
        let column = *self
            .goal
            .get_or_insert_with(|| view::width(&self.text[start..self.cursor]));
        let (from, to) = if up {
            if start == 0 {
                return false;
            }
            let end = start - 1;
            let from = memchr::memrchr(b'\n', &self.text.as_bytes()[..end]).map_or(0, |i| i + 1);
            (from, end)
        } else {
            let end = self.line_end();
            if end == self.text.len() {
                return false;
            }
            let from = end + 1;
            let to = memchr::memchr(b'\n', &self.text.as_bytes()[from..])
                .map_or(self.text.len(), |i| from + i);
            (from, to)
        };
        self.cursor = from + view::skip(&self.text[from..to], column);
        true
    }
}

/// Whether `c` belongs to a word: letters and digits, or with `blank`
/// anything but whitespace.
fn is_word(c: char, blank: bool) -> bool {
    if blank {
        !c.is_whitespace()
    } else {
        c.is_alphanumeric()
    }
}
