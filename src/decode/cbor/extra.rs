//! What CBOR's tags and odd corners mean: date tags as times, bignums as
//! integers, text that is not UTF-8 kept as bytes.

use crate::decode::Node;

/// The largest bignum shown as decimal digits (about 10 000 digits); longer
/// ones stay tagged bytes.
const MAX_BIGNUM: usize = 4096;

/// A float32 (or a half float widened to one) with its own shortest digits:
/// 0.1, not 0.10000000149011612.
pub fn short_f32(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// An IEEE 754 half-precision float, widened exactly.
pub fn half(bits: u16) -> f32 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((bits >> 10) & 0x1f);
    let frac = f32::from(bits & 0x3ff);
    sign * match exp {
        0 => frac * 2f32.powi(-24),
        31 if frac == 0.0 => f32::INFINITY,
        31 => f32::NAN,
        e => (1.0 + frac / 1024.0) * 2f32.powi(e - 15),
    }
}

/// The bytes of a definite-length text item at `at`, and where it ends.
pub fn raw_text(input: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let first = *input.get(at)?;
    if first >> 5 != 3 {
        return None;
    }
    let (len, start) = match first & 0x1f {
        n @ 0..=23 => (u64::from(n), at + 1),
        n @ 24..=27 => {
            let width = 1usize << (n - 24);
            let b = input.get(at + 1..at + 1 + width)?;
            (
                b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x)),
                at + 1 + width,
            )
        }
        _ => return None,
    };
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    Some((input.get(start..end)?, end))
}

/// A tag around its decoded value: times for 0 and 1, integers for the
/// bignums 2 and 3, [`Node::Tagged`] otherwise (and when the value is not
/// what the tag expects, with a remark).
pub fn tagged(tag: u64, value: Node) -> Node {
    let read = match (tag, &value) {
        (0, Node::Str(s)) => rfc3339(s).map(|(secs, nanos)| Node::Timestamp { secs, nanos }),
        (1, Node::Int(n)) => n
            .parse()
            .ok()
            .map(|secs| Node::Timestamp { secs, nanos: 0 }),
        (1, Node::Float(x)) => epoch_float(*x),
        (2 | 3, Node::Bytes(b)) if b.len() <= MAX_BIGNUM => Some(Node::Int(bignum(b, tag == 3))),
        (0..=3, _) => None,
        _ => {
            return Node::Tagged {
                tag,
                value: Box::new(value),
            };
        }
    };
    read.unwrap_or_else(|| Node::Noted {
        value: Box::new(Node::Tagged {
            tag,
            value: Box::new(value),
        }),
        note: match tag {
            0 => "not an RFC 3339 time",
            1 => "not an epoch time",
            _ => "not a bignum that can be shown",
        }
        .into(),
    })
}

fn epoch_float(x: f64) -> Option<Node> {
    if !x.is_finite() || x.abs() >= 9.2e18 {
        return None;
    }
    let secs = x.floor();
    let nanos = (((x - secs) * 1e9).round() as u32).min(999_999_999);
    Some(Node::Timestamp {
        secs: secs as i64,
        nanos,
    })
}

/// An RFC 3339 date-time (`2013-03-21T20:04:00Z`, `…00.5+01:00`) as seconds
/// and nanoseconds since the epoch.
fn rfc3339(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |from: usize, to: usize| -> Option<u32> {
        let part = b.get(from..to)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |v, &d| v * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, set: &[u8]| b.get(i).is_some_and(|c| set.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if at(i, b".") {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        nanos *= 10u32.pow(9u32.saturating_sub((i - start) as u32));
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && at(i + 3, b":") => {
            let o = i64::from(num(i + 1, i + 3)? * 3600 + num(i + 4, i + 6)? * 60);
            if *sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date = time::Date::from_calendar_date(y as i32, month, u8::try_from(d).ok()?).ok()?;
    let t = date
        .with_hms(h as u8, mi as u8, sec as u8)
        .ok()?
        .assume_utc();
    Some((t.unix_timestamp() - offset, nanos))
}

/// A big-endian unsigned integer in decimal; `negative` gives CBOR's
/// `-1 - n`.
fn bignum(be: &[u8], negative: bool) -> String {
    let n = num_bigint::BigInt::from(num_bigint::BigUint::from_bytes_be(be));
    let n = if negative { -(n + 1u8) } else { n };
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_floats() {
        assert_eq!(half(0x3e00), 1.5);
        assert_eq!(half(0x7bff), 65504.0);
        assert_eq!(half(0x0001), 5.960_464_5e-8);
        assert_eq!(half(0xfc00), f32::NEG_INFINITY);
        assert!(half(0x7e00).is_nan());
        assert_eq!(half(0x8000).to_bits(), (-0.0f32).to_bits());
    }

    #[test]
    fn bignums_in_decimal() {
        assert_eq!(bignum(&[], false), "0");
        assert_eq!(bignum(&[], true), "-1");
        assert_eq!(bignum(&[0, 0, 1, 0], false), "256");
        assert_eq!(
            bignum(&[1, 0, 0, 0, 0, 0, 0, 0, 0], false),
            "18446744073709551616"
        );
        assert_eq!(
            bignum(&[1, 0, 0, 0, 0, 0, 0, 0, 0], true),
            "-18446744073709551617"
        );
        assert_eq!(bignum(&[0x3b, 0x9a, 0xc9, 0xff], true), "-1000000000");
        let big = bignum(&[0xff; 4096], false);
        assert_eq!(big.len(), 9865);
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(rfc3339("2013-03-21T20:04:00Z"), Some((1_363_896_240, 0)));
        assert_eq!(
            rfc3339("2013-03-21T21:04:00.25+01:00"),
            Some((1_363_896_240, 250_000_000))
        );
        assert_eq!(
            rfc3339("2013-03-21t19:04:00.1234567891-01:00"),
            Some((1_363_896_240, 123_456_789))
        );
        for bad in [
            "2013-03-21",
            "2013-13-21T20:04:00Z",
            "2013-03-21T20:04:00",
            "2013-03-21T20:04:00.Z",
            "2013-03-21T20:04:00Zx",
            "2013-02-30T20:04:00Z",
            "２013-03-21T20:04:00Z",
        ] {
            assert_eq!(rfc3339(bad), None, "{bad}");
        }
    }
}
