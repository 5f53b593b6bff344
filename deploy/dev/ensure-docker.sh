#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock.
# On a fresh Debian/Ubuntu machine without one (and without systemd) it installs
# docker.io and starts dockerd in the background. It never starts a second daemon.
set -euo pipefail

log_dir=${CRUCIBLE_DOCKERD_LOG_DIR:-/var/log}
sock=/var/run/docker.sock

answers() { docker info >/dev/null 2>&1; }

if answers; then
  echo "docker: an engine already answers"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker: no engine installed; installing docker.io from the Debian archive"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi

if pgrep -x dockerd >/dev/null 2>&1; then
  echo "docker: dockerd is running but does not answer yet; waiting"
elif command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  as_root systemctl start docker
else
  echo "docker: starting dockerd (log: $log_dir/dockerd.log)"
  as_root mkdir -p "$log_dir"
  # setsid: the daemon must outlive this script and the shell that called it.
  as_root setsid /usr/sbin/dockerd >>"$log_dir/dockerd.log" 2>&1 < /dev/null &
fi

for _ in $(seq 1 300); do
  if answers; then
    echo "docker: engine answers on $sock"
    exit 0
  fi
  sleep 0.1
done
echo "docker: the engine did not answer within 30 s; see $log_dir/dockerd.log" >&2
exit 1
