#!/usr/bin/env python3
"""Abusive HTTP clients for scripts/soak.sh (stdlib only).

Runs until --duration seconds have passed, cycling through behaviours that a public server meets:
  slow      drips a request head one byte at a time (hits the head deadline)
  stall     sends a head with Content-Length and never sends the body
  abandon   starts a streaming chat request, reads a little, then closes (the server must abort it)
  reset     starts a streaming request and resets the connection (SO_LINGER 0)
  garbage   sends random bytes / TLS ClientHello bytes / an HTTP/2 preface
  badjson   sends malformed JSON and wrong types (expects 400)
  noread    opens a stream and never reads it (write-stall timeout)
Prints one line of counts at the end. Exit status is always 0: the server's health is judged by soak.sh.
"""
import argparse, os, random, socket, struct, threading, time

def chat_body(stream, extra=""):
    return ('{"model":"qwen2.5-vl-7b","messages":[{"role":"user","content":"tell me a story"}],'
            '"max_tokens":64,"ignore_eos":true,"stream":%s%s}' % ("true" if stream else "false", extra)).encode()

def post(path, body, extra_headers=b""):
    return (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra_headers +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

# Each behaviour gets a fresh connection `s`; run_one() connects, ignores socket errors and closes it.

def slow(s, rng):
    for b in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
        s.send(bytes([b])); time.sleep(0.2)

def stall(s, rng):
    s.send(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"mod")
    s.settimeout(30); s.recv(4096)

def abandon(s, rng):
    s.send(post(b"/v1/chat/completions", chat_body(True)))
    s.recv(rng.randint(1, 600))

def reset(s, rng):
    s.send(post(b"/v1/chat/completions", chat_body(True)))
    time.sleep(rng.random() * 0.2)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

def garbage(s, rng):
    payloads = [os.urandom(rng.randint(1, 2000)),
                bytes.fromhex("16030100a5010000a10303") + os.urandom(160),
                b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                b"GET / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                b"POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n"]
    s.send(rng.choice(payloads)); s.settimeout(5); s.recv(4096)

def badjson(s, rng):
    bodies = [b"{", b'{"messages": 5}', b"[" * 10000, b'{"model":"qwen2.5-vl-7b","messages":[{"role":"user","content":"x"}],"max_tokens":"many"}',
              b'{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,!!!"}}]}]}',
              b"\xff\xfe\xfd"]
    s.send(post(b"/v1/chat/completions", rng.choice(bodies))); s.settimeout(5); s.recv(65536)

def noread(s, rng):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.send(post(b"/v1/chat/completions", chat_body(True).replace(b'"max_tokens":64', b'"max_tokens":2000')))
    time.sleep(rng.uniform(1, 10))

def run_one(behaviour, port, rng):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    try:
        behaviour(s, rng)
    except OSError:
        pass
    finally:
        s.close()

BEHAVIOURS = [slow, stall, abandon, reset, garbage, badjson, noread]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    deadline = time.monotonic() + args.duration
    counts = {b.__name__: 0 for b in BEHAVIOURS}
    lock = threading.Lock()

    def worker(i):
        rng = random.Random(args.seed * 1000 + i)
        while time.monotonic() < deadline:
            b = rng.choice(BEHAVIOURS)
            run_one(b, args.port, rng)
            with lock:
                counts[b.__name__] += 1
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.workers)]
    for t in threads: t.start()
    for t in threads: t.join()
    print("abusive clients: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

if __name__ == "__main__":
    main()
