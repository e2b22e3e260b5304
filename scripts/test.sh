#!/usr/bin/env bash
# The whole test suite (CI runs exactly this), in timed phases:
#   deps      installs what is missing
#   build     zonegen and the tests (RelWithDebInfo, -Werror)
#   plain     the unit, end-to-end and style tests, which start no server
#   servers   the tests that start servers (ctest label `netns`: PowerDNS, BIND, fake HTTP
#             and DNS servers) inside a network namespace with only loopback up
#             (scripts/netns.sh), so that nothing they start can reach another machine
#   asan      zonegen rebuilt by clang with AddressSanitizer and UndefinedBehaviorSanitizer
#             (leak checking on) and the fuzz harnesses in the same build: the unit and
#             end-to-end tests, and in the namespace the server tests that exercise
#             zonegen's own memory paths (see below)
#   fuzz      each fuzz harness (built by the asan phase) for a short, fixed budget
# The budget for the whole run is 30 minutes on CI's 2 cores (README, Time budget).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
times=()
report() {
  local rc=$?
  printf '%s\n' "${times[@]}"
  echo "test.sh: $(( $(date +%s) - start )) s in all$([ $rc -eq 0 ] || echo ", FAILED (exit $rc)")"
}
trap report EXIT
phase() {  # NAME COMMAND...: runs COMMAND, records how long it took
  local name=$1 t0; shift; t0=$(date +%s)
  echo "== $name"
  "$@"
  times+=("$(printf 'phase %-8s %5d s' "$name" $(( $(date +%s) - t0 )))")
  echo "== $name: $(( $(date +%s) - t0 )) s"
}
ctest_in() {  # BUILD_DIR CTEST_ARGS...
  local dir=$1; shift
  (cd "$dir" && ctest --output-on-failure -j "$jobs" "$@")
}

build() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZONEGEN_TESTS=ON -DZONEGEN_WERROR=ON >/dev/null
  cmake --build build -j "$jobs"
}
asan() {
  # One clang build serves the sanitizer tests and the fuzz harnesses (ZONEGEN_FUZZ adds
  # libFuzzer's coverage instrumentation, which the tests' programs carry harmlessly): the
  # library compiled once under the sanitizers, not twice.
  CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DZONEGEN_SANITIZE=ON \
    -DZONEGEN_FUZZ=ON -DZONEGEN_WERROR=ON >/dev/null
  cmake --build build-asan -j "$jobs" --target unit_tests zonegen fuzz_spec fuzz_spec_cli fuzz_zone \
    fuzz_rdata fuzz_axfr fuzz_pdns_json
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # Not the agreement tests (the oracle, the differential test, the corpus): they run
  # hundreds of zones through BIND and Knot to compare verdicts, which the plain pass did;
  # zonegen's reader sees the same odd and broken input under the sanitizers in
  # malformed_input, check_fixtures and the zone fuzz harness. Nor, for the 30-minute
  # budget, three that repeat under the sanitizers what others already run there: the
  # customer-zone corpus (customer_zone runs the same code on its own zones), the golden
  # outputs (the unit tests render every procedure and page in one process) and the HTTP
  # module's file permissions (local_users_http_module: the kernel's checks, not zonegen's
  # memory; the module's requests run in integration_pdns_plan_apply below).
  # The unit tests in one process: ctest starts one per test, and the sanitizers' start-up
  # 337 times cost minutes.
  (cd build-asan/tests && ./unit_tests --gtest_brief=1)
  ctest_in build-asan --timeout 900 -L e2e -LE netns \
    -E '^(oracle_generated_zones|differential_bind_knot|corpus_agrees_with_bind_and_knot|customer_zones_corpus|golden|local_users_http_module)$'
  # Of the server worlds, the two whose traffic zonegen itself parses and builds: plan and
  # apply (the PowerDNS client, JSON documents, the diff, concurrent batches, a server
  # killed mid-batch) and the fault-injecting HTTP server (resets mid-body, garbage, 5xx).
  # The verify and sources worlds are left to the plain pass: there BIND and PowerDNS do
  # the work, and zonegen's DNS message and AXFR readers are fuzzed under the sanitizers.
  # The hostile-servers world runs here too: its fake servers drive zonegen's own AXFR
  # reading loop (deadline, caps) and verify's parallel queries to their limits.
  bash scripts/netns.sh sh -c "cd build-asan && ctest --output-on-failure -j $jobs --timeout 900 \
    -R '^(integration_pdns_plan_apply|robustness_injection_faults_sigkill|integration_networks_hostile_servers)\$'"
}

phase deps bash scripts/deps.sh
phase build build
phase plain ctest_in build --timeout 600 -L 'unit|e2e|style' -LE netns
phase servers bash scripts/netns.sh sh -c "cd build && ctest --output-on-failure -j $jobs --timeout 900 -L netns"
phase asan asan
# Each fuzz harness for a short, fixed budget, after replaying every input that once crashed.
phase fuzz env ZONEGEN_FUZZ_BUILD=build-asan bash scripts/fuzz.sh "${ZONEGEN_FUZZ_SECONDS:-10}"
