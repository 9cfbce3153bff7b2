//! Formats for any byte string: text, pretty JSON with colour spans, a hex
//! dump, Celery/kombu summaries and serialised values (pickle, msgpack,
//! CBOR, BSON, protobuf) laid out as a tree, after decompression (gzip,
//! zlib, zstd, LZ4, Snappy, xz, bzip2 by their magic; raw deflate, LZ4
//! blocks, brotli, raw Snappy and .lzma when named).
//!
//! `Auto` picks kombu > JSON (objects and arrays) > pickle (of any protocol,
//! ASCII ones too) > text > msgpack > CBOR > BSON > hex, after
//! decompression. `Hex` always shows the stored bytes, byte for byte; the
//! other formats show the decompressed bytes when the value is compressed.
//! `f` cycles auto, each decoder that reads the value whole, text, JSON and
//! hex.

pub mod cell;
pub mod compress;
pub mod decoded;
pub mod hex;
pub mod json;
pub mod kombu;
pub mod wrap;

use super::escape;
use compress::Inflated;
pub use decoded::{Codec, Tree};

/// How the user asked to see a value; `f` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    /// One serialisation format, read after decompression by magic.
    Decode(Codec),
    /// One compression, asked for by name (for those without a magic
    /// number); what it gives is then shown as `Auto` would.
    Inflate(compress::Kind),
    Text,
    Json,
    Hex,
}

impl Format {
    /// The next format after this one for `sample` (the value's bytes, or
    /// the selected row's): auto, each decoder that reads it, each named
    /// compression that opens it, then text, JSON and hex. Without a sample,
    /// every decoder is offered.
    pub fn cycle(self, sample: Option<&[u8]>, decompress_cap: usize) -> Format {
        let options = Format::options(sample, decompress_cap);
        let next = options.iter().position(|f| *f == self).map_or(0, |i| i + 1);
        options[next % options.len()]
    }

    /// The formats `f` goes through for `sample`, in order.
    pub fn options(sample: Option<&[u8]>, decompress_cap: usize) -> Vec<Format> {
        let mut out = vec![Format::Auto];
        match sample {
            None => out.extend(Codec::ALL.map(Format::Decode)),
            Some(bytes) => {
                let inflated = compress::inflate(bytes, decompress_cap);
                let data = inflated.as_ref().map_or(bytes, |i| &i.bytes[..]);
                out.extend(decoded::applicable(data).into_iter().map(Format::Decode));
                // Compressed bytes are never text; raw deflate, say, reads
                // many a text as a stream that happens to end well.
                if inflated.is_none() && !is_text(bytes) {
                    out.extend(
                        compress::Kind::ALL
                            .into_iter()
                            .filter(|k| !k.has_magic())
                            .filter(|k| {
                                compress::decompress_as(*k, bytes, decompress_cap)
                                    .is_ok_and(|i| !i.bytes.is_empty() && !i.cut)
                            })
                            .map(Format::Inflate),
                    );
                }
            }
        }
        out.extend([Format::Text, Format::Json, Format::Hex]);
        out
    }

    /// The format named `name` on the command line (`--format`), any case.
    pub fn parse(name: &str) -> Result<Format, String> {
        let name = name.trim();
        Format::all()
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .or_else(|| compress::Kind::parse(name).map(Format::Inflate))
            .ok_or_else(|| {
                format!(
                    "unknown format {name:?}: use one of {}",
                    Format::names().join(", ")
                )
            })
    }

    /// The names [`Format::parse`] takes, in the order `f` cycles through them.
    pub fn names() -> Vec<&'static str> {
        Format::all().into_iter().map(Format::name).collect()
    }

    /// Its name on the command line: the label, with `-` for a space.
    pub fn name(self) -> &'static str {
        match self {
            Format::Inflate(compress::Kind::Lz4Block) => "lz4-block",
            Format::Inflate(compress::Kind::Lz4Sized) => "lz4-sized",
            Format::Inflate(compress::Kind::SnappyRaw) => "snappy-raw",
            other => other.label(),
        }
    }

    fn all() -> Vec<Format> {
        let mut all = vec![Format::Auto];
        all.extend(Codec::ALL.map(Format::Decode));
        all.extend(compress::Kind::ALL.map(Format::Inflate));
        all.extend([Format::Text, Format::Json, Format::Hex]);
        all
    }

    /// The name shown in the pane and taken by `--format`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Decode(c) => c.label(),
            Format::Inflate(k) => k.label(),
            Format::Text => "text",
            Format::Json => "json",
            Format::Hex => "hex",
        }
    }
}

