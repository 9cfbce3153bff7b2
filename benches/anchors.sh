#!/usr/bin/env bash
# Key listing against the anchors, on one redis-server in one run:
#   upstash-tui scan --with-types --count 1000  (HTTP, through `upstash-tui serve`)
#   redis-cli --scan                             (RESP)
#   redis-py SCAN loop, COUNT 1000, keys only     (RESP)
#   upstash-redis (official Python SDK) SCAN loop (HTTP, through the same gateway)
# Each run's output is checked against the seeded key set; the gateway's own
# request log counts the HTTP requests of one scan. Not run by CI.
#
# Usage: benches/anchors.sh            (1 000 000 keys, 5 timed runs each)
#        ANCHOR_KEYS=100000 ANCHOR_RUNS=3 benches/anchors.sh
set -euo pipefail

cd "$(dirname "$0")/.."
KEYS=${ANCHOR_KEYS:-1000000}
RUNS=${ANCHOR_RUNS:-5}
VENV=target/anchors-venv
BIN=target/release/upstash-tui

for tool in redis-server redis-cli python3 bc; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 10 s for a command to succeed.
wait_for() {
    for _ in $(seq 100); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "error: timed out waiting for: $*" >&2
    exit 1
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
# CPU seconds (user + system) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

echo "== building the release binary"
cargo build --release --quiet --bin upstash-tui

if [[ ! -x $VENV/bin/python ]]; then
    echo "== creating $VENV with redis and upstash-redis from PyPI"
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check redis upstash-redis
PY=$VENV/bin/python
REDIS_PY=$("$PY" -c 'import redis; print(redis.__version__)')
SDK=$("$PY" -c 'import importlib.metadata as m; print(m.version("upstash-redis"))')

HYPERFINE=$(command -v hyperfine || true)

RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --loglevel warning --enable-debug-command local --dir "$WORK" >/dev/null &
RPID=$!
PIDS+=($RPID)
wait_for redis-cli -p "$RPORT" ping

GPORT=$(free_port)
TOKEN=anchors-$(python3 -c 'import secrets; print(secrets.token_hex(16))')
export UPSTASH_REDIS_REST_URL=http://127.0.0.1:$GPORT
export UPSTASH_REDIS_REST_TOKEN=$TOKEN
# The gateway logs one line per request at debug level: that count is the
# number of HTTP requests (the line carries neither path nor body).
UPSTASH_TUI_LOG=upstash_tui::gateway::server=debug UPSTASH_LOCAL_TOKEN=$TOKEN \
    "$BIN" --log-file "$WORK/gateway.log" serve \
    --redis-url "redis://127.0.0.1:$RPORT" --listen "127.0.0.1:$GPORT" >/dev/null &
GPID=$!
PIDS+=($GPID)
wait_for "$BIN" exec PING

echo "== seeding $KEYS keys"
SEED_START=$(date +%s.%N)
"$PY" benches/anchors/seed.py "$KEYS" | redis-cli -p "$RPORT" --pipe >/dev/null
SEED_END=$(date +%s.%N)
DBSIZE=$(redis-cli -p "$RPORT" dbsize)
[[ $DBSIZE == "$KEYS" ]] || { echo "error: seeded $DBSIZE keys, not $KEYS" >&2; exit 1; }
# Let redis finish rehashing its keyspace so SCAN sees a settled table.
wait_for bash -c "! redis-cli -p $RPORT debug htstats 0 | grep -q 'rehashing target'"
printf 'seeded %s keys in %.1f s (redis-cli --pipe)\n' "$DBSIZE" "$(echo "$SEED_END - $SEED_START" | bc)"
redis-cli -p "$RPORT" --scan --pattern '*' | sort >"$WORK/expected"
TYPES=$(sed -n '1~500p' "$WORK/expected" | sed 's/^/TYPE /' | redis-cli -p "$RPORT" | sort -u | tr '\n' ' ')

NAMES=(upstash-tui redis-cli redis-py upstash-redis)
COMMANDS=(
    "$BIN scan --with-types --count 1000"
    "redis-cli -p $RPORT --scan"
    "$PY benches/anchors/scan_resp.py $RPORT"
    "$PY benches/anchors/scan_sdk.py"
)

echo "== checking that every tool lists the same $KEYS keys"
REDIS_CPU=()
GATEWAY_CPU=()
for i in "${!NAMES[@]}"; do
    out=$WORK/${NAMES[$i]}.out
    r0=$(cpu_s "$RPID")
    g0=$(cpu_s "$GPID")
    bash -c "${COMMANDS[$i]}" >"$out"
    REDIS_CPU+=("$(echo "$(cpu_s "$RPID") - $r0" | bc)")
    GATEWAY_CPU+=("$(echo "$(cpu_s "$GPID") - $g0" | bc)")
    if [[ ${NAMES[$i]} == upstash-tui ]]; then
        if cut -f2 "$out" | grep -qx '?'; then
            echo "error: upstash-tui printed keys without a type" >&2; exit 1
        fi
        cut -f1 "$out" >"$out.keys"
    else
        cp "$out" "$out.keys"
    fi
    lines=$(wc -l <"$out.keys")
    sort -u "$out.keys" >"$out.sorted"
    if ! cmp -s "$out.sorted" "$WORK/expected"; then
        echo "error: ${NAMES[$i]} listed $(wc -l <"$out.sorted") distinct keys ($lines lines), not the $KEYS seeded" >&2
        exit 1
    fi
    echo "${NAMES[$i]}: $lines lines, $KEYS distinct keys, the seeded set"
done

echo "== counting the HTTP requests of one upstash-tui scan"
before=$(grep -c ' request ' "$WORK/gateway.log" || true)
$BIN scan --with-types --count 1000 >/dev/null
after=$(grep -c ' request ' "$WORK/gateway.log" || true)
REQUESTS=$((after - before))
PER_1000=$(echo "scale=3; $REQUESTS * 1000 / $KEYS" | bc)
echo "upstash-tui scan: $REQUESTS HTTP requests for $KEYS keys ($PER_1000 per 1 000 keys)"

RSS_BEFORE=$(rss_kib "$GPID")
echo "== timing ($RUNS runs each after one warm-up; median)"
MEDIANS=()
for i in "${!NAMES[@]}"; do
    if [[ -n $HYPERFINE ]]; then
        "$HYPERFINE" --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/${NAMES[$i]}.json" \
            -n "${NAMES[$i]}" "${COMMANDS[$i]}" >&2
        m=$("$PY" -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/${NAMES[$i]}.json")
    else
        bash -c "${COMMANDS[$i]}" >/dev/null
        times=()
        for _ in $(seq "$RUNS"); do
            s=$(date +%s.%N)
            bash -c "${COMMANDS[$i]}" >/dev/null
            e=$(date +%s.%N)
            times+=("$(echo "$e - $s" | bc)")
        done
        m=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    fi
    MEDIANS+=("$m")
done
RSS_AFTER=$(rss_kib "$GPID")

echo
echo "Key listing, $KEYS keys, redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-), $(nproc) cores, median of $RUNS runs"
echo "key types: $TYPES"
echo "(redis CPU and gateway CPU: seconds of CPU those servers spent on one run of the tool)"
printf '| %-52s | %9s | %12s | %10s | %11s |\n' "tool" "median" "upstash-tui" "redis CPU" "gateway CPU"
printf '| %-52s | %9s | %12s | %10s | %11s |\n' "---" "---" "---" "---" "---"
LABELS=(
    "upstash-tui scan --with-types --count 1000 (HTTP)"
    "redis-cli --scan (RESP)"
    "redis-py $REDIS_PY SCAN loop, COUNT 1000 (RESP)"
    "upstash-redis $SDK scan loop, count=1000 (HTTP)"
)
for i in "${!NAMES[@]}"; do
    ratio=$(echo "scale=1; ${MEDIANS[$i]} / ${MEDIANS[0]}" | bc)
    printf '| %-52s | %7.2f s | %10sx | %8.2f s | %9.2f s |\n' "${LABELS[$i]}" "${MEDIANS[$i]}" "$ratio" \
        "${REDIS_CPU[$i]}" "${GATEWAY_CPU[$i]}"
done
echo
echo "HTTP requests per 1 000 keys (upstash-tui scan): $PER_1000 ($REQUESTS for $KEYS keys)"
echo "gateway resident memory before / after the timed runs: $((RSS_BEFORE / 1024)) MiB / $((RSS_AFTER / 1024)) MiB"

fail=0
check() { if (( $(echo "$1" | bc) )); then echo "target met: $2"; else echo "TARGET MISSED: $2"; fail=1; fi; }
check "${MEDIANS[0]} <= ${MEDIANS[2]}" "no slower than the redis-py loop"
check "${MEDIANS[0]} * 3 <= ${MEDIANS[3]}" "at least 3x faster than the SDK loop"
check "${MEDIANS[0]} * 5 <= ${MEDIANS[1]}" "at least 5x faster than redis-cli --scan"
check "$PER_1000 <= 1" "at most one HTTP request per 1 000 keys"
exit $fail
