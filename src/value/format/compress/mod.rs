//! Compressed values, detected and decompressed with a bound on the output.
//!
//! Formats with a magic number are recognised by [`detect`] and opened by
//! [`inflate`]: gzip, zlib, zstd, LZ4 frames, framed Snappy and xz. Those
//! without one (raw deflate, LZ4 blocks, python-lz4's size-prefixed blocks,
//! brotli, raw Snappy, legacy `.lzma`) are tried only when asked for by
//! name, with [`decompress_as`]. Every decoder stops at the caller's cap,
//! whatever sizes the data claims, and keeps what decoded from a partial
//! value (only its first page loaded).
//!
//! django-redis's compressors write the library's default container, so
//! they are all detected: `zlib.compress` (zlib), `gzip.compress` (gzip),
//! `lz4.frame.compress` (LZ4 frame), `pyzstd.compress` (zstd) and
//! `lzma.compress` (xz). Each leaves values of up to 15 bytes (100 for
//! lzma) uncompressed.

mod block;
mod flate;
mod out;
mod stream;
#[cfg(test)]
mod tests;

use out::{End, Out};

/// Which compression a value uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Gzip,
    Zlib,
    /// Raw deflate, with no zlib or gzip wrapper.
    Deflate,
    Zstd,
    /// The LZ4 frame format.
    Lz4,
    /// A bare LZ4 block.
    Lz4Block,
    /// python-lz4's `lz4.block.compress`: a 4-byte little-endian size, then a block.
    Lz4Sized,
    Brotli,
    /// The Snappy framing format.
    Snappy,
    /// A bare Snappy block, led by its length.
    SnappyRaw,
    Xz,
    /// The legacy `.lzma` file ("LZMA alone").
    Lzma,
}

impl Kind {
    /// Every kind, the detectable ones first.
    pub const ALL: [Kind; 12] = [
        Kind::Gzip,
        Kind::Zlib,
        Kind::Zstd,
        Kind::Lz4,
        Kind::Snappy,
        Kind::Xz,
        Kind::Deflate,
        Kind::Lz4Block,
        Kind::Lz4Sized,
        Kind::Brotli,
        Kind::SnappyRaw,
        Kind::Lzma,
    ];

    /// The name shown next to a decompressed value.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Gzip => "gzip",
            Kind::Zlib => "zlib",
            Kind::Deflate => "deflate",
            Kind::Zstd => "zstd",
            Kind::Lz4 => "lz4",
            Kind::Lz4Block => "lz4 block",
            Kind::Lz4Sized => "lz4 sized",
            Kind::Brotli => "brotli",
            Kind::Snappy => "snappy",
            Kind::SnappyRaw => "snappy raw",
            Kind::Xz => "xz",
            Kind::Lzma => "lzma",
        }
    }

    /// The kind a name stands for: its label, any case, with `-` or `_`
    /// for the space ("lz4-block").
    pub fn parse(name: &str) -> Option<Kind> {
        let name = name.trim().to_ascii_lowercase().replace(['-', '_'], " ");
        Kind::ALL.into_iter().find(|k| k.label() == name)
    }

    /// Whether [`detect`] recognises this kind by its first bytes.
    pub fn has_magic(self) -> bool {
        matches!(
            self,
            Kind::Gzip | Kind::Zlib | Kind::Zstd | Kind::Lz4 | Kind::Snappy | Kind::Xz
        )
    }
}

/// Decompressed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inflated {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    /// The output stopped at the cap, or the input ended early (a partial
    /// value, e.g. only its first 64 KiB loaded), or was broken past the start.
    pub cut: bool,
    /// Why the output is cut, in one line, when it is.
    pub note: Option<String>,
}

/// Why bytes could not be decompressed as the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not {kind}: {reason}", kind = .kind.label())]
pub struct Error {
    pub kind: Kind,
    pub reason: String,
}

