//! The text of scalars: escaped strings and bytes, floats in their shortest
//! round-trip form and timestamps, in either dialect. Every piece is
//! terminal-safe: no control character, no bidi override, no line break.

use super::Dialect;

/// One escaped character (or byte): a few bytes of text kept inline so a
/// long string is escaped without allocating.
#[derive(Clone, Copy)]
pub struct Piece {
    buf: [u8; 12],
    len: u8,
}

impl Piece {
    fn ch(c: char) -> Piece {
        let mut buf = [0u8; 12];
        let len = c.encode_utf8(&mut buf).len() as u8;
        Piece { buf, len }
    }

    fn ascii(s: &str) -> Piece {
        let mut buf = [0u8; 12];
        let n = s.len().min(12);
        buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        Piece { buf, len: n as u8 }
    }

    fn hex(prefix: &str, value: u32, digits: usize) -> Piece {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut buf = [0u8; 12];
        let p = prefix.len();
        buf[..p].copy_from_slice(prefix.as_bytes());
        for i in 0..digits {
            let shift = 4 * (digits - 1 - i);
            buf[p + i] = HEX[((value >> shift) & 0xf) as usize];
        }
        Piece {
            buf,
            len: (p + digits) as u8,
        }
    }

    /// The piece's text.
    pub fn as_str(&self) -> &str {
        // Built only from whole chars and ASCII escapes.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("?")
    }
}

/// How a run of text is quoted and escaped.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Inside Python quotes (`'` or `"`), as `repr` escapes.
    Python(char),
    /// Inside JSON double quotes.
    Json,
    /// Unquoted (names, notes, numbers): only what a terminal must not see
    /// is escaped.
    Plain,
}

/// The quote Python's `repr` picks: `'` unless the text has a `'` and no `"`.
pub fn python_quote(bytes: &[u8]) -> char {
    if memchr::memchr(b'\'', bytes).is_some() && memchr::memchr(b'"', bytes).is_none() {
        '"'
    } else {
        '\''
    }
}

/// The quote a string opens and closes with in `dialect`.
pub fn str_quote(s: &str, dialect: Dialect) -> (Style, char) {
    match dialect {
        Dialect::Python => {
            let q = python_quote(s.as_bytes());
            (Style::Python(q), q)
        }
        Dialect::Data => (Style::Json, '"'),
    }
}

/// The quote a bytes literal (`b'…'` or `b"…"`) uses in `dialect`.
pub fn bytes_quote(b: &[u8], dialect: Dialect) -> char {
    match dialect {
        Dialect::Python => python_quote(b),
        Dialect::Data => '"',
    }
}

