#!/usr/bin/env bash
# VLServe's default performance suite (the vllm-ascend run-performance-benchmarks.sh idea, for vlserve):
# builds vlserve and vlbench in release mode, then runs `vlbench compare --repeats $REPEATS` once per
# scenario, each scenario against every conv implementation (every variant REPEATS times, interleaved,
# each run on a fresh server), and writes everything under one results folder:
#
#   <out>/<scenario>/{<variant>-run<k>.json,<variant>-run<k>.server.log,report.md,chart.svg,ttft-cdf.svg}
#   <out>/client-overhead.txt      vlbench's own send lag (100 and 1000 req/s), streams, CPU per 1000 chunks
#   <out>/README.md                index of the reports, with the CPU, core count and BLAS kernel
#
# The README's end-to-end figures come only from this script at REPEATS >= 5 (the default): each report
# gives means with 95% confidence intervals and marks the changes whose interval excludes zero.
#
# Usage: scripts/run-performance-benchmarks.sh [OUT_DIR]
# Environment:
#   MODEL_DIR      model config directory (default models/qwen2.5-vl-7b)
#   CONV_IMPLS     comma list of variants (default direct,im2col,gemm)
#   TEST_SELECTOR  regex; only scenarios whose name matches run (default: all)
#   SERVER_ARGS    extra vlserve flags for every variant (default empty)
#   REPEATS        runs per variant and scenario (default 5; 2 or 3 for a quick look, 1 gives no intervals)
#   VIT_SERVER_ARGS  vlserve flags of the vit_operators_448 scenario (default --gemm-backend onednn)
#   SKIP_BUILD=1   use existing binaries from $BIN (default .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-results/perf-$(date -u +%Y%m%d-%H%M%S)}
MODEL_DIR=${MODEL_DIR:-models/qwen2.5-vl-7b}
CONV_IMPLS=${CONV_IMPLS:-direct,im2col,gemm}
TEST_SELECTOR=${TEST_SELECTOR:-.}
SERVER_ARGS=${SERVER_ARGS:-}
REPEATS=${REPEATS:-5}
BIN=${BIN:-.build/release}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product vlserve
    swift build -c release --product vlbench
fi
mkdir -p "$OUT"
echo "Results go to $OUT"

# name | vlbench flags (the workload every variant gets; same seed everywhere) [| extra vlserve flags]
SCENARIOS=(
  # The reference scenario: 200 requests at 16 req/s, one random-noise image each (256x256 or 1280x720).
  "serving_random_mm_1img_qps16|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 200 --request-rate 16 --random-input-len 128 --random-output-len 128 --random-mm-base-items-per-request 1 --seed 0"
  # Same images, all at once: how the vision path behaves under a burst.
  "serving_random_mm_1img_qpsinf|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 200 --request-rate inf --random-input-len 128 --random-output-len 128 --random-mm-base-items-per-request 1 --seed 0"
  # Small images only (256x256), where per-request overheads dominate.
  "serving_random_mm_small_qps16|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 200 --request-rate 16 --random-input-len 128 --random-output-len 128 --random-mm-bucket-config {(256,256,1):1.0} --seed 0"
  # Text only: the conv implementation should not matter here (a control).
  "serving_random_text_qps16|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random --num-prompts 200 --request-rate 16 --random-input-len 1024 --random-output-len 128 --seed 0"
  # Images per second through the whole server (HTTP, base64, decode, preprocess, patch embedding):
  # cost model at zero and one output token, so request throughput = images/s.
  "vision_images_per_s_448|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 64 --request-rate inf --max-concurrency 8 --random-input-len 16 --random-output-len 1 --random-mm-bucket-config {(448,448,1):1.0} --seed 0|--decode-step-ms 0 --decode-ms-per-seq 0 --prefill-ms-per-1k-tokens 0"
  "vision_images_per_s_720p|--backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 64 --request-rate inf --max-concurrency 8 --random-input-len 16 --random-output-len 1 --random-mm-bucket-config {(720,1280,1):1.0} --seed 0|--decode-step-ms 0 --decode-ms-per-seq 0 --prefill-ms-per-1k-tokens 0"
)

