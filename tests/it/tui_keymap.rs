//! Key bindings and themes: overrides change the bindings, the hints and the
//! help together; bad names are clear errors.

use crate::common::tui::{ctrl, key};
use upstash_tui::scan::Budget;
use upstash_tui::tui::app::App;
use upstash_tui::tui::keymap::Keymap;
use upstash_tui::tui::msg::Effect;

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
        .find(|(t, _)| *t == "Keys")
        .expect("Keys section")
        .1;
    assert!(keys_section.contains(&("x".to_owned(), "rescan")));
    let mut app = App::new("h", km, b":", Budget::default());
    assert!(app.update(key('q')).is_empty(), "q is no longer quit");
    let ctrl_q = ctrl('q');
    assert_eq!(app.update(ctrl_q), vec![Effect::Quit]);
    let bad: toml::Table = "[keys]\nrescan = [\"ctrl-\"]".parse().expect("toml");
    let err = format!("{:#}", Keymap::new(&bad).expect_err("bad key"));
    assert!(
        err.starts_with("keymap override: keys.rescan: unknown key"),
        "{err}"
    );
}

#[test]
fn themes_by_name_and_a_clear_error_for_others() {
    use upstash_tui::config::ThemeName;
    use upstash_tui::tui::theme::Theme;
    let named = |name| Theme::of(ThemeName::parse(name).expect(name));
    assert_eq!(named("dark"), Theme::default());
    assert!(named("mono").mono);
    assert_ne!(named("light"), Theme::default());
    let err = ThemeName::parse("neon").expect_err("unknown").to_string();
    assert_eq!(
        err,
        "config file: theme \"neon\" is not dark, light or mono"
    );
}

/// A terminal sends a capital with Shift (`G` is `Char('G')` with `SHIFT`):
/// the key is the one its name in the keymap (`G`, or `shift-g`) binds.
#[test]
fn capitals_as_the_terminal_sends_them_match_their_bindings() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use upstash_tui::tui::keymap::Chord;
    for c in 'A'..='Z' {
        let sent = Chord::from_event(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT));
        assert_eq!(Chord::parse(&c.to_string()).expect("a capital"), sent);
        let named = format!("shift-{}", c.to_ascii_lowercase());
        assert_eq!(Chord::parse(&named).expect("shift-"), sent, "{named}");
    }
}
