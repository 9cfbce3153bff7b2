//! Streaming aggregation: each key read is folded into per-prefix counters,
//! the TTL spread, the forecast and bounded top lists, then forgotten, so
//! memory grows with the prefixes (capped) and the top lists, not the keys.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

use super::{Forecast, PrefixStats, TopKey, TtlSpread};
use crate::value::Kind;

/// The most distinct prefixes kept; later new prefixes are folded into
/// [`OTHER`] at their level.
pub const PREFIX_CAP: usize = 10_000;

/// The name of the entry that holds the prefixes past [`PREFIX_CAP`].
pub const OTHER: &[u8] = b"(other)";

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;

/// One key as read: its type, bytes, length and time to expiry.
pub type Read = TopKey;

/// The prefixes of `key` down to `depth` levels: `a:b:c` gives `a` and
/// `a:b` (the last segment is the key's own name, not a prefix).
pub fn prefixes<'k>(key: &'k [u8], delimiter: &[u8], depth: usize) -> Vec<&'k [u8]> {
    let mut out = Vec::new();
    if delimiter.is_empty() {
        return out;
    }
    let mut at = 0;
    while out.len() < depth {
        let Some(found) = key[at..]
            .windows(delimiter.len())
            .position(|w| w == delimiter)
        else {
            break;
        };
        out.push(&key[..at + found]);
        at += found + delimiter.len();
    }
    out
}

/// A top-N list kept as a min-heap of its N best.
#[derive(Debug)]
pub struct TopN {
    n: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

#[derive(Debug)]
struct Ranked(u64, TopKey);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    // Ties go to the smaller key, so a list does not depend on SCAN's order.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .cmp(&other.0)
            .then_with(|| other.1.key.cmp(&self.1.key))
    }
}

impl TopN {
    pub fn new(n: usize) -> TopN {
        TopN {
            n,
            heap: BinaryHeap::with_capacity(n + 1),
        }
    }

    /// Offers a key with its score; builds the [`TopKey`] only when it enters.
    pub fn offer(&mut self, score: u64, read: &Read) {
        if self.n == 0 {
            return;
        }
        if self.heap.len() == self.n {
            let Some(Reverse(least)) = self.heap.peek() else {
                return;
            };
            let enters = score > least.0 || (score == least.0 && read.key < least.1.key);
            if !enters {
                return;
            }
            self.heap.pop();
        }
        self.heap.push(Reverse(Ranked(score, read.clone())));
    }

    /// The list, best first.
    pub fn into_sorted(self) -> Vec<TopKey> {
        let mut v: Vec<Ranked> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|r| r.1).collect()
    }
}

/// Everything a run has folded in so far.
#[derive(Debug)]
pub struct Aggregate {
    delimiter: Vec<u8>,
    depth: usize,
    prefixes: HashMap<(usize, Vec<u8>), PrefixStats>,
    pub keys: u64,
    pub bytes: u64,
    pub ttl: TtlSpread,
    pub forecast: Forecast,
    top: TopN,
    top_len: Vec<(Kind, TopN)>,
    no_ttl: TopN,
    n: usize,
}

/// What [`Aggregate::finish`] hands to the report.
#[derive(Debug)]
pub struct Finished {
    pub prefixes: Vec<PrefixStats>,
    pub top: Vec<TopKey>,
    pub top_len: Vec<TopKey>,
    pub no_ttl: Vec<TopKey>,
    pub ttl: TtlSpread,
    pub forecast: Forecast,
}

impl Aggregate {
    pub fn new(delimiter: &[u8], depth: usize, top: usize) -> Aggregate {
        Aggregate {
            delimiter: delimiter.to_vec(),
            depth,
            prefixes: HashMap::new(),
            keys: 0,
            bytes: 0,
            ttl: TtlSpread::default(),
            forecast: Forecast::default(),
            top: TopN::new(top),
            top_len: Vec::new(),
            no_ttl: TopN::new(top),
            n: top,
        }
    }

    /// Folds one key in.
    pub fn add(&mut self, read: &Read) {
        self.keys += 1;
        self.bytes += read.bytes;
        bump_ttl(&mut self.ttl, read.ttl_ms);
        if let Some(ms) = read.ttl_ms {
            if ms <= HOUR_MS {
                self.forecast.hour_keys += 1;
                self.forecast.hour_bytes += read.bytes;
            }
            if ms <= DAY_MS {
                self.forecast.day_keys += 1;
                self.forecast.day_bytes += read.bytes;
            }
        }
        self.top.offer(read.bytes, read);
        if read.ttl_ms.is_none() {
            self.no_ttl.offer(read.bytes, read);
        }
        if let Some(len) = read.len {
            let i = match self.top_len.iter().position(|(k, _)| *k == read.kind) {
                Some(i) => i,
                None => {
                    self.top_len.push((read.kind.clone(), TopN::new(self.n)));
                    self.top_len.len() - 1
                }
            };
            self.top_len[i].1.offer(len, read);
        }
        let delimiter = std::mem::take(&mut self.delimiter);
        for (level, prefix) in prefixes(&read.key, &delimiter, self.depth)
            .into_iter()
            .enumerate()
        {
            self.add_to_prefix(level + 1, prefix, read);
        }
        self.delimiter = delimiter;
    }

