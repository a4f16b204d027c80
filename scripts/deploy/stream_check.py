#!/usr/bin/env python3
"""The checks scripts/deploy/scale-out.sh runs against a balancer (or a replica), with only the standard library.

Each subcommand prints one line, `PASS detail` or `FAIL detail`, and exits 0 or 1:

  chunks   URL --max-tokens N --step-ms D       one streaming request; are its SSE events spread over time?
  streams  URL --count K --max-tokens N [--signal TERM|KILL --replica NAME=PID... --signal-at-file F]
           K concurrent streams; once every one has its first token, send the signal to the replica that serves
           most of them and write the time (CLOCK_MONOTONIC, the clock vlbench's start_times use) and the
           replica's name to F. Then: with TERM every
           stream must end with [DONE]; with KILL the streams served by P may be cut, all others must finish.
  sticky   URL --sessions S --requests R         requests with X-Session-ID stay on one replica each;
                                                 requests without it reach more than one replica
  body     URL --mib M --expect-status CODE      a chat request whose body is M MiB (a base64 data URL)
  result   FILE [--after-file F] [--max-failed N | --bound-by-peak]
           a vlbench --save-result --save-detailed JSON: its counts, and that no request sent after the time in F
           failed

Which replica served a request comes from the balancer's X-Served-By header (both configurations set it).
"""
import argparse
import http.client
import io
import json
import os
import select
import signal
import socket
import sys
import threading
import time
import urllib.parse

MODEL = "qwen2.5-vl-7b"


def split_url(url: str) -> tuple[str, int]:
    u = urllib.parse.urlsplit(url)
    return u.hostname or "127.0.0.1", u.port or 80


def chat_body(max_tokens: int, stream: bool, text: str = "Describe the weather in one long sentence.") -> bytes:
    return json.dumps({
        "model": MODEL, "messages": [{"role": "user", "content": text}],
        "max_tokens": max_tokens, "ignore_eos": True, "stream": stream,
    }).encode()


class Stream:
    """One streaming chat completion: arrival time of each SSE event, [DONE], the replica, any error."""

    def __init__(self, url: str, max_tokens: int, headers: dict[str, str] | None = None):
        self.url, self.max_tokens, self.headers = url, max_tokens, headers or {}
        self.times: list[float] = []   # monotonic arrival time of each `data:` event with choices
        self.done = False
        self.served_by = ""
        self.status = 0
        self.error = ""
        self.first_token = threading.Event()

    def run(self) -> None:
        host, port = split_url(self.url)
        try:
            conn = http.client.HTTPConnection(host, port, timeout=120)
            conn.request("POST", "/v1/chat/completions", body=chat_body(self.max_tokens, True),
                         headers={"Content-Type": "application/json", **self.headers})
            resp = conn.getresponse()
            self.status = resp.status
            self.served_by = resp.getheader("X-Served-By", "")
            if resp.status != 200:
                self.error = f"HTTP {resp.status}"
                return
            while True:
                line = resp.readline()
                if not line:
                    break
                now = time.monotonic()
                line = line.strip()
                if not line.startswith(b"data:"):
                    continue
                payload = line[5:].strip()
                if payload == b"[DONE]":
                    self.done = True
                    continue
                event = json.loads(payload)
                if event.get("choices"):
                    self.times.append(now)
                    self.first_token.set()
            if not self.done:
                self.error = "stream ended without [DONE]"
        except Exception as e:  # connection reset, truncated chunked body, timeout
            self.error = f"{type(e).__name__}: {e}"
        finally:
            self.first_token.set()


def served_replica(s: Stream) -> str:
    """The replica that answered (nginx's $upstream_addr lists every one tried: the last answered)."""
    return s.served_by.split(", ")[-1]


def bursts(times: list[float], gap: float) -> int:
    """Groups of events that arrived less than `gap` seconds after the previous one."""
    return sum(1 for i, t in enumerate(times) if i == 0 or t - times[i - 1] >= gap)


def cmd_chunks(a) -> bool:
    s = Stream(a.url, a.max_tokens)
    s.run()
    if s.error:
        print(f"FAIL {s.error}")
        return False
    n = len(s.times)
    span = s.times[-1] - s.times[0] if n else 0
    step = a.step_ms / 1000
    # Tokens are step_ms apart at the replica. Buffering anywhere on the way would deliver them in a few large
    # reads: few bursts, all at the end. Passing them through unbuffered keeps (almost) each one separate and
    # the whole stream spread over about (n-1) x step. Both halves are required; the thresholds leave room for
    # a loaded 2-core machine coalescing some neighbouring events.
    b = bursts(s.times, step / 4)
    ok = n >= a.max_tokens and span >= 0.5 * (n - 1) * step and b >= n / 2
    print(f"{'PASS' if ok else 'FAIL'} {n} events in {b} separate arrivals over {span * 1000:.0f} ms "
          f"(expected ~{(n - 1) * a.step_ms:.0f} ms; need >= {n / 2:.0f} arrivals and >= {0.5 * (n - 1) * a.step_ms:.0f} ms)")
    return ok


