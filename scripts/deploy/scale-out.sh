#!/usr/bin/env bash
# N vlserve replicas behind nginx and/or HAProxy on loopback, checked end to end; the Kubernetes manifests
# validated offline. Prints a summary table (PASS/FAIL per step, with figures) and exits non-zero on any FAIL.
#
#   scripts/deploy/scale-out.sh [--balancer nginx|haproxy|both] [--replicas 3] [--quick] [--out DIR]
#
# For each balancer, on fresh replicas:
#   overhead  the same vlbench workload (one request at a time, so every request meets an idle engine) sent
#             direct to one replica and through the balancer: mean and p99 TTFT and ITL, and the difference
#   chunks    one 50-token stream through the balancer arrives event by event, spread over its ~1 s
#   sticky    requests with X-Session-ID stay on one replica; requests without it are spread
#   body      a 12 MiB body passes to a replica (vlserve's limit is 16 MiB); a 17 MiB one gets 413
#   kill      under vlbench load with images, SIGKILL one replica while streams are in flight on it: only
#             requests in flight on it may fail (none sent after the kill), every other stream completes
#   drain     the same load, SIGTERM another replica with streams in flight on it: every stream completes
#             with [DONE], vlbench sees no failure, the replica exits 0
# then `kubernetes-validate --strict` on scripts/deploy/k8s/*.yaml (no cluster needed), and k8s_check.py for
# what schemas cannot see (selectors, autoscaler targets, probes, grace period > preStop + drain timeout).
#
# Installs what is missing: nginx-light / haproxy (apt, as scripts/install-deps.sh does), a venv with
# kubernetes-validate (PyPI) under .build/deploy-venv; builds vlserve and vlbench in release. Everything runs
# as the current user on 127.0.0.1; results, configs and logs go to --out (default results/scale-out-<time>).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEPLOY="$ROOT/scripts/deploy"

BALANCER=both REPLICAS=3 QUICK=0 OUT=""
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
    case "$1" in
        --balancer) BALANCER=$2; shift 2 ;;
        --replicas) REPLICAS=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "scale-out.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$BALANCER" in nginx) BALANCERS=(nginx) ;; haproxy) BALANCERS=(haproxy) ;; both) BALANCERS=(nginx haproxy) ;;
    *) echo "scale-out.sh: --balancer must be nginx, haproxy or both, got $BALANCER" >&2; exit 2 ;; esac
if ! [[ "$REPLICAS" =~ ^[0-9]+$ ]] || ((REPLICAS < 3)); then
    echo "scale-out.sh: --replicas must be at least 3 (one is killed and one drained, one must remain)" >&2; exit 2
fi
OUT=${OUT:-$ROOT/results/scale-out-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Workload sizes. The stub decoder sleeps --decode-step-ms (20) per token; --decode-ms-per-seq 0 makes a
# step's time independent of the batch, so a replica that holds more requests (direct) is not slower per
# token than one holding a third of them (behind the balancer).
STEP_MS=20
if ((QUICK)); then OVERHEAD_PROMPTS=20 LOAD_PROMPTS=60; else OVERHEAD_PROMPTS=60 LOAD_PROMPTS=90; fi
LOAD_RATE=6

# ---------------------------------------------------------------- install and build
need=()
for b in "${BALANCERS[@]}"; do
    case "$b" in
        nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light) ;;
        haproxy) command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy) ;;
    esac
done
VLSERVE_EXTRA_APT="${need[*]:-}" "$ROOT/scripts/install-deps.sh"
export PATH="$PATH:/usr/sbin"
VENV="$ROOT/.build/deploy-venv"
if [ ! -x "$VENV/bin/kubernetes-validate" ]; then
    echo "==> creating $VENV with kubernetes-validate"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q kubernetes-validate
fi
echo "==> building vlserve and vlbench (release)"
(cd "$ROOT" && swift build -c release --product vlserve >/dev/null && swift build -c release --product vlbench >/dev/null)
BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
VLSERVE="$BIN/vlserve" VLBENCH="$BIN/vlbench"

