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
  printf '%s' "$j" | EXPECT=$expect python3 -c 'import json,os,sys; e=json.load(sys.stdin)["error"]; assert e["kind"]=="input" and os.environ["EXPECT"] in e["message"], e' \
    || { echo "FAIL $name: --format json did not print the input error"; ok=0; }
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
# A spec whose file name is not UTF-8 (and whose ttl is bad): the name is printed escaped,
# in text and in JSON (which stays valid UTF-8).
odd="$work/names/sp$(printf '\377')ec.yaml"
mkdir -p "$work/names"
cp "$src/tests/bad-specs/ttl-separator.yaml" "$odd"
msg=$("$zg" generate "$odd" 2>&1 >/dev/null); rc=$?
j=$("$zg" generate "$odd" --format json 2>/dev/null)
if [ $rc -eq 2 ] && [[ "$msg" == *'sp\xFFec.yaml:6: '"'ttl'"* ]] &&
   printf '%s' "$j" | python3 -c 'import json,sys; e=json.loads(sys.stdin.buffer.read().decode("utf-8"))["error"]; assert "sp\\xFFec.yaml:6:" in e["message"], e'; then
  pass=$((pass+1))
else
  echo "FAIL non-UTF-8 file name: exit $rc, '$msg'"; fail=$((fail+1))
fi
# One `batch -` JSON line with a second object after the spec: that line alone is refused.
head='{"domain": "DOM", "dns_pattern": "A", "registrar": "transfer", "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]}}'
out=$(printf '%s {"domain": "evil.com"}\n%s\n' "${head/DOM/example.com}" "${head/DOM/example.org}" |
      "$zg" batch - --action generate 2>/dev/null); rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
bad, good = lines[0] if "error" in lines[0] else lines[1], lines[1] if "error" in lines[0] else lines[0]
assert bad["exit"] == 2 and "text after the end of the spec document at line 1" in bad["error"]["message"], bad
assert good["exit"] == 0 and good["zone"] == "example.org.", good
assert lines[2]["summary"]["total"] == 2, lines'; then
  pass=$((pass+1))
else
  echo "FAIL batch JSON line with trailing text: exit $rc, '$out'"; fail=$((fail+1))
fi
# A batch file listing specs whose items nest aliases of each other ("billion laughs" across
# items): each item is refused for its aliases, quickly (no expansion).
cp "$src/tests/bad-specs/yaml-aliases.yaml" "$work/aliases.yaml"
sed -i '1d; s/^/- /' "$work/aliases.yaml"
out=$(timeout 60 "$zg" batch "$work/aliases.yaml" --action generate 2>/dev/null); rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
assert lines[-1]["summary"]["total"] == 8, lines[-1]
assert any("YAML aliases are not accepted in a spec" in l["error"]["message"] for l in lines[:-1]), lines'; then
  pass=$((pass+1))
else
  echo "FAIL batch list with nested aliases: exit $rc, '$out'"; fail=$((fail+1))
fi
rm -f "$work/aliases.yaml"
echo "bad specs: $pass passed, $fail failed"
[ $pass -ge 10 ] && [ $fail -eq 0 ]
