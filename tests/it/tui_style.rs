//! What a user must see in colour, checked cell by cell: the focused pane's
//! lit border, the selected row, the type badges, an error notice in red and
//! news in green, and the read-only badge. The text of a screen
//! (`Buffer::to_string`) would stay the same with every one of these styles
//! gone. Widgets are compared whole with their styles, as ratatui's own
//! tests do (`Buffer::with_lines` and `set_style`); whole screens are
//! checked against the theme.

use std::time::Duration;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;
use upstash_tui::tui::app::{App, Health, Notice};
use upstash_tui::tui::layout::Areas;
use upstash_tui::tui::panes::Pane;
use upstash_tui::tui::panes::keys::view::View;
use upstash_tui::tui::theme::Theme;
use upstash_tui::tui::widgets::bars::{Status, Title};
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Header, Kind, Page};

use crate::common::tui::{app_with_keys, draw, header, key, opened_value};

/// A cell's look: its colours and modifiers.
fn look(cell: &Cell) -> (Color, Color, Modifier) {
    (cell.fg, cell.bg, cell.modifier)
}

/// The look `style` gives a blank cell.
fn painted(style: Style) -> (Color, Color, Modifier) {
    let mut cell = Cell::default();
    cell.set_style(style);
    look(&cell)
}

/// The cells of row `y` that show `text`.
fn cells_of<'b>(buf: &'b Buffer, y: u16, text: &str) -> Vec<&'b Cell> {
    let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let at = row
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} is not in row {y}: {row:?}"));
    let x = row[..at].chars().count() as u16;
    (x..x + text.chars().count() as u16)
        .map(|x| &buf[(x, y)])
        .collect()
}

/// The line-drawing cells of the border of `area`: its corners and edges,
/// where no title is written.
fn border(buf: &Buffer, area: Rect) -> Vec<&Cell> {
    let edge = |x, y| {
        let cell = &buf[(x, y)];
        "┌┐└┘─│".contains(cell.symbol()).then_some(cell)
    };
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let rows = (area.top()..area.bottom()).flat_map(|y| [edge(area.left(), y), edge(right, y)]);
    let columns = (area.left()..area.right()).flat_map(|x| [edge(x, area.top()), edge(x, bottom)]);
    rows.chain(columns).flatten().collect()
}

/// Three keys, with the `user` folder first in the tree.
fn three_keys() -> App {
    let keys: [(&[u8], &str); 3] = [
        (b"user:1", "string"),
        (b"jobs", "list"),
        (b"user:2", "hash"),
    ];
    app_with_keys(80, 24, &keys).0
}

#[test]
fn the_keys_pane_draws_its_border_header_badges_and_selected_row_in_colour() {
    let app = three_keys();
    let t = Theme::default();
    let area = Rect::new(0, 0, 30, 6);
    let mut buf = Buffer::empty(area);
    let view = |focused| View {
        state: app.keys(),
        theme: &t,
        focused,
    };
    view(true).render(area, &mut buf);

    #[rustfmt::skip]
    let mut want = Buffer::with_lines([
        "┌ 1 Keys ────────────────────┐",
        "│/* · 3 keys · done          │",
        "│▸ user (2)                  │",
        "│LIST jobs                   │",
        "│                            │",
        "└────────────────────────────┘",
    ]);
    want.set_style(area, t.border_focused);
    want.set_style(Rect::new(1, 1, 28, 4), Style::reset());
    want.set_style(Rect::new(1, 0, 8, 1), t.title);
    // The header: the pattern's key, dim separators, the scan done in green.
    want.set_style(Rect::new(1, 1, 1, 1), t.hint_key);
    want.set_style(Rect::new(3, 1, 3, 1), t.dim);
    want.set_style(Rect::new(12, 1, 3, 1), t.dim);
    want.set_style(Rect::new(15, 1, 4, 1), t.ok);
    // The selected folder, reversed across the pane, its count dim.
    want.set_style(Rect::new(1, 2, 6, 1), t.folder);
    want.set_style(Rect::new(7, 2, 4, 1), t.dim);
    want.set_style(Rect::new(1, 2, 28, 1), t.selected);
    // A list's badge: black on magenta.
    want.set_style(
        Rect::new(1, 3, 4, 1),
        Style::new().fg(Color::Black).bg(Color::Magenta),
    );
    assert_eq!(buf, want);

    // Without focus the border is the quiet one, and only the border changes.
    let mut quiet = Buffer::empty(area);
    view(false).render(area, &mut quiet);
    for (x, y) in (0..30).flat_map(|x| (0..6).map(move |y| (x, y))) {
        let on_border = x == 0 || y == 0 || x == 29 || y == 5;
        let (lit, dim) = (&buf[(x, y)], &quiet[(x, y)]);
        assert_eq!(lit.symbol(), dim.symbol());
        if on_border {
            assert_eq!(
                (lit.fg, dim.fg),
                (Color::Cyan, Color::DarkGray),
                "({x}, {y})"
            );
        } else {
            assert_eq!(lit, dim, "({x}, {y})");
        }
    }
}

#[test]
fn the_focused_pane_and_no_other_has_the_lit_border() {
    let t = Theme::default();
    let areas = Areas::new(Rect::new(0, 0, 80, 24));
    let panes = [
        (Pane::Keys, areas.keys),
        (Pane::Value, areas.value),
        (Pane::Console, areas.console),
        (Pane::Monitor, areas.monitor),
    ];
    for (focus, press) in [
        (Pane::Keys, '1'),
        (Pane::Value, '2'),
        (Pane::Console, '3'),
        (Pane::Monitor, '4'),
    ] {
        let mut app = three_keys();
        app.update(key(press));
        assert_eq!(app.focus(), focus);
        let buf = draw(&app);
        for (pane, area) in panes {
            let want = if pane == focus {
                t.border_focused
            } else {
                t.border
            };
            let cells = border(&buf, area);
            assert!(cells.len() > 40, "{pane:?}: {} border cells", cells.len());
            for cell in cells {
                assert_eq!(
                    cell.fg,
                    painted(want).0,
                    "{pane:?}'s border with {focus:?} focused"
                );
            }
        }
    }
}

