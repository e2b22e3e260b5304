#!/usr/bin/env bash
# zonegen's benchmarks, side by side with the peer tools in the same run (see bench/bench.py):
#   bash bench/run.sh [--sizes "10000 100000 1000000"] [--shapes "rrsets hosting"] [--repeat 5]
#                     [--specs "1000 10000 100000"] [--zones 10000] [--jobs 4]
#   bash bench/run.sh fleet [--zones 100000] [--jobs 4]   (the fleet: see bench/fleet.py)
# Builds zonegen first when needed; needs kzonecheck, named-checkzone, ldns-read-zone and,
# for the batch-apply rows, pdns_server (bash scripts/deps.sh installs them all).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x build/zonegen ] || [ ! -x build/bench_raw_client ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j "$(nproc)" --target zonegen bench_raw_client
fi
if [ "${1:-}" = fleet ]; then
  shift
  exec python3 bench/fleet.py "$@"
fi
exec python3 bench/bench.py "$@"
