#!/usr/bin/env bash
# Benchmark: evaluations with callbacks (to a receiver on 127.0.0.1, prompt and slow) against the
# same evaluations without, in one run (see callbacks.py).
#
#   bench/callbacks.sh [callbacks.py options]        e.g. bench/callbacks.sh --jobs 100 --rounds 2
#
# Sets up like ./crucible run, starts the platform on a free port with a throw-away storage
# folder (its receivers on 127.0.0.1 allowed, a throw-away signing secret), measures, and stops
# it. Not a test: it asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/dev/ensure-docker.sh >/dev/null
deploy/runtimes/build.sh python >/dev/null
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
secret=$(python3 -c 'import secrets; print("whsec_bench_" + secrets.token_hex(16))')
slots=${CRUCIBLE_WORKER_CONCURRENCY:-$(nproc)}
CRUCIBLE_WEBHOOKS_SECRET=$secret start_platform --crucible.worker.concurrency="$slots" \
  --crucible.webhooks.allowed-hosts=127.0.0.1
echo "machine: $(nproc) cores, $(docker version --format 'Docker {{.Server.Version}}'), platform slots: $slots"
cd bench
python3 callbacks.py --url "http://localhost:$port" --secret "$secret" "$@"
