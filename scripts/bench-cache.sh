#!/usr/bin/env bash
# The image cache (--mm-processor-cache-gb) on a reuse workload: the same seeded vlbench random-mm run, where a
# share of the requests repeats an image an earlier request sent (--random-mm-reuse-ratio, a vlbench extension),
# against a fresh vlserve with the cache on (vLLM's default, 4 GiB) and off (0). Prints, per mode, vlbench's
# mean and median TTFT and the server's cache counters (vllm:mm_cache_queries / vllm:mm_cache_hits) and
# encoder work (vlserve:vision_encoder_images) from /metrics.
#
#   scripts/bench-cache.sh [--num-prompts 100] [--reuse 0.5] [--rate 8] [--seed 0] [--skip-build] [-- VLSERVE FLAGS]
#
# Runs on 127.0.0.1 only; everything else is the vlserve and vlbench defaults (the 7B config's preprocessor,
# seeded patch-embedding weights, the default cost model, images 256x256 or 1280x720 at 0.5 each).
set -euo pipefail
cd "$(dirname "$0")/.."
NUM_PROMPTS=100
REUSE=0.5
RATE=8
SEED=0
SKIP_BUILD=0
BIN=${BIN:-.build/release}
MODEL_DIR=${MODEL_DIR:-models/qwen2.5-vl-7b}
EXTRA=()
while (($#)); do
    case "$1" in
        --num-prompts) NUM_PROMPTS="$2"; shift 2 ;;
        --reuse) REUSE="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
if ((SKIP_BUILD == 0)); then
    swift build -c release --product vlserve >/dev/null
    swift build -c release --product vlbench >/dev/null
fi
OUT=$(mktemp -d /tmp/bench-cache.XXXXXX)
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# metric NAME FILE: the value of the first sample of NAME (any labels), or 0.
metric() { awk -v n="$1" '$1 ~ "^"n"({|$)" {print $2; found=1; exit} END {if (!found) print 0}' "$2"; }

# phases LOG: per mm_cache value of the request log lines, "value: n=N preprocess P ms, encode E ms" (medians).
phases() {
    for kind in hit partial miss off; do
        grep "finish=" "$1" | grep "mm_cache=$kind" | awk -v k="$kind" 'BEGIN { n = 0 }
            { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "preprocess_ms") p[n] = kv[2]; if (kv[1] == "encode_ms") e[n] = kv[2] } n++ }
            function median(a, m,  i, j, t) { for (i = 0; i < m; i++) for (j = i + 1; j < m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                                             return m % 2 ? a[int(m / 2)] : (a[m / 2 - 1] + a[m / 2]) / 2 }
            END { if (n) printf "%s: n=%d preprocess %.2f ms, encode %.2f ms; ", k, n, median(p, n), median(e, n) }'
    done
}

echo "==> $NUM_PROMPTS requests at $RATE req/s, reuse ratio $REUSE, seed $SEED; $(nproc) cores; logs in $OUT"
printf '%-10s %14s %16s %9s %7s %14s %s\n' "cache" "mean TTFT ms" "median TTFT ms" "queries" "hits" "images encoded" \
    "  median preprocess_ms / encode_ms by mm_cache (server log)"
for GB in 4 0; do
    LOG="$OUT/vlserve-cache$GB.log"
    "$BIN/vlserve" serve --host 127.0.0.1 --port 0 --model-dir "$MODEL_DIR" --mm-processor-cache-gb "$GB" \
        ${EXTRA[@]+"${EXTRA[@]}"} >"$LOG" 2>&1 &
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 1 600); do
        PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$LOG" | head -1 | sed 's/.*://') || true
        if [[ -n "$PORT" ]] && curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "vlserve exited; see $LOG" >&2; exit 1; }
        sleep 0.5
    done
    "$BIN/vlbench" --base-url "http://127.0.0.1:$PORT" --backend openai-chat --endpoint /v1/chat/completions \
        --dataset-name random-mm --num-prompts "$NUM_PROMPTS" --request-rate "$RATE" --random-input-len 128 \
        --random-output-len 32 --random-mm-base-items-per-request 1 --random-mm-reuse-ratio "$REUSE" --seed "$SEED" \
        --percentile-metrics ttft --metric-percentiles 50 --disable-tqdm >"$OUT/vlbench-cache$GB.txt"
    curl -sf "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics-cache$GB.txt"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    grep -q "Failed requests: *0" "$OUT/vlbench-cache$GB.txt" || echo "note: failed requests, see $OUT/vlbench-cache$GB.txt" >&2
    MEAN=$(awk -F: '/Mean TTFT/ {gsub(/ /, "", $2); print $2}' "$OUT/vlbench-cache$GB.txt")
    MEDIAN=$(awk -F: '/Median TTFT/ {gsub(/ /, "", $2); print $2}' "$OUT/vlbench-cache$GB.txt")
    M="$OUT/metrics-cache$GB.txt"
    printf '%-10s %14s %16s %9.0f %7.0f %14.0f   %s\n' "$([[ $GB == 0 ]] && echo off || echo "${GB} GiB")" "$MEAN" "$MEDIAN" \
        "$(metric vllm:mm_cache_queries_total "$M")" "$(metric vllm:mm_cache_hits_total "$M")" \
        "$(metric vlserve:vision_encoder_images_total "$M")" "$(phases "$LOG")"
done
