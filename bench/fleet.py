#!/usr/bin/env python3
"""The fleet at scale: N pattern-A zones provisioned by `zonegen batch --action apply` onto a
PowerDNS primary that produces a catalog zone (RFC 9432), consumed by a PowerDNS secondary
and a Knot secondary that have no per-zone configuration; then every zone served by both at
the primary's serials. Side by side in the same run, the baseline: a raw HTTP client
(bench/raw_client.cpp) sending the fewest requests PowerDNS needs for the same zones (the
POST of the zone with its records and catalog, the PUT of each metadata zonegen sets), into
an identical fresh world.

Reported: wall time, peak RSS of the client, requests per zone as PowerDNS's own webserver
log counts them, each as a ratio to the raw client's; the time per added member at each
checkpoint (the catalog holding 1k, 10k, 100k members: does its size slow each addition?);
the time until both consumers serve every zone at the primary's serial, and the servers'
peak memory. Run by `bash bench/run.sh fleet [--zones N] [--jobs J]`. Not a test.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from servers import API_KEY, Pdns, knot_catalog_consumer  # noqa: E402
from harness import api, catalog_profile, soa_many  # noqa: E402
from plan_requests import fewest_requests  # noqa: E402

ap = argparse.ArgumentParser(prog="bench/run.sh fleet")
ap.add_argument("--build", default=os.path.join(SRC, "build"))
ap.add_argument("--zones", type=int, default=100000)
ap.add_argument("--checkpoints", default="1000 10000 100000",
                help="catalog sizes at which the time per added member is measured")
ap.add_argument("--window", type=int, default=1000, help="members added in each measured window")
ap.add_argument("--jobs", type=int, default=4)
ap.add_argument("--primary-cycle", type=int, default=1, choices=(1, 60),
                help="the primary's xfr-cycle-interval: how often it bumps the catalog (1, or PowerDNS's default 60)")
ap.add_argument("--control", action="store_true",
                help="a third run: the raw client into a world whose primary has no catalog (what the "
                     "database's growth alone costs each zone)")
ap.add_argument("--control-only", action="store_true", help="only the --control run")
ap.add_argument("--assume-new", action="store_true",
                help="zonegen's batch with --assume-new (each zone created without reading it first)")
ap.add_argument("--sync-deadline", type=int, default=3600, help="seconds the consumers may take")
ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "zonegen-bench-fleet"))
a = ap.parse_args()
ZG, RAW = os.path.join(a.build, "zonegen"), os.path.join(a.build, "bench_raw_client")
for exe in (ZG, RAW):
    if not os.access(exe, os.X_OK):
        sys.exit("bench: build first (cmake --build %s): %s is missing" % (a.build, exe))
CATALOG = "catalog.zonegen.invalid."
ENV = dict(os.environ, PDNS_API_KEY=API_KEY)
CHECKPOINTS = sorted(c for c in (int(x) for x in a.checkpoints.split()) if c <= a.zones)
if not CHECKPOINTS or CHECKPOINTS[0] < a.window:
    sys.exit("bench: --checkpoints needs one at most --zones (%d), each at least --window (%d)" % (a.zones, a.window))


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def name(i):
    return "f%06d-fleet.com." % i


def spec_line(i):
    return json.dumps({"domain": name(i).rstrip("."), "dns_pattern": "A", "registrar": "customer",
                       "server": {"name": "sv%d.example.net" % (i % 50), "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}})


def segments():
    """[start, end, measured]: a window of `a.window` members ending at each checkpoint
    (measured), the zones between them filled in one batch each."""
    out, at = [], 0
    for c in CHECKPOINTS:
        start = max(at, c - a.window)
        if start > at:
            out.append((at, start, False))
        out.append((start, c, True))
        at = c
    if at < a.zones:
        out.append((at, a.zones, False))
    return out


# ---- the world: a primary, a PowerDNS consumer, a Knot consumer --------------------------

def world(tag, catalog=True):
    """A fresh world; the profile names the primary (API), the PowerDNS consumer (ns2, no
    API) and Knot (ns3), and the catalog (with CATALOG false, none: the consumers then hold
    no zone and refuse the primary's NOTIFYs)."""
    d = os.path.join(a.work, tag)
    shutil.rmtree(d, ignore_errors=True)
    w = {}
    try:
        # --primary-cycle: how soon a change of members reaches the consumers, against the
        # primary's walk of every zone on each cycle.
        w["primary"] = p = Pdns(os.path.join(d, "primary"), secondary_cycle=a.primary_cycle == 1)
        w["secondary"] = s = Pdns(os.path.join(d, "secondary"), secondary_cycle=True)
        w["knot"] = k = knot_catalog_consumer(os.path.join(d, "knot"), p, CATALOG)
        api(s, "POST", "/zones", {"name": CATALOG, "kind": "Consumer", "masters": ["127.0.0.1:%d" % p.dns_port]})
        w["profile"] = catalog_profile(ZG, p, s, k, CATALOG, os.path.join(d, "profile.yaml"))
        if not catalog:
            text = open(w["profile"]).read()
            open(w["profile"], "w").write(text.replace("catalog: %s\n" % CATALOG, ""))
        w["catalog"] = catalog
        w["dir"] = d
        return w
    except BaseException:
        stop(w)
        raise


def stop(w):
    for k in ("knot", "secondary", "primary"):
        if k in w:
            w[k].stop()


def api_requests(pdns):
    """The API requests PowerDNS has logged (its webserver's one line per request)."""
    n = 0
    with open(os.path.join(pdns.workdir, "log"), errors="replace") as f:
        for line in f:
            if '"GET /api/' in line or '"POST /api/' in line or '"PUT /api/' in line or \
               '"PATCH /api/' in line or '"DELETE /api/' in line:
                n += 1
    return n


def peak_rss_mib(pid):
    """VmHWM of a running process: its peak resident memory so far."""
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(cmd, **kw):
    """Wall time, peak RSS and CPU seconds (user + system; GNU time's) and the result of CMD."""
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *cmd], capture_output=True, text=True, env=ENV, **kw)
    wall = time.perf_counter() - t0
    rss, user, system = r.stderr.strip().splitlines()[-1].split()
    return wall, int(rss) / 1024, float(user) + float(system), r


