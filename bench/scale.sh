#!/usr/bin/env bash
# Benchmark: hello-world evaluations through the whole platform, the monolith on H2 and one api
# with 1, 2 and 3 workers on PostgreSQL, against plain `docker run --rm` in the same run (see
# scale.py). Not a test: it asserts no timing. Run it on an otherwise idle machine.
#
#   bench/scale.sh [scale.py options]   e.g. bench/scale.sh --baseline-jar /tmp/old.jar --jobs 120
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh >/dev/null
deploy/dev/ensure-postgres.sh >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}'), $(psql --version | head -n 1)"
exec python3 bench/scale.py "$@"
