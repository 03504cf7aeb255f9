#!/usr/bin/env bash
# Imports the shared real data with the committed manifests and prints the
# reports. PLACETEAM_DATA_ROOT defaults to ../shared/data beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${PLACETEAM_DATA_ROOT:-$(cd .. && pwd)/shared/data}"
if [ ! -d "$root/manchester" ]; then
  echo "real data not found at $root/manchester" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/placeteam" ./cmd/placeteam
for city in manchester salford; do
  "$tmp/placeteam" import --db "$tmp/$city.db" --manifest "data/manifests/$city.yaml" --data-root "$root/manchester"
  "$tmp/placeteam" info --db "$tmp/$city.db" >/dev/null
done
