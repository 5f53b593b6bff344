#!/usr/bin/env bash
# Makes gVisor (runsc, a kernel in user space) available to the Docker engine as the OCI runtime
# named `runsc`, for crucible.sandbox.runtime=runsc.
#
# Installs Debian's runsc package when it is missing and registers the runtime in
# /etc/docker/daemon.json, merged into what the file already holds (an operator's settings are
# kept; the file is only written when runsc is not registered yet). "--network=none" is needed
# because the sandboxes have no network: without it runsc refuses containers without a network
# namespace of their own. A running engine reloads its runtime table on SIGHUP: it is never
# restarted, so running containers are not touched.
set -euo pipefail

config=${CRUCIBLE_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
runtime=${CRUCIBLE_GVISOR_RUNTIME_NAME:-runsc}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
registered() { docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q "\"$runtime\""; }

if registered; then
  echo "gvisor: the engine knows the runtime $runtime"
  exit 0
fi

if ! command -v runsc >/dev/null 2>&1; then
  echo "gvisor: installing runsc from the Debian archive"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends runsc >/dev/null
fi
runsc_path=$(command -v runsc)

as_root mkdir -p "$(dirname "$config")"
as_root python3 - "$config" "$runtime" "$runsc_path" <<'PY'
import json, os, sys
path, name, binary = sys.argv[1:]
settings = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        settings = json.load(f)  # a broken file stops here: never overwrite what cannot be read
runtimes = settings.setdefault("runtimes", {})
if name not in runtimes:
    runtimes[name] = {"path": binary, "runtimeArgs": ["--network=none"]}
    tmp = path + ".crucible-tmp"
    with open(tmp, "w") as f:
        json.dump(settings, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print(f"gvisor: registered {name} ({binary}) in {path}")
PY

pid=$(pgrep -o -x dockerd || true)
if [ -z "$pid" ]; then
  echo "gvisor: no dockerd is running; start the engine (deploy/dev/ensure-docker.sh) and run this again" >&2
  exit 1
fi
as_root kill -HUP "$pid"
for _ in $(seq 1 100); do
  if registered; then
    echo "gvisor: the engine knows the runtime $runtime"
    exit 0
  fi
  sleep 0.1
done
echo "gvisor: the engine did not load the runtime $runtime; see the dockerd log" >&2
exit 1
