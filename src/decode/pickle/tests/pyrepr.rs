//! Python's `repr()` of a decoded tree, so that the fixtures' own repr
//! (written by `make.py` from the value before pickling) checks the tree.

use crate::decode::Node;

pub fn repr(node: &Node) -> String {
    let mut out = String::new();
    write(node, &mut out);
    out
}

fn list(items: &[Node], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(item, out);
    }
}

fn write(node: &Node, out: &mut String) {
    match node {
        Node::Null => out.push_str("None"),
        Node::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Node::Int(v) => out.push_str(v),
        Node::Float(v) => out.push_str(&float(*v)),
        Node::Str(s) => out.push_str(&text(
            s.chars().map(Some),
            s.contains('\''),
            s.contains('"'),
        )),
        Node::Bytes(b) => {
            let chars = b.iter().map(|&c| match c {
                0..0x80 => Some(char::from(c)),
                _ => char::from_u32(0x10_ff00 + u32::from(c)),
            });
            out.push('b');
            out.push_str(&text(chars, b.contains(&b'\''), b.contains(&b'"')));
        }
        Node::List(v) => {
            out.push('[');
            list(v, out);
            out.push(']');
        }
        Node::Tuple(v) => {
            out.push('(');
            list(v, out);
            if v.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Node::Set(v) if v.is_empty() => out.push_str("set()"),
        Node::Set(v) => {
            out.push('{');
            list(v, out);
            out.push('}');
        }
        Node::Map(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(k, out);
                out.push_str(": ");
                write(v, out);
            }
            out.push('}');
        }
        Node::Call {
            callee,
            args,
            kwargs,
            state,
        } => {
            let short = match callee.as_str() {
                "decimal.Decimal" => "Decimal",
                "uuid.UUID" => "UUID",
                "collections.OrderedDict" => "OrderedDict",
                other => other,
            };
            out.push_str(short);
            out.push('(');
            match (short, args.as_slice()) {
                // Python 3.11 shows an OrderedDict's items as a list of pairs.
                ("OrderedDict", [Node::Map(pairs)]) => {
                    let items: Vec<Node> = pairs
                        .iter()
                        .map(|(k, v)| Node::Tuple(vec![k.clone(), v.clone()]))
                        .collect();
                    write(&Node::List(items), out);
                }
                _ => list(args, out),
            }
            for (i, (k, v)) in kwargs.iter().enumerate() {
                if i > 0 || !args.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                write(v, out);
            }
            out.push(')');
            if let Some(state) = state {
                out.push_str(" with state ");
                write(state, out);
            }
        }
        Node::Global(name) => out.push_str(name),
        Node::Recursion => out.push_str("[...]"),
        other => out.push_str(&format!("{other:?}")),
    }
}

/// A quoted literal as Python writes one: single quotes unless the text
/// has one and no double quote. Bytes at or past 0x80 arrive as
/// U+10FF80..U+10FFFF (private use) and are written `\xNN`.
fn text(chars: impl Iterator<Item = Option<char>>, has1: bool, has2: bool) -> String {
    let q = if has1 && !has2 { '"' } else { '\'' };
    let mut out = String::from(q);
    for c in chars.flatten() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if ('\u{10ff80}'..='\u{10ffff}').contains(&c) => {
                out.push_str(&format!("\\x{:02x}", u32::from(c) - 0x10_ff00));
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Python's float repr: the shortest round trip, in exponent form below
/// 1e-4 and from 1e16 up.
fn float(v: f64) -> String {
    if v.is_nan() {
        return "nan".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exponent digits");
    if (-4..16).contains(&exp) {
        let plain = format!("{v}");
        if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}
