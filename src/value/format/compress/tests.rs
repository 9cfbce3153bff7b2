//! Round trips, caps, partial values and fuzzing for every codec.

use super::*;
use std::io::Write as _;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("writes");
    e.finish().expect("finishes")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("writes");
    e.finish().expect("finishes")
}

#[test]
fn detects_and_inflates_both() {
    let text = b"hello hello hello hello".repeat(10);
    let g = inflate(&gzip(&text), 1 << 20).expect("gzip");
    assert_eq!((g.kind, g.cut, g.bytes == text), (Kind::Gzip, false, true));
    let z = inflate(&zlib(&text), 1 << 20).expect("zlib");
    assert_eq!((z.kind, z.cut, z.bytes == text), (Kind::Zlib, false, true));
}

#[test]
fn output_is_bounded() {
    let zeros = vec![0u8; 4 << 20];
    let g = inflate(&gzip(&zeros), 1 << 20).expect("gzip");
    assert_eq!(g.bytes.len(), 1 << 20);
    assert!(g.cut);
    let exact = inflate(&gzip(&zeros[..1000]), 1000).expect("gzip");
    assert!(!exact.cut);
}

#[test]
fn partial_input_keeps_what_decoded() {
    let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let gz = gzip(&data);
    let part = inflate(&gz[..gz.len() / 2], 16 << 20).expect("partial gzip");
    assert!(part.cut);
    assert!(!part.bytes.is_empty());
    assert_eq!(&data[..part.bytes.len()], &part.bytes[..]);
}

#[test]
fn text_is_not_compressed() {
    assert_eq!(inflate(b"plain text", 100), None);
    // "x^" passes zlib's header checksum, but is not a stream.
    assert_eq!(detect(b"x^abc"), Some(Kind::Zlib));
    assert_eq!(inflate(b"x^ this is text", 100), None);
    assert_eq!(inflate(b"", 100), None);
}

/// A file written by `tests/it/fixtures/decode/compress/make.py`.
fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/it/fixtures/decode/compress/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Each fixture's suffix and the kind that wrote it.
const CODECS: [(&str, Kind); 12] = [
    ("gzip", Kind::Gzip),
    ("zlib", Kind::Zlib),
    ("deflate", Kind::Deflate),
    ("zstd", Kind::Zstd),
    ("lz4", Kind::Lz4),
    ("lz4-block", Kind::Lz4Block),
    ("lz4-sized", Kind::Lz4Sized),
    ("brotli", Kind::Brotli),
    ("snappy", Kind::Snappy),
    ("snappy-raw", Kind::SnappyRaw),
    ("xz", Kind::Xz),
    ("lzma", Kind::Lzma),
];

const MIB: usize = 1 << 20;

#[test]
fn every_codec_gives_back_the_document_its_library_compressed() {
    let doc = fixture("doc.json");
    for (name, kind) in CODECS {
        let data = fixture(&format!("doc.{name}"));
        let got = decompress_as(kind, &data, MIB).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            got,
            Inflated {
                kind,
                bytes: doc.clone(),
                cut: false,
                note: None
            },
            "{name}"
        );
        let auto = inflate(&data, MIB);
        if kind.has_magic() {
            assert_eq!(auto, Some(got), "{name} detected");
        } else {
            assert_eq!(auto, None, "{name} is tried only by name");
        }
    }
}

#[test]
fn django_redis_compressors_are_all_detected() {
    let pickle = fixture("django-redis.pickle");
    for (name, kind) in [
        ("zlib", Kind::Zlib),
        ("gzip", Kind::Gzip),
        ("lz4", Kind::Lz4),
        ("zstd", Kind::Zstd),
        ("lzma", Kind::Xz),
    ] {
        let got = inflate(&fixture(&format!("django-redis.{name}")), MIB).expect(name);
        assert_eq!((got.kind, got.cut), (kind, false), "{name}");
        assert_eq!(got.bytes, pickle, "{name}");
    }
    // Short values are stored as they are: a pickle, not a compressed value.
    assert_eq!(inflate(&fixture("django-redis-small.zlib"), MIB), None);
    assert_eq!(inflate(&pickle, MIB), None);
}

#[test]
fn every_bomb_stops_at_the_cap() {
    // Not a power of two, so that doubling past it would show.
    let cap = 100_000;
    for (name, kind) in CODECS {
        let data = fixture(&format!("bomb.{name}"));
        let got = decompress_as(kind, &data, cap).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.bytes.len(), cap, "{name}");
        assert!(got.bytes.capacity() <= cap, "{name} allocated past the cap");
        assert!(got.bytes.iter().all(|&b| b == 0), "{name}");
        assert!(got.cut, "{name}");
        assert_eq!(got.note.as_deref(), Some("stopped at 97.7 KiB"), "{name}");
        if kind.has_magic() {
            assert_eq!(inflate(&data, cap), Some(got), "{name} detected");
        }
    }
}

