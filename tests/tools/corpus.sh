#!/usr/bin/env bash
# Differential test on the third-party corpus: on every file where named-checkzone and
# kzonecheck agree, zonegen validate must agree (accept: exit 0; reject: exit 1).
# With --table, prints zonegen's verdict beside both tools' for every file.
# Usage: corpus.sh ZONEGEN CORPUS_DIR [--table]
set -uo pipefail
zg=$1 corpus=$2 mode=${3:-}
[ -f "$corpus/verdicts.tsv" ] || { echo "FAIL: no corpus at $corpus (verdicts.tsv missing)"; exit 1; }
agree=0 disagree=0 total=0 others=0 expected=0
# The deliberate disagreements, FILE -> zonegen's verdict (tests/corpus-expected.tsv).
declare -A expect seen
while IFS=$'\t' read -r file verdict _; do
  [[ -z $file || $file == \#* ]] || expect[$file]=$verdict
done < "$(dirname "$0")/../corpus-expected.tsv"
# Tabs are whitespace to `read`, so empty columns would collapse: pick the columns first.
while IFS='|' read -r file origin named_rc kzc_rc; do
  total=$((total + 1))
  path="$corpus/$file"
  out=$("$zg" validate "$path" --origin "$origin" --allow-include "$(dirname "$path")" 2>&1); rc=$?
  first=$(printf '%s\n' "$out" | grep -m1 ': error: ' | sed 's/^[^ ]* error: //')
  ours=accept; [ $rc -ne 0 ] && ours=reject
  [ $rc -gt 1 ] && ours="exit$rc"
  named=accept; [ "$named_rc" != 0 ] && named=reject
  kzc=accept; [ "$kzc_rc" != 0 ] && kzc=reject
  if [ "$mode" = --table ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$file" "$named" "$kzc" "$ours" "${first:0:110}"
  fi
  if [ "$named" = "$kzc" ]; then
    if [ "$ours" = "$named" ]; then agree=$((agree + 1));
    elif [ "${expect[$file]:-}" = "$ours" ]; then expected=$((expected + 1)); seen[$file]=1; else
      disagree=$((disagree + 1))
      [ "$mode" = --table ] || echo "FAIL $file: BIND and Knot $named, zonegen $ours: ${first:-$(printf '%s' "$out" | tail -1)}"
    fi
  else
    others=$((others + 1))
  fi
done < <(awk -F'\t' 'NR > 1 { print $1 "|" $2 "|" $5 "|" $8 }' "$corpus/verdicts.tsv")
for file in "${!expect[@]}"; do
  [ -n "${seen[$file]:-}" ] || { echo "FAIL $file: listed in corpus-expected.tsv, but zonegen agrees with BIND and Knot now"; disagree=$((disagree + 1)); }
done
echo "corpus: $agree passed, $expected expected disagreements, $disagree failed (of $((agree + expected + disagree)) files where BIND and Knot agree; $others where they differ; $total in all)"
[ $total -ge 119 ] || { echo "FAIL: expected 119 corpus files, read $total"; exit 1; }
[ $disagree -eq 0 ]
