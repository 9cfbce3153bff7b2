//! What a run costs, in commands and requests, before it starts.
//!
//! A run sends, in this order of accounting:
//! - [`FIXED`] commands once: DBSIZE and INFO memory (in the first request,
//!   with the first SCAN);
//! - one SCAN per page of `page` keys (SCAN examines about COUNT keys per
//!   call, matching or not, so a pattern does not shorten the walk);
//! - [`PER_KEY`] reads per key read: TYPE, PTTL, MEMORY USAGE and the type's
//!   length (STRLEN, HLEN, LLEN, SCARD, ZCARD, XLEN).
//!
//! Each request after the first carries the next SCAN with the reads of the
//! keys the previous one found and the lengths of those before, so a run
//! makes one request per page plus two to finish the last page's reads.

use super::{Estimate, Options, PRICE_PER_100K_USD};

/// Commands sent once per run: DBSIZE and INFO memory.
pub const FIXED: u64 = 2;

/// Commands per key read: TYPE, PTTL, MEMORY USAGE and a length.
pub const PER_KEY: u64 = 4;

/// SCAN pages for `keys` keys at `page` keys a page (at least one).
pub fn pages(keys: u64, page: usize) -> u64 {
    keys.div_ceil(page.max(1) as u64).max(1)
}

/// Commands an exact run over `keys` keys sends.
pub fn commands_for(keys: u64, page: usize) -> u64 {
    FIXED + pages(keys, page) + PER_KEY * keys
}

/// The most keys a run can read within `budget` commands.
pub fn sample_size(budget: u64, dbsize: u64, page: usize) -> u64 {
    if budget < commands_for(1, page) {
        return 0;
    }
    let (mut lo, mut hi) = (1, dbsize);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if commands_for(mid, page) <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// The price of `commands` at Upstash's pay-as-you-go rate.
pub fn price(commands: u64) -> f64 {
    commands as f64 / 100_000.0 * PRICE_PER_100K_USD
}

/// See [`super::estimate_for`].
pub fn estimate_for(dbsize: u64, opts: &Options) -> Estimate {
    let exact = commands_for(dbsize, opts.page);
    let (keys, commands, sampled) = match opts.budget {
        Some(budget) if budget < exact => {
            let keys = sample_size(budget, dbsize, opts.page);
            let commands = if keys == 0 {
                0
            } else {
                commands_for(keys, opts.page)
            };
            (keys, commands, true)
        }
        _ => (dbsize, exact, false),
    };
    let requests = if commands == 0 {
        0
    } else {
        pages(keys, opts.page) + 2 * u64::from(keys > 0)
    };
    Estimate {
        keys,
        commands,
        requests,
        sampled,
        price_usd: price(commands),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(budget: Option<u64>) -> Options {
        Options {
            budget,
            page: 1000,
            ..Options::default()
        }
    }

    #[test]
    fn an_exact_run_counts_pages_reads_and_the_fixed_commands() {
        let e = estimate_for(1_000_000, &opts(None));
        assert_eq!(e.keys, 1_000_000);
        assert_eq!(e.commands, 2 + 1000 + 4_000_000);
        assert_eq!(e.requests, 1002);
        assert!(!e.sampled);
        assert!((e.price_usd - 4_001_002.0 / 100_000.0 * 0.2).abs() < 1e-9);
    }

    #[test]
    fn an_empty_database_costs_one_request() {
        let e = estimate_for(0, &opts(None));
        assert_eq!((e.keys, e.commands, e.requests), (0, 3, 1));
    }

    #[test]
    fn a_budget_below_the_exact_cost_samples_what_fits() {
        let e = estimate_for(1_000_000, &opts(Some(100_000)));
        assert!(e.sampled);
        assert!(e.commands <= 100_000);
        assert!(commands_for(e.keys + 1, 1000) > 100_000);
        assert_eq!(e.keys, 24_993);
        let enough = estimate_for(10, &opts(Some(1_000)));
        assert!(!enough.sampled);
        assert_eq!(enough.keys, 10);
    }

    #[test]
    fn a_budget_too_small_for_one_key_reads_none() {
        let e = estimate_for(100, &opts(Some(6)));
        assert!(e.sampled);
        assert_eq!((e.keys, e.commands), (0, 0));
    }
}
