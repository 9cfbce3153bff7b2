//! The prefix table's order and the cursor of each table.

use crate::analyze::{PrefixStats, Report, TopKey};

/// What the prefix table is sorted by, biggest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Bytes,
    Keys,
    NoTtl,
}

impl SortBy {
    /// The next order (`s`).
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Bytes => SortBy::Keys,
            SortBy::Keys => SortBy::NoTtl,
            SortBy::NoTtl => SortBy::Bytes,
        }
    }

    /// Its column's name.
    pub fn name(self) -> &'static str {
        match self {
            SortBy::Bytes => "bytes",
            SortBy::Keys => "keys",
            SortBy::NoTtl => "no TTL",
        }
    }
}

/// Which table has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Table {
    #[default]
    Prefixes,
    Keys,
}

/// The prefixes of level `depth`, in `sort` order (ties by name).
pub fn prefixes(report: &Report, depth: usize, sort: SortBy) -> Vec<&PrefixStats> {
    let mut rows: Vec<&PrefixStats> = report
        .prefixes
        .iter()
        .filter(|p| p.depth == depth)
        .collect();
    rows.sort_by(|a, b| {
        let key = |p: &PrefixStats| match sort {
            SortBy::Bytes => p.bytes,
            SortBy::Keys => p.keys,
            SortBy::NoTtl => p.no_ttl,
        };
        key(b).cmp(&key(a)).then_with(|| a.prefix.cmp(&b.prefix))
    });
    rows
}

/// The top keys by memory.
pub fn keys(report: &Report) -> &[TopKey] {
    &report.top
}

/// The deepest level `report` counted.
pub fn max_depth(report: &Report) -> usize {
    report.prefixes.iter().map(|p| p.depth).max().unwrap_or(1)
}
