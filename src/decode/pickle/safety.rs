//! What loading a pickle would run: callables named as text, and the
//! allow-list of constructors that only build data.

use super::arena::{Arena, Id, Obj};

/// Callables that only build data when a pickle is loaded: containers,
/// numbers, dates, identifiers, and the helpers `pickle` itself uses to
/// rebuild instances of ordinary classes.
const HARMLESS: &[&str] = &[
    "_codecs.encode",
    "array._array_reconstructor",
    "array.array",
    "builtins.bool",
    "builtins.bytearray",
    "builtins.bytes",
    "builtins.complex",
    "builtins.dict",
    "builtins.float",
    "builtins.frozenset",
    "builtins.int",
    "builtins.list",
    "builtins.object",
    "builtins.range",
    "builtins.set",
    "builtins.slice",
    "builtins.str",
    "builtins.tuple",
    "collections.ChainMap",
    "collections.Counter",
    "collections.OrderedDict",
    "collections.defaultdict",
    "collections.deque",
    "copyreg.__newobj__",
    "copyreg.__newobj_ex__",
    "copyreg._reconstructor",
    "datetime.date",
    "datetime.datetime",
    "datetime.time",
    "datetime.timedelta",
    "datetime.timezone",
    "decimal.Decimal",
    "fractions.Fraction",
    "ipaddress.IPv4Address",
    "ipaddress.IPv4Interface",
    "ipaddress.IPv4Network",
    "ipaddress.IPv6Address",
    "ipaddress.IPv6Interface",
    "ipaddress.IPv6Network",
    "pathlib.Path",
    "pathlib.PosixPath",
    "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath",
    "pathlib.WindowsPath",
    "pytz._UTC",
    "pytz._p",
    "uuid.UUID",
    "zoneinfo.ZoneInfo._unpickle",
];

/// Longest callee text kept; a forged chain of calls cannot make it grow.
const MAX_NAME: usize = 200;

/// `module.name` of a global, with Python 2's module names mapped to
/// Python 3's as the unpickler does for old protocols.
pub(super) fn qualified(module: &str, name: &str) -> String {
    let module = match module {
        "__builtin__" | "exceptions" => "builtins",
        "copy_reg" => "copyreg",
        other => other,
    };
    let mut out = format!("{module}.{name}");
    truncate(&mut out);
    out
}

/// Whether calling `name` only builds data.
pub(super) fn harmless(name: &str) -> bool {
    HARMLESS.binary_search(&name).is_ok()
}

/// A callable as text: a global's name, or what an attribute fetch or an
/// import evaluates to (`getattr(__import__('os'), 'system')` is `os.system`).
pub(super) fn describe(arena: &Arena, id: Id) -> String {
    let mut out = describe_at(arena, id, 0);
    truncate(&mut out);
    out
}

fn describe_at(arena: &Arena, id: Id, depth: usize) -> String {
    if depth > 8 {
        return "…".to_owned();
    }
    match arena.get(id) {
        Obj::Global(name) => name.clone(),
        Obj::Call(call) => {
            let args = arena.args(&call.args);
            let text = |i: usize| match args.get(i).map(|&a| arena.get(a)) {
                Some(Obj::Str(s)) => Some(s.as_str()),
                _ => None,
            };
            match call.callee.as_str() {
                "builtins.getattr" if args.len() >= 2 => match text(1) {
                    Some(attr) => format!("{}.{attr}", describe_at(arena, args[0], depth + 1)),
                    None => format!("{}(…)", call.callee),
                },
                "builtins.__import__" | "importlib.import_module" => match text(0) {
                    Some(module) => module.to_owned(),
                    None => format!("{}(…)", call.callee),
                },
                _ => format!("{}(…)", call.callee),
            }
        }
        other => format!("<a {}>", other.kind()),
    }
}

/// What a call made by `REDUCE`, `INST` or `OBJ` would run that is not
/// known to be harmless: the callee, and for `copyreg._reconstructor` the
/// base class whose `__new__` and `__init__` it runs.
pub(super) fn flags(arena: &Arena, callee: &str, args: &[Id]) -> Vec<String> {
    if !harmless(callee) {
        return vec![callee.to_owned()];
    }
    if callee == "copyreg._reconstructor"
        && let Some(&base) = args.get(1)
    {
        let base = describe(arena, base);
        if !harmless(&base) {
            return vec![base];
        }
    }
    Vec::new()
}

fn truncate(s: &mut String) {
    if s.len() > MAX_NAME {
        let mut cut = MAX_NAME;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_is_sorted_for_binary_search() {
        assert!(HARMLESS.windows(2).all(|w| w[0] < w[1]));
        assert!(harmless("datetime.datetime"));
        assert!(!harmless("os.system"));
        assert!(!harmless("builtins.eval"));
    }

    #[test]
    fn python_2_modules_read_as_python_3_ones() {
        assert_eq!(qualified("__builtin__", "set"), "builtins.set");
        assert_eq!(
            qualified("copy_reg", "_reconstructor"),
            "copyreg._reconstructor"
        );
        assert_eq!(qualified("os", "system"), "os.system");
    }
}
