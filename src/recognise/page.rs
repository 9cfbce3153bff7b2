//! The keys of one Keys-pane reply as the server sent it (a `SCAN` page,
//! with types under `WITHTYPE`, or a direct lookup's `EXISTS` and `TYPE`),
//! borrowed for the recognisers without copying a key.

use super::Seen;
use crate::scan::Request;
use crate::upstash::Reply;

/// The keys `replies` name in answer to `request`; nothing for a reply of
/// another shape (the scan engine reports those).
pub fn keys<'a>(request: &'a Request, replies: &'a [Reply]) -> Vec<Seen<'a>> {
    match request {
        Request::Lookup { key, .. } => {
            let exists = replies.first().and_then(Reply::as_int).unwrap_or(0) > 0;
            let kind = replies.get(1).and_then(Reply::as_str);
            match exists {
                true => vec![Seen { key, kind }],
                false => Vec::new(),
            }
        }
        Request::Scan { with_type, .. } => {
            let items = replies
                .first()
                .and_then(Reply::as_array)
                .and_then(|page| page.get(1))
                .and_then(Reply::as_array)
                .unwrap_or_default();
            let step = if *with_type { 2 } else { 1 };
            items
                .chunks(step)
                .filter_map(|pair| {
                    let key = pair.first()?.as_bytes()?;
                    let kind = pair.get(1).and_then(Reply::as_str);
                    Some(Seen { key, kind })
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstash::cmd;

    fn bytes(s: &str) -> Reply {
        Reply::Bytes(s.as_bytes().to_vec())
    }

    #[test]
    fn a_page_with_types_names_keys_and_types() {
        let request = Request::Scan {
            cmd: cmd(["SCAN", "0", "WITHTYPE"]),
            with_type: true,
        };
        let page = [Reply::Array(vec![
            bytes("17"),
            Reply::Array(vec![
                bytes("celery"),
                bytes("list"),
                bytes("u"),
                bytes("hash"),
            ]),
        ])];
        let seen = keys(&request, &page);
        assert_eq!(
            seen,
            [
                Seen {
                    key: b"celery",
                    kind: Some("list")
                },
                Seen {
                    key: b"u",
                    kind: Some("hash")
                }
            ]
        );
    }

    #[test]
    fn a_plain_page_and_lookups() {
        let plain = Request::Scan {
            cmd: cmd(["SCAN", "0"]),
            with_type: false,
        };
        let page = [Reply::Array(vec![
            bytes("0"),
            Reply::Array(vec![bytes("a"), bytes("b")]),
        ])];
        let names: Vec<&[u8]> = keys(&plain, &page).iter().map(|s| s.key).collect();
        assert_eq!(names, [&b"a"[..], b"b"]);
        assert!(keys(&plain, &[Reply::Int(3)]).is_empty());

        let lookup = Request::Lookup {
            key: b"unacked".to_vec(),
            cmds: Vec::new(),
        };
        let replies = [Reply::Int(1), bytes("hash")];
        let found = keys(&lookup, &replies);
        assert_eq!(found[0].kind, Some("hash"));
        assert!(keys(&lookup, &[Reply::Int(0), bytes("none")]).is_empty());
    }
}
