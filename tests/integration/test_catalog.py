#!/usr/bin/env python3
"""The fleet by catalog zone (RFC 9432): our PowerDNS primary produces the catalog the
profile names (`catalog:`), a PowerDNS secondary and a Knot secondary consume it — neither
has any per-zone configuration, nor does zonegen talk to either — and a batch of 300
pattern-A zones ends up served by both at the primary's serials. Deleting a zone (A -> C
with --force) takes it out of the catalog and off both secondaries. Usage:
  test_catalog.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Pdns, knot_catalog_consumer
import harness
from harness import api, catalog_profile, step_of, test_no_output_ever_holds_the_key, wait_for, write  # noqa: F401

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = harness.make_zg(ZG, SRC)
world = {}
CATALOG = "catalog.zonegen.invalid."
N = 300


def name(i):
    return "cat%03d-zonegen-test.com" % i


def spec_line(i, pattern="A"):
    return json.dumps({"domain": name(i), "dns_pattern": pattern, "registrar": "customer",
                       "server": {"name": "sv.example.net", "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}})


def catalog_profile_for(tsig_key=None):
    p, s, k = world["primary"], world["secondary"], world["knot"]
    return catalog_profile(ZG, p, s, k, CATALOG, os.path.join(WORK, "profile-%s.yaml" % (tsig_key or "catalog")),
                           tsig_key)


def setup():
    world["primary"] = Pdns(os.path.join(WORK, "primary"), secondary_cycle=True)
    world["secondary"] = s = Pdns(os.path.join(WORK, "secondary"), secondary_cycle=True)
    world["knot"] = knot_catalog_consumer(os.path.join(WORK, "knot"), world["primary"], CATALOG)
    # The operator's one-time set-up of a PowerDNS consumer: the catalog zone, kind Consumer.
    api(s, "POST", "/zones", {"name": CATALOG, "kind": "Consumer",
                              "masters": ["127.0.0.1:%d" % world["primary"].dns_port]})
    world["profile"] = catalog_profile_for()


def teardown():
    for k in ("knot", "secondary", "primary"):
        if k in world:
            world[k].stop()


def soa(port, zone):
    out = subprocess.run(["dig", "+norec", "+short", "+time=2", "+tries=1", "-p", str(port), "@127.0.0.1",
                          zone, "SOA"], capture_output=True, text=True).stdout.split()
    return int(out[2]) if len(out) >= 3 else None


def soa_many(port, zones):
    return harness.soa_many(port, zones, WORK)


def catalog_serial_consumed():
    """The catalog's serial as each consumer holds it: PowerDNS's API, Knot's knotc."""
    pd = api(world["secondary"], "GET", "/zones/%s" % CATALOG)["serial"]
    st = subprocess.run(["knotc", "-s", world["knot"].sock, "zone-status", CATALOG], capture_output=True,
                        text=True).stdout
    kn = [int(w.split(":")[1]) for w in st.replace(" ", "").split("|") if w.startswith("serial:")]
    return pd, (kn[0] if kn else None)


def axfr(port, zone):
    return subprocess.run(["dig", "+noall", "+answer", "-p", str(port), "@127.0.0.1", zone, "AXFR"],
                          capture_output=True, text=True, timeout=DEADLINE).stdout


def members(port):
    return {l.split()[-1] for l in axfr(port, CATALOG).splitlines() if " PTR " in l.replace("\t", " ")}


def P(profile=None):
    return ("--profile", profile or world["profile"])


def test_1_plan_shows_the_catalog_and_the_membership():
    f = write(os.path.join(WORK, "one.yaml"), "domain: %s\ndns_pattern: A\nregistrar: customer\n"
              "server: {name: sv.example.net, ipv4: [192.0.2.1]}\n" % name(0))
    plan = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    cat = step_of(plan, "catalog " + CATALOG)
    assert cat and cat["before"] is None and cat["after"]["kind"] == "Producer", plan["steps"]
    meta = cat["after"]["metadata"]
    assert meta["ALSO-NOTIFY"] == ["127.0.0.1:%d" % world["secondary"].dns_port,
                                   "127.0.0.1:%d" % world["knot"].port], meta
    zone = step_of(plan, "zone")
    assert zone["after"]["catalog"] == CATALOG and "member of the catalog" in zone["text"], zone
    # No per-zone zone on the secondaries: they consume the catalog.
    assert not [s for s in plan["steps"] if s["subject"].startswith("secondary ")], plan["steps"]
    text = zg("plan", f, *P(), check=0).stdout
    assert "+ catalog " + CATALOG in text, text
    assert "not for a zone this apply makes" in " ".join(plan["settle"]), plan["settle"]


