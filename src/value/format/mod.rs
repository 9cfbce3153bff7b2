//! Formats for any byte string: text, pretty JSON with colour spans, a hex
//! dump, and Celery/kombu summaries, after decompression of any format
//! [`compress::detect`] recognises.
//!
//! `Auto` picks kombu > JSON (objects and arrays) > text > hex, after
//! decompression. `Hex` always shows the stored bytes, byte for byte; the
//! other formats show the decompressed bytes when the value is compressed.

pub mod cell;
pub mod compress;
pub mod hex;
pub mod json;
pub mod kombu;
pub mod wrap;

use super::escape;
use compress::Inflated;

/// How the user asked to see a value; `f` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Text,
    Json,
    Hex,
}

impl Format {
    /// The next format in the cycle auto, text, JSON, hex.
    pub fn cycle(self) -> Format {
        match self {
            Format::Auto => Format::Text,
            Format::Text => Format::Json,
            Format::Json => Format::Hex,
            Format::Hex => Format::Auto,
        }
    }

    /// The format named `name` on the command line (`--format`), any case.
    pub fn parse(name: &str) -> Result<Format, String> {
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|&(_, f)| f)
            .ok_or_else(|| {
                format!(
                    "unknown format {name:?}: use one of {}",
                    Format::names().join(", ")
                )
            })
    }

    /// The names [`Format::parse`] takes, in the order `f` cycles through them.
    pub fn names() -> Vec<&'static str> {
        NAMES.iter().map(|&(n, _)| n).collect()
    }

    /// The name shown in the pane.
    pub fn label(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Json => "JSON",
            Format::Hex => "hex",
        }
    }
}

/// Each format's command-line name: a new format is one line here.
const NAMES: &[(&str, Format)] = &[
    ("auto", Format::Auto),
    ("text", Format::Text),
    ("json", Format::Json),
    ("hex", Format::Hex),
];

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
}

/// A value rendered in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// What to draw.
    pub body: Body,
    /// Set when the body shows decompressed bytes.
    pub inflated: Option<compress::Kind>,
    /// Decompression stopped at the cap or at the end of a partial value.
    pub cut: bool,
    /// Why the asked format could not be used (e.g. "not JSON: ..."), if so.
    pub note: Option<String>,
}

impl Rendered {
    /// What the body is, in a word or two: "JSON", "text", "hex".
    pub fn format_label(&self) -> &'static str {
        match &self.body {
            Body::Text(_) => "text",
            Body::Json(_) => "JSON",
            Body::Hex(_) => "hex dump",
            Body::Kombu(_) => "Celery message",
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
        }
    }
}

/// Renders `bytes` in `format`, decompressing up to `decompress_cap` bytes.
pub fn render(bytes: &[u8], format: Format, decompress_cap: usize) -> Rendered {
    if format == Format::Hex {
        return plain(Body::Hex(bytes.to_vec()));
    }
    let inflated = compress::inflate(bytes, decompress_cap);
    let data = inflated.as_ref().map_or(bytes, |i| &i.bytes[..]);
    let (body, note) = match format {
        Format::Auto => (auto(data), None),
        Format::Text => (Body::Text(escape::text(data)), None),
        Format::Json => match json::pretty(data) {
            Ok(p) => (Body::Json(p), None),
            Err(e) => (fallback(data), Some(format!("not JSON: {e}"))),
        },
        Format::Hex => (Body::Hex(data.to_vec()), None),
    };
    Rendered {
        body,
        inflated: inflated.as_ref().map(|i: &Inflated| i.kind),
        cut: inflated.as_ref().is_some_and(|i| i.cut),
        note,
    }
}

fn plain(body: Body) -> Rendered {
    Rendered {
        body,
        inflated: None,
        cut: false,
        note: None,
    }
}

/// The best format for `data`: kombu > JSON > text > hex.
fn auto(data: &[u8]) -> Body {
    if let Some(m) = kombu::decode(data) {
        return Body::Kombu(Box::new(m));
    }
    if json::is_container(data)
        && let Ok(p) = json::pretty(data)
    {
        return Body::Json(p);
    }
    fallback(data)
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
    fn cycles_through_four_formats() {
        let mut f = Format::Auto;
        let mut seen = vec![];
        for _ in 0..4 {
            seen.push(f.label());
            f = f.cycle();
        }
        assert_eq!(seen, ["auto", "text", "JSON", "hex"]);
        assert_eq!(f, Format::Auto);
    }

    #[test]
    fn every_name_parses_to_its_format() {
        for name in Format::names() {
            let f = Format::parse(name).expect("a listed name parses");
            assert!(f.label().eq_ignore_ascii_case(name), "{name}");
        }
        assert_eq!(Format::parse("JSON"), Ok(Format::Json));
        let err = Format::parse("yaml").unwrap_err();
        assert!(err.contains("auto, text, json, hex"), "{err}");
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
}
