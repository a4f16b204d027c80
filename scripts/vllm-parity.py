#!/usr/bin/env python3
"""Parity check of vlbench against `vllm bench serve` (vLLM 0.33.0, the release vlbench's default
`--compat v0.33` reproduces). Not run in CI: it needs vLLM (about 9 GB: `pip install vllm==0.33.0`).

Both clients run the same flags and seed against the same control server, one after the other: by
default one started here (Python standard library) that streams every chat completion with the opening
role-only chunk after --ttft-ms (50), then max_tokens content chunks --itl-ms (20) apart (so vLLM 0.33.0,
which does not count the role chunk, measures TTFT = ttft + itl) and a usage chunk with a fixed
prompt_tokens (so both clients' token counts agree whatever prompts their tokenizers make); with
--control vlserve a vlserve with the cost model at one 20-ms step; or any server given with --base-url.
Then it compares

  * the printed "Serving Benchmark Result" tables line by line: the labels (first 40 columns) must be
    equal and in the same order; counts must be equal ("Successful requests", "Failed requests",
    "Total input tokens", "Total generated tokens", "Request rate configured (RPS)",
    "Peak concurrent requests", ...); timing values are reported with their relative difference and
    flagged beyond --tolerance;
  * the JSON result files field by field: the same keys in the same order, the same value types (int vs
    float vs str vs null vs list vs dict; `max_concurrent_requests` is an int in 0.33.0), equal exact
    fields, and timing fields within --tolerance (std_* fields are compared by type only: they are noise).

Exit status 0 when the structure matches (labels, widths, keys, key order, value types) and the exact values
are equal, 1 otherwise; timings beyond the tolerance are printed as warnings (tails such as P99 ITL move
with machine noise between two runs) and fail the check only with --strict-timing.

`vllm bench serve` needs a tokenizer; give a local directory with --tokenizer (one can be made offline
with the `tokenizers` package, e.g. a byte-level BPE trained on a few sentences and saved with a
tokenizer_config.json).

Usage:
  scripts/vllm-parity.py --tokenizer /path/to/tokenizer-dir [--vllm vllm] [--vlbench .build/release/vlbench]
                         [--control fixed|vlserve] [--ttft-ms 50] [--itl-ms 20] [--base-url URL]
                         [--num-prompts 100] [--request-rate 10] [--tolerance 0.1] [--strict-timing]
                         [--out results/vllm-parity]
"""
import argparse
import http.server
import json
import threading
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

TITLE = re.compile(r"^=+ Serving Benchmark Result =+$")
# Rows whose values must be identical in both clients (integers or configuration echoes).
EXACT_ROWS = {
    "Successful requests:", "Failed requests:", "Maximum request concurrency:", "Request rate configured (RPS):",
    "Total input tokens:", "Total generated tokens:", "Peak concurrent requests:",
}
# JSON fields that must be identical; every other number is a timing compared within the tolerance.
EXACT_FIELDS = {
    "endpoint_type", "backend", "label", "model_id", "tokenizer_id", "num_prompts", "request_rate", "burstiness",
    "max_concurrency", "completed", "failed", "total_input_tokens", "total_output_tokens", "request_goodput",
    "max_concurrent_requests", "input_lens", "output_lens", "errors", "rtfx",
}
SKIPPED_FIELDS = {"date"}


