#!/usr/bin/env bash
# Side-by-side HTTP benchmark: vlserve (decoder cost at zero, so only its real work is measured: parsing,
# validation, chat template and tokens, scheduling, the stub decoder, JSON bodies and SSE chunks) against the
# canned Hummingbird 2 / SwiftNIO server of Benchmarks/CannedServer (Codable decode, canned responses of the
# same shape), under the same wrk load, in one run. Both servers run at once; for each scenario the wrk runs
# alternate between them (vlserve, Hummingbird, vlserve, ...) for --rounds rounds, so both see the same machine.
# Prints the median requests/s and p99 of each side (per-round figures above the table), the ratio vlserve /
# Hummingbird, and the peak RSS of each.
#
#   scripts/bench-server.sh [--duration 10] [--rounds 3] [--skip-build]
#
# Needs wrk (installed by this script through scripts/install-deps.sh). Both servers and wrk share the machine's
# cores, as they would in any single-host measurement. Only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
ROUNDS=3
SKIP_BUILD=0
while (($#)); do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
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

echo "==> $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $(nproc) cores;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

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
median() { # FORMAT VALUES...
    local format="$1"; shift
    tr ' ' '\n' <<<"$*" | grep -v '^$' | sort -g |
        awk -v f="$format" '{a[NR] = $1} END {printf f, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

rows=()
row() { # label metric_v metric_h
    local ratio
    ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "n/a" }')
    rows+=("$(printf "%-34s %14s %14s %8s" "$1" "$2" "$3" "$ratio")")
}

# scenario SCRIPT CONNECTIONS LABEL: ROUNDS alternating runs, medians into the table.
scenario() {
    local v_rps=() v_p99=() h_rps=() h_p99=() r a b
    for r in $(seq 1 "$ROUNDS"); do
        read -r a b < <(run_wrk "$VLSERVE_PORT" "$2" "$1"); v_rps+=("$a"); v_p99+=("$b")
        read -r a b < <(run_wrk "$CANNED_PORT" "$2" "$1"); h_rps+=("$a"); h_p99+=("$b")
        echo "    $3, c=$2, round $r: vlserve ${v_rps[-1]} req/s (p99 ${v_p99[-1]} ms), hummingbird ${h_rps[-1]} req/s (p99 ${h_p99[-1]} ms), load $(cut -d' ' -f1 /proc/loadavg)"
    done
    MED_V=$(median %.0f "${v_rps[@]}"); MED_H=$(median %.0f "${h_rps[@]}")
    P99_V=$(median %.1f "${v_p99[@]}"); P99_H=$(median %.1f "${h_p99[@]}")
}
for c in 64 1024; do
    scenario chat.lua "$c" "non-streaming"
    row "non-streaming req/s, c=$c" "$MED_V" "$MED_H"
    row "non-streaming p99 ms, c=$c" "$P99_V" "$P99_H"
done
for c in 64 1024; do
    scenario chat-stream.lua "$c" "streaming"
    row "streams/s (64 tok), c=$c" "$MED_V" "$MED_H"
    row "chunks/s (66 events/stream), c=$c" "$(awk -v x="$MED_V" 'BEGIN {printf "%.0f", x*66}')" "$(awk -v x="$MED_H" 'BEGIN {printf "%.0f", x*66}')"
    row "stream p99 ms, c=$c" "$P99_V" "$P99_H"
done
row "peak RSS MB" "$(rss_mb "$VLSERVE_PID")" "$(rss_mb "$CANNED_PID")"

printf "\n%-34s %14s %14s %8s\n" "scenario (median of $ROUNDS)" "vlserve" "hummingbird" "ratio"
printf "%s\n" "${rows[@]}"
echo
echo "(ratio = vlserve / hummingbird; for p99 and RSS lower is better)"