def cmd_streams(a) -> bool:
    streams = [Stream(a.url, a.max_tokens) for _ in range(a.count)]
    threads = [threading.Thread(target=s.run) for s in streams]
    for t in threads:
        t.start()
    for s in streams:
        s.first_token.wait(timeout=60)
    # The replica to signal: of the candidates, the one serving most of these streams, so that the check
    # always has streams in flight on it.
    candidates = dict(r.split("=", 1) for r in a.replica)
    victim = max(candidates, key=lambda name: sum(1 for s in streams if served_replica(s) == name)) if candidates else ""
    if a.signal and victim:
        signalled_at = time.monotonic()
        os.kill(int(candidates[victim]), signal.SIGTERM if a.signal == "TERM" else signal.SIGKILL)
        if a.signal_at_file:
            with open(a.signal_at_file, "w") as f:
                f.write(f"{signalled_at}\n{victim}\n")
    for t in threads:
        t.join()
    on_victim = [s for s in streams if victim and served_replica(s) == victim]
    others = [s for s in streams if s not in on_victim]
    started = sum(1 for s in streams if s.times)
    done_victim = sum(1 for s in on_victim if s.done)
    done_others = sum(1 for s in others if s.done)
    errors = sorted({s.error for s in streams if s.error})
    detail = (f"{len(streams)} streams in flight at the signal ({started} had tokens), {len(on_victim)} on the "
              f"signalled replica {victim}: {done_victim} completed with [DONE]; others {done_others}/{len(others)} completed")
    if errors:
        detail += f"; errors: {'; '.join(errors)[:200]}"
    if a.signal == "KILL":
        ok = done_others == len(others) and len(on_victim) > 0
    else:
        ok = done_victim == len(on_victim) and done_others == len(others) and len(on_victim) > 0
    if not on_victim:
        detail += " (no stream landed on the signalled replica: the check proves nothing)"
    print(f"{'PASS' if ok else 'FAIL'} {detail}")
    return ok


def request(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    host, port = split_url(url)
    conn = http.client.HTTPConnection(host, port, timeout=120)
    conn.request("POST", "/v1/chat/completions", body=body,
                 headers={"Content-Type": "application/json", **(headers or {})})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, resp.getheader("X-Served-By", ""), data


def cmd_sticky(a) -> bool:
    per_session: dict[str, set[str]] = {}
    for i in range(a.sessions):
        sid = f"session-{i}-{os.getpid()}"
        for _ in range(a.requests):
            status, served_by, _ = request(a.url, chat_body(4, False), {"X-Session-ID": sid})
            if status != 200:
                print(f"FAIL HTTP {status} for session {sid}")
                return False
            per_session.setdefault(sid, set()).add(served_by)
    unsticky: set[str] = set()
    for _ in range(a.sessions * a.requests):
        status, served_by, _ = request(a.url, chat_body(4, False))
        if status != 200:
            print(f"FAIL HTTP {status} without a session header")
            return False
        unsticky.add(served_by)
    sticky_ok = all(len(v) == 1 for v in per_session.values())
    replicas = len({next(iter(v)) for v in per_session.values()})
    ok = sticky_ok and len(unsticky) > 1
    print(f"{'PASS' if ok else 'FAIL'} {a.sessions} sessions x {a.requests} requests: each on one replica: "
          f"{sticky_ok} ({replicas} distinct replicas); {a.sessions * a.requests} requests without the header "
          f"reached {len(unsticky)} replicas")
    return ok


def post_expecting_continue(url: str, body: bytes) -> tuple[int, str, bytes]:
    """POST with `Expect: 100-continue`, as curl does for large bodies: the body is sent only after the
    interim 100, so a balancer that refuses on the headers (413) is heard instead of resetting a client that
    is still sending (HAProxy closes at once after its 413)."""
    host, port = split_url(url)
    sock = socket.create_connection((host, port), timeout=120)
    sock.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode())
    head = b""
    ready, _, _ = select.select([sock], [], [], 5)
    if ready:
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(65536)
            if not chunk:
                break
            head += chunk
    interim = head.startswith(b"HTTP/1.1 100") or head.startswith(b"HTTP/1.0 100")
    if interim or not head:   # 100 Continue, or a server that ignores Expect: send the body
        sock.sendall(body)
        head = head.split(b"\r\n\r\n", 1)[1] if interim else b""

    class Replay:   # hands HTTPResponse what was already read, then the socket
        def __init__(self, first: bytes):
            self.buffer = io.BytesIO(first)

        def makefile(self, mode: str):
            return io.BufferedReader(Joined(self.buffer, sock.makefile("rb")))

    class Joined(io.RawIOBase):
        def __init__(self, first, rest):
            self.first, self.rest = first, rest

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            data = self.first.read(len(b)) or self.rest.read1(len(b))
            b[:len(data)] = data
            return len(data)

    resp = http.client.HTTPResponse(Replay(head))
    resp.begin()
    data = resp.read()
    sock.close()
    return resp.status, resp.getheader("X-Served-By", ""), data


