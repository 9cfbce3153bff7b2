//! Helpers the decoders' tests share: a fixture's bytes mutated, a tree's
//! size, and a tree as the data notation shows it.

use super::Node;
use super::layout::{Dialect, layout};
use proptest::prelude::*;

/// `node` in the data notation, uncut.
pub fn show(node: &Node) -> String {
    layout(node, Dialect::Data, usize::MAX).text
}

/// How many nodes `node` holds, as a decoder's budget counts them: a map
/// entry is two, a remark is part of the node it is on.
pub fn count(node: &Node) -> usize {
    match node {
        Node::Noted { value, .. } => count(value),
        _ => 1 + node.children().into_iter().map(count).sum::<usize>(),
    }
}

/// `bytes` with a few bytes overwritten, inserted or removed, or cut short.
pub fn mutated(bytes: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    let edits =
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..6);
    (edits, any::<prop::sample::Index>()).prop_map(move |(edits, cut)| {
        let mut v = bytes.to_vec();
        for (at, b, kind) in edits {
            if v.is_empty() {
                v.push(b);
                continue;
            }
            let i = at.index(v.len());
            match kind {
                0 => v[i] = b,
                1 => v.insert(i, b),
                2 => {
                    v.remove(i);
                }
                _ => v[i] ^= 1 << (b % 8),
            }
        }
        if !v.is_empty() && cut.index(8) == 0 {
            v.truncate(cut.index(v.len()));
        }
        v
    })
}

/// A decoder's outcome as the tests compare it: the tree in the data
/// notation, or the error's line.
pub fn shown(outcome: Result<Node, super::Error>) -> String {
    match outcome {
        Ok(n) => show(&n),
        Err(e) => format!("error: {e}"),
    }
}

/// Whether a decoded tree (if any) holds at most `max` nodes.
pub fn within(outcome: &Result<Node, super::Error>, max: usize) -> bool {
    outcome.as_ref().map_or(true, |n| count(n) <= max)
}

/// The bytes of a fixture under `tests/it/fixtures/decode/formats/`.
macro_rules! fixture {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fixtures/decode/formats/",
            $path
        ))
    };
}
pub(crate) use fixture;

/// The two fuzz tests every decoder has, on arbitrary bytes and on a
/// mutated fixture: no panic, and a tree within the node budget plus a cut
/// per level (times `slack` for decoders that spell a value in two nodes).
macro_rules! fuzz {
    ($decode:path, $fixture:literal, $slack:expr) => {
        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
            #[test]
            fn any_bytes_decode_or_fail_cleanly(
                bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
            ) {
                let limits = $crate::decode::Limits { nodes: 50, depth: 8 };
                let outcome = $decode(&bytes, &limits);
                proptest::prop_assert!($crate::decode::testing::within(&outcome, $slack * (50 + 8 + 1)));
            }

            #[test]
            fn mutated_fixtures_decode_or_fail_cleanly(
                bytes in $crate::decode::testing::mutated($crate::decode::testing::fixture!($fixture))
            ) {
                let limits = $crate::decode::Limits { nodes: 20, depth: 3 };
                let outcome = $decode(&bytes, &limits);
                proptest::prop_assert!($crate::decode::testing::within(&outcome, $slack * (20 + 3 + 1)));
            }
        }
    };
}
pub(crate) use fuzz;
