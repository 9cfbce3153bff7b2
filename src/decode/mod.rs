//! Decoders for what applications store: serialised objects (pickle,
//! msgpack, CBOR, protobuf's wire format) read into one [`Node`] tree that
//! the Value pane and `view` lay out the same way, whatever the format.
//!
//! Decoders are UI-free, never execute anything they read (a pickle's
//! `os.system` call is shown, not made), and stay bounded on hostile input:
//! a node budget and a depth limit, reported in the tree as [`Node::Cut`].

pub mod bson;
pub mod cbor;
mod cursor;
mod error;
pub mod layout;
mod limits;
pub mod msgpack;
pub mod pickle;
pub mod protobuf;
#[cfg(test)]
mod testing;
pub mod tree;

pub use error::Error;
pub use limits::Limits;

pub use tree::Node;