# ---------------------------------------------------------------- processes
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for CMD... : retries CMD every 0.1 s for up to 60 s.
wait_for() {
    for _ in $(seq 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

REPLICA_PID=() REPLICA_PORT=()
start_replicas() {   # $1 = run directory
    local i log
    REPLICA_PID=() REPLICA_PORT=()
    for ((i = 1; i <= REPLICAS; i++)); do
        log="$1/replica-$i.log"
        # One event loop, one image thread, one GEMM thread, oneDNN: the replicas share this machine's cores.
        (cd "$ROOT" && exec "$VLSERVE" serve --port 0 --event-loops 1 --image-threads 1 --vision-threads 1 \
            --gemm-backend onednn --decode-step-ms "$STEP_MS" --decode-ms-per-seq 0 --log-level info) >"$log" 2>&1 &
        REPLICA_PID[i]=$!
        PIDS+=("$!")
    done
    for ((i = 1; i <= REPLICAS; i++)); do
        log="$1/replica-$i.log"
        if ! wait_for grep -q "listening on" "$log"; then
            echo "replica $i did not start; its log ($log):" >&2; tail -20 "$log" >&2; exit 1
        fi
        REPLICA_PORT[i]=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')
    done
}

BALANCER_PID="" BALANCER_URL=""
start_balancer() {   # $1 = nginx|haproxy, $2 = run directory
    local kind=$1 dir=$2 port servers="" track="" i user=""
    port=$(free_port)
    case "$kind" in
        nginx)
            mkdir -p "$dir"/{client_body,proxy,fastcgi,uwsgi,scgi}
            for ((i = 1; i <= REPLICAS; i++)); do
                servers+="server 127.0.0.1:${REPLICA_PORT[i]} max_fails=1 fail_timeout=5s;"$'\n'
            done
            # Workers of a root master would run as nobody and could not write the run directory.
            [ "$(id -u)" -eq 0 ] && user="user root;"
            python3 "$DEPLOY/render.py" "$DEPLOY/nginx.conf.template" "$dir/nginx.conf" RUN_DIR="$dir" \
                LISTEN="127.0.0.1:$port" USER="$user" SERVERS="${servers%$'\n'}"
            nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >"$dir/nginx.out" 2>&1 &
            ;;
        haproxy)
            for ((i = 1; i <= REPLICAS; i++)); do
                servers+="server r$i 127.0.0.1:${REPLICA_PORT[i]}"$'\n'
                track+="server r$i 127.0.0.1:${REPLICA_PORT[i]} track vlserve_least_conn/r$i"$'\n'
            done
            python3 "$DEPLOY/render.py" "$DEPLOY/haproxy.cfg.template" "$dir/haproxy.cfg" RUN_DIR="$dir" \
                BIND="127.0.0.1:$port" SERVERS="${servers%$'\n'}" SERVERS_TRACK="${track%$'\n'}"
            haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
            ;;
    esac
    BALANCER_PID=$!
    PIDS+=("$BALANCER_PID")
    BALANCER_URL="http://127.0.0.1:$port"
    if ! wait_for curl -sf "$BALANCER_URL/health"; then
        echo "$kind did not start; see $dir" >&2; exit 1
    fi
    # HAProxy: wait until every replica passed its first health checks (rise 2).
    wait_for python3 - "$BALANCER_URL" "$REPLICAS" <<'EOF' || true
import http.client, json, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); seen = set()
for _ in range(8 * int(sys.argv[2])):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    c.request("GET", "/v1/models"); r = c.getresponse(); r.read(); seen.add(r.getheader("X-Served-By")); c.close()
sys.exit(0 if len(seen) >= int(sys.argv[2]) else 1)
EOF
}

stop_all() { cleanup; }

