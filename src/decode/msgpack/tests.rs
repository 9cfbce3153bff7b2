use super::*;
use crate::decode::testing::{self, count, fixture, show};

fn shown(bytes: &[u8]) -> String {
    testing::shown(decode(bytes, &Limits::default()))
}

#[test]
fn fixtures_written_by_python_msgpack() {
    assert_eq!(
        shown(fixture!("msgpack/basic.msgpack")),
        r#"{
  "nil": null,
  "t": true,
  "f": false,
  "pos": 1,
  "neg": -33,
  "u64": 18446744073709551615,
  "i64": -9223372036854775808,
  "f64": 0.1,
  "str": "héllo\n",
  "bin": b"\x00\xff",
  "list": [1, [2, 3]],
  "nested": {1: "one", 2: {"x": -1}, [1, 2]: "array key"}
}"#
    );
    assert_eq!(
        shown(fixture!("msgpack/float32.msgpack")),
        "[0.1, -2.5, Infinity]"
    );
    assert_eq!(
        shown(fixture!("msgpack/ext.msgpack")),
        format!(
            "[\n  ext(5, b\"hello\"),\n  ext(0, b\"\"),\n  ext(127, b\"{}\")\n]",
            r"\x01".repeat(20)
        )
    );
    assert_eq!(
        shown(fixture!("msgpack/raw-bytes.msgpack")),
        r#"b"\x00\xff"  // a str that is not UTF-8"#
    );
    assert_eq!(
        shown(fixture!("msgpack/stream.msgpack")),
        "error: msgpack: another value follows the first (4 more bytes) at byte 1"
    );
    let (first, used) =
        decode_prefix(fixture!("msgpack/stream.msgpack"), &Limits::default()).unwrap();
    assert_eq!((first, used), (Node::Int("1".into()), 1));
}

#[test]
fn timestamps_in_all_three_layouts() {
    let ts = |secs, nanos| Node::Timestamp { secs, nanos };
    assert_eq!(
        decode(fixture!("msgpack/timestamps.msgpack"), &Limits::default()),
        Ok(Node::List(vec![
            ts(1_714_564_800, 0),
            ts(1_714_564_800, 500_000_000),
            ts(-1, 0),
            ts(1 << 34, 1),
        ]))
    );
    assert_eq!(
        shown(fixture!("msgpack/timestamps.msgpack")),
        "[\n  2024-05-01T12:00:00Z,\n  2024-05-01T12:00:00.500Z,\n  1969-12-31T23:59:59Z,\n  2514-05-30T01:53:04.000000001Z\n]"
    );
    // Nanoseconds past a second, or a payload of no known layout.
    assert_eq!(
        shown(&[0xd7, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]),
        r#"ext(-1, b"\xff\xff\xff\xff\x00\x00\x00\x00")  // not a valid timestamp"#
    );
    assert_eq!(
        shown(&[0xd5, 0xff, 1, 2]),
        r#"ext(-1, b"\x01\x02")  // not a valid timestamp"#
    );
}

#[test]
fn broken_values_say_where() {
    assert_eq!(shown(b""), "error: msgpack: no value at byte 0");
    assert_eq!(
        shown(&[0x92, 0x01, 0xc1]),
        "error: msgpack: reserved marker 0xc1 at byte 2"
    );
    assert_eq!(
        shown(&[0xa5, b'a']),
        "error: msgpack: a str needs 5 bytes, 1 left at byte 1"
    );
    // A length that claims four billion elements reserves nothing.
    assert_eq!(
        shown(&[0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0]),
        "error: msgpack: a value needs 1 bytes, 0 left at byte 6"
    );
    assert_eq!(
        shown(&[0xdb, 0xff, 0xff, 0xff, 0xff]),
        "error: msgpack: a str needs 4294967295 bytes, 0 left at byte 5"
    );
}

#[test]
fn depth_and_node_budget_cut_the_tree() {
    let mut deep = vec![0x91; 100_000];
    deep.push(0xc0);
    let n = decode(&deep, &Limits::default()).expect("decodes");
    let text = show(&n);
    assert!(text.contains("an array of 1 elements, past the depth limit"));
    let mut n = n;
    while let Node::List(mut v) = n {
        n = v.pop().unwrap_or(Node::Null);
    }

    let mut wide = vec![0xdc, 0x01, 0x00]; // an array of 256 nils
    wide.extend([0xc0; 256]);
    let limits = Limits {
        nodes: 10,
        depth: 256,
    };
    let n = decode(&wide, &limits).expect("decodes");
    // Ten nodes within the budget, and the cut.
    assert_eq!(count(&n), 11);
    let Node::List(v) = n else { panic!("a list") };
    assert_eq!(v.len(), 10);
    assert_eq!(
        v[9],
        Node::Cut("247 more elements, past the node budget".into())
    );

    let map = [0x82, 0x01, 0x02, 0x03, 0x04];
    let n = decode(&map, &Limits { nodes: 3, depth: 9 }).expect("decodes");
    assert_eq!(show(&n), "{1: 2, … 1 more entries, past the node budget}");
    let n = decode(&map, &Limits { nodes: 0, depth: 9 }).expect("decodes");
    assert_eq!(show(&n), "… a value past the node budget");
}

testing::fuzz!(decode, "msgpack/basic.msgpack", 1);
