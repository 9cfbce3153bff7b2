//! The read-only policy: one switch shared by every write path, turned on by
//! the user or automatically when the server refuses a write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::upstash::Error;

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
}
