//! The hex dump: offset, sixteen bytes in hex, and their ASCII, one line at
//! a time so a view draws only the lines it shows.

/// Bytes per line.
pub const WIDTH: usize = 16;

/// How many lines a dump of `len` bytes has.
pub fn line_count(len: usize) -> usize {
    len.div_ceil(WIDTH)
}

/// Line `index` of the dump of `bytes`, e.g.
/// `00000010  48 65 6c 6c 6f 00 ff 0a  41 42 43 44 45 46 47 48  |Hello...ABCDEFGH|`;
/// `base` is added to the offsets (for ranges that do not start at zero).
pub fn line(bytes: &[u8], index: usize, base: u64) -> String {
    line_of(bytes, index, base, WIDTH)
}

/// Like [`line`] with `per_line` bytes on each line (8 fits narrow panes).
pub fn line_of(bytes: &[u8], index: usize, base: u64, per_line: usize) -> String {
    let per_line = per_line.max(1);
    let start = (index * per_line).min(bytes.len());
    let chunk = &bytes[start..(start + per_line).min(bytes.len())];
    let mut out = String::with_capacity(80);
    out.push_str(&format!("{:08x} ", base + start as u64));
    for i in 0..per_line {
        if i == per_line / 2 {
            out.push(' ');
        }
        match chunk.get(i) {
            Some(b) => out.push_str(&format!(" {b:02x}")),
            None => out.push_str("   "),
        }
    }
    out.push_str("  |");
    out.extend(chunk.iter().map(|&b| ascii(b)));
    out.push('|');
    out
}

/// Every line of the dump of `bytes`.
pub fn lines(bytes: &[u8], base: u64) -> impl Iterator<Item = String> + '_ {
    (0..line_count(bytes.len())).map(move |i| line(bytes, i, base))
}

/// The ASCII column's character for a byte: printable ASCII, else `.`.
pub fn ascii(b: u8) -> char {
    if (0x20..0x7f).contains(&b) {
        b as char
    } else {
        '.'
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads the hex columns of a dump back into bytes.
    fn parse(lines: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        for l in lines {
            let hex = &l[9..l.find("  |").expect("ascii column")];
            for h in hex.split_whitespace() {
                out.push(u8::from_str_radix(h, 16).expect("hex byte"));
            }
        }
        out
    }

    #[test]
    fn all_256_byte_values_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let lines: Vec<String> = lines(&bytes, 0).collect();
        assert_eq!(lines.len(), 16);
        assert_eq!(parse(&lines), bytes);
        assert_eq!(
            lines[4],
            "00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|"
        );
        assert!(lines[15].ends_with("|................|"));
    }

    #[test]
    fn utf8_but_one_byte_is_exact() {
        let mut bytes = "héllo wörld".as_bytes().to_vec();
        bytes.insert(3, 0xff);
        let lines: Vec<String> = lines(&bytes, 0x100).collect();
        assert_eq!(parse(&lines), bytes);
        assert!(lines[0].starts_with("00000100  68 c3 a9 ff 6c"));
        assert!(lines[0].ends_with("|h...llo w..rld|"));
    }

    #[test]
    fn short_last_line_keeps_columns_aligned() {
        let l = line(b"abc", 0, 0);
        assert_eq!(
            l,
            format!("00000000  61 62 63{}  |abc|", " ".repeat(3 * 13 + 1))
        );
        assert_eq!(line_count(0), 0);
        assert_eq!(line_count(17), 2);
    }

    #[test]
    fn narrow_lines_hold_eight_bytes() {
        let bytes: Vec<u8> = (0..20).collect();
        assert_eq!(
            line_of(&bytes, 1, 0, 8),
            "00000008  08 09 0a 0b  0c 0d 0e 0f  |........|"
        );
        assert!(line_of(&bytes, 2, 0, 8).starts_with("00000010  10 11 12 13"));
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let lines: Vec<String> = lines(&bytes, 0).collect();
            prop_assert_eq!(parse(&lines), bytes);
        }
    }
}
