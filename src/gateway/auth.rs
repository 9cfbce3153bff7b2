//! Token checks: `Authorization: Bearer T` or `?_token=T`, compared in
//! constant time, giving full or read-only access.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use subtle::ConstantTimeEq as _;

/// What a request's token allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Every command the gateway serves.
    Full,
    /// Only commands that neither write nor scan the whole keyspace.
    ReadOnly,
}

/// The text Upstash answers a missing or wrong token with, status 401
/// (<https://upstash.com/docs/redis/troubleshooting/http_unauthorized>).
pub const UNAUTHORIZED: &str = "WRONGPASS invalid or missing auth token";

/// The configured tokens.
pub struct Tokens {
    full: String,
    read_only: Option<String>,
}

impl Tokens {
    /// Keeps the tokens; an empty read-only token counts as none.
    pub fn new(full: String, read_only: Option<String>) -> Tokens {
        Tokens {
            full,
            read_only: read_only.filter(|t| !t.is_empty()),
        }
    }

    /// The access granted to the token presented by a request, if any.
    ///
    /// The header wins over the query parameter when both are present, so a
    /// wrong header is not rescued by a stale `_token` left in a URL.
    pub fn check(&self, headers: &HeaderMap, query_token: Option<&[u8]>) -> Option<Access> {
        let presented = bearer(headers).or(query_token)?;
        let full = bool::from(presented.ct_eq(self.full.as_bytes()));
        let read_only = self
            .read_only
            .as_ref()
            .is_some_and(|t| bool::from(presented.ct_eq(t.as_bytes())));
        if full {
            Some(Access::Full)
        } else if read_only {
            Some(Access::ReadOnly)
        } else {
            None
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(AUTHORIZATION)?.as_bytes();
    let scheme = b"bearer ";
    if value.len() < scheme.len() || !value[..scheme.len()].eq_ignore_ascii_case(scheme) {
        return None;
    }
    Some(value[scheme.len()..].trim_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn tokens_map_to_access() {
        let t = Tokens::new("full".into(), Some("ro".into()));
        assert_eq!(t.check(&headers("Bearer full"), None), Some(Access::Full));
        assert_eq!(t.check(&headers("bearer ro"), None), Some(Access::ReadOnly));
        assert_eq!(t.check(&headers("Bearer nope"), Some(b"full")), None);
        assert_eq!(
            t.check(&HeaderMap::new(), Some(b"full")),
            Some(Access::Full)
        );
        assert_eq!(t.check(&HeaderMap::new(), None), None);
        assert_eq!(t.check(&headers("Basic full"), None), None);
    }

    #[test]
    fn empty_read_only_token_grants_nothing() {
        let t = Tokens::new("full".into(), Some(String::new()));
        assert_eq!(t.check(&headers("Bearer "), None), None);
    }
}
