//! Calls of well-known constructors shown as what they build:
//! `datetime.datetime(2024, 5, 1, 12, 0)` from its packed bytes,
//! `uuid.UUID('…')` from its `int`, protocol 2's bytes as bytes, sets as
//! sets, and the class a `copyreg._reconstructor` rebuilds.

use crate::decode::Node;

/// A call with positional arguments only.
pub(super) fn call(callee: &str, args: Vec<Node>) -> Node {
    Node::Call {
        callee: callee.to_owned(),
        args,
        kwargs: Vec::new(),
        state: None,
    }
}

/// A frozenset, shown as Python shows it: `frozenset({1, 2})`.
pub(super) fn frozenset(items: Vec<Node>) -> Node {
    if items.is_empty() {
        call("frozenset", Vec::new())
    } else {
        call("frozenset", vec![Node::Set(items)])
    }
}

/// `NEWOBJ_EX`'s keyword dict as named arguments.
pub(super) fn kwargs(node: Node) -> Vec<(String, Node)> {
    match node {
        Node::Map(pairs) => pairs.into_iter().map(|(k, v)| (key_text(k), v)).collect(),
        other => vec![("**".to_owned(), other)],
    }
}

fn key_text(key: Node) -> String {
    match key {
        Node::Str(s) => s,
        other => format!("{other:?}"),
    }
}

/// The call as a reader would like to see it: a known constructor
/// rewritten, anything else kept with its state's fields named. Arguments
/// are moved, never copied, so nested rewrites cost no more than the tree.
pub(super) fn readable(
    callee: String,
    args: Vec<Node>,
    kwargs: Vec<(String, Node)>,
    state: Option<Node>,
) -> Node {
    let plain = kwargs.is_empty() && state.is_none();
    match callee.as_str() {
        "builtins.set" if plain && is_items(&args) => return Node::Set(take_items(args)),
        "builtins.frozenset" if plain && is_items(&args) => return frozenset(take_items(args)),
        "builtins.bytes" if plain && matches!(args.as_slice(), [] | [Node::Bytes(_)]) => {
            return Node::Bytes(take_bytes(args));
        }
        "builtins.bytearray" if plain && matches!(args.as_slice(), [] | [Node::Bytes(_)]) => {
            return call("bytearray", vec![Node::Bytes(take_bytes(args))]);
        }
        "copyreg._reconstructor" if kwargs.is_empty() && is_reconstructor(&args) => {
            return reconstructor(args, state);
        }
        _ => {}
    }
    let rewritten = match callee.as_str() {
        "_codecs.encode" if plain => latin1_encode(&args),
        "builtins.bytearray" if plain => bytearray(&args),
        "datetime.datetime" if plain => datetime(&args),
        "datetime.date" if plain => date(&args),
        "datetime.time" if plain => time(&args),
        "datetime.timedelta" if plain => timedelta(&args),
        "datetime.timezone" if plain => utc(&args),
        "zoneinfo.ZoneInfo._unpickle" if plain => match args.first() {
            Some(key @ Node::Str(_)) => Some(Node::Call {
                callee: "zoneinfo.ZoneInfo".to_owned(),
                args: Vec::new(),
                kwargs: vec![("key".to_owned(), key.clone())],
                state: None,
            }),
            _ => None,
        },
        "uuid.UUID" if args.is_empty() && kwargs.is_empty() => state.as_ref().and_then(uuid),
        _ => None,
    };
    rewritten.unwrap_or_else(|| Node::Call {
        callee,
        args,
        kwargs,
        state: state.map(|s| Box::new(fields(s))),
    })
}

fn is_reconstructor(args: &[Node]) -> bool {
    matches!(args, [Node::Global(_), Node::Global(_), _])
}

/// `copyreg._reconstructor(cls, base, state)`, protocols 0 and 1's way of
/// rebuilding an instance: shown as the class, called with the base
/// value when there is one (a dict subclass's items).
fn reconstructor(args: Vec<Node>, state: Option<Node>) -> Node {
    let mut args = args.into_iter();
    match (args.next(), args.next(), args.next()) {
        (Some(Node::Global(cls)), Some(Node::Global(base)), Some(value)) => {
            let args = match (base.as_str(), &value) {
                ("builtins.object", Node::Null) => Vec::new(),
                _ => vec![value],
            };
            readable(cls, args, Vec::new(), state)
        }
        (a, b, c) => Node::Call {
            callee: "copyreg._reconstructor".to_owned(),
            args: [a, b, c].into_iter().flatten().chain(args).collect(),
            kwargs: Vec::new(),
            state: state.map(|s| Box::new(fields(s))),
        },
    }
}

