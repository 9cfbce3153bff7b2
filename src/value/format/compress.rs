//! gzip and zlib detection and bounded decompression.

use std::io::Read as _;

/// Which compression a value uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gzip,
    Zlib,
}

impl Kind {
    /// The name shown next to a decompressed value.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Gzip => "gzip",
            Kind::Zlib => "zlib",
        }
    }
}

/// Decompressed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inflated {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    /// The output stopped at the cap, or the input ended early (a partial
    /// value, e.g. only its first 64 KiB loaded).
    pub cut: bool,
}

/// The compression `data` starts like: the gzip magic, or a zlib header
/// (deflate method, a window of at most 32 KiB, header checksum right).
pub fn detect(data: &[u8]) -> Option<Kind> {
    match data {
        [0x1f, 0x8b, 8, ..] => Some(Kind::Gzip),
        [cmf, flg, ..]
            if cmf & 0x0f == 8
                && cmf >> 4 <= 7
                && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 =>
        {
            Some(Kind::Zlib)
        }
        _ => None,
    }
}

/// Decompresses `data` when it is gzip or zlib, keeping at most `cap` bytes
/// of output. `None` when it is neither, or when not a byte decodes (text
/// that merely starts like a zlib header).
pub fn inflate(data: &[u8], cap: usize) -> Option<Inflated> {
    let kind = detect(data)?;
    let reader: Box<dyn std::io::Read + '_> = match kind {
        Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(data)),
        Kind::Zlib => Box::new(flate2::read::ZlibDecoder::new(data)),
    };
    // One byte past the cap tells "exactly cap" from "more than cap".
    let mut limited = reader.take(cap as u64 + 1);
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut broken = false;
    loop {
        match limited.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => {
                broken = true;
                break;
            }
        }
    }
    if bytes.is_empty() && broken {
        return None;
    }
    let over = bytes.len() > cap;
    bytes.truncate(cap);
    Some(Inflated {
        kind,
        bytes,
        cut: over || broken,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("writes");
        e.finish().expect("finishes")
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).expect("writes");
        e.finish().expect("finishes")
    }

    #[test]
    fn detects_and_inflates_both() {
        let text = b"hello hello hello hello".repeat(10);
        let g = inflate(&gzip(&text), 1 << 20).expect("gzip");
        assert_eq!((g.kind, g.cut, g.bytes == text), (Kind::Gzip, false, true));
        let z = inflate(&zlib(&text), 1 << 20).expect("zlib");
        assert_eq!((z.kind, z.cut, z.bytes == text), (Kind::Zlib, false, true));
    }

    #[test]
    fn output_is_bounded() {
        let zeros = vec![0u8; 4 << 20];
        let g = inflate(&gzip(&zeros), 1 << 20).expect("gzip");
        assert_eq!(g.bytes.len(), 1 << 20);
        assert!(g.cut);
        let exact = inflate(&gzip(&zeros[..1000]), 1000).expect("gzip");
        assert!(!exact.cut);
    }

    #[test]
    fn partial_input_keeps_what_decoded() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let gz = gzip(&data);
        let part = inflate(&gz[..gz.len() / 2], 16 << 20).expect("partial gzip");
        assert!(part.cut);
        assert!(!part.bytes.is_empty());
        assert_eq!(&data[..part.bytes.len()], &part.bytes[..]);
    }

    #[test]
    fn text_is_not_compressed() {
        assert_eq!(inflate(b"plain text", 100), None);
        // "x^" passes zlib's header checksum, but is not a stream.
        assert_eq!(detect(b"x^abc"), Some(Kind::Zlib));
        assert_eq!(inflate(b"x^ this is text", 100), None);
        assert_eq!(inflate(b"", 100), None);
    }
}