    fn add_to_prefix(&mut self, depth: usize, prefix: &[u8], read: &Read) {
        let mut id = (depth, prefix.to_vec());
        if !self.prefixes.contains_key(&id) && self.prefixes.len() >= PREFIX_CAP {
            id.1 = OTHER.to_vec();
        }
        let stats = self
            .prefixes
            .entry(id)
            .or_insert_with_key(|(d, p)| PrefixStats {
                prefix: p.clone(),
                depth: *d,
                keys: 0,
                bytes: 0,
                no_ttl: 0,
                types: Vec::new(),
                ttl: TtlSpread::default(),
                biggest: None,
            });
        stats.keys += 1;
        stats.bytes += read.bytes;
        if read.ttl_ms.is_none() {
            stats.no_ttl += 1;
        }
        match stats.types.iter_mut().find(|(k, _)| *k == read.kind) {
            Some((_, n)) => *n += 1,
            None => stats.types.push((read.kind.clone(), 1)),
        }
        bump_ttl(&mut stats.ttl, read.ttl_ms);
        let bigger = match &stats.biggest {
            None => true,
            Some((key, bytes)) => read.bytes > *bytes || (read.bytes == *bytes && read.key < *key),
        };
        if bigger {
            stats.biggest = Some((read.key.clone(), read.bytes));
        }
    }

    /// The lists, sorted; per-prefix figures, the TTL spread and the forecast
    /// multiplied by `scale` when the run sampled.
    pub fn finish(self, scale: Option<f64>) -> Finished {
        let mut prefixes: Vec<PrefixStats> = self.prefixes.into_values().collect();
        for p in &mut prefixes {
            p.types.sort_by_key(|(k, _)| kind_rank(k));
        }
        let mut ttl = self.ttl;
        let mut forecast = self.forecast;
        if let Some(f) = scale {
            for p in &mut prefixes {
                p.keys = times(p.keys, f);
                p.bytes = times(p.bytes, f);
                p.no_ttl = times(p.no_ttl, f);
                for (_, n) in &mut p.types {
                    *n = times(*n, f);
                }
                scale_ttl(&mut p.ttl, f);
            }
            scale_ttl(&mut ttl, f);
            forecast = Forecast {
                hour_keys: times(forecast.hour_keys, f),
                hour_bytes: times(forecast.hour_bytes, f),
                day_keys: times(forecast.day_keys, f),
                day_bytes: times(forecast.day_bytes, f),
            };
        }
        prefixes.sort_by(|a, b| {
            b.bytes
                .cmp(&a.bytes)
                .then(b.keys.cmp(&a.keys))
                .then(a.depth.cmp(&b.depth))
                .then(a.prefix.cmp(&b.prefix))
        });
        let mut top_len = self.top_len;
        top_len.sort_by_key(|(k, _)| kind_rank(k));
        Finished {
            prefixes,
            top: self.top.into_sorted(),
            top_len: top_len
                .into_iter()
                .flat_map(|(_, t)| t.into_sorted())
                .collect(),
            no_ttl: self.no_ttl.into_sorted(),
            ttl,
            forecast,
        }
    }
}

fn bump_ttl(spread: &mut TtlSpread, ttl_ms: Option<u64>) {
    match ttl_ms {
        None => spread.never += 1,
        Some(ms) if ms < MINUTE_MS => spread.minute += 1,
        Some(ms) if ms < HOUR_MS => spread.hour += 1,
        Some(ms) if ms < DAY_MS => spread.day += 1,
        Some(_) => spread.later += 1,
    }
}

fn scale_ttl(t: &mut TtlSpread, f: f64) {
    *t = TtlSpread {
        minute: times(t.minute, f),
        hour: times(t.hour, f),
        day: times(t.day, f),
        later: times(t.later, f),
        never: times(t.never, f),
    };
}

fn times(n: u64, f: f64) -> u64 {
    (n as f64 * f).round() as u64
}

