//! Realistic-looking names and values drawn from a seeded random generator,
//! so the same seed always produces the same data set.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// First names, with a few accents so values are not plain ASCII.
pub const FIRST_NAMES: &[&str] = &[
    "Ada",
    "Amara",
    "Björn",
    "Carmen",
    "Chen",
    "Diego",
    "Elif",
    "Emma",
    "Farah",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "José",
    "Kofi",
    "Lars",
    "Leila",
    "Lucía",
    "Maya",
    "Mei",
    "Noah",
    "Olga",
    "Priya",
    "Rafael",
    "Sofia",
    "Tariq",
    "Ulla",
    "Valentina",
    "Wei",
    "Yusuf",
    "Zoë",
];

/// Family names.
pub const LAST_NAMES: &[&str] = &[
    "Adeyemi", "Andersen", "Baker", "Castillo", "Dubois", "Eriksson", "Fischer", "García",
    "Hoffmann", "Ivanova", "Jensen", "Kowalski", "Kim", "Lopez", "Müller", "Nakamura", "Novak",
    "Okafor", "Patel", "Quinn", "Rossi", "Schmidt", "Silva", "Tanaka", "Novotná", "Wang", "Yilmaz",
];

/// Words used for document titles, tags and summaries.
pub const WORDS: &[&str] = &[
    "invoice",
    "contract",
    "quarterly",
    "report",
    "renewal",
    "policy",
    "onboarding",
    "audit",
    "budget",
    "forecast",
    "compliance",
    "shipment",
    "warranty",
    "proposal",
    "roadmap",
    "minutes",
    "review",
    "supplier",
    "customer",
    "pricing",
    "security",
    "incident",
    "migration",
    "payroll",
    "inventory",
    "license",
    "summary",
    "agreement",
    "statement",
    "receipt",
    "schedule",
    "analysis",
];

/// Plans a customer can be on.
pub const PLANS: &[&str] = &["free", "starter", "pro", "team", "enterprise"];

/// Browser user agents seen in sessions.
pub const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "okhttp/4.12.0",
];

/// Languages a document can be written in.
pub const LANGUAGES: &[&str] = &["en", "de", "fr", "es", "pt", "ja", "nl", "sv"];

/// Picks one element; the lists above are never empty.
pub fn pick<'a>(rng: &mut StdRng, list: &'a [&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// A version-4 UUID built from the seeded generator.
pub fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

/// A person's full name.
pub fn full_name(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))
}

/// An e-mail address derived from a name and a user id.
pub fn email(name: &str, user: u64) -> String {
    let local: String = name
        .split_whitespace()
        .next()
        .unwrap_or("user")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("{local}.{user}@example.com")
}

/// A sentence of `n` words, capitalised and with a full stop.
pub fn sentence(rng: &mut StdRng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(pick(rng, WORDS));
    }
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s.push('.');
    s
}

/// A document title such as "Quarterly supplier report".
pub fn title(rng: &mut StdRng) -> String {
    let n = rng.random_range(2..5);
    let mut t = sentence(rng, n);
    t.pop();
    t
}

/// An IPv4 address from a documentation range.
pub fn ip(rng: &mut StdRng) -> String {
    let nets = ["192.0.2", "198.51.100", "203.0.113"];
    let net = nets.choose(rng).copied().unwrap_or("192.0.2");
    format!("{net}.{}", rng.random_range(1..255))
}

/// A Unix time in milliseconds formatted as RFC 3339 (UTC), as Celery's
/// result backend writes `date_done`.
pub fn iso_time(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// Random bytes of the given length that are guaranteed not to be UTF-8.
pub fn non_utf8(rng: &mut StdRng, len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len.max(2)];
    rng.fill(&mut b[..]);
    // 0xFF never occurs in UTF-8, so one such byte is enough.
    b[0] = 0xff;
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn same_seed_same_values() {
        let mut a = StdRng::seed_from_u64(7);
        let mut b = StdRng::seed_from_u64(7);
        assert_eq!(uuid(&mut a), uuid(&mut b));
        assert_eq!(full_name(&mut a), full_name(&mut b));
    }

    #[test]
    fn uuid_is_version_4() {
        let mut r = StdRng::seed_from_u64(1);
        let u = uuid(&mut r);
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
    }

    #[test]
    fn iso_time_is_rfc3339() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1_500), "1970-01-01T00:00:01.5Z");
    }

    #[test]
    fn non_utf8_is_not_utf8() {
        let mut r = StdRng::seed_from_u64(3);
        assert!(std::str::from_utf8(&non_utf8(&mut r, 64)).is_err());
    }

    #[test]
    fn email_is_ascii() {
        assert_eq!(email("Zoë Müller", 42), "zo.42@example.com");
    }
}
