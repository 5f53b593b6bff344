# shellcheck shell=bash
# Builds a Docker image from Debian packages with no registry at all: debootstrap (minbase) plus
# the given packages, cleaned of package lists and docs, then `docker import`. Sourced by the
# image scripts in deploy/.
#
#   debian_image TAG "PACKAGE,PACKAGE" [docker import -c changes ...]
#
# Environment: CRUCIBLE_DEB_CACHE (default /var/cache/crucible/debs), CRUCIBLE_DEBIAN_MIRROR,
# DEBIAN_IMAGE_DIRS (folders to create in the image, space-separated, e.g. "code"),
# DEBIAN_IMAGE_HOOK (a shell function called with the root filesystem's path after the clean-up
# and before the import, to add files or take away what the packages' scripts made; the folder
# belongs to root: write into it with debian_as_root).

debian_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

debian_image() {
  local tag=$1 packages=$2
  shift 2
  local cache=${CRUCIBLE_DEB_CACHE:-/var/cache/crucible/debs}
  local mirror=${CRUCIBLE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "images: installing debootstrap"
    debian_as_root apt-get update -qq
    debian_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  debian_as_root mkdir -p "$cache"
  local rootfs
  rootfs=$(mktemp -d /var/tmp/crucible-rootfs.XXXXXX)
  echo "images: building $tag offline from Debian bookworm ($packages)"
  if ! debian_as_root debootstrap --variant=minbase --include="$packages" --cache-dir="$cache" \
      bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
    cat "$rootfs.log" >&2
    debian_as_root rm -rf "$rootfs" "$rootfs.log"
    return 1
  fi
  rm -f "$rootfs.log"
  debian_as_root rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  local dir
  for dir in ${DEBIAN_IMAGE_DIRS:-}; do
    debian_as_root mkdir -p "$rootfs/$dir"
  done
  if [ -n "${DEBIAN_IMAGE_HOOK:-}" ]; then
    "$DEBIAN_IMAGE_HOOK" "$rootfs"
  fi
  local changes=(-c 'ENV LANG=C.UTF-8' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  for change in "$@"; do
    changes+=(-c "$change")
  done
  debian_as_root tar --numeric-owner -C "$rootfs" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  debian_as_root rm -rf "$rootfs"
}
