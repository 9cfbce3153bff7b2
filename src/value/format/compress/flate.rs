//! gzip, zlib and raw deflate through `flate2`.

use super::out::{End, Out, drain};
use flate2::{Decompress, FlushDecompress, Status};

/// One or more gzip members, each checked against its CRC and length.
pub(super) fn gzip(data: &[u8], out: &mut Out) -> End {
    drain(flate2::read::MultiGzDecoder::new(data), out)
}

/// A zlib stream (`zlib` true, its Adler-32 checked) or raw deflate. Driven
/// by hand because only the low-level API tells a stream that ended from
/// input that ran out.
pub(super) fn inflate(data: &[u8], zlib: bool, out: &mut Out) -> End {
    let mut d = Decompress::new(zlib);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let (was_in, was_out) = (d.total_in(), d.total_out());
        let input = data.get(was_in as usize..).unwrap_or_default();
        let status = d.decompress(input, &mut buf, FlushDecompress::None);
        let made = (d.total_out() - was_out) as usize;
        out.push(&buf[..made]);
        if out.over {
            return End::Complete;
        }
        match status {
            Ok(Status::StreamEnd) => return End::Complete,
            Ok(_) if made == 0 && d.total_in() == was_in => {
                return if d.total_in() as usize >= data.len() {
                    End::Truncated
                } else {
                    End::Invalid(format!("stuck at byte {}", d.total_in()))
                };
            }
            Ok(_) => {}
            Err(e) => {
                return End::Invalid(format!("{e} at byte {}", d.total_in()));
            }
        }
    }
}
