//! Console costs: drawing a screenful of a 100 000-element reply (newest
//! lines, oldest lines, a page scroll), of a 10 MB one-line reply wrapped
//! at the pane's width (once formatted, and formatted again after a
//! resize), and completing a key name among a million loaded keys.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use upstash_tui::console::complete::complete;
use upstash_tui::console::{CommandTable, Scrollback};
use upstash_tui::upstash::Reply;

fn scrollback(c: &mut Criterion) {
    let mut sb = Scrollback::default();
    let id = sb.push_command("LRANGE big 0 -1");
    let big = Reply::Array(
        (0..100_000)
            .map(|i| Reply::Bytes(format!("item:{i}:\x00\u{e9}").into_bytes()))
            .collect(),
    );
    let cmd = vec![
        b"LRANGE".to_vec(),
        b"big".to_vec(),
        b"0".to_vec(),
        b"-1".to_vec(),
    ];
    sb.finish(id, &[cmd], Ok(vec![big]), Duration::from_millis(5));
    c.bench_function("console: 40 newest lines of a 100 000-element reply", |b| {
        b.iter(|| black_box(sb.window(40)))
    });
    sb.to_top();
    c.bench_function("console: 40 oldest lines of a 100 000-element reply", |b| {
        b.iter(|| black_box(sb.window(40)))
    });
    c.bench_function("console: page down and draw", |b| {
        b.iter(|| {
            sb.scroll_down(39, 40);
            black_box(sb.window(40))
        })
    });
}

fn wrapped(c: &mut Criterion) {
    let mut sb = Scrollback::default();
    sb.set_width(100);
    let id = sb.push_command("GET big");
    let cmd = vec![b"GET".to_vec(), b"big".to_vec()];
    let big = Reply::Bytes("x".repeat(10_000_000).into_bytes());
    sb.finish(id, &[cmd], Ok(vec![big]), Duration::from_millis(60));
    c.bench_function("console: 40 newest rows of a 10 MB reply, wrapped", |b| {
        b.iter(|| black_box(sb.window(40)))
    });
    let mut width = 100;
    c.bench_function("console: the same after a resize (formatted again)", |b| {
        b.iter(|| {
            width = if width == 100 { 99 } else { 100 };
            sb.set_width(width);
            black_box(sb.window(40))
        })
    });
}

fn completion(c: &mut Criterion) {
    let keys: Vec<Vec<u8>> = (0..1_000_000)
        .map(|i| format!("user:{i}:session").into_bytes())
        .collect();
    let table = CommandTable::bundled();
    c.bench_function("console: complete a key among 1 000 000", |b| {
        b.iter(|| complete(table, "GET user:99999", 14, keys.iter().map(Vec::as_slice)))
    });
}

criterion_group!(benches, scrollback, wrapped, completion);
criterion_main!(benches);
