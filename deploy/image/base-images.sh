#!/usr/bin/env bash
# Makes the two base images the Dockerfile builds on, offline, from Debian packages (for hosts
# that reach no image registry, as the build machines here):
#
#   crucible-base/build:bookworm    JDK 17, Maven, gcc (the sandbox launcher is a static C binary)
#   crucible-base/runtime:bookworm  JRE 17 and curl (for the health check)
#
#   deploy/image/base-images.sh [--force]
#
# Elsewhere the Dockerfile's defaults (public Maven and Temurin images) need none of this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/lib/debian-image.sh
. "$here/../lib/debian-image.sh"

force=false
[ "${1:-}" = --force ] && force=true

build_base=${CRUCIBLE_BUILD_BASE:-crucible-base/build:bookworm}
runtime_base=${CRUCIBLE_RUNTIME_BASE:-crucible-base/runtime:bookworm}

present() { docker image inspect "$1" >/dev/null 2>&1; }

if $force || ! present "$build_base"; then
  debian_image "$build_base" "openjdk-17-jdk-headless,maven,gcc,libc6-dev,ca-certificates,ca-certificates-java" \
    "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"
fi
echo "images: $build_base is present"
if $force || ! present "$runtime_base"; then
  debian_image "$runtime_base" "openjdk-17-jre-headless,ca-certificates,curl"
fi
echo "images: $runtime_base is present"
