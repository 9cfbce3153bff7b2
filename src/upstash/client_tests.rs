//! Unit tests of request building and settings checks.

use super::*;

const TOKEN: &str = "Zm9vYmFyLXNlY3JldC10b2tlbg";

fn client(url: &str) -> Result<Client, Error> {
    Client::new(ClientConfig {
        url: url.into(),
        token: TOKEN.into(),
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        allow_insecure_http: false,
    })
}

fn request(path: &str, raw: bool) -> Request {
    Request {
        kind: RequestKind::Single,
        access: Access::Read,
        commands: 1,
        names: "GET".into(),
        path: path.into(),
        body: Bytes::from_static(b"[]"),
        raw,
    }
}

#[test]
fn requests_carry_auth_encoding_and_the_latest_sync_token() {
    let c = client("http://127.0.0.1:8079/").unwrap();
    assert_eq!(c.host(), "127.0.0.1:8079");
    let r = c.build(&request("", false)).build().unwrap();
    assert_eq!(r.url().as_str(), "http://127.0.0.1:8079/");
    assert_eq!(
        r.headers()["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert!(r.headers()["authorization"].is_sensitive());
    assert_eq!(r.headers()["content-type"], "application/json");
    assert!(r.headers().get(SYNC_TOKEN).is_none());
    *c.sync_lock() = Some(HeaderValue::from_static("sync-7"));
    assert_eq!(c.sync_token().as_deref(), Some("sync-7"));
    let clone = c.clone();
    let r = clone.build(&request("/SET/%FF", true)).build().unwrap();
    assert_eq!(r.url().as_str(), "http://127.0.0.1:8079/SET/%FF");
    assert_eq!(r.headers()[SYNC_TOKEN], "sync-7");
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
}

#[test]
fn every_request_asks_for_base64() {
    let c = client("https://example.upstash.io").unwrap();
    let r = c.build(&request("/pipeline", false)).build().unwrap();
    assert_eq!(r.url().as_str(), "https://example.upstash.io/pipeline");
    assert_eq!(r.headers()[ENCODING], "base64");
}

#[test]
fn bad_settings_are_clear_errors_without_the_token() {
    let e = client("http://192.0.2.1:8079").unwrap_err();
    assert!(e.to_string().contains("clear text"));
    let e = Client::new(ClientConfig {
        url: "https://x.upstash.io".into(),
        token: "bad\ntoken".into(),
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        allow_insecure_http: false,
    })
    .unwrap_err();
    assert!(!e.to_string().contains("bad\n"), "{e}");
    let c = client("https://x.upstash.io").unwrap();
    assert!(!format!("{c:?}").contains(TOKEN));
}
