#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan+UBSan) and runs each for SECONDS (default
# 60), seeded with the examples, the test fixtures and the third-party corpus. Every file
# in fuzz/regressions/HARNESS/ (inputs that once crashed) is replayed first.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
harnesses=("$@"); [ ${#harnesses[@]} -gt 0 ] || harnesses=(spec spec_cli zone rdata axfr pdns_json)
command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing (apt-get install clang libclang-rt-14-dev)"; exit 1; }
# ZONEGEN_FUZZ_BUILD: a build directory configured with ZONEGEN_FUZZ=ON whose harnesses are
# built already (scripts/test.sh's sanitizer build); else build-fuzz, built here.
fb=${ZONEGEN_FUZZ_BUILD:-build-fuzz}
if [ -z "${ZONEGEN_FUZZ_BUILD:-}" ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DZONEGEN_FUZZ=ON -DZONEGEN_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-fuzz -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
fi
seeds=$fb/seeds
rm -rf "$seeds"; mkdir -p "$seeds"/{spec,spec_cli,zone,rdata,axfr,pdns_json}
cp examples/*.yaml tests/bad-specs/* tests/fixtures/*.yaml "$seeds/spec/" 2>/dev/null || true
# spec_cli: a file name line, then the spec (some names not UTF-8, some specs JSON).
for f in examples/*.yaml tests/bad-specs/* tests/fixtures/*.yaml; do
  { printf '%s\n' "$(basename "$f")"; cat "$f"; } > "$seeds/spec_cli/$(basename "$f")"
done
{ printf 'sp\377ec.yaml\n'; cat examples/a-customer-idn.yaml; } > "$seeds/spec_cli/name-not-utf8"
cp tests/fixtures/*.zone tests/golden/*.zone tests/malformed/*.zone "$seeds/zone/" 2>/dev/null || true
[ -d ../shared/corpus ] && find ../shared/corpus -type f ! -name '*.tsv' ! -name '*.md' -size -200k -exec cp {} "$seeds/zone/" \; 2>/dev/null || true
cp tests/golden/*.pdns.json "$seeds/pdns_json/"
python3 - "$seeds" <<'PY'
import os, struct, sys
seeds = sys.argv[1]
types = [1, 2, 5, 6, 12, 15, 16, 28, 33, 35, 39, 43, 44, 52, 64, 65, 99, 257, 65280]
names = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "CAA": 257}
n = 0
for f in os.listdir("tests/golden"):
    if not f.endswith(".zone"):
        continue
    for line in open(os.path.join("tests/golden", f)):
        p = line.split(None, 4)
        if len(p) == 5 and p[3] in names:
            open(os.path.join(seeds, "rdata", "s%d" % n), "wb").write(bytes([types.index(names[p[3]])]) + p[4].strip().encode())
            n += 1
def msg(records):
    q = b"\x07example\x00" + struct.pack("!HH", 252, 1)
    body = b"".join(records)
    return struct.pack("!HHHHHH", 1, 0x8400, 1, len(records), 0, 0) + q + body
soa = b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 300, 22) + b"\x00\x00" + struct.pack("!IIIII", 1, 2, 3, 4, 5)
a = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 1])
txt = b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 300, 6) + b"\x05hello"
mx = b"\xc0\x0c" + struct.pack("!HHIH", 15, 1, 300, 4) + b"\x00\x0a\xc0\x0c"
for i, recs in enumerate([[soa], [soa, a, soa], [soa, txt, mx, soa], [a]]):
    open(os.path.join(seeds, "axfr", "m%d" % i), "wb").write(msg(recs))
PY
fail=0
fail_count=0
for h in "${harnesses[@]}"; do
  bin=$fb/fuzz_$h
  # ldns's own leak (fuzz/lsan.supp) can only be told apart with full allocation stacks:
  # ldns is built without frame pointers. Slower, so only where ldns parses the input.
  if [ "$h" = axfr ]; then
    export ASAN_OPTIONS=fast_unwind_on_malloc=0 LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp
  else
    unset ASAN_OPTIONS LSAN_OPTIONS
  fi
  mkdir -p "$fb/corpus/$h"
  if [ -d "fuzz/regressions/$h" ] && ls "fuzz/regressions/$h"/* >/dev/null 2>&1; then
    "$bin" "fuzz/regressions/$h"/* >/dev/null 2>&1 || { echo "fuzz $h: a regression input fails again"; fail=1; fail_count=$((fail_count + 1)); continue; }
  fi
  log=$fb/fuzz_$h.log
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$fb/crash-$h-" "$fb/corpus/$h" "$seeds/$h" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $h: ${runs:-?} executions in ${secs} s, no crash"
  else
    echo "fuzz $h: FAILED (see $log; the input is $fb/crash-$h-*)"; tail -30 "$log"; fail=1
    fail_count=$((fail_count + 1))
  fi
done
echo "fuzz: $(( ${#harnesses[@]} - fail_count )) passed, $fail_count failed"
exit $fail
