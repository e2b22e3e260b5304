#!/usr/bin/env python3
"""zonegen's benchmarks, side by side with the peer tools in the same run.

Generates its inputs, runs zonegen and the peers, and prints one table: median wall time,
peak RSS, the ratio to each peer, and for each target whether it is met. Run by
bench/run.sh (see there for the options). Not a test: nothing here fails a build.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from plan_requests import fewest_requests  # noqa: E402
import zones  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default=os.path.join(SRC, "build"))
ap.add_argument("--sizes", default="10000 100000 1000000")
ap.add_argument("--shapes", default=" ".join(zones.SHAPES[1:]),
                help="other zone shapes validated at the biggest size (bench/zones.py)")
ap.add_argument("--repeat", type=int, default=5)
ap.add_argument("--specs", default="1000 10000 100000")
ap.add_argument("--zones", type=int, default=10000, help="zones for batch apply (0: skip)")
ap.add_argument("--jobs", type=int, default=4)
ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "zonegen-bench"))
a = ap.parse_args()
ZG = os.path.join(a.build, "zonegen")
RAW = os.path.join(a.build, "bench_raw_client")
for exe in (ZG, RAW):
    if not os.access(exe, os.X_OK):
        sys.exit("bench: build first (cmake --build %s): %s is missing" % (a.build, exe))
os.makedirs(a.work, exist_ok=True)
rows = []


def have(tool):
    return shutil.which(tool) is not None


def measure(cmd, repeat=None, **kw):
    """Median wall time and peak RSS (GNU time's %M: the command itself) over `repeat` runs."""
    walls, rss = [], []
    for _ in range(repeat or a.repeat):
        t0 = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, **kw)
        if r.returncode not in (0, 1):  # 1: a peer's verdict on a zone; anything else is broken
            said = r.stderr.strip().splitlines()[:-1]  # the last line is GNU time's %M
            raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode, " / ".join(said)[-500:]))
        walls.append(time.perf_counter() - t0)
        rss.append(int(r.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(rss)


def zone(n, path, change=0.0, shape="names"):
    """About n records under bench.example in one of bench/zones.py's shapes; `change`: the
    share of records that differ."""
    return zones.write(shape, n, path, change)


def spec_line(i, tag):
    return json.dumps({"domain": "c%06d-%s.com" % (i, tag), "dns_pattern": "A", "registrar": "customer",
                       "server": {"name": "sv%d.example.net" % (i % 50), "ipv4": ["192.0.2.%d" % (i % 250 + 1)],
                                  "ipv6": ["2001:db8::%x" % (i % 65000 + 1)]}})


def row(work, ours, peers, target=None, note="", time_share=1.0):
    """`target`: the peer whose time (times `time_share`) and memory ours must not pass."""
    rows.append((work, ours, peers, target, note, time_share))


failed = []  # (section, reason): a section that failed is reported, and the others still run


def section(name, fn):
    """Runs one section of the bench; a failure is its row's (the reason, in the table and
    on stderr), not the end of the run."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - any failure of one row
        reason = "%s: %s" % (type(e).__name__, " / ".join(str(e).strip().splitlines())[-600:])
        print("bench: %s FAILED: %s" % (name, reason), file=sys.stderr, flush=True)
        failed.append((name, reason))
        return None


# ---- 1. validate big zones: time, memory, linearity ---------------------------------------
def validate_row(n, shape="names"):
    p = zone(n, os.path.join(a.work, "z%d%s.zone" % (n, "" if shape == "names" else "-" + shape)), shape=shape)
    ours = measure([ZG, "validate", p, "--origin", "bench.example"])
    peers = {"kzonecheck": measure(["kzonecheck", "-o", "bench.example", p])}
    if have("named-checkzone"):
        peers["named-checkzone"] = measure(["named-checkzone", "-i", "local", "bench.example", p])
    if have("ldns-read-zone"):
        peers["ldns-read-zone"] = measure(["ldns-read-zone", "-q", p], repeat=min(a.repeat, 3))
    row("validate %d records, %s" % (n, shape), ours, peers, "kzonecheck",
        "%.2f us a record, %.1f MiB per 100k records" % (ours[0] / n * 1e6, ours[1] / n * 1e5),
        time_share=0.8)


for n in [int(x) for x in a.sizes.split()]:
    section("validate %d records" % n, lambda: validate_row(n))
for shape in a.shapes.split():
    big = max(int(x) for x in a.sizes.split())
    section("validate %d records, %s" % (big, shape), lambda: validate_row(big, shape))

# ---- 2. one customer, whole process -----------------------------------------------------
def small_rows():
    small = os.path.join(a.work, "small.zone")
    subprocess.run([ZG, "generate", os.path.join(SRC, "examples/a-transfer.yaml"), "-o", small], check=True)
    kz_small = measure(["kzonecheck", "-o", "example.co.jp", small], repeat=a.repeat * 20)
    nc_small = measure(["named-checkzone", "-i", "local", "example.co.jp", small], repeat=a.repeat * 20)
    row("validate a 14-record zone, whole process", measure([ZG, "validate", small], repeat=a.repeat * 20),
        {"kzonecheck": kz_small, "named-checkzone": nc_small}, "kzonecheck")
    row("generate a customer zone, whole process",
        measure([ZG, "generate", os.path.join(SRC, "examples/a-transfer.yaml")], repeat=a.repeat * 20),
        {"kzonecheck": kz_small, "named-checkzone": nc_small}, "kzonecheck")


section("the small zone, whole process", small_rows)

# ---- 3. diff at scale --------------------------------------------------------------------
def diff_section():
    big = max(int(x) for x in a.sizes.split())
    za = zone(big, os.path.join(a.work, "z%d.zone" % big))
    zb = zone(big, os.path.join(a.work, "z%d-1pct.zone" % big), change=0.01)
    load = measure([ZG, "validate", za, "--origin", "bench.example"])
    d = measure([ZG, "diff", za, zb, "--origin", "bench.example"])
    return (big, d, load)


diff_row = section("diff at scale", diff_section)

# ---- 3b. import the biggest zone by AXFR from BIND -----------------------------------------
def axfr_section():
    if shutil.which("named") or os.path.exists("/usr/sbin/named"):
        from servers import Bind
        bd = os.path.join(a.work, "bind")
        shutil.rmtree(bd, ignore_errors=True)
        big = max(int(x) for x in a.sizes.split())
        za = zone(big, os.path.join(a.work, "z%d.zone" % big))
        bind = Bind(bd, {"bench.example.": (open(za).read(), ["127.0.0.1"], [])})
        try:
            src = "axfr://127.0.0.1:%d/bench.example" % bind.port
            # The default caps (200,000 records, 64 MiB) stop a transfer this large: raised here.
            prof = subprocess.run([ZG, "profile"], capture_output=True, text=True, check=True).stdout
            prof = prof.replace("max_records: 200000", "max_records: 100000000")
            prof = prof.replace("max_bytes: 67108864", "max_bytes: 4000000000").replace("max_seconds: 10", "max_seconds: 600")
            big_caps = os.path.join(a.work, "big-caps-profile.yaml")
            open(big_caps, "w").write(prof)
            ours = measure([ZG, "import", src, "--profile", big_caps, "-o", os.path.join(a.work, "imported.zone")],
                           repeat=min(a.repeat, 3))
            dig = measure(["dig", "+noall", "+answer", "-p", str(bind.port), "@127.0.0.1", "bench.example", "AXFR"],
                          repeat=min(a.repeat, 3))
            return (big, ours, dig)
        finally:
            bind.stop()
    return None


axfr_row = section("import by AXFR from BIND", axfr_section)

# ---- 4. many customers: batch generate vs one process each --------------------------------
def spec_section():
    spec_rows = []
    for n in [int(x) for x in a.specs.split() if int(x) > 0]:
        path = os.path.join(a.work, "specs%d.jsonl" % n)
        with open(path, "w") as f:
            f.writelines(spec_line(i, "zgbench") + "\n" for i in range(n))
        out = os.path.join(a.work, "zones%d" % n)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        with open(path) as stdin:
            t0 = time.perf_counter()
            r = subprocess.run([ZG, "batch", "-", "--action", "generate", "--jobs", str(a.jobs), "--write-zones", out],
                               stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t = time.perf_counter() - t0
        ok = len(os.listdir(out)) == n and r.returncode == 0
        spec_rows.append((n, t, ok))
    # One process per customer (what the control panel does between waves), on a sample.
    sample = [os.path.join(a.work, "one%d.yaml" % i) for i in range(40)]
    for i, p in enumerate(sample):
        with open(p, "w") as f:
            f.write(spec_line(i, "zgbench"))  # JSON is YAML
    t0 = time.perf_counter()
    for p in sample:
        subprocess.run([ZG, "generate", p], check=True, stdout=subprocess.DEVNULL)
    per_process = (time.perf_counter() - t0) / len(sample)
    return spec_rows, per_process


spec_rows, per_process = section("batch generate", spec_section) or ([], None)

# ---- 5. batch apply against PowerDNS vs a raw HTTP client --------------------------------
def apply_mode(lean):
    """Batch apply of --zones new zones, then again, against the raw client sending the
    fewest requests for the same zones, each into a fresh PowerDNS. LEAN: the profile's
    pdns.transfer_settings: server, the primary configured for it (also-notify)."""
    from servers import API_KEY, Pdns, free_port
    from harness import logged_requests
    env = dict(os.environ, PDNS_API_KEY=API_KEY)
    sec_port = free_port()
    tag = "lean" if lean else "zone"

    def fresh(name):
        d = os.path.join(a.work, name + "-" + tag)
        shutil.rmtree(d, ignore_errors=True)
        return Pdns(d, extra_conf="also-notify=127.0.0.2:%d\nallow-axfr-ips=127.0.0.0/8\n" % sec_port if lean else "")

    def profile_for(pd):
        prof = subprocess.run([ZG, "profile"], capture_output=True, text=True, check=True).stdout
        prof = prof.replace("    ipv4: [192.0.2.53]\n    ipv6: [\"2001:db8::53\"]\n",
                            "    ipv4: [127.0.0.1]\n    dns_port: %d\n" % pd.dns_port)
        # The secondary: no API (it would only take NOTIFY and transfer).
        prof = prof.replace("    ipv4: [198.51.100.53]\n    ipv6: [\"2001:db8:1::53\"]\n",
                            "    ipv4: [127.0.0.2]\n    dns_port: %d\n" % sec_port)
        prof = prof.replace("url: http://127.0.0.1:8081", "url: " + pd.url)
        if lean:
            prof = prof.replace("  transfer_settings: zone\n", "  transfer_settings: server\n")
        path = os.path.join(a.work, "bench-profile-%s.yaml" % tag)
        open(path, "w").write(prof)
        return path

    specs = "".join(spec_line(i, "zgapply") + "\n" for i in range(a.zones))
    zone_of = lambda i: "c%06d-zgapply.com." % i  # noqa: E731

    def batch(profile, action, *extra):
        t0 = time.perf_counter()
        r = subprocess.run([ZG, "batch", "-", "--action", action, "--yes", "--jobs", str(a.jobs),
                            "--profile", profile, *extra], input=specs, capture_output=True, text=True, env=env)
        t = time.perf_counter() - t0
        lines = [json.loads(x) for x in r.stdout.splitlines()]
        return t, [x for x in lines if "summary" not in x], r.returncode

    pd = fresh("pdns-raw")
    try:
        prof = profile_for(pd)
        _, plans, _ = batch(prof, "plan")  # the bodies: from zonegen's own plans
        by_zone = {x["zone"]: x for x in plans}
        reqfile = os.path.join(a.work, "raw-requests-%s.jsonl" % tag)
        with open(reqfile, "w") as f:
            for i in range(a.zones):
                f.write(json.dumps(fewest_requests(by_zone[zone_of(i)], {"zone"})) + "\n")
        before = len(logged_requests(pd))
        t0 = time.perf_counter()
        r = subprocess.run([RAW, pd.url, str(a.jobs), reqfile], capture_output=True, text=True, env=env)
        raw = json.loads(r.stdout)
        raw["wall"] = time.perf_counter() - t0
        raw["logged"] = len(logged_requests(pd)) - before
        if raw["failed"]:  # a baseline whose requests failed measures nothing
            raise RuntimeError("the raw client: %d of %d requests failed: %s"
                               % (raw["failed"], raw["requests"], r.stderr[-500:]))
    finally:
        pd.stop()
    pd = fresh("pdns-zonegen")
    try:
        prof = profile_for(pd)
        t1, res1, rc1 = batch(prof, "apply")
        n1 = len(logged_requests(pd))
        t2, res2, rc2 = batch(prof, "apply")
        calls = logged_requests(pd)
    finally:
        pd.stop()
    # The first apply again, into a fresh server, as a wave of new customers: --assume-new.
    pd = fresh("pdns-assume-new")
    try:
        prof = profile_for(pd)
        t3, res3, _ = batch(prof, "apply", "--assume-new")
        n3 = len(logged_requests(pd))
    finally:
        pd.stop()
    z0 = zone_of(0)
    def shape(part):
        """One zone's requests: those naming zone 0, and its POST (to /zones, naming none)."""
        out = [c.replace(z0, "{z}") for c in part if z0 in c]
        if sum(1 for c in part if c.startswith("POST ") and c.endswith("/zones")) >= a.zones:
            out.insert(1 if out and out[0] == "GET /zones/{z}" else 0, "POST /zones")
        return out
    return dict(lean=lean, raw=raw, t1=t1, t2=t2, rc1=rc1, rc2=rc2,
                ok1=sum(1 for x in res1 if x["exit"] == 0),
                writes2=sum(1 for x in res2 if x.get("apply", {}).get("applied")),
                req1=n1, req2=len(calls) - n1, first=shape(calls[:n1]), again=shape(calls[n1:]),
                t3=t3, req3=n3, ok3=sum(1 for x in res3 if x["exit"] == 0))


def apply_section():
    if a.zones <= 0:
        return None
    if not shutil.which("pdns_server") and not os.path.exists("/usr/sbin/pdns_server"):
        return "not measured: pdns_server is not installed (bash scripts/deps.sh)"
    return [apply_mode(False), apply_mode(True)]


apply_rows = section("batch apply to PowerDNS", apply_section)

# ---- the table -----------------------------------------------------------------------------
print("zonegen benchmarks, %s; %s, %d cores; medians of %d runs (small zones: %d)"
      % (time.strftime("%Y-%m-%d"), os.uname().machine, os.cpu_count(), a.repeat, a.repeat * 20))
print("%-42s %10s %8s   %s" % ("work", "zonegen", "RSS MiB", "peers: time, RSS, zonegen/peer ratios of time/RSS"))
for name, (w, m), peers, target, note, share in rows:
    ps, met = [], ""
    for k, (pw, pm) in peers.items():
        ps.append("%s %.4fs %.0fMiB x%.2f/x%.2f" % (k, pw, pm, w / pw if pw else 0, m / pm if pm else 0))
        if k == target:
            met = "  [target: time <= %s%s, memory <= %s: %s]" % (
                "%.1fx " % share if share != 1 else "", k, k,
                "met" if w <= share * pw and m <= pm else "NOT MET")
    print("%-42s %9.4fs %8.0f   %s%s%s" % (name, w, m, "; ".join(ps), "  (%s)" % note if note else "", met))
if diff_row:
    big, (dw, dm), (lw, lm) = diff_row
    print("%-42s %9.4fs %8.0f   loading both %.4fs: ratio %.2f  [target <= 1.2: %s]"
          % ("diff %d vs 1%% changed" % big, dw, dm, 2 * lw, dw / (2 * lw), "met" if dw <= 1.2 * 2 * lw else "NOT MET"))
if axfr_row:
    n, (w, m), (pw, pm) = axfr_row
    print("%-42s %9.4fs %8.0f   dig AXFR (prints it) %.4fs %.0fMiB x%.2f"
          % ("import %d records by AXFR from BIND" % n, w, m, pw, pm, w / pw))
for n, t, ok in spec_rows:
    print("%-42s %9.3fs %8s   %.0f specs/s; one process per spec: %.0f/s (x%.1f)%s"
          % ("batch generate %d specs (--jobs %d)" % (n, a.jobs), t, "-", n / t, 1 / per_process,
             (n / t) * per_process, "" if ok else "  [FAILED: not every zone was written]"))
if isinstance(apply_rows, str) or (apply_rows is None and a.zones == 0):
    print("%-42s %s" % ("batch apply to PowerDNS", apply_rows or "skipped (--zones 0)"))
elif apply_rows is None:
    pass  # failed: below
else:
    for x in apply_rows:
        mode = "lean mode, " if x["lean"] else ""
        raw_rate, zg_rate = x["raw"]["zones"] / x["raw"]["seconds"], a.zones / x["t1"]
        print("%srequests per new zone: %s" % (mode, ", ".join(x["first"])))
        print("%srequests per unchanged zone: %s" % (mode, ", ".join(x["again"])))
        print("%-42s %9.3fs %8s   %.0f zones/s, %.2f requests a zone; raw client (fewest requests) %.3fs %.0f zones/s, "
              "%.2f a zone (%d failed): %.0f %%  [target >= 80 %%: %s]"
              % ("batch apply %d new zones (%s--jobs %d)" % (a.zones, mode, a.jobs), x["t1"], "-", zg_rate,
                 x["req1"] / a.zones, x["raw"]["seconds"], raw_rate, x["raw"]["logged"] / a.zones, x["raw"]["failed"],
                 100 * zg_rate / raw_rate, "met" if zg_rate >= 0.8 * raw_rate and x["ok1"] == a.zones else "NOT MET"))
        new_rate = a.zones / x["t3"]
        print("%-42s %9.3fs %8s   %.0f zones/s, %.2f requests a zone: %.0f %% of the raw client  [target >= 80 %%: %s]"
              % ("  the same with --assume-new", x["t3"], "-", new_rate, x["req3"] / a.zones, 100 * new_rate / raw_rate,
                 "met" if new_rate >= 0.8 * raw_rate and x["ok3"] == a.zones else "NOT MET"))
        print("%-42s %9.3fs %8s   %d zones wrote something, %.2f requests a zone; x%.1f faster than the first apply"
              "  [target: zero writes%s: %s]"
              % ("batch re-apply of the same zones (%s)" % ("lean" if x["lean"] else "zone"), x["t2"], "-",
                 x["writes2"], x["req2"] / a.zones, x["t1"] / x["t2"],
                 ", one request a zone" if x["lean"] else "",
                 "met" if x["writes2"] == 0 and (not x["lean"] or x["req2"] <= a.zones + 2) else "NOT MET"))
for name, reason in failed:
    print("%-42s FAILED: %s" % (name, reason))
sys.exit(1 if failed else 0)
