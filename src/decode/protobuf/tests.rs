use super::*;
use crate::decode::testing::{self, count, fixture, show};

fn shown(bytes: &[u8]) -> String {
    testing::shown(decode(bytes, &Limits::default()))
}

#[test]
fn a_message_written_by_python_protobuf() {
    assert_eq!(
        shown(fixture!("protobuf/sample.pb")),
        r#"{
  1: 150,  // zigzag 75
  2: "héllo",
  3: b"\x00\xff\x10",  // packed varints [0, 2175]
  4: {
    1: 18446744073709551615,  // int64 -1, zigzag -9223372036854775808
    2: "x"
  },
  5: b"\x03\x8e\x02\x9e\xa7\x05",  // packed varints [3, 270, 86942]
  6: 149,  // zigzag -75
  7.fixed32: 1069547520,  // float 1.5
  8.fixed64: 4591870180066957722,  // double 0.1
  9: {
    1: 1,  // zigzag -1
    2: "first"
  },
  9: {
    1: 2  // zigzag 1
  },
  10: 1  // zigzag -1
}"#
    );
}

#[test]
fn groups_nest() {
    assert_eq!(
        shown(fixture!("protobuf/group.pb")),
        r#"{
  1.group: {
    2: 5,  // zigzag -3
    3.group: {
      4: {
        13: 105  // zigzag -53
      }  // or text "hi"
    }
  }
}"#
    );
    assert_eq!(shown(b""), "{}");
    assert_eq!(
        shown(b"\x0b\x10\x05"),
        "error: protobuf: group 1 has no end at byte 3"
    );
    assert_eq!(
        shown(b"\x0c"),
        "error: protobuf: the end of group 1, never started at byte 0"
    );
}

#[test]
fn payloads_read_as_text_or_bytes_when_not_messages() {
    // "hello" does not parse as a message (0x6c is an end of group).
    assert_eq!(shown(b"\x0a\x05hello"), r#"{1: "hello"}"#);
    assert_eq!(shown(b"\x0a\x02\xff\x00"), r#"{1: b"\xff\x00"}"#);
    assert_eq!(shown(b"\x0a\x00"), r#"{1: ""}"#);
}

#[test]
fn malformed_messages_say_where() {
    let cases: [(&[u8], &str); 6] = [
        (b"\x08", "a varint cut short at byte 1"),
        (
            b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
            "a varint longer than 64 bits at byte 1",
        ),
        (b"\x0f", "wire type 7 in field 1 at byte 0"),
        (b"\x00\x01", "field number 0 is out of range at byte 0"),
        (b"\x12\x05ab", "field 2 needs 5 bytes, 2 left at byte 1"),
        (b"\x08\x01\x11\x00", "a fixed64 cut short at byte 3"),
    ];
    for (bytes, want) in cases {
        assert_eq!(
            shown(bytes),
            format!("error: protobuf: {want}"),
            "{bytes:?}"
        );
    }
}

/// A message nested `levels` deep in field 1, around `core`.
fn nested(levels: usize, core: &[u8]) -> Vec<u8> {
    nested_with(levels, core, b"")
}

/// Like [`nested`], with `tail` after each level's field.
fn nested_with(levels: usize, core: &[u8], tail: &[u8]) -> Vec<u8> {
    let mut m = core.to_vec();
    for _ in 0..levels {
        let mut outer = vec![0x0a];
        let mut n = m.len();
        while n >= 0x80 {
            outer.push((n as u8) | 0x80);
            n >>= 7;
        }
        outer.push(n as u8);
        outer.extend(m);
        outer.extend(tail);
        m = outer;
    }
    m
}

#[test]
fn depth_budget_and_work_are_bounded() {
    let limits = Limits {
        nodes: 1000,
        depth: 4,
    };
    let n = decode(&nested(10, b"\x08\x01"), &limits).expect("decodes");
    let text = show(&n);
    assert!(text.contains(r#"1: b"\n"#), "{text}");

    let mut groups = b"\x0b".repeat(10);
    groups.extend(b"\x0c".repeat(10));
    let n = decode(&groups, &limits).expect("decodes");
    assert!(show(&n).contains("1.group: … a group of 13 bytes, past the depth limit"));

    let many = b"\x08\x01".repeat(100);
    let n = decode(
        &many,
        &Limits {
            nodes: 10,
            depth: 9,
        },
    )
    .expect("decodes");
    // The message, ten fields and the cut.
    assert_eq!(count(&n), 12);
    assert!(show(&n).ends_with("… 180 more bytes, past the node budget\n}"));

    // 4 MB nested 200 deep: every level is tried once, within the work bound.
    let big = nested(200, &b"\x08\x01".repeat(2_000_000));
    let started = std::time::Instant::now();
    let n = decode(&big, &Limits::default()).expect("decodes");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(count(&n) <= Limits::default().nodes + 300);

    // Every level fails to parse at its end, so each is tried, given up
    // and shown as bytes: the work bound keeps that linear.
    let bad = nested_with(200, &b"\x08\x01".repeat(500_000), b"\x0f");
    let started = std::time::Instant::now();
    let outcome = decode(&bad, &Limits::default());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(matches!(outcome, Err(e) if e.reason == "wire type 7 in field 1"));

    let mut n = n;
    while let Node::Record(mut v) = n {
        n = v.pop().map_or(Node::Null, |(_, v)| v);
    }
}

#[test]
fn varints_show_their_other_readings() {
    assert_eq!(varint_node(0), Node::Int("0".into()));
    assert_eq!(show(&varint_node(3)), "3  // zigzag -2");
    assert_eq!(
        show(&varint_node(u64::MAX - 1)),
        "18446744073709551614  // int64 -2, zigzag 9223372036854775807"
    );
    assert_eq!(packed(b"\x01"), None);
    assert_eq!(packed(b"\x01\x80"), None);
    assert_eq!(
        packed(&[1u8; 20]),
        Some(format!("packed varints [{}, …]", ["1"; 16].join(", ")))
    );
}

testing::fuzz!(decode, "protobuf/sample.pb", 1);
