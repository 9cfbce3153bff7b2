use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::view::View;
use super::*;
use crate::console::history::History;
use crate::tui::theme::Theme;
use crate::upstash::{Error, Reply};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

const NO_KEYS: [&[u8]; 0] = [];

/// A key as the pane gets it: read in the section the pane is in.
fn press_with<'k>(
    s: &mut State,
    k: KeyEvent,
    ctx: Context,
    keys: impl IntoIterator<Item = &'k [u8]>,
) -> Answer {
    let action = crate::tui::keymap::Keymap::defaults().action(s.context(), &k);
    s.key(action, k, ctx, keys)
}

fn press(s: &mut State, k: KeyEvent) -> Answer {
    press_with(s, k, Context::default(), NO_KEYS)
}

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        assert_eq!(press(s, key(KeyCode::Char(c))), Answer::Nothing);
    }
}

fn enter(s: &mut State, line: &str) -> Answer {
    type_text(s, line);
    press(s, key(KeyCode::Enter))
}

fn screen(s: &State, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| {
        let view = View {
            state: s,
            theme: &Theme::default(),
            focused: true,
            keymap: &crate::tui::keymap::Keymap::defaults(),
        };
        f.render_widget(view, f.area());
    })
    .expect("draws");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn enter_sends_and_the_reply_lands_in_the_scrollback() {
    let mut s = State::new(History::in_memory());
    let Answer::Send { entry, cmds } = enter(&mut s, "GET \"a b\"") else {
        panic!("GET is sent");
    };
    assert_eq!(cmds, vec![vec![b"GET".to_vec(), b"a b".to_vec()]]);
    assert_eq!(s.input().as_str(), "");
    s.on_sent(
        entry,
        &cmds,
        Sent {
            rtt: Duration::from_millis(2),
            result: Ok(vec![Reply::Bytes(b"v".to_vec())]),
        },
    );
    let lines: Vec<String> = s
        .scrollback()
        .window(5)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(lines, ["> GET \"a b\"  (2.0 ms)", "\"v\""]);
    let Answer::Send { entry, cmds } = enter(&mut s, "PING") else {
        panic!("PING is sent");
    };
    s.on_sent(
        entry,
        &cmds,
        Sent {
            rtt: Duration::from_millis(1),
            result: Err(Error::Timeout),
        },
    );
    assert_eq!(
        s.scrollback().window(1)[0].text,
        "(error) the request timed out"
    );
}

#[test]
fn refusals_and_parse_errors_are_not_sent() {
    let mut s = State::new(History::in_memory());
    assert_eq!(enter(&mut s, "GET \"open"), Answer::Nothing);
    assert_eq!(enter(&mut s, "BLPOP q 0"), Answer::Nothing);
    assert_eq!(enter(&mut s, "GET"), Answer::Nothing);
    let ro = Context {
        read_only: true,
        dbsize: None,
    };
    type_text(&mut s, "SET a 1");
    assert_eq!(
        press_with(&mut s, key(KeyCode::Enter), ro, NO_KEYS),
        Answer::Nothing
    );
    let text: Vec<String> = s
        .scrollback()
        .window(20)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert!(
        text.iter()
            .any(|l| l == "line 1: Invalid argument(s): unbalanced quotes")
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("not sent: BLPOP is not available over Upstash REST"))
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("not sent: GET takes exactly 1 argument"))
    );
    assert!(
        text.iter()
            .any(|l| l == "not sent: SET writes data and this connection is read-only")
    );
    // Refused lines still go to the history, to be fixed and sent again.
    assert_eq!(s.history().entries().len(), 4);
}

