//! Key bindings and themes: overrides change the bindings, the hints and the
//! help together; bad names are clear errors.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use upstash_tui::scan::Budget;
use upstash_tui::tui::app::App;
use upstash_tui::tui::keymap::Keymap;
use upstash_tui::tui::msg::{Effect, Msg};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn overrides_change_bindings_hints_and_help_together() {
    use upstash_tui::tui::keymap::Context;
    let over: toml::Table = "[keys]\nrescan = [\"x\"]\n[global]\nquit = [\"ctrl-q\"]"
        .parse()
        .expect("toml");
    let km = Keymap::new(&over).expect("a good override");
    let hints = km.hints(Context::Keys);
    assert!(hints.contains(&("x".to_owned(), "rescan")), "{hints:?}");
    assert!(hints.contains(&("C-q".to_owned(), "quit")), "{hints:?}");
    let help = km.help();
    let keys_section = &help
        .iter()
        .find(|(c, _)| *c == Context::Keys)
        .expect("Keys section")
        .1;
    assert!(keys_section.contains(&("x".to_owned(), "rescan")));
    let mut app = App::new("h", km, b":", Budget::default());
    assert!(app.update(key('q')).is_empty(), "q is no longer quit");
    let ctrl_q = Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL));
    assert_eq!(app.update(ctrl_q), vec![Effect::Quit]);
    let bad: toml::Table = "[keys]\nrescan = [\"ctrl-\"]".parse().expect("toml");
    let err = format!("{:#}", Keymap::new(&bad).expect_err("bad key"));
    assert!(
        err.starts_with("[keymap.keys] rescan: unknown key"),
        "{err}"
    );
}

#[test]
fn themes_by_name_and_a_clear_error_for_others() {
    use upstash_tui::tui::theme::Theme;
    assert_eq!(Theme::named("dark").expect("dark"), Theme::default());
    assert!(Theme::named("mono").expect("mono").mono);
    assert_ne!(Theme::named("light").expect("light"), Theme::default());
    let err = Theme::named("neon").expect_err("unknown").to_string();
    assert_eq!(err, "unknown theme \"neon\" (expected dark, light or mono)");
}
