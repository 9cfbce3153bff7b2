//! When and how long to wait before sending a read again.

use std::time::Duration;

use rand::Rng as _;

/// How reads are retried after transport failures and 5xx replies. Writes
/// are never retried: the first attempt may have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub tries: u32,
    /// The delay before the first retry; it doubles for each further one.
    pub base_delay: Duration,
    /// The ceiling of any delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            tries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn never() -> RetryPolicy {
        RetryPolicy {
            tries: 1,
            ..RetryPolicy::default()
        }
    }

    /// The jittered delay before retry number `retry` (0 for the first):
    /// uniformly between half and all of `base_delay * 2^retry`, capped, so
    /// clients that failed together do not come back together.
    pub fn delay(&self, retry: u32) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        let half = full / 2;
        rand::rng().random_range(half..=full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_jittered_and_capped() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let d0 = p.delay(0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d1 = p.delay(1);
            assert!(d1 >= Duration::from_millis(100) && d1 <= Duration::from_millis(200));
            assert!(p.delay(40) <= Duration::from_secs(2));
        }
        assert_eq!(RetryPolicy::never().tries, 1);
    }
}
