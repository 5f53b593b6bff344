#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the tests of the PostgreSQL mode,
# with a role that may create databases (each test makes its own and drops it afterwards).
# On a fresh Debian/Ubuntu machine without one (and without systemd) it installs Debian's
# postgresql and starts its cluster with pg_ctlcluster. It never starts a second server.
#
#   role:     ${CRUCIBLE_TEST_PG_USER:-crucible_test}, password ${CRUCIBLE_TEST_PG_PASSWORD:-crucible_test}
#   server:   127.0.0.1:${CRUCIBLE_TEST_PG_PORT:-5432} (the cluster listens on localhost only, Debian's default)
set -euo pipefail

user=${CRUCIBLE_TEST_PG_USER:-crucible_test}
password=${CRUCIBLE_TEST_PG_PASSWORD:-crucible_test}
port=${CRUCIBLE_TEST_PG_PORT:-5432}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgres: not installed; installing postgresql from the Debian archive"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

answers() { as_postgres psql -qtA -p "$port" -c 'SELECT 1' >/dev/null 2>&1; }

if ! answers; then
  # the newest installed cluster, as Debian made it
  read -r version cluster _ < <(pg_lsclusters --no-header | sort -k1,1nr | head -n 1)
  if [ -z "${version:-}" ]; then
    echo "postgres: no cluster exists; run pg_createcluster first" >&2
    exit 1
  fi
  echo "postgres: starting cluster $version/$cluster"
  as_root pg_ctlcluster "$version" "$cluster" start
  for _ in $(seq 1 100); do
    answers && break
    sleep 0.1
  done
  answers || { echo "postgres: the server does not answer on port $port" >&2; exit 1; }
fi

# the tests' role; its name and password go through psql's variables (read from standard input,
# where psql interpolates them), never through a command line of the shell
exists=$(as_postgres psql -qtA -p "$port" -v name="$user" <<<"SELECT 1 FROM pg_roles WHERE rolname = :'name'")
if [ "$exists" != 1 ]; then
  as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -v name="$user" -v password="$password" \
    <<<"CREATE ROLE :\"name\" LOGIN CREATEDB PASSWORD :'password'"
  echo "postgres: made the role $user"
fi
echo "postgres: answers on 127.0.0.1:$port"
