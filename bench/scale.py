#!/usr/bin/env python3
"""Hello-world evaluations through the whole platform, monolith and scaled out, in one run.

Setups, each started fresh from the packaged jar and measured the same way:
  - plain `docker run --rm` with the sandbox's flags (the anchor), as many at a time as the
    monolith has slots;
  - the monolith on its embedded H2 (what `./crucible run` starts), and the same with
    --baseline-jar (an earlier build) to show the single-machine default did not get slower;
  - one api process and 1, 2, 3 worker processes on PostgreSQL (they share this machine's cores).

For each: the p50 of sequential `?wait=true` runs (submit to result, as a client sees it) and the
throughput of N jobs submitted at once (until the queue is empty). Standard library only.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import bench

PG = {"host": "127.0.0.1", "port": "5432", "user": os.environ.get("CRUCIBLE_TEST_PG_USER", "crucible_test"),
      "password": os.environ.get("CRUCIBLE_TEST_PG_PASSWORD", "crucible_test")}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql):
    env = dict(os.environ, PGPASSWORD=PG["password"])
    subprocess.run(["psql", "-q", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", "postgres", "-c", sql],
                   env=env, check=True, capture_output=True)


class Node:
    def __init__(self, jar, settings):
        self.port = free_port()
        self.storage = tempfile.mkdtemp(prefix="crucible-scale.")
        self.log = open(os.path.join(self.storage, "platform.log"), "wb")
        args = ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", jar, f"--server.port={self.port}",
                f"--crucible.storage-dir={self.storage}", *[f"--{s}" for s in settings]]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://localhost:{self.port}"

    def wait_healthy(self):
        for _ in range(240):
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2):
                    return
            except Exception:
                if self.proc.poll() is not None:
                    raise SystemExit(f"a node exited at start-up; see {self.storage}/platform.log")
                time.sleep(0.5)
        raise SystemExit(f"a node did not start; see {self.storage}/platform.log")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.storage, ignore_errors=True)


def wait_workers(url, count):
    for _ in range(120):
        workers = bench.get(url + "/api/workers")["workers"]
        if sum(1 for w in workers if w["state"] == "running") == count:
            return
        time.sleep(0.5)
    raise SystemExit(f"{count} workers did not register")


def measure(url, runs, jobs):
    for _ in range(5):
        bench.platform_once(url)
    p50 = bench.pct([bench.platform_once(url) for _ in range(runs)], 50) * 1000
    return p50, bench.platform_throughput(url, jobs)


def monolith(jar, slots, runs, jobs):
    node = Node(jar, [f"crucible.worker.concurrency={slots}"])
    try:
        node.wait_healthy()
        return measure(node.url, runs, jobs)
    finally:
        node.stop()


def scaled(jar, workers, slots, runs, jobs):
    database = f"crucible_scale_bench_{os.getpid()}_{workers}"
    psql(f"CREATE DATABASE {database}")
    common = [f"spring.datasource.url=jdbc:postgresql://{PG['host']}:{PG['port']}/{database}",
              f"spring.datasource.username={PG['user']}", f"spring.datasource.password={PG['password']}"]
    nodes = []
    try:
        api = Node(jar, common + ["crucible.role=api"])
        nodes.append(api)
        api.wait_healthy()  # the api makes the tables; workers start on them
        for _ in range(workers):
            nodes.append(Node(jar, common + ["crucible.role=worker", f"crucible.worker.concurrency={slots}"]))
        for node in nodes:
            node.wait_healthy()
        wait_workers(api.url, workers)
        return measure(api.url, runs, jobs)
    finally:
        for node in nodes:
            node.stop()
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", default="target/crucible-0.1.0-SNAPSHOT.jar")
    parser.add_argument("--baseline-jar", help="an earlier build, measured as a monolith beside this one")
    parser.add_argument("--image", default="crucible-runtime/python:3.11")
    parser.add_argument("--slots", type=int, default=os.cpu_count(), help="slots of the monolith and of each worker")
    parser.add_argument("--runs", type=int, default=20, help="sequential ?wait=true runs per setup")
    parser.add_argument("--jobs", type=int, default=120, help="jobs submitted at once per setup")
    parser.add_argument("--workers", default="1,2,3")
    args = parser.parse_args()

    rows = []
    for _ in range(5):
        bench.docker_once(args.image)
    docker_p50 = bench.pct([bench.docker_once(args.image) for _ in range(args.runs)], 50) * 1000
    rows.append(("docker run --rm (anchor)", args.slots, docker_p50,
                 bench.docker_throughput(args.image, args.jobs, args.slots)))
    rows.append(("monolith on H2 (./crucible run)", args.slots, *monolith(args.jar, args.slots, args.runs, args.jobs)))
    if args.baseline_jar:
        rows.append(("monolith on H2, baseline jar", args.slots,
                     *monolith(args.baseline_jar, args.slots, args.runs, args.jobs)))
    for workers in [int(w) for w in args.workers.split(",")]:
        label = f"1 api + {workers} worker{'s' if workers > 1 else ''}, PostgreSQL"
        rows.append((label, workers * args.slots, *scaled(args.jar, workers, args.slots, args.runs, args.jobs)))

    anchor = rows[0][3]
    print(f"hello world: p50 of {args.runs} sequential runs, and {args.jobs} jobs submitted at once")
    print(f"  {'setup':36} {'slots':>5} {'p50 ms':>8} {'jobs/s':>8} {'vs docker run':>14}")
    for label, slots, p50, throughput in rows:
        print(f"  {label:36} {slots:5d} {p50:8.1f} {throughput:8.2f} {throughput / anchor:14.2f}")


if __name__ == "__main__":
    main()
