use super::*;
use crate::decode::testing::{self, count, fixture, show};

fn shown(bytes: &[u8]) -> String {
    testing::shown(decode(bytes, &Limits::default()))
}

#[test]
fn a_document_written_by_pymongo() {
    assert_eq!(
        shown(fixture!("bson/doc.bson")),
        r#"{
  "_id": ObjectId("65f1a2b3c4d5e6f708192a3b"),
  "name": "héllo",
  "n": 42,
  "big": 1099511627776,
  "x": 0.1,
  "ok": true,
  "none": null,
  "when": 2024-05-01T12:00:00.250Z,
  "id": UUID("12345678-1234-5678-1234-567812345678"),
  "raw": b"\x00\xff",
  "md5": Binary(b"\x01\x02", 5),
  "price": Decimal128("12.50"),
  "re": RegExp("^a.*z$", "i"),
  "ts": Timestamp(1714564800, 7),
  "code": Code("x + 1"),
  "nested": {"tags": ["a", "b"], "deep": {"k": [1, {"v": null}]}},
  "lo": MinKey,
  "hi": MaxKey
}"#
    );
    assert_eq!(
        shown(fixture!("bson/two.bson")),
        "error: bson: another document follows the first (12 more bytes) at byte 12"
    );
    let (first, used) = decode_prefix(fixture!("bson/two.bson"), &Limits::default()).unwrap();
    assert_eq!(show(&first), r#"{"a": 1}"#);
    assert_eq!(used, 12);
}

#[test]
fn broken_documents_say_where() {
    assert_eq!(
        shown(b"\x05\x00"),
        "error: bson: no document length at byte 0"
    );
    assert_eq!(
        shown(b"\xff\xff\xff\x7f\x00"),
        "error: bson: a document length of 2147483647 in 5 bytes at byte 0"
    );
    assert_eq!(shown(b"\x05\x00\x00\x00\x00"), "{}");
    // {"a": 1, "b": 1} without its closing zero.
    let mut cut = b"\x00\x00\x00\x00\x10a\x00\x01\x00\x00\x00\x10b\x00\x01\x00\x00\x00".to_vec();
    cut[0] = cut.len() as u8;
    assert_eq!(
        shown(&cut),
        "error: bson: iteration overflowed document at byte 18"
    );
    // An unknown element type.
    assert!(shown(b"\x08\x00\x00\x00\x42a\x00\x00").contains("at byte 4"));
}

/// A document nested `levels` deep under the key "a".
fn nested(levels: usize) -> Vec<u8> {
    let mut doc = b"\x05\x00\x00\x00\x00".to_vec();
    for _ in 0..levels {
        let mut outer = vec![0, 0, 0, 0, 0x03, b'a', 0];
        outer.extend(&doc);
        outer.push(0);
        let len = (outer.len() as u32).to_le_bytes();
        outer[..4].copy_from_slice(&len);
        doc = outer;
    }
    doc
}

#[test]
fn depth_and_node_budget_cut_the_tree() {
    let n = decode(&nested(1000), &Limits::default()).expect("decodes");
    let text = show(&n);
    // 1000 levels of 8 bytes each around an empty document; 256 are shown.
    assert!(text.contains(r#""a": … a document of 5957 bytes, past the depth limit"#));
    let mut n = n;
    while let Node::Map(mut v) = n {
        n = v.pop().map_or(Node::Null, |(_, v)| v);
    }

    let doc = fixture!("bson/doc.bson");
    let n = decode(doc, &Limits { nodes: 6, depth: 9 }).expect("decodes");
    // The document, three entries (the ObjectId a call around its text),
    // and the cut.
    assert_eq!(count(&n), 1 + 6 + 1 + 2);
    assert!(
        show(&n).ends_with("… 250 more bytes, past the node budget\n}"),
        "{}",
        show(&n)
    );
}

testing::fuzz!(decode, "bson/doc.bson", 2);