def test_2_a_batch_of_300_reaches_both_consumers():
    jsonl = write(os.path.join(WORK, "batch.jsonl"), "".join(spec_line(i) + "\n" for i in range(N)))
    t0 = time.time()
    r = zg("batch", "-", "--action", "apply", "--yes", "--jobs", "4", *P(), input=open(jsonl).read(), check=0)
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    assert lines[-1]["summary"]["ok"] == N, lines[-1]
    applied = time.time() - t0
    # A new member is not notified: its consumers learn it from the catalog (and refuse a
    # NOTIFY of a zone they do not have yet). Not one PUT notify was sent.
    assert all(x["apply"]["notified"] == [] for x in lines[:-1]), [x["apply"] for x in lines[:3]]
    log = open(os.path.join(world["primary"].workdir, "log"), errors="replace").read()
    assert "/notify HTTP" not in log, "a new member was notified"
    p, s, k = world["primary"], world["secondary"], world["knot"]
    wait_for(lambda: len(members(p.dns_port)) == N, "the catalog to list %d members" % N)
    want = soa_many(p.dns_port, [name(i) for i in range(N)])
    assert len(want) == N, "the primary serves every zone"
    t1 = time.time()
    took = []
    for server, port in (("Knot", k.port), ("PowerDNS", s.dns_port)):
        def all_served():
            return soa_many(port, list(want)) == want
        wait_for(all_served, "the %s consumer to serve all %d zones at the primary's serials" % (server, N),
                 seconds=max(DEADLINE, 300))
        took.append("%s %.1f s" % (server, time.time() - t1))
    print("batch apply %.1f s; all %d zones served by the consumers after: %s" % (applied, N, ", ".join(took)))
    # The PowerDNS consumer made them itself, from the catalog: zonegen asked nothing of it.
    zones = api(s, "GET", "/zones")
    assert sum(1 for z in zones if z["kind"] == "Slave") == N, len(zones)


def catalog_reads():
    log = open(os.path.join(world["primary"].workdir, "log"), errors="replace").read()
    return log.count('"GET /api/v1/servers/localhost/zones/%s HTTP' % CATALOG)


def test_3_re_plan_is_empty_and_reads_the_catalog_once_per_worker():
    before = catalog_reads()
    jsonl = "".join(spec_line(i) + "\n" for i in range(40))
    r = zg("batch", "-", "--action", "plan", "--jobs", "4", *P(), input=jsonl, check=0)
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(lines) == 41, r.stdout[-500:]
    for l in lines[:-1]:
        assert l["exit"] == 0 and l["plan"]["steps"] == [], l
    # Found as wanted once, the catalog is not read again for each of the 40 domains.
    assert catalog_reads() - before <= 4, catalog_reads() - before


def test_4_deleting_a_zone_leaves_the_catalog_and_both_consumers():
    gone = name(7)
    f = write(os.path.join(WORK, "gone.yaml"), "domain: %s\ndns_pattern: C\nregistrar: customer\n"
              "customer_nameservers: [ns1.customer-dns.example, ns2.customer-dns.example]\n"
              "server: {name: sv.example.net, ipv4: [192.0.2.8]}\n" % gone)
    plan = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    assert "from the catalog " + CATALOG in step_of(plan, "zone")["text"], plan["steps"]
    zg("apply", f, "--yes", "--force", *P(), check=0)
    p, s, k = world["primary"], world["secondary"], world["knot"]
    wait_for(lambda: gone + "." not in members(p.dns_port), "the catalog to drop " + gone)
    for server, port in (("PowerDNS", s.dns_port), ("Knot", k.port)):
        wait_for(lambda: soa(port, gone + ".") is None, "the %s consumer to drop %s" % (server, gone))
    assert len(members(p.dns_port)) == N - 1
    # The catalog itself at the primary's serial everywhere (a serial that went backwards
    # would leave a consumer on an old member list for good).
    serial = soa(p.dns_port, CATALOG)
    wait_for(lambda: catalog_serial_consumed() == (serial, serial), "the catalog's serial to agree")
    assert soa(s.dns_port, name(8) + ".") and soa(k.port, name(8) + "."), "the others stay"


def test_5_the_catalog_is_no_customers_domain():
    f = write(os.path.join(WORK, "catalog-spec.yaml"), "domain: %s\ndns_pattern: A\nregistrar: customer\n"
              "server: {name: sv.example.net, ipv4: [192.0.2.8]}\n" % CATALOG)
    r = zg("plan", f, *P(), check=2)
    assert "catalog" in r.stderr and "domain" in r.stderr, r.stderr


def test_6_a_tsig_key_the_primary_lacks_is_refused():
    prof = catalog_profile_for(tsig_key="catalog-xfr.")
    f = os.path.join(WORK, "one.yaml")
    r = zg("plan", f, *P(prof), check=4)
    assert "catalog-xfr." in r.stderr and "TSIG" in r.stderr, r.stderr


def test_7_the_catalog_s_transfers_are_ours_only():
    meta = {m["kind"]: m["metadata"] for m in api(world["primary"], "GET", "/zones/%s/metadata" % CATALOG)}
    assert meta["ALLOW-AXFR-FROM"] == ["127.0.0.1"], meta
    zone = api(world["primary"], "GET", "/zones/%s" % CATALOG)
    assert zone["kind"] == "Producer", zone["kind"]


harness.main(globals(), WORK)
