//! Reading keys straight from redis-server, to check what the product wrote.

use redis::aio::MultiplexedConnection;

/// Runs one command given as bytes on a direct connection.
pub async fn q<T: redis::FromRedisValue>(conn: &mut MultiplexedConnection, args: &[&[u8]]) -> T {
    let mut c = redis::cmd(std::str::from_utf8(args[0]).expect("a command name"));
    for a in &args[1..] {
        c.arg(*a);
    }
    c.query_async(conn).await.expect("a direct command")
}

/// A key's type and exact content: hash fields and set members sorted (their
/// order carries no meaning), lists, zsets and streams as the server orders
/// them; empty for a key that does not exist.
pub async fn content(c: &mut MultiplexedConnection, k: &[u8]) -> String {
    let kind: String = q(c, &[b"TYPE", k]).await;
    let text = match kind.as_str() {
        "none" => String::new(),
        "string" => format!("{:?}", q::<Vec<u8>>(c, &[b"GET", k]).await),
        "hash" => {
            let mut v: Vec<(Vec<u8>, Vec<u8>)> = q(c, &[b"HGETALL", k]).await;
            v.sort();
            format!("{v:?}")
        }
        "list" => format!(
            "{:?}",
            q::<Vec<Vec<u8>>>(c, &[b"LRANGE", k, b"0", b"-1"]).await
        ),
        "set" => {
            let mut v: Vec<Vec<u8>> = q(c, &[b"SMEMBERS", k]).await;
            v.sort();
            format!("{v:?}")
        }
        "zset" => {
            let v: Vec<(Vec<u8>, String)> = q(c, &[b"ZRANGE", k, b"0", b"-1", b"WITHSCORES"]).await;
            format!("{v:?}")
        }
        _ => format!(
            "{:?}",
            q::<redis::Value>(c, &[b"XRANGE", k, b"-", b"+"]).await
        ),
    };
    format!("{kind} {text}")
}
