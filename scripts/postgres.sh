#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 cluster for tests and CI (the
# data/pgstore tests read its URL from PLACETEAM_TEST_POSTGRES):
#
#   url=$(scripts/postgres.sh start DIR)   # cluster, socket and log in DIR (created)
#   PLACETEAM_TEST_POSTGRES=$url go test ./data/pgstore
#   scripts/postgres.sh stop DIR           # stops it and removes DIR
#
# start prints only the URL, postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable,
# on stdout; progress goes to stderr and the server's log to DIR/log. The
# server listens on a free 127.0.0.1 port with trust authentication (no
# password: anyone on this machine may connect, fine for a test cluster) and
# its socket in DIR, which must be short enough for a socket path (about 100
# bytes).
#
# Needs PostgreSQL 15 and PostGIS 3 from Debian; installs them with apt when
# missing (as root). As root, the server runs as the postgres user (PostgreSQL
# will not run as root), so DIR's parent must be searchable by that user
# (e.g. under /tmp). Environment:
#   PG_BIN   server binaries (default /usr/lib/postgresql/15/bin)
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}
[ $# = 2 ] || usage
cmd=$1
dir=$2
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
marker=.placeteam-postgres # what stop looks for before it removes DIR

# PostgreSQL will not run as root: as root, the server runs as postgres.
as_pg=()
[ "$(id -u)" != 0 ] || as_pg=(runuser -u postgres --)

log() { echo "postgres.sh: $*" >&2; }

start() {
  if [ ! -x "$pg_bin/postgres" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
    [ "$(id -u)" = 0 ] || { log "install postgresql-15 and postgresql-15-postgis-3 (apt) first"; exit 1; }
    log "installing PostgreSQL 15 and PostGIS 3"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-15-postgis-3 >&2
  fi
  if [ -e "$dir/data" ]; then
    log "$dir already holds a cluster (stop it first: $0 stop $dir)"
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  touch "$dir/$marker" "$dir/log"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir" "$dir/log"
    chmod 700 "$dir"
    runuser -u postgres -- test -w "$dir" || { log "the postgres user cannot reach $dir (choose a DIR under /tmp)"; exit 1; }
  fi

  "${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 >>"$dir/log" 2>&1 ||
    { log "initdb failed; see $dir/log"; tail -n 20 "$dir/log" >&2; exit 1; }
  # A throwaway test cluster: no crash safety wanted, so no fsync, no
  # synchronous commit and no full-page writes (a crash may corrupt it; it
  # is thrown away anyway). Many connections: each test opens pools.
  cat >>"$dir/data/postgresql.conf" <<CONF

# scripts/postgres.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

  # A free port: nothing answers on it now. Another process may take it
  # before the server binds, so a failed start tries the next candidate.
  local port
  for port in $(shuf -i 20000-60000 -n 20); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port" start >&2; then
      echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      return
    fi
    log "start on port $port failed; trying another"
  done
  log "could not start the server; see $dir/log"
  exit 1
}

stop() {
  [ -e "$dir" ] || return 0
  [ -f "$dir/$marker" ] || { log "$dir was not made by $0 start: not removing it"; exit 1; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" stop -m fast >&2 || log "pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case $cmd in
start) start ;;
stop) stop ;;
*) usage ;;
esac
