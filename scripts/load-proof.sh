#!/usr/bin/env bash
# The load proof (README, Tests): runs the tests that start servers (ctest label `netns`:
# the integration tests and the robustness test) RUNS times (default 5), each time inside
# the loopback-only network namespace (scripts/netns.sh), while two `stress-ng --cpu 2`
# workers keep every core busy. Prints each run's result and time, then a tally; exits 1
# if any run failed. stress-ng is stopped by its pid at the end, whatever happens.
# Needs a build in ./build (bash scripts/test.sh makes one). Logs: build/load-proof/.
# Usage: scripts/load-proof.sh [RUNS] [CTEST_LABEL]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} label=${2:-netns}
jobs=$(nproc 2>/dev/null || echo 2)
command -v stress-ng >/dev/null || { echo "load-proof: stress-ng is missing (apt-get install stress-ng)" >&2; exit 1; }
[ -x build/zonegen ] && [ -f build/CTestTestfile.cmake ] || {
  echo "load-proof: no build in ./build (run bash scripts/test.sh, or the README's build with -DZONEGEN_TESTS=ON)" >&2; exit 1; }
logs=build/load-proof
rm -rf "$logs"; mkdir -p "$logs"
pids=()
stop_stress() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_stress EXIT
for _ in 1 2; do
  stress-ng --cpu 2 --timeout 0 --quiet &
  pids+=($!)
done
echo "load-proof: stress-ng --cpu 2 twice (pids ${pids[*]}) on $jobs cores; $runs runs of ctest -L $label"
passed=0 failed=0
for i in $(seq 1 "$runs"); do
  t0=$(date +%s)
  if bash scripts/netns.sh sh -c "cd build && ctest --output-on-failure -j $jobs --timeout 1800 -L '$label'" \
      >"$logs/run-$i.log" 2>&1; then
    passed=$((passed + 1)); verdict=pass
  else
    failed=$((failed + 1)); verdict=FAIL
  fi
  echo "run $i: $verdict in $(( $(date +%s) - t0 )) s ($(grep -E 'tests passed|tests failed' "$logs/run-$i.log" | tail -1))"
  [ $verdict = pass ] || grep -E '^\s*[0-9]+ - |^FAIL|timed out' "$logs/run-$i.log" | head -20 || true
done
stop_stress
echo "load-proof: $passed passed, $failed failed of $runs runs under load (logs in $logs/)"
[ "$failed" -eq 0 ]
