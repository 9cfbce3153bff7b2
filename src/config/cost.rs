//! How freely the TUI spends billed commands: the normal profile, or the
//! frugal one for free-tier databases (`cost = "frugal"`, `--frugal`).

use std::time::Duration;

use super::{ConfigError, ScanBudget};

/// The probe interval of the frugal profile: an idle TUI sends one PING
/// pipeline this often (2 880 a day instead of 17 280 at 5 s).
pub const FRUGAL_INTERVAL: Duration = Duration::from_secs(30);

/// The scan budget of the frugal profile: a first screen and a little more
/// before the scan pauses (`c` goes on, `L` asks first).
pub const FRUGAL_SCAN: ScanBudget = ScanBudget {
    max_keys: 2_000,
    max_requests: 5,
};

/// The frugal profile asks before an action estimated to send more commands
/// than this, unless `[cost] confirm_above` says otherwise.
pub const CONFIRM_ABOVE: u64 = 100;

/// The resolved cost settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// No prefetch, a longer probe interval, smaller scan budgets, and a
    /// question before anything over `confirm_above` commands.
    pub frugal: bool,
    /// The most commands one action may send without asking (frugal only).
    pub confirm_above: u64,
}

impl Default for Cost {
    fn default() -> Cost {
        Cost {
            frugal: false,
            confirm_above: CONFIRM_ABOVE,
        }
    }
}

impl Cost {
    /// The commands above which an action asks first, in the frugal profile.
    pub fn ask_above(&self) -> Option<u64> {
        self.frugal.then_some(self.confirm_above)
    }

    /// Whether the cursor resting on a key fetches it ahead of `Enter`.
    pub fn prefetch(&self) -> bool {
        !self.frugal
    }
}

/// Reads a `cost` value: `normal` or `frugal`; `what` names where it was
/// written, for the error.
pub fn parse_mode(text: &str, what: &str) -> Result<bool, ConfigError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "frugal" => Ok(true),
        "normal" => Ok(false),
        _ => Err(ConfigError::BadValue {
            setting: what.into(),
            value: text.into(),
            expected: "\"normal\" or \"frugal\"",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_others_are_named() {
        assert_eq!(parse_mode("frugal", "cost"), Ok(true));
        assert_eq!(parse_mode(" Normal ", "cost"), Ok(false));
        let err = parse_mode("cheap", "profile \"p\" cost").unwrap_err();
        assert_eq!(
            err.to_string(),
            "config file: profile \"p\" cost \"cheap\" is not \"normal\" or \"frugal\""
        );
        let frugal = Cost {
            frugal: true,
            ..Cost::default()
        };
        assert_eq!(frugal.ask_above(), Some(CONFIRM_ABOVE));
        assert!(!frugal.prefetch());
        assert_eq!(Cost::default().ask_above(), None);
        assert!(Cost::default().prefetch());
    }
}