# ---------------------------------------------------------------- summary
ROWS=()
FAILED=0
record() {   # $1 balancer, $2 step, $3 PASS|FAIL, $4 detail
    ROWS+=("$1|$2|$3|$4")
    [ "$3" = PASS ] || FAILED=1
    printf '  %-8s %-9s %s  %s\n' "$1" "$2" "$3" "$4"
}
# check BALANCER STEP CMD...: runs a stream_check.py-style command that prints "PASS ..." or "FAIL ...".
check() {
    local b=$1 step=$2 line
    shift 2
    line=$("$@" 2>&1 | tail -1) || true
    case "$line" in
        PASS\ *) record "$b" "$step" PASS "${line#PASS }" ;;
        FAIL\ *) record "$b" "$step" FAIL "${line#FAIL }" ;;
        *) record "$b" "$step" FAIL "no verdict: $line" ;;
    esac
}

# vlbench_run NAME URL ARGS...: one vlbench run, its JSON at $RUN/NAME.json and its table at $RUN/NAME.log.
vlbench_run() {
    local name=$1 url=$2
    shift 2
    "$VLBENCH" serve --backend openai-chat --base-url "$url" --endpoint /v1/chat/completions --seed 7 \
        --save-result --save-detailed --result-dir "$RUN" --result-filename "$name.json" --disable-tqdm \
        --percentile-metrics ttft,tpot,itl --metric-percentiles 50,99 "$@" >"$RUN/$name.log" 2>&1
}
OVERHEAD_ARGS=(--dataset-name random --random-input-len 256 --random-output-len 16 --num-prompts "$OVERHEAD_PROMPTS"
               --max-concurrency 1)
LOAD_ARGS=(--dataset-name random-mm --random-input-len 64 --random-output-len 48 --num-prompts "$LOAD_PROMPTS"
           --request-rate "$LOAD_RATE" --random-mm-base-items-per-request 1
           --random-mm-bucket-config '{(256, 256, 1): 1.0}')

overhead_figures() {   # direct.json proxied.json -> one detail line
    python3 - "$1" "$2" <<'EOF'
import json, sys
d, p = (json.load(open(f)) for f in sys.argv[1:3])
parts = []
for key, name in [("mean_ttft_ms", "mean TTFT"), ("p99_ttft_ms", "p99 TTFT"), ("mean_itl_ms", "mean ITL"), ("p99_itl_ms", "p99 ITL")]:
    parts.append(f"{name} {d[key]:.2f} -> {p[key]:.2f} ms ({p[key] - d[key]:+.2f})")
ok = d["failed"] == 0 and p["failed"] == 0
print(("PASS " if ok else "FAIL ") + f"direct -> via balancer, {p['completed']} requests each, failed {d['failed']}/{p['failed']}: " + "; ".join(parts))
EOF
}

# ---------------------------------------------------------------- per balancer
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)   # other work on the machine shows in the latency figures
for B in "${BALANCERS[@]}"; do
    RUN="$OUT/$B"
    mkdir -p "$RUN"
    echo "==> $B: $REPLICAS replicas + $B on 127.0.0.1 (logs and results in $RUN)"
    start_replicas "$RUN"
    start_balancer "$B" "$RUN"
    direct="http://127.0.0.1:${REPLICA_PORT[1]}"
    echo "    replicas on ports ${REPLICA_PORT[*]}, $B on $BALANCER_URL"
    # A replica's name as the balancer's X-Served-By header gives it, and back.
    if [ "$B" = nginx ]; then replica_name() { echo "127.0.0.1:${REPLICA_PORT[$1]}"; }; else replica_name() { echo "r$1"; }; fi
    replica_index() { local i; for ((i = 1; i <= REPLICAS; i++)); do [ "$(replica_name "$i")" = "$1" ] && echo "$i"; done; true; }

    # (a) The proxy's overhead: the same seeded workload direct, then through the balancer, then both again
    # in the other order, so drift on the shared machine does not favour either side.
    vlbench_run overhead-direct-1 "$direct" "${OVERHEAD_ARGS[@]}"
    vlbench_run overhead-proxied-1 "$BALANCER_URL" "${OVERHEAD_ARGS[@]}"
    vlbench_run overhead-proxied-2 "$BALANCER_URL" "${OVERHEAD_ARGS[@]}"
    vlbench_run overhead-direct-2 "$direct" "${OVERHEAD_ARGS[@]}"
    # Pool both runs of each side: mean and p99 over all their samples (vlbench's definitions: TTFT per
    # request, every inter-token gap), never an average of two runs' percentiles.
    python3 - "$RUN" <<'EOF'
