//! The one tree every structured decoder produces.

/// A decoded value. Containers keep the order the bytes gave; nothing is
/// sorted, deduplicated or rounded.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Python's `None`, msgpack's `nil`, CBOR's `null`.
    Null,
    /// CBOR's `undefined`.
    Undefined,
    Bool(bool),
    /// An integer of any size, as decimal text (`-12`, a 300-digit long).
    Int(String),
    /// A float, shown in its shortest round-trip form.
    Float(f64),
    /// Text (valid UTF-8).
    Str(String),
    /// Bytes that are not text, or that the format marks as bytes.
    Bytes(Vec<u8>),
    List(Vec<Node>),
    Tuple(Vec<Node>),
    Set(Vec<Node>),
    /// Key-value pairs in stored order; keys of any kind.
    Map(Vec<(Node, Node)>),
    /// Named fields in stored order: a protobuf message (`"1"`, `"2.fixed64"`),
    /// an object's state.
    Record(Vec<(String, Node)>),
    /// What a pickle would call to build the value (`datetime.datetime`,
    /// `os.system`), with its arguments, keyword arguments and the state
    /// `BUILD` would set. Shown, never made.
    Call {
        callee: String,
        args: Vec<Node>,
        kwargs: Vec<(String, Node)>,
        state: Option<Box<Node>>,
    },
    /// A reference to a global without a call (`builtins.len`).
    Global(String),
    /// An extension value the format leaves to the application: msgpack's
    /// ext types, CBOR's tags over bytes.
    Ext {
        tag: i64,
        data: Vec<u8>,
    },
    /// A tagged value (CBOR tags other than those read as timestamps).
    Tagged {
        tag: u64,
        value: Box<Node>,
    },
    /// A point in time: seconds and nanoseconds since the Unix epoch (UTC).
    Timestamp {
        secs: i64,
        nanos: u32,
    },
    /// A value with a remark beside it (`150  zigzag 75`, `persistent id`).
    Noted {
        value: Box<Node>,
        note: String,
    },
    /// A container that refers to itself, shown as Python does (`[...]`).
    Recursion,
    /// Where decoding stopped: the node budget, the depth limit or the end of
    /// a partial value; the text says which, and how much was left.
    Cut(String),
}

impl Node {
    /// The nodes directly inside this one, in order: a container's
    /// elements, a map's keys and values, a record's fields, a call's
    /// arguments, keyword arguments and state, a tagged or noted value.
    pub fn children(&self) -> Vec<&Node> {
        match self {
            Node::List(v) | Node::Tuple(v) | Node::Set(v) => v.iter().collect(),
            Node::Map(pairs) => pairs.iter().flat_map(|(k, v)| [k, v]).collect(),
            Node::Record(fields) => fields.iter().map(|(_, v)| v).collect(),
            Node::Call {
                args,
                kwargs,
                state,
                ..
            } => args
                .iter()
                .chain(kwargs.iter().map(|(_, v)| v))
                .chain(state.as_deref())
                .collect(),
            Node::Tagged { value, .. } | Node::Noted { value, .. } => vec![&**value],
            _ => Vec::new(),
        }
    }
}
