"""redis-py over RESP: SCAN with COUNT 1000 until the cursor is 0, keys only,
one per line on stdout."""

import sys

import redis


def main():
    r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
    out = sys.stdout.buffer
    cursor = 0
    while True:
        cursor, keys = r.scan(cursor, count=1000)
        if keys:
            out.write(b"\n".join(keys) + b"\n")
        if cursor == 0:
            break
    out.flush()


if __name__ == "__main__":
    main()
