//! How much each SCAN page asks for. A page costs one round trip and is
//! billed as one command whatever its COUNT, so at a distance the fewest
//! pages win; but a page must stay well under Upstash's 10 MB reply limit
//! and quick enough that progress shows and `Esc` is never far away.
//!
//! COUNT starts small for a fast first screen, grows tenfold a page while
//! pages come back quickly and small, and is scaled down in proportion when
//! one comes back slow or large. The caller passes the facts of each page
//! (its COUNT, its reply's size, its time); there is no clock in here.

use std::time::Duration;

/// The first page's COUNT hint: a screenful in one round trip.
pub const COUNT_FIRST: u64 = 100;
/// The smallest COUNT a slow or large page shrinks to (Redis's default).
pub const COUNT_MIN: u64 = 10;
/// The largest COUNT: a call that holds redis-server for tens of
/// milliseconds at most, however sparse the matches are.
pub const COUNT_MAX: u64 = 100_000;
/// How much a page's COUNT may grow over the one before it.
pub const GROWTH: u64 = 10;
/// The reply size a page aims at: a tenth of Upstash's 10 MB limit.
pub const PAGE_BYTES: u64 = 1 << 20;
/// How long a page may take beyond the quickest page seen (the round trip).
pub const PAGE_WORK: Duration = Duration::from_millis(500);

/// About how many wire bytes one key takes in a `SCAN ... WITHTYPE` reply
/// (a 20-byte name in base64 and its type), for projecting a cost before
/// any page has come back.
pub const KEY_BYTES: u64 = 40;

/// What the caller saw of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The COUNT hint it was sent with.
    pub count: u64,
    /// About how many bytes its reply took on the wire.
    pub bytes: u64,
    /// From sending the request to having the reply.
    pub elapsed: Duration,
}

/// The COUNT of the next page, learned from the pages so far.
#[derive(Debug, Clone)]
pub struct Pace {
    next: u64,
    fastest: Option<Duration>,
    /// The COUNT whose reply would take about [`PAGE_BYTES`], from the
    /// last page's bytes per key examined.
    by_bytes: u64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            next: COUNT_FIRST,
            fastest: None,
            by_bytes: PAGE_BYTES / KEY_BYTES,
        }
    }
}

impl Pace {
    /// The COUNT the next page should ask for (before any budget caps it).
    pub fn count(&self) -> u64 {
        self.next
    }

    /// Learns from a page: the next COUNT grows tenfold over this one (or
    /// over the one wanted, when a budget made this page smaller), but no
    /// further than would take [`PAGE_BYTES`] or [`PAGE_WORK`] at this
    /// page's bytes and time per key.
    pub fn record(&mut self, page: Page) {
        let fastest = self.fastest.map_or(page.elapsed, |f| f.min(page.elapsed));
        self.fastest = Some(fastest);
        // The quickest page is mostly the round trip; what a page takes
        // beyond it is the server's work and the transfer, which grow with COUNT.
        let work = page.elapsed.saturating_sub(fastest);
        let count = page.count.max(1);
        let mut next = count.max(self.next).saturating_mul(GROWTH);
        if page.bytes > 0 {
            self.by_bytes = scale(count, u128::from(PAGE_BYTES), u128::from(page.bytes))
                .clamp(COUNT_MIN, COUNT_MAX);
            next = next.min(self.by_bytes);
        }
        if !work.is_zero() {
            next = next.min(scale(count, PAGE_WORK.as_micros(), work.as_micros()));
        }
        self.next = next.clamp(COUNT_MIN, COUNT_MAX);
    }

    /// About how many pages examine `keys` more keys from here, if pages
    /// keep coming back quick and as large a key as the last (a projection
    /// for telling a cost before it is spent: slow pages make it more).
    pub fn pages_for(&self, keys: u64) -> u64 {
        let (mut count, mut left, mut pages) = (self.next.max(1), keys, 0);
        while left > 0 {
            left = left.saturating_sub(count);
            pages += 1;
            let grown = count.saturating_mul(GROWTH).min(self.by_bytes);
            count = grown.max(count).min(COUNT_MAX);
        }
        pages
    }

    /// Learns that a page of `count` got no reply within `elapsed`: the
    /// next is scaled down as after a slow page, and never grows.
    pub fn timed_out(&mut self, count: u64, elapsed: Duration) {
        let work = elapsed.saturating_sub(self.fastest.unwrap_or_default());
        if !work.is_zero() {
            let by_time = scale(count.max(1), PAGE_WORK.as_micros(), work.as_micros());
            self.next = self.next.min(by_time).clamp(COUNT_MIN, COUNT_MAX);
        }
    }

    /// Learns that a page of `count` was refused as too large: the next
    /// asks for a tenth as many.
    pub fn too_large(&mut self, count: u64) {
        self.next = (count / GROWTH).clamp(COUNT_MIN, COUNT_MAX);
    }
}

/// `count * want / got`, in integers that cannot overflow.
fn scale(count: u64, want: u128, got: u128) -> u64 {
    let scaled = u128::from(count) * want / got.max(1);
    u64::try_from(scaled).unwrap_or(u64::MAX)
}

