"""The official Upstash Python SDK: SCAN with count=1000 until the cursor is
0, through the gateway, keys one per line on stdout. The URL and token come
from UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN."""

import os
import sys

from upstash_redis import Redis


def main():
    r = Redis(os.environ["UPSTASH_REDIS_REST_URL"], os.environ["UPSTASH_REDIS_REST_TOKEN"])
    out = sys.stdout
    cursor = 0
    while True:
        cursor, keys = r.scan(cursor, count=1000)
        if keys:
            out.write("\n".join(keys) + "\n")
        if cursor == 0:
            break
    out.flush()


if __name__ == "__main__":
    main()
