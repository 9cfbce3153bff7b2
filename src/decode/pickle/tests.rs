//! The reader against pickles written by CPython 3.11 (see
//! `tests/it/fixtures/decode/pickle/make.py`), hand-made opcode streams,
//! hostile input and fuzzing.

use std::path::PathBuf;

use proptest::prelude::*;

use super::*;
pub(super) use crate::decode::testing::count;

mod fixtures;
mod opcodes;
mod pyrepr;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/decode/pickle")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir().join(name)).expect("fixture")
}

fn read(bytes: &[u8]) -> Decoded {
    decode(bytes, &Limits::default()).expect("decodes")
}

fn int(v: i64) -> Node {
    Node::Int(v.to_string())
}

fn s(v: &str) -> Node {
    Node::Str(v.to_owned())
}

fn call(callee: &str, args: Vec<Node>) -> Node {
    Node::Call {
        callee: callee.to_owned(),
        args,
        kwargs: Vec::new(),
        state: None,
    }
}

fn depth(node: &Node) -> usize {
    1 + node.children().into_iter().map(depth).max().unwrap_or(0)
}

fn has_cut(node: &Node) -> bool {
    matches!(node, Node::Cut(_)) || node.children().into_iter().any(has_cut)
}

/// All fixture files, for fuzzing, read once.
fn all_fixtures() -> &'static [Vec<u8>] {
    static FILES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(read_fixtures)
}

fn read_fixtures() -> Vec<Vec<u8>> {
    let mut names: Vec<_> = std::fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pickle" || x == "bin"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read(p).expect("fixture"))
        .collect()
}

/// Small budgets make the bound easy to reach; a node may grow into a few
/// (a datetime's packed bytes into its fields), and every open container
/// closes with one cut, so the bound is a small multiple plus the depth.
const FUZZ_LIMITS: Limits = Limits {
    nodes: 300,
    depth: 32,
};

fn within_bounds(d: &Decoded) -> bool {
    count(&d.node) <= 10 * FUZZ_LIMITS.nodes + 4 * FUZZ_LIMITS.depth
        && depth(&d.node) <= 2 * FUZZ_LIMITS.depth + 4
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(d) = decode(&bytes, &FUZZ_LIMITS) {
            prop_assert!(within_bounds(&d));
        }
    }

    #[test]
    fn opcode_soup_never_panics(
        ops in proptest::collection::vec(
            prop_oneof![
                Just(vec![b'(']), Just(vec![b']']), Just(vec![b'}']), Just(vec![b')']),
                Just(vec![b'a']), Just(vec![b'e']), Just(vec![b's']), Just(vec![b'u']),
                Just(vec![b't']), Just(vec![b'l']), Just(vec![b'd']), Just(vec![b'2']),
                Just(vec![b'0']), Just(vec![b'1']), Just(vec![b'R']), Just(vec![b'b']),
                Just(vec![0x81]), Just(vec![0x85]), Just(vec![0x86]), Just(vec![0x8f]),
                Just(vec![0x90]), Just(vec![0x91]), Just(vec![0x94]), Just(vec![0x93]),
                Just(vec![0x88]), Just(b"K\x07".to_vec()), Just(b"N".to_vec()),
                Just(b"\x8c\x02os".to_vec()), Just(b"cos\nsystem\n".to_vec()),
                (0u8..4).prop_map(|i| vec![b'h', i]),
                (0u8..4).prop_map(|i| vec![b'q', i]),
            ],
            0..120,
        )
    ) {
        let mut bytes: Vec<u8> = b"\x80\x04".to_vec();
        bytes.extend(ops.concat());
        bytes.push(b'.');
        if let Ok(d) = decode(&bytes, &FUZZ_LIMITS) {
            prop_assert!(within_bounds(&d));
        }
    }

    #[test]
    fn truncated_and_flipped_fixtures_never_panic(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let files = all_fixtures();
        let mut bytes = files[pick.index(files.len())].clone();
        for (at, v) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= v;
        }
        let keep = cut.index(bytes.len() + 1);
        for slice in [&bytes[..], &bytes[..keep]] {
            if let Ok(d) = decode(slice, &FUZZ_LIMITS) {
                prop_assert!(within_bounds(&d));
            }
        }
    }
}
