//! `Upstash-Response-Format: resp2`: replies written back as raw RESP2
//! bytes, which keep every reply type and every byte
//! (<https://upstash.com/docs/redis/features/restapi>).

use crate::upstash::Reply;

/// Appends one reply in RESP2 form. Nil is written as a null bulk string
/// (the reply model does not tell a null array apart).
pub fn encode(r: &Reply, out: &mut Vec<u8>) {
    match r {
        Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
        Reply::Int(i) => line(out, b':', i.to_string().as_bytes()),
        Reply::Status(s) => line(out, b'+', s.as_bytes()),
        Reply::Error(e) => line(out, b'-', e.as_bytes()),
        Reply::Bytes(b) => {
            line(out, b'$', b.len().to_string().as_bytes());
            out.extend_from_slice(b);
            out.extend_from_slice(b"\r\n");
        }
        Reply::Array(items) => {
            line(out, b'*', items.len().to_string().as_bytes());
            for item in items {
                encode(item, out);
            }
        }
    }
}

/// A one-line reply; CR and LF, which RESP cannot carry there, become spaces.
fn line(out: &mut Vec<u8>, kind: u8, text: &[u8]) {
    out.push(kind);
    out.extend(
        text.iter()
            .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
    );
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(r: &Reply) -> Vec<u8> {
        let mut out = Vec::new();
        encode(r, &mut out);
        out
    }

    #[test]
    fn every_reply_type_has_its_resp2_form() {
        assert_eq!(enc(&Reply::Status("OK".into())), b"+OK\r\n");
        assert_eq!(enc(&Reply::Bytes(b"bar".to_vec())), b"$3\r\nbar\r\n");
        assert_eq!(enc(&Reply::Nil), b"$-1\r\n");
        assert_eq!(enc(&Reply::Int(-5)), b":-5\r\n");
        assert_eq!(enc(&Reply::Error("ERR x\ny".into())), b"-ERR x y\r\n");
        assert_eq!(
            enc(&Reply::Array(vec![
                Reply::Bytes(vec![0, 13, 10]),
                Reply::Array(vec![])
            ])),
            b"*2\r\n$3\r\n\x00\r\n\r\n*0\r\n"
        );
    }
}
