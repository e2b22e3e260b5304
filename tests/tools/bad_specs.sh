#!/usr/bin/env bash
# Every spec in tests/bad-specs must exit 2 with a message containing its "# expect:"
# line, leave no output file behind, and fail the same way as JSON.
# Usage: bad_specs.sh ZONEGEN SOURCE_DIR WORKDIR
set -uo pipefail
zg=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
pass=0 fail=0
for spec in "$src"/tests/bad-specs/*; do
  name=$(basename "$spec")
  expect=$(head -1 "$spec" | sed -n 's/^# expect: //p')
  [ -n "$expect" ] || { echo "FAIL $name: no '# expect:' line"; fail=$((fail+1)); continue; }
  out="$work/$name.zone"
  msg=$("$zg" generate "$spec" -o "$out" 2>&1 >/dev/null); rc=$?
  ok=1
  [ $rc -eq 2 ] || { echo "FAIL $name: exit $rc, expected 2 ($msg)"; ok=0; }
  [[ "$msg" == *"$expect"* ]] || { echo "FAIL $name: message '$msg' lacks '$expect'"; ok=0; }
  ls "$work" | grep -q . && { echo "FAIL $name: left files: $(ls "$work")"; rm -f "$work"/*; ok=0; }
  j=$("$zg" generate "$spec" --format json 2>/dev/null); jrc=$?
  [ $jrc -eq 2 ] || { echo "FAIL $name: --format json exit $jrc"; ok=0; }
  printf '%s' "$j" | python3 -c 'import json,sys; e=json.load(sys.stdin)["error"]; assert e["kind"]=="input", e' \
    || { echo "FAIL $name: --format json did not print an input error"; ok=0; }
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
echo "bad specs: $pass passed, $fail failed"
[ $pass -ge 10 ] && [ $fail -eq 0 ]
