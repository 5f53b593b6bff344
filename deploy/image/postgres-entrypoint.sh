#!/usr/bin/env bash
# Entrypoint of the offline PostgreSQL image (deploy/image/postgres-image.sh), installed in it as
# /usr/local/bin/docker-entrypoint.sh. It takes the settings of the official postgres image, so a
# compose file works with either:
#
#   POSTGRES_PASSWORD  required on the first start (there is no database without a password)
#   POSTGRES_USER      the superuser (default postgres)
#   POSTGRES_DB        a database made on the first start (default: the user's name)
#   PGDATA             the data folder (default /var/lib/postgresql/data, the volume)
#
# Started as root, it gives the data folder and the socket folder to the postgres user and runs
# itself again as that user. On the first start (no PG_VERSION in PGDATA) it runs initdb with
# password authentication only (scram-sha-256, the socket included), listens on every interface
# of the container (who reaches them is the compose network's business: the port is published
# nowhere), makes POSTGRES_DB, then runs postgres in the foreground as PID 1.
# The password goes to initdb and psql through a pipe and the environment, never a command line.
set -euo pipefail

export PGDATA=${PGDATA:-/var/lib/postgresql/data}

# `docker run IMAGE -c name=value` means postgres with those options, as in the official image
[ $# -gt 0 ] || set -- postgres
first=$1
if [ "${first:0:1}" = - ]; then
  set -- postgres "$@"
fi
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  # a fresh volume or a host folder may belong to root
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 0700 "$PGDATA"
  chown postgres:postgres /run/postgresql
  chmod 2775 /run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set for the first start (it becomes the superuser password)}"
  user=${POSTGRES_USER:-postgres}
  database=${POSTGRES_DB:-$user}
  echo "postgres-entrypoint: initialising $PGDATA (superuser $user, database $database)"
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    # a server on the socket only (nothing outside the container sees it half-made)
    pg_ctl --silent -D "$PGDATA" -o "-c listen_addresses=''" -w start
    PGPASSWORD=$POSTGRES_PASSWORD psql -q -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres \
      -v database="$database" <<<'CREATE DATABASE :"database"'
    pg_ctl --silent -D "$PGDATA" -m fast -w stop
  fi
  echo "postgres-entrypoint: $PGDATA is ready"
fi

unset POSTGRES_PASSWORD
exec "$@"