# ---- the two clients -----------------------------------------------------------------------

def zonegen_segment(w, start, end):
    specs = "".join(spec_line(i) + "\n" for i in range(start, end))
    wall, rss, cpu, r = timed([ZG, "batch", "-", "--action", "apply", "--yes", "--jobs", str(a.jobs),
                               "--profile", w["profile"]] + (["--assume-new"] if a.assume_new else []),
                              input=specs)
    lines = r.stdout.strip().splitlines()
    summary = json.loads(lines[-1]).get("summary", {}) if lines else {}
    if summary.get("ok") != end - start:
        sys.exit("bench: zonegen batch apply %d..%d: %s of %d succeeded (exit %d): %s"
                 % (start, end, summary.get("ok"), end - start, r.returncode, r.stderr[-1000:]))
    return wall, rss, cpu


def raw_requests(plan_line):
    return fewest_requests(plan_line, {"zone", "catalog " + CATALOG})


def raw_prepare(w):
    """The raw client's requests, from zonegen's plans against the raw world (before any
    timing), and the catalog created as zonegen's catalog step would."""
    specs = "".join(spec_line(i) + "\n" for i in range(a.zones))
    r = subprocess.run([ZG, "batch", "-", "--action", "plan", "--jobs", str(a.jobs), "--profile", w["profile"]],
                       input=specs, capture_output=True, text=True, env=ENV)
    plans, cat = {}, None
    for line in r.stdout.splitlines():
        x = json.loads(line)
        if "plan" in x:
            plans[x["zone"]] = json.dumps(raw_requests(x))
            cat = cat or next((s["after"] for s in x["plan"]["steps"] if s["subject"] == "catalog " + CATALOG), None)
    if len(plans) != a.zones or (w["catalog"] and not cat):
        sys.exit("bench: zonegen plan for the raw client: %d of %d plans (exit %d): %s"
                 % (len(plans), a.zones, r.returncode, r.stderr[-1000:]))
    if not w["catalog"]:
        return plans
    api(w["primary"], "POST", "/zones", {"name": CATALOG, "kind": "Producer", "soa_edit_api": "", "nameservers": [],
                                         "rrsets": [{"name": CATALOG, "type": "SOA", "ttl": 3600, "changetype": "REPLACE",
                                                     "records": [{"content": "invalid. hostmaster.invalid. 1 3600 600 "
                                                                             "604800 3600", "disabled": False}]}]})
    for kind, values in cat["metadata"].items():
        if values:
            api(w["primary"], "PUT", "/zones/%s/metadata/%s" % (CATALOG, kind), {"kind": kind, "metadata": values})
    return plans


