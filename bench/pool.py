#!/usr/bin/env python3
"""Crucible with its pool of pre-started containers against plain `docker run --rm`, in one run.

Latency: hello-world jobs one at a time, alternating between the platform (POST /api/eval?wait=true,
submit to result as the client sees it) and `docker run --rm` with the sandbox's flags and image.
Throughput: N hello-world jobs submitted at once to the platform, against N `docker run --rm` at
2, 4 and 8 at a time (the best counts). The engine alone: containers created, started, waited for
and removed per second through the Engine API (no client, no program), the ceiling for any
platform that gives every run a fresh container.
Where the time of one evaluation goes, from the platform's crucible_evaluation_phase_seconds, and
the memory each idle pooled container holds (docker stats).

Standard library only; imports the sandbox flags from bench.py. --runtime runsc measures both sides
under gVisor (the platform must have been started with crucible.sandbox.runtime=runsc).
"""
import argparse
import concurrent.futures
import http.client
import json
import re
import socket
import subprocess
import time
import urllib.request

from bench import HELLO, SANDBOX_FLAGS, pct, platform_once, platform_throughput


def docker_once(image, runtime):
    start = time.perf_counter()
    out = subprocess.run(["docker", "run", "--rm", "--runtime", runtime, *SANDBOX_FLAGS, image, "python3", "-u", "-c", HELLO],
                         capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert out.stdout == "hello\n", out
    return elapsed


def docker_throughput(image, runtime, n, parallel):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda _: docker_once(image, runtime), range(n)))
    return n / (time.perf_counter() - start)


class Engine(http.client.HTTPConnection):
    """The Engine API on /var/run/docker.sock."""

    def __init__(self):
        super().__init__("localhost", timeout=60)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect("/var/run/docker.sock")

    def call(self, method, path, body=None):
        self.request(method, path, body=None if body is None else json.dumps(body),
                     headers={"Content-Type": "application/json"})
        response = self.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data) if data else None


def engine_cycle(image, runtime):
    """One container created, started, waited for and removed, running `true`: the engine's own cost."""
    engine = Engine()
    try:
        created = engine.call("POST", "/containers/create", {
            "Image": image, "Cmd": ["true"], "User": "65534:65534", "NetworkDisabled": True,
            "HostConfig": {"NetworkMode": "none", "Memory": 100 << 20, "MemorySwap": 100 << 20, "NanoCpus": 10 ** 9,
                           "PidsLimit": 64, "ReadonlyRootfs": True, "CapDrop": ["ALL"],
                           "SecurityOpt": ["no-new-privileges"], "LogConfig": {"Type": "none"}, "Runtime": runtime}})
        engine.call("POST", f"/containers/{created['Id']}/start")
        engine.call("POST", f"/containers/{created['Id']}/wait")
        engine.call("DELETE", f"/containers/{created['Id']}?force=1&v=1")
    finally:
        engine.close()


def engine_rate(image, runtime, n, parallel):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda _: engine_cycle(image, runtime), range(n)))
    return n / (time.perf_counter() - start)


PHASE = re.compile(r'^crucible_evaluation_phase_seconds_(sum|count)\{[^}]*phase="([a-z_]+)"[^}]*\} ([0-9.eE+-]+)$')


def phases(base):
    with urllib.request.urlopen(base + "/actuator/prometheus", timeout=30) as resp:
        text = resp.read().decode()
    found = {}
    for line in text.splitlines():
        m = PHASE.match(line)
        if m:
            found.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
    return found


def idle_pool_memory():
    """MiB each idle pooled container holds, as docker stats reports it."""
    names = subprocess.run(["docker", "ps", "--filter", "label=crucible.pool", "--format", "{{.Names}}"],
                           capture_output=True, text=True, check=True).stdout.split()
    waiting = [n for n in names if "-pool-" in n]
    if not waiting:
        return []
    out = subprocess.run(["docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", *waiting],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    sizes = []
    for line in out:
        m = re.match(r"([0-9.]+)(KiB|MiB|GiB|B)", line.strip())
        if m:
            sizes.append(float(m.group(1)) * {"B": 1 / 1048576, "KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[m.group(2)])
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--image", default="crucible-runtime/python:3.11")
    parser.add_argument("--runtime", default="runc", help="runc, or runsc for gVisor on both sides")
    parser.add_argument("--latency-runs", type=int, default=40)
    parser.add_argument("--throughput-jobs", type=int, default=80)
    parser.add_argument("--parallel", type=int, required=True, help="the platform's worker slots")
    args = parser.parse_args()
    rt = args.runtime

    # warm up both paths (JIT, page cache, the pool's shape)
    for _ in range(5):
        platform_once(args.url)
        docker_once(args.image, rt)
    time.sleep(1)

    before = phases(args.url)
    platform, docker = [], []
    for _ in range(args.latency_runs):
        platform.append(platform_once(args.url))
        docker.append(docker_once(args.image, rt))
        # the pool refills between two runs, as between two presses of Run
        time.sleep(0.3)
    after = phases(args.url)
    p50p, p95p = pct(platform, 50) * 1000, pct(platform, 95) * 1000
    p50d, p95d = pct(docker, 50) * 1000, pct(docker, 95) * 1000
    memory = idle_pool_memory()

    tp_platform = platform_throughput(args.url, args.throughput_jobs)
    tp_docker = {p: docker_throughput(args.image, rt, args.throughput_jobs, p) for p in (2, 4, 8)}
    best = max(tp_docker, key=tp_docker.get)
    engine = {p: engine_rate(args.image, rt, args.throughput_jobs, p) for p in (2, 4, 8)}

    print(f"runtime: {rt}")
    print(f"latency, {args.latency_runs} sequential hello-world runs each (ms):")
    print(f"  crucible (pool) p50 {p50p:7.1f}   p95 {p95p:7.1f}")
    print(f"  docker run      p50 {p50d:7.1f}   p95 {p95d:7.1f}")
    print(f"  ratio           p50 {p50p / p50d:7.2f}   p95 {p95p / p95d:7.2f}   (target p50 <= 0.25)")
    print("where one evaluation's time goes (mean ms, from crucible_evaluation_phase_seconds):")
    for name in ("queued", "prepare", "execute", "program", "record"):
        sums = after.get(name, {}), before.get(name, {})
        count = sums[0].get("count", 0) - sums[1].get("count", 0)
        if count:
            mean = (sums[0]["sum"] - sums[1].get("sum", 0)) / count * 1000
            label = {"queued": "claim (submitted to picked up)", "prepare": "container handed out",
                     "execute": "code delivered, program run, outcome back", "program": "  of which the program",
                     "record": "result recorded"}[name]
            print(f"  {label:44s} {mean:7.1f}")
    if memory:
        print(f"memory of each idle pooled container: {min(memory):.1f} to {max(memory):.1f} MiB ({len(memory)} measured)")
    print(f"throughput, {args.throughput_jobs} hello-world jobs (jobs/s):")
    print(f"  crucible (pool), {args.parallel} slots   {tp_platform:6.2f}")
    for p, value in tp_docker.items():
        print(f"  docker run, {p} at a time    {value:6.2f}")
    print(f"  ratio to docker run's best ({best} at a time)   {tp_platform / tp_docker[best]:6.2f}   (target >= 1.2)")
    print("the engine alone: containers created, started, waited for, removed per second (Engine API, `true`):")
    for p, value in engine.items():
        print(f"  {p} at a time    {value:6.2f}")


if __name__ == "__main__":
    main()
