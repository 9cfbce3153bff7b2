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

/// Which list of keys the key table shows (`s` on it cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyList {
    /// The biggest keys by memory.
    #[default]
    Biggest,
    /// The longest keys of each type, by elements.
    Longest,
    /// The biggest keys that never expire.
    NoTtl,
}

impl KeyList {
    /// The next list (`s` on the key table).
    pub fn next(self) -> KeyList {
        match self {
            KeyList::Biggest => KeyList::Longest,
            KeyList::Longest => KeyList::NoTtl,
            KeyList::NoTtl => KeyList::Biggest,
        }
    }

    /// The table's title.
    pub fn title(self) -> &'static str {
        match self {
            KeyList::Biggest => "Biggest keys",
            KeyList::Longest => "Longest keys per type",
            KeyList::NoTtl => "Biggest keys without TTL",
        }
    }
}

/// The keys of `list`.
pub fn keys(report: &Report, list: KeyList) -> &[TopKey] {
    match list {
        KeyList::Biggest => &report.top,
        KeyList::Longest => &report.top_len,
        KeyList::NoTtl => &report.no_ttl,
    }
}

/// The deepest level `report` counted.
pub fn max_depth(report: &Report) -> usize {
    report.prefixes.iter().map(|p| p.depth).max().unwrap_or(1)
}
