//! The objects a pickle builds, kept in one arena and referred to by index,
//! so that the memo shares them and a list may contain itself.

/// An object's place in the arena.
pub(super) type Id = usize;

/// How a call was made, which decides what loading it would run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum How {
    /// `REDUCE`, `INST`, `OBJ`: `callee(*args)`.
    Call,
    /// `NEWOBJ`, `NEWOBJ_EX`: `cls.__new__(cls, *args, **kwargs)`.
    New,
}

/// A call's positional arguments: the tuple `REDUCE` was given, kept by
/// reference so that a pickle calling with one large memoised tuple again
/// and again costs no copy per call; or the items after `INST`'s mark.
#[derive(Debug)]
pub(super) enum Args {
    Of(Id),
    Items(Vec<Id>),
}

/// A call the pickle asks for, and what it then does to the result.
#[derive(Debug)]
pub(super) struct Call {
    /// The callable as text (`datetime.datetime`, `os.system`).
    pub callee: String,
    pub args: Args,
    /// `NEWOBJ_EX`'s keyword arguments: a dict.
    pub kwargs: Option<Id>,
    /// What `BUILD` set, in order (almost always one).
    pub states: Vec<Id>,
    /// Items `APPEND(S)`/`ADDITEMS` added (a list or set subclass).
    pub items: Vec<Id>,
    /// Pairs `SETITEM(S)` added (a dict subclass, an `OrderedDict`).
    pub pairs: Vec<(Id, Id)>,
}

/// One object of the pickle.
#[derive(Debug)]
pub(super) enum Obj {
    None,
    Bool(bool),
    Int(i64),
    /// Already decimal (protocol 0's `INT` and `LONG` lines).
    IntText(String),
    /// Little-endian two's complement (`LONG1`, `LONG4`), made decimal only
    /// when shown.
    Long(Vec<u8>),
    Float(f64),
    Str(String),
    /// `BINUNICODE` bytes that are not UTF-8.
    BadText(Vec<u8>),
    Bytes(Vec<u8>),
    ByteArray(Vec<u8>),
    List(Vec<Id>),
    Tuple(Vec<Id>),
    Dict(Vec<(Id, Id)>),
    Set(Vec<Id>),
    FrozenSet(Vec<Id>),
    Global(String),
    /// Boxed: most objects are small, and a pickle may hold millions.
    Call(Box<Call>),
    /// What `BUILD` set on something that is not a call's result.
    Stated {
        base: Id,
        state: Id,
    },
    PersId(Id),
    Ext(u64),
    Buffer {
        index: usize,
        readonly: bool,
    },
}

impl Obj {
    /// What this is, for error messages and cut notes.
    pub fn kind(&self) -> &'static str {
        match self {
            Obj::None => "None",
            Obj::Bool(_) => "bool",
            Obj::Int(_) | Obj::IntText(_) | Obj::Long(_) => "int",
            Obj::Float(_) => "float",
            Obj::Str(_) | Obj::BadText(_) => "str",
            Obj::Bytes(_) => "bytes",
            Obj::ByteArray(_) => "bytearray",
            Obj::List(_) => "list",
            Obj::Tuple(_) => "tuple",
            Obj::Dict(_) => "dict",
            Obj::Set(_) => "set",
            Obj::FrozenSet(_) => "frozenset",
            Obj::Global(_) => "global",
            Obj::Call(_) => "object",
            Obj::Stated { .. } => "object",
            Obj::PersId(_) => "persistent id",
            Obj::Ext(_) => "extension",
            Obj::Buffer { .. } => "buffer",
        }
    }
}

impl Obj {
    /// What this is with its article, for error messages ("an int").
    pub fn kind_with_article(&self) -> String {
        let kind = self.kind();
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {kind}")
    }
}

/// Every object the pickle made; the memo and the stack hold their ids.
#[derive(Debug, Default)]
pub(super) struct Arena {
    objs: Vec<Obj>,
}

impl Arena {
    pub fn push(&mut self, obj: Obj) -> Id {
        self.objs.push(obj);
        self.objs.len() - 1
    }

    pub fn get(&self, id: Id) -> &Obj {
        &self.objs[id]
    }

    pub fn get_mut(&mut self, id: Id) -> &mut Obj {
        &mut self.objs[id]
    }

    /// Swaps in a new object at `id`, returning the old one.
    pub fn replace(&mut self, id: Id, obj: Obj) -> Obj {
        std::mem::replace(&mut self.objs[id], obj)
    }

    /// A call's arguments: a tuple's (or list's) items, else the one object.
    pub fn args<'a>(&'a self, args: &'a Args) -> &'a [Id] {
        match args {
            Args::Items(items) => items,
            Args::Of(id) => match self.get(*id) {
                Obj::Tuple(items) | Obj::List(items) => items,
                _ => std::slice::from_ref(id),
            },
        }
    }

    pub fn len(&self) -> usize {
        self.objs.len()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn objects_stay_small() {
        assert!(std::mem::size_of::<super::Obj>() <= 32);
    }
}
