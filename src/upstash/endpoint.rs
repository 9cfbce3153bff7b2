//! The endpoint URL: checked, normalised, and refused when plain HTTP would
//! carry the token in clear text over a network.

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use super::error::Error;

/// A checked base URL and the host to show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The base URL without a trailing `/`, e.g. `https://name.upstash.io`.
    pub base: String,
    /// `host` or `host:port`, for display.
    pub host: String,
}

impl Endpoint {
    /// Parses and checks `url`; plain `http://` is allowed only to loopback
    /// addresses unless `allow_insecure_http`. Errors never repeat the URL,
    /// which a user may have pasted with a `_token` in it.
    pub fn parse(url: &str, allow_insecure_http: bool) -> Result<Endpoint, Error> {
        let bad = |why: &str| Error::Input(format!("the REST URL is not usable: {why}"));
        let parsed = Url::parse(url.trim())
            .map_err(|e| bad(&format!("{e} (expected e.g. https://name.upstash.io)")))?;
        let secure = match parsed.scheme() {
            "https" => true,
            "http" => false,
            _ => {
                return Err(bad(
                    "it must start with https:// (or http:// for a local gateway)",
                ));
            }
        };
        let host = parsed.host().ok_or_else(|| bad("it has no host"))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad(
                "it carries a query or fragment; give the token separately",
            ));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(bad(
                "it carries a user name or password; give the token separately",
            ));
        }
        let shown = match parsed.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        if !secure && !allow_insecure_http && !is_loopback(&host) {
            return Err(Error::Input(format!(
                "refusing plain http:// to {shown}: the token would travel in clear text; \
                 use https:// or allow insecure HTTP explicitly (--allow-insecure-http)"
            )));
        }
        Ok(Endpoint {
            base: parsed.as_str().trim_end_matches('/').to_string(),
            host: shown,
        })
    }

    /// The URL of a path below the base (`""`, `/pipeline`, `/set/k`).
    pub fn url(&self, path: &str) -> String {
        if path.is_empty() {
            // The bare base URL, as the official SDKs post single commands.
            return self.base.clone();
        }
        format!("{}{path}", self.base)
    }
}

/// `url` for display, with any query, fragment, user name or password
/// replaced by `[hidden]` (a pasted URL may carry the token there) and
/// `secret` removed from what is left.
pub fn redacted(url: &str, secret: &str) -> String {
    let text = match Url::parse(url.trim()) {
        Ok(mut u) => {
            let hidden = u.query().is_some()
                || u.fragment().is_some()
                || !u.username().is_empty()
                || u.password().is_some();
            u.set_query(None);
            u.set_fragment(None);
            // Only URLs with a host can carry credentials; the others cannot fail here.
            let _ = u.set_username("");
            let _ = u.set_password(None);
            if hidden {
                format!("{u} [hidden]")
            } else {
                url.trim().to_string()
            }
        }
        Err(_) => url.trim().to_string(),
    };
    super::error::scrub(text, secret)
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Host::Ipv4(ip) => Ipv4Addr::is_loopback(ip),
        Host::Ipv6(ip) => Ipv6Addr::is_loopback(ip),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_urls_hide_queries_credentials_and_the_token() {
        assert_eq!(
            redacted(
                "https://a.upstash.io/?_token=sekrit-123456",
                "sekrit-123456"
            ),
            "https://a.upstash.io/ [hidden]"
        );
        assert_eq!(
            redacted("https://u:pw@a.upstash.io#frag", ""),
            "https://a.upstash.io/ [hidden]"
        );
        assert_eq!(
            redacted(" https://a.upstash.io ", ""),
            "https://a.upstash.io"
        );
        assert_eq!(
            redacted("not a url sekrit-123456", "sekrit-123456"),
            "not a url [token]"
        );
    }

    #[test]
    fn urls_are_normalised() {
        let e = Endpoint::parse(" https://eu1-x.upstash.io/ ", false).unwrap();
        assert_eq!(e.base, "https://eu1-x.upstash.io");
        assert_eq!(e.host, "eu1-x.upstash.io");
        assert_eq!(e.url("/pipeline"), "https://eu1-x.upstash.io/pipeline");
        let e = Endpoint::parse("https://proxy.example/redis//", false).unwrap();
        assert_eq!(
            e.url("/multi-exec"),
            "https://proxy.example/redis/multi-exec"
        );
        assert_eq!(e.url(""), "https://proxy.example/redis");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8079",
            "http://localhost:1/",
            "http://[::1]:8079",
            "http://127.9.9.9",
        ] {
            let e = Endpoint::parse(ok, false).unwrap();
            assert!(e.base.starts_with("http://"), "{ok}");
        }
        let err = Endpoint::parse("http://10.0.0.5:8079", false).unwrap_err();
        assert!(err.to_string().contains("clear text"), "{err}");
        assert!(err.to_string().contains("10.0.0.5:8079"), "{err}");
        assert!(Endpoint::parse("http://10.0.0.5:8079", true).is_ok());
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8079", false)
                .unwrap()
                .host,
            "127.0.0.1:8079"
        );
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_them() {
        for bad in [
            "name.upstash.io",
            "ftp://x.io",
            "https://x.io/?_token=SECRETTOKEN",
            "https://u:SECRETTOKEN@x.io",
            "https://x.io/#SECRETTOKEN",
        ] {
            let err = Endpoint::parse(bad, false).unwrap_err();
            assert!(!err.to_string().contains("SECRETTOKEN"), "{err}");
            assert!(!format!("{err:?}").contains("SECRETTOKEN"), "{err:?}");
        }
    }
}