#[test]
fn the_selected_row_is_reversed_and_moves_with_the_cursor() {
    let mut app = three_keys();
    app.update(key('v'));
    let keys = Areas::new(Rect::new(0, 0, 80, 24)).keys;
    let reversed = |app: &App| -> Vec<u16> {
        let buf = draw(app);
        (keys.top() + 2..keys.bottom() - 1)
            .filter(|&y| {
                let row: Vec<_> = (keys.left() + 1..keys.right() - 1)
                    .map(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
                    .collect();
                assert!(
                    row.iter().all(|&r| r) || !row.iter().any(|&r| r),
                    "row {y} is reversed whole or not at all: {row:?}"
                );
                row[0]
            })
            .collect()
    };
    let first = keys.top() + 2;
    assert_eq!(reversed(&app), [first]);
    app.update(key('j'));
    assert_eq!(reversed(&app), [first + 1]);
    app.update(key('G'));
    assert_eq!(reversed(&app), [first + 2]);

    // In the Value pane, the selected field's row.
    let header = Header {
        len: Some(2),
        ..header(b"h", Kind::Hash)
    };
    let rows = Rows::Fields(vec![
        (b"name".to_vec(), b"ann".to_vec()),
        (b"city".to_vec(), b"Oslo".to_vec()),
    ]);
    app.open_for_test(b"h", Some(Kind::Hash), 900);
    let page = Page { rows, next: None };
    app.update(opened_value(900, header, Some(page)));
    app.update(key('2'));
    app.update(key('j'));
    let buf = draw(&app);
    let y = (0..24)
        .find(|&y| {
            let row: String = (0..80).map(|x| buf[(x, y)].symbol()).collect();
            row.contains("Oslo")
        })
        .expect("the city row");
    for cell in cells_of(&buf, y, "Oslo") {
        assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    }
    for cell in cells_of(&buf, y - 1, "ann") {
        assert!(!cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    }
}

#[test]
fn the_status_bar_shows_an_error_in_red_and_news_in_green() {
    let t = Theme::default();
    let area = Rect::new(0, 0, 40, 1);
    let hints = [("?".to_owned(), "help")];
    let draw_status = |notice: &Notice| {
        let mut buf = Buffer::empty(area);
        Status {
            hints: &hints,
            notice: Some(notice),
            theme: &t,
        }
        .render(area, &mut buf);
        buf
    };
    let failed = Notice {
        text: "scan failed: ERR boom".into(),
        error: true,
    };
    let mut want = Buffer::with_lines([" ? help            scan failed: ERR boom"]);
    want.set_style(Rect::new(0, 0, 2, 1), t.hint_key);
    want.set_style(Rect::new(2, 0, 6, 1), t.dim);
    want.set_style(Rect::new(19, 0, 21, 1), t.error);
    assert_eq!(draw_status(&failed), want);
    let news = Notice {
        text: "copied 3 B".into(),
        error: false,
    };
    let mut want = Buffer::with_lines([" ? help                       copied 3 B"]);
    want.set_style(Rect::new(0, 0, 2, 1), t.hint_key);
    want.set_style(Rect::new(2, 0, 6, 1), t.dim);
    want.set_style(Rect::new(30, 0, 10, 1), t.ok);
    assert_eq!(draw_status(&news), want);

    // On the screen: a write refused in read-only mode says so in red.
    let mut app = three_keys();
    app.set_read_only(true);
    app.update(key('d'));
    let notice = app.notice().cloned().expect("a word on d");
    assert!(notice.error, "{notice:?}");
    let buf = draw(&app);
    let shown = &notice.text[..20];
    for cell in cells_of(&buf, 23, shown) {
        assert_eq!(look(cell), painted(t.error), "{cell:?}");
    }
}

#[test]
fn read_only_mode_shows_a_black_on_yellow_badge_in_the_title() {
    let t = Theme::default();
    let area = Rect::new(0, 0, 60, 1);
    let health = Health::Up(Duration::from_millis(3));
    let mut buf = Buffer::empty(area);
    Title {
        host: "db.upstash.io",
        health: &health,
        read_only: true,
        frugal: false,
        profile: None,
        theme: &t,
    }
    .render(area, &mut buf);
    let mut want =
        Buffer::with_lines([" upstash-tui ● db.upstash.io 3 ms   READ-ONLY               "]);
    want.set_style(Rect::new(0, 0, 13, 1), t.title);
    want.set_style(Rect::new(13, 0, 1, 1), t.ok);
    want.set_style(Rect::new(28, 0, 5, 1), t.dim);
    want.set_style(
        Rect::new(35, 0, 11, 1),
        Style::new().fg(Color::Black).bg(Color::Yellow),
    );
    assert_eq!(buf, want);

    // On the screen, and gone when the mode is off.
    let mut app = three_keys();
    let badge = |app: &App| {
        let buf = draw(app);
        (0..80).any(|x| buf[(x, 0)].bg == Color::Yellow)
    };
    assert!(!badge(&app));
    app.set_read_only(true);
    assert!(badge(&app));
    let buf = draw(&app);
    for cell in cells_of(&buf, 0, " READ-ONLY ") {
        assert_eq!((cell.fg, cell.bg), (Color::Black, Color::Yellow));
    }
}
