//! Key bindings and themes: overrides change the bindings, the hints and the
//! help together; bad names are clear errors.

use crate::common::tui::{code, ctrl, key, render, typed};
use crossterm::event::KeyCode;
use upstash_tui::scan::Budget;
use upstash_tui::tui::app::App;
use upstash_tui::tui::keymap::Keymap;
use upstash_tui::tui::msg::{Effect, Msg};

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
    let ctrl_q = ctrl('q');
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

/// The key bindings the settings resolve from a config file holding `text`.
fn keymap_from_config(text: &str) -> Keymap {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).expect("config written");
    let env = upstash_tui::config::Environment {
        vars: [
            ("UPSTASH_REDIS_REST_URL", "https://example.upstash.io"),
            ("UPSTASH_REDIS_REST_TOKEN", "t"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        cwd: dir.path().to_owned(),
        default_config: Some(path),
    };
    let args = upstash_tui::config::Overrides::default();
    upstash_tui::config::resolve(&args, &env)
        .expect("settings")
        .keymap
}

fn sends(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::ConsoleSend { .. }))
}

#[test]
fn a_console_key_rebound_in_the_config_file_sends_and_the_old_one_no_longer_does() {
    let km = keymap_from_config("[keymap.console]\nsend = [\"ctrl-s\"]\n");
    let mut app = App::new("h", km, b":", Budget::default());
    app.update(key('3'));
    typed(&mut app, "PING");
    assert!(!sends(&app.update(code(KeyCode::Enter))));
    assert_eq!(app.console().input().as_str(), "PING", "Enter did nothing");
    let bar = render(&app);
    let status = bar.lines().last().expect("a status bar");
    assert!(status.contains("C-s send"), "{status}");
    assert!(!status.contains("Enter send"), "{status}");
    assert!(sends(&app.update(ctrl('s'))));
    assert_eq!(app.console().input().as_str(), "");

    // Ctrl-J, which otherwise stands for Enter (a line feed from a paste),
    // sends when bound; Enter no longer does.
    let km = keymap_from_config("[keymap.console]\nsend = [\"ctrl-j\"]\n");
    let mut app = App::new("h", km, b":", Budget::default());
    app.update(key('3'));
    typed(&mut app, "PING");
    assert!(!sends(&app.update(code(KeyCode::Enter))));
    assert!(sends(&app.update(ctrl('j'))));
    app.update(key('?'));
    assert_eq!(
        app.console().input().as_str(),
        "?",
        "? types in the Console"
    );
}

#[test]
fn the_palette_filters_as_typed_shows_rebound_keys_and_runs_the_chosen_action() {
    let km = keymap_from_config("[keymap.keys]\nrescan = [\"x\"]\n");
    let mut app = App::new("h", km, b":", Budget::default());
    app.update(Msg::Resize(80, 24));
    assert!(app.update(ctrl('p')).is_empty());
    let all = render(&app);
    assert!(all.contains("Commands (Enter runs, Esc closes)"), "{all}");
    assert!(all.contains("Quit"), "{all}");
    typed(&mut app, "rescan");
    let filtered = render(&app);
    let row = filtered
        .lines()
        .find(|l| l.contains("Keys: rescan"))
        .unwrap_or_else(|| panic!("{filtered}"));
    let keys = row
        .split("Keys: rescan")
        .nth(1)
        .and_then(|rest| rest.split('│').next())
        .map(str::trim);
    assert_eq!(keys, Some("x"), "{row}");
    assert!(!filtered.contains("Quit"), "{filtered}");
    let effects = app.update(code(KeyCode::Enter));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Scan { .. })),
        "{effects:?}"
    );
    assert!(!render(&app).contains("Commands ("), "the palette closed");

    // Esc closes it without running anything; from the Console too.
    app.update(key('3'));
    app.update(ctrl('p'));
    typed(&mut app, "q");
    assert!(app.update(code(KeyCode::Esc)).is_empty());
    assert!(!app.quitting());
    assert_eq!(
        app.console().input().as_str(),
        "",
        "nothing typed in the Console"
    );
}

#[test]
fn help_lists_every_layer_with_the_rebound_keys() {
    let km = keymap_from_config(
        "[keymap.console]\nsend = [\"ctrl-s\"]\n[keymap.dialog]\nconfirm = [\"o\"]\n",
    );
    let help = km.help();
    let section = |ctx: upstash_tui::tui::keymap::Context| {
        help.iter()
            .find(|(c, _)| *c == ctx)
            .map(|(_, rows)| rows.clone())
            .unwrap_or_default()
    };
    use upstash_tui::tui::keymap::Context;
    assert!(section(Context::Console).contains(&("C-s".to_owned(), "send")));
    assert!(section(Context::Dialog).contains(&("o".to_owned(), "yes")));
    assert!(section(Context::Filter).contains(&("Enter".to_owned(), "apply")));
    assert!(!section(Context::Palette).is_empty());
}

/// The question before the Monitor's scan for queues, on a database of `n` keys.
fn asking(app: &mut App, n: i64) {
    app.update(key('4'));
    let effects = app.update(key('s'));
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::Count { req } => Some(*req),
            _ => None,
        })
        .expect("DBSIZE first");
    app.update(Msg::Counted { req, result: Ok(n) });
    assert!(app.monitor().sweep.asking());
}

fn sweeps(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Sweep { .. }))
}

#[test]
fn dialog_keys_rebound_in_the_config_file_answer_and_the_old_ones_no_longer_do() {
    let km = keymap_from_config(
        "[keymap.dialog]\nconfirm = [\"o\"]\ncancel = [\"x\"]\n[keymap.form]\nsubmit = [\"ctrl-s\"]\n",
    );
    let mut app = App::new("h", km, b":", Budget::default());
    asking(&mut app, 1000);
    let notice = app.notice().cloned().expect("the question").text;
    assert!(notice.ends_with("commands? o/x"), "{notice}");
    assert!(!sweeps(&app.update(key('y'))));
    assert!(app.monitor().sweep.asking(), "y is no longer yes");
    assert!(!sweeps(&app.update(code(KeyCode::Enter))));
    assert!(app.monitor().sweep.asking(), "nor Enter");
    assert!(sweeps(&app.update(key('o'))), "o is");

    let km = keymap_from_config("[keymap.dialog]\ncancel = [\"x\"]\n");
    let mut app = App::new("h", km, b":", Budget::default());
    asking(&mut app, 1000);
    app.update(key('n'));
    assert!(app.monitor().sweep.asking(), "n is no longer no");
    app.update(key('x'));
    assert!(!app.monitor().sweep.asking(), "x is");

    // A form: the new-key dialog submits on the rebound key, not on Enter,
    // and its hints say so.
    let km = keymap_from_config("[keymap.form]\nsubmit = [\"ctrl-s\"]\n");
    let mut app = App::new("h", km, b":", Budget::default());
    app.update(key('n'));
    typed(&mut app, "fresh");
    let form = render(&app);
    assert!(form.contains("C-s ok · Tab/↓ next field"), "{form}");
    let enter = app.update(code(KeyCode::Enter));
    assert!(
        !enter.iter().any(|e| matches!(e, Effect::Job { .. })),
        "{enter:?}"
    );
    let submitted = app.update(ctrl('s'));
    assert!(
        submitted.iter().any(|e| matches!(e, Effect::Job { .. })),
        "{submitted:?}"
    );
}
