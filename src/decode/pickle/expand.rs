//! The arena's objects laid out as one [`Node`] tree: a shared object is
//! shown wherever it is referenced, a container met again inside itself is
//! [`Node::Recursion`], and the node budget and depth limit cut the rest.

use num_bigint::BigInt;

use super::Limits;
use super::arena::{Arena, Id, Obj};
use super::known;
use crate::decode::Node;

/// Integers longer than this many bytes (about 10 000 digits) are shown as
/// their bytes: making them decimal costs time that grows with the square.
const MAX_DECIMAL_BYTES: usize = 4096;

/// Walks the arena from the root, spending the node budget as it goes.
pub(super) struct Expand<'a> {
    arena: &'a Arena,
    /// Budget units left; text and long integers cost more by their size,
    /// so that a memoised megabyte referenced a million times stays bounded.
    left: usize,
    limits: &'a Limits,
    on_path: Vec<bool>,
}

impl<'a> Expand<'a> {
    pub fn new(arena: &'a Arena, limits: &'a Limits) -> Self {
        Self {
            arena,
            left: limits.nodes,
            limits,
            on_path: vec![false; arena.len()],
        }
    }

    pub fn node(&mut self, id: Id, depth: usize) -> Node {
        let obj = self.arena.get(id);
        if self.left == 0 {
            return Node::Cut(self.spent(format!("a {}", obj.kind())));
        }
        self.left = self.left.saturating_sub(cost(obj));
        match obj {
            Obj::None => Node::Null,
            Obj::Bool(b) => Node::Bool(*b),
            Obj::Int(v) => Node::Int(v.to_string()),
            Obj::IntText(s) => Node::Int(s.clone()),
            Obj::Long(b) => long(b),
            Obj::Float(v) => Node::Float(*v),
            Obj::Str(s) => Node::Str(s.clone()),
            Obj::BadText(b) => noted(Node::Bytes(b.clone()), "text that is not valid UTF-8"),
            Obj::Bytes(b) => Node::Bytes(b.clone()),
            Obj::ByteArray(b) => known::call("bytearray", vec![Node::Bytes(b.clone())]),
            Obj::Global(name) => Node::Global(name.clone()),
            Obj::Ext(code) => noted(Node::Int(code.to_string()), "extension-registry code"),
            Obj::Buffer { index, readonly } => {
                let note = if *readonly {
                    "read-only out-of-band buffer, not stored in the pickle"
                } else {
                    "out-of-band buffer, not stored in the pickle"
                };
                noted(Node::Int(index.to_string()), note)
            }
            _ => self.container(id, obj, depth),
        }
    }

    fn container(&mut self, id: Id, obj: &'a Obj, depth: usize) -> Node {
        if self.on_path[id] {
            return Node::Recursion;
        }
        if depth >= self.limits.depth {
            return Node::Cut(format!(
                "a {} nested deeper than {} levels",
                obj.kind(),
                self.limits.depth
            ));
        }
        self.on_path[id] = true;
        let node = match obj {
            Obj::List(items) => Node::List(self.nodes(items, depth)),
            Obj::Tuple(items) => Node::Tuple(self.nodes(items, depth)),
            Obj::Set(items) => Node::Set(self.nodes(items, depth)),
            Obj::FrozenSet(items) => known::frozenset(self.nodes(items, depth)),
            Obj::Dict(pairs) => Node::Map(self.pairs(pairs, depth)),
            Obj::PersId(pid) => noted(self.node(*pid, depth + 1), "persistent id"),
            Obj::Stated { base, state } => noted(
                Node::Record(vec![
                    ("value".to_owned(), self.node(*base, depth + 1)),
                    ("state".to_owned(), self.node(*state, depth + 1)),
                ]),
                "state set by BUILD",
            ),
            Obj::Call(call) => {
                let mut args = self.nodes(self.arena.args(&call.args), depth);
                if !call.items.is_empty() {
                    args.push(Node::List(self.nodes(&call.items, depth)));
                }
                if !call.pairs.is_empty() {
                    args.push(Node::Map(self.pairs(&call.pairs, depth)));
                }
                let kwargs = match call.kwargs {
                    Some(k) => known::kwargs(self.node(k, depth + 1)),
                    None => Vec::new(),
                };
                let state = match call.states.as_slice() {
                    [] => None,
                    [one] => Some(self.node(*one, depth + 1)),
                    many => Some(Node::List(self.nodes(many, depth))),
                };
                known::readable(call.callee.clone(), args, kwargs, state)
            }
            _ => Node::Cut(format!("a {} that is not a container", obj.kind())),
        };
        self.on_path[id] = false;
        node
    }

    fn nodes(&mut self, ids: &[Id], depth: usize) -> Vec<Node> {
        let mut out = Vec::with_capacity(ids.len().min(self.left.saturating_add(1)));
        for (i, &id) in ids.iter().enumerate() {
            if self.left == 0 {
                out.push(Node::Cut(self.spent(items(ids.len() - i))));
                break;
            }
            out.push(self.node(id, depth + 1));
        }
        out
    }

    fn pairs(&mut self, pairs: &[(Id, Id)], depth: usize) -> Vec<(Node, Node)> {
        let mut out = Vec::with_capacity(pairs.len().min(self.left.saturating_add(1)));
        for (i, &(k, v)) in pairs.iter().enumerate() {
            if self.left == 0 {
                let cut = self.spent(items(pairs.len() - i));
                out.push((Node::Cut(cut), Node::Cut(String::new())));
                break;
            }
            out.push((self.node(k, depth + 1), self.node(v, depth + 1)));
        }
        out
    }

    fn spent(&self, what: String) -> String {
        format!(
            "{what} not shown: the budget of {} nodes is spent",
            self.limits.nodes
        )
    }
}

fn items(n: usize) -> String {
    if n == 1 {
        "1 more item".to_owned()
    } else {
        format!("{n} more items")
    }
}

/// Budget units an object costs: one, plus its size for text and numbers
/// whose copy or conversion grows with it.
fn cost(obj: &Obj) -> usize {
    match obj {
        Obj::Str(s) => 1 + s.len() / 256,
        Obj::Bytes(b) | Obj::ByteArray(b) | Obj::BadText(b) => 1 + b.len() / 256,
        Obj::Long(b) => 1 + b.len() / 16,
        Obj::IntText(s) => 1 + s.len() / 256,
        _ => 1,
    }
}

fn long(bytes: &[u8]) -> Node {
    if bytes.len() > MAX_DECIMAL_BYTES {
        let note = format!(
            "a {}-byte integer, little-endian two's complement, too long for decimal",
            bytes.len()
        );
        return noted(Node::Bytes(bytes.to_vec()), &note);
    }
    Node::Int(BigInt::from_signed_bytes_le(bytes).to_string())
}

fn noted(value: Node, note: &str) -> Node {
    Node::Noted {
        value: Box::new(value),
        note: note.to_owned(),
    }
}
