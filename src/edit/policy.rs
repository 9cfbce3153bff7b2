//! The read-only policy: one switch shared by every write path, turned on by
//! the user or automatically when the server refuses a write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::upstash::{Error, is_read_only_command};

/// The text of the error a write gets while read-only mode is on.
pub const REFUSAL: &str = "read-only mode is on: nothing was sent";

/// Whether writes are allowed; clones share the same switch.
#[derive(Debug, Clone, Default)]
pub struct ReadOnly {
    on: Arc<AtomicBool>,
}

impl ReadOnly {
    /// A policy starting on (`--read-only`, a read-only profile) or off.
    pub fn new(on: bool) -> ReadOnly {
        ReadOnly {
            on: Arc::new(AtomicBool::new(on)),
        }
    }

    /// Whether every write is refused before sending.
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// Turns read-only mode on or off.
    pub fn set(&self, on: bool) {
        self.on.store(on, Ordering::Relaxed);
    }

    /// Refuses a write while read-only mode is on.
    pub fn check(&self) -> Result<(), Error> {
        if self.is_on() {
            Err(Error::Input(REFUSAL.into()))
        } else {
            Ok(())
        }
    }

    /// Refuses a typed command (the console) that is not a known read while
    /// read-only mode is on.
    pub fn check_command<A: AsRef<[u8]>>(&self, argv: &[A]) -> Result<(), Error> {
        if self.is_on() && !is_read_only_command(argv) {
            Err(Error::Input(REFUSAL.into()))
        } else {
            Ok(())
        }
    }

    /// Turns read-only mode on when `result` says the server refused a write
    /// (NOPERM from a read-only token, a full database, a replica).
    pub fn observe<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        if let Err(e) = &result
            && e.is_write_refused()
        {
            tracing::info!(error = %e, "the server refused a write; read-only mode is on");
            self.set(true);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_turns_the_policy_on_for_every_clone() {
        let policy = ReadOnly::new(false);
        let shared = policy.clone();
        assert!(policy.check().is_ok());
        let r: Result<(), Error> = policy.observe(Err(Error::Command("ERR syntax".into())));
        assert!(r.is_err());
        assert!(!shared.is_on());
        let r: Result<(), Error> = policy.observe(Err(Error::NoPermission("NOPERM".into())));
        assert!(r.is_err());
        assert!(shared.is_on());
        assert_eq!(shared.check(), Err(Error::Input(REFUSAL.into())));
    }

    #[test]
    fn the_console_may_read_but_not_write_in_read_only_mode() {
        let policy = ReadOnly::new(true);
        assert!(policy.check_command(&["GET", "k"]).is_ok());
        assert!(policy.check_command(&["hgetall", "k"]).is_ok());
        assert!(policy.check_command(&["SET", "k", "v"]).is_err());
        assert!(policy.check_command(&["EVAL", "return 1", "0"]).is_err());
        assert!(policy.check_command(&["NOSUCHCOMMAND"]).is_err());
        policy.set(false);
        assert!(policy.check_command(&["SET", "k", "v"]).is_ok());
    }
}
