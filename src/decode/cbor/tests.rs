use super::*;
use crate::decode::testing::{self, count, fixture, show};

fn shown(bytes: &[u8]) -> String {
    testing::shown(decode(bytes, &Limits::default()))
}

#[test]
fn fixtures_written_by_cbor2() {
    assert_eq!(
        shown(fixture!("cbor/basic.cbor")),
        r#"{
  "nil": null,
  "t": true,
  "undef": undefined,
  "pos": 1,
  "neg": -33,
  "u64": 18446744073709551615,
  "n64": -18446744073709551616,
  "big": 1180591620717411303424,
  "nbig": -1180591620717411303424,
  "f": 0.1,
  "str": "héllo",
  "bytes": b"\x00\xff",
  "list": [1, [2]],
  1: "int key"
}"#
    );
    // Half, single and double floats.
    assert_eq!(
        shown(fixture!("cbor/floats.cbor")),
        "[1.5, 100000.0, 0.1, Infinity, -0.0]"
    );
    let t = Node::Timestamp {
        secs: 1_363_896_240,
        nanos: 500_000_000,
    };
    assert_eq!(
        decode(fixture!("cbor/times.cbor"), &Limits::default()),
        Ok(Node::List(vec![t.clone(), t]))
    );
    assert_eq!(
        shown(fixture!("cbor/tags.cbor")),
        r#"[
  tag(32, "http://example.com/"),
  tag(37, b"\x124Vx\x124Vx\x124Vx\x124Vx"),
  tag(4, [-2, 1250]),
  16,  // simple value
  tag(1, "not a time")  // not an epoch time
]"#
    );
    assert_eq!(
        shown(fixture!("cbor/indefinite.cbor")),
        r#"[[1, [2, 3]], {"a": 1}, b"\x01\x02\x03", "abc"]"#
    );
    assert_eq!(
        shown(fixture!("cbor/sequence.cbor")),
        "error: cbor: another item follows the first (4 more bytes) at byte 1"
    );
}

#[test]
fn odd_items() {
    // Text that is not UTF-8, kept as bytes.
    assert_eq!(
        shown(b"\x62\xff\xfe"),
        r#"b"\xff\xfe"  // text that is not UTF-8"#
    );
    assert_eq!(shown(b"\xf7"), "undefined");
    assert_eq!(shown(b"\xf8\xff"), "255  // simple value");
    assert_eq!(shown(b"\xc1\x1a\x51\x4b\x67\xb0"), "2013-03-21T20:04:00Z");
    assert_eq!(shown(b"\xc2\x42\x01\x00"), "256");
    assert_eq!(shown(b"\xc3\x40"), "-1");
    assert_eq!(
        shown(b"\xc2\x01"),
        "tag(2, 1)  // not a bignum that can be shown"
    );
}

#[test]
fn broken_items_say_where() {
    assert_eq!(shown(b""), "error: cbor: no value at byte 0");
    assert_eq!(
        shown(b"\x82\x01"),
        "error: cbor: the value is cut short at byte 2"
    );
    assert_eq!(
        shown(b"\xff"),
        "error: cbor: a break outside any container at byte 0"
    );
    assert_eq!(
        shown(b"\x1c"),
        "error: cbor: reserved initial byte 0x1c at byte 0"
    );
    assert_eq!(
        shown(b"\xbf\x01\xff"),
        "error: cbor: a map key without its value at byte 2"
    );
    assert_eq!(
        shown(b"\xf9\x3e"),
        "error: cbor: the value is cut short at byte 0"
    );
    // A claimed length of 2^64 - 1 reserves nothing.
    assert_eq!(
        shown(b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff"),
        "error: cbor: the value is cut short at byte 9"
    );
}

#[test]
fn depth_and_node_budget_cut_the_tree() {
    let mut deep = vec![0x81; 100_000];
    deep.push(0xf6);
    let n = decode(&deep, &Limits::default()).expect("decodes");
    assert!(show(&n).contains("an array of 99745 bytes, past the depth limit"));
    let mut n = n;
    while let Node::List(mut v) = n {
        n = v.pop().unwrap_or(Node::Null);
    }
    let mut tags = [0xd8, 0x20].repeat(1000);
    tags.push(0x01);
    let n = decode(&tags, &Limits { nodes: 9, depth: 3 }).expect("decodes");
    assert!(show(&n).contains("… a tagged value of 1995 bytes, past the depth limit"));

    let mut wide = vec![0x9f];
    wide.extend([0xf6; 300]);
    wide.push(0xff);
    let n = decode(
        &wide,
        &Limits {
            nodes: 10,
            depth: 9,
        },
    )
    .expect("decodes");
    assert_eq!(count(&n), 11);
    let Node::List(v) = n else { panic!("a list") };
    assert_eq!(
        v[9],
        Node::Cut("291 more elements, past the node budget".into())
    );
    let n = decode(b"\xa2\x01\x02\x03\x04", &Limits { nodes: 3, depth: 9 }).expect("decodes");
    assert_eq!(show(&n), "{1: 2, … 1 more entries, past the node budget}");
}

testing::fuzz!(decode, "cbor/basic.cbor", 1);