#[test]
fn fifty_mib_of_zeros_stops_at_the_value_cap() {
    let cap = 16 * MIB;
    for (name, kind) in [("zstd", Kind::Zstd), ("xz", Kind::Xz)] {
        let got = inflate(&fixture(&format!("bomb.{name}")), cap).expect(name);
        assert_eq!((got.kind, got.bytes.len(), got.cut), (kind, cap, true));
        assert!(got.bytes.capacity() <= cap, "{name} allocated past the cap");
    }
}

#[test]
fn a_partial_value_keeps_what_decoded() {
    for (name, kind) in CODECS {
        let data = fixture(&format!("bomb.{name}"));
        let part = &data[..data.len() * 3 / 4];
        let got = decompress_as(kind, part, 64 * MIB).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(got.cut, "{name}");
        assert!(!got.bytes.is_empty(), "{name}");
        assert!(got.bytes.iter().all(|&b| b == 0), "{name}");
        assert_ne!(got.note.as_deref(), Some("stopped at 64 MiB"), "{name}");
    }
    // Half a document decodes to a prefix of it, or to nothing.
    let doc = fixture("doc.json");
    for (name, kind) in CODECS {
        let data = fixture(&format!("doc.{name}"));
        if let Ok(got) = decompress_as(kind, &data[..data.len() / 2], MIB) {
            assert!(got.cut, "{name}");
            assert!(doc.starts_with(&got.bytes), "{name}");
        }
    }
}

#[test]
fn a_long_zlib_value_cut_short_is_partial_but_a_short_one_is_text() {
    let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let z = zlib(&data);
    let part = inflate(&z[..z.len() / 2], 16 * MIB).expect("partial zlib");
    assert_eq!((part.kind, part.cut), (Kind::Zlib, true));
    assert_eq!(part.note.as_deref(), Some("the input ends mid-stream"));
    assert!(data.starts_with(&part.bytes));
    let short = zlib(b"a short value, cut in the middle of its stream");
    assert_eq!(inflate(&short[..short.len() - 6], MIB), None);
}

#[test]
fn a_size_prefix_is_never_trusted() {
    // python-lz4's layout claiming 4 GiB, with a 5-byte block.
    let mut claim = u32::MAX.to_le_bytes().to_vec();
    claim.extend_from_slice(&[0x40, b'a', b'b', b'c', b'd']);
    let got = decompress_as(Kind::Lz4Sized, &claim, MIB).expect("decodes");
    assert_eq!(got.bytes, b"abcd");
    assert_eq!(
        got.note.as_deref(),
        Some("broken: the size prefix says 4294967295 bytes, the block holds 4")
    );
    // Raw snappy claiming 4 GiB.
    let got = decompress_as(
        Kind::SnappyRaw,
        &[0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, b'z'],
        MIB,
    )
    .expect("decodes");
    assert_eq!((got.bytes.as_slice(), got.cut), (&b"z"[..], true));
    // A hand-made LZ4 block whose one match runs for 255 x 40 000 bytes.
    let mut bomb = vec![0x1f, b'a', 1, 0];
    bomb.extend(std::iter::repeat_n(255, 40_000));
    bomb.extend_from_slice(&[0, 0x00]);
    let got = decompress_as(Kind::Lz4Block, &bomb, MIB).expect("decodes");
    assert_eq!((got.bytes.len(), got.cut), (MIB, true));
    assert!(got.bytes.capacity() <= MIB);
}

#[test]
fn a_value_that_is_not_the_kind_asked_for_says_why() {
    let text = b"just some text";
    for kind in Kind::ALL {
        if let Err(e) = decompress_as(kind, text, MIB) {
            let line = e.to_string();
            assert!(
                line.starts_with(&format!("not {}: ", kind.label())),
                "{line}"
            );
            assert!(!line.contains('\n'), "{line}");
        }
    }
    assert_eq!(
        decompress_as(Kind::Lz4Block, &[0x10, b'a', 9, 0], MIB)
            .expect("one literal decodes")
            .note
            .as_deref(),
        Some("broken: a match 9 bytes back reaches before the start, at byte 0")
    );
    for kind in Kind::ALL {
        assert_eq!(
            decompress_as(kind, b"", MIB).map_err(|e| e.to_string()),
            Err(format!("not {}: the value is empty", kind.label()))
        );
    }
    assert_eq!(
        decompress_as(Kind::Zstd, b"just some text", MIB).map_err(|e| e.to_string()),
        Err("not zstd: no zstd frame at byte 0".to_string())
    );
    // A zstd frame cut short is a partial value, not a broken one.
    let bomb = fixture("bomb.zstd");
    let got = decompress_as(Kind::Zstd, &bomb[..bomb.len() / 2], 64 * MIB).expect("partial");
    assert_eq!(got.note.as_deref(), Some("the input ends mid-stream"));
}

