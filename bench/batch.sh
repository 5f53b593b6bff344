#!/usr/bin/env bash
# Benchmark: batch uploads (see bench/batch.py).
#
#   bench/batch.sh [ingest-files] [throughput-programs]     (defaults: 5000 and 200)
#
# 1. Ingest: a 5 000-file zip uploaded to a platform whose Docker is unreachable (nothing runs, so
#    only the upload, its checks and the ingest step are timed). Target: under 10 s.
# 2. Throughput: N hello-world programs one by one, then the same N as one batch, on a platform
#    with Docker. Target: the batch at least as fast.
# Each platform runs on a throw-away storage folder and a free port. Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-5000}
programs=${2:-200}
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}')"
start_platform --crucible.docker.host=unix:///nonexistent/docker.sock --crucible.queue.max-size=100000
python3 bench/batch.py ingest --url "http://localhost:$port" -n "$files"
stop_platform
start_platform
python3 bench/batch.py throughput --url "http://localhost:$port" -n "$programs"
