#!/usr/bin/env bash
# Golden outputs: every example spec, in every generate format, byte for byte.
# Usage: golden.sh ZONEGEN SOURCE_DIR [--update]
set -uo pipefail
zg=$1 src=$2 update=${3:-}
export SOURCE_DATE_EPOCH=1795833600   # 2026-11-28: fixes the SOA serial
fail=0 n=0
# One output against its golden file (or, with --update, written to it).
check() {
  n=$((n + 1))
  if [ "$update" = --update ]; then printf '%s\n' "$2" > "$1"; return; fi
  if [ "$3" -ne 0 ]; then echo "FAIL $4: exit $3"; fail=$((fail + 1)); return; fi
  if ! diff -u "$1" <(printf '%s\n' "$2"); then echo "FAIL $4: differs from $1"; fail=$((fail + 1)); fi
}
for spec in "$src"/examples/*.yaml; do
  name=$(basename "$spec" .yaml)
  for fmt in zone json pdns-json; do
    ext=$fmt; [ "$fmt" = json ] && ext=json; [ "$fmt" = pdns-json ] && ext=pdns.json
    golden="$src/tests/golden/$name.$ext"
    # Run from the source dir so the spec path inside the output is stable.
    out=$(cd "$src" && "$zg" generate "examples/$name.yaml" --format "$fmt" 2>/dev/null)
    rc=$?
    check "$golden" "$out" $rc "$name ($fmt)"
  done
done
# DKIM (tests/dkim): the specs beside their TEST-ONLY keys, copied with mode 0600 (git keeps
# no modes, and zonegen reads a key file only when no one else may read it).
dk=$(mktemp -d); trap 'rm -rf "$dk"' EXIT
zga=$(cd "$(dirname "$zg")" && pwd)/$(basename "$zg")   # run from $dk
cp "$src"/tests/dkim/*.yaml "$src"/tests/dkim/*.pem "$dk"/ && chmod 600 "$dk"/*.pem
for spec in "$dk"/*.yaml; do
  name=$(basename "$spec" .yaml)
  for fmt in zone json; do
    golden="$src/tests/golden/$name.$fmt"
    out=$(cd "$dk" && "$zga" generate "$name.yaml" --format "$fmt" 2>/dev/null)
    rc=$?
    check "$golden" "$out" $rc "$name ($fmt)"
  done
done
# The migration instructions: every example, both languages, all four formats (the HTML
# page too), with a fixed start (a Friday before the New Year closure).
for spec in "$src"/examples/*.yaml; do
  name=$(basename "$spec" .yaml)
  for lang in ja en; do
    for fmt in text markdown json html; do
      ext=$fmt; [ "$fmt" = markdown ] && ext=md
      golden="$src/tests/golden/instructions/$name.$lang.$ext"
      out=$(cd "$src" && "$zg" instructions "examples/$name.yaml" --lang $lang --format $fmt --start 2026-12-25 2>/dev/null)
      rc=$?
      n=$((n + 1))
      if [ "$update" = --update ]; then mkdir -p "$(dirname "$golden")"; printf '%s\n' "$out" > "$golden"; continue; fi
      if [ $rc -ne 0 ]; then echo "FAIL $name instructions ($lang, $fmt): exit $rc"; fail=$((fail + 1)); continue; fi
      if ! diff -u "$golden" <(printf '%s\n' "$out"); then echo "FAIL $name instructions ($lang, $fmt) differs"; fail=$((fail + 1)); fi
    done
  done
done
# Refusals: a TLD we cannot take over, and a Japanese-label .jp domain.
for case in "example.tokyo|transfer|cannot be transferred to us" "日本語.jp|customer|Japanese-label .jp"; do
  IFS='|' read -r dom reg want <<< "$case"
  msg=$(printf 'domain: %s\ndns_pattern: A\nregistrar: %s\nserver: {name: sv1.example.net, ipv4: [192.0.2.10]}\n' "$dom" "$reg" |
        "$zg" instructions - 2>&1 >/dev/null); rc=$?
  n=$((n + 1))
  if [ $rc -ne 2 ] || [[ "$msg" != *"$want"* ]]; then echo "FAIL refusal $dom: exit $rc: $msg"; fail=$((fail + 1)); fi
done
echo "golden: $((n - fail)) passed, $fail failed"
[ $n -ge 90 ] || { echo "FAIL: expected 8 examples x (3 generate + 8 instructions) formats + 2 refusals, found $n"; exit 1; }
[ $fail -eq 0 ]
