//! The Redis type of a key, as TYPE names it: read once where the server's
//! reply arrives, and used as a type by the scan, the Keys pane's filter and
//! badges, and the value model.

use std::fmt;

/// The type of a key, from the TYPE reply (or SCAN's WITHTYPE).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    String,
    Hash,
    List,
    Set,
    ZSet,
    Stream,
    /// A RedisJSON document (`ReJSON-RL`).
    Json,
    /// TYPE said `none`: the key does not exist (or expired).
    Missing,
    /// Any other module type, named as the server names it.
    Other(String),
}

impl Kind {
    /// The types SCAN's TYPE option filters on here, in the order the Keys
    /// pane's `t` cycles through them: Redis' own and RedisJSON's.
    pub const FILTERS: [Kind; 7] = [
        Kind::String,
        Kind::Hash,
        Kind::List,
        Kind::Set,
        Kind::ZSet,
        Kind::Stream,
        Kind::Json,
    ];

    /// Parses a TYPE reply (`json` too, the name a created document is
    /// given); unknown names become [`Kind::Other`].
    pub fn parse(name: &str) -> Kind {
        match name {
            "string" => Kind::String,
            "hash" => Kind::Hash,
            "list" => Kind::List,
            "set" => Kind::Set,
            "zset" => Kind::ZSet,
            "stream" => Kind::Stream,
            "ReJSON-RL" | "json" => Kind::Json,
            "none" => Kind::Missing,
            other => Kind::Other(other.to_string()),
        }
    }

    /// The name TYPE uses for this kind.
    pub fn name(&self) -> &str {
        match self {
            Kind::String => "string",
            Kind::Hash => "hash",
            Kind::List => "list",
            Kind::Set => "set",
            Kind::ZSet => "zset",
            Kind::Stream => "stream",
            Kind::Json => "ReJSON-RL",
            Kind::Missing => "none",
            Kind::Other(name) => name,
        }
    }

    /// The command that counts this kind's length, if it has one.
    pub fn length_command(&self) -> Option<&'static str> {
        match self {
            Kind::String => Some("STRLEN"),
            Kind::Hash => Some("HLEN"),
            Kind::List => Some("LLEN"),
            Kind::Set => Some("SCARD"),
            Kind::ZSet => Some("ZCARD"),
            Kind::Stream => Some("XLEN"),
            _ => None,
        }
    }

    /// Whether keys of this kind hold a collection, whose length the Monitor
    /// can watch (a string's length is bytes, not items).
    pub fn is_collection(&self) -> bool {
        matches!(
            self,
            Kind::List | Kind::Set | Kind::ZSet | Kind::Hash | Kind::Stream
        )
    }

    /// Whether the server can filter this kind with a MATCH pattern.
    pub fn has_server_match(&self) -> bool {
        matches!(self, Kind::Hash | Kind::Set | Kind::ZSet)
    }

    /// A filter as typed (`--type hash`, any case), one of [`Kind::FILTERS`];
    /// another name is refused, since Redis would answer it with no keys
    /// rather than an error.
    pub fn parse_filter(text: &str) -> Result<Kind, String> {
        Kind::FILTERS
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::FILTERS.iter().map(Kind::name).collect();
                format!("unknown type {text:?}: use one of {}", names.join(", "))
            })
    }

    /// The filter after `current` in [`Kind::FILTERS`]: the first after all
    /// types (`None`), and all types after the last.
    pub fn next_filter(current: Option<&Kind>) -> Option<Kind> {
        let at = match current {
            None => 0,
            Some(k) => Kind::FILTERS.iter().position(|f| f == k)? + 1,
        };
        Kind::FILTERS.get(at).cloned()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let others = [Kind::Missing, Kind::Other("MBbloom--".into())];
        for k in Kind::FILTERS.into_iter().chain(others) {
            assert_eq!(Kind::parse(k.name()), k);
        }
    }

    #[test]
    fn module_types_keep_their_name() {
        assert_eq!(Kind::parse("json"), Kind::Json);
        assert_eq!(Kind::parse("TSDB-TYPE"), Kind::Other("TSDB-TYPE".into()));
        assert_eq!(Kind::parse("TSDB-TYPE").to_string(), "TSDB-TYPE");
        assert_eq!(Kind::parse("none"), Kind::Missing);
    }

    #[test]
    fn filters_cycle_and_parse() {
        let mut seen = Vec::new();
        let mut f = Kind::next_filter(None);
        while let Some(k) = f {
            seen.push(k.name().to_owned());
            f = Kind::next_filter(Some(&k));
        }
        assert_eq!(
            seen,
            [
                "string",
                "hash",
                "list",
                "set",
                "zset",
                "stream",
                "ReJSON-RL"
            ]
        );
        assert_eq!(Kind::next_filter(Some(&Kind::Missing)), None);
        assert_eq!(Kind::parse_filter("ZSET"), Ok(Kind::ZSet));
        assert_eq!(Kind::parse_filter("rejson-rl"), Ok(Kind::Json));
        assert_eq!(
            Kind::parse_filter("bogus"),
            Err(
                "unknown type \"bogus\": use one of string, hash, list, set, zset, \
                 stream, ReJSON-RL"
                    .into()
            )
        );
    }

    #[test]
    fn length_commands() {
        assert_eq!(Kind::Hash.length_command(), Some("HLEN"));
        assert_eq!(Kind::Stream.length_command(), Some("XLEN"));
        assert_eq!(Kind::Json.length_command(), None);
        assert!(Kind::ZSet.has_server_match());
        assert!(!Kind::List.has_server_match());
    }
}
