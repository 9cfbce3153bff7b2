//! The framed formats whose crates stream: zstd, LZ4 frames, framed Snappy,
//! brotli, xz and legacy `.lzma`. Each reader is drained into the bounded
//! output, so none decodes past the cap.

use super::out::{End, Out, drain, first_line, io_end};
use ruzstd::decoding::StreamingDecoder;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};

/// The largest zstd window accepted: what `zstd -19` uses on big inputs and
/// then some. `ruzstd` reserves the window before decoding a frame.
const ZSTD_WINDOW: u64 = 32 << 20;

/// The largest xz/LZMA decoder memory accepted, in KiB: a preset-9
/// dictionary (64 MiB) and its tables.
const LZMA_MEMORY_KIB: u32 = 80 * 1024;

/// One or more zstd frames; skippable frames are passed over.
pub(super) fn zstd(data: &[u8], out: &mut Out) -> End {
    let mut src = data;
    loop {
        let at = data.len() - src.len();
        match StreamingDecoder::new_with_max_window_size(&mut src, ZSTD_WINDOW) {
            Ok(decoder) => match drain(decoder, out) {
                End::Complete if !out.over && !src.is_empty() => {}
                // `ruzstd` reads exactly what it needs, so a failure with
                // the input used up is input that ran out.
                End::Invalid(_) if src.is_empty() => return End::Truncated,
                end => return end,
            },
            Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::BadMagicNumber(
                _,
            ))) => return End::Invalid(format!("no zstd frame at byte {at}")),
            Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                length,
                ..
            })) => match src.get(length as usize..) {
                Some(rest) if !rest.is_empty() => src = rest,
                Some(_) => return End::Complete,
                None => return End::Truncated,
            },
            Err(e) => {
                return if src.is_empty() {
                    End::Truncated
                } else {
                    End::Invalid(format!("{} at byte {at}", first_line(&e.to_string())))
                };
            }
        }
    }
}

/// LZ4 frames (`lz4.frame`, `lz4 -c`), concatenated frames included.
pub(super) fn lz4_frame(data: &[u8], out: &mut Out) -> End {
    drain(lz4_flex::frame::FrameDecoder::new(data), out)
}

/// The Snappy framing format (`snappy -c`, `cramjam.snappy.compress`).
pub(super) fn snappy_frame(data: &[u8], out: &mut Out) -> End {
    drain(snap::read::FrameDecoder::new(data), out)
}

/// A brotli stream (no magic: tried only when asked for).
pub(super) fn brotli(data: &[u8], out: &mut Out) -> End {
    drain(brotli_decompressor::Decompressor::new(data, 4096), out)
}

/// An xz file (Python's `lzma.compress`, `xz -c`), multiple streams included.
pub(super) fn xz(data: &[u8], out: &mut Out) -> End {
    drain(
        lzma_rust2::XzReader::new_mem_limit(data, true, LZMA_MEMORY_KIB),
        out,
    )
}

/// The legacy `.lzma` ("LZMA alone") file: a 13-byte header, then LZMA.
pub(super) fn lzma(data: &[u8], out: &mut Out) -> End {
    match lzma_rust2::LzmaReader::new_mem_limit(data, LZMA_MEMORY_KIB, None) {
        Ok(reader) => drain(reader, out),
        Err(e) => io_end(&e),
    }
}