def cmd_body(a) -> bool:
    # 'A' * k is valid base64 (of zero bytes): the replica reads the whole body, then refuses the image
    # with its own 400. A 413 from the balancer would mean its body limit is below the replica's.
    prefix = json.dumps({"model": MODEL, "max_tokens": 4, "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,@"}}]}]})
    head, tail = prefix.split("@")
    size = int(a.mib * 1024 * 1024)
    body = head.encode() + b"A" * (size - len(head) - len(tail)) + tail.encode()
    status, served_by, data = post_expecting_continue(a.url, body)
    ok = status == a.expect_status
    origin = f"replica {served_by}" if served_by else "the balancer itself (no X-Served-By)"
    print(f"{'PASS' if ok else 'FAIL'} {a.mib:g} MiB body: HTTP {status} from {origin} (expected {a.expect_status})")
    return ok


def cmd_result(a) -> bool:
    with open(a.file) as f:
        r = json.load(f)
    completed, failed = r["completed"], r["failed"]
    detail = f"{completed} completed, {failed} failed"
    ok = failed <= a.max_failed
    if a.bound_by_peak:
        # Only requests in flight can be cut, so never more than the run's peak concurrency.
        peak = r.get("max_concurrent_requests") or 0
        detail += f" (bound: peak concurrency {peak})"
        ok = failed <= peak
    if a.after_file:
        with open(a.after_file) as f:
            t0 = float(f.readline())
        starts, errors = r["start_times"], r["errors"]
        failed_starts = [s for s, e in zip(starts, errors) if e]
        # A request sent after the signal (plus the grace) must not fail: the balancer must have routed it
        # elsewhere. Failures are allowed only for requests already in flight at the signal.
        late = [s for s in failed_starts if s > t0 + a.grace]
        after = sum(1 for s in starts if s > t0)
        detail += (f"; {after} sent after the signal, {len(late)} of them failed"
                   f"; failures all started before it: {not late}")
        ok = ok and not late
        if failed_starts and a.show_errors:
            detail += f"; first error: {next(e for e in errors if e)[:120]}"
    print(f"{'PASS' if ok else 'FAIL'} {detail}")
    return ok


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("chunks")
    c.add_argument("url")
    c.add_argument("--max-tokens", type=int, default=50)
    c.add_argument("--step-ms", type=float, default=20)
    s = sub.add_parser("streams")
    s.add_argument("url")
    s.add_argument("--count", type=int, default=9)
    s.add_argument("--max-tokens", type=int, default=150)
    s.add_argument("--signal", choices=["TERM", "KILL"])
    s.add_argument("--replica", action="append", default=[],
                   help="NAME=PID, repeatable: a replica that may be signalled (NAME as X-Served-By gives it)")
    s.add_argument("--signal-at-file")
    k = sub.add_parser("sticky")
    k.add_argument("url")
    k.add_argument("--sessions", type=int, default=3)
    k.add_argument("--requests", type=int, default=4)
    b = sub.add_parser("body")
    b.add_argument("url")
    b.add_argument("--mib", type=float, required=True)
    b.add_argument("--expect-status", type=int, required=True)
    r = sub.add_parser("result")
    r.add_argument("file")
    r.add_argument("--after-file")
    r.add_argument("--grace", type=float, default=0.0, help="seconds after the signal still allowed to fail")
    r.add_argument("--max-failed", type=int, default=0)
    r.add_argument("--bound-by-peak", action="store_true", help="allow up to the run's peak concurrency to fail")
    r.add_argument("--show-errors", action="store_true")
    a = p.parse_args()
    ok = {"chunks": cmd_chunks, "streams": cmd_streams, "sticky": cmd_sticky, "body": cmd_body,
          "result": cmd_result}[a.cmd](a)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
