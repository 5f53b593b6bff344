#!/usr/bin/env bash
# Runs a Maven test command with the Docker traffic going through the socket proxy, to show that
# the platform needs nothing the proxy refuses:
#
#   deploy/socket-proxy/with-proxy.sh mvn -B -q -Dtest=SandboxTest test
#   deploy/socket-proxy/with-proxy.sh --platform-only mvn -B -q -Dtest=OrphanReaperTest test
#
# It starts haproxy with this folder's haproxy.cfg on a private unix socket, points the platform
# under test at it (CRUCIBLE_DOCKER_HOST, read by Spring tests) and, unless --platform-only, the
# tests' own Docker client too (-Dcrucible.test.docker-host, appended to the command). Use
# --platform-only for tests that make their fixtures with plain containers (OrphanReaperTest).
set -euo pipefail

tests_too=true
if [ "${1:-}" = "--platform-only" ]; then
  tests_too=false
  shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [--platform-only] mvn ..." >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/crucible-proxy.XXXXXX)
socket="$dir/docker.sock"
# SandboxTest's missing-image case needs a configured image that does not exist: the daemon, not
# the proxy, must answer that one (404)
export CRUCIBLE_PROXY_IMAGES="${CRUCIBLE_PROXY_IMAGES:-crucible-runtime/python:3.11,crucible-runtime/node:18,crucible-runtime/gcc:12,crucible-runtime/java:17,crucible-runtime/go:1.19,crucible-runtime/rust:1.63,crucible-runtime/python-science:3.11,crucible-runtime/does-not-exist:0}"
# the sandbox suite runs under gVisor through the proxy too
export CRUCIBLE_PROXY_RUNTIMES="${CRUCIBLE_PROXY_RUNTIMES:-runc,runsc}"
CRUCIBLE_PROXY_SOCKET="$socket" CRUCIBLE_PROXY_GID="$(id -g)" haproxy -db -f "$here/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
proxy_pid=$!
trap 'kill "$proxy_pid" 2>/dev/null || true; echo "socket proxy log: $dir/haproxy.log" >&2' EXIT
for _ in $(seq 50); do
  [ -S "$socket" ] && break
  sleep 0.1
done
[ -S "$socket" ] || { cat "$dir/haproxy.log" >&2; exit 1; }

export CRUCIBLE_DOCKER_HOST="unix://$socket"
if $tests_too; then
  set -- "$@" "-Dcrucible.test.docker-host=unix://$socket"
fi
status=0
"$@" || status=$?
echo "socket proxy refused $(grep -c '^docker-policy: refused' "$dir/haproxy.log" || true) requests" >&2
exit "$status"