/// `c` escaped for `style`.
pub fn char_piece(c: char, style: Style) -> Piece {
    match (c, style) {
        ('\\', Style::Python(_) | Style::Json) => Piece::ascii("\\\\"),
        ('\n', _) => Piece::ascii("\\n"),
        ('\r', _) => Piece::ascii("\\r"),
        ('\t', _) => Piece::ascii("\\t"),
        ('"', Style::Json) => Piece::ascii("\\\""),
        (c, Style::Python(q)) if c == q => Piece::ascii("\\").with(q),
        ('\u{8}', Style::Json) => Piece::ascii("\\b"),
        ('\u{c}', Style::Json) => Piece::ascii("\\f"),
        (c, _) if printable(c) => Piece::ch(c),
        (c, Style::Json) if (c as u32) > 0xffff => {
            // JSON spells astral code points as a surrogate pair; one piece
            // holds only one, so the pair's halves are joined by the caller
            // reading `Piece` text: both fit in 12 bytes.
            let v = c as u32 - 0x10000;
            let (hi, lo) = (0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
            let mut p = Piece::hex("\\u", hi, 4);
            let lo = Piece::hex("\\u", lo, 4);
            p.buf[6..12].copy_from_slice(&lo.buf[..6]);
            p.len = 12;
            p
        }
        (c, Style::Json) => Piece::hex("\\u", c as u32, 4),
        (c, _) => match c as u32 {
            v @ 0..=0xff => Piece::hex("\\x", v, 2),
            v @ 0x100..=0xffff => Piece::hex("\\u", v, 4),
            v => Piece::hex("\\U", v, 8),
        },
    }
}

impl Piece {
    fn with(mut self, c: char) -> Piece {
        let mut tmp = [0u8; 4];
        let s = c.encode_utf8(&mut tmp);
        let at = self.len as usize;
        self.buf[at..at + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len() as u8;
        self
    }
}

/// Byte `b` inside a bytes literal quoted with `quote`, as Python's `repr`
/// writes it (both dialects spell bytes the same way).
pub fn byte_piece(b: u8, quote: char) -> Piece {
    match b {
        b'\\' => Piece::ascii("\\\\"),
        b'\n' => Piece::ascii("\\n"),
        b'\r' => Piece::ascii("\\r"),
        b'\t' => Piece::ascii("\\t"),
        b if b as char == quote => Piece::ascii("\\").with(quote),
        0x20..=0x7e => Piece::ch(b as char),
        b => Piece::hex("\\x", b as u32, 2),
    }
}

/// Whether `c` is shown as itself: Python's `str.isprintable` as far as it
/// matters to a terminal (controls, separators, format characters such as
/// bidi overrides and zero-width spaces, private use, and noncharacters are
/// escaped; unassigned code points are not known here and pass).
pub fn printable(c: char) -> bool {
    !matches!(c as u32,
        0..=0x1f | 0x7f..=0xa0 | 0xad
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2
        | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f
        | 0x3000 | 0xd800..=0xf8ff | 0xfeff | 0xfff9..=0xfffb | 0xfffe..=0xffff
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f
        | 0xf0000..=0x10ffff)
        && (c as u32 & 0xfffe) != 0xfffe
}

/// A float in its shortest round-trip form, placed as Python's `repr` places
/// it (`0.1`, `1e+300`, `1e-05`, `1.0`); non-finite values are `inf` and
/// `nan` in Python, `Infinity` and `NaN` in the data dialect.
pub fn float(x: f64, dialect: Dialect) -> String {
    if x.is_nan() {
        return match dialect {
            Dialect::Python => "nan".into(),
            Dialect::Data => "NaN".into(),
        };
    }
    if x.is_infinite() {
        let sign = if x < 0.0 { "-" } else { "" };
        return match dialect {
            Dialect::Python => format!("{sign}inf"),
            Dialect::Data => format!("{sign}Infinity"),
        };
    }
    // `{:e}` gives the shortest digits that round-trip: `1.2345e-5`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    let decpt = exp + 1;
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if decpt > -4 && decpt <= 16 {
        if decpt <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt >= n {
            format!("{sign}{digits}{}.0", "0".repeat((decpt - n) as usize))
        } else {
            let (a, b) = digits.split_at(decpt as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{dot}{rest}e{esign}{:02}", exp.abs())
    }
}

/// The calendar fields of a time: year, month, day, hour, minute, second,
/// or `None` outside years 0 to 9999 or with invalid nanoseconds.
fn civil(secs: i64, nanos: u32) -> Option<(i32, u8, u8, u8, u8, u8)> {
    if nanos >= 1_000_000_000 {
        return None;
    }
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    Some((
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    ))
}

/// A point in time as RFC 3339 (`2024-05-01T12:00:00.5Z` in the data
/// dialect; `datetime.datetime(2024, 5, 1, 12, 0, tzinfo=…utc)` in Python),
/// or `timestamp(secs, nanos)` when no calendar date fits.
pub fn timestamp(secs: i64, nanos: u32, dialect: Dialect) -> String {
    let Some((y, mo, d, h, mi, s)) = civil(secs, nanos) else {
        return format!("timestamp({secs}, {nanos})");
    };
    match dialect {
        Dialect::Data => {
            let frac = match nanos {
                0 => String::new(),
                n if n % 1_000_000 == 0 => format!(".{:03}", n / 1_000_000),
                n if n % 1_000 == 0 => format!(".{:06}", n / 1_000),
                n => format!(".{n:09}"),
            };
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
        }
        Dialect::Python => {
            // datetime keeps microseconds; finer parts are dropped as
            // Python itself would drop them.
            let micros = nanos / 1_000;
            let tail = match (s, micros) {
                (0, 0) => String::new(),
                (s, 0) => format!(", {s}"),
                (s, us) => format!(", {s}, {us}"),
            };
            format!(
                "datetime.datetime({y}, {mo}, {d}, {h}, {mi}{tail}, tzinfo=datetime.timezone.utc)"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, style: Style) -> String {
        s.chars()
            .map(|c| char_piece(c, style).as_str().to_owned())
            .collect()
    }

    #[test]
    fn floats_as_python_writes_them() {
        let py = |x| float(x, Dialect::Python);
        assert_eq!(py(0.1), "0.1");
        assert_eq!(py(1.0), "1.0");
        assert_eq!(py(-0.0), "-0.0");
        assert_eq!(py(1e300), "1e+300");
        assert_eq!(py(1e16), "1e+16");
        assert_eq!(py(1e15), "1000000000000000.0");
        assert_eq!(py(123456789012345678.0), "1.2345678901234568e+17");
        assert_eq!(py(0.0001), "0.0001");
        assert_eq!(py(0.00001), "1e-05");
        assert_eq!(py(1.5e-7), "1.5e-07");
        assert_eq!(py(12.5), "12.5");
        assert_eq!(py(f64::INFINITY), "inf");
        assert_eq!(py(f64::NEG_INFINITY), "-inf");
        assert_eq!(py(f64::NAN), "nan");
        assert_eq!(float(f64::NEG_INFINITY, Dialect::Data), "-Infinity");
        assert_eq!(float(f64::NAN, Dialect::Data), "NaN");
        assert_eq!(py(5e-324), "5e-324");
        assert_eq!(py(f64::MAX), "1.7976931348623157e+308");
    }

    #[test]
    fn strings_escape_what_a_terminal_must_not_see() {
        let py = Style::Python('\'');
        assert_eq!(
            esc("a'b\\\n\t\r\x1b\x7f", py),
            "a\\'b\\\\\\n\\t\\r\\x1b\\x7f"
        );
        assert_eq!(
            esc("é😀\u{85}\u{a0}\u{202e}\u{200b}", py),
            "é😀\\x85\\xa0\\u202e\\u200b"
        );
        assert_eq!(esc("\u{f0000}", py), "\\U000f0000");
        assert_eq!(esc("a\"\u{1}\u{8}", Style::Json), "a\\\"\\u0001\\b");
        assert_eq!(esc("\u{f0000}", Style::Json), "\\udb80\\udc00");
        assert_eq!(esc("x\\y\u{1b}", Style::Plain), "x\\y\\x1b");
        assert_eq!(python_quote(b"it's"), '"');
        assert_eq!(python_quote(b"it's \"x\""), '\'');
        let b: String = b"\x00a'\"\\\xff"
            .iter()
            .map(|b| byte_piece(*b, '\'').as_str().to_owned())
            .collect();
        assert_eq!(b, "\\x00a\\'\"\\\\\\xff");
    }

    #[test]
    fn timestamps_in_both_dialects() {
        let t = 1_714_564_800; // 2024-05-01T12:00:00Z
        assert_eq!(timestamp(t, 0, Dialect::Data), "2024-05-01T12:00:00Z");
        assert_eq!(
            timestamp(t, 500_000_000, Dialect::Data),
            "2024-05-01T12:00:00.500Z"
        );
        assert_eq!(
            timestamp(t + 7, 1_500, Dialect::Data),
            "2024-05-01T12:00:07.000001500Z"
        );
        assert_eq!(
            timestamp(t, 0, Dialect::Python),
            "datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)"
        );
        assert_eq!(
            timestamp(t + 3, 250_000, Dialect::Python),
            "datetime.datetime(2024, 5, 1, 12, 0, 3, 250, tzinfo=datetime.timezone.utc)"
        );
        assert_eq!(
            timestamp(-62_135_596_800, 0, Dialect::Data),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            timestamp(i64::MAX, 0, Dialect::Data),
            format!("timestamp({}, 0)", i64::MAX)
        );
        assert_eq!(
            timestamp(0, 2_000_000_000, Dialect::Data),
            "timestamp(0, 2000000000)"
        );
    }
}
