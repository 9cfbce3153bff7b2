//! Big values written straight into redis-server by scripts, so nothing but
//! the script crosses the wire.

use redis::aio::MultiplexedConnection;

/// Fills `key` with `n` elements `{name}0`, `{name}1`…: a list of them, or
/// a hash with them as fields and `{value}0`, `{value}1`… as values.
pub async fn fill(
    c: &mut MultiplexedConnection,
    key: &str,
    hash: bool,
    n: u64,
    (name, value): (&str, &str),
) {
    let script = r#"
        local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
        for i = from, to - 1, 1000 do
            local t = {}
            for j = i, math.min(i + 999, to - 1) do
                t[#t + 1] = ARGV[4] .. j
                if ARGV[3] == "hash" then t[#t + 1] = ARGV[5] .. j end
            end
            if ARGV[3] == "hash" then
                redis.call("HSET", KEYS[1], unpack(t))
            else
                redis.call("RPUSH", KEYS[1], unpack(t))
            end
        end
        return to - from
    "#;
    let step = 100_000;
    for from in (0..n).step_by(step as usize) {
        let to = (from + step).min(n);
        let added: u64 = redis::cmd("EVAL")
            .arg(script)
            .arg(1)
            .arg(key)
            .arg(from)
            .arg(to)
            .arg(if hash { "hash" } else { "list" })
            .arg(name)
            .arg(value)
            .query_async(c)
            .await
            .expect("filling script");
        assert_eq!(added, to - from);
    }
}
