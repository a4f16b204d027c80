#!/usr/bin/env bash
# Soak test: vlbench traffic with images against vlserve, mixed with abusive clients (slow, stalled,
# disconnecting, resetting, garbage, malformed JSON, never-reading), while sampling the server's RSS and
# open descriptors every 5 s.
#
#   scripts/soak.sh [--duration SECONDS=600] [--rate REQ_PER_S=4] [--skip-build]
#
# Fails (exit 1) if a well-formed request fails, if RSS keeps growing after warm-up (the floor, i.e. the
# lowest sample, of the last quarter more than 25% and 64 MB above the floor of the second quarter: peaks
# follow the backlog of queued images and glibc keeps freed memory for a while, a leak raises the floor),
# or if descriptors leak
# (more open at the end, after the abusive clients are gone, than at the start plus 8).
# Samples go to results/soak-<time>/samples.csv.
#
# The server runs with fixed glibc malloc thresholds (SOAK_GLIBC_TUNABLES; set it empty for glibc's defaults).
# By default glibc raises its trim threshold to twice the largest buffer freed (a 1280x720 image's pixel_values
# is 22.5 MB), and malloc_trim cannot shrink the top of a thread arena, so each arena keeps up to ~45 MB resident
# after the biggest burst it has seen: the RSS floor then steps up with the highest image concurrency so far,
# which hides a real leak. With fixed thresholds freed memory goes back to the OS and the floor shows live memory.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=600; RATE=4; SKIP_BUILD=0
while (($#)); do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
VLSERVE_EXTRA_APT="curl python3" scripts/install-deps.sh
if ((SKIP_BUILD == 0)); then
    echo "==> building vlserve and vlbench (release)"
    swift build -c release --product vlserve >/dev/null
    swift build -c release --product vlbench >/dev/null
fi
BIN=$(swift build -c release --show-bin-path)
OUT="results/soak-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=18100
TUNABLES=${SOAK_GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=8388608}
echo "==> vlserve with GLIBC_TUNABLES='$TUNABLES'"
GLIBC_TUNABLES="$TUNABLES" "$BIN/vlserve" serve --port "$PORT" --model-dir models/qwen2.5-vl-7b --log-level warning >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER $ABUSE $SAMPLER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
sample() { echo "$(date +%s),$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status),$(ls /proc/$SERVER/fd | wc -l)"; }
echo "time,rss_kb,fds" >"$OUT/samples.csv"
START_SAMPLE=$(sample); echo "$START_SAMPLE" >>"$OUT/samples.csv"
( while kill -0 $SERVER 2>/dev/null; do sleep 5; sample >>"$OUT/samples.csv"; done ) & SAMPLER=$!
python3 scripts/abusive_clients.py --port "$PORT" --duration "$DURATION" >"$OUT/abusive.log" 2>&1 & ABUSE=$!

echo "==> soaking for ${DURATION}s at ${RATE} req/s (random-mm images) with abusive clients; samples in $OUT"
end=$(( $(date +%s) + DURATION )); round=0; served=0; failed=0
while (( $(date +%s) < end )); do
    round=$((round + 1))
    n=$(( RATE * 30 ))
    "$BIN/vlbench" --backend openai-chat --base-url "http://127.0.0.1:$PORT" --dataset-name random-mm \
        --num-prompts "$n" --request-rate "$RATE" --seed "$round" --random-input-len 64 --random-output-len 32 \
        --random-mm-bucket-config '{(256, 256, 1): 0.7, (720, 1280, 1): 0.3}' --disable-tqdm \
        --save-result --result-dir "$OUT" --result-filename "round-$round.json" >"$OUT/round-$round.log" 2>&1 || true
    c=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['completed'], d['failed'])" "$OUT/round-$round.json" 2>/dev/null || echo "0 $n")
    read -r ok bad <<<"$c"
    served=$((served + ok)); failed=$((failed + bad))
    echo "    round $round: $ok completed, $bad failed"
done
wait $ABUSE || true
sleep 6   # let timeouts close what the abusive clients left behind
END_SAMPLE=$(sample); echo "$END_SAMPLE" >>"$OUT/samples.csv"
kill $SAMPLER 2>/dev/null || true
cat "$OUT/abusive.log"
python3 - "$OUT/samples.csv" "$START_SAMPLE" "$END_SAMPLE" "$served" "$failed" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
rss = [int(r["rss_kb"]) / 1024 for r in rows]
q = max(1, len(rss) // 4)
warm = min(rss[q:2*q]) if len(rss) >= 4 else rss[0]
last = min(rss[-q:])
s0, s1 = sys.argv[2].split(","), sys.argv[3].split(",")
fd0, fd1 = int(s0[2]), int(s1[2])
served, failed = int(sys.argv[4]), int(sys.argv[5])
print(f"requests served {served}, failed {failed}")
print(f"RSS start {int(s0[1])/1024:.1f} MB, floor after warm-up {warm:.1f} MB, floor of the last quarter {last:.1f} MB, "
      f"peak {max(rss):.1f} MB, end {int(s1[1])/1024:.1f} MB")
print(f"descriptors start {fd0}, end {fd1}")
bad = []
if failed: bad.append(f"{failed} well-formed requests failed")
if last > warm * 1.25 and last - warm > 64: bad.append("RSS kept growing after warm-up")
if fd1 > fd0 + 8: bad.append("descriptors leaked")
print("SOAK " + ("FAILED: " + "; ".join(bad) if bad else "PASSED"))
sys.exit(1 if bad else 0)
PY
