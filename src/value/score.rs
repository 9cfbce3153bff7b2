//! Sorted-set scores as Redis reads and prints them: parsing refuses what
//! ZADD refuses (NaN, values out of a double's range, underflow to zero),
//! and printing uses the shortest text that reads back to the same double,
//! laid out as Redis 7.2 prints it (`1e+308`, `0.1`, `123456789`, `inf`).

/// The largest finite score, for the out-of-range message.
const MAX: &str = "1.7976931348623157e+308";

/// A score as the user typed it (surrounding spaces ignored), or why Redis
/// would refuse it.
pub fn parse(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let not_a_score = || {
        format!("{text:?} is not a score: Redis takes a number like 1.5, -3, 1e6, or inf or -inf")
    };
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Ok(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    // Rust also reads "nan", which Redis refuses like anything else not a number.
    let value: f64 = match text.parse() {
        Ok(v) if !f64::is_nan(v) => v,
        _ => return Err(not_a_score()),
    };
    if value.is_infinite() {
        return Err(format!(
            "{text} is out of range: Redis refuses it (not a valid float); scores go up to ±{MAX}, or inf"
        ));
    }
    let mantissa = unsigned.split(['e', 'E']).next().unwrap_or("");
    if value == 0.0 && mantissa.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        return Err(format!(
            "{text} is too small: Redis refuses it (not a valid float); the smallest score above zero is 5e-324"
        ));
    }
    Ok(value)
}

/// `score` in the shortest text that reads back to it, as Redis prints it.
pub fn text(score: f64) -> String {
    if score.is_nan() {
        return "nan".into();
    }
    if score.is_infinite() {
        return if score > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if score.is_sign_negative() { "-" } else { "" };
    if score == 0.0 {
        return format!("{sign}0");
    }
    // `{:e}` gives the shortest round-trip digits: "d.ddde-7".
    let sci = format!("{:e}", score.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp10: i32 = exp.parse().unwrap_or(0);
    let n = digits.len() as i32;
    // The value is `digits` × 10^k.
    let k = exp10 - (n - 1);
    let magnitude = exp10.abs();
    let body = if k >= 0 && magnitude < n + 7 {
        format!("{digits}{}", "0".repeat(k as usize))
    } else if k < 0 && (k > -7 || magnitude < 4) {
        let point = n + k;
        if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else {
            let (whole, frac) = digits.split_at(point as usize);
            format!("{whole}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exp10 < 0 { '-' } else { '+' };
        format!("{first}{rest}e{exp_sign}{magnitude}")
    };
    format!("{sign}{body}")
}

/// A score as the server sent it, shown in [`text`]'s form (Redis before
/// 7.2 prints `0.10000000000000001`); text that is not a number stays as sent.
pub fn display(raw: &[u8]) -> String {
    match std::str::from_utf8(raw).ok().map(str::trim).map(parse) {
        Some(Ok(score)) => text(score),
        _ => super::escape::line(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_redis() {
        for (score, shown) in [
            (1e308, "1e+308"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (-2.0, "-2"),
            (123_456_789_012.0, "123456789012"),
            (10_000_000.0, "10000000"),
            (1e8, "1e+8"),
            (1e21, "1e+21"),
            (0.000_001, "0.000001"),
            (1e-7, "1e-7"),
            (1.23456e-8, "1.23456e-8"),
            (12_345.678, "12345.678"),
            (1.234_567_890_123_456_7, "1.2345678901234567"),
            (5e-324, "5e-324"),
            (1e105, "1e+105"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (0.0, "0"),
            (-0.0, "-0"),
        ] {
            assert_eq!(text(score), shown, "{score:e}");
        }
    }

    #[test]
    fn every_printed_score_reads_back_exactly() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            // xorshift over all bit patterns: every exponent, subnormals too.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let score = f64::from_bits(x);
            if score.is_nan() {
                continue;
            }
            let shown = text(score);
            assert_eq!(
                parse(&shown).map(f64::to_bits),
                Ok(score.to_bits()),
                "{shown}"
            );
        }
    }

    #[test]
    fn refuses_what_redis_refuses_with_the_reason() {
        let e = parse("1e400").expect_err("out of range");
        assert!(
            e.contains("out of range") && e.contains("not a valid float"),
            "{e}"
        );
        assert!(parse("-1e400").is_err());
        let e = parse("1e-400").expect_err("underflow");
        assert!(e.contains("too small"), "{e}");
        for bad in ["nan", "NaN", "", "1,5", "x", "0x10"] {
            let e = parse(bad).expect_err(bad);
            assert!(e.contains("not a score"), "{e}");
        }
        assert_eq!(parse(" 0e-400 "), Ok(0.0));
        assert_eq!(parse("0.000"), Ok(0.0));
        assert_eq!(parse("+inf"), Ok(f64::INFINITY));
        assert_eq!(parse("-Infinity"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse("1e308"), Ok(1e308));
    }

    #[test]
    fn server_text_shows_in_the_short_form() {
        assert_eq!(display(b"0.10000000000000001"), "0.1");
        assert_eq!(display(b"1.0000000000000001e+308"), "1e+308");
        assert_eq!(display(b"inf"), "inf");
        assert_eq!(display(b"odd\n"), "odd\\n");
    }
}
