//! The TUI without a terminal: keys as a terminal sends them, the Keys
//! pane's first scan answered by hand, and screens as `ui::draw` paints them.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use upstash_tui::config::Cost;
use upstash_tui::scan::{Budget, Request};
use upstash_tui::tui::app::App;
use upstash_tui::tui::keymap::Keymap;
use upstash_tui::tui::msg::{Effect, Msg, ReqId};
use upstash_tui::tui::ui;
use upstash_tui::upstash::{Error, Reply};
use upstash_tui::value::session::Done;
use upstash_tui::value::{Header, Kind, Opened, Page};

/// A character key as a terminal sends it: crossterm reports a capital with
/// Shift (`G` is `Char('G')` with `SHIFT`), every other character bare.
pub fn key(c: char) -> Msg {
    Msg::Key(char_event(c))
}

/// The key event of a character as a terminal sends it (see [`key`]).
pub fn char_event(c: char) -> KeyEvent {
    let mods = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), mods)
}

/// The key event a keymap name stands for (capitals with Shift, as a
/// terminal sends them).
pub fn named(name: &str) -> KeyEvent {
    let mut mods = KeyModifiers::NONE;
    let mut rest = name;
    if let Some(r) = rest.strip_prefix("ctrl-") {
        mods |= KeyModifiers::CONTROL;
        rest = r;
    }
    if let Some(r) = rest.strip_prefix("alt-") {
        mods |= KeyModifiers::ALT;
        rest = r;
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        s if s.chars().count() == 1 => {
            let c = s.chars().next().expect("one character");
            let ev = char_event(c);
            return KeyEvent::new(ev.code, ev.modifiers | mods);
        }
        other => panic!("no key named {other:?}"),
    };
    KeyEvent::new(code, mods)
}

/// Any other key as a terminal sends it: Enter, Esc, the arrows... bare,
/// and Shift-Tab as `BackTab` with Shift.
pub fn code(code: KeyCode) -> Msg {
    let mods = if code == KeyCode::BackTab {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(code, mods))
}

/// Ctrl and a letter, as a terminal sends it (the letter in lower case).
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Alt and a key.
pub fn alt(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::ALT))
}

/// Types `text` one key at a time; the effects of the keys are dropped.
pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

/// A `SCAN` reply with types: the next cursor and `(key, type)` pairs.
pub fn scan_page(cursor: &str, keys: &[(&[u8], &str)]) -> Result<Vec<Reply>, Error> {
    let items = keys
        .iter()
        .flat_map(|(k, t)| {
            [
                Reply::Bytes(k.to_vec()),
                Reply::Bytes(t.as_bytes().to_vec()),
            ]
        })
        .collect();
    Ok(vec![Reply::Array(vec![
        Reply::Bytes(cursor.as_bytes().to_vec()),
        Reply::Array(items),
    ])])
}

/// The Keys pane's scan among `effects`.
pub fn scan_of(effects: &[Effect]) -> Option<(ReqId, Request)> {
    effects.iter().find_map(|e| match e {
        Effect::Scan { req, request } => Some((*req, request.clone())),
        _ => None,
    })
}

/// An app of `width` x `height`, started, whose first scan listed `keys`
/// (name, type) and ended; the effects the start returned.
pub fn app_with_keys(width: u16, height: u16, keys: &[(&[u8], &str)]) -> (App, Vec<Effect>) {
    let mut app = App::for_test();
    app.update(Msg::Resize(width, height));
    let start = app.start();
    let (req, request) = scan_of(&start).expect("a first scan");
    app.update(Msg::Scanned {
        req,
        request,
        result: scan_page("0", keys),
        elapsed: Duration::ZERO,
    });
    (app, start)
}

/// An 80x24 app whose scan paused after its first page (one key, a budget
/// of one request) on a database of `dbsize` keys; frugal, it asks before
/// anything over 10 commands.
pub fn paused_app(dbsize: i64, frugal: bool) -> App {
    let keymap = Keymap::new(&toml::Table::new()).expect("keymap");
    let budget = Budget {
        keys: 100,
        requests: 1,
    };
    let mut app = App::new("test.upstash.io", keymap, b":", budget);
    app.set_cost(Cost {
        frugal,
        confirm_above: 10,
    });
    app.update(Msg::Resize(80, 24));
    let effects = app.start();
    let count = effects.iter().find_map(|e| match e {
        Effect::Count { req } => Some(*req),
        _ => None,
    });
    app.update(Msg::Counted {
        req: count.expect("DBSIZE"),
        result: Ok(dbsize),
    });
    let (req, request) = scan_of(&effects).expect("a first scan");
    let effects = app.update(Msg::Scanned {
        req,
        request,
        result: scan_page("17", &[(b"a", "string")]),
        elapsed: Duration::from_millis(1),
    });
    assert!(scan_of(&effects).is_none(), "paused");
    app
}

/// A header for `key` of `kind` with nothing else known: no expiry,
/// length, encoding, memory or consumer groups.
pub fn header(key: &[u8], kind: Kind) -> Header {
    Header {
        key: key.to_vec(),
        kind,
        ttl_ms: None,
        len: None,
        encoding: None,
        memory: None,
        groups: Vec::new(),
    }
}

/// The answer to opening a key (request `id`): its header and first page,
/// in one request.
pub fn opened_value(id: u64, header: Header, page: Option<Page>) -> Msg {
    Msg::ValueLoaded {
        done: Done::Opened {
            id,
            result: Ok(Box::new(Opened {
                header,
                req: None,
                page,
                requests: 1,
            })),
        },
        at: Instant::now(),
    }
}

/// The whole screen as the real `ui::draw` paints it, styles included.
pub fn draw(app: &App) -> Buffer {
    terminal(app).backend().buffer().clone()
}

/// The screen's text, each row ending in a newline.
pub fn render(app: &App) -> String {
    text(&draw(app))
}

/// The screen as `TestBackend` prints it, each row quoted so that trailing
/// spaces show: the whole-screen snapshots are in this form.
pub fn render_quoted(app: &App) -> String {
    terminal(app).backend().to_string()
}

/// The text of `buf`, each row ending in a newline.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// A terminal of the app's size with the app drawn on it.
fn terminal(app: &App) -> Terminal<TestBackend> {
    let (w, h) = (app.size().width, app.size().height);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| ui::draw(app, f)).expect("draw");
    term
}
