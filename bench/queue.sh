#!/usr/bin/env bash
# Benchmark: the queue alone, with a no-op executor in place of Docker (QueueBench in the test
# sources): claims per second and claim + record cycles per second with 1, 2 and 4 workers on
# PostgreSQL and 1 on H2 (the embedded database belongs to one process), then submit-to-claim
# latency on H2, on PostgreSQL with polling only and with LISTEN/NOTIFY. Not a test: it asserts
# no timing. Run it on an otherwise idle machine.
#
#   bench/queue.sh [BACKLOG [SECONDS]]      defaults: 20000 rows, 10 s of submissions
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-postgres.sh >/dev/null
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(psql --version | head -n 1), $(java -version 2>&1 | head -n 1)"
exec java -XX:+ExitOnOutOfMemoryError -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.crucible.dispatch.QueueBench "$@"
