//! A token that never shows itself in full.

use std::fmt;

/// A secret string whose `Debug` and `Display` print only a masked form.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The real value, for the one place that sends it to the server.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// At most the first 4 characters followed by asterisks; short secrets
    /// show nothing at all, since 4 characters would be most of them.
    pub fn mask(&self) -> String {
        let shown = if self.0.chars().count() >= 16 { 4 } else { 0 };
        let head: String = self.0.chars().take(shown).collect();
        format!("{head}****")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.mask())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.mask())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789");
        assert_eq!(s.mask(), "AbCd****");
        assert_eq!(format!("{s}"), "AbCd****");
        assert_eq!(format!("{s:?}"), "Secret(AbCd****)");
        assert_eq!(Secret::new("short").mask(), "****");
        assert_eq!(Secret::new("").mask(), "****");
        assert_eq!(s.expose().len(), 36);
    }
}