def raw_segment(w, plans, start, end):
    f = os.path.join(w["dir"], "raw-%d-%d.jsonl" % (start, end))
    with open(f, "w") as out:
        for i in range(start, end):
            out.write(plans[name(i)] + "\n")
    wall, rss, cpu, r = timed([RAW, w["primary"].url, str(a.jobs), f])
    if r.returncode:
        sys.exit("bench: raw client %d..%d failed: %s" % (start, end, r.stderr[-1000:]))
    return wall, rss, cpu


# ---- one run: a client provisions every zone into a fresh world ------------------------------

def run(client, catalog=True):
    w = world(client if catalog else client + "-no-catalog", catalog)
    try:
        plans = raw_prepare(w) if client == "raw" else None
        before = api_requests(w["primary"])
        total, rss, cpu, per_member = 0.0, 0.0, 0.0, {}
        for start, end, measured in segments():
            log("%s: zones %d..%d" % (client, start, end))
            wall, r, c = raw_segment(w, plans, start, end) if client == "raw" else zonegen_segment(w, start, end)
            total, rss, cpu = total + wall, max(rss, r), cpu + c
            if measured:
                per_member[end] = wall / (end - start)
        requests = api_requests(w["primary"]) - before
        if requests < a.zones:  # one POST per zone at least: the log format is not what we read
            sys.exit("bench: PowerDNS logged %d API requests for %d zones: is its webserver log on?"
                     % (requests, a.zones))
        out = dict(seconds=total, rss=rss, cpu_ms=1000 * cpu / a.zones, requests=requests / a.zones,
                   per_member=per_member)
        # The consumers are waited for in zonegen's world only; the raw client's world is
        # stopped at its last response (its consumers may still be catching up).
        if client == "zonegen":
            out.update(consumers(w))
        log("%s: %s" % (client, json.dumps(out)))
        return out
    finally:
        stop(w)


def serials_pdns(pdns):
    return {z["name"]: z["serial"] for z in api(pdns, "GET", "/zones") if z["name"] != CATALOG}


def serials_knot(knot):
    out = subprocess.run(["knotc", "-s", knot.sock, "zone-status"], capture_output=True, text=True).stdout
    serials = {}
    for line in out.splitlines():
        if not line.startswith("[") or "serial: " not in line:
            continue
        zone = line[1:line.index("]")]
        s = line.split("serial: ")[1].split()[0].rstrip("|")
        if s.isdigit() and zone not in (CATALOG, "probe.test."):
            serials[zone] = int(s)
    return serials


def consumers(w):
    """Seconds from the last apply until each consumer serves every zone at the primary's
    serial (polled; the check itself is a few seconds at 100k zones), and the servers' peak
    memory."""
    want = serials_pdns(w["primary"])
    if len(want) != a.zones:
        sys.exit("bench: the primary holds %d of %d zones" % (len(want), a.zones))
    t0, took = time.perf_counter(), {}
    pending = {"PowerDNS": lambda: serials_pdns(w["secondary"]), "Knot": lambda: serials_knot(w["knot"])}
    while pending:
        for k, f in list(pending.items()):
            got = f()
            if got == want:
                took[k] = time.perf_counter() - t0
                del pending[k]
            else:
                log("%s consumer: %d of %d zones at the primary's serial"
                    % (k, sum(1 for z, s in got.items() if want.get(z) == s), len(want)))
        if pending and time.perf_counter() - t0 > a.sync_deadline:
            sys.exit("bench: after %d s %s do not serve every zone" % (a.sync_deadline, ", ".join(pending)))
        if pending:
            time.sleep(3)
    served = dig_sample(w, want)
    return dict(sync=took, served_sample=served, server_rss={
        "PowerDNS primary": peak_rss_mib(w["primary"].proc.pid),
        "PowerDNS consumer": peak_rss_mib(w["secondary"].proc.pid),
        "Knot consumer": peak_rss_mib(w["knot"].proc.pid)})


