#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs the unit, end-to-end and
# style tests; then builds zonegen with AddressSanitizer and UndefinedBehaviorSanitizer and
# runs the unit, end-to-end and integration tests (PowerDNS and BIND servers they start
# themselves) with it; then each fuzz harness for a short, fixed budget.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZONEGEN_TESTS=ON -DZONEGEN_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs" --timeout 600 -L 'unit|e2e|style')
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DZONEGEN_SANITIZE=ON -DZONEGEN_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs" --target unit_tests zonegen
# Everything but the validator oracle (228 zones through three external tools: it tests
# agreement, not memory safety, and ran above) under the sanitizers, leak checking on.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" --timeout 900 -E '^oracle_generated_zones$')
echo "tests took $(( $(date +%s) - start )) s; now fuzzing"
# Each fuzz harness for a short, fixed budget, after replaying every input that once crashed.
bash scripts/fuzz.sh "${ZONEGEN_FUZZ_SECONDS:-10}"
