"""Writes N keys as RESP commands on stdout, for `redis-cli --pipe`.

Key names look like an application's: folders separated by `:`, several
types (strings, hashes, lists, sets, sorted sets), the same set every run.
"""

import random
import sys


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def main():
    total = int(sys.argv[1])
    rng = random.Random(2026)
    words = ["red", "blue", "green", "rust", "redis", "queue", "cache", "tui"]
    # (share of the keys, key maker, command maker)
    families = [
        (25, lambda i: "session:%032x" % rng.getrandbits(128),
         lambda k, i: resp("HSET", k, "user", str(i % 50000), "ip", "10.0.%d.%d" % (i % 256, i % 200), "ua", "Mozilla/5.0")),
        (25, lambda i: "cache:doc:%d:summary" % i,
         lambda k, i: resp("SET", k, '{"id":%d,"title":"Document %d","words":%d}' % (i, i, i % 900))),
        (10, lambda i: "user:%d:profile" % i,
         lambda k, i: resp("HSET", k, "name", "user %d" % i, "plan", "free")),
        (10, lambda i: "feed:%d" % i,
         lambda k, i: resp("RPUSH", k, "post:%d" % i, "post:%d" % (i + 1))),
        (5, lambda i: "tags:%s:%d" % (words[i % len(words)], i),
         lambda k, i: resp("SADD", k, "a", "b", "c")),
        (10, lambda i: "ratelimit:u%d:%d" % (i, 1767225600 + i % 3600),
         lambda k, i: resp("SET", k, str(i % 100))),
        (5, lambda i: "leaderboard:uploads:%d" % i,
         lambda k, i: resp("ZADD", k, "1", "alice", "2", "bob")),
        (10, lambda i: "celery-task-meta-%032x" % rng.getrandbits(128),
         lambda k, i: resp("SET", k, '{"status":"SUCCESS","result":%d}' % i)),
    ]
    plan = [n * total // 100 for n, _, _ in families]
    plan[0] += total - sum(plan)
    out = sys.stdout.buffer
    buf = []
    for (_, key, command), n in zip(families, plan):
        for i in range(n):
            buf.append(command(key(i), i))
            if len(buf) >= 10000:
                out.write(b"".join(buf))
                buf.clear()
    out.write(b"".join(buf))
    out.flush()


if __name__ == "__main__":
    main()
