#!/usr/bin/env bash
# Malformed input never crashes, hangs or leaks another file: binary garbage, a 10 MB
# single line, unterminated parentheses and quotes, a NUL byte, $INCLUDE of /etc/passwd.
# Each gives findings (exit 1) or a clean exit 2, within a time limit. And a zone with 20
# independent problems reports each on its own line.
# Usage: malformed.sh ZONEGEN SOURCE_DIR WORKDIR
set -uo pipefail
zg=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }

# 20 problems, 20 findings, on the marked lines.
f="$src/tests/malformed/twenty-problems.zone"
out=$("$zg" validate "$f" 2>&1)
want=$(grep -n '; problem' "$f" | cut -d: -f1 | sort -n | tr '\n' ' ')
got=$(printf '%s\n' "$out" | sed -n 's/^[^:]*:\([0-9]*\): \(error\|warning\): .*/\1/p' | sort -n | uniq | tr '\n' ' ')
nfind=$(printf '%s\n' "$out" | grep -c ': \(error\|warning\): ')
[ "$(grep -c '; problem' "$f")" -eq 20 ] || bad "twenty-problems.zone does not mark 20 problems"
if [ "$want" = "$got" ] && [ "$nfind" -eq 20 ]; then ok; else bad "20 problems: want lines [$want], got [$got] in $nfind findings:"; printf '%s\n' "$out"; fi

run() {  # label expected-exit-codes file [args]
  local label=$1 codes=$2 file=$3; shift 3
  local out rc
  out=$(timeout 60 "$zg" validate "$file" --origin example.com "$@" 2>&1); rc=$?
  if [ $rc -eq 124 ]; then bad "$label: hung"; return; fi
  if [[ " $codes " != *" $rc "* ]]; then bad "$label: exit $rc (want $codes): $(printf '%s' "$out" | tail -2)"; return; fi
  if grep -q 'root:x:0:0' <<<"$out"; then bad "$label: printed /etc/passwd"; return; fi
  ok
}
head -c 200000 /dev/urandom > "$work/garbage.zone"; run "binary garbage" "1" "$work/garbage.zone"
{ printf 'x IN TXT "'; head -c 10485760 /dev/zero | tr '\0' 'a'; printf '"\n'; } > "$work/long-line.zone"; run "10 MB line" "1" "$work/long-line.zone"
printf '@ IN SOA ns1 host ( 1 2 3 4\n' > "$work/paren.zone"; run "unterminated parenthesis" "1" "$work/paren.zone"
printf '@ IN TXT "never closed\n@ IN A 192.0.2.1\n' > "$work/quote.zone"; run "unterminated quote" "1" "$work/quote.zone"
printf '@ IN A 192.0.2.1\n@ IN TXT "a\0b"\n' > "$work/nul.zone"; run "NUL byte" "1" "$work/nul.zone"
printf '$INCLUDE /etc/passwd\n' > "$work/include.zone"; run "include /etc/passwd" "1" "$work/include.zone"
run "include /etc/passwd allowed elsewhere" "1" "$work/include.zone" --allow-include "$work"
run "missing file" "2" "$work/does-not-exist.zone"
run "a directory" "1 2" "$work"
printf '' > "$work/empty.zone"; run "empty file" "1" "$work/empty.zone"
# A large zone (over the size whose memory is left to the process exit): whole, in order, and
# clean under the leak checker of the sanitizer build; a diff against itself is empty.
{ printf '$ORIGIN big.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 14400 3600 1209600 3600\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n'
  for i in $(seq 0 19999); do printf 'h%d A 10.0.%d.%d\n' "$i" $((i / 256 % 256)) $((i % 256)); done; } > "$work/big.zone"
out=$("$zg" validate "$work/big.zone" 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q ': 20004 records, 0 errors, 0 warnings' <<<"$out"; then ok; else bad "20004-record zone: exit $rc: $out"; fi
out=$("$zg" diff "$work/big.zone" "$work/big.zone" 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q '0 to create, 0 to update, 0 to delete' <<<"$out"; then ok; else bad "diff of a big zone with itself: exit $rc: $out"; fi
echo "malformed: $pass passed, $fail failed"
[ $fail -eq 0 ]
