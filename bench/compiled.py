#!/usr/bin/env python3
"""Compiled languages and test cases through Crucible, against plain `docker run` in the same run.

1. Each compiled language: a hello world compiled and run through the platform
   (POST /api/eval?wait=true, submit to result as the client sees it) against two `docker run --rm`
   doing the same: the compiler with the same flags and image writing into a host folder, then the
   program from it, each container with the sandbox's flags. Alternating, --runs times each.
2. Test cases: one evaluation of --cases test cases against --cases separate evaluations of the
   same program (submitted at once, as many running as the platform has slots), in C (compiled
   once against --cases times) and in Python.

Prints medians and ratios. Standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

from bench import await_idle, get, post  # the same client as bench.py

SANDBOX_FLAGS = [
    "--network", "none", "--cpus", "1", "--pids-limit", "64", "--read-only",
    "--tmpfs", "/tmp:rw,noexec,nosuid,nodev,size=16777216,mode=1777",
    "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", "65534:65534",
    "--ulimit", "nofile=256:256", "--ulimit", "fsize=16777216:16777216", "--ulimit", "core=0:0",
    "--log-driver", "none",
]

HELLO = {
    "c": ("main.c", '#include <stdio.h>\nint main(void) { printf("hello\\n"); return 0; }\n'),
    "cpp": ("main.cpp", '#include <iostream>\nint main() { std::cout << "hello" << std::endl; }\n'),
    "java": ("Main.java", 'public class Main { public static void main(String[] a) { System.out.println("hello"); } }\n'),
    "go": ("main.go", 'package main\nimport "fmt"\nfunc main() { fmt.Println("hello") }\n'),
    "rust": ("main.rs", 'fn main() { println!("hello"); }\n'),
}
# the same commands as the languages table (src/main/resources/application.yml)
IMAGES = {"c": "crucible-runtime/gcc:12", "cpp": "crucible-runtime/gcc:12", "java": "crucible-runtime/java:17",
          "go": "crucible-runtime/go:1.19", "rust": "crucible-runtime/rust:1.63"}
COMPILE = {
    "c": ["gcc", "-std=c17", "-O2", "-pipe", "-Wall", "-o", "/build/main", "main.c", "-lm"],
    "cpp": ["g++", "-std=c++17", "-O2", "-pipe", "-Wall", "-o", "/build/main", "main.cpp"],
    "java": ["javac", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J-XX:-UsePerfData", "-encoding", "UTF-8",
             "-d", "/build", "Main.java"],
    "go": ["go", "build", "-o", "/build/main", "main.go"],
    "rust": ["rustc", "--edition=2021", "-O", "-o", "/build/main", "main.rs"],
}
RUN = {
    "c": ["/build/main"], "cpp": ["/build/main"], "go": ["/build/main"], "rust": ["/build/main"],
    "java": ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", "/build", "Main"],
}

SQUARE_C = '#include <stdio.h>\nint main(void) { long n; scanf("%ld", &n); printf("%ld\\n", n * n); return 0; }\n'
SQUARE_PY = 'n = int(input())\nprint(n * n)\n'


def platform_hello(base, language):
    name, code = HELLO[language]
    start = time.perf_counter()
    result = post(base + "/api/eval?wait=true", {"language": language, "code": code})
    elapsed = time.perf_counter() - start
    assert result["status"] == "completed" and result["stdout"] == "hello\n", result
    return elapsed, result["compile_time_ms"], result["runtime_ms"]


def docker_hello(language):
    name, code = HELLO[language]
    work = tempfile.mkdtemp(prefix="crucible-bench-")
    try:
        src, build = os.path.join(work, "code"), os.path.join(work, "build")
        os.makedirs(src)
        os.makedirs(build)
        with open(os.path.join(src, name), "w") as f:
            f.write(code)
        os.chmod(work, 0o755)
        os.chmod(src, 0o755)
        os.chmod(build, 0o777)
        start = time.perf_counter()
        subprocess.run(["docker", "run", "--rm", *SANDBOX_FLAGS, "--memory", "1g", "--memory-swap", "1g",
                        "-v", src + ":/code:ro", "-v", build + ":/build", "-w", "/code", IMAGES[language],
                        *COMPILE[language]], capture_output=True, text=True, check=True)
        out = subprocess.run(["docker", "run", "--rm", *SANDBOX_FLAGS, "--memory", "100m", "--memory-swap", "100m",
                              "-v", src + ":/code:ro", "-v", build + ":/build:ro", "-w", "/code", IMAGES[language],
                              *RUN[language]], capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - start
        assert out.stdout == "hello\n", out
        return elapsed
    finally:
        subprocess.run(["docker", "run", "--rm", "-v", work + ":/w", IMAGES[language], "rm", "-rf", "/w/build"],
                       capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def cases_once(base, language, code, n):
    cases = [{"name": f"n={i}", "stdin": str(i), "expected_output": str(i * i)} for i in range(n)]
    start = time.perf_counter()
    result = post(base + "/api/eval?wait=true", {"language": language, "code": code, "test_cases": cases})
    elapsed = time.perf_counter() - start
    assert result["verdict"] == "passed" and result["tests_passed"] == n, result
    return elapsed


def separately(base, language, code, n):
    start = time.perf_counter()
    ids = [post(base + "/api/eval", {"language": language, "code": code, "stdin": str(i), "expected_output": str(i * i)})
           ["eval_id"] for i in range(n)]
    await_idle(base)
    elapsed = time.perf_counter() - start
    verdicts = [get(base + "/api/eval/" + i)["verdict"] for i in ids]
    assert verdicts == ["passed"] * n, verdicts
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--languages", default="c,cpp,java,go,rust")
    args = parser.parse_args()
    base = args.url

    print("== hello world, compile + run: Crucible (?wait=true) against docker run (compile, then run) ==")
    print(f"{'language':9} {'crucible p50':>13} {'docker p50':>11} {'ratio':>6} {'compile_time_ms p50':>20}")
    for language in args.languages.split(","):
        platform_hello(base, language)  # warm: the image's first container after a restart is slower
        docker_hello(language)
        ours, theirs, compile_ms = [], [], []
        for _ in range(args.runs):
            elapsed, compiled, _ = platform_hello(base, language)
            ours.append(elapsed)
            compile_ms.append(compiled)
            theirs.append(docker_hello(language))
        p50, d50 = statistics.median(ours), statistics.median(theirs)
        print(f"{language:9} {p50 * 1000:>10.0f} ms {d50 * 1000:>8.0f} ms {p50 / d50:>6.2f} {statistics.median(compile_ms):>17.0f} ms")

    print(f"\n== {args.cases} test cases in one evaluation against {args.cases} evaluations "
          f"({args.parallel} slots) ==")
    print(f"{'language':9} {'one evaluation':>15} {'separately':>11} {'speed-up':>9}")
    for language, code in (("c", SQUARE_C), ("python", SQUARE_PY)):
        cases_once(base, language, code, 3)
        together = cases_once(base, language, code, args.cases)
        apart = separately(base, language, code, args.cases)
        print(f"{language:9} {together:>13.2f} s {apart:>9.2f} s {apart / together:>8.1f}x")


if __name__ == "__main__":
    main()