import json, sys, os
run = sys.argv[1]

def percentile(values, q):   # numpy's default (linear interpolation), as vlbench and vLLM use
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)

for side in ("direct", "proxied"):
    runs = [json.load(open(os.path.join(run, f"overhead-{side}-{i}.json"))) for i in (1, 2)]
    ttft = [t * 1000 for r in runs for t, e in zip(r["ttfts"], r["errors"]) if not e]
    itl = [g * 1000 for r in runs for gaps, e in zip(r["itls"], r["errors"]) if not e for g in gaps]
    merged = {"mean_ttft_ms": sum(ttft) / len(ttft), "p99_ttft_ms": percentile(ttft, 99),
              "mean_itl_ms": sum(itl) / len(itl), "p99_itl_ms": percentile(itl, 99),
              "completed": sum(r["completed"] for r in runs), "failed": sum(r["failed"] for r in runs)}
    json.dump(merged, open(os.path.join(run, f"overhead-{side}.json"), "w"))
EOF
    check "$B" overhead overhead_figures "$RUN/overhead-direct.json" "$RUN/overhead-proxied.json"

    # (b) Streams arrive chunk by chunk (the direct connection is the control).
    direct_chunks=$(python3 "$DEPLOY/stream_check.py" chunks "$direct" --max-tokens 50 --step-ms "$STEP_MS" 2>&1 | tail -1)
    check "$B" chunks python3 "$DEPLOY/stream_check.py" chunks "$BALANCER_URL" --max-tokens 50 --step-ms "$STEP_MS"
    echo "             (direct, the control: $direct_chunks)"

    # Stickiness on X-Session-ID, and body limits.
    check "$B" sticky python3 "$DEPLOY/stream_check.py" sticky "$BALANCER_URL" --sessions 3 --requests 4
    check "$B" body-12M python3 "$DEPLOY/stream_check.py" body "$BALANCER_URL" --mib 12 --expect-status 400
    check "$B" body-17M python3 "$DEPLOY/stream_check.py" body "$BALANCER_URL" --mib 17 --expect-status 413

    # (c) SIGKILL a replica with streams in flight on it (the one serving most of the check's streams),
    # under load with images.
    candidates=()
    for ((i = 1; i <= REPLICAS; i++)); do candidates+=(--replica "$(replica_name "$i")=${REPLICA_PID[i]}"); done
    vlbench_run kill-load "$BALANCER_URL" "${LOAD_ARGS[@]}" &
    load=$!
    sleep 4   # let the load reach a steady state (a script pause, not a test's wait)
    exec 3>&2 2>/dev/null   # bash would report the SIGKILLed replica ("Killed"): that is the point here
    check "$B" kill-streams python3 "$DEPLOY/stream_check.py" streams "$BALANCER_URL" --count "$((2 * REPLICAS))" \
        --max-tokens 100 --signal KILL "${candidates[@]}" --signal-at-file "$RUN/kill.at"
    wait "$load" || true
    exec 2>&3 3>&-
    check "$B" kill-load python3 "$DEPLOY/stream_check.py" result "$RUN/kill-load.json" --after-file "$RUN/kill.at" \
        --grace 0.05 --bound-by-peak --show-errors
    killed=$(replica_index "$(sed -n 2p "$RUN/kill.at" 2>/dev/null)")

    # (d) SIGTERM another replica with streams in flight on it: a drain cuts nothing. Works whether /health
    # answers 503 during the drain or not: the replica closes its listening socket at once, so new requests
    # are refused there and retried elsewhere, while the requests it holds run to completion.
    candidates=()
    for ((i = 1; i <= REPLICAS; i++)); do
        [ "$i" = "$killed" ] || candidates+=(--replica "$(replica_name "$i")=${REPLICA_PID[i]}")
    done
    vlbench_run drain-load "$BALANCER_URL" "${LOAD_ARGS[@]}" &
    load=$!
    sleep 4
    check "$B" drain-streams python3 "$DEPLOY/stream_check.py" streams "$BALANCER_URL" --count "$((2 * REPLICAS))" \
        --max-tokens 150 --signal TERM "${candidates[@]}" --signal-at-file "$RUN/drain.at"
    wait "$load" || true
    check "$B" drain-load python3 "$DEPLOY/stream_check.py" result "$RUN/drain-load.json" --after-file "$RUN/drain.at" \
        --max-failed 0 --show-errors
    d=$(replica_index "$(sed -n 2p "$RUN/drain.at" 2>/dev/null)")
    status=0
    if [ -z "$d" ]; then
        status=-1
    else
        wait "${REPLICA_PID[d]}" || status=$?
    fi
    if [ "$status" -eq 0 ] && grep -q "notice vlserve: stopped" "$RUN/replica-$d.log"; then
        record "$B" drain-exit PASS "replica $d exited 0 after draining ($(grep -o 'draining for up to [0-9.]* s' "$RUN/replica-$d.log"))"
    else
        record "$B" drain-exit FAIL "replica ${d:-?} exit status $status; see $RUN/replica-${d:-N}.log"
    fi

    stop_all
