# shellcheck shell=bash
# Shared by the benchmark scripts: start and stop the packaged platform on a throw-away storage
# folder and a free port. Source it; it sets $pid, $port and $storage.
jar=target/crucible-0.1.0-SNAPSHOT.jar
pid=
port=
storage=

# start_platform [--setting=value ...]: environment variables (CRUCIBLE_...) pass through.
start_platform() {
  storage=$(mktemp -d /tmp/crucible-bench.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  launch "$@"
}

launch() {
  java -XX:+ExitOnOutOfMemoryError -jar "$jar" --server.port="$port" --crucible.storage-dir="$storage" "$@" >>"$storage/platform.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://localhost:$port/health" && return 0
    sleep 0.5
  done
  echo "the platform did not start; see $storage/platform.log" >&2
  exit 1
}

# stop_platform [keep]: SIGTERM, wait; the storage folder is removed unless "keep" is given.
stop_platform() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
  if [ "${1:-}" != keep ] && [ -n "$storage" ]; then
    rm -rf "$storage"
    storage=
  fi
}

# restart_platform: the same storage and port, started again.
restart_platform() {
  stop_platform keep
  launch "$@"
}

trap stop_platform EXIT
