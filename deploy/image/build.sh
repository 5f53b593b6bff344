#!/usr/bin/env bash
# Builds the platform's own image from the top-level Dockerfile.
#
#   deploy/image/build.sh [TAG] [TARGET]          (defaults: crucible:latest, production)
#
# Where no registry answers (the build machines here), the base images are first made offline
# from Debian packages (deploy/image/base-images.sh) and passed as build arguments. The CA
# certificates this host trusts beyond the usual ones (a TLS-inspecting egress proxy, say) are
# handed to the build stage only, so Maven can download; the final image does not contain them.
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-crucible:latest}
target=${2:-production}

args=()
if ! timeout 60 docker pull -q eclipse-temurin:17-jre >/dev/null 2>&1; then
  echo "image: no registry answers; building on base images made from Debian packages"
  deploy/image/base-images.sh
  args+=(--build-arg BUILD_BASE="${CRUCIBLE_BUILD_BASE:-crucible-base/build:bookworm}")
  args+=(--build-arg RUNTIME_BASE="${CRUCIBLE_RUNTIME_BASE:-crucible-base/runtime:bookworm}")
fi

# extra CAs for the build stage (never copied into the final image)
rm -f deploy/image/extra-ca/*.crt
for ca in /usr/local/share/ca-certificates/*.crt; do
  [ -e "$ca" ] && cp "$ca" deploy/image/extra-ca/
done

echo "image: building $tag (target $target)"
docker build "${args[@]}" --target "$target" -t "$tag" .
rm -f deploy/image/extra-ca/*.crt
