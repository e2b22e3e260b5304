#!/usr/bin/env bash
# Golden outputs: every example spec, in every generate format, byte for byte.
# Usage: golden.sh ZONEGEN SOURCE_DIR [--update]
set -uo pipefail
zg=$1 src=$2 update=${3:-}
export SOURCE_DATE_EPOCH=1795833600   # 2026-11-28: fixes the SOA serial
fail=0 n=0
for spec in "$src"/examples/*.yaml; do
  name=$(basename "$spec" .yaml)
  for fmt in zone json pdns-json; do
    ext=$fmt; [ "$fmt" = json ] && ext=json; [ "$fmt" = pdns-json ] && ext=pdns.json
    golden="$src/tests/golden/$name.$ext"
    # Run from the source dir so the spec path inside the output is stable.
    out=$(cd "$src" && "$zg" generate "examples/$name.yaml" --format "$fmt" 2>/dev/null)
    rc=$?
    n=$((n + 1))
    if [ "$update" = --update ]; then printf '%s\n' "$out" > "$golden"; continue; fi
    if [ $rc -ne 0 ]; then echo "FAIL $name ($fmt): exit $rc"; fail=$((fail + 1)); continue; fi
    if ! diff -u "$golden" <(printf '%s\n' "$out"); then echo "FAIL $name ($fmt): differs from $golden"; fail=$((fail + 1)); fi
  done
done
echo "golden: $((n - fail)) passed, $fail failed"
[ $n -ge 18 ] || { echo "FAIL: expected at least 6 examples x 3 formats, found $n"; exit 1; }
[ $fail -eq 0 ]
