#!/usr/bin/env bash
# Benchmark: the admin pages on a history of 100 000 evaluations (bench/seed-history.sql).
#
#   bench/dashboard.sh [--runs N]
#
# Starts the platform once on a throw-away storage folder (to create the schema), stops it,
# writes 100 000 synthetic evaluations into its H2 database, starts it again and times the pages
# with bench/dashboard.py. Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/crucible-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package
. bench/lib.sh
password=bench-$RANDOM$RANDOM
export CRUCIBLE_ADMIN_PASSWORD=$password
start_platform --crucible.worker.concurrency=0
stop_platform keep
mkdir -p "$storage/lib"
unzip -q -o -j "$jar" 'BOOT-INF/lib/h2-*.jar' -d "$storage/lib"
seed_start=$(date +%s.%N)
java -cp "$storage"/lib/h2-*.jar org.h2.tools.RunScript -url "jdbc:h2:file:$storage/crucible" -user sa \
  -script bench/seed-history.sql
echo "seeded 100 000 evaluations in $(python3 -c "print(round($(date +%s.%N) - $seed_start, 1))") s"
restart_platform --crucible.worker.concurrency=0
echo "machine: $(nproc) cores; H2 file database; pages as the logged-in admin"
python3 bench/dashboard.py --url "http://localhost:$port" --password "$password" "$@"