INDEX="$OUT/README.md"
{
    echo "# VLServe performance suite"
    echo
    echo "Date (UTC): $(date -u +%Y-%m-%dT%H:%M:%SZ). Machine: $(nproc) cores, $(uname -sr)."
    echo "CPU: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)."
    # OpenBLAS names the kernel it picked for this CPU (e.g. Haswell, SkylakeX) in its config string.
    echo "BLAS: $(python3 -c 'import ctypes,ctypes.util; l=ctypes.CDLL(ctypes.util.find_library("openblas")); l.openblas_get_config.restype=ctypes.c_char_p; print(l.openblas_get_config().decode())' 2>/dev/null || echo unknown)."
    echo "Model config: $MODEL_DIR. Variants: $CONV_IMPLS. Extra server flags: ${SERVER_ARGS:-none}."
    echo "Runs per variant: $REPEATS (interleaved, a fresh server per run; intervals are 95%)."
    echo
    echo "| Scenario | Workload | Report |"
    echo "|---|---|---|"
} > "$INDEX"

for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name flags scenario_server_args <<<"$entry"
    if ! [[ "$name" =~ $TEST_SELECTOR ]]; then continue; fi
    echo "=== $name"
    # shellcheck disable=SC2086
    "$BIN/vlbench" compare --vlserve "$BIN/vlserve" --conv-impls "$CONV_IMPLS" --repeats "$REPEATS" \
        --server-args="--model-dir $MODEL_DIR $SERVER_ARGS ${scenario_server_args:-}" --output-dir "$OUT/$name" \
        --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 $flags \
        | tee "$OUT/$name.stdout.txt"
    echo "| $name | \`$flags\` | [report]($name/report.md), [chart]($name/chart.svg), [TTFT CDF]($name/ttft-cdf.svg) |" >> "$INDEX"
done

# ViT operator replacement (issue 11): the whole vision tower served (--vision-encoder full), the same seeded
# 448x448 workload against the all-reference tower, each operator replaced alone, and all fast operators. The
# rate is one the tower sustains on 2 cores (~6 s per image in float32); VIT_SERVER_ARGS picks the GEMMs
# (default --gemm-backend onednn: Debian's OpenBLAS runs its generic kernels on CPUs it does not know).
VIT_SERVER_ARGS=${VIT_SERVER_ARGS:---gemm-backend onednn}
if [[ "vit_operators_448" =~ $TEST_SELECTOR ]]; then
    echo "=== vit_operators_448"
    REF="--vision-encoder full --vit-attention reference --vit-rotary table --vit-norm reference --vit-mlp reference"
    # shellcheck disable=SC2086
    "$BIN/vlbench" compare --vlserve "$BIN/vlserve" --repeats "$REPEATS" \
        --variant "reference=$REF" \
        --variant "attention-flash=${REF/--vit-attention reference/--vit-attention flash}" \
        --variant "rotary-fused=${REF/--vit-rotary table/--vit-rotary fused}" \
        --variant "norm-fused=${REF/--vit-norm reference/--vit-norm fused}" \
        --variant "mlp-fused=${REF/--vit-mlp reference/--vit-mlp fused}" \
        --variant "all-fast=--vision-encoder full" \
        --server-args="--model-dir $MODEL_DIR $SERVER_ARGS $VIT_SERVER_ARGS --max-patches-per-step 1024" \
        --output-dir "$OUT/vit_operators_448" --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 \
        --backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 8 \
        --request-rate 0.1 --random-input-len 64 --random-output-len 32 --random-mm-bucket-config "{(448,448,1):1.0}" \
        --seed 0 | tee "$OUT/vit_operators_448.stdout.txt"
    echo "| vit_operators_448 | whole tower, 8 requests at 0.1 req/s, one 448x448 image each; reference vs each fast operator | [report](vit_operators_448/report.md) |" >> "$INDEX"
