//! Parsers for values typed on the command line and in the config file,
//! shared by both so that they accept the same text and say the same thing.

use std::time::Duration;

/// Parses `500ms`, `5s`, `1m` and other humantime durations; zero is refused.
pub fn duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("{e} (examples: 500ms, 5s, 1m)"))?;
    if d.is_zero() {
        return Err("must be more than zero".into());
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(duration(" 1m "), Ok(Duration::from_secs(60)));
        assert!(duration("5").is_err());
        assert_eq!(duration("0s"), Err("must be more than zero".into()));
        assert!(duration("fast").unwrap_err().contains("examples: 500ms"));
    }
}