/// An object's state with its fields named: a `__dict__` (and `__slots__`
/// values, pickled as a `(dict, slots)` pair) whose keys are all text.
fn fields(state: Node) -> Node {
    fn text_keys(pairs: &[(Node, Node)]) -> bool {
        pairs.iter().all(|(k, _)| matches!(k, Node::Str(_)))
    }
    fn named(pairs: Vec<(Node, Node)>, out: &mut Vec<(String, Node)>) {
        out.extend(pairs.into_iter().map(|(k, v)| match k {
            Node::Str(k) => (k, v),
            other => (format!("{other:?}"), v),
        }));
    }
    let mut out = Vec::new();
    match state {
        Node::Map(pairs) if text_keys(&pairs) => named(pairs, &mut out),
        Node::Tuple(parts)
            if matches!(parts.as_slice(), [Node::Null | Node::Map(_), Node::Map(_)])
                && parts.iter().all(|p| match p {
                    Node::Map(pairs) => text_keys(pairs),
                    _ => true,
                }) =>
        {
            for part in parts {
                if let Node::Map(pairs) = part {
                    named(pairs, &mut out);
                }
            }
        }
        other => return other,
    }
    Node::Record(out)
}

/// Whether a `set(...)` call was given one list or tuple (or nothing).
fn is_items(args: &[Node]) -> bool {
    matches!(args, [] | [Node::List(_) | Node::Tuple(_) | Node::Set(_)])
}

fn take_items(args: Vec<Node>) -> Vec<Node> {
    match args.into_iter().next() {
        Some(Node::List(items) | Node::Tuple(items) | Node::Set(items)) => items,
        _ => Vec::new(),
    }
}

fn take_bytes(args: Vec<Node>) -> Vec<u8> {
    match args.into_iter().next() {
        Some(Node::Bytes(b)) => b,
        _ => Vec::new(),
    }
}

/// Text as Latin-1 bytes, the way protocols 0 to 2 carry `bytes`.
fn latin1(node: &Node) -> Option<Vec<u8>> {
    match node {
        Node::Bytes(b) => Some(b.clone()),
        Node::Str(s) => s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect(),
        _ => None,
    }
}

/// `_codecs.encode('…', 'latin1')`: protocol 2's `bytes`.
fn latin1_encode(args: &[Node]) -> Option<Node> {
    match args {
        [Node::Str(s), Node::Str(codec)]
            if matches!(codec.as_str(), "latin1" | "latin-1" | "iso-8859-1") =>
        {
            latin1(&Node::Str(s.clone())).map(Node::Bytes)
        }
        _ => None,
    }
}

/// `bytearray(b'…')`; protocols 0 to 2 pass Latin-1 text and its codec.
fn bytearray(args: &[Node]) -> Option<Node> {
    match args {
        [text @ Node::Str(_), Node::Str(codec)]
            if matches!(codec.as_str(), "latin-1" | "latin1") =>
        {
            latin1(text).map(|b| call("bytearray", vec![Node::Bytes(b)]))
        }
        _ => None,
    }
}

fn int(v: impl ToString) -> Node {
    Node::Int(v.to_string())
}

/// Hour, minute, then seconds and microseconds only when set, as Python's
/// repr shows a time of day.
fn clock(h: u8, m: u8, s: u8, us: u32) -> Vec<Node> {
    let mut out = vec![int(h), int(m)];
    if s != 0 || us != 0 {
        out.push(int(s));
    }
    if us != 0 {
        out.push(int(us));
    }
    out
}

/// The keyword arguments after a datetime or time's packed state.
fn zone(args: &[Node], fold: bool) -> Vec<(String, Node)> {
    let mut out = Vec::new();
    match args.get(1) {
        None | Some(Node::Null) => {}
        Some(tz) => out.push(("tzinfo".to_owned(), tz.clone())),
    }
    if fold {
        out.push(("fold".to_owned(), int(1)));
    }
    out
}

fn micros(b: &[u8]) -> u32 {
    u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2])
}

fn valid_date(month: u8, day: u8) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn valid_clock(h: u8, m: u8, s: u8, us: u32) -> bool {
    h < 24 && m < 60 && s < 60 && us < 1_000_000
}

