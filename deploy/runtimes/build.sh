#!/usr/bin/env bash
# Builds Crucible's runtime images (the images evaluations run in).
#
#   deploy/runtimes/build.sh [--force] [python|node ...]     (default: all)
#
# Where a registry is reachable the images come from the Dockerfiles next to this
# script. Where none is (no Docker Hub, as on the build machines), the same tags
# are built offline from Debian packages: debootstrap minbase + python3 / nodejs,
# then `docker import`. Downloaded .debs are cached in $CRUCIBLE_DEB_CACHE.
# Existing images are kept unless --force is given.
#
# Environment:
#   CRUCIBLE_RUNTIME_SOURCE  auto (default) | dockerfile | debootstrap
#   CRUCIBLE_PYTHON_IMAGE    tag for python (default crucible-runtime/python:3.11)
#   CRUCIBLE_NODE_IMAGE      tag for node   (default crucible-runtime/node:18)
#   CRUCIBLE_DEB_CACHE       .deb cache     (default /var/cache/crucible/debs)
#   CRUCIBLE_DEBIAN_MIRROR   (default http://deb.debian.org/debian)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/lib/debian-image.sh
. "$here/../lib/debian-image.sh"
source_mode=${CRUCIBLE_RUNTIME_SOURCE:-auto}

force=false
runtimes=()
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    python|node) runtimes+=("$arg") ;;
    *) echo "usage: $0 [--force] [python|node ...]" >&2; exit 2 ;;
  esac
done
[ ${#runtimes[@]} -gt 0 ] || runtimes=(python node)

tag_of() {
  case "$1" in
    python) echo "${CRUCIBLE_PYTHON_IMAGE:-crucible-runtime/python:3.11}" ;;
    node) echo "${CRUCIBLE_NODE_IMAGE:-crucible-runtime/node:18}" ;;
  esac
}
package_of() {
  case "$1" in
    python) echo python3 ;;   # not python3-minimal: it has no json module
    node) echo nodejs ;;
  esac
}
base_of() {
  sed -n 's/^ARG BASE=//p' "$here/Dockerfile.$1"
}
registry_reachable() {
  # A pull of the Dockerfile's base image is the honest test; it fails at once
  # (DNS) where no registry is reachable.
  timeout 120 docker pull -q "$(base_of "$1")" >/dev/null 2>&1
}

build_from_dockerfile() {
  local runtime=$1 tag=$2
  echo "runtimes: building $tag from deploy/runtimes/Dockerfile.$runtime"
  docker build -q -f "$here/Dockerfile.$runtime" -t "$tag" "$here" >/dev/null
}

build_from_debian() {
  local runtime=$1 tag=$2
  DEBIAN_IMAGE_DIRS=code debian_image "$tag" "$(package_of "$runtime")" \
    "LABEL org.crucible.runtime=$runtime org.crucible.runtime.source=debootstrap"
}

for runtime in "${runtimes[@]}"; do
  tag=$(tag_of "$runtime")
  if ! $force && docker image inspect "$tag" >/dev/null 2>&1; then
    echo "runtimes: $tag is present"
    continue
  fi
  case "$source_mode" in
    dockerfile) build_from_dockerfile "$runtime" "$tag" ;;
    debootstrap) build_from_debian "$runtime" "$tag" ;;
    auto)
      if registry_reachable "$runtime"; then
        build_from_dockerfile "$runtime" "$tag"
      else
        echo "runtimes: no registry answers for $(base_of "$runtime"); building offline"
        build_from_debian "$runtime" "$tag"
      fi ;;
    *) echo "CRUCIBLE_RUNTIME_SOURCE must be auto, dockerfile or debootstrap" >&2; exit 2 ;;
  esac
  docker run --rm --network none "$tag" sh -c 'command -v python3 || command -v node' >/dev/null \
    || { echo "runtimes: $tag was built but has no interpreter" >&2; exit 1; }
  echo "runtimes: $tag ready ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
done
