//! Sizes, counts and times as people read them: "12.3 MiB", "1 250 000", "3m20s".

/// A byte count in binary units with one decimal above KiB ("64 KiB", "12.3 MiB").
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    // Whole numbers read better without ".0" ("64 KiB", not "64.0 KiB").
    if (value - value.round()).abs() < 0.05 {
        format!("{:.0} {}", value.round(), UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// An integer with thin groups of three digits separated by spaces ("1 250 000").
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The row range line of a paged table: "rows 1-200 of 1 250 000".
pub fn rows(first: u64, shown: u64, total: Option<u64>) -> String {
    let range = if shown == 0 {
        "no rows".to_string()
    } else {
        format!("rows {}-{}", count(first + 1), count(first + shown))
    };
    match total {
        Some(t) => format!("{range} of {}", count(t)),
        None => range,
    }
}

/// A TTL in milliseconds as a short human string (`-1` none, `-2` gone).
pub fn ttl(ms: i64) -> String {
    match ms {
        -1 => "∞".into(),
        ms if ms < 0 => "gone".into(),
        ms if ms < 1000 => format!("{ms}ms"),
        ms if ms < 60_000 => format!("{}s", ms / 1000),
        ms if ms < 3_600_000 => format!("{}m{}s", ms / 60_000, ms / 1000 % 60),
        ms if ms < 86_400_000 => format!("{}h{}m", ms / 3_600_000, ms / 60_000 % 60),
        ms => format!("{}d{}h", ms / 86_400_000, ms / 3_600_000 % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(64 * 1024), "64 KiB");
        assert_eq!(bytes(12_897_485), "12.3 MiB");
        assert_eq!(bytes(50 * 1024 * 1024), "50 MiB");
        assert_eq!(bytes(u64::MAX), "16384 PiB");
    }

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1 000");
        assert_eq!(count(1_250_000), "1 250 000");
        assert_eq!(rows(0, 200, Some(1_250_000)), "rows 1-200 of 1 250 000");
        assert_eq!(rows(0, 0, Some(0)), "no rows of 0");
    }
}