/// The compression `data` starts like: a format's magic number, or a zlib
/// header (deflate method, a window of at most 32 KiB, header checksum right).
pub fn detect(data: &[u8]) -> Option<Kind> {
    match data {
        [0x1f, 0x8b, 8, ..] => Some(Kind::Gzip),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Kind::Zstd),
        [0x04, 0x22, 0x4d, 0x18, ..] => Some(Kind::Lz4),
        [
            0xff,
            0x06,
            0x00,
            0x00,
            b's',
            b'N',
            b'a',
            b'P',
            b'p',
            b'Y',
            ..,
        ] => Some(Kind::Snappy),
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Kind::Xz),
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

/// Shortest value that is taken for a zlib stream cut short by loading. The
/// zlib header is two bytes any text may start with ("x " passes its
/// checksum), so a short value that runs out mid-stream is text, not a
/// partial load.
const ZLIB_PARTIAL_MIN: usize = 4096;

/// Decompresses `data` when its first bytes say it is compressed, keeping at
/// most `cap` bytes of output. `None` when it is not, or when not a byte
/// decodes; a zlib header followed by anything but a whole (or long, partly
/// loaded) zlib stream is taken for text.
pub fn inflate(data: &[u8], cap: usize) -> Option<Inflated> {
    let kind = detect(data)?;
    let (out, end) = run(kind, data, cap);
    let keep = match (&end, kind) {
        (End::Complete, _) => true,
        _ if out.over => true,
        (End::Truncated, Kind::Zlib) => data.len() >= ZLIB_PARTIAL_MIN && out.len() > 0,
        (End::Invalid(_), Kind::Zlib) => false,
        _ => out.len() > 0,
    };
    keep.then(|| finish(kind, out, end, cap))
}

/// Decompresses `data` as `kind`, keeping at most `cap` bytes of output: what
/// decoded, cut with a note when the stream stops short or is broken past its
/// start; an error when not a byte decodes.
pub fn decompress_as(kind: Kind, data: &[u8], cap: usize) -> Result<Inflated, Error> {
    if data.is_empty() {
        return Err(Error {
            kind,
            reason: "the value is empty".to_string(),
        });
    }
    let (out, end) = run(kind, data, cap);
    match end {
        End::Truncated if out.len() == 0 && !out.over => Err(Error {
            kind,
            reason: "the input ends before any output".to_string(),
        }),
        End::Invalid(reason) if out.len() == 0 && !out.over => Err(Error { kind, reason }),
        end => Ok(finish(kind, out, end, cap)),
    }
}

fn run(kind: Kind, data: &[u8], cap: usize) -> (Out, End) {
    let mut out = Out::new(cap);
    let end = match kind {
        Kind::Gzip => flate::gzip(data, &mut out),
        Kind::Zlib => flate::inflate(data, true, &mut out),
        Kind::Deflate => flate::inflate(data, false, &mut out),
        Kind::Zstd => stream::zstd(data, &mut out),
        Kind::Lz4 => stream::lz4_frame(data, &mut out),
        Kind::Lz4Block => block::lz4(data, &mut out),
        Kind::Lz4Sized => block::lz4_sized(data, &mut out),
        Kind::Brotli => stream::brotli(data, &mut out),
        Kind::Snappy => stream::snappy_frame(data, &mut out),
        Kind::SnappyRaw => block::snappy(data, &mut out),
        Kind::Xz => stream::xz(data, &mut out),
        Kind::Lzma => stream::lzma(data, &mut out),
    };
    (out, end)
}

fn finish(kind: Kind, out: Out, end: End, cap: usize) -> Inflated {
    let note = if out.over {
        Some(format!(
            "stopped at {}",
            super::super::human::bytes(cap as u64)
        ))
    } else {
        match end {
            End::Complete => None,
            End::Truncated => Some("the input ends mid-stream".to_string()),
            End::Invalid(why) => Some(format!("broken: {why}")),
        }
    };
    Inflated {
        kind,
        cut: note.is_some(),
        bytes: out.bytes,
        note,
    }
}
