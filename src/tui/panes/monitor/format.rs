//! Short texts for the Monitor pane: durations, ages, counts and rates.

use std::time::Duration;

/// A round trip: `850 µs`, `12 ms`, `1.25 s`.
pub fn rtt(d: Duration) -> String {
    let micros = d.as_micros();
    if micros < 1_000 {
        format!("{micros} µs")
    } else if micros < 10_000_000 {
        format!("{} ms", (micros + 500) / 1_000)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// An age: `5s`, `2m 5s`, `3h 7m`, `2d 4h`.
pub fn age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m {}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h {}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// A count: `999`, `1.2k`, `3.4M`.
pub fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// A signed rate per second: `+2.0/s`, `-0.5/s`.
pub fn rate(per_sec: f64) -> String {
    format!("{per_sec:+.1}/s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_short_and_exact() {
        assert_eq!(rtt(Duration::from_micros(850)), "850 µs");
        assert_eq!(rtt(Duration::from_micros(12_400)), "12 ms");
        assert_eq!(rtt(Duration::from_millis(12_500)), "12.50 s");
        assert_eq!(age(Duration::from_secs(5)), "5s");
        assert_eq!(age(Duration::from_secs(125)), "2m 5s");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 7 * 60)), "3h 7m");
        assert_eq!(age(Duration::from_secs(2 * 86_400 + 4 * 3600)), "2d 4h");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234), "1.2k");
        assert_eq!(count(3_400_000), "3.4M");
        assert_eq!(rate(2.0), "+2.0/s");
        assert_eq!(rate(-0.25), "-0.2/s");
    }
}