/// What a value looks like in the chosen format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Text with control characters and invalid bytes escaped (`\xNN`);
    /// newlines and tabs kept.
    Text(String),
    /// Pretty-printed JSON and its colour spans.
    Json(json::Pretty),
    /// The bytes for a hex dump; draw the lines with [`hex::line`].
    Hex(Vec<u8>),
    /// A decoded Celery/kombu message.
    Kombu(Box<kombu::Message>),
    /// A serialised value read into a tree and laid out.
    Tree(Box<Tree>),
}

/// A value rendered in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// What to draw.
    pub body: Body,
    /// Set when the body shows decompressed bytes.
    pub inflated: Option<compress::Kind>,
    /// Decompression stopped at the cap, at the end of a partial value, or
    /// at a fault in the stream; `note` says which.
    pub cut: bool,
    /// Why the asked format could not be used (e.g. "not JSON: ..."), if so.
    pub note: Option<String>,
    /// The bytes start as a format that only reads whole (a pickle, a BSON
    /// document) but do not read in it: `note` says why; the rest of a
    /// partly loaded value may be what is missing.
    pub short: bool,
}

impl Body {
    /// The laid-out text and its colour spans, for JSON and decoded trees.
    pub fn pretty(&self) -> Option<&json::Pretty> {
        match self {
            Body::Json(p) => Some(p),
            Body::Tree(t) => Some(&t.pretty),
            _ => None,
        }
    }
}

