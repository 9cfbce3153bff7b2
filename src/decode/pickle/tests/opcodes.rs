//! Hand-made opcode streams: what Python's pickler rarely or never writes,
//! Python 2's forms, and the errors.

use super::*;

fn err(bytes: &[u8]) -> String {
    decode(bytes, &Limits::default())
        .expect_err("not a pickle")
        .to_string()
}

#[test]
fn protocol_0_text_arguments_read_as_python_reads_them() {
    let d = read(b"(I01\nI00\nI-12\nL123456789012345678901234567890L\nF-2.5\nS'caf\\xc3\\xa9'\nS'\\xff'\nVa\\u20acb\nl.");
    assert_eq!(
        d.node,
        Node::List(vec![
            Node::Bool(true),
            Node::Bool(false),
            int(-12),
            Node::Int("123456789012345678901234567890".to_owned()),
            Node::Float(-2.5),
            s("café"),
            Node::Bytes(vec![0xff]),
            s("a€b"),
        ])
    );
    assert_eq!(d.protocol, 0);
}

#[test]
fn python_2_strings_are_text_when_utf8_else_bytes() {
    let d = read(b"\x80\x02]q\x00(U\x03abcT\x02\x00\x00\x00\xff\xfee.");
    assert_eq!(
        d.node,
        Node::List(vec![s("abc"), Node::Bytes(vec![0xff, 0xfe])])
    );
    let bad = read(b"X\x01\x00\x00\x00\xff.");
    assert_eq!(
        bad.node,
        Node::Noted {
            value: Box::new(Node::Bytes(vec![0xff])),
            note: "text that is not valid UTF-8".to_owned(),
        }
    );
}

#[test]
fn long_integers_are_exact() {
    // LONG1 of 9 bytes: 2**64; of 1 byte 0xff: -1; of 0 bytes: 0.
    let d = read(b"\x80\x02(\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01\x8a\x01\xff\x8a\x00t.");
    assert_eq!(
        d.node,
        Node::Tuple(vec![
            Node::Int("18446744073709551616".to_owned()),
            int(-1),
            int(0)
        ])
    );
    // LONG4 of 5000 bytes is shown as its bytes, not turned into 12 000 digits.
    let mut huge = b"\x80\x02\x8b\x88\x13\x00\x00".to_vec();
    huge.extend(std::iter::repeat_n(0x11, 5000));
    huge.push(b'.');
    let Node::Noted { note, .. } = read(&huge).node else {
        panic!("a noted integer")
    };
    assert!(note.starts_with("a 5000-byte integer"), "{note}");
}

#[test]
fn inst_obj_and_newobj_ex_are_calls() {
    // INST: MARK, args, `i module\nname\n`.
    let d = read(b"(I1\nidecimal\nDecimal\n.");
    assert_eq!(d.node, call("decimal.Decimal", vec![int(1)]));
    assert!(d.flagged.is_empty());
    // OBJ: MARK, class, args.
    let d = read(b"(cshop\nCart\nK\x02o.");
    assert_eq!(d.node, call("shop.Cart", vec![int(2)]));
    assert_eq!(d.flagged, ["shop.Cart"]);
    // NEWOBJ_EX: class, args, kwargs; NEWOBJ only runs __new__, never flagged.
    let d = read(b"\x80\x04\x8c\x04shop\x8c\x04Cart\x93K\x01\x85}\x8c\x01nK\x03s\x92.");
    assert_eq!(
        d.node,
        Node::Call {
            callee: "shop.Cart".to_owned(),
            args: vec![int(1)],
            kwargs: vec![("n".to_owned(), int(3))],
            state: None,
        }
    );
    assert!(d.flagged.is_empty());
}

#[test]
fn persistent_ids_and_extension_codes_are_noted() {
    let noted = |v: Node, note: &str| Node::Noted {
        value: Box::new(v),
        note: note.to_owned(),
    };
    let d = read(b"\x80\x02(Pdoc-1\nK\x05Q\x82\x07\x83\x00\x01\x84\x00\x00\x01\x00l.");
    assert_eq!(
        d.node,
        Node::List(vec![
            noted(s("doc-1"), "persistent id"),
            noted(int(5), "persistent id"),
            noted(int(7), "extension-registry code"),
            noted(int(256), "extension-registry code"),
            noted(int(65536), "extension-registry code"),
        ])
    );
}

