//! The bounds that keep opening any key fast and memory low.

/// How much the engine fetches at a time and at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a string fetched per range (the first page and each "more").
    pub string_page: u64,
    /// A string value is never held in memory beyond this many bytes.
    pub string_cap: u64,
    /// Rows per page for hashes, lists, sets, sorted sets and streams.
    pub rows: usize,
    /// Decompressed output is cut at this many bytes.
    pub decompress_cap: usize,
    /// Bytes per GETRANGE when saving a string to a file.
    pub save_chunk: u64,
    /// Requests one MATCH page may spend looking for rows before it returns.
    pub match_budget: usize,
    /// Rows kept in memory while scrolling; no further page is fetched past it.
    pub max_loaded_rows: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            string_page: 64 * 1024,
            string_cap: 8 * 1024 * 1024,
            rows: 200,
            decompress_cap: 16 * 1024 * 1024,
            save_chunk: 1024 * 1024,
            match_budget: 10,
            max_loaded_rows: 100_000,
        }
    }
}
