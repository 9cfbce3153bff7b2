//! A small multi-line text editor for the Value pane's edits: typing,
//! deleting, moving by character, line and word-less jumps (Home/End), and a
//! view that keeps the cursor on screen. Keys it does not use (Tab, Esc,
//! Ctrl-S) are left to the form around it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// Editable text as lines, with a cursor (line, character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArea {
    lines: Vec<String>,
    row: usize,
    col: usize,
    /// Whether Enter is left to the form (one-line inputs: a field name, a score).
    single_line: bool,
}

impl TextArea {
    /// A text area holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextArea {
        let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        TextArea {
            lines,
            row,
            col,
            single_line: false,
        }
    }

    /// A one-line input holding `text`.
    pub fn single(text: &str) -> TextArea {
        let mut t = TextArea::new(&text.replace('\n', " "));
        t.single_line = true;
        t
    }

    /// The whole text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The cursor as (line, character).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Whether Enter inserts a line break here.
    pub fn is_multi_line(&self) -> bool {
        !self.single_line
    }

    /// Inserts `text` at the cursor (typed or pasted).
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\r' => {}
                '\n' if self.single_line => self.insert_char(' '),
                '\n' => self.break_line(),
                c => self.insert_char(c),
            }
        }
    }

    fn byte_at(&self, row: usize, col: usize) -> usize {
        let line = &self.lines[row];
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    fn line_chars(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    fn insert_char(&mut self, c: char) {
        let at = self.byte_at(self.row, self.col);
        self.lines[self.row].insert(at, c);
        self.col += 1;
    }

    fn break_line(&mut self) {
        let at = self.byte_at(self.row, self.col);
        let rest = self.lines[self.row].split_off(at);
        self.row += 1;
        self.lines.insert(self.row, rest);
        self.col = 0;
    }

    fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let at = self.byte_at(self.row, self.col);
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_chars(self.row);
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete(&mut self) {
        if self.col < self.line_chars(self.row) {
            let at = self.byte_at(self.row, self.col);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    fn move_to(&mut self, row: usize) {
        self.row = row;
        self.col = self.col.min(self.line_chars(row));
    }

    /// Applies one key; false when the key is not an editing key.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if plain => self.insert_char(c),
            KeyCode::Enter if !self.single_line => self.break_line(),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left if self.col > 0 => self.col -= 1,
            KeyCode::Left if self.row > 0 => {
                self.row -= 1;
                self.col = self.line_chars(self.row);
            }
            KeyCode::Right if self.col < self.line_chars(self.row) => self.col += 1,
            KeyCode::Right if self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.col = 0;
            }
            KeyCode::Left | KeyCode::Right => {}
            KeyCode::Up if self.row > 0 => self.move_to(self.row - 1),
            KeyCode::Down if self.row + 1 < self.lines.len() => self.move_to(self.row + 1),
            KeyCode::Up | KeyCode::Down => {}
            KeyCode::Home => self.col = 0,
            KeyCode::End => self.col = self.line_chars(self.row),
            _ => return false,
        }
        true
    }

    /// The first line and column shown in a box of `width` x `height` so
    /// that the cursor stays inside it.
    fn scroll(&self, width: usize, height: usize) -> (usize, usize) {
        (
            (self.row + 1).saturating_sub(height.max(1)),
            (self.col + 1).saturating_sub(width.max(1)),
        )
    }

    /// Where the terminal cursor goes when the text is drawn in `area`.
    pub fn cursor_in(&self, area: Rect) -> (u16, u16) {
        let (top, left) = self.scroll(area.width as usize, area.height as usize);
        let x = area.x + (self.col - left).min(area.width.saturating_sub(1) as usize) as u16;
        let y = area.y + (self.row - top).min(area.height.saturating_sub(1) as usize) as u16;
        (x, y)
    }
}

/// A borrowed view of a [`TextArea`].
pub struct Area<'a> {
    pub text: &'a TextArea,
    pub style: Style,
}

impl Widget for Area<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (width, height) = (area.width as usize, area.height as usize);
        let (top, left) = self.text.scroll(width, height);
        for (i, line) in self.text.lines.iter().skip(top).take(height).enumerate() {
            // Tabs and other control characters would move the terminal's
            // cursor: they are shown as one visible character each.
            let shown: String = line
                .chars()
                .skip(left)
                .take(width)
                .map(|c| if c.is_control() { '·' } else { c })
                .collect();
            let row = Rect {
                y: area.y + i as u16,
                height: 1,
                ..area
            };
            Line::styled(shown, self.style).render(row, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(t: &mut TextArea, code: KeyCode) {
        t.input(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn typing_breaking_and_joining_lines() {
        let mut t = TextArea::new("hé");
        press(&mut t, KeyCode::Char('!'));
        press(&mut t, KeyCode::Enter);
        t.insert_str("x\ny");
        assert_eq!(t.text(), "hé!\nx\ny");
        press(&mut t, KeyCode::Home);
        press(&mut t, KeyCode::Backspace);
        assert_eq!(t.text(), "hé!\nxy");
        press(&mut t, KeyCode::Up);
        press(&mut t, KeyCode::Left);
        press(&mut t, KeyCode::Delete);
        assert_eq!(t.text(), "é!\nxy");
        assert_eq!(t.cursor(), (0, 0));
    }

    #[test]
    fn a_single_line_leaves_enter_to_the_form() {
        let mut t = TextArea::single("a\nb");
        assert_eq!(t.text(), "a b");
        assert!(!t.input(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(!t.input(&ctrl_s));
        assert_eq!(t.text(), "a b");
    }

    #[test]
    fn the_cursor_stays_in_a_small_box() {
        let t = TextArea::new("0123456789\n1\n2\n3");
        let area = Rect::new(5, 5, 4, 2);
        assert_eq!(t.cursor_in(area), (6, 6));
        let mut buf = Buffer::empty(area);
        Area {
            text: &t,
            style: Style::new(),
        }
        .render(area, &mut buf);
        assert_eq!(buf[(5, 6)].symbol(), "3");
    }
}
