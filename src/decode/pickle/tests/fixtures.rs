//! Pickles written by CPython 3.11's own `pickle` module.

use super::*;

const MARKER: &str = "/tmp/upstash-tui-pickle-was-run";

fn record(fields: Vec<(&str, Node)>) -> Node {
    Node::Record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn instance(callee: &str, state: Node) -> Node {
    Node::Call {
        callee: callee.to_owned(),
        args: Vec::new(),
        kwargs: Vec::new(),
        state: Some(Box::new(state)),
    }
}

fn noted(value: Node, note: &str) -> Node {
    Node::Noted {
        value: Box::new(value),
        note: note.to_owned(),
    }
}

#[test]
fn every_fixture_reads_as_python_shows_the_value() {
    let text = std::fs::read_to_string(fixture_dir().join("expected.json")).expect("expected.json");
    let expected: std::collections::BTreeMap<String, Option<String>> =
        serde_json::from_str(&text).expect("json");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (name, want) in &expected {
        let bytes = fixture(name);
        // Flask-Caching's `!` is its envelope, not part of the pickle.
        let bytes = bytes.strip_prefix(b"!").unwrap_or(&bytes);
        let got = match decode(bytes, &Limits::default()) {
            Ok(d) => d,
            Err(e) => {
                wrong.push(format!("{name}: {e}"));
                continue;
            }
        };
        if let Some(want) = want {
            checked += 1;
            let got = pyrepr::repr(&got.node);
            if &got != want {
                wrong.push(format!("{name}:\n  python: {want}\n  read:   {got}"));
            }
        }
    }
    assert!(checked > 50, "only {checked} fixtures compared");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn an_instance_is_its_class_with_its_fields_at_every_protocol() {
    let want = instance(
        "shop.Order",
        record(vec![
            ("id", int(7)),
            (
                "lines",
                Node::List(vec![Node::Tuple(vec![s("tea"), int(2)])]),
            ),
            ("total", call("decimal.Decimal", vec![s("12.50")])),
            (
                "placed",
                call(
                    "datetime.datetime",
                    vec![int(2024), int(5), int(1), int(12), int(0)],
                ),
            ),
        ]),
    );
    for p in [0, 2, 4, 5] {
        let d = read(&fixture(&format!("order.p{p}.pickle")));
        assert_eq!(d.node, want, "protocol {p}");
        assert_eq!(d.flagged, Vec::<String>::new(), "protocol {p}");
        assert_eq!(d.warning(), None);
    }
}

#[test]
fn dataclasses_slots_enums_and_defaultdicts_read_as_their_calls() {
    let point = instance("shop.Point", record(vec![("x", int(1)), ("y", int(2))]));
    let slotted = instance("shop.Slotted", record(vec![("a", int(1)), ("b", s("two"))]));
    let list = Node::Global("builtins.list".to_owned());
    let items = Node::Map(vec![(s("a"), Node::List(vec![int(1)]))]);
    let defaultdict = call("collections.defaultdict", vec![list, items]);
    for p in [0, 2, 4, 5] {
        assert_eq!(read(&fixture(&format!("point.p{p}.pickle"))).node, point);
        assert_eq!(
            read(&fixture(&format!("defaultdict.p{p}.pickle"))).node,
            defaultdict
        );
        let color = read(&fixture(&format!("color.p{p}.pickle")));
        assert_eq!(color.node, call("shop.Color", vec![int(2)]));
        assert_eq!(color.flagged, ["shop.Color"], "an enum's class is called");
    }
    for p in [2, 4, 5] {
        assert_eq!(
            read(&fixture(&format!("slotted.p{p}.pickle"))).node,
            slotted
        );
    }
}

#[test]
fn a_dict_that_contains_itself_is_a_recursion() {
    for p in [0, 2, 4, 5] {
        let d = read(&fixture(&format!("self_ref_dict.p{p}.pickle")));
        assert_eq!(
            d.node,
            Node::Map(vec![(s("name"), s("loop")), (s("me"), Node::Recursion)])
        );
    }
}

#[test]
fn out_of_band_buffers_are_noted_by_index() {
    let d = read(&fixture("buffers_oob.p5.pickle"));
    assert_eq!(d.protocol, 5);
    assert_eq!(
        d.node,
        Node::List(vec![
            noted(int(0), "out-of-band buffer, not stored in the pickle"),
            noted(
                int(1),
                "read-only out-of-band buffer, not stored in the pickle"
            ),
        ])
    );
}

#[test]
fn django_redis_and_flask_caching_values_read_as_pickles() {
    let django = read(&fixture("django_redis.pickle"));
    assert_eq!(django.protocol, 5, "pickle.dumps(value, -1) on Python 3.11");
    let flask = fixture("flask_caching.bin");
    assert_eq!(read(&flask[1..]).node, django.node);
    let err = decode(&flask, &Limits::default()).expect_err("the envelope is not pickle");
    assert_eq!(err.to_string(), "pickle: unknown opcode 0x21 at byte 0");
}

#[test]
fn a_malicious_pickle_is_shown_and_flagged_and_never_run() {
    let _ = std::fs::remove_file(MARKER);
    let command = s("touch /tmp/upstash-tui-pickle-was-run");
    for p in [0, 2, 4, 5] {
        let d = read(&fixture(&format!("evil.p{p}.pickle")));
        assert_eq!(d.node, call("posix.system", vec![command.clone()]));
        assert_eq!(d.flagged, ["posix.system"]);
        assert_eq!(
            d.warning().as_deref(),
            Some("this pickle would call posix.system when loaded; nothing was run")
        );
    }
    let d = read(&fixture("evil_os.pickle"));
    assert_eq!(d.node, call("os.system", vec![command]));
    assert_eq!(
        d.warning().as_deref(),
        Some("this pickle would call os.system when loaded; nothing was run")
    );
    assert!(
        !std::path::Path::new(MARKER).exists(),
        "reading a pickle ran its command"
    );
}

#[test]
fn an_attribute_chain_names_what_it_would_call() {
    let d = read(&fixture("evil_chain.pickle"));
    assert_eq!(
        d.node,
        call("subprocess.check_output", vec![Node::List(vec![s("id")])])
    );
    assert_eq!(
        d.flagged,
        [
            "builtins.__import__",
            "builtins.getattr",
            "subprocess.check_output"
        ]
    );
    assert_eq!(
        d.warning().as_deref(),
        Some(
            "this pickle would call builtins.__import__, builtins.getattr and 1 more when loaded; nothing was run"
        )
    );
}

#[test]
fn memo_references_doubling_per_level_are_cut_by_the_budget() {
    // 40 levels of [x, x]: 2^40 strings if laid out whole.
    for p in [0, 2, 4, 5] {
        let d = read(&fixture(&format!("laughs.p{p}.pickle")));
        let n = count(&d.node);
        assert!(n <= 200_000 + 100, "protocol {p}: {n} nodes");
        assert!(n >= 100_000, "protocol {p}: only {n} nodes");
        assert!(has_cut(&d.node), "protocol {p}");
    }
}
