//! Decoding and laying out serialised values as the Value pane shows them:
//! a 1 MiB pickle (protocol 4, as django-redis writes) and a 1 MiB msgpack
//! value, each a list of small records, from bytes to the text and colour
//! spans of the whole value (what one screen then takes a window of).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use upstash_tui::value::format::{self, Body, Format};

const SIZE: usize = 1 << 20;

/// `[{'id': i, 'name': 'user-i', 'score': i / 7, 'tags': ['a', 'b']}, ...]`
/// pickled with protocol 4's opcodes, about `SIZE` bytes.
fn pickle() -> Vec<u8> {
    let mut p = vec![0x80, 4, b']', b'('];
    let text = |p: &mut Vec<u8>, s: &str| {
        p.push(0x8c);
        p.push(s.len() as u8);
        p.extend_from_slice(s.as_bytes());
    };
    let mut i = 0u32;
    while p.len() < SIZE {
        p.extend_from_slice(b"}(");
        text(&mut p, "id");
        p.push(b'J');
        p.extend_from_slice(&i.to_le_bytes());
        text(&mut p, "name");
        text(&mut p, &format!("user-{i}"));
        text(&mut p, "score");
        p.push(b'G');
        p.extend_from_slice(&(f64::from(i) / 7.0).to_be_bytes());
        text(&mut p, "tags");
        p.extend_from_slice(b"](");
        text(&mut p, "a");
        text(&mut p, "b");
        p.extend_from_slice(b"eu");
        i += 1;
    }
    p.extend_from_slice(b"e.");
    p
}

/// The same records in msgpack, about `SIZE` bytes.
fn msgpack() -> Vec<u8> {
    let mut body = Vec::new();
    let mut n = 0u32;
    while body.len() < SIZE {
        rmp::encode::write_map_len(&mut body, 4).expect("writes");
        rmp::encode::write_str(&mut body, "id").expect("writes");
        rmp::encode::write_uint(&mut body, u64::from(n)).expect("writes");
        rmp::encode::write_str(&mut body, "name").expect("writes");
        rmp::encode::write_str(&mut body, &format!("user-{n}")).expect("writes");
        rmp::encode::write_str(&mut body, "score").expect("writes");
        rmp::encode::write_f64(&mut body, f64::from(n) / 7.0).expect("writes");
        rmp::encode::write_str(&mut body, "tags").expect("writes");
        rmp::encode::write_array_len(&mut body, 2).expect("writes");
        rmp::encode::write_str(&mut body, "a").expect("writes");
        rmp::encode::write_str(&mut body, "b").expect("writes");
        n += 1;
    }
    let mut out = Vec::new();
    rmp::encode::write_array_len(&mut out, n).expect("writes");
    out.extend(body);
    out
}

fn decoding(c: &mut Criterion) {
    for (name, bytes, codec) in [
        ("pickle", pickle(), "pickle"),
        ("msgpack", msgpack(), "msgpack"),
    ] {
        let shown = format::render(&bytes, Format::Auto, 16 << 20);
        assert!(
            matches!(&shown.body, Body::Tree(t) if t.codec.label() == codec),
            "{name} is read as {codec}"
        );
        let lines = shown.text().lines().count();
        eprintln!("{name}: {} bytes, {lines} lines laid out", bytes.len());
        c.bench_function(&format!("decode and lay out 1 MiB of {name}"), |b| {
            b.iter(|| format::render(black_box(&bytes), Format::Auto, 16 << 20))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = decoding
}
criterion_main!(benches);
