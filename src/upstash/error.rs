//! Typed client errors. Each renders as one clear line and never contains the
//! token: texts that come from the server or the network are flattened to one
//! line and scrubbed of the token before they are stored here.

use std::fmt::Write as _;

/// A failed request, classified so that callers can react to the kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// HTTP 401: the server answered and refused the token.
    #[error(
        "the token was refused (HTTP 401 unauthorized): it is missing, wrong, or another database's"
    )]
    Unauthorized,
    /// Redis refused the command; the text is Redis' own (e.g. `WRONGTYPE ...`).
    #[error("{0}")]
    Command(String),
    /// A plan limit or quota was hit (`ERR max ... exceeded`, `DB capacity quota exceeded`).
    #[error("{text} (hint: {hint})")]
    Limit { text: String, hint: &'static str },
    /// The token may not run this command (`NOPERM`, e.g. a read-only token).
    #[error("{0} (this token may not run it; a read-only token refuses writes)")]
    NoPermission(String),
    /// No reply arrived within the request timeout.
    #[error("the request timed out")]
    Timeout,
    /// The server could not be reached: connect, DNS or TLS failure (the text says which).
    #[error("cannot reach the server: {0}")]
    Connect(String),
    /// An `https://` URL reached a server that answers in plain HTTP (a
    /// local gateway, say): no TLS handshake can succeed there.
    #[error("the server answered in plain HTTP, not HTTPS: use an http:// URL for it")]
    PlainHttp,
    /// A non-2xx status that is none of the above.
    #[error("HTTP {status}: {text}")]
    Http { status: u16, text: String },
    /// The server answered with something that is not the Upstash protocol.
    #[error("unexpected reply from the server: {0}")]
    Protocol(String),
    /// The request could not be made from the given input (bad URL, empty command).
    #[error("{0}")]
    Input(String),
    /// A failure raised by a caller of the client, e.g. a reply of an unexpected shape.
    #[error("{0}")]
    Other(String),
}

/// The broad class of an [`Error`], for counters and colours in the monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    Auth,
    /// The token may not run that command (NOPERM): the request, not the
    /// connection, was at fault.
    Permission,
    Command,
    Limit,
    Timeout,
    Network,
    Protocol,
    Input,
}

impl ErrorKind {
    /// Every kind, in display order.
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Auth,
        ErrorKind::Permission,
        ErrorKind::Command,
        ErrorKind::Limit,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Protocol,
        ErrorKind::Input,
    ];

    /// A short lower-case label (`"auth"`, `"network"`, ...).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Auth => "auth",
            ErrorKind::Permission => "permission",
            ErrorKind::Command => "command",
            ErrorKind::Limit => "limit",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Input => "input",
        }
    }
}

impl Error {
    /// The broad class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Unauthorized => ErrorKind::Auth,
            Error::NoPermission(_) => ErrorKind::Permission,
            Error::Command(_) => ErrorKind::Command,
            Error::Limit { .. } => ErrorKind::Limit,
            Error::Timeout => ErrorKind::Timeout,
            Error::Connect(_) | Error::PlainHttp | Error::Http { .. } => ErrorKind::Network,
            Error::Protocol(_) | Error::Other(_) => ErrorKind::Protocol,
            Error::Input(_) => ErrorKind::Input,
        }
    }

    /// Whether the server refused a write because of the token or the
    /// database's state (read-only token, full database, read-only replica).
    pub fn is_write_refused(&self) -> bool {
        match self {
            Error::NoPermission(_) => true,
            Error::Limit { text, .. } => text.contains("DB capacity quota exceeded"),
            Error::Command(text) => text.starts_with("READONLY"),
            _ => false,
        }
    }

    /// A few words for a title bar when the server answered but the
    /// settings are wrong (the token, the URL's scheme); `None` otherwise.
    pub fn misconfiguration(&self) -> Option<&'static str> {
        match self {
            Error::Unauthorized => Some("token refused"),
            Error::PlainHttp => Some("plain HTTP: use http://"),
            _ => None,
        }
    }

    /// Whether a read may be sent again after this error: the request may
    /// not have reached Redis (transport failure) or the server failed (5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect(_) | Error::Timeout => true,
            Error::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Classifies an error text from the server (`{"error": text}`) for a
    /// reply with HTTP `status`. The text must already be one clean line.
    pub fn from_server(status: u16, text: String) -> Error {
        if status == 401 {
            return Error::Unauthorized;
        }
        if status == 429 {
            // A rate limiter in front of the database; its text says little.
            return Error::Limit {
                text: format!("HTTP 429: {text}"),
                hint: RATE_HINT,
            };
        }
        if text.starts_with("NOPERM") {
            return Error::NoPermission(text);
        }
        if let Some(hint) = limit_hint(&text) {
            return Error::Limit { text, hint };
        }
        if status < 300 || status == 400 {
            Error::Command(text)
        } else {
            Error::Http { status, text }
        }
    }
}

/// The hint for HTTP 429, whatever its body says.
const RATE_HINT: &str = "too many requests at once; the plan's rate limit is 10,000 commands per second on most plans; slow down and try again";

