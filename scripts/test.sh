#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test (the real
# validators and the servers the tests start themselves), then the unit tests again
# under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZONEGEN_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs" --timeout 600)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DZONEGEN_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" --target unit_tests zonegen
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" --timeout 600)
# Each fuzz harness for a short, fixed budget, after replaying every input that once crashed.
bash scripts/fuzz.sh "${ZONEGEN_FUZZ_SECONDS:-10}"