#[test]
fn stack_opcodes_move_what_python_moves() {
    // DUP, TUPLE2, POP, POP_MARK, then a text PUT, POP and GET.
    let d = read(b"\x80\x04K\x012\x86K\x090(K\x081p7\n0g7\n.");
    assert_eq!(d.node, Node::Tuple(vec![int(1), int(1)]));
    // MEMOIZE, ADDITEMS, TUPLE1, BINGET of the list itself, APPENDS.
    let d = read(b"\x80\x04]\x94(K\x01K\x02\x8f(K\x03\x90\x85h\x00e.");
    assert_eq!(
        d.node,
        Node::List(vec![
            int(1),
            int(2),
            Node::Tuple(vec![Node::Set(vec![int(3)])]),
            Node::Recursion,
        ])
    );
    let d = read(b"\x80\x04(K\x01\x91.");
    assert_eq!(d.node, call("frozenset", vec![Node::Set(vec![int(1)])]));
}

#[test]
fn build_on_a_plain_value_keeps_the_state_beside_it() {
    let d = read(b"\x80\x02]}b.");
    assert_eq!(
        d.node,
        Node::Noted {
            value: Box::new(Node::Record(vec![
                ("value".to_owned(), Node::List(vec![])),
                ("state".to_owned(), Node::Map(vec![])),
            ])),
            note: "state set by BUILD".to_owned(),
        }
    );
}

#[test]
fn nesting_past_the_depth_limit_is_cut() {
    let mut bytes = b"\x80\x02".to_vec();
    bytes.extend(std::iter::repeat_n(b']', 300));
    bytes.extend(std::iter::repeat_n(b'a', 299));
    bytes.push(b'.');
    let d = read(&bytes);
    assert_eq!(depth(&d.node), 257);
    assert!(has_cut(&d.node));
}

#[test]
fn broken_pickles_say_where_and_why() {
    assert_eq!(err(b""), "pickle: the value ends before STOP at byte 0");
    assert_eq!(
        err(b"\x80\x02K"),
        "pickle: BININT1 is cut short (the value ends at byte 3) at byte 2"
    );
    assert_eq!(
        err(b"\x80\x02\xf3"),
        "pickle: unknown opcode 0xf3 at byte 2"
    );
    assert_eq!(
        err(b"\x80\x06N."),
        "pickle: unsupported protocol 6 at byte 0"
    );
    assert_eq!(err(b"N.xyz"), "pickle: 3 more bytes after STOP at byte 2");
    assert_eq!(err(b"a."), "pickle: APPEND on an empty stack at byte 0");
    assert_eq!(err(b"Nt."), "pickle: TUPLE without a MARK at byte 1");
    assert_eq!(
        err(b"h\x05."),
        "pickle: BINGET of memo slot 5, which was never set at byte 0"
    );
    assert_eq!(err(b"K\x01K\x02a."), "pickle: APPEND on an int at byte 4");
    assert_eq!(
        err(b"\x8e\xff\xff\xff\xff\xff\xff\xff\x7f."),
        "pickle: BINBYTES8 is cut short (the value ends at byte 10) at byte 0"
    );
    assert_eq!(
        err(b"(K\x01d."),
        "pickle: DICT with an odd number of items at byte 3"
    );
    assert_eq!(
        err(b"S'abc\n."),
        "pickle: the STRING argument is not quoted at byte 0"
    );
}

#[test]
fn calls_sharing_one_large_argument_tuple_copy_nothing_per_call() {
    // A 100 000-item tuple, memoised, then called with 100 000 times: a
    // copy per call would be 10^10 ids.
    let mut bytes = b"\x80\x04\x8c\x08builtins\x8c\x05tuple\x93\x94(".to_vec();
    bytes.extend(std::iter::repeat_n(*b"K\x01", 100_000).flatten());
    bytes.extend(b"t\x94]\x94(");
    bytes.extend(std::iter::repeat_n(*b"h\x00h\x01R", 100_000).flatten());
    bytes.extend(b"e.");
    let d = read(&bytes);
    assert!(d.flagged.is_empty());
    assert!(count(&d.node) <= 200_100);
    assert!(has_cut(&d.node));
}

#[test]
fn a_large_memoised_string_referenced_often_costs_by_its_size() {
    let mut bytes = b"\x80\x04]\x94(\x8d\x00\x00\x10\x00\x00\x00\x00\x00".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 1 << 20));
    bytes.extend(b"\x94");
    bytes.extend(std::iter::repeat_n(*b"h\x01", 10_000).flatten());
    bytes.extend(b"e.");
    let Node::List(items) = read(&bytes).node else {
        panic!("a list")
    };
    let copies = items.iter().filter(|n| matches!(n, Node::Str(_))).count();
    assert!((40..=60).contains(&copies), "{copies} copies of a megabyte");
    assert!(matches!(items.last(), Some(Node::Cut(_))));
}