class FixedTimingHandler(http.server.BaseHTTPRequestHandler):
    """OpenAI-style chat streaming with fixed TTFT and ITL (class attributes set by `start_fixed_server`)."""
    protocol_version = "HTTP/1.1"
    ttft = 0.05
    itl = 0.02
    prompt_tokens = 100

    def log_message(self, *args):
        pass

    def send_json(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/v1/models"):
            self.send_json({"object": "list", "data": [{"id": "control", "object": "model", "root": "control",
                                                         "owned_by": "parity"}]})
        elif self.path in ("/health", "/ping"):
            self.send_json({})
        else:
            self.send_json({"error": "not found"}, 404)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        n = int(body.get("max_tokens") or body.get("max_completion_tokens") or 16)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(obj):
            data = b"data: " + (obj if isinstance(obj, bytes) else json.dumps(obj).encode()) + b"\n\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        head = {"id": "chatcmpl-parity", "object": "chat.completion.chunk", "created": 0, "model": "control"}
        time.sleep(self.ttft)
        event({**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})
        for k in range(n):
            time.sleep(self.itl)
            last = k == n - 1
            event({**head, "choices": [{"index": 0, "delta": {"content": "tok "},
                                        "finish_reason": "length" if last else None}]})
        event({**head, "choices": [], "usage": {"prompt_tokens": self.prompt_tokens, "completion_tokens": n,
                                                 "total_tokens": self.prompt_tokens + n}})
        event(b"[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def start_fixed_server(ttft_ms, itl_ms):
    FixedTimingHandler.ttft = ttft_ms / 1000
    FixedTimingHandler.itl = itl_ms / 1000
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixedTimingHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def start_control_server(vlserve, model_dir, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen([vlserve, "serve", "--host", "127.0.0.1", "--port", "0", "--model-dir", model_dir,
                             "--decode-step-ms", "20", "--decode-ms-per-seq", "0", "--prefill-ms-per-1k-tokens", "0"],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"vlserve exited with {proc.returncode}; see {log_path}")
        m = re.search(r"listening on http://[0-9.]+:(\d+)", open(log_path).read())
        if m:
            url = f"http://127.0.0.1:{m.group(1)}"
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    if r.status == 200:
                        return proc, url
            except OSError:
                pass
        time.sleep(0.25)
    proc.kill()
    sys.exit(f"vlserve did not become healthy; see {log_path}")


def run_client(cmd, stdout_path):
    print("+ " + " ".join(cmd), flush=True)
    with open(stdout_path, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"{cmd[0]} failed with {r.returncode}; see {stdout_path}")
    return open(stdout_path).read()


def table(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if TITLE.match(line):
            for j in range(i + 1, len(lines)):
                if lines[j] == "=" * 50:
                    return lines[i:j + 1]
    return []


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


def compare_tables(ref, ours, tol):
    problems, warnings, report = [], [], []
    if len(ref) != len(ours):
        problems.append(f"table: {len(ref)} lines in vllm, {len(ours)} in vlbench")
    for k in range(max(len(ref), len(ours))):
        a = ref[k] if k < len(ref) else ""
        b = ours[k] if k < len(ours) else ""
        if ":" not in a[:41] or ":" not in b[:41]:
            # Title, section header or closing rule: the whole line must be equal.
            if a != b:
                problems.append(f"table line {k + 1}: {a!r} (vllm) != {b!r} (vlbench)")
            continue
        la, lb = a[:40].rstrip(), b[:40].rstrip()
        if la != lb:
            problems.append(f"table line {k + 1}: label {la!r} (vllm) != {lb!r} (vlbench)")
            continue
        va, vb = a[41:].strip(), b[41:].strip()
        if len(a) != len(b):
            problems.append(f"table line {k + 1} ({la}): width {len(a)} (vllm) != {len(b)} (vlbench)")
        if la in EXACT_ROWS:
            ok = va == vb
            report.append(f"{'=' if ok else '!'} {la:<40} vllm {va:>12}  vlbench {vb:>12}")
            if not ok:
                problems.append(f"{la} {va} (vllm) != {vb} (vlbench)")
        else:
            d = rel(float(va), float(vb))
            ok = d <= tol
            report.append(f"{'~' if ok else '!'} {la:<40} vllm {va:>12}  vlbench {vb:>12}  ({d * 100:.1f}%)")
            if not ok:
                warnings.append(f"{la} {va} (vllm) vs {vb} (vlbench): {d * 100:.1f}% > {tol * 100:.0f}%")
    return problems, warnings, report


def kind(v):
    return {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict", type(None): "null"}[type(v)]


def compare_json(ref, ours, tol):
    problems, warnings = [], []
    if list(ref) != list(ours):
        only_ref = [k for k in ref if k not in ours]
        only_ours = [k for k in ours if k not in ref]
        if only_ref or only_ours:
            problems.append(f"JSON keys: only in vllm {only_ref}, only in vlbench {only_ours}")
        else:
            problems.append("JSON keys: same set, different order")
    for key, a in ref.items():
        if key not in ours or key in SKIPPED_FIELDS:
            continue
        if key.startswith("std_"):
            if kind(a) != kind(ours[key]):
                problems.append(f"JSON {key}: type {kind(a)} (vllm) != {kind(ours[key])} (vlbench)")
            continue
        b = ours[key]
        if kind(a) != kind(b):
            problems.append(f"JSON {key}: type {kind(a)} (vllm) != {kind(b)} (vlbench)")
        elif key in EXACT_FIELDS or isinstance(a, (str, type(None), bool)):
            if a != b:
                problems.append(f"JSON {key}: {a!r} (vllm) != {b!r} (vlbench)")
        elif isinstance(a, (int, float)) and rel(a, b) > tol:
            warnings.append(f"JSON {key}: {a} (vllm) vs {b} (vlbench): {rel(a, b) * 100:.1f}% > {tol * 100:.0f}%")
        elif isinstance(a, list) and len(a) != len(b):
            problems.append(f"JSON {key}: {len(a)} items (vllm) != {len(b)} (vlbench)")
    return problems, warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer", required=True, help="local tokenizer directory for vllm bench serve")
    ap.add_argument("--vllm", default="vllm")
    ap.add_argument("--vlbench", default=".build/release/vlbench")
    ap.add_argument("--vlserve", default=".build/release/vlserve")
    ap.add_argument("--model-dir", default="models/qwen2.5-vl-7b")
    ap.add_argument("--base-url", help="use this server instead of starting a control server")
    ap.add_argument("--control", choices=["fixed", "vlserve"], default="fixed",
                    help="control server to start: fixed TTFT/ITL (Python) or vlserve with a 20-ms step")
    ap.add_argument("--ttft-ms", type=float, default=50)
    ap.add_argument("--itl-ms", type=float, default=20)
    ap.add_argument("--num-prompts", type=int, default=100)
    ap.add_argument("--request-rate", default="10")
    ap.add_argument("--tolerance", type=float, default=0.10, help="relative tolerance for timing values")
    ap.add_argument("--strict-timing", action="store_true", help="timings beyond the tolerance fail the check")
    ap.add_argument("--out", default="results/vllm-parity")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    proc = fixed = None
    url = args.base_url
    if url is None and args.control == "fixed":
        fixed, url = start_fixed_server(args.ttft_ms, args.itl_ms)
    elif url is None:
        proc, url = start_control_server(args.vlserve, args.model_dir, os.path.join(args.out, "server.log"))
    try:
        common = ["--backend", "openai-chat", "--endpoint", "/v1/chat/completions", "--base-url", url,
                  "--tokenizer", args.tokenizer, "--dataset-name", "random", "--random-input-len", "32",
                  "--random-output-len", "16", "--num-prompts", str(args.num_prompts), "--request-rate",
                  args.request_rate, "--seed", "0", "--percentile-metrics", "ttft,tpot,itl,e2el",
                  "--metric-percentiles", "50,90,99", "--save-result", "--result-dir", args.out, "--disable-tqdm"]
        ref_text = run_client([args.vllm, "bench", "serve", *common, "--result-filename", "vllm.json"],
                              os.path.join(args.out, "vllm.stdout.txt"))
        our_text = run_client([args.vlbench, *common, "--result-filename", "vlbench.json"],
                              os.path.join(args.out, "vlbench.stdout.txt"))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        if fixed is not None:
            fixed.shutdown()

    ref_table, our_table = table(ref_text), table(our_text)
    if not ref_table or not our_table:
        sys.exit("no 'Serving Benchmark Result' table in " + ("vllm" if not ref_table else "vlbench") + "'s output")
    problems, warnings, report = compare_tables(ref_table, our_table, args.tolerance)
    print("\n".join(report))
    with open(os.path.join(args.out, "vllm.json")) as f:
        ref_json = json.loads(f.readline())
    with open(os.path.join(args.out, "vlbench.json")) as f:
        our_json = json.loads(f.readline())
    json_problems, json_warnings = compare_json(ref_json, our_json, args.tolerance)
    problems += json_problems
    warnings += json_warnings
    print(f"JSON: {len(ref_json)} keys in vllm, {len(our_json)} in vlbench")
    if warnings:
        print("\nTIMINGS BEYOND THE TOLERANCE:\n" + "\n".join("- " + w for w in warnings))
        if args.strict_timing:
            problems += warnings
    if problems:
        print("\nDIFFERENCES:\n" + "\n".join("- " + p for p in problems))
        return 1
    print("\nParity: the tables match label for label, counts and peak concurrency are equal, "
          "and the JSON has the same keys and value types.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
