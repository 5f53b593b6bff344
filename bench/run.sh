#!/usr/bin/env bash
# Benchmark: Crucible against plain `docker run --rm` in the same run (see bench.py).
#
#   bench/run.sh [bench.py options]        e.g. bench/run.sh --latency-runs 60
#
# Sets up like ./crucible run (Docker engine, runtime images, the jar), starts the platform on a
# free port with a throw-away storage folder, measures, and stops it. Not a test: it asserts no timing.
# CRUCIBLE_WORKER_CONCURRENCY sets the platform's slots (default: one per core); the docker run
# side runs as many at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
slots=${CRUCIBLE_WORKER_CONCURRENCY:-$(nproc)}
start_platform --crucible.worker.concurrency="$slots"
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}'), platform slots: $slots"
python3 bench/bench.py --url "http://localhost:$port" --parallel "$slots" "$@"
