//! Drawing a text area by window: one line scrolls sideways so the cursor
//! stays on screen, many lines show the rows around the cursor. Only what
//! is on screen is measured, so a megabyte line costs what the box shows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation as _;
use unicode_width::UnicodeWidthChar as _;

use super::TextArea;

/// One line as it shows in a box, and the cursor's column in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The visible part, control characters made visible.
    pub text: String,
    /// The cursor's column, from the left of the box.
    pub cursor: usize,
}

/// How a character is shown: a line break as `⏎`, other control characters
/// (which would move the terminal's cursor) as `·`.
fn shown(c: char) -> char {
    match c {
        '\n' => '⏎',
        c if c.is_control() => '·',
        c => c,
    }
}

/// A character's width in cells, as [`shown`] draws it.
fn char_width(c: char) -> usize {
    if c.is_control() {
        1
    } else {
        c.width().unwrap_or(1)
    }
}

/// The width of `text` in cells.
pub(super) fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.chars().map(char_width).sum()
}

/// The byte offset in `line` after the graphemes that fit in `columns`
/// cells (the line's end when it is shorter).
pub(super) fn skip(line: &str, columns: usize) -> usize {
    // Plain ASCII is one cell a byte: no need to walk it.
    let ascii = columns.min(line.len());
    let bytes = line.as_bytes();
    if bytes[..ascii].is_ascii() && bytes.get(ascii).is_none_or(u8::is_ascii) {
        return ascii;
    }
    let mut used = 0;
    for (i, g) in line.grapheme_indices(true) {
        used += width(g);
        if used > columns {
            return i;
        }
    }
    line.len()
}

/// The byte offset in `line` from which the text up to `end` fits in `columns` cells.
fn back(line: &str, end: usize, columns: usize) -> usize {
    let mut used = 0;
    let mut start = end;
    for (i, g) in line[..end].grapheme_indices(true).rev() {
        used += width(g);
        if used > columns {
            break;
        }
        start = i;
    }
    start
}

/// The first `columns` cells of `text`, made visible.
fn take(text: &str, columns: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > columns {
            break;
        }
        used += w;
        out.push(shown(c));
    }
    out
}

/// `line` in `columns` cells, scrolled so that byte `cursor` is on screen.
fn line_window(line: &str, cursor: usize, columns: usize) -> Window {
    // The cursor needs a cell of its own after the text before it.
    let start = back(line, cursor, columns.saturating_sub(1));
    Window {
        text: take(&line[start..], columns),
        cursor: width(&line[start..cursor]),
    }
}

/// Where a multi-line text sits in a box: the first row shown (its byte
/// offset), the cells scrolled past on the left, and the cursor in the box.
struct Layout {
    top: usize,
    left: usize,
    /// The cursor's line: where it starts, and the first byte shown of it.
    line: (usize, usize),
    cursor: (usize, usize),
}

impl TextArea {
    /// The cursor's line in `columns` cells (the whole text on one line).
    pub fn window(&self, columns: usize) -> Window {
        let (start, end) = (self.line_start(), self.line_end());
        line_window(&self.text[start..end], self.cursor - start, columns)
    }

    fn layout(&self, columns: usize, rows: usize) -> Layout {
        let bytes = self.text.as_bytes();
        let start = self.line_start();
        let row = if self.single_line {
            0
        } else {
            memchr::memchr_iter(b'\n', &bytes[..start]).count()
        };
        let first = (row + 1).saturating_sub(rows.max(1));
        let top = match first.checked_sub(1) {
            None => 0,
            Some(n) => memchr::memchr_iter(b'\n', bytes)
                .nth(n)
                .map_or(self.text.len(), |i| i + 1),
        };
        let line = &self.text[start..self.line_end()];
        let from = back(line, self.cursor - start, columns.saturating_sub(1));
        let left = width(&line[..from]);
        let x = width(&line[from..self.cursor - start]);
        Layout {
            top,
            left,
            line: (start, start + from),
            cursor: (x, row - first),
        }
    }

    /// Where the terminal cursor goes when the text is drawn in `area`.
    pub fn cursor_in(&self, area: Rect) -> (u16, u16) {
        let l = self.layout(area.width.into(), area.height.into());
        let clamp = |n: usize, len: u16| {
            u16::try_from(n)
                .unwrap_or(u16::MAX)
                .min(len.saturating_sub(1))
        };
        (
            area.x + clamp(l.cursor.0, area.width),
            area.y + clamp(l.cursor.1, area.height),
        )
    }
}

/// A borrowed view of a [`TextArea`], every row in one style.
pub struct Area<'a> {
    pub text: &'a TextArea,
    pub style: Style,
}

impl Widget for Area<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (columns, rows) = (usize::from(area.width), usize::from(area.height));
        let t = self.text;
        if t.single_line {
            if rows > 0 {
                Line::styled(t.window(columns).text, self.style).render(area, buf);
            }
            return;
        }
        let l = t.layout(columns, rows);
        let mut at = l.top;
        for (y, line) in (area.y..area.bottom()).zip(t.text[l.top..].split('\n')) {
            // The cursor's line is already measured; the others are cut at the same column.
            let from = if at == l.line.0 {
                l.line.1 - at
            } else {
                skip(line, l.left)
            };
            let shown = take(&line[from..], columns);
            Line::styled(shown, self.style).render(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                buf,
            );
            at += line.len() + 1;
        }
    }
}