impl Rendered {
    /// What the body is, in a word or two: "JSON", "text", "hex", "pickle".
    pub fn format_label(&self) -> &'static str {
        match &self.body {
            Body::Text(_) => "text",
            Body::Json(_) => "JSON",
            Body::Hex(_) => "hex dump",
            Body::Kombu(_) => "Celery message",
            Body::Tree(t) => t.codec.label(),
        }
    }

    /// How the stored bytes became what is shown, outermost first, when it
    /// took more than reading them as text: `zlib › pickle`.
    pub fn layers(&self) -> Option<String> {
        let mut layers: Vec<&str> = self
            .inflated
            .map(compress::Kind::label)
            .into_iter()
            .collect();
        match &self.body {
            Body::Tree(t) => layers.extend(t.layers()),
            Body::Json(_) if !layers.is_empty() => layers.push("JSON"),
            Body::Kombu(_) => layers.push("kombu"),
            _ => {}
        }
        (layers.len() > 1 || matches!(self.body, Body::Tree(_))).then(|| layers.join(" › "))
    }

    /// The warning to show above the body: what a pickle would run if loaded.
    pub fn warning(&self) -> Option<&str> {
        match &self.body {
            Body::Tree(t) => t.warning.as_deref(),
            _ => None,
        }
    }

    /// The body as the pane shows it, whole: the text, the pretty JSON, the
    /// hex dump's lines, the message's labelled parts.
    pub fn text(&self) -> String {
        match &self.body {
            Body::Text(t) => t.clone(),
            Body::Json(p) => p.text.clone(),
            Body::Hex(b) => hex::lines(b, 0).collect::<Vec<_>>().join("\n"),
            Body::Kombu(m) => m
                .summary()
                .into_iter()
                .map(|(label, v)| format!("{label:<9}{v}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Body::Tree(t) => t.pretty.text.clone(),
        }
    }
}

/// Renders `bytes` in `format`, decompressing up to `decompress_cap` bytes.
pub fn render(bytes: &[u8], format: Format, decompress_cap: usize) -> Rendered {
    if format == Format::Hex {
        return plain(Body::Hex(bytes.to_vec()));
    }
    let inflated = match format {
        Format::Inflate(kind) => match compress::decompress_as(kind, bytes, decompress_cap) {
            Ok(i) => Some(i),
            Err(e) => {
                let mut r = plain(fallback(bytes));
                r.note = Some(e.to_string());
                return r;
            }
        },
        _ => compress::inflate(bytes, decompress_cap),
    };
    let data = inflated.as_ref().map_or(bytes, |i| &i.bytes[..]);
    let mut short = false;
    let (body, note) = match format {
        Format::Auto | Format::Inflate(_) => match auto(data) {
            body @ Body::Hex(_) => {
                let why = decoded::failure(data);
                short = why.is_some();
                (body, why)
            }
            body => (body, None),
        },
        Format::Decode(codec) => match codec.decode(data) {
            Ok(t) => (Body::Tree(Box::new(t)), None),
            Err(e) => (fallback(data), Some(format!("not {}: {e}", codec.label()))),
        },
        Format::Text => (Body::Text(escape::text(data)), None),
        Format::Json => match json::pretty(data) {
            Ok(p) => (Body::Json(p), None),
            Err(e) => (fallback(data), Some(format!("not JSON: {e}"))),
        },
        Format::Hex => (Body::Hex(data.to_vec()), None),
    };
    let note = note.or_else(|| inflated.as_ref().and_then(|i| i.note.clone()));
    Rendered {
        body,
        inflated: inflated.as_ref().map(|i: &Inflated| i.kind),
        cut: inflated.as_ref().is_some_and(|i| i.cut),
        note,
        short,
    }
}

fn plain(body: Body) -> Rendered {
    Rendered {
        body,
        inflated: None,
        cut: false,
        note: None,
        short: false,
    }
}

/// The best format for `data`: kombu > JSON > text > a decoder whose mark
/// it bears (pickle, msgpack) > hex.
fn auto(data: &[u8]) -> Body {
    if let Some(m) = kombu::decode(data) {
        return Body::Kombu(Box::new(m));
    }
    if json::is_container(data)
        && let Ok(p) = json::pretty(data)
    {
        return Body::Json(p);
    }
    match decoded::guess(data) {
        Some(t) => Body::Tree(Box::new(t)),
        None => fallback(data),
    }
}

fn fallback(data: &[u8]) -> Body {
    if is_text(data) {
        Body::Text(escape::text(data))
    } else {
        Body::Hex(data.to_vec())
    }
}

/// Whether `data` reads as text: valid UTF-8 without control characters
/// other than newlines, carriage returns and tabs.
pub fn is_text(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    const CAP: usize = 1 << 20;

    #[test]
    fn f_offers_what_reads_the_value() {
        let cycle = |sample: Option<&[u8]>| {
            let mut f = Format::Auto;
            let mut seen = vec![];
            loop {
                seen.push(f.label());
                f = f.cycle(sample, CAP);
                if f == Format::Auto {
                    return seen;
                }
            }
        };
        assert_eq!(cycle(Some(b"plain words")), ["auto", "text", "json", "hex"]);
        assert_eq!(cycle(Some(br#"{"a":1}"#)), ["auto", "text", "json", "hex"]);
        // {"a": 1} in msgpack; it also reads as protobuf, which is offered.
        let offered = cycle(Some(b"\x81\xa1a\x01"));
        assert_eq!(offered[..2], ["auto", "msgpack"], "{offered:?}");
        assert_eq!(offered[offered.len() - 3..], ["text", "json", "hex"]);
        assert_eq!(
            cycle(None),
            [
                "auto", "pickle", "msgpack", "cbor", "bson", "protobuf", "text", "json", "hex"
            ]
        );
        for name in Format::names() {
            assert!(!name.contains(' '), "{name}");
            assert_eq!(Format::parse(name).map(Format::name), Ok(name));
        }
        assert_eq!(
            Format::parse("LZ4-block").map(Format::label),
            Ok("lz4 block")
        );
        assert!(Format::parse("yaml").is_err());
    }

    #[test]
    fn every_name_parses_to_its_format() {
        for name in Format::names() {
            let f = Format::parse(name).expect("a listed name parses");
            assert!(f.name().eq_ignore_ascii_case(name), "{name}");
        }
        assert_eq!(Format::parse("JSON"), Ok(Format::Json));
        let err = Format::parse("yaml").unwrap_err();
        assert!(
            err.contains("auto, pickle, msgpack, cbor, bson, protobuf, gzip"),
            "{err}"
        );
        assert!(err.ends_with("text, json, hex"), "{err}");
    }

    #[test]
    fn auto_picks_json_then_text_then_hex() {
        assert!(matches!(
            render(br#"{"a":1}"#, Format::Auto, CAP).body,
            Body::Json(_)
        ));
        assert!(matches!(
            render(b"42", Format::Auto, CAP).body,
            Body::Text(_)
        ));
        assert!(matches!(
            render(b"hello\nworld", Format::Auto, CAP).body,
            Body::Text(_)
        ));
        assert!(matches!(
            render(b"\x00\x01\xff", Format::Auto, CAP).body,
            Body::Hex(_)
        ));
        assert!(matches!(
            render(b"ok \x1b[31m", Format::Auto, CAP).body,
            Body::Hex(_)
        ));
    }

    #[test]
    fn json_format_on_non_json_says_so() {
        let r = render(b"plain", Format::Json, CAP);
        assert_eq!(r.body, Body::Text("plain".into()));
        assert!(r.note.as_deref().is_some_and(|n| n.starts_with("not JSON")));
    }

    #[test]
    fn gzip_is_shown_inflated_but_hex_is_exact() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(br#"{"cached":true}"#).expect("writes");
        let gz = enc.finish().expect("finishes");
        let r = render(&gz, Format::Auto, CAP);
        assert_eq!(r.inflated, Some(compress::Kind::Gzip));
        assert!(matches!(&r.body, Body::Json(p) if p.text.contains("\"cached\": true")));
        let h = render(&gz, Format::Hex, CAP);
        assert_eq!(h.body, Body::Hex(gz.clone()));
        assert_eq!(h.inflated, None);
    }

    #[test]
    fn every_compression_with_a_magic_is_shown_as_its_json() {
        for (name, kind) in [
            ("zstd", compress::Kind::Zstd),
            ("lz4", compress::Kind::Lz4),
            ("snappy", compress::Kind::Snappy),
            ("xz", compress::Kind::Xz),
            ("bzip2", compress::Kind::Bzip2),
        ] {
            let path = format!(
                "{}/tests/it/fixtures/decode/compress/doc.{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let data = std::fs::read(&path).expect("fixture");
            let r = render(&data, Format::Auto, CAP);
            assert_eq!((r.inflated, r.cut), (Some(kind), false), "{name}");
            assert!(
                matches!(&r.body, Body::Json(p) if p.text.contains("\"name\": \"Zoë Ångström\"")),
                "{name}: {:?}",
                r.body
            );
            assert_eq!(render(&data, Format::Hex, CAP).body, Body::Hex(data));
        }
    }

    #[test]
    fn a_pickle_cut_short_is_marked_short() {
        let whole = b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e.";
        let r = render(whole, Format::Auto, CAP);
        assert!(matches!(r.body, Body::Tree(_)) && !r.short);
        let r = render(&whole[..whole.len() - 3], Format::Auto, CAP);
        assert!(matches!(r.body, Body::Hex(_)) && r.short, "{r:?}");
        assert!(!render(b"\x00\x01\xff", Format::Auto, CAP).short);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any bytes, in every format and as a cell: no panic, notes on one
        /// line, and nothing a terminal would act on in the text shown.
        #[test]
        fn any_bytes_render_in_every_format(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            for format in Format::all() {
                let r = render(&bytes, format, 1 << 16);
                if let Some(note) = &r.note {
                    proptest::prop_assert!(!note.contains('\n'), "{note}");
                }
                let shown = r.text();
                proptest::prop_assert!(!shown.contains('\x1b'), "{format:?}: {shown:?}");
                let _ = cell::cell(&bytes, format);
            }
            let _ = Format::options(Some(&bytes), 1 << 16);
        }
    }
}
