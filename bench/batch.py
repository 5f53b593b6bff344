#!/usr/bin/env python3
"""Batch benchmarks (standard library only), used by bench/batch.sh.

ingest:     time from the start of the upload of an N-file zip until all N evaluations are queued
            (run it against a platform whose Docker is unreachable, so nothing else competes).
throughput: N hello-world programs as one batch against the same N submitted one by one
            (POST /api/eval), each waited for until every program has ended; prints both and the ratio.
"""
import argparse
import io
import json
import time
import urllib.request
import uuid
import zipfile


def make_zip(n, body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(n):
            archive.writestr(f"scripts/p{i:05d}.py", body.replace("N", str(i)))
    return buffer.getvalue()


def upload(base, data, name):
    boundary = "----crucible-bench-" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{name}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.zip\"\r\n"
            f"Content-Type: application/zip\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(base + "/api/batches", data=body,
                                     headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def post_json(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def ingest(base, n):
    data = make_zip(n, "print(N)")
    start = time.perf_counter()
    batch = upload(base, data, f"ingest {n}")
    accepted = time.perf_counter() - start
    while get(base + "/api/batches/" + batch["batch_id"])["ingested"] < n:
        time.sleep(0.05)
    total = time.perf_counter() - start
    print(f"ingest of a {n}-file zip ({len(data) / 1e6:.1f} MB): accepted (stored and checked) in {accepted:.2f} s, "
          f"all {n} evaluations queued after {total:.2f} s (target < 10 s)")


def wait_idle(base):
    while True:
        queue = get(base + "/api/queue/status")
        if queue["queued"] == 0 and queue["processing"] == 0:
            return
        time.sleep(0.05)


def throughput(base, n):
    wait_idle(base)
    start = time.perf_counter()
    for i in range(n):
        post_json(base + "/api/eval", {"code": f"print({i})"})
    wait_idle(base)
    singles = n / (time.perf_counter() - start)

    data = make_zip(n, "print(N)")
    start = time.perf_counter()
    batch = upload(base, data, f"throughput {n}")
    while get(base + "/api/batches/" + batch["batch_id"])["status"] != "completed":
        time.sleep(0.05)
    batched = n / (time.perf_counter() - start)
    print(f"throughput of {n} hello-world programs (jobs/s): one by one {singles:.2f}, as one batch {batched:.2f}, "
          f"ratio {batched / singles:.2f} (target >= 1)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["ingest", "throughput"])
    parser.add_argument("--url", required=True)
    parser.add_argument("-n", type=int, required=True)
    args = parser.parse_args()
    ingest(args.url, args.n) if args.what == "ingest" else throughput(args.url, args.n)


if __name__ == "__main__":
    main()
