use super::*;
use proptest::prelude::*;

fn py(n: &Node) -> String {
    layout(n, Dialect::Python, 1 << 20).text
}

fn data(n: &Node) -> String {
    layout(n, Dialect::Data, 1 << 20).text
}

fn int(i: i64) -> Node {
    Node::Int(i.to_string())
}

fn s(x: &str) -> Node {
    Node::Str(x.into())
}

#[test]
fn scalars_in_both_dialects() {
    let cases: Vec<(Node, &str, &str)> = vec![
        (Node::Null, "None", "null"),
        (Node::Undefined, "undefined", "undefined"),
        (Node::Bool(true), "True", "true"),
        (Node::Bool(false), "False", "false"),
        (
            Node::Int("-123456789012345678901234567890".into()),
            "-123456789012345678901234567890",
            "-123456789012345678901234567890",
        ),
        (Node::Float(0.1), "0.1", "0.1"),
        (Node::Float(1e300), "1e+300", "1e+300"),
        (Node::Float(f64::INFINITY), "inf", "Infinity"),
        (Node::Float(f64::NAN), "nan", "NaN"),
        (
            s("it's \"q\"\n\u{1b}[31m"),
            r#"'it\'s "q"\n\x1b[31m'"#,
            r#""it's \"q\"\n\u001b[31m""#,
        ),
        (s("it's"), r#""it's""#, r#""it's""#),
        (
            Node::Bytes(b"\x00ab'\xff".to_vec()),
            r#"b"\x00ab'\xff""#,
            r#"b"\x00ab'\xff""#,
        ),
        (Node::Bytes(vec![]), "b''", "b\"\""),
        (
            Node::Ext {
                tag: 5,
                data: vec![1, 2],
            },
            r"ext(5, b'\x01\x02')",
            r#"ext(5, b"\x01\x02")"#,
        ),
        (
            Node::Ext {
                tag: -3,
                data: vec![],
            },
            "ext(-3, b'')",
            "ext(-3, b\"\")",
        ),
        (
            Node::Timestamp {
                secs: 1_714_564_800,
                nanos: 0,
            },
            "datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)",
            "2024-05-01T12:00:00Z",
        ),
        (
            Node::Global("builtins.len".into()),
            "builtins.len",
            "builtins.len",
        ),
        (Node::Recursion, "[...]", "[...]"),
        (
            Node::Cut("3 more elements (node budget)".into()),
            "… 3 more elements (node budget)",
            "… 3 more elements (node budget)",
        ),
    ];
    for (node, p, d) in cases {
        assert_eq!(py(&node), p, "{node:?}");
        assert_eq!(data(&node), d, "{node:?}");
    }
}

#[test]
fn short_containers_stay_on_one_line() {
    let m = Node::Map(vec![
        (s("a"), int(1)),
        (s("b"), Node::Tuple(vec![int(1), int(2)])),
        (int(3), Node::List(vec![])),
    ]);
    assert_eq!(py(&m), "{'a': 1, 'b': (1, 2), 3: []}");
    assert_eq!(data(&m), r#"{"a": 1, "b": (1, 2), 3: []}"#);
    assert_eq!(py(&Node::Tuple(vec![int(1)])), "(1,)");
    assert_eq!(py(&Node::Tuple(vec![])), "()");
    assert_eq!(py(&Node::Set(vec![int(1), int(2)])), "{1, 2}");
    assert_eq!(py(&Node::Set(vec![])), "set()");
    assert_eq!(py(&Node::Map(vec![])), "{}");
    let r = Node::Record(vec![("1".into(), int(150)), ("2.fixed64".into(), s("x"))]);
    assert_eq!(data(&r), r#"{1: 150, 2.fixed64: "x"}"#);
    let t = Node::Tagged {
        tag: 32,
        value: Box::new(s("http://x")),
    };
    assert_eq!(data(&t), r#"tag(32, "http://x")"#);
}

#[test]
fn calls_read_as_python() {
    let dt = Node::Call {
        callee: "datetime.datetime".into(),
        args: vec![int(2024), int(5), int(1), int(12), int(0)],
        kwargs: vec![],
        state: None,
    };
    assert_eq!(py(&dt), "datetime.datetime(2024, 5, 1, 12, 0)");
    let c = Node::Call {
        callee: "app.User".into(),
        args: vec![],
        kwargs: vec![("name".into(), s("ann"))],
        state: Some(Box::new(Node::Map(vec![(s("age"), int(3))]))),
    };
    assert_eq!(py(&c), "app.User(name='ann').__setstate__({'age': 3})");
    let evil = Node::Call {
        callee: "os.system".into(),
        args: vec![s("rm -rf ~")],
        kwargs: vec![],
        state: None,
    };
    assert_eq!(py(&evil), "os.system('rm -rf ~')");
}

#[test]
fn long_containers_open_one_element_per_line() {
    let long = Node::Map(vec![
        (s("name"), s("a fairly long value that does not fit")),
        (s("tags"), Node::List(vec![s("x"), s("y")])),
        (
            s("nested"),
            Node::Map(vec![(s("deep"), Node::List((0..30).map(int).collect()))]),
        ),
    ]);
    let want = "\
{
  'name': 'a fairly long value that does not fit',
  'tags': ['x', 'y'],
  'nested': {
    'deep': [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17,
      18,
      19,
      20,
      21,
      22,
      23,
      24,
      25,
      26,
      27,
      28,
      29
    ]
  }
}";
    assert_eq!(py(&long), want);
    let tuple = Node::Tuple(vec![s(&"x".repeat(90))]);
    assert_eq!(py(&tuple), format!("(\n  '{}',\n)", "x".repeat(90)));
    let call = Node::Call {
        callee: "decimal.Decimal".into(),
        args: vec![s(&"9".repeat(80))],
        kwargs: vec![("context".into(), Node::Null)],
        state: None,
    };
    assert_eq!(
        py(&call),
        format!(
            "decimal.Decimal(\n  '{}',\n  context=None\n)",
            "9".repeat(80)
        )
    );
}

#[test]
fn one_line_means_eighty_columns_from_where_it_starts() {
    // 78 columns of list fit at the left margin; under a key they do not.
    let items: Vec<Node> = (0..26).map(|_| int(1)).collect();
    let list = Node::List(items);
    let flat = py(&list);
    assert_eq!(flat.chars().count(), 78);
    assert!(!flat.contains('\n'));
    let held = py(&Node::Map(vec![(s("key"), list)]));
    assert!(held.starts_with("{\n  'key': [\n    1,"), "{held}");
}

#[test]
fn remarks_end_their_line() {
    let r = Node::Record(vec![
        (
            "1".into(),
            Node::Noted {
                value: Box::new(int(150)),
                note: "zigzag 75".into(),
            },
        ),
        ("2".into(), s("x")),
    ]);
    assert_eq!(data(&r), "{\n  1: 150,  // zigzag 75\n  2: \"x\"\n}");
    let top = Node::Noted {
        value: Box::new(Node::Noted {
            value: Box::new(int(1)),
            note: "a\nb".into(),
        }),
        note: "c".into(),
    };
    assert_eq!(py(&top), "1  # a\\nb; c");
}

#[test]
fn output_stops_at_the_cap_on_a_whole_line() {
    let list = Node::List((0..500).map(int).collect());
    let full = py(&list);
    let p = layout(&list, Dialect::Python, 100);
    let (shown, last) = p.text.rsplit_once('\n').expect("a last line");
    assert!(shown.len() <= 100);
    assert!(full.starts_with(shown));
    let more = full.len() - shown.len();
    assert_eq!(last, format!("… ({more} more bytes not shown)"));
    let note = p.spans.last().expect("spans");
    assert_eq!(note.token, Token::Note);
    assert_eq!(&p.text[note.range.clone()], last);
    assert!(p.spans.iter().all(|s| s.range.end <= p.text.len()));

    // A huge tree is counted only so far past the cap.
    let huge = Node::List((0..100_000).map(int).collect());
    let p = layout(&huge, Dialect::Data, 1000);
    let last = p.text.rsplit_once('\n').map(|(_, l)| l);
    assert!(
        last.is_some_and(|l| l.starts_with("… (more than 4")),
        "{last:?}"
    );
    assert!(p.text.len() < 1100);

    // A single huge scalar is cut inside its line.
    let big = Node::Bytes(vec![0; 1000]);
    let p = layout(&big, Dialect::Data, 50);
    assert_eq!(
        p.text,
        format!("b\"{}\n… (3953 more bytes not shown)", "\\x00".repeat(12))
    );
}

#[test]
fn spans_colour_each_token() {
    let n = Node::Map(vec![(
        s("k"),
        Node::List(vec![int(1), Node::Null, Node::Global("m.f".into())]),
    )]);
    let p = layout(&n, Dialect::Python, 1000);
    let toks: Vec<(Token, &str)> = p
        .spans
        .iter()
        .map(|sp| (sp.token, &p.text[sp.range.clone()]))
        .collect();
    assert_eq!(
        toks,
        [
            (Token::Punct, "{"),
            (Token::Key, "'k'"),
            (Token::Punct, ":"),
            (Token::Punct, "["),
            (Token::Number, "1"),
            (Token::Punct, ","),
            (Token::Literal, "None"),
            (Token::Punct, ","),
            (Token::Name, "m.f"),
            (Token::Punct, "]"),
            (Token::Punct, "}"),
        ]
    );
}

#[test]
fn names_from_the_bytes_are_escaped() {
    let n = Node::Call {
        callee: "os\u{1b}]0;x\u{7}.system".into(),
        args: vec![],
        kwargs: vec![("\u{202e}k".into(), Node::Int("1\r".into()))],
        state: None,
    };
    assert_eq!(py(&n), "os\\x1b]0;x\\x07.system(\\u202ek=1\\r)");
}

#[test]
fn deep_trees_are_bounded() {
    let mut n = int(1);
    for _ in 0..2000 {
        n = Node::List(vec![n]);
    }
    let p = layout(&n, Dialect::Data, 1 << 20);
    assert!(p.text.contains('…'));
    // Drop a deep tree without overflowing the stack.
    while let Node::List(mut v) = n {
        n = v.pop().unwrap_or(Node::Null);
    }
}

pub(crate) fn arb_node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        Just(Node::Null),
        Just(Node::Undefined),
        any::<bool>().prop_map(Node::Bool),
        any::<i64>().prop_map(|i| Node::Int(i.to_string())),
        ".{0,8}".prop_map(Node::Int),
        any::<f64>().prop_map(Node::Float),
        any::<String>().prop_map(Node::Str),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Node::Bytes),
        any::<String>().prop_map(Node::Global),
        (any::<i64>(), proptest::collection::vec(any::<u8>(), 0..8))
            .prop_map(|(tag, data)| Node::Ext { tag, data }),
        (any::<i64>(), any::<u32>()).prop_map(|(secs, nanos)| Node::Timestamp { secs, nanos }),
        Just(Node::Recursion),
        any::<String>().prop_map(Node::Cut),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let v = || proptest::collection::vec(inner.clone(), 0..6);
        prop_oneof![
            v().prop_map(Node::List),
            v().prop_map(Node::Tuple),
            v().prop_map(Node::Set),
            proptest::collection::vec((inner.clone(), inner.clone()), 0..5).prop_map(Node::Map),
            proptest::collection::vec((any::<String>(), inner.clone()), 0..5)
                .prop_map(Node::Record),
            (
                any::<String>(),
                v(),
                proptest::collection::vec((any::<String>(), inner.clone()), 0..3),
                proptest::option::of(inner.clone())
            )
                .prop_map(|(callee, args, kwargs, state)| Node::Call {
                    callee,
                    args,
                    kwargs,
                    state: state.map(Box::new),
                }),
            (any::<u64>(), inner.clone()).prop_map(|(tag, v)| Node::Tagged {
                tag,
                value: Box::new(v)
            }),
            (inner.clone(), any::<String>()).prop_map(|(v, note)| Node::Noted {
                value: Box::new(v),
                note
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn any_tree_prints_safely_within_the_cap(
        node in arb_node(),
        cap in 0usize..400,
        python in any::<bool>(),
    ) {
        let dialect = if python { Dialect::Python } else { Dialect::Data };
        let whole = layout(&node, dialect, usize::MAX);
        let p = layout(&node, dialect, cap);
        for out in [&whole, &p] {
            prop_assert!(
                !out.text.chars().any(|c| c != '\n' && !text::printable(c)),
                "unsafe character in {:?}", out.text
            );
            let mut end = 0;
            for sp in &out.spans {
                prop_assert!(sp.range.start >= end && sp.range.end > sp.range.start);
                prop_assert!(out.text.is_char_boundary(sp.range.start));
                prop_assert!(out.text.is_char_boundary(sp.range.end));
                end = sp.range.end;
            }
            prop_assert!(end <= out.text.len());
        }
        if whole.text.len() <= cap {
            prop_assert_eq!(&p, &whole);
        } else {
            let (shown, last) = p.text.rsplit_once('\n').unwrap_or(("", &p.text));
            prop_assert!(shown.len() <= cap);
            prop_assert!(whole.text.starts_with(shown));
            let more = whole.text.len() - shown.len();
            match last.strip_prefix("… (more than ") {
                Some(rest) => {
                    let counted: usize = rest.trim_end_matches(" bytes not shown)").parse().unwrap_or(usize::MAX);
                    prop_assert!(counted < more && counted > 4096);
                }
                None => prop_assert_eq!(last, format!("… ({more} more bytes not shown)")),
            }
        }
    }
}