/// About how many bytes `len` bytes take in a base64 JSON reply: the
/// encoded text, its quotes and the comma after it.
pub fn wire_len(len: usize) -> u64 {
    (len as u64).div_ceil(3) * 4 + 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_for_projects_the_growth() {
        let pace = Pace::default();
        assert_eq!(pace.pages_for(0), 0);
        assert_eq!(pace.pages_for(100), 1);
        // 100, 1 000 and 10 000, then 26 214 a page (1 MiB at 40 bytes a
        // key): 100 000 keys in 7 pages, 1 000 000 in 41.
        assert_eq!(pace.pages_for(100_000), 7);
        assert_eq!(pace.pages_for(1_000_000), 41);
        // Keys of 4 bytes on the wire: the pages grow to 100 000.
        let mut pace = Pace::default();
        pace.record(page(100, 4, 0));
        assert_eq!(pace.count(), 1_000);
        // 1 000, 10 000, then nine of 100 000.
        assert_eq!(pace.pages_for(899_900), 11);
    }

    const RTT: Duration = Duration::from_millis(100);

    /// A page of `count` keys of `per_key` wire bytes, answered in a round
    /// trip plus `per_key_us` microseconds a key.
    fn page(count: u64, per_key: u64, per_key_us: u64) -> Page {
        Page {
            count,
            bytes: count * per_key,
            elapsed: RTT + Duration::from_micros(count * per_key_us),
        }
    }

    /// The COUNTs a scan of `keys` sends at these bytes and time per key.
    fn counts(keys: u64, per_key: u64, per_key_us: u64) -> Vec<u64> {
        let mut pace = Pace::default();
        let (mut sent, mut left) = (Vec::new(), keys);
        while left > 0 {
            let count = pace.count();
            sent.push(count);
            left = left.saturating_sub(count);
            pace.record(page(count, per_key, per_key_us));
        }
        sent
    }

    #[test]
    fn starts_small_and_grows_tenfold_while_pages_are_quick_and_small() {
        let sent = counts(200_000, 40, 1);
        assert_eq!(sent[..3], [100, 1_000, 10_000]);
        // 40 bytes a key: 1 MiB is 26 214 keys a page, and no more.
        assert!(sent[3..].iter().all(|&c| c == 26_214), "{sent:?}");
    }

    #[test]
    fn a_hundred_thousand_keys_take_a_handful_of_pages_and_a_million_few_dozen() {
        // Keys like `user:123456:profile` with their type: about 42 bytes.
        assert!(counts(100_000, 42, 2).len() <= 8);
        assert!(counts(1_000_000, 42, 2).len() <= 45);
        // Keys of 60 bytes still list a million in under 100 pages; past
        // about 100 bytes a key, a million no longer fit in 150 pages of 1 MiB.
        assert!(counts(1_000_000, 95, 2).len() <= 100);
    }

    #[test]
    fn a_large_page_shrinks_the_next_to_the_target_size() {
        let mut pace = Pace::default();
        pace.record(page(100, 40, 1));
        pace.record(page(1_000, 4_000, 1));
        // 4 MB for 1 000 keys: 262 keys make a mebibyte.
        assert_eq!(pace.count(), 262);
    }

    #[test]
    fn a_slow_page_shrinks_the_next_and_quick_ones_grow_it_back() {
        let mut pace = Pace::default();
        pace.record(page(100, 10, 0));
        pace.record(page(1_000, 10, 0));
        assert_eq!(pace.count(), 10_000);
        // 10 000 keys took 2 s beyond the round trip: 500 ms is a quarter.
        pace.record(Page {
            count: 10_000,
            bytes: 100_000,
            elapsed: RTT + Duration::from_secs(2),
        });
        assert_eq!(pace.count(), 2_500);
        pace.record(page(2_500, 10, 0));
        assert_eq!(pace.count(), 25_000);
    }

    #[test]
    fn sparse_matches_grow_to_the_cap_and_huge_keys_shrink_to_the_floor() {
        assert_eq!(
            counts(1_000_000, 0, 0)[..5],
            [100, 1_000, 10_000, 100_000, 100_000]
        );
        let mut pace = Pace::default();
        pace.record(page(100, 1 << 20, 0));
        assert_eq!(pace.count(), COUNT_MIN);
    }

    #[test]
    fn a_page_the_budget_made_small_does_not_restart_the_ramp() {
        let mut pace = Pace::default();
        pace.record(page(100, 10, 0));
        pace.record(page(1_000, 10, 0));
        pace.record(page(10_000, 10, 0));
        assert_eq!(pace.count(), 100_000);
        pace.record(page(7, 10, 0));
        assert_eq!(pace.count(), COUNT_MAX);
    }

    #[test]
    fn a_timeout_only_ever_shrinks() {
        let mut pace = Pace::default();
        pace.timed_out(100, Duration::ZERO);
        assert_eq!(pace.count(), COUNT_FIRST);
        pace.timed_out(100, Duration::from_secs(10));
        assert_eq!(pace.count(), COUNT_MIN, "100 keys in 10 s: 5 in 500 ms");
        pace.record(page(10, 10, 0));
        pace.timed_out(100, Duration::from_millis(150));
        assert_eq!(pace.count(), 100, "at most what it was");
    }

    #[test]
    fn wire_length_is_base64_with_quotes() {
        assert_eq!(wire_len(0), 3);
        assert_eq!(wire_len(3), 7);
        assert_eq!(wire_len(4), 11);
    }
}