done

# ---------------------------------------------------------------- (e) Kubernetes manifests, offline
kv=0
"$VENV/bin/kubernetes-validate" --strict "$DEPLOY"/k8s/*.yaml >"$OUT/kubernetes-validate.log" 2>&1 || kv=$?
files=$(ls "$DEPLOY"/k8s/*.yaml | wc -l)
passed=$(grep -c 'passed for resource' "$OUT/kubernetes-validate.log" || true)
noschema=$(grep -o "schema for kind [A-Za-z]*" "$OUT/kubernetes-validate.log" | awk '{print $NF}' | tr '\n' ' ' || true)
kversion=$(grep -o 'against version [0-9.]*' "$OUT/kubernetes-validate.log" | head -1 | awk '{print $NF}')
if [ "$kv" -eq 0 ]; then
    record k8s validate PASS "$files files: $passed resources valid against Kubernetes $kversion schemas (--strict); no schema: ${noschema:-none}"
else
    record k8s validate FAIL "$(grep -v 'passed for resource' "$OUT/kubernetes-validate.log" | head -3 | tr '\n' ' ')"
fi
check k8s consistency "$VENV/bin/python" "$DEPLOY/k8s_check.py" "$DEPLOY/k8s"

# The balancers' read timeouts (900 s) against the worst TTFT of every request sent in this run.
check all timeouts python3 - "$OUT" <<'EOF'
import glob, json, os, sys
ttfts = []
for path in glob.glob(os.path.join(sys.argv[1], "*", "*.json")):
    r = json.load(open(path))
    ttfts += [t for t, e in zip(r.get("ttfts", []), r.get("errors", [])) if not e]
worst = max(ttfts) if ttfts else float("nan")
ok = bool(ttfts) and worst < 900
print(("PASS " if ok else "FAIL ") + f"worst TTFT of {len(ttfts)} successful vlbench requests: {worst * 1000:.0f} ms; "
      "balancer read timeouts 900 s")
EOF

# ---------------------------------------------------------------- summary
{
    echo "| balancer | step | result | figures |"
    echo "| --- | --- | --- | --- |"
    for row in "${ROWS[@]}"; do IFS='|' read -r b s r d <<<"$row"; echo "| $b | $s | $r | $d |"; done
} >"$OUT/summary.md"
echo
echo "==> summary ($REPLICAS replicas, $(nproc) cores, load average before the runs $LOAD_BEFORE; $OUT/summary.md)"
for row in "${ROWS[@]}"; do IFS='|' read -r b s r d <<<"$row"; printf '%-8s %-13s %-5s %s\n' "$b" "$s" "$r" "$d"; done
exit "$FAILED"
