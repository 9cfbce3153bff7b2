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
    if let Node::Noted { value, .. } = node {
        return count(value);
    }
    1 + match node {
        Node::List(v) | Node::Tuple(v) | Node::Set(v) => v.iter().map(count).sum(),
        Node::Map(kv) => kv.iter().map(|(k, v)| count(k) + count(v)).sum(),
        Node::Record(fs) => fs.iter().map(|(_, v)| count(v)).sum(),
        Node::Call {
            args,
            kwargs,
            state,
            ..
        } => {
            args.iter().map(count).sum::<usize>()
                + kwargs.iter().map(|(_, v)| count(v)).sum::<usize>()
                + state.as_deref().map_or(0, count)
        }
        Node::Tagged { value, .. } => count(value),
        _ => 0,
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
