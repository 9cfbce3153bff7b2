//! One element on one line, in the format the user chose with `f`: the row
//! of a hash, list, set, sorted set or stream. A cell shows the start of an
//! element only, so it reads at most [`CELL_BYTES`] of it.

use super::super::escape;
use super::{Format, compress, json, kombu};

/// Bytes of an element a cell looks at: more than any row is wide.
pub const CELL_BYTES: usize = 16 * 1024;

/// `bytes` on one line in `format`: auto shows a Celery/kombu message as its
/// task call and compact JSON, text is escaped, hex is the stored bytes;
/// compressed values are shown decompressed except in hex.
pub fn cell(bytes: &[u8], format: Format) -> String {
    if format == Format::Hex {
        return hex_bytes(bytes);
    }
    let inflated = compress::inflate(bytes, CELL_BYTES);
    let data = inflated.as_ref().map_or(bytes, |i| &i.bytes[..]);
    let head = &data[..data.len().min(CELL_BYTES)];
    match format {
        Format::Auto => {
            if let Some(m) = kombu::decode(data) {
                return format!(
                    "{} args={} kwargs={}",
                    m.task.as_deref().unwrap_or("?"),
                    m.args.as_deref().unwrap_or("?"),
                    m.kwargs.as_deref().unwrap_or("?")
                );
            }
            if json::is_container(data)
                && data.len() <= CELL_BYTES
                && let Some(c) = compact(data)
            {
                return c;
            }
            escape::line(head)
        }
        Format::Json => compact(head).unwrap_or_else(|| escape::line(head)),
        _ => escape::line(head),
    }
}

/// JSON without its spaces and line breaks, if `data` is JSON.
fn compact(data: &[u8]) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .map(|v| v.to_string())
}

/// `68 65 6c 6c 6f` for the first bytes of `bytes`.
fn hex_bytes(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(CELL_BYTES / 3)];
    let mut out = String::with_capacity(head.len() * 3);
    for (i, b) in head.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn each_format_on_one_line() {
        let j = br#"{ "a": [1, 2],
  "b": "x" }"#;
        assert_eq!(cell(j, Format::Auto), r#"{"a":[1,2],"b":"x"}"#);
        assert_eq!(cell(j, Format::Text), r#"{ "a": [1, 2],\n  "b": "x" }"#);
        assert_eq!(cell(j, Format::Json), r#"{"a":[1,2],"b":"x"}"#);
        assert_eq!(cell(b"hi\n", Format::Hex), "68 69 0a");
        assert_eq!(cell(b"plain", Format::Json), "plain");
        assert_eq!(cell(b"\x00\xff", Format::Auto), "\\x00\\xff");
    }

    #[test]
    fn gzip_is_decompressed_but_not_in_hex() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(br#"{"cached": true}"#).expect("writes");
        let gz = enc.finish().expect("finishes");
        assert_eq!(cell(&gz, Format::Auto), r#"{"cached":true}"#);
        assert!(cell(&gz, Format::Hex).starts_with("1f 8b"));
    }

    #[test]
    fn an_lz4_frame_row_is_its_compact_json() {
        // Written by python's lz4.frame.
        let data = include_bytes!("../../../tests/it/fixtures/decode/compress/doc.lz4");
        assert_eq!(
            cell(data, Format::Auto),
            r#"{"cart":[{"price":"12.50","qty":2,"sku":"A-100"},{"price":"3.99","qty":1,"sku":"B-220"},{"price":"0.75","qty":5,"sku":"C-305"}],"missing":null,"note":"the same words again and again and again compress well","ok":true,"user":{"id":4211,"name":"Zoë Ångström","roles":["admin","editor"]}}"#
        );
        assert!(cell(data, Format::Hex).starts_with("04 22 4d 18"));
    }
}
