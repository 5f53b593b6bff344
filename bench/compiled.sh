#!/usr/bin/env bash
# Benchmark: the compiled languages and test cases (see compiled.py).
#
#   bench/compiled.sh [compiled.py options]        e.g. bench/compiled.sh --runs 10
#
# Sets up like ./crucible run with every language enabled, starts the platform on a free port
# with a throw-away storage folder, measures, and stops it. Not a test: it asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
slots=${CRUCIBLE_WORKER_CONCURRENCY:-$(nproc)}
settings=(--crucible.worker.concurrency="$slots")
for language in c cpp java go rust python-science; do
  settings+=("--crucible.languages.$language.enabled=true")
done
start_platform "${settings[@]}"
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}'), platform slots: $slots"
python3 bench/compiled.py --url "http://localhost:$port" --parallel "$slots" "$@"
