#!/usr/bin/env bash
# Builds Crucible's runtime images (the images evaluations run in).
#
#   deploy/runtimes/build.sh [--force] [RUNTIME ...]     (default: all)
#   deploy/runtimes/build.sh --for-languages LANGUAGE ...  (the runtimes those languages run in)
#
# Runtimes: python, node, gcc (languages c and cpp), java, go, rust, python-science.
#
# Where a registry is reachable the images come from the Dockerfiles next to this
# script. Where none is (no Docker Hub, as on the build machines), the same tags
# are built offline from Debian packages: debootstrap minbase + python3 / nodejs,
# then `docker import`. Both ways install the same Debian bookworm packages for the compiled
# languages and python-science. Downloaded .debs are cached in $CRUCIBLE_DEB_CACHE.
# Existing images are kept unless --force is given.
#
# Environment:
#   CRUCIBLE_RUNTIME_SOURCE  auto (default) | dockerfile | debootstrap
#   CRUCIBLE_PYTHON_IMAGE    tag for python (default crucible-runtime/python:3.11)
#   CRUCIBLE_NODE_IMAGE      tag for node   (default crucible-runtime/node:18)
#   (the other tags are fixed: crucible-runtime/gcc:12, java:17, go:1.19, rust:1.63,
#   python-science:3.11, as the languages table in application.yml names them)
#   CRUCIBLE_DEB_CACHE       .deb cache     (default /var/cache/crucible/debs)
#   CRUCIBLE_DEBIAN_MIRROR   (default http://deb.debian.org/debian)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/lib/debian-image.sh
. "$here/../lib/debian-image.sh"
source_mode=${CRUCIBLE_RUNTIME_SOURCE:-auto}

force=false
runtimes=()
all=(python node gcc java go rust python-science)
runtime_of_language() {
  case "$1" in
    python|node|java|go|rust|python-science) echo "$1" ;;
    node-module) echo node ;;
    c|cpp) echo gcc ;;
    *) echo "runtimes: no runtime image for language $1" >&2; return 1 ;;
  esac
}
languages=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --for-languages) languages=true ;;
    *)
      if $languages; then
        runtime=$(runtime_of_language "$arg")
      elif [[ " ${all[*]} " == *" $arg "* ]]; then
        runtime=$arg
      else
        echo "usage: $0 [--force] [${all[*]// /|} ...] | --for-languages LANGUAGE ..." >&2; exit 2
      fi
      [[ " ${runtimes[*]} " == *" $runtime "* ]] || runtimes+=("$runtime") ;;
  esac
done
[ ${#runtimes[@]} -gt 0 ] || $languages || runtimes=("${all[@]}")

tag_of() {
  case "$1" in
    python) echo "${CRUCIBLE_PYTHON_IMAGE:-crucible-runtime/python:3.11}" ;;
    node) echo "${CRUCIBLE_NODE_IMAGE:-crucible-runtime/node:18}" ;;
    gcc) echo crucible-runtime/gcc:12 ;;
    java) echo crucible-runtime/java:17 ;;
    go) echo crucible-runtime/go:1.19 ;;
    rust) echo crucible-runtime/rust:1.63 ;;
    python-science) echo crucible-runtime/python-science:3.11 ;;
  esac
}
package_of() {
  case "$1" in
    python) echo python3 ;;   # not python3-minimal: it has no json module
    node) echo nodejs ;;
    gcc) echo gcc,g++,libc6-dev ;;
    java) echo openjdk-17-jdk-headless ;;
    go) echo golang-go ;;
    rust) echo rustc,libc6-dev ;;
    python-science) echo python3,python3-numpy,python3-pandas,python3-scipy,python3-sklearn,python3-matplotlib ;;
  esac
}
# what the image's environment needs beyond LANG and PATH (the Dockerfiles say the same)
env_of() {
  case "$1" in
    # go build needs a cache and a GOPATH; the sandbox's only writable place is /tmp
    go) echo "ENV GOCACHE=/tmp/go-cache GOPATH=/tmp/go CGO_ENABLED=0" ;;
    # plots are written to files, never shown; matplotlib's cache goes where it may write
    python-science) echo "ENV MPLBACKEND=Agg MPLCONFIGDIR=/tmp/matplotlib" ;;
  esac
}
# a command that proves the image can do its work
check_of() {
  case "$1" in
    python) echo "python3 -c pass" ;;
    node) echo "node -e 0" ;;
    gcc) echo "g++ --version" ;;
    java) echo "javac -version" ;;
    go) echo "go version" ;;
    rust) echo "rustc --version" ;;
    python-science) echo "python3 -c 'import numpy, pandas, scipy, sklearn, matplotlib'" ;;
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
  local changes=("LABEL org.crucible.runtime=$runtime org.crucible.runtime.source=debootstrap")
  [ -z "$(env_of "$runtime")" ] || changes+=("$(env_of "$runtime")")
  DEBIAN_IMAGE_DIRS=code debian_image "$tag" "$(package_of "$runtime")" "${changes[@]}"
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
  docker run --rm --network none --user 65534:65534 --read-only --tmpfs /tmp "$tag" sh -c "$(check_of "$runtime")" >/dev/null \
    || { echo "runtimes: $tag was built but cannot run $(check_of "$runtime")" >&2; exit 1; }
  echo "runtimes: $tag ready ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
done
