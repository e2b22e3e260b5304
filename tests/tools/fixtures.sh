#!/usr/bin/env bash
# One fixture per check id (Knot's way): each tests/fixtures/*.zone names the check it
# must trigger on its first line ("; expect: ID", or "nothing" for a clean zone that must
# stay quiet), optionally a spec on its second ("; spec: PATH"). Each *.yaml is a spec
# whose `generate` must report the check, optionally with a profile on its second line
# ("# profile: PATH"). Every id in `zonegen checks` needs a fixture.
# Usage: fixtures.sh ZONEGEN SOURCE_DIR
set -uo pipefail
zg=$1 src=$2
cd "$src" || exit 1
pass=0 fail=0
declare -A covered
for f in tests/fixtures/*.zone tests/fixtures/*.yaml; do
  exp=$(head -1 "$f" | sed -n 's/^[;#] expect: //p')
  if [[ $f == *.zone ]]; then
    spec=$(sed -n '2s/^; spec: //p' "$f")
    out=$("$zg" validate "$f" --allow-include tests/fixtures ${spec:+--spec "$spec"} 2>&1)
  else
    prof=$(sed -n '2s/^# profile: //p' "$f")
    out=$("$zg" generate "$f" ${prof:+--profile "$prof"} 2>&1 >/dev/null)
  fi
  if [ "$exp" = nothing ]; then
    if grep -q "0 errors, 0 warnings" <<<"$out"; then pass=$((pass+1)); else echo "FAIL $f: expected no findings: $out"; fail=$((fail+1)); fi
  elif grep -q "($exp)\$\|($exp)$" <<<"$out"; then
    pass=$((pass+1)); covered[$exp]=1
  else
    echo "FAIL $f: '$exp' not reported:"; printf '%s\n' "$out" | head -5; fail=$((fail+1))
  fi
done
for id in $("$zg" checks | cut -f1); do
  [ -n "${covered[$id]:-}" ] || { echo "FAIL: check '$id' has no fixture"; fail=$((fail+1)); }
done
echo "fixtures: $pass passed, $fail failed"
[ $fail -eq 0 ]