#[test]
fn flushall_waits_for_its_name() {
    let mut s = State::new(History::in_memory());
    assert_eq!(enter(&mut s, "FLUSHALL"), Answer::Nothing);
    assert!(matches!(s.prompt(), Prompt::Confirm { .. }));
    let shown = screen(&s, 80, 12);
    assert!(shown.contains("Confirm FLUSHALL"), "{shown}");
    assert!(shown.contains("Type FLUSHALL and press Enter"), "{shown}");
    assert_eq!(enter(&mut s, "y"), Answer::Nothing, "y is not enough");
    assert!(matches!(s.prompt(), Prompt::Editing));
    enter(&mut s, "FLUSHALL");
    let Answer::Send { cmds, .. } = enter(&mut s, "flushall") else {
        panic!("confirmed");
    };
    assert_eq!(cmds, vec![vec![b"FLUSHALL".to_vec()]]);
    enter(&mut s, "CONFIG SET maxmemory 1mb");
    press(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.prompt(), Prompt::Editing));
    let last = s.scrollback().window(1);
    assert_eq!(last[0].text, "not sent: cancelled");
}

#[test]
fn history_up_down_and_reverse_search() {
    let mut s = State::new(History::in_memory());
    for l in ["HGETALL user:1", "GET a", "PING"] {
        enter(&mut s, l);
    }
    type_text(&mut s, "dra");
    press(&mut s, key(KeyCode::Up));
    assert_eq!(s.input().as_str(), "PING");
    press(&mut s, key(KeyCode::Up));
    assert_eq!(s.input().as_str(), "GET a");
    press(&mut s, key(KeyCode::Down));
    press(&mut s, key(KeyCode::Down));
    assert_eq!(s.input().as_str(), "dra");
    press(&mut s, ctrl('r'));
    type_text(&mut s, "user");
    let shown = screen(&s, 60, 6);
    assert!(
        shown.contains("(reverse-i-search)`user': HGETALL user:1"),
        "{shown}"
    );
    press(&mut s, key(KeyCode::Enter));
    assert_eq!(s.input().as_str(), "HGETALL user:1");
    press(&mut s, ctrl('r'));
    type_text(&mut s, "zzz");
    assert!(screen(&s, 60, 6).contains("failing reverse-i-search"));
    press(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.prompt(), Prompt::Editing));
}

#[test]
fn tab_completes_and_cycles_with_loaded_keys() {
    let mut s = State::new(History::in_memory());
    type_text(&mut s, "hge");
    press(&mut s, key(KeyCode::Tab));
    assert_eq!(s.input().as_str(), "hget");
    press(&mut s, key(KeyCode::Tab));
    assert_eq!(s.input().as_str(), "hgetall");
    type_text(&mut s, " us");
    let keys: [&[u8]; 3] = [b"user:1", b"user:2", b"order"];
    press_with(&mut s, key(KeyCode::Tab), Context::default(), keys);
    assert_eq!(s.input().as_str(), "hgetall user:1");
    press_with(&mut s, key(KeyCode::Tab), Context::default(), keys);
    assert_eq!(s.input().as_str(), "hgetall user:2");
    assert_eq!(s.input().cursor(), "hgetall user:2".len());
}

#[test]
fn line_editing_keys() {
    let mut s = State::new(History::in_memory());
    type_text(&mut s, "SET key value");
    press(&mut s, alt('b'));
    press(&mut s, ctrl('k'));
    assert_eq!(s.input().as_str(), "SET key ");
    press(&mut s, ctrl('a'));
    assert_eq!(s.input().cursor(), 0);
    press(&mut s, alt('f'));
    assert!(s.input().cursor() > 0);
    press(&mut s, key(KeyCode::End));
    press(&mut s, ctrl('w'));
    assert_eq!(s.input().as_str(), "SET ");
    press(&mut s, ctrl('u'));
    assert_eq!(s.input().as_str(), "");
    assert_eq!(press(&mut s, key(KeyCode::Esc)), Answer::Leave);
}

#[test]
fn the_hint_follows_the_typed_arguments() {
    let mut s = State::new(History::in_memory());
    type_text(&mut s, "SET k");
    assert_eq!(
        s.hint().as_deref().map(|h| h.starts_with(" value [NX|XX]")),
        Some(true)
    );
    let shown = screen(&s, 60, 5);
    assert!(shown.contains("> SET k value [NX|XX]"), "{shown}");
    press(&mut s, key(KeyCode::Home));
    assert_eq!(
        s.hint(),
        None,
        "no hint while the cursor is inside the text"
    );
}

