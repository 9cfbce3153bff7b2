//! Parsing what the user types for a TTL: `30`, `10m`, `2h`, `1d`, `persist`.

use std::time::Duration;

use crate::upstash::Error;

/// A TTL to set on a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ttl {
    /// Remove the expiry (PERSIST).
    Persist,
    /// Expire after this long.
    Expire(Duration),
}

impl Ttl {
    /// Parses seconds (`30`), a duration with units (`10m`, `2h`, `1d`,
    /// `1h 30m`) or `persist`; zero and empty input are refused.
    pub fn parse(text: &str) -> Result<Ttl, Error> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("persist") {
            return Ok(Ttl::Persist);
        }
        let bad = || {
            Error::Input(format!(
                "not a TTL: {text:?} (use seconds like 30, or 10m, 2h, 1d, or persist)"
            ))
        };
        let duration = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            Duration::from_secs(text.parse().map_err(|_| bad())?)
        } else {
            humantime::parse_duration(text).map_err(|_| bad())?
        };
        if duration.is_zero() {
            return Err(Error::Input(
                "a TTL must be above zero (use persist to remove it)".into(),
            ));
        }
        Ok(Ttl::Expire(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_units_and_persist_parse() {
        let secs = |s| Ttl::Expire(Duration::from_secs(s));
        assert_eq!(Ttl::parse("30").ok(), Some(secs(30)));
        assert_eq!(Ttl::parse(" 10m ").ok(), Some(secs(600)));
        assert_eq!(Ttl::parse("2h").ok(), Some(secs(7200)));
        assert_eq!(Ttl::parse("1d").ok(), Some(secs(86_400)));
        assert_eq!(Ttl::parse("1h 30m").ok(), Some(secs(5400)));
        assert_eq!(Ttl::parse("PERSIST").ok(), Some(Ttl::Persist));
    }

    #[test]
    fn bad_input_is_one_clear_line() {
        for bad in ["", "0", "-5", "ten", "5x", "99999999999999999999999"] {
            let e = Ttl::parse(bad).expect_err(bad).to_string();
            assert!(e.contains("TTL"), "{bad}: {e}");
            assert!(!e.contains('\n'));
        }
    }
}
