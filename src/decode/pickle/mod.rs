//! Python pickles (protocols 0 to 5) read opcode by opcode, never executed:
//! nothing is imported and nothing is called. What loading would call is
//! shown as a [`Node::Call`] (`datetime.datetime(2024, 5, 1, 12, 0)`,
//! `os.system('…')`), and the callables that are not known to only build
//! data are listed beside the tree for a warning.
//!
//! Objects live in an arena while the opcodes run, so the memo shares them
//! as Python does: a list that contains itself is laid out with
//! [`Node::Recursion`], and a pickle whose memo references double at each
//! level is cut by the node budget instead of growing without bound.

mod arena;
mod expand;
mod input;
mod known;
mod machine;
mod op;
mod safety;
mod text;

#[cfg(test)]
mod tests;

use super::Node;
pub use super::{Error, Limits};

/// A pickle read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub node: Node,
    /// The protocol its `PROTO` opcode names (0 when it has none).
    pub protocol: u8,
    /// Callables loading it would run that are not known to only build
    /// data (`os.system`, `builtins.eval`, an application's own function),
    /// in the order they first appear.
    pub flagged: Vec<String>,
}

impl Decoded {
    /// The one line a viewer shows above a pickle that would run code.
    pub fn warning(&self) -> Option<String> {
        let (first, rest) = self.flagged.split_first()?;
        let named = match rest.len() {
            0 => first.clone(),
            1 => format!("{first} and {}", rest[0]),
            n => format!("{first}, {} and {} more", rest[0], n - 1),
        };
        Some(format!(
            "this pickle would call {named} when loaded; nothing was run"
        ))
    }
}

/// Reads `bytes` as one pickle, from `PROTO` (or its first opcode) to the
/// `STOP` that must end the input.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, Error> {
    let run = machine::run(bytes)?;
    let node = expand::Expand::new(&run.arena, limits).node(run.root, 0);
    Ok(Decoded {
        node,
        protocol: run.protocol,
        flagged: run.flagged,
    })
}