#[test]
fn a_paste_of_several_lines_is_one_pipeline() {
    let mut s = State::new(History::in_memory());
    let out = s.paste("SET a 1\r\nINCR a\n", Context::default());
    let Answer::Send { cmds, .. } = out else {
        panic!("sent");
    };
    assert_eq!(cmds.len(), 2);
    assert_eq!(s.paste("GET a", Context::default()), Answer::Nothing);
    assert_eq!(s.input().as_str(), "GET a");
}

#[test]
fn output_mode_toggles_and_the_title_says_so() {
    let mut s = State::new(History::in_memory());
    assert!(screen(&s, 60, 5).contains("[redis-cli]"));
    assert_eq!(
        press(&mut s, ctrl('o')),
        Answer::Say("console output: raw".into(), false)
    );
    assert!(screen(&s, 60, 5).contains("[raw]"));
    press(&mut s, ctrl('o'));
    assert!(screen(&s, 60, 5).contains("[JSON]"));
}

#[test]
fn a_huge_reply_scrolls_without_formatting_it_all() {
    let mut s = State::new(History::in_memory());
    s.set_height(4);
    let Answer::Send { entry, cmds } = enter(&mut s, "LRANGE big 0 -1") else {
        panic!("sent");
    };
    let big = Reply::Array(
        (0..100_000)
            .map(|i| Reply::Bytes(format!("item\u{1b}{i}").into_bytes()))
            .collect(),
    );
    s.on_sent(
        entry,
        &cmds,
        Sent {
            rtt: Duration::from_millis(40),
            result: Ok(vec![big]),
        },
    );
    let shown = screen(&s, 50, 7);
    assert!(shown.contains("100000) \"item\\x1b99999\""), "{shown}");
    press(&mut s, key(KeyCode::PageUp));
    let shown = screen(&s, 50, 7);
    assert!(shown.contains("[scrolled"), "{shown}");
    assert!(shown.contains(" 99997)"), "{shown}");
    press(&mut s, KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL));
    assert!(s.scrollback().is_following());
}

#[test]
fn long_lines_wrap_instead_of_being_cut() {
    let mut s = State::new(History::in_memory());
    s.set_width(view::scrollback_width(ratatui::layout::Rect::new(
        0, 0, 40, 14,
    )));
    enter(&mut s, "HELP SET");
    let Answer::Send { entry, cmds } = enter(&mut s, "GET long") else {
        panic!("sent");
    };
    let long = format!("start-{}-end", "ab".repeat(60));
    s.on_sent(
        entry,
        &cmds,
        Sent {
            rtt: Duration::from_millis(1),
            result: Ok(vec![Reply::Bytes(long.clone().into_bytes())]),
        },
    );
    let shown = screen(&s, 40, 14);
    assert!(!shown.contains('…'), "{shown}");
    let rows: Vec<String> = s
        .scrollback()
        .window(30)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert!(rows.iter().all(|r| r.chars().count() <= 38), "{rows:?}");
    let all = rows.concat();
    assert!(all.contains("KEEPTTL]"), "HELP SET in full: {rows:?}");
    assert!(
        all.contains(&format!("\"{long}\"")),
        "the reply in full: {rows:?}"
    );
}

#[test]
fn a_paste_is_one_insert_wherever_the_cursor_is() {
    let mut s = State::new(History::in_memory());
    type_text(&mut s, "SET k ");
    press(&mut s, key(KeyCode::Left));
    assert_eq!(s.paste("va\tlue", Context::default()), Answer::Nothing);
    assert_eq!(s.input().as_str(), "SET kva\tlue ");
    // Ctrl-U cuts, Ctrl-Y brings it back: the same keys as every input.
    press(&mut s, ctrl('u'));
    assert_eq!(s.input().as_str(), " ");
    press(&mut s, ctrl('y'));
    assert_eq!(s.input().as_str(), "SET kva\tlue ");
}
