//! The Value pane drawn into ratatui's `TestBackend`: every type, binary
//! and control bytes escaped, hex exact, JSON, kombu, gzip and the detail.

use std::io::Write as _;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use upstash_tui::tui::app::App;
use upstash_tui::tui::msg::Msg;
use upstash_tui::tui::ui;
use upstash_tui::value::page::Rows;
use upstash_tui::value::session::Done;
use upstash_tui::value::stream::{Entry, Group};
use upstash_tui::value::{Header, Kind, Opened, Page};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn v(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// A 120x30 app with `key` open as `kind` holding `rows` of `len` in total.
fn shown(key: &[u8], kind: Kind, len: u64, rows: Rows, groups: Vec<Group>) -> App {
    let mut app = App::for_test();
    app.update(Msg::Resize(120, 30));
    app.open_for_test(key, Some(kind.clone()), 900);
    app.update(Msg::ValueLoaded {
        done: Done::Opened {
            id: 900,
            result: Ok(Box::new(Opened {
                header: Header {
                    key: key.to_vec(),
                    kind,
                    ttl_ms: Some(90_000),
                    len: Some(len),
                    encoding: Some("listpack".into()),
                    memory: Some(2048),
                    groups,
                },
                req: None,
                page: Some(Page { rows, next: None }),
                requests: 1,
            })),
        },
        at: Instant::now(),
    });
    app.update(key_msg('2'));
    app
}

fn key_msg(c: char) -> Msg {
    key(c)
}

fn render(app: &App) -> String {
    let size = app.size();
    let mut term = Terminal::new(TestBackend::new(size.width, size.height)).expect("terminal");
    term.draw(|f| ui::draw(app, f)).expect("draw");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn hash_table_with_escaped_bytes_and_totals() {
    let rows = Rows::Fields(vec![
        (v("name"), v("ann")),
        (b"bin\xff\x00".to_vec(), v("line\nbreak\tand\x07bell")),
    ]);
    let app = shown(b"user:\xfe1", Kind::Hash, 1_250_000, rows, vec![]);
    let screen = render(&app);
    assert!(screen.contains("HASH user:\\xfe1"), "{screen}");
    assert!(
        screen.contains("ttl 1m30s · len 1 250 000 · listpack · 2 KiB"),
        "{screen}"
    );
    assert!(screen.contains("rows 1-2 of 1 250 000"), "{screen}");
    assert!(
        screen.contains("bin\\xff\\x00 │ line\\nbreak\\tand\\x07bell"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn list_zset_set_and_stream_rows() {
    let list = shown(
        b"q",
        Kind::List,
        3,
        Rows::Items {
            start: 0,
            items: vec![v("a"), v("b"), v("c")],
        },
        vec![],
    );
    let screen = render(&list);
    assert!(
        screen.contains("0 │ a") && screen.contains("2 │ c"),
        "{screen}"
    );

    let zset = Rows::Scored {
        start: Some(0),
        rows: vec![(v("bob"), v("-3")), (v("ann"), v("1.5"))],
    };
    let screen = render(&shown(b"z", Kind::ZSet, 2, zset, vec![]));
    assert!(
        screen.contains("-3  │ bob") && screen.contains("1.5 │ ann"),
        "{screen}"
    );

    let set = Rows::Members(vec![b"\xc3\x28".to_vec()]);
    let screen = render(&shown(b"s", Kind::Set, 1, set, vec![]));
    assert!(screen.contains("\\xc3("), "{screen}");

    let entries = Rows::Entries(vec![Entry {
        id: v("1-1"),
        fields: vec![(v("n"), v("5"))],
    }]);
    let group = Group {
        name: v("workers"),
        consumers: 1,
        pending: 7,
        last_delivered: v("1-1"),
        lag: Some(0),
    };
    let screen = render(&shown(b"ev", Kind::Stream, 1, entries, vec![group]));
    assert!(screen.contains("1-1 │ n=5"), "{screen}");
    assert!(screen.contains("1 group, 7 pending"), "{screen}");
    assert!(
        screen.contains("group workers · 1 consumer · 7 pending · lag 0 · last 1-1"),
        "{screen}"
    );
}

#[test]
fn strings_cycle_through_json_text_and_hex() {
    let json = v(r#"{"user":"ann","n":[1,2]}"#);
    let mut app = shown(
        b"doc",
        Kind::String,
        json.len() as u64,
        Rows::Chunk {
            offset: 0,
            bytes: json,
        },
        vec![],
    );
    app.update(Msg::Resize(200, 40));
    let screen = render(&app);
    assert!(screen.contains("\"user\": \"ann\","), "{screen}");
    assert!(screen.contains("format auto"), "{screen}");
    app.update(key('f'));
    assert!(render(&app).contains(r#"{"user":"ann","n":[1,2]}"#));
    app.update(key('f'));
    app.update(key('f'));
    let screen = render(&app);
    assert!(
        screen.contains(
            "00000000  7b 22 75 73 65 72 22 3a  22 61 6e 6e 22 2c 22 6e  |{\"user\":\"ann\",\"n|"
        ),
        "{screen}"
    );
}

#[test]
fn all_256_bytes_show_as_an_exact_hex_dump() {
    let bytes: Vec<u8> = (0..=255u8).collect();
    let narrow = shown(
        b"bin",
        Kind::String,
        256,
        Rows::Chunk {
            offset: 0,
            bytes: bytes.clone(),
        },
        vec![],
    );
    let screen = render(&narrow);
    assert!(
        screen.contains("00000008  08 09 0a 0b  0c 0d 0e 0f  |........|"),
        "{screen}"
    );
    let mut app = shown(
        b"bin",
        Kind::String,
        256,
        Rows::Chunk { offset: 0, bytes },
        vec![],
    );
    app.update(Msg::Resize(200, 40));
    let screen = render(&app);
    assert!(
        screen.contains(
            "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"
        ),
        "{screen}"
    );
    assert!(
        screen.contains(
            "00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|"
        ),
        "{screen}"
    );
}

#[test]
fn a_partial_big_string_says_how_much_is_shown() {
    let app = shown(
        b"big",
        Kind::String,
        12_897_485,
        Rows::Chunk {
            offset: 0,
            bytes: vec![b'x'; 65_536],
        },
        vec![],
    );
    assert!(render(&app).contains("showing 64 KiB of 12.3 MiB"));
}

#[test]
fn gzip_and_kombu_are_decoded() {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b"<html>cached page</html>").expect("gzip");
    let gz = e.finish().expect("gzip");
    let screen = render(&shown(
        b"gz",
        Kind::String,
        gz.len() as u64,
        Rows::Chunk {
            offset: 0,
            bytes: gz,
        },
        vec![],
    ));
    assert!(
        screen.contains("gzip value, shown decompressed"),
        "{screen}"
    );
    assert!(screen.contains("<html>cached page</html>"), "{screen}");

    let kombu = v(
        r#"["{\"body\": \"W1s0LCA0XSwge30sIHt9XQ==\", \"content-type\": \"application/json\", \"headers\": {\"task\": \"tasks.add\", \"id\": \"a1\", \"retries\": 1, \"eta\": null}, \"properties\": {\"body_encoding\": \"base64\"}}"]"#,
    );
    let items: Vec<Vec<u8>> = serde_json::from_slice::<Vec<String>>(&kombu)
        .expect("json")
        .into_iter()
        .map(String::into_bytes)
        .collect();
    let mut app = shown(
        b"celery",
        Kind::List,
        1,
        Rows::Items { start: 0, items },
        vec![],
    );
    let screen = render(&app);
    assert!(
        screen.contains("0 │ tasks.add args=[4,4] kwargs={}"),
        "{screen}"
    );
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let screen = render(&app);
    assert!(screen.contains("row 1 · auto"), "{screen}");
    assert!(screen.contains("task     tasks.add"), "{screen}");
    assert!(screen.contains("args     [4,4]"), "{screen}");
    assert!(screen.contains("retries  1"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn rejson_without_the_module_says_so() {
    let rows =
        Rows::Unavailable("this server has no RedisJSON module (JSON.GET is not available)".into());
    let screen = render(&shown(b"doc", Kind::Json, 0, rows, vec![]));
    assert!(screen.contains("no RedisJSON module"), "{screen}");
}

#[test]
fn a_key_that_is_gone_says_so_and_offers_a_watch() {
    let mut app = App::for_test();
    app.update(Msg::Resize(120, 30));
    app.open_for_test(b"celery", Some(Kind::List), 900);
    // TYPE says none: an emptied queue, Redis removed it.
    app.update(Msg::ValueLoaded {
        done: Done::Opened {
            id: 900,
            result: Ok(Box::new(Opened {
                header: Header {
                    key: v("celery"),
                    kind: Kind::Missing,
                    ttl_ms: None,
                    len: None,
                    encoding: None,
                    memory: None,
                    groups: vec![],
                },
                req: None,
                page: None,
                requests: 1,
            })),
        },
        at: Instant::now(),
    });
    app.update(key_msg('2'));
    let screen = render(&app);
    assert!(!screen.contains("loading…"), "{screen}");
    assert!(screen.contains("This key no longer exists."), "{screen}");
    assert!(screen.contains("Redis deletes empty"), "{screen}");
    assert!(screen.contains("w watches it in the Monitor"), "{screen}");
    app.update(key('w'));
    assert!(
        app.notice()
            .is_some_and(|n| n.text == "watching celery in the Monitor"),
        "{:?}",
        app.notice()
    );
    assert!(render(&app).contains("celery"));
}

#[test]
fn f_shows_hash_list_and_set_rows_in_each_format() {
    let rows = Rows::Fields(vec![(v("doc"), v("{ \"a\": 1,\n \"b\": [true] }"))]);
    let mut app = shown(b"h", Kind::Hash, 1, rows, vec![]);
    let screen = render(&app);
    assert!(screen.contains(r#"doc │ {"a":1,"b":[true]}"#), "{screen}");
    assert!(screen.contains("format auto"), "{screen}");
    app.update(key('f'));
    let screen = render(&app);
    assert!(
        screen.contains(r#"doc │ { "a": 1,\n "b": [true] }"#),
        "{screen}"
    );
    assert!(screen.contains("format text"), "{screen}");
    app.update(key('f'));
    app.update(key('f'));
    let screen = render(&app);
    assert!(screen.contains("doc │ 7b 20 22 61 22"), "{screen}");
    // Enter shows the element in the rows' format.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(render(&app).contains("row 1 · hex"));

    let list = Rows::Items {
        start: 0,
        items: vec![v("hi")],
    };
    let mut app = shown(b"l", Kind::List, 1, list, vec![]);
    for _ in 0..3 {
        app.update(key('f'));
    }
    assert!(render(&app).contains("0 │ 68 69"));
    let set = Rows::Members(vec![v("hi")]);
    let mut app = shown(b"s", Kind::Set, 1, set, vec![]);
    for _ in 0..3 {
        app.update(key('f'));
    }
    assert!(render(&app).contains("68 69"));
}

#[test]
fn long_lines_wrap_scores_show_whole_and_enter_shows_the_score() {
    let doc = r#"{"name":"a fairly long one-line JSON value","tags":["alpha","beta","gamma"],"description":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore","end":"THE-END"}"#;
    let chunk = Rows::Chunk {
        offset: 0,
        bytes: v(doc),
    };
    let mut app = shown(b"one", Kind::String, doc.len() as u64, chunk, vec![]);
    app.update(key('f'));
    let screen = render(&app);
    assert!(screen.contains("format text"), "{screen}");
    assert!(
        screen
            .lines()
            .filter(|l| l.contains("tags"))
            .all(|l| !l.contains('…')),
        "{screen}"
    );
    assert!(
        screen.contains("THE-END\"}"),
        "the line's end is on screen:\n{screen}"
    );
    // G on a value shorter than the pane leaves it where it is.
    app.update(key('G'));
    let screen = render(&app);
    assert!(screen.contains(r#"{"name":"a fairly"#), "{screen}");

    let zset = Rows::Scored {
        start: Some(0),
        rows: vec![
            (v("pi"), v("3.1415926535897931")),
            (v("big"), v("1.0000000000000001e+308")),
        ],
    };
    let mut app = shown(b"z", Kind::ZSet, 2, zset, vec![]);
    let screen = render(&app);
    assert!(screen.contains("3.141592653589793 │ pi"), "{screen}");
    assert!(screen.contains("1e+308            │ big"), "{screen}");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let screen = render(&app);
    assert!(screen.contains("score 3.141592653589793"), "{screen}");
}

#[test]
fn the_end_of_a_big_string_shows_where_it_is() {
    let total = 20 * 1024 * 1024;
    let chunk = Rows::Chunk {
        offset: total - 65_536,
        bytes: vec![0; 65_536],
    };
    let mut app = shown(b"big", Kind::String, total, chunk, vec![]);
    app.update(Msg::Resize(80, 24));
    let screen = render(&app);
    assert!(
        screen.contains("bytes 19.9 MiB-20 MiB of 20 MiB"),
        "{screen}"
    );
    // The dump's offsets are the string's, and its lines fit the pane.
    assert!(
        screen.contains("013f0000  00 00  00 00  |....|"),
        "{screen}"
    );
    assert!(!screen.contains("00 00 …"), "{screen}");
}
