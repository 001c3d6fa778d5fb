#!/usr/bin/env bash
# A throw-away PostgreSQL + PostGIS cluster for the tests (and for trying the app on
# PostgreSQL by hand):
#   bash scripts/pg.sh start   creates and starts it, prints its URL
#   bash scripts/pg.sh url     prints the URL of the running one
#   bash scripts/pg.sh stop    stops it and removes its directory
# The cluster lives in a fresh /tmp/landmarks-pg.XXXXXX: data/, socket/ (the only way in:
# no TCP listener, and the folder is open to its owner alone, so trust authentication
# lets in nobody else; root passes anyway), log and url.  Which one is running is
# recorded in $LANDMARKS_PG_STATE (default var/pg-cluster), so several can run side by
# side (scripts/test.sh keeps its own).  It is tuned for speed, not safety (fsync=off):
# never put data there that you want to keep.
# initdb refuses root: as root the cluster runs as $LANDMARKS_PG_OWNER (default Debian's
# `postgres`, created by the postgresql package); as any other user it runs as that user.
# The URL names the role `landmarks` (a superuser of this throw-away cluster, so a test's database can always be dropped WITH (FORCE)) and the database `landmarks`; the
# template `landmarks_template` has PostGIS, and every new database is copied from it
# (tests/pg.py).
set -euo pipefail
cd "$(dirname "$0")/.."

state=$(realpath -m "${LANDMARKS_PG_STATE:-var/pg-cluster}")
owner=${LANDMARKS_PG_OWNER:-postgres}
# Debian's PostgreSQL 15, the version whose PostGIS package scripts/test.sh installs.
bin=${LANDMARKS_PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

running_dir() {  # the recorded cluster's directory, if it is still running
  local dir
  dir=$(cat "$state" 2>/dev/null) || return 1
  [ -d "$dir/data" ] && (cd /tmp && as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null) \
    && printf '%s\n' "$dir"
}

start() {
  if dir=$(running_dir); then cat "$dir/url"; return; fi
  # What a killed run left behind.
  if dir=$(cat "$state" 2>/dev/null); then stop_dir "$dir"; fi
  [ -x "$bin/initdb" ] || {
    echo "scripts/pg.sh: $bin/initdb is missing (apt-get install postgresql postgresql-15-postgis-3)" >&2
    exit 1
  }
  dir=$(mktemp -d /tmp/landmarks-pg.XXXXXX)
  # A start that fails half-way leaves nothing behind.
  trap 'stop_dir "$dir"' ERR
  mkdir "$dir/socket"
  if [ "$(id -u)" = 0 ]; then chown -R "$owner:" "$dir"; fi
  chmod 700 "$dir" "$dir/socket"
  # The owner may not be allowed into the current folder: work from /tmp.
  cd /tmp
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log"
  # The socket's name carries the port; a free one, so that turning on TCP later
  # (listen_addresses) collides with nothing.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >>"$dir/data/postgresql.conf" <<EOF

# scripts/pg.sh: a throw-away test cluster
listen_addresses = ''
unix_socket_directories = '$dir/socket'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
# Databases live for one test: nothing to vacuum, and a vacuum worker in one would
# stand in the way of dropping it.
autovacuum = off
EOF
  as_owner "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log" >/dev/null || {
    tail -n 20 "$dir/log" >&2
    false
  }
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres <<'EOF'
CREATE ROLE landmarks LOGIN CREATEDB SUPERUSER;
CREATE DATABASE landmarks_template OWNER landmarks;
\connect landmarks_template
CREATE EXTENSION postgis;
\connect postgres
-- Nobody connects to the template: a connection to it would make copying it fail.
ALTER DATABASE landmarks_template IS_TEMPLATE true ALLOW_CONNECTIONS false;
CREATE DATABASE landmarks OWNER landmarks TEMPLATE landmarks_template;
EOF
  url="postgresql+psycopg://landmarks@/landmarks?host=$dir/socket&port=$port"
  printf '%s\n' "$url" >"$dir/url"
  mkdir -p "$(dirname "$state")"
  printf '%s\n' "$dir" >"$state"
  trap - ERR
  printf '%s\n' "$url"
}

stop_dir() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    (cd /tmp && as_owner "$bin/pg_ctl" stop -w -t 60 -m immediate -D "$dir/data" >/dev/null) || true
  fi
  case $dir in /tmp/landmarks-pg.*) rm -rf "$dir" ;; esac
}

case ${1:-} in
  start) start ;;
  url)
    dir=$(running_dir) || { echo "scripts/pg.sh: no cluster running ($state)" >&2; exit 1; }
    cat "$dir/url"
    ;;
  stop)
    if dir=$(cat "$state" 2>/dev/null); then stop_dir "$dir"; fi
    rm -f "$state"
    ;;
  *)
    echo "usage: bash scripts/pg.sh start|url|stop" >&2
    exit 2
    ;;
esac
