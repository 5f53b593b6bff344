#!/usr/bin/env bash
# Benchmark: Crucible with its pool of pre-started containers against plain `docker run --rm`
# (see pool.py), in one run; with --runtime runsc both sides run under gVisor.
#
#   bench/pool.sh [pool.py options]        e.g. bench/pool.sh --runtime runsc
#
# Sets up like ./crucible run, starts the platform on a free port with a throw-away storage
# folder, measures, and stops it. Not a test: it asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh python >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
runtime=runc
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = --runtime ]; then runtime=${args[$((i + 1))]}; fi
done
if [ "$runtime" != runc ]; then
  deploy/dev/ensure-gvisor.sh >/dev/null
fi
slots=${CRUCIBLE_WORKER_CONCURRENCY:-$(nproc)}
start_platform --crucible.worker.concurrency="$slots" --crucible.sandbox.runtime="$runtime" --crucible.pool.enabled=true
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}'), platform slots: $slots"
cd bench
python3 pool.py --url "http://localhost:$port" --parallel "$slots" "$@"
