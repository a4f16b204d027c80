#!/usr/bin/env bash
# Builds VLServe's libFuzzer targets (Fuzz/, with AddressSanitizer) and runs each for a given time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET...]
#
# Targets: FuzzHTTPRequestParser, FuzzChatRequest, FuzzJPEGDecoder, FuzzPNGDecoder (default: all).
# Seed corpora are committed under Fuzz/corpus/<name>; new inputs found while fuzzing go to
# .build-fuzz/corpus/<name> (git-ignored) and crashes to .build-fuzz/crashes/. Prints executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"; shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(FuzzHTTPRequestParser FuzzChatRequest FuzzJPEGDecoder FuzzPNGDecoder)
scripts/install-deps.sh
echo "==> building fuzz targets (-sanitize=fuzzer,address)"
mkdir -p .build-fuzz
if ! swift build --package-path Fuzz --scratch-path "$PWD/.build-fuzz/build" -c release \
        --sanitize=fuzzer --sanitize=address >.build-fuzz/build.log 2>&1; then
    echo "error: the fuzz targets did not build; the end of .build-fuzz/build.log:" >&2
    tail -30 .build-fuzz/build.log >&2
    exit 1
fi
BIN="$(swift build --package-path Fuzz --scratch-path "$PWD/.build-fuzz/build" -c release --show-bin-path)"
declare -A CORPUS=([FuzzHTTPRequestParser]=http [FuzzChatRequest]=chat [FuzzJPEGDecoder]=jpeg [FuzzPNGDecoder]=png)
mkdir -p .build-fuzz/crashes
summary=()
for target in "${TARGETS[@]}"; do
    name="${CORPUS[$target]}"
    work=".build-fuzz/corpus/$name"; mkdir -p "$work"
    echo "==> $target for ${SECONDS_PER_TARGET}s (seeds: Fuzz/corpus/$name)"
    log=".build-fuzz/$target.log"
    set +e
    "$BIN/$target" "$work" "Fuzz/corpus/$name" -max_total_time="$SECONDS_PER_TARGET" \
        -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$target-" -rss_limit_mb=4096 >"$log" 2>&1
    rc=$?
    set -e
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    summary+=("$(printf '%-24s %12s executions  exit %d' "$target" "${execs:-?}" "$rc")")
    if ((rc != 0)); then echo "    FAILED: see $log and .build-fuzz/crashes/"; tail -30 "$log"; fi
done
echo; printf '%s\n' "${summary[@]}"
