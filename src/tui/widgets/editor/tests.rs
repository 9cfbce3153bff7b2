use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget as _;

use super::*;

fn press(t: &mut TextArea, code: KeyCode) -> bool {
    t.input(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(t: &mut TextArea, c: char) -> bool {
    t.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn alt(t: &mut TextArea, code: KeyCode) -> bool {
    t.input(&KeyEvent::new(code, KeyModifiers::ALT))
}

fn typed(t: &mut TextArea, text: &str) {
    for c in text.chars() {
        press(t, KeyCode::Char(c));
    }
}

/// The text with `|` where the cursor is.
fn shown(t: &TextArea) -> String {
    let mut s = t.text();
    s.insert(t.cursor(), '|');
    s
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
    assert_eq!(shown(&t), "|é!\nxy");
}

#[test]
fn a_single_line_leaves_enter_and_up_to_the_owner() {
    let mut t = TextArea::single("a\nb");
    assert_eq!(t.text(), "a b");
    for code in [KeyCode::Enter, KeyCode::Up, KeyCode::Down, KeyCode::Tab] {
        assert!(!press(&mut t, code), "{code:?}");
    }
    assert!(!ctrl(&mut t, 's'));
    assert!(!press(&mut t, KeyCode::Esc));
    assert_eq!(t.text(), "a b");
    t.insert_str("\r\nc\rd");
    assert_eq!(t.text(), "a b c d", "a paste stays on the line");
}

#[test]
fn readline_motions() {
    let mut t = TextArea::single("SET user:1 \"hello world\"");
    ctrl(&mut t, 'a');
    assert_eq!(t.cursor(), 0);
    alt(&mut t, KeyCode::Char('f'));
    assert_eq!(shown(&t), "SET| user:1 \"hello world\"");
    alt(&mut t, KeyCode::Char('f'));
    assert_eq!(shown(&t), "SET user|:1 \"hello world\"");
    t.input(&KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
    assert_eq!(shown(&t), "SET user:1| \"hello world\"");
    alt(&mut t, KeyCode::Char('b'));
    assert_eq!(shown(&t), "SET user:|1 \"hello world\"");
    t.input(&KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL));
    assert_eq!(shown(&t), "SET |user:1 \"hello world\"");
    ctrl(&mut t, 'f');
    ctrl(&mut t, 'b');
    ctrl(&mut t, 'b');
    assert_eq!(shown(&t), "SET| user:1 \"hello world\"");
    ctrl(&mut t, 'e');
    assert!(t.at_end());
    press(&mut t, KeyCode::Home);
    assert_eq!(t.cursor(), 0);
    press(&mut t, KeyCode::End);
    assert!(t.at_end());
}

#[test]
fn cuts_add_up_and_come_back_with_ctrl_y() {
    let mut t = TextArea::single("GET some:key now");
    ctrl(&mut t, 'w');
    assert_eq!(shown(&t), "GET some:key |");
    ctrl(&mut t, 'w');
    assert_eq!(shown(&t), "GET |");
    ctrl(&mut t, 'y');
    assert_eq!(
        shown(&t),
        "GET some:key now|",
        "two cuts in a row yank as one"
    );
    alt(&mut t, KeyCode::Backspace);
    assert_eq!(shown(&t), "GET some:key |");
    ctrl(&mut t, 'a');
    ctrl(&mut t, 'k');
    assert_eq!(shown(&t), "|");
    ctrl(&mut t, 'y');
    ctrl(&mut t, 'y');
    assert_eq!(t.text(), "GET some:key GET some:key ");
    press(&mut t, KeyCode::Home);
    alt(&mut t, KeyCode::Char('d'));
    assert_eq!(shown(&t), "| some:key GET some:key ");
    press(&mut t, KeyCode::End);
    ctrl(&mut t, 'u');
    assert_eq!(shown(&t), "|");
    ctrl(&mut t, 'y');
    assert_eq!(t.text(), " some:key GET some:key ");
    // Typing between two cuts starts a new cut.
    t.set_text("a b");
    ctrl(&mut t, 'w');
    typed(&mut t, "c");
    ctrl(&mut t, 'w');
    ctrl(&mut t, 'y');
    assert_eq!(t.text(), "a c");
}

#[test]
fn ctrl_u_and_ctrl_k_work_on_the_cursors_line() {
    let mut t = TextArea::new("one\ntwo\nthree");
    press(&mut t, KeyCode::Up);
    ctrl(&mut t, 'u');
    assert_eq!(shown(&t), "one\n|\nthree");
    ctrl(&mut t, 'k');
    assert_eq!(
        shown(&t),
        "one\n|three",
        "at a line's end Ctrl-K takes the break"
    );
    ctrl(&mut t, 'k');
    assert_eq!(shown(&t), "one\n|");
    ctrl(&mut t, 'y');
    assert_eq!(t.text(), "one\ntwo\nthree");
}

#[test]
fn characters_are_whole_graphemes() {
    let mut t = TextArea::single("e\u{301}👍🏽x");
    press(&mut t, KeyCode::Left);
    press(&mut t, KeyCode::Left);
    assert_eq!(t.cursor(), "e\u{301}".len());
    press(&mut t, KeyCode::Delete);
    assert_eq!(t.text(), "e\u{301}x");
    press(&mut t, KeyCode::Backspace);
    assert_eq!(t.text(), "x");
    assert!(ctrl(&mut t, 'd'));
    assert_eq!(t.text(), "");
    t.set_cursor(0);
    assert!(
        press(&mut t, KeyCode::Backspace),
        "nothing to delete is still an editing key"
    );
}

#[test]
fn up_and_down_keep_the_column() {
    let mut t = TextArea::new("abcdef\nxy\n日本語です");
    press(&mut t, KeyCode::Up);
    assert_eq!(shown(&t), "abcdef\nxy|\n日本語です");
    press(&mut t, KeyCode::Up);
    assert_eq!(shown(&t), "abcdef|\nxy\n日本語です");
    press(&mut t, KeyCode::Down);
    press(&mut t, KeyCode::Down);
    assert_eq!(
        shown(&t),
        "abcdef\nxy\n日本語です|",
        "the column is kept across a short line"
    );
    ctrl(&mut t, 'a');
    press(&mut t, KeyCode::Right);
    press(&mut t, KeyCode::Right);
    press(&mut t, KeyCode::Up);
    press(&mut t, KeyCode::Up);
    assert_eq!(
        shown(&t),
        "abcd|ef\nxy\n日本語です",
        "two wide characters are four cells"
    );
    press(&mut t, KeyCode::Left);
    press(&mut t, KeyCode::Down);
    press(&mut t, KeyCode::Down);
    assert_eq!(
        shown(&t),
        "abcdef\nxy\n日|本語です",
        "column 3 is inside the second one"
    );
}

#[test]
fn a_long_line_scrolls_to_keep_the_cursor() {
    let mut t = TextArea::single(&"x".repeat(30));
    let w = t.window(10);
    assert_eq!((w.text.as_str(), w.cursor), ("xxxxxxxxx", 9));
    t.insert_str("日本");
    let w = t.window(10);
    assert_eq!(w.cursor, 9);
    assert!(w.text.ends_with("日本"), "{w:?}");
    ctrl(&mut t, 'a');
    let w = t.window(10);
    assert_eq!((w.text.len(), w.cursor), (10, 0));
    // Control characters take one visible cell each.
    let t = TextArea::single("a\tb\x1b");
    assert_eq!(t.window(10).text, "a·b·");
}

#[test]
fn a_recalled_pipeline_keeps_its_line_breaks() {
    let mut t = TextArea::single("");
    t.set_text("SET a 1\nGET a");
    assert_eq!(t.text(), "SET a 1\nGET a");
    assert_eq!(t.window(40).text, "SET a 1⏎GET a");
    press(&mut t, KeyCode::Home);
    assert_eq!(
        t.cursor(),
        0,
        "one line: Home goes to the start of all of it"
    );
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
    let mut t = TextArea::new("0123456789\nabcdefghij");
    ctrl(&mut t, 'e');
    let area = Rect::new(0, 0, 4, 2);
    let mut buf = Buffer::empty(area);
    Area {
        text: &t,
        style: Style::new(),
    }
    .render(area, &mut buf);
    assert_eq!(t.cursor_in(area), (3, 1));
    let rows: Vec<String> = (0..2)
        .map(|y| (0..4).map(|x| buf[(x, y)].symbol().to_owned()).collect())
        .collect();
    assert_eq!(rows, ["789", "hij "].map(|r| format!("{r:<4}")));
}

#[test]
fn a_ten_megabyte_paste_is_one_insert_and_draws_by_window() {
    let big = "x".repeat(10_000_000);
    let started = std::time::Instant::now();
    let mut t = TextArea::single("SET big ");
    t.insert_str(&big);
    for _ in 0..100 {
        press(&mut t, KeyCode::Left);
        typed(&mut t, "y");
        assert_eq!(t.window(80).cursor, 79);
    }
    let mut m = TextArea::new(&format!("{big}\n{big}"));
    press(&mut m, KeyCode::Up);
    let area = Rect::new(0, 0, 80, 10);
    let mut buf = Buffer::empty(area);
    for _ in 0..10 {
        Area {
            text: &m,
            style: Style::new(),
        }
        .render(area, &mut buf);
    }
    assert_eq!(t.as_str().len(), 10_000_108);
    // Quadratic work on 10 MB would take hours; linear work takes milliseconds.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
