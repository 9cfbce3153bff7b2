//! The whole screen in each mode the other snapshots leave out, as insta
//! snapshots: the create-key dialog, the Value pane's edit form and search,
//! the frugal profile's question, and a 60x15 terminal.

use crossterm::event::KeyCode;
use upstash_tui::tui::app::{App, Mode};
use upstash_tui::value::page::Rows;
use upstash_tui::value::{Header, Kind, Page};

use crate::common::tui::{
    app_with_keys, code, header, key, opened_value, paused_app, render_quoted,
};

/// A `width` x `height` app listing a few keys, with the hash `user:1` open
/// in the Value pane and focused.
fn hash_open(width: u16, height: u16) -> App {
    let keys: [(&[u8], &str); 4] = [
        (b"user:1", "hash"),
        (b"user:2", "hash"),
        (b"celery", "list"),
        (b"session:9f2c", "string"),
    ];
    let (mut app, _) = app_with_keys(width, height, &keys);
    let header = Header {
        ttl_ms: Some(3_600_000),
        len: Some(3),
        encoding: Some("listpack".into()),
        memory: Some(96),
        ..header(b"user:1", Kind::Hash)
    };
    let rows = Rows::Fields(vec![
        (b"name".to_vec(), b"Ann \xe2\x80\x94 \x00raw".to_vec()),
        (b"city".to_vec(), b"Oslo".to_vec()),
        (b"visits".to_vec(), b"42".to_vec()),
    ]);
    app.open_for_test(b"user:1", Some(Kind::Hash), 900);
    app.update(opened_value(900, header, Some(Page { rows, next: None })));
    app.update(key('2'));
    app
}

#[test]
fn create_key_dialog_80x24() {
    let keys: [(&[u8], &str); 2] = [(b"user:1", "hash"), (b"jobs", "list")];
    let (mut app, _) = app_with_keys(80, 24, &keys);
    app.update(key('n'));
    assert!(matches!(app.mode(), Mode::Create(_)), "{:?}", app.mode());
    insta::assert_snapshot!(render_quoted(&app));
}

#[test]
fn value_edit_form_100x30() {
    let mut app = hash_open(100, 30);
    app.update(key('j'));
    app.update(key('e'));
    assert!(matches!(app.mode(), Mode::Edit(_)), "{:?}", app.mode());
    insta::assert_snapshot!(render_quoted(&app));
}

#[test]
fn value_search_100x30() {
    let mut app = hash_open(100, 30);
    app.update(key('/'));
    for c in "os".chars() {
        app.update(key(c));
    }
    assert!(matches!(app.mode(), Mode::Search(_)), "{:?}", app.mode());
    insta::assert_snapshot!(render_quoted(&app));
}

#[test]
fn frugal_question_before_a_full_scan_80x24() {
    let mut app = paused_app(1_000_000, true);
    app.update(key('L'));
    assert!(matches!(app.mode(), Mode::Ask(_)), "{:?}", app.mode());
    insta::assert_snapshot!(render_quoted(&app));
}

#[test]
fn small_terminal_60x15() {
    let mut app = hash_open(60, 15);
    app.update(code(KeyCode::Down));
    insta::assert_snapshot!(render_quoted(&app));
}
