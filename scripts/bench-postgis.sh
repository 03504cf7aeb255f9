#!/usr/bin/env bash
# Point-in-polygon benchmark, not part of CI: N random points over the
# Manchester wards, assigned by geo/areaindex (scripts/pipbench) and by a
# PostGIS ST_Contains join with GiST indexes, side by side on the same points.
#
#   scripts/bench-postgis.sh [N [SEED]]        (defaults 1000000 1)
#
# Needs PostgreSQL 15 + PostGIS 3 from Debian; installs them with apt when
# missing (as root). Runs a throwaway cluster in a temp dir on a free
# 127.0.0.1 port and removes everything on exit. Environment:
#   PLACETEAM_DATA_ROOT  folder holding manchester/ (default ../shared/data)
#   PG_BIN               server binaries (default /usr/lib/postgresql/15/bin)
#   PG_WORKERS           max_parallel_workers_per_gather for the join
#                        (default 0: one core, like the single-goroutine Go loop)
#   PGOPTIONS            more session settings, e.g. '-c jit=on' (default off)
#
# Timed: Go, the assignment loop alone (index built, points in memory); PostGIS,
# the join's execution time from EXPLAIN (ANALYZE, TIMING OFF), so no planning,
# no rows sent to a client, no load or index build. Both best of 3, warm.
#
# The same points also go through `placeteam assign` end to end (points.csv in,
# CSV with ward, LSOA, team and locality out, on a store imported from
# data/manifests/manchester.yaml): its streaming time (parse, place, write; as
# the command reports it, best of 3) and its wards are compared with PostGIS
# too. ASSIGN=0 skips this part.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
seed=${2:-1}
root="${PLACETEAM_DATA_ROOT:-$(cd .. && pwd)/shared/data}"
wards="$root/manchester/boundaries/wards_2004_2018_manchester_wd13.geojson"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
workers=${PG_WORKERS:-0}
[ -f "$wards" ] || { echo "wards not found: $wards" >&2; exit 1; }

