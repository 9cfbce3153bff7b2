//! The budget, request by request, and what a sample stands for.
//!
//! A budgeted run reads the first keys of SCAN's order that fit: before each
//! request it reserves the lengths still owed for the previous page, then
//! takes as many of the keys just found as their reads fit, and asks for
//! another page only while one more key would still fit after it. So the
//! commands sent never exceed the budget, whatever SCAN returns per page.

use super::Sample;

/// What the next request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// How many of the keys found may be read.
    pub keys: usize,
    /// Whether to ask for the next SCAN page.
    pub scan: bool,
}

/// The next request's share of what is left: `left` commands after the
/// lengths owed, `found` keys waiting, `per_key` commands each (the length
/// included), and whether SCAN has more pages.
pub fn plan(left: u64, found: usize, per_key: u64, more: bool) -> Plan {
    let fit = usize::try_from(left / per_key.max(1)).unwrap_or(usize::MAX);
    let keys = found.min(fit);
    let after = left - keys as u64 * per_key;
    Plan {
        keys,
        scan: more && keys == found && after > per_key,
    }
}

/// The sample a run read and the factor per-prefix figures are scaled by:
/// DBSIZE over the sample, unless a pattern makes DBSIZE no measure of the
/// matching keys.
pub fn describe(size: u64, dbsize: u64, pattern: bool) -> (Sample, Option<f64>) {
    if pattern || size == 0 {
        let method = format!(
            "the first {size} matching keys of SCAN's order; per-prefix figures are the sample's own \
             (DBSIZE does not say how many keys match)"
        );
        return (Sample { size, method }, None);
    }
    let factor = dbsize as f64 / size as f64;
    let method = format!(
        "the first {size} keys of SCAN's order (hash-table order, unrelated to key names); \
         per-prefix keys, bytes, TTL spread and forecast scaled by DBSIZE/sample = {dbsize}/{size} \
         (x{factor:.2})"
    );
    (Sample { size, method }, Some(factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_never_spends_past_what_is_left() {
        assert_eq!(
            plan(1000, 10, 4, true),
            Plan {
                keys: 10,
                scan: true
            }
        );
        assert_eq!(
            plan(41, 10, 4, true),
            Plan {
                keys: 10,
                scan: false
            }
        );
        assert_eq!(
            plan(45, 10, 4, true),
            Plan {
                keys: 10,
                scan: true
            }
        );
        assert_eq!(
            plan(20, 10, 4, true),
            Plan {
                keys: 5,
                scan: false
            }
        );
        assert_eq!(
            plan(3, 10, 4, false),
            Plan {
                keys: 0,
                scan: false
            }
        );
        assert_eq!(
            plan(100, 0, 4, true),
            Plan {
                keys: 0,
                scan: true
            }
        );
    }

    #[test]
    fn a_sample_says_how_it_was_taken_and_scaled() {
        let (s, f) = describe(250, 1000, false);
        assert_eq!(s.size, 250);
        assert_eq!(f, Some(4.0));
        assert!(
            s.method.contains("first 250 keys of SCAN's order"),
            "{}",
            s.method
        );
        assert_eq!(describe(250, 1000, true).1, None);
    }
}
