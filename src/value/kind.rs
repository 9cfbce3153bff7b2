//! The Redis type of a key, as TYPE names it, and the command that measures it.

use std::fmt;

/// The type of a key, from the TYPE reply.
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
    /// Parses a TYPE reply; unknown names become [`Kind::Other`].
    pub fn parse(name: &str) -> Kind {
        match name {
            "string" => Kind::String,
            "hash" => Kind::Hash,
            "list" => Kind::List,
            "set" => Kind::Set,
            "zset" => Kind::ZSet,
            "stream" => Kind::Stream,
            "ReJSON-RL" => Kind::Json,
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

    /// Whether the server can filter this kind with a MATCH pattern.
    pub fn has_server_match(&self) -> bool {
        matches!(self, Kind::Hash | Kind::Set | Kind::ZSet)
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
        for k in [
            Kind::String,
            Kind::Hash,
            Kind::List,
            Kind::Set,
            Kind::ZSet,
            Kind::Stream,
            Kind::Json,
            Kind::Missing,
            Kind::Other("MBbloom--".into()),
        ] {
            assert_eq!(Kind::parse(k.name()), k);
        }
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
