#!/usr/bin/env bash
# zonegen's benchmarks, side by side with the peer tools in the same run: median wall time
# and peak RSS over repeated runs, and the ratio to each peer. Generates its inputs.
# Usage: bench/run.sh [--sizes "10000 100000 1000000"] [--repeat N]
# Needs a built ./build/zonegen and the peers (kzonecheck, named-checkzone, ldns-read-zone).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="10000 100000 1000000"; repeat=5
while [ $# -gt 0 ]; do
  case $1 in --sizes) sizes=$2; shift 2 ;; --repeat) repeat=$2; shift 2 ;; *) echo "usage: $0 [--sizes LIST] [--repeat N]"; exit 2 ;; esac
done
zg=$PWD/build/zonegen
[ -x "$zg" ] || { echo "bench: build zonegen first (cmake --build build)"; exit 1; }
work=${TMPDIR:-/tmp}/zonegen-bench; mkdir -p "$work"
exec python3 - "$zg" "$work" "$repeat" $sizes <<'PY'
import os, statistics, subprocess, sys, time
zg, work, repeat, sizes = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(x) for x in sys.argv[4:]]

def zone(n, path, change=0.0):
    if os.path.exists(path): return path
    with open(path, "w") as f:
        f.write("$ORIGIN bench.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 14400 3600 1209600 3600\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n")
        step = int(1 / change) if change else 0
        for i in range(n):
            last = (i & 255) if not (step and i % step == 0) else ((i + 1) & 255)
            f.write("h%d A 10.%d.%d.%d\n" % (i, (i >> 16) & 255, (i >> 8) & 255, last))
    return path

def measure(cmd):
    """Median wall time (perf_counter) and peak RSS (GNU time's %M, which measures the
    command itself rather than a fork of this Python) of `repeat` runs."""
    walls, rss = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        t = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - t0)
        rss.append(int(t.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(rss)

rows = []
def row(work_name, ours, peers, target=None):
    rows.append((work_name, ours, peers, target))

for n in sizes:
    p = zone(n, os.path.join(work, "z%d.zone" % n))
    ours = measure([zg, "validate", p, "--origin", "bench.example"])
    peers = {"kzonecheck": measure(["kzonecheck", "-o", "bench.example", p]),
             "named-checkzone": measure(["named-checkzone", "-i", "local", "bench.example", p])}
    if n <= 100000:
        peers["ldns-read-zone"] = measure(["ldns-read-zone", "-q", p])
    row("validate %d records" % n, ours, peers, "kzonecheck" if n == 1000000 else None)

small = os.path.join(work, "small.zone")
subprocess.run([zg, "generate", "examples/a-transfer.yaml", "-o", small], check=True)
row("validate a 14-record zone, whole process", measure([zg, "validate", small]),
    {"kzonecheck": measure(["kzonecheck", "-o", "example.co.jp", small])}, "kzonecheck")
row("generate a customer zone, whole process", measure([zg, "generate", "examples/a-transfer.yaml", "-o", "/dev/null"]),
    {"kzonecheck": measure(["kzonecheck", "-o", "example.co.jp", small])}, "kzonecheck")

big = max(sizes)
a = zone(big, os.path.join(work, "z%d.zone" % big))
b = zone(big, os.path.join(work, "z%d-1pct.zone" % big), change=0.01)
load = measure([zg, "validate", a, "--origin", "bench.example"])[0]
d = measure([zg, "diff", a, b, "--origin", "bench.example"])
print("machine: %s, %d cores; %s" % (os.uname().machine, os.cpu_count(), time.strftime("%Y-%m-%d")))
print("%-44s %10s %9s   %s" % ("work", "zonegen", "RSS MiB", "peers (time, RSS; zonegen/peer time ratio)"))
for name, (w, m), peers, target in rows:
    ps = []
    met = ""
    for k, (pw, pm) in peers.items():
        ps.append("%s %.3fs %.0fMiB x%.2f" % (k, pw, pm, w / pw if pw else 0))
        if k == target:
            met = "  target (<= %s time and memory): %s" % (k, "met" if w <= pw * 1.0 and m <= pm else "not met")
    print("%-44s %9.3fs %9.0f   %s%s" % (name, w, m, "; ".join(ps), met))
print("%-44s %9.3fs %9.0f   loading both ~%.3fs: ratio %.2f; target <= 1.5: %s"
      % ("diff %d vs 1%% changed" % big, d[0], d[1], 2 * load, d[0] / (2 * load), "met" if d[0] <= 1.5 * 2 * load else "not met"))
print("batch apply against PowerDNS vs a raw HTTP client: not measured yet")
PY
