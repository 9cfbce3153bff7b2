//! The Keys pane at scale: inserting 1 000 000 keys into the tree, drawing
//! one screen of the pane with 1 000 000 keys loaded, and drawing the whole
//! 200x60 screen of the TUI (every pane, through the terminal's diff) with
//! the App holding them.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use upstash_tui::scan::Budget;
use upstash_tui::tui::app::App;
use upstash_tui::tui::msg::{Action, Msg};
use upstash_tui::tui::panes::keys::{State, view};
use upstash_tui::tui::theme::{Kind, Theme};
use upstash_tui::tui::ui;

const N: usize = 1_000_000;

/// Key names shaped like a real app's: many small folders, one huge flat
/// folder, and top-level keys.
fn keys() -> Vec<Vec<u8>> {
    (0..N)
        .map(|i| match i % 4 {
            0 => format!("user:{}:profile", i / 4),
            1 => format!("session:{i:08x}-{:04x}", i % 9973),
            2 => format!("cache:page:{}:{i}", i % 1000),
            _ => format!("celery-task-meta-{i:012}"),
        })
        .map(String::into_bytes)
        .collect()
}

fn loaded(keys: &[Vec<u8>]) -> State {
    let mut state = State::new(b":", Budget::default());
    for k in keys {
        state.insert(k, Kind::String);
    }
    state
}

fn insert(c: &mut Criterion) {
    let keys = keys();
    let mut g = c.benchmark_group("keys");
    g.sample_size(10);
    g.bench_function("insert 1M keys into the tree", |b| {
        b.iter(|| black_box(loaded(&keys)).len())
    });
    g.finish();
}

fn draw(c: &mut Criterion) {
    let keys = keys();
    let theme = Theme::default();
    let area = Rect::new(0, 0, 100, 60);
    let mut g = c.benchmark_group("keys");

    let before = resident_kib();
    let mut state = loaded(&keys);
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        let key_bytes: usize = keys.iter().map(Vec::len).sum();
        eprintln!(
            "1 000 000 keys ({:.1} MiB of key bytes) take {:.1} MiB resident in the Keys pane",
            key_bytes as f64 / 1048576.0,
            after.saturating_sub(before) as f64 / 1024.0
        );
    }
    state.set_height(view::list_height(area));
    // At the top: cache, session, user, then the celery keys. Open `user`
    // (250 000 sub-folders) and `session` (250 000 keys), and look at the
    // middle of it all: the worst case for finding the first visible row.
    state.select(2);
    state.fold(Some(true));
    state.select(1);
    state.fold(Some(true));
    state.select(state.len() / 2);
    for layout in ["tree", "flat"] {
        if layout == "flat" {
            state.toggle_layout();
            state.select(N / 2);
        }
        g.bench_function(
            format!("draw a 100x60 pane, 1M keys, {layout}, middle"),
            |b| {
                let mut buf = Buffer::empty(area);
                b.iter(|| {
                    view::View {
                        state: &state,
                        theme: &theme,
                        focused: true,
                    }
                    .render(area, &mut buf);
                    black_box(&buf);
                })
            },
        );
    }
    g.finish();
}

/// The whole screen, as the TUI's loop draws it after a key press: `ui::draw`
/// of every pane, then the terminal's diff against the previous frame.
fn screen(c: &mut Criterion) {
    let keys = keys();
    let mut state = State::new(b":", Budget::default());
    for k in &keys {
        state.insert(k, Kind::String);
    }
    state.select(state.len() / 2);
    let mut app = App::for_test().with_keys(state);
    let _ = app.update(Msg::Resize(200, 60));
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
    let mut g = c.benchmark_group("screen");
    // Moving the selection each frame makes every frame differ from the last,
    // as a held arrow key does.
    for layout in ["tree", "flat"] {
        if layout == "flat" {
            let _ = app.act(Action::ToggleView);
        }
        g.bench_function(
            format!("draw the whole 200x60 screen, 1M keys, {layout}"),
            |b| {
                b.iter(|| {
                    let _ = app.act(Action::Down);
                    term.draw(|f| ui::draw(&app, f)).expect("draw");
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, insert, draw, screen);
criterion_main!(benches);

/// The process's resident memory in KiB (VmRSS from /proc/self/status, Linux).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.trim_start_matches("VmRSS:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