def dig_sample(w, want, n=1000):
    """Over DNS, not only through their APIs: a sample of N zones asked of each consumer,
    its SOA serial equal to the primary's."""
    zones = sorted(want)[:: max(1, len(want) // n)]
    ok = 0
    for port in (w["secondary"].dns_port, w["knot"].port):
        got = soa_many(port, zones, w["dir"])
        # A query lost on a loaded machine (dig's one try of 2 s) is asked again, once.
        again = [z for z in zones if got.get(z.rstrip(".")) != want[z]]
        got.update(soa_many(port, again, w["dir"]) if again else {})
        ok += sum(1 for z in zones if got.get(z.rstrip(".")) == want[z])
    if ok != 2 * len(zones):
        sys.exit("bench: over DNS, %d of %d sampled answers carry the primary's serial" % (ok, 2 * len(zones)))
    return "%d zones x 2 consumers, all at the primary's serial" % len(zones)


# ---- the table -------------------------------------------------------------------------------

def control_line(control):
    print("control, raw client, %d zones, no catalog: %.1f s, %.0f zones/s, %.2f requests per zone; ms per zone at %s"
          % (a.zones, control["seconds"], a.zones / control["seconds"], control["requests"],
             " / ".join("%d: %.2f" % (c, 1000 * control["per_member"][c]) for c in CHECKPOINTS)))


if a.control_only:
    control_line(run("raw", catalog=False))
    sys.exit(0)
raw = run("raw")
zg = run("zonegen")
control = run("raw", catalog=False) if a.control else None
print("zonegen fleet benchmark, %s; %s, %d cores; %d pattern-A zones, --jobs %d, PowerDNS gsqlite3 primary "
      "(xfr-cycle-interval %d) with a catalog consumed by PowerDNS and Knot"
      % (time.strftime("%Y-%m-%d"), os.uname().machine, os.cpu_count(), a.zones, a.jobs, a.primary_cycle))
print("%-34s %12s %12s %8s" % ("", "zonegen", "raw client", "zonegen/raw"))
for label, k, fmt in (("apply, wall (s)", "seconds", "%.1f"), ("client peak RSS (MiB)", "rss", "%.0f"),
                      ("client CPU per zone (ms)", "cpu_ms", "%.2f"), ("API requests per zone", "requests", "%.2f")):
    print("%-34s %12s %12s %8.2f" % (label, fmt % zg[k], fmt % raw[k], zg[k] / raw[k]))
print("%-34s %12.0f %12.0f %8.2f" % ("zones/s", a.zones / zg["seconds"], a.zones / raw["seconds"],
                                     raw["seconds"] / zg["seconds"]))
for c in CHECKPOINTS:
    print("%-34s %12.2f %12.2f %8.2f" % ("ms per member, catalog at %d" % c, 1000 * zg["per_member"][c],
                                         1000 * raw["per_member"][c], zg["per_member"][c] / raw["per_member"][c]))
first = CHECKPOINTS[0]
if control:
    control_line(control)
print("growth of the time per member from %d to %d: zonegen x%.2f, raw client x%.2f"
      % (first, CHECKPOINTS[-1], zg["per_member"][CHECKPOINTS[-1]] / zg["per_member"][first],
         raw["per_member"][CHECKPOINTS[-1]] / raw["per_member"][first]))
print("all %d zones served at the primary's serials after the last apply (polled every 3 s; the "
      "consumers' own xfr-cycle-interval 1 s): %s; DNS sample: %s"
      % (a.zones, ", ".join("%s %.0f s" % kv for kv in zg["sync"].items()), zg["served_sample"]))
print("servers' peak memory (zonegen's run): %s" % ", ".join("%s %.0f MiB" % kv for kv in zg["server_rss"].items()))
