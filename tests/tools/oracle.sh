#!/usr/bin/env bash
# The real validators are the oracle: every generated zone (the examples and a matrix of
# specs) must pass named-checkzone -k fail -i local, kzonecheck and ldns-read-zone.
# B and C fragments are checked wrapped in a test SOA and NS.
# Usage: oracle.sh ZONEGEN SOURCE_DIR WORKDIR
set -uo pipefail
zg=$1 src=$2 work=$3
for t in named-checkzone kzonecheck ldns-read-zone; do
  command -v $t >/dev/null || { echo "FAIL: $t is not installed (run scripts/deps.sh)"; exit 1; }
done
rm -rf "$work"; mkdir -p "$work/matrix"
python3 "$src/tests/tools/matrix.py" "$work/matrix" || exit 1
export SOURCE_DATE_EPOCH=1795833600
pass=0 fail=0
check() {  # origin file label
  local origin=$1 file=$2 label=$3 out
  if ! out=$(named-checkzone -k fail -i local "$origin" "$file" 2>&1); then
    echo "FAIL $label: named-checkzone: $out"; return 1; fi
  if ! out=$(kzonecheck -o "$origin" "$file" 2>&1); then
    echo "FAIL $label: kzonecheck: $out"; return 1; fi
  if ! out=$(ldns-read-zone "$file" 2>&1 >/dev/null); then
    echo "FAIL $label: ldns-read-zone: $out"; return 1; fi
  return 0
}
specs=("$src"/examples/*.yaml "$work"/matrix/*.json)
for spec in "${specs[@]}"; do
  label=$(basename "$spec")
  j=$("$zg" generate "$spec" --format json 2>/dev/null) || { echo "FAIL $label: generate exited $?"; fail=$((fail+1)); continue; }
  origin=$(printf '%s' "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["zone"])')
  frag=$(printf '%s' "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fragment"])')
  f="$work/$label.zone"
  if [ "$frag" = True ]; then
    { printf '$ORIGIN %s\n$TTL 3600\n' "$origin"
      printf '@ 3600 IN SOA ns1.customer-test.example. hostmaster.customer-test.example. 1 14400 3600 604800 3600\n'
      printf '@ 86400 IN NS ns1.customer-test.example.\n@ 86400 IN NS ns3.customer-test.example.\n'
      "$zg" generate "$spec" 2>/dev/null; } > "$f"
  else
    "$zg" generate "$spec" -o "$f" 2>/dev/null
  fi
  if ! check "$origin" "$f" "$label"; then fail=$((fail+1)); continue; fi
  # zonegen's own validator, with the pattern's rules: no errors, and warnings only those
  # the spec asks for (an SPF include it names, a TLD missing from the Public Suffix List).
  if [ "$frag" = True ]; then
    v=$("$zg" generate "$spec" -o "$f.frag" 2>/dev/null && "$zg" validate "$f.frag" --fragment --spec "$spec" 2>&1)
  else
    v=$("$zg" validate "$f" --spec "$spec" 2>&1)
  fi
  if [ $? -ne 0 ] || printf '%s\n' "$v" | grep ': \(error\|warning\): ' | grep -vq '(spf-include-unknown)\|(tld-unknown)'; then
    echo "FAIL $label: zonegen validate --spec:"; printf '%s\n' "$v" | head -5; fail=$((fail+1)); continue
  fi
  pass=$((pass+1))
done
echo "oracle: $pass passed, $fail failed (named-checkzone, kzonecheck, ldns-read-zone)"
[ $((pass + fail)) -ge 207 ] || { echo "FAIL: expected at least 207 specs (7 examples + 200 matrix), got $((pass + fail))"; exit 1; }
[ $fail -eq 0 ]
