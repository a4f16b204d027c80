#!/usr/bin/env bash
# Side-by-side HTTP benchmark: vlserve (decoder cost at zero, so only its real work is measured: parsing,
# validation, scheduling, tokens, JSON chunks) against a canned Hummingbird/SwiftNIO server
# (Benchmarks/CannedServer), under the same wrk load, in one run. Prints requests/s, chunks/s, p99 and
# peak RSS of each, and the ratio vlserve / Hummingbird.
#
#   scripts/bench-server.sh [--duration 10] [--skip-build]
#
# Needs wrk (installed by this script through scripts/install-deps.sh). Both servers and wrk share the machine's
# cores, as they would in any single-host measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
SKIP_BUILD=0
while (($#)); do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
VLSERVE_EXTRA_APT="wrk curl" scripts/install-deps.sh
if ((SKIP_BUILD == 0)); then
    echo "==> building vlserve (release)"
    swift build -c release --product vlserve >/dev/null
    echo "==> building the canned Hummingbird server (release; first build takes a few minutes)"
    (cd Benchmarks/CannedServer && swift build -c release >/dev/null)
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
VLSERVE_PORT=18000
CANNED_PORT=18001
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_health() {
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server on port $1 did not become healthy" >&2; exit 1
}

.build/release/vlserve serve --port "$VLSERVE_PORT" --model-dir models/qwen2.5-vl-7b \
    --decode-step-ms 0 --decode-ms-per-seq 0 --prefill-ms-per-1k-tokens 0 \
    --max-num-seqs 4096 --log-level warning >/tmp/vlserve-bench.log 2>&1 &
pids+=($!); VLSERVE_PID=$!
Benchmarks/CannedServer/.build/release/canned-server --port "$CANNED_PORT" >/tmp/canned-bench.log 2>&1 &
pids+=($!); CANNED_PID=$!
wait_health "$VLSERVE_PORT"; wait_health "$CANNED_PORT"

# run_wrk PORT CONNECTIONS SCRIPT -> prints "rps p99ms"
run_wrk() {
    local out
    out=$(wrk -t2 -c"$2" -d"${DURATION}s" --latency --timeout 10s -s "scripts/wrk/$3" "http://127.0.0.1:$1" 2>&1)
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    [[ -n "$errors" ]] && echo "    note ($1, c=$2, $3): $errors" >&2
    echo "$rps $(to_ms "$p99")"
}
to_ms() { # wrk prints 1.23ms / 456.00us / 1.02s
    local v="$1"
    case "$v" in
        *us) awk -v x="${v%us}" 'BEGIN {printf "%.2f", x/1000}' ;;
        *ms) awk -v x="${v%ms}" 'BEGIN {printf "%.2f", x}' ;;
        *s) awk -v x="${v%s}" 'BEGIN {printf "%.2f", x*1000}' ;;
        *) echo "n/a" ;;
    esac
}
rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

printf "\n%-34s %14s %14s %8s\n" "scenario" "vlserve" "hummingbird" "ratio"
row() { # label metric_v metric_h  (higher is better unless 4th arg = lower)
    local ratio
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "n/a" }')
    printf "%-34s %14s %14s %8s\n" "$1" "$2" "$3" "$ratio"
}
for c in 64 1024; do
    read -r v_rps v_p99 < <(run_wrk "$VLSERVE_PORT" "$c" chat.lua)
    read -r h_rps h_p99 < <(run_wrk "$CANNED_PORT" "$c" chat.lua)
    row "non-streaming req/s, c=$c" "$v_rps" "$h_rps"
    row "non-streaming p99 ms, c=$c" "$v_p99" "$h_p99"
done
for c in 64 1024; do
    read -r v_rps v_p99 < <(run_wrk "$VLSERVE_PORT" "$c" chat-stream.lua)
    read -r h_rps h_p99 < <(run_wrk "$CANNED_PORT" "$c" chat-stream.lua)
    row "streams/s (64 tok), c=$c" "$v_rps" "$h_rps"
    row "chunks/s (66 events/stream), c=$c" "$(awk -v x="$v_rps" 'BEGIN {printf "%.0f", x*66}')" "$(awk -v x="$h_rps" 'BEGIN {printf "%.0f", x*66}')"
    row "stream p99 ms, c=$c" "$v_p99" "$h_p99"
done
row "peak RSS MB" "$(rss_mb "$VLSERVE_PID")" "$(rss_mb "$CANNED_PID")"
echo
echo "(ratio = vlserve / hummingbird; for p99 and RSS lower is better)"