/// `datetime.datetime` from its 10 packed bytes (`yy m d h m s uuu`, the
/// month's top bit the fold) and its optional tzinfo.
fn datetime(args: &[Node]) -> Option<Node> {
    if args.len() > 2 {
        return None;
    }
    let b = latin1(args.first()?)?;
    let [y1, y2, mo, d, h, mi, s, u1, u2, u3] = b[..] else {
        return None;
    };
    let (month, fold) = (mo & 0x7f, mo & 0x80 != 0);
    let us = micros(&[u1, u2, u3]);
    if !valid_date(month, d) || !valid_clock(h, mi, s, us) {
        return None;
    }
    let mut out = vec![int(u16::from(y1) << 8 | u16::from(y2)), int(month), int(d)];
    out.extend(clock(h, mi, s, us));
    Some(Node::Call {
        callee: "datetime.datetime".to_owned(),
        args: out,
        kwargs: zone(args, fold),
        state: None,
    })
}

/// `datetime.date` from its 4 packed bytes.
fn date(args: &[Node]) -> Option<Node> {
    let [arg] = args else { return None };
    let b = latin1(arg)?;
    let [y1, y2, month, day] = b[..] else {
        return None;
    };
    if !valid_date(month, day) {
        return None;
    }
    let year = u16::from(y1) << 8 | u16::from(y2);
    Some(call("datetime.date", vec![int(year), int(month), int(day)]))
}

/// `datetime.time` from its 6 packed bytes (the hour's top bit the fold)
/// and its optional tzinfo.
fn time(args: &[Node]) -> Option<Node> {
    if args.len() > 2 {
        return None;
    }
    let b = latin1(args.first()?)?;
    let [h, mi, s, u1, u2, u3] = b[..] else {
        return None;
    };
    let (hour, fold) = (h & 0x7f, h & 0x80 != 0);
    let us = micros(&[u1, u2, u3]);
    if !valid_clock(hour, mi, s, us) {
        return None;
    }
    Some(Node::Call {
        callee: "datetime.time".to_owned(),
        args: clock(hour, mi, s, us),
        kwargs: zone(args, fold),
        state: None,
    })
}

/// `datetime.timedelta(days, seconds, microseconds)` with the parts named
/// and zero ones left out, as Python's repr does.
fn timedelta(args: &[Node]) -> Option<Node> {
    let [Node::Int(d), Node::Int(s), Node::Int(us)] = args else {
        return None;
    };
    let kwargs: Vec<(String, Node)> = [("days", d), ("seconds", s), ("microseconds", us)]
        .into_iter()
        .filter(|(_, v)| v.as_str() != "0")
        .map(|(k, v)| (k.to_owned(), Node::Int(v.clone())))
        .collect();
    let args = if kwargs.is_empty() {
        vec![int(0)]
    } else {
        Vec::new()
    };
    Some(Node::Call {
        callee: "datetime.timedelta".to_owned(),
        args,
        kwargs,
        state: None,
    })
}

/// `datetime.timezone(timedelta(0))` is `datetime.timezone.utc`.
fn utc(args: &[Node]) -> Option<Node> {
    match args {
        [
            Node::Call {
                callee,
                args,
                kwargs,
                ..
            },
        ] if callee == "datetime.timedelta"
            && kwargs.is_empty()
            && matches!(args.as_slice(), [Node::Int(z)] if z == "0") =>
        {
            Some(Node::Global("datetime.timezone.utc".to_owned()))
        }
        _ => None,
    }
}

/// `uuid.UUID('…')` from the `{'int': …}` state it pickles.
fn uuid(state: &Node) -> Option<Node> {
    let Node::Map(pairs) = state else { return None };
    let mut value = None;
    let mut kwargs = Vec::new();
    for (k, v) in pairs {
        match (k, v) {
            (Node::Str(k), Node::Int(n)) if k == "int" => value = n.parse::<u128>().ok(),
            (Node::Str(k), Node::Null) if k == "is_safe" => {}
            (Node::Str(k), v) if k == "is_safe" => kwargs.push((k.clone(), v.clone())),
            _ => return None,
        }
    }
    let text = uuid::Uuid::from_u128(value?).hyphenated().to_string();
    Some(Node::Call {
        callee: "uuid.UUID".to_owned(),
        args: vec![Node::Str(text)],
        kwargs,
        state: None,
    })
}
