"""Reference for BenchKit's metric and table tests: recomputes the hand-made records of
MetricsTests.swift with numpy and vLLM's print format strings (vllm/benchmarks/serve.py, 0.33.0:
peak concurrent requests per 1-s bucket, as vlbench's default --compat).
Run: ${VLSERVE_VENV:-.venv-ref}/bin/python Tests/BenchKitTests/Golden/make_golden.py > Tests/BenchKitTests/Golden/serving_table.txt
"""
import math
import numpy as np

# (success, start, ttft, itl, latency, output_tokens, prompt_len)
records = [
    (True, 0.0, 0.1, [0.02, 0.03, 0.025], 0.175, 4, 10),
    (True, 0.5, 0.2, [0.05], 0.25, 2, 12),
    (False, 0.7, 0.0, [], 0.0, 0, 9),
    (True, 1.2, 0.15, [], 0.15, 1, 8),
    (True, 1.3, 0.3, [0.01] * 5, 0.35, 6, 20),
    (True, 1.45, 0.12, [0.2, 0.3], 0.62, 3, 30),
]
duration = 2.0
percentiles = [50.0, 90.0, 99.0, 99.9]
goodput = {"ttft": 250.0, "tpot": 30.0}
request_rate = 4.0
max_concurrency = 8

ttfts, tpots, all_tpots, itls, e2els, outs = [], [], [], [], [], []
total_in = completed = good = 0
for ok, st, ttft, itl, lat, out, pl in records:
    if not ok:
        outs.append(0)
        continue
    outs.append(out)
    total_in += pl
    tpot = 0
    if out > 1:
        tpot = (lat - ttft) / (out - 1)
        tpots.append(tpot)
    all_tpots.append(tpot)
    itls += itl
    ttfts.append(ttft)
    e2els.append(lat)
    completed += 1
    if ttft <= goodput["ttft"] / 1000 and tpot <= goodput["tpot"] / 1000:
        good += 1

succ = [r for r in records if r[0]]
t0 = min(r[1] for r in succ)
tend = max(r[1] + r[4] for r in succ)
buckets = [0] * (math.ceil(tend - t0) + 1)
for ok, st, ttft, itl, lat, out, pl in succ:
    t = st + ttft
    ev = [t]
    for g in itl:
        t += g
        ev.append(t)
    for e in ev:
        buckets[int(math.floor(e - t0))] += 1
peak_tok = max(buckets)
# vLLM 0.33.0: each request adds 1 to every 1-s bucket from int(start - t0) to int(end - t0) inclusive.
conc = np.zeros(int(np.ceil(tend - t0)) + 1)
for ok, st, ttft, itl, lat, out, pl in succ:
    for sec in range(int(st - t0), int((st + lat) - t0) + 1):
        conc[sec] += 1
peak_conc = int(np.max(conc))

total_out = sum(outs)
print("{s:{c}^{n}}".format(s=" Serving Benchmark Result ", n=50, c="="))
print("{:<40} {:<10}".format("Successful requests:", completed))
print("{:<40} {:<10}".format("Failed requests:", len(records) - completed))
print("{:<40} {:<10}".format("Maximum request concurrency:", max_concurrency))
print("{:<40} {:<10.2f}".format("Request rate configured (RPS):", request_rate))
print("{:<40} {:<10.2f}".format("Benchmark duration (s):", duration))
print("{:<40} {:<10}".format("Total input tokens:", total_in))
print("{:<40} {:<10}".format("Total generated tokens:", total_out))
print("{:<40} {:<10.2f}".format("Request throughput (req/s):", completed / duration))
print("{:<40} {:<10.2f}".format("Request goodput (req/s):", good / duration))
print("{:<40} {:<10.2f}".format("Output token throughput (tok/s):", total_out / duration))
print("{:<40} {:<10.2f}".format("Peak output token throughput (tok/s):", float(peak_tok)))
print("{:<40} {:<10.2f}".format("Peak concurrent requests:", float(peak_conc)))
print("{:<40} {:<10.2f}".format("Total token throughput (tok/s):", (total_in + total_out) / duration))
for name, label, header, vals in [("ttft", "TTFT", "Time to First Token", ttfts),
                                  ("tpot", "TPOT", "Time per Output Token (excl. 1st token)", tpots),
                                  ("itl", "ITL", "Inter-token Latency", itls),
                                  ("e2el", "E2EL", "End-to-end Latency", e2els)]:
    print("{s:{c}^{n}}".format(s=header, n=50, c="-"))
    print("{:<40} {:<10.2f}".format(f"Mean {label} (ms):", np.mean(vals or 0) * 1000))
    print("{:<40} {:<10.2f}".format(f"Median {label} (ms):", np.median(vals or 0) * 1000))
    for p in percentiles:
        p_word = str(int(p)) if int(p) == p else str(p)
        print("{:<40} {:<10.2f}".format(f"P{p_word} {label} (ms):", np.percentile(vals or 0, p) * 1000))
print("=" * 50)
import sys
for name, vals in [("ttft", ttfts), ("tpot", tpots), ("itl", itls), ("e2el", e2els)]:
    print(name, repr(np.mean(vals) * 1000), repr(np.median(vals) * 1000), repr(np.std(vals) * 1000),
          [repr(np.percentile(vals, p) * 1000) for p in percentiles], file=sys.stderr)