if [ ! -x "$pg_bin/postgres" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  [ "$(id -u)" = 0 ] || { echo "install postgresql-15 and postgresql-15-postgis-3 (apt) first" >&2; exit 1; }
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-15-postgis-3
fi

# PostgreSQL will not run as root: as root, the server runs as postgres.
as_pg=()
[ "$(id -u)" != 0 ] || as_pg=(runuser -u postgres --)

tmp=$(mktemp -d -t pipbench.XXXXXX)
pg="$tmp/pg" # cluster, socket and log, owned by the server's user
cleanup() {
  if [ -f "$pg/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg/data" stop -m fast >/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== Go: areaindex over $n points (seed $seed)"
mkdir "$tmp/data" "$pg"
go_json=$(go run ./scripts/pipbench -wards "$wards" -n "$n" -seed "$seed" -out "$tmp/data")

assign=${ASSIGN:-1}
if [ "$assign" = 1 ]; then
  echo "== Go: placeteam assign over the same points (CSV in, CSV out)"
  go build -o "$tmp/placeteam" ./cmd/placeteam
  "$tmp/placeteam" import --db "$tmp/mcr.db" --manifest data/manifests/manchester.yaml \
    --data-root "$root/manchester" >/dev/null
  assign_best=
  for run in 1 2 3; do
    "$tmp/placeteam" assign --db "$tmp/mcr.db" --config manchester-2015 --in "$tmp/data/points.csv" \
      --lon lon --lat lat --out "$tmp/data/assign_out.csv" 2>"$tmp/assign.log"
    s=$(sed -n 's/^assign: .*(\([0-9.]*\) s)$/\1/p' "$tmp/assign.log")
    echo "run $run: $s s ($(head -1 "$tmp/assign.log" | sed 's/^assign: [^:]*: //; s/ ([0-9.]* s)$//'))"
    assign_best=$(awk -v a="$s" -v b="${assign_best:-$s}" 'BEGIN { print (a < b ? a : b) }')
  done
  # id and ward_code are the first and fourth columns (neither is ever quoted).
  awk -F, 'NR == 1 { print "id,code"; next } $4 != "" { print $1 "," $4 }' "$tmp/data/assign_out.csv" \
    >"$tmp/data/assign_assignment.csv"
fi

echo "== PostGIS: cluster, load, indexes"
chmod 711 "$tmp"
[ "$(id -u)" != 0 ] || chown postgres "$pg"
port=
for candidate in $(shuf -i 20000-60000 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
  -o "-p $port -k $pg -c listen_addresses=127.0.0.1" start >/dev/null

# JIT cannot speed up ST_Contains (a C function) and only adds compile time;
# PGOPTIONS from the caller comes last, so PGOPTIONS='-c jit=on' overrides.
export PGOPTIONS="-c max_parallel_workers_per_gather=$workers -c jit=off ${PGOPTIONS:-}"
psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
cd "$tmp/data" # \copy reads these files as the invoking user
"${psql[@]}" <<'SQL'
CREATE EXTENSION postgis;
CREATE TEMP TABLE wards_csv (code text, wkt text);
CREATE TEMP TABLE points_csv (id integer, lon float8, lat float8);
\copy wards_csv FROM 'wards.csv' WITH (FORMAT csv, HEADER)
\copy points_csv FROM 'points.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE wards (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL);
CREATE TABLE points (id integer PRIMARY KEY, geom geometry(Point, 4326) NOT NULL);
INSERT INTO wards SELECT code, ST_GeomFromText(wkt, 4326) FROM wards_csv;
INSERT INTO points SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM points_csv;
CREATE INDEX ON wards USING gist (geom);
CREATE INDEX ON points USING gist (geom);
CREATE TABLE go_assignment (id integer PRIMARY KEY, code text NOT NULL);
\copy go_assignment FROM 'go_assignment.csv' WITH (FORMAT csv, HEADER)
VACUUM ANALYZE wards, points, go_assignment;
SQL

join='SELECT p.id, w.code FROM points p JOIN wards w ON ST_Contains(w.geom, p.geom)'
echo "== PostGIS: $join (PG_WORKERS=$workers)"
best_ms=
for run in 1 2 3; do
  plan=$("${psql[@]}" -At -c "EXPLAIN (ANALYZE, TIMING OFF) $join")
  ms=$(sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p' <<<"$plan")
  echo "run $run: $ms ms"
  [ "$run" != 1 ] || sed 's/^/  /' <<<"$plan"
  best_ms=$(awk -v a="$ms" -v b="${best_ms:-$ms}" 'BEGIN { print (a < b ? a : b) }')
done

# A point is a mismatch when its set of PostGIS wards differs from Go's answer.
check=$("${psql[@]}" -At -F ' ' <<SQL
CREATE TABLE pg_assignment AS $join;
SELECT (SELECT count(*) FROM pg_assignment),
       count(DISTINCT coalesce(g.id, q.id))
FROM go_assignment g FULL JOIN pg_assignment q ON g.id = q.id AND g.code = q.code
WHERE g.id IS NULL OR q.id IS NULL;
SQL
)
read -r pg_rows mismatches <<<"$check"
assign_mismatches=0
if [ "$assign" = 1 ]; then
  assign_check=$("${psql[@]}" -At -F ' ' <<SQL
CREATE TABLE assign_assignment (id integer PRIMARY KEY, code text NOT NULL);
\copy assign_assignment FROM 'assign_assignment.csv' WITH (FORMAT csv, HEADER)
SELECT (SELECT count(*) FROM assign_assignment),
       count(DISTINCT coalesce(a.id, q.id))
FROM assign_assignment a FULL JOIN pg_assignment q ON a.id = q.id AND a.code = q.code
WHERE a.id IS NULL OR q.id IS NULL;
SQL
)
  read -r assign_rows assign_mismatches <<<"$assign_check"
fi
go_result=$("${psql[@]}" -At -F ' ' -c \
  "SELECT j->>'seconds', j->>'matched', postgis_lib_version(), j->>'rtree_seconds', j->>'grid_cells', j->>'grid_build_seconds' FROM (SELECT '$go_json'::json AS j) s")
read -r go_seconds go_matched postgis_version rtree_seconds grid_cells grid_build <<<"$go_result"

awk -v n="$n" -v gs="$go_seconds" -v ms="$best_ms" -v gm="$go_matched" -v pm="$pg_rows" \
  -v bad="$mismatches" -v ver="$postgis_version" -v rs="$rtree_seconds" -v gc="$grid_cells" -v gb="$grid_build" 'BEGIN {
  ps = ms / 1000
  printf "\n== %d points; in a ward: Go %d, PostGIS %d rows\n", n, gm, pm
  printf "Go areaindex, 1 goroutine:        %8.3f s  %12.0f points/s  (grid of %d cells, built in %.3f s)\n", gs, n / gs, gc, gb
  printf "Go areaindex, R-tree alone:       %8.3f s  %12.0f points/s\n", rs, n / rs
  printf "PostGIS %s ST_Contains join:   %8.3f s  %12.0f points/s\n", ver, ps, n / ps
  printf "ratio Go/PostGIS:                 %8.1f\n", (n / gs) / (n / ps)
  printf "mismatched points:                %8d\n", bad
  print "(best of 3, warm; Go: assignment loop only; PostGIS: join execution time from"
  print " EXPLAIN ANALYZE; neither includes loading, index builds, planning or sending rows)"
}'
if [ "$assign" = 1 ]; then
  awk -v n="$n" -v as="$assign_best" -v ms="$best_ms" -v ar="$assign_rows" -v bad="$assign_mismatches" 'BEGIN {
  ps = ms / 1000
  printf "\nplaceteam assign, CSV end to end: %8.3f s  %12.0f rows/s  (%d in a ward)\n", as, n / as, ar
  printf "ratio assign/PostGIS join:        %8.1f\n", ps / as
  printf "assign mismatched points:         %8d\n", bad
  print "(assign: parse every CSV row, place it in a ward and an LSOA, write it with its"
  print " team and locality, as the command reports; store opening not included)"
}'
fi
[ "$mismatches" = 0 ] || { echo "Go and PostGIS disagree" >&2; exit 1; }
[ "$assign_mismatches" = 0 ] || { echo "placeteam assign and PostGIS disagree" >&2; exit 1; }
