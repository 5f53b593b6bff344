#!/usr/bin/env python3
"""Crucible against plain `docker run --rm`, measured in the same run on the same machine.

Latency: hello-world jobs one at a time, alternating between the platform (POST /api/eval?wait=true,
submit to result as the client sees it) and `docker run --rm` with the sandbox's flags and image.
Throughput: N hello-world jobs submitted at once to the platform, against N `docker run --rm` with
as many in parallel as the platform has worker slots.

Prints p50/p95 latencies, throughputs and the ratios. Standard library only.
"""
import argparse
import concurrent.futures
import json
import statistics
import subprocess
import time
import urllib.request

HELLO = 'print("hello")'
SANDBOX_FLAGS = [
    "--network", "none", "--memory", "100m", "--memory-swap", "100m", "--cpus", "1",
    "--pids-limit", "64", "--read-only", "--tmpfs", "/tmp:rw,nosuid,nodev,size=16777216,mode=1777",
    "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", "65534:65534",
    # the sandbox's PID 1 is its own launcher (no --init), with core dumps off
    "--ulimit", "nofile=256:256", "--ulimit", "fsize=16777216:16777216", "--ulimit", "core=0:0",
    "--log-driver", "none",
]


def post(url, body, timeout=120):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def get(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def platform_once(base):
    start = time.perf_counter()
    result = post(base + "/api/eval?wait=true", {"code": HELLO})
    elapsed = time.perf_counter() - start
    assert result["status"] == "completed" and result["output"] == "hello\n", result
    return elapsed


def docker_once(image):
    start = time.perf_counter()
    out = subprocess.run(["docker", "run", "--rm", *SANDBOX_FLAGS, image, "python3", "-u", "-c", HELLO],
                         capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert out.stdout == "hello\n", out
    return elapsed


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def await_idle(base):
    """Returns once nothing is queued or running; one cheap request per 20 ms, so that the
    client's polling does not eat the CPU it measures."""
    while True:
        queue = get(base + "/api/queue/status")
        if queue["queued"] == 0 and queue["processing"] == 0:
            return
        time.sleep(0.02)


def platform_throughput(base, n):
    start = time.perf_counter()
    ids = [post(base + "/api/eval", {"code": HELLO})["eval_id"] for _ in range(n)]
    await_idle(base)
    elapsed = time.perf_counter() - start
    failed = [i for i in ids if get(base + "/api/eval/" + i)["status"] != "completed"]
    assert not failed, failed
    return n / elapsed


def docker_throughput(image, n, parallel):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda _: docker_once(image), range(n)))
    return n / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--image", default="crucible-runtime/python:3.11")
    parser.add_argument("--latency-runs", type=int, default=40)
    parser.add_argument("--throughput-jobs", type=int, default=80)
    parser.add_argument("--parallel", type=int, required=True, help="the platform's worker slots")
    args = parser.parse_args()

    # warm up both paths (JIT, page cache)
    for _ in range(5):
        platform_once(args.url)
        docker_once(args.image)

    platform, docker = [], []
    for _ in range(args.latency_runs):
        platform.append(platform_once(args.url))
        docker.append(docker_once(args.image))
    p50p, p95p = pct(platform, 50) * 1000, pct(platform, 95) * 1000
    p50d, p95d = pct(docker, 50) * 1000, pct(docker, 95) * 1000

    tp_platform = platform_throughput(args.url, args.throughput_jobs)
    tp_docker = docker_throughput(args.image, args.throughput_jobs, args.parallel)

    print(f"latency, {args.latency_runs} sequential hello-world runs each (ms):")
    print(f"  crucible      p50 {p50p:7.1f}   p95 {p95p:7.1f}   mean {statistics.mean(platform) * 1000:7.1f}")
    print(f"  docker run    p50 {p50d:7.1f}   p95 {p95d:7.1f}   mean {statistics.mean(docker) * 1000:7.1f}")
    print(f"  ratio         p50 {p50p / p50d:7.2f}   p95 {p95p / p95d:7.2f}   (target <= 1.3)")
    print(f"throughput, {args.throughput_jobs} hello-world jobs, {args.parallel} at a time (jobs/s):")
    print(f"  crucible      {tp_platform:6.2f}")
    print(f"  docker run    {tp_docker:6.2f}")
    print(f"  ratio         {tp_platform / tp_docker:6.2f}   (target >= 0.8)")


if __name__ == "__main__":
    main()