#[test]
fn kinds_are_named_shortly_and_parsed_back() {
    for kind in Kind::ALL {
        assert!(kind.label().len() <= 10, "{}", kind.label());
        assert_eq!(Kind::parse(kind.label()), Some(kind));
    }
    assert_eq!(Kind::parse("LZ4-Block"), Some(Kind::Lz4Block));
    assert_eq!(Kind::parse("snappy_raw"), Some(Kind::SnappyRaw));
    assert_eq!(Kind::parse("pickle"), None);
}

/// Text and JSON as people store them, some starting like a zlib header.
const TEXTS: &[&str] = &[
    "x",
    "x ",
    "x = 5",
    "x = {\"a\": 1}",
    "x^2 + y^2 = z^2",
    "x}",
    "x?",
    "x?y",
    "x^ this is text",
    "x marks the spot where the treasure was buried long ago",
    "xoxo",
    "hello world",
    "{\"user\":{\"id\":1,\"name\":\"x\"}}",
    "[1,2,3]",
    "\"x \"",
    "8=FIX.4.2",
    "H4sI not really gzip",
    "(\u{b5}/ not zstd",
    "sNaPpY",
    "7zXZ",
    "",
];

#[test]
fn text_and_json_are_never_shown_decompressed() {
    for t in TEXTS {
        assert_eq!(inflate(t.as_bytes(), MIB), None, "{t:?}");
        let long = t.repeat(2000);
        assert_eq!(inflate(long.as_bytes(), MIB), None, "{t:?} x 2000");
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn check(got: &Inflated, cap: usize) {
        assert!(got.bytes.len() <= cap);
        assert!(got.bytes.capacity() <= cap);
        assert_eq!(got.cut, got.note.is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic_nor_pass_the_cap(
            data in proptest::collection::vec(any::<u8>(), 0..512),
            cap in 0usize..4096,
        ) {
            if let Some(got) = inflate(&data, cap) {
                check(&got, cap);
            }
            for kind in Kind::ALL {
                if let Ok(got) = decompress_as(kind, &data, cap) {
                    check(&got, cap);
                }
            }
        }

        #[test]
        fn bytes_behind_a_magic_never_panic_nor_pass_the_cap(
            kind in proptest::sample::select(Kind::ALL.to_vec()),
            tail in proptest::collection::vec(any::<u8>(), 0..512),
        ) {
            let magic: &[u8] = match kind {
                Kind::Gzip => &[0x1f, 0x8b, 8],
                Kind::Zlib => b"x\x9c",
                Kind::Zstd => &[0x28, 0xb5, 0x2f, 0xfd],
                Kind::Lz4 => &[0x04, 0x22, 0x4d, 0x18],
                Kind::Snappy => b"\xff\x06\x00\x00sNaPpY",
                Kind::Xz => b"\xfd7zXZ\x00",
                _ => b"",
            };
            let data = [magic, &tail].concat();
            if let Some(got) = inflate(&data, 1024) {
                check(&got, 1024);
            }
            if let Ok(got) = decompress_as(kind, &data, 1024) {
                check(&got, 1024);
            }
        }

        #[test]
        fn mutated_fixtures_never_panic_nor_pass_the_cap(
            which in 0usize..CODECS.len(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            let (name, kind) = CODECS[which];
            let mut data = fixture(&format!("doc.{name}"));
            for (at, b) in flips {
                let i = at.index(data.len());
                data[i] ^= b;
            }
            data.truncate(cut.index(data.len() + 1));
            for cap in [100, 4096] {
                if let Some(got) = inflate(&data, cap) {
                    check(&got, cap);
                }
                if let Ok(got) = decompress_as(kind, &data, cap) {
                    check(&got, cap);
                }
            }
        }

        #[test]
        fn printable_text_is_never_decompressed(
            first in proptest::sample::select(vec![" ", "^", "}", "?", "\u{1}"]),
            rest in "[ -~\\n\\t]{0,300}",
        ) {
            let text = format!("x{first}{rest}");
            prop_assert_eq!(inflate(text.as_bytes(), MIB), None);
        }
    }
}
