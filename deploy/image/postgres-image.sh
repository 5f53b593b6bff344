#!/usr/bin/env bash
# Makes a small PostgreSQL 15 image offline, from Debian's packages (no registry answers on the
# build machines here), for docker-compose.scale.yml:
#
#   deploy/image/postgres-image.sh [--force] [TAG]        (default tag crucible-base/postgres:15)
#
# It takes the official postgres image's settings (POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB,
# PGDATA; see postgres-entrypoint.sh), data folder and health check tool, so where a registry
# answers the compose file can run `postgres:15` instead (CRUCIBLE_POSTGRES_IMAGE=postgres:15).
# An existing image is kept unless --force is given.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/lib/debian-image.sh
. "$here/../lib/debian-image.sh"

force=false
if [ "${1:-}" = --force ]; then
  force=true
  shift
fi
tag=${1:-${CRUCIBLE_POSTGRES_IMAGE:-crucible-base/postgres:15}}

if ! $force && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "images: $tag is present"
  exit 0
fi

# Debian's package scripts made a cluster (15/main) and its configuration while installing: the
# image starts with none, the entrypoint makes one in the volume. The JIT compiler goes too (LLVM
# and what only it uses, about 155 of 370 MB): a queue's short statements do not use it, and
# without its library PostgreSQL simply runs without JIT. Then the entrypoint and the empty data
# folder (owned by postgres, so a new named volume is too).
postgres_rootfs() {
  local rootfs=$1
  debian_as_root rm -rf "$rootfs/var/lib/postgresql/15" "$rootfs/etc/postgresql/15" \
    "$rootfs"/usr/lib/postgresql/15/lib/llvmjit* "$rootfs/usr/lib/postgresql/15/lib/bitcode" \
    "$rootfs"/usr/lib/*-linux-gnu/libLLVM-14.so* "$rootfs"/usr/lib/*-linux-gnu/libz3.so*
  debian_as_root install -m 0755 "$here/postgres-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
  debian_as_root chroot "$rootfs" install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
  debian_as_root chroot "$rootfs" install -d -o postgres -g postgres -m 2775 /run/postgresql
}

DEBIAN_IMAGE_HOOK=postgres_rootfs debian_image "$tag" "postgresql-15" \
  "ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  "ENV PGDATA=/var/lib/postgresql/data" \
  "VOLUME /var/lib/postgresql/data" \
  "EXPOSE 5432" \
  'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  'CMD ["postgres"]' \
  "LABEL org.crucible.image=postgres org.crucible.image.source=debootstrap"

docker run --rm --network none --entrypoint postgres "$tag" --version
echo "images: $tag ready ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
