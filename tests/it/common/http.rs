//! Raw HTTP against the gateway, so tests see status codes, headers and
//! bodies byte for byte.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;

use super::{Harness, TOKEN};

/// One response, kept whole.
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub bytes: Vec<u8>,
    pub sync_token: Option<String>,
}

impl Resp {
    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

/// A reqwest client pointed at the harness's gateway.
pub struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    pub fn new(h: &Harness) -> Http {
        Http {
            client: reqwest::Client::new(),
            base: h.url.clone(),
        }
    }

    /// POST with the full token and `Upstash-Encoding: base64`.
    pub async fn post(&self, path: &str, body: impl Into<Vec<u8>>) -> Resp {
        self.send(Method::POST, path, Some(TOKEN), true, body.into())
            .await
    }

    /// POST with the full token and no base64.
    pub async fn post_plain(&self, path: &str, body: impl Into<Vec<u8>>) -> Resp {
        self.send(Method::POST, path, Some(TOKEN), false, body.into())
            .await
    }

    /// Any request; `token` goes in `Authorization: Bearer`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        base64: bool,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if base64 {
            req = req.header("Upstash-Encoding", "base64");
        }
        let resp = req.send().await.expect("gateway answers");
        let status = resp.status().as_u16();
        let sync_token = resp
            .headers()
            .get("upstash-sync-token")
            .map(|v| v.to_str().expect("ascii sync token").to_string());
        let bytes = resp.bytes().await.expect("body").to_vec();
        Resp {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            sync_token,
        }
    }
}

/// Percent-encodes one path segment (every byte but letters and digits).
pub fn seg(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (*b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Percent-encodes a text segment.
pub fn seg_str(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// base64 of some bytes, as the gateway sends them.
pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