/// The hint for a limit or quota error text, if it is one: the texts that
/// Upstash's troubleshooting pages name, such as
/// <https://upstash.com/docs/redis/troubleshooting/max_request_size_exceeded>.
pub fn limit_hint(text: &str) -> Option<&'static str> {
    const HINTS: &[(&str, &str)] = &[
        (
            "ERR max request size exceeded",
            "a request or reply is over the plan's size limit, 10 MB on Free and PAYG; send less per request",
        ),
        (
            "ERR max daily request limit exceeded",
            "the daily request quota is used up; wait for the daily reset or change the plan",
        ),
        (
            "ERR max requests limit exceeded",
            "the monthly request quota is used up; raise the budget or change the plan",
        ),
        (
            "ERR DB capacity quota exceeded",
            "the database is full; writes are refused until data is deleted or the plan is raised",
        ),
        ("ERR max key size exceeded", "keys are limited to 32 KB"),
        (
            "ERR max single record size exceeded",
            "the value is over the plan's record size limit, 100 MB on most plans",
        ),
        (
            "ERR max concurrent connections exceeded",
            "too many connections at once; close idle clients",
        ),
    ];
    if let Some((_, hint)) = HINTS.iter().find(|(prefix, _)| text.starts_with(prefix)) {
        return Some(hint);
    }
    (text.starts_with("ERR max ") && text.contains("exceeded"))
        .then_some("a plan limit was reached; see the plan's limits in the Upstash console")
}

/// Makes one display line from untrusted text: control characters and
/// non-UTF-8 bytes escaped, cut at `max` input bytes, `secret` removed.
pub fn one_line(bytes: &[u8], max: usize, secret: &str) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let mut out = String::with_capacity(cut.len());
    for chunk in cut.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                for e in c.escape_default() {
                    out.push(e);
                }
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    if bytes.len() > max {
        out.push_str("...");
    }
    scrub(out, secret)
}

/// Removes every occurrence of `secret` (the token) from `text`. Secrets
/// shorter than 8 bytes are left alone: they protect nothing, and replacing
/// them would mangle ordinary words.
pub fn scrub(text: String, secret: &str) -> String {
    if secret.len() < 8 || !text.contains(secret) {
        return text;
    }
    text.replace(secret, "[token]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_texts_are_classified() {
        assert_eq!(
            Error::from_server(401, "WRONGPASS invalid".into()),
            Error::Unauthorized
        );
        assert!(matches!(
            Error::from_server(400, "NOPERM this user has no permissions".into()),
            Error::NoPermission(_)
        ));
        let e = Error::from_server(
            400,
            "ERR max request size exceeded. Limit: 10, Actual: 20 bytes".into(),
        );
        assert!(matches!(e, Error::Limit { hint, .. } if hint.contains("10 MB")));
        assert_eq!(e.kind(), ErrorKind::Limit);
        let e = Error::from_server(429, "Too Many Requests".into());
        assert!(matches!(&e, Error::Limit { text, .. } if text == "HTTP 429: Too Many Requests"));
        assert!(!e.is_retryable());
        let e = Error::from_server(413, "ERR max something exceeded".into());
        assert!(matches!(e, Error::Limit { .. }));
        assert!(
            Error::from_server(400, "ERR DB capacity quota exceeded".into()).is_write_refused()
        );
        assert_eq!(
            Error::from_server(400, "WRONGTYPE Operation".into()),
            Error::Command("WRONGTYPE Operation".into())
        );
        assert_eq!(
            Error::from_server(503, "down".into()),
            Error::Http {
                status: 503,
                text: "down".into()
            }
        );
    }

    #[test]
    fn retry_decision_follows_the_kind() {
        assert!(Error::Timeout.is_retryable());
        assert!(Error::Connect("refused".into()).is_retryable());
        assert!(
            Error::Http {
                status: 502,
                text: String::new()
            }
            .is_retryable()
        );
        assert!(
            !Error::Http {
                status: 404,
                text: String::new()
            }
            .is_retryable()
        );
        assert!(!Error::Command("ERR".into()).is_retryable());
        assert!(!Error::Unauthorized.is_retryable());
    }

    #[test]
    fn one_line_escapes_cuts_and_scrubs() {
        assert_eq!(one_line(b"a\nb\xff", 200, "t"), "a\\nb\\xff");
        assert_eq!(one_line(&[b'x'; 300], 200, "tok").len(), 203);
        assert_eq!(
            one_line(b"key tok-1234567 here", 200, "tok-1234567"),
            "key [token] here"
        );
        assert_eq!(one_line(b"connection", 200, "t"), "connection");
        assert_eq!(one_line("é\u{1b}".as_bytes(), 200, ""), "é\\u{1b}");
    }

    #[test]
    fn every_error_is_one_line() {
        for e in [
            Error::Unauthorized,
            Error::Timeout,
            Error::from_server(400, "ERR max key size exceeded".into()),
            Error::NoPermission("NOPERM x".into()),
        ] {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