fi

# The image cache (issue 13): random-mm requests of which half repeat an image an earlier request sent
# (--random-mm-reuse-ratio 0.5, a vlbench extension), served with the cache off and at vLLM's default 4 GiB.
# scripts/bench-cache.sh runs the same comparison once and also prints the hit counters from /metrics.
if [[ "image_cache_reuse50" =~ $TEST_SELECTOR ]]; then
    echo "=== image_cache_reuse50"
    # shellcheck disable=SC2086
    "$BIN/vlbench" compare --vlserve "$BIN/vlserve" --repeats "$REPEATS" \
        --variant "cache-off=--mm-processor-cache-gb 0" --variant "cache-4gib=--mm-processor-cache-gb 4" \
        --server-args="--model-dir $MODEL_DIR $SERVER_ARGS" --output-dir "$OUT/image_cache_reuse50" \
        --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 \
        --backend openai-chat --endpoint /v1/chat/completions --dataset-name random-mm --num-prompts 200 \
        --request-rate 16 --random-input-len 128 --random-output-len 128 --random-mm-base-items-per-request 1 \
        --random-mm-reuse-ratio 0.5 --seed 0 | tee "$OUT/image_cache_reuse50.stdout.txt"
    echo "| image_cache_reuse50 | the reference random-mm workload with half the images repeated; cache off vs 4 GiB | [report](image_cache_reuse50/report.md) |" >> "$INDEX"
fi

# vlbench's own overhead: send lag against the schedule, most concurrent streams, CPU per 1000 chunks.
if [[ "client_overhead" =~ $TEST_SELECTOR ]]; then
    echo "=== client_overhead"
    LOG="$OUT/client-overhead.server.log"
    "$BIN/vlserve" serve --host 127.0.0.1 --port 0 --model-dir "$MODEL_DIR" --max-num-seqs 10240 \
        --max-waiting-requests 100000 --decode-step-ms 5 --per-seq-ms 0 $SERVER_ARGS > "$LOG" 2>&1 &
    SERVER_PID=$!
    trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
    PORT=""
    for _ in $(seq 1 600); do
        PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$LOG" | head -1 | sed 's/.*://') || true
        if [[ -n "$PORT" ]] && curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; then break; fi
        sleep 0.5
    done
    COMMON="--base-url http://127.0.0.1:$PORT --backend openai-chat --endpoint /v1/chat/completions --dataset-name random --random-input-len 16 --disable-tqdm --report-send-lag"
    {
        echo "# vlbench client overhead ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
        for rate in 100 1000; do
            echo "## request rate $rate req/s (2000 requests, 32 output tokens each)"
            # shellcheck disable=SC2086
            "$BIN/vlbench" $COMMON --num-prompts 2000 --request-rate $rate --random-output-len 32 | grep -E '^vlbench:|Successful|Failed|Peak concurrent'
        done
        echo "## concurrent streams (10000 requests at once, 400 output tokens each)"
        # shellcheck disable=SC2086
        "$BIN/vlbench" $COMMON --num-prompts 10000 --request-rate inf --random-output-len 400 | grep -E '^vlbench:|Successful|Failed|Peak concurrent'
    } | tee "$OUT/client-overhead.txt"
    kill $SERVER_PID 2>/dev/null || true
    wait $SERVER_PID 2>/dev/null || true
    echo "| client_overhead | send lag at 100 and 1000 req/s, 10000 concurrent streams | [client-overhead.txt](client-overhead.txt) |" >> "$INDEX"
fi

{
    echo
    echo "## All runs (median latencies, one row per run; the reports above give means with intervals)"
    echo
    "$BIN/vlbench" summarize "$OUT"
} >> "$INDEX"
echo "Done: $INDEX"
