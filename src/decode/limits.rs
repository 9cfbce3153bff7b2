//! What a decoder may spend on one value, so that hostile input stays cheap.

/// A node budget and a depth limit; past either, a decoder puts a
/// [`Node::Cut`](super::Node::Cut) in the tree instead of reading further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many nodes one value may decode into.
    pub nodes: usize,
    /// How deeply containers may nest.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            nodes: 200_000,
            depth: 256,
        }
    }
}

/// What is left of the [`Limits`] while one value is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    nodes: usize,
    /// The depth past which containers are cut.
    pub depth: usize,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            nodes: limits.nodes,
            depth: limits.depth,
        }
    }

    /// Takes one node; `false` once the budget is spent.
    pub fn take(&mut self) -> bool {
        match self.nodes.checked_sub(1) {
            Some(n) => {
                self.nodes = n;
                true
            }
            None => false,
        }
    }

    /// The capacity to reserve for a container that claims `n` elements:
    /// never more than the budget left, nor than `bytes` (each element
    /// takes at least one byte), so a hostile length allocates nothing.
    pub fn reserve(&self, n: u64, bytes: usize) -> usize {
        usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.nodes)
            .min(bytes)
    }
}