/// [`Kind`]'s declaration order, module types last.
fn kind_rank(k: &Kind) -> usize {
    match k {
        Kind::String => 0,
        Kind::Hash => 1,
        Kind::List => 2,
        Kind::Set => 3,
        Kind::ZSet => 4,
        Kind::Stream => 5,
        Kind::Json => 6,
        Kind::Missing => 7,
        Kind::Other(_) => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(key: &str, bytes: u64, ttl_ms: Option<u64>) -> Read {
        Read {
            key: key.as_bytes().to_vec(),
            kind: Kind::String,
            bytes,
            len: Some(bytes / 2),
            ttl_ms,
        }
    }

    #[test]
    fn prefixes_stop_before_the_name() {
        assert_eq!(
            prefixes(b"cache:doc:123", b":", 2),
            vec![&b"cache"[..], b"cache:doc"]
        );
        assert_eq!(prefixes(b"cache:doc:123", b":", 1), vec![&b"cache"[..]]);
        assert_eq!(prefixes(b"cache:1", b":", 3), vec![&b"cache"[..]]);
        assert!(prefixes(b"plain", b":", 2).is_empty());
        assert_eq!(prefixes(b"a::b::c", b"::", 5), vec![&b"a"[..], b"a::b"]);
        assert_eq!(prefixes(b":x", b":", 2), vec![&b""[..]]);
    }

    #[test]
    fn counts_per_prefix_level_ttl_and_forecast() {
        let mut agg = Aggregate::new(b":", 2, 2);
        agg.add(&read("cache:doc:1", 100, None));
        agg.add(&read("cache:doc:2", 50, Some(30_000)));
        agg.add(&read("cache:img:1", 10, Some(2 * HOUR_MS)));
        agg.add(&read("user:1", 5, Some(2 * DAY_MS)));
        agg.add(&read("plain", 1, None));
        let f = agg.finish(None);
        let get = |p: &str| {
            f.prefixes
                .iter()
                .find(|s| s.prefix == p.as_bytes())
                .unwrap_or_else(|| panic!("{p}"))
        };
        assert_eq!(get("cache").keys, 3);
        assert_eq!(get("cache").bytes, 160);
        assert_eq!(get("cache").no_ttl, 1);
        assert_eq!(get("cache").depth, 1);
        assert_eq!(get("cache:doc").keys, 2);
        assert_eq!(get("cache:doc").depth, 2);
        assert_eq!(
            get("cache:doc").biggest,
            Some((b"cache:doc:1".to_vec(), 100))
        );
        assert_eq!(get("user").keys, 1);
        assert_eq!(f.prefixes.len(), 4);
        assert_eq!(f.prefixes[0].prefix, b"cache");
        assert_eq!(
            f.ttl,
            TtlSpread {
                minute: 1,
                hour: 0,
                day: 1,
                later: 1,
                never: 2
            }
        );
        assert_eq!(
            f.forecast,
            Forecast {
                hour_keys: 1,
                hour_bytes: 50,
                day_keys: 2,
                day_bytes: 60
            }
        );
        let top: Vec<&[u8]> = f.top.iter().map(|t| t.key.as_slice()).collect();
        assert_eq!(top, vec![&b"cache:doc:1"[..], b"cache:doc:2"]);
        let no_ttl: Vec<&[u8]> = f.no_ttl.iter().map(|t| t.key.as_slice()).collect();
        assert_eq!(no_ttl, vec![&b"cache:doc:1"[..], b"plain"]);
    }

    #[test]
    fn top_lists_keep_the_n_best_of_each_type() {
        let mut agg = Aggregate::new(b":", 1, 2);
        for (i, kind) in [Kind::Hash, Kind::String, Kind::Hash, Kind::Hash]
            .into_iter()
            .enumerate()
        {
            agg.add(&Read {
                key: format!("k{i}").into_bytes(),
                kind,
                bytes: 1,
                len: Some(i as u64 * 10),
                ttl_ms: None,
            });
        }
        let f = agg.finish(None);
        let lens: Vec<(Kind, Option<u64>)> =
            f.top_len.iter().map(|t| (t.kind.clone(), t.len)).collect();
        assert_eq!(
            lens,
            vec![
                (Kind::String, Some(10)),
                (Kind::Hash, Some(30)),
                (Kind::Hash, Some(20))
            ]
        );
    }

    #[test]
    fn prefixes_past_the_cap_fold_into_other() {
        let mut agg = Aggregate::new(b":", 1, 1);
        for i in 0..PREFIX_CAP + 5 {
            agg.add(&read(&format!("p{i}:x"), 1, None));
        }
        let f = agg.finish(None);
        assert_eq!(f.prefixes.len(), PREFIX_CAP + 1);
        let other = f
            .prefixes
            .iter()
            .find(|p| p.prefix == OTHER)
            .expect("other");
        assert_eq!(other.keys, 5);
    }

    #[test]
    fn sampled_figures_are_scaled() {
        let mut agg = Aggregate::new(b":", 1, 1);
        agg.add(&read("a:1", 10, None));
        agg.add(&read("a:2", 10, Some(1000)));
        let f = agg.finish(Some(2.5));
        assert_eq!(f.prefixes[0].keys, 5);
        assert_eq!(f.prefixes[0].bytes, 50);
        assert_eq!(f.ttl.never, 3);
        assert_eq!(f.forecast.hour_keys, 3);
    }
}
