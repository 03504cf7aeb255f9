#!/usr/bin/env bash
# Tile, feature and point-assignment workloads against placeteam on the
# Manchester data, not part of CI (issue 13's side-by-side figures).
#
#   scripts/bench-tiles.sh [DURATION [CONNS]]      (defaults 20s 32)
#
# Builds placeteam, imports the shared Manchester data into a temporary
# SQLite store and, on a server started on a free 127.0.0.1 port:
#   cold    every tile of z10–14 over the city (221) once, one keep-alive
#           connection, on a freshly started server (cache empty);
#   tiles   CONNS connections for DURATION, tiles cached;
#   wards   /collections/wards/items, CONNS connections;
#   lsoas   /collections/lsoas/items?bbox=… over the city centre;
# then, on a server started with --tile-cache-bytes 0,
#   tiles   CONNS connections for DURATION, every tile cut again;
# and last the point-in-polygon comparison with PostGIS
# (scripts/bench-postgis.sh; set POINTS=0 to skip it). Each workload prints
# one JSON line (scripts/tilebench, a Go client). When wrk is installed
# (apt-get install wrk: a C client, much lighter on a box that runs the
# server too) the connection runs are repeated with wrk, requesting the same
# paths in turn with Accept-Encoding: gzip, and its summary is printed.
# Environment:
#   PLACETEAM_DATA_ROOT  folder holding manchester/ (default ../shared/data)
#   POINTS               points for the PostGIS comparison (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}
conns=${2:-32}
root="${PLACETEAM_DATA_ROOT:-$(cd .. && pwd)/shared/data}"
[ -d "$root/manchester" ] || { echo "Manchester data not found under $root" >&2; exit 1; }

tmp=$(mktemp -d -t tilebench.XXXXXX)
server=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/placeteam" ./cmd/placeteam
go build -o "$tmp/tilebench" ./scripts/tilebench
echo "== import Manchester"
"$tmp/placeteam" import --db "$tmp/mcr.db" --manifest data/manifests/manchester.yaml \
  --data-root "$root/manchester" >/dev/null

# start_server FLAGS...: serve on a free port; sets $server and $url.
start_server() {
  : >"$tmp/serve.out"
  "$tmp/placeteam" serve --db "$tmp/mcr.db" --addr 127.0.0.1:0 --write-rate 0 "$@" \
    >"$tmp/serve.out" 2>"$tmp/serve.log" &
  server=$!
  url=
  for _ in $(seq 1 200); do
    url=$(sed -n 's/^placeteam: serving .* on \(http:[^ ]*\)$/\1/p' "$tmp/serve.out")
    [ -z "$url" ] || break
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "server did not start" >&2; exit 1; }
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
bench() {
  "$tmp/tilebench" -url "$url" -conns "$conns" -duration "$duration" -workload "$1"
  [ "$1" != cold ] && command -v wrk >/dev/null || return 0
  "$tmp/tilebench" -url "$url" -workload "$1" -print-paths >"$tmp/paths"
  echo "wrk $1: $(wc -l <"$tmp/paths") paths, $conns connections, $duration"
  WRK_PATHS="$tmp/paths" wrk -t 2 -c "$conns" -d "$duration" --latency -s "$tmp/paths.lua" "$url" |
    grep -E 'Requests/sec|Transfer/sec|^ +(50|99)%|Non-2xx|Socket errors'
}
cat >"$tmp/paths.lua" <<'LUA'
-- Each thread starts at its own offset in the list (setup numbers them).
local threads = 0
function setup(thread) threads = threads + 1; thread:set("offset", threads) end
local paths, i = {}, nil
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
request = function()
  i = (i or offset * 97) + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Accept-Encoding"] = "gzip" })
end
LUA

echo "== cache on (default --tile-cache-bytes)"
start_server
bench cold
bench tiles
bench wards
bench lsoas
stop_server

echo "== cache off (--tile-cache-bytes 0)"
start_server --tile-cache-bytes 0
bench tiles
stop_server

if [ "${POINTS:-1000000}" != 0 ]; then
  echo "== points: placeteam vs PostGIS ST_Contains"
  scripts/bench-postgis.sh "${POINTS:-1000000}"
fi
