//! The editing keys, the same in every input: readline's, as shells and
//! redis-cli have them. Keys that mean something to the owner (Enter on one
//! line, Tab, Esc, Up/Down on one line, Ctrl-S...) are not used here.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::TextArea;

/// The editing keys for the help overlay: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    ("C-a Home", "line start"),
    ("C-e End", "line end"),
    ("C-b ←", "back a character"),
    ("C-f →", "forward a character"),
    ("M-b C-←", "back a word"),
    ("M-f C-→", "forward a word"),
    ("C-u", "cut to line start"),
    ("C-k", "cut to line end"),
    ("C-w M-BS", "cut the word before"),
    ("M-d", "cut the word after"),
    ("C-y", "paste what was cut"),
];

impl TextArea {
    /// Applies one key; false when it is not an editing key here.
    pub fn input(&mut self, key: &KeyEvent) -> bool {
        let mods = key.modifiers;
        let ctrl = mods.contains(KeyModifiers::CONTROL);
        let alt = mods.contains(KeyModifiers::ALT);
        // AltGr arrives as Ctrl+Alt with the character it makes.
        let typed = !(ctrl || alt) || (ctrl && alt);
        let was_killing = self.killing;
        self.killing = false;
        let goal = self.goal.take();
        match key.code {
            KeyCode::Char(c) if typed => self.insert_char(c),
            KeyCode::Enter if !self.single_line => self.insert_char('\n'),
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::Char('e') if ctrl => self.cursor = self.line_end(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Char('b') if alt => self.cursor = self.word_before(false),
            KeyCode::Left if ctrl || alt => self.cursor = self.word_before(false),
            KeyCode::Char('f') if alt => self.cursor = self.word_after(),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_after(),
            KeyCode::Char('b') if ctrl => self.cursor = self.prev_grapheme(),
            KeyCode::Left => self.cursor = self.prev_grapheme(),
            KeyCode::Char('f') if ctrl => self.cursor = self.next_grapheme(),
            KeyCode::Right => self.cursor = self.next_grapheme(),
            KeyCode::Up | KeyCode::Down if self.single_line => return false,
            KeyCode::Up | KeyCode::Down => {
                self.goal = goal;
                self.vertical(key.code == KeyCode::Up);
            }
            KeyCode::Char('y') if ctrl => {
                let killed = std::mem::take(&mut self.killed);
                self.insert_str(&killed);
                self.killed = killed;
            }
            // Cuts: the rest is kept for Ctrl-Y.
            _ if is_cut(key) => {
                self.killing = was_killing;
                self.cut(key);
            }
            KeyCode::Backspace | KeyCode::Char('h') if !alt => {
                let from = self.prev_grapheme();
                self.delete(from, self.cursor);
            }
            KeyCode::Delete | KeyCode::Char('d') => {
                let to = self.next_grapheme();
                self.delete(self.cursor, to);
            }
            _ => {
                self.killing = was_killing;
                self.goal = goal;
                return false;
            }
        }
        true
    }

    fn cut(&mut self, key: &KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') => self.kill(self.line_start(), self.cursor),
            // At the end of a line, Ctrl-K takes the line break, as in Emacs.
            KeyCode::Char('k') if self.cursor == self.line_end() && !self.at_end() => {
                self.kill(self.cursor, self.cursor + 1)
            }
            KeyCode::Char('k') => self.kill(self.cursor, self.line_end()),
            KeyCode::Char('w') if ctrl => self.kill(self.word_before(true), self.cursor),
            KeyCode::Backspace => self.kill(self.word_before(false), self.cursor),
            _ => self.kill(self.cursor, self.word_after()),
        }
    }
}

/// Whether `key` cuts text: Ctrl-U, Ctrl-K, Ctrl-W, Alt-Backspace (or
/// Ctrl-Backspace), Alt-D, Ctrl-Delete.
fn is_cut(key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('u' | 'k' | 'w') => ctrl && !alt,
        KeyCode::Backspace => ctrl || alt,
        KeyCode::Char('d') => alt && !ctrl,
        KeyCode::Delete => ctrl || alt,
        _ => false,
    }
}
