#!/usr/bin/env python3
"""Evaluations with callbacks against the same evaluations without, in one run.

Rounds of N hello-world evaluations submitted at once, in the order without, prompt, slow, slow,
prompt, without, ... (so that drift over the run falls on every side alike):
  without   no callback_url
  prompt    callback_url to a receiver in this process (127.0.0.1) that answers at once
  slow      the same receiver, answering each request after --slow-ms (500 ms)
For each round: throughput, from the first submission until nothing is queued or running. For the
callback rounds also: every callback must arrive exactly once (by Crucible-Event-Id) with a valid
signature, the time from an evaluation's recorded end (completed_at) to its callback's arrival,
and how long after the round's last end the last callback arrived.

Prints the throughputs and the ratios with/without. Standard library only; the platform must run
with crucible.webhooks.allowed-hosts=127.0.0.1 and crucible.webhooks.secret=--secret.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import statistics
import threading
import time
from datetime import datetime

from bench import HELLO, await_idle, get, pct, post


class Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, secret, slow_ms):
        super().__init__(("127.0.0.1", 0), Handler)
        self.secret = secret.encode()
        self.slow_ms = slow_ms
        self.lock = threading.Lock()
        self.arrivals = {}  # path -> list of (event id, arrival time, completed_at)
        self.bad = []

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def count(self, path):
        with self.lock:
            return len(self.arrivals.get(path, []))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        fields = dict(part.split("=", 1) for part in self.headers["Crucible-Signature"].split(","))
        expected = hmac.new(server.secret, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        ended = datetime.fromisoformat(json.loads(body)["completed_at"].replace("Z", "+00:00")).timestamp()
        with server.lock:
            if not hmac.compare_digest(expected, fields["v1"]):
                server.bad.append(self.headers["Crucible-Event-Id"])
            server.arrivals.setdefault(self.path, []).append((self.headers["Crucible-Event-Id"], arrived, ended))
        if self.path.startswith("/slow"):
            time.sleep(server.slow_ms / 1000)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def round_trip(base, n, callback_url):
    body = {"code": HELLO}
    if callback_url:
        body["callback_url"] = callback_url
    start = time.perf_counter()
    ids = [post(base + "/api/eval", body)["eval_id"] for _ in range(n)]
    await_idle(base)
    elapsed = time.perf_counter() - start
    results = [get(base + "/api/eval/" + i) for i in ids]
    failed = [r["eval_id"] for r in results if r["status"] != "completed"]
    assert not failed, failed
    last_end = max(datetime.fromisoformat(r["completed_at"].replace("Z", "+00:00")).timestamp() for r in results)
    return n / elapsed, last_end


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--jobs", type=int, default=100, help="evaluations per round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each kind")
    parser.add_argument("--slow-ms", type=int, default=500)
    args = parser.parse_args()

    receiver = Receiver(args.secret, args.slow_ms)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    round_trip(args.url, 10, None)  # warm up (JIT, page cache, the pool)

    kinds = ["without", "prompt", "slow"]
    order = []
    for r in range(args.rounds):
        order += kinds if r % 2 == 0 else list(reversed(kinds))
    throughput = {k: [] for k in kinds}
    delays = {"prompt": [], "slow": []}
    tails = {"prompt": [], "slow": []}
    for number, kind in enumerate(order):
        path = f"/{kind}/{number}"
        rate, last_end = round_trip(args.url, args.jobs, None if kind == "without" else receiver.url(path))
        throughput[kind].append(rate)
        if kind == "without":
            continue
        deadline = time.time() + 300
        while receiver.count(path) < args.jobs and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # anything repeated would arrive now
        with receiver.lock:
            arrivals = list(receiver.arrivals.get(path, []))
        events = [a[0] for a in arrivals]
        assert len(arrivals) == args.jobs and len(set(events)) == args.jobs, (path, len(arrivals), len(set(events)))
        delays[kind] += [(arrived - ended) * 1000 for _, arrived, ended in arrivals]
        tails[kind].append((max(a[1] for a in arrivals) - last_end) * 1000)
    assert not receiver.bad, receiver.bad
    receiver.shutdown()

    print(f"throughput, {args.jobs} hello-world evaluations submitted at once, {args.rounds} rounds of each (jobs/s):")
    labels = {"without": "no callbacks", "prompt": "callbacks, prompt receiver",
              "slow": f"callbacks, {args.slow_ms} ms receiver"}
    median = {k: statistics.median(v) for k, v in throughput.items()}
    for kind in kinds:
        rounds = "  ".join(f"{v:6.2f}" for v in throughput[kind])
        print(f"  {labels[kind]:30} {rounds}   median {median[kind]:6.2f}")
    print(f"  ratio with/without  prompt {median['prompt'] / median['without']:.2f}   "
          f"slow {median['slow'] / median['without']:.2f}   (target >= 0.9)")
    total = sum(len(v) for v in delays.values())
    print(f"callbacks: {total} of {total} delivered exactly once, every signature valid")
    for kind in ("prompt", "slow"):
        d = delays[kind]
        print(f"  {labels[kind]:30} end to arrival p50 {pct(d, 50):7.0f} ms  p95 {pct(d, 95):7.0f} ms  "
              f"last arrival {statistics.median(tails[kind]):6.0f} ms after the round's last end (median)")


if __name__ == "__main__":
    main()
