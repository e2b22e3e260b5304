#!/usr/bin/env python3
"""batch --action verify over a fleet: our PowerDNS primary and secondary (started here on
loopback), a "TLD" server (BIND) delegating every domain to them, N zones applied through
batch apply and one domain never applied. Every domain gets its line and the summary counts
what each server serves; then the secondary is stopped and exactly its zones show it as
missing (and lame), nothing of it is blamed on the primary.
Usage: test_fleet_verify.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, sys

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Bind
import harness
from harness import CAPTURED, make_zg, start_our_servers, stop_all, test_no_output_ever_holds_the_key  # noqa: F401

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
N = 40
ZONES = ["fleet%03d-zonegen-test.com." % i for i in range(N)]
ABSENT = "fleet-absent-zonegen-test.com."  # delegated to us, never applied
NS1, NS2 = "ns1.example.net.", "ns2.example.net."
world = {}


def specs(zones):
    """A YAML list of specs (JSON is YAML), one pattern-A domain each."""
    return json.dumps([{"domain": z, "dns_pattern": "A", "registrar": "customer",
                        "server": {"name": "sv.example.net", "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}}
                       for i, z in enumerate(zones)], indent=1) + "\n"


def tld_zone():
    text = ("$ORIGIN com.\n$TTL 3600\n@ SOA a.tld-test.example. h.tld-test.example. 1 14400 3600 1209600 300\n"
            "@ NS a.tld-test.example.\n")
    for z in ZONES + [ABSENT]:
        text += "%s 172800 NS %s\n%s 172800 NS %s\n" % (z, NS1, z, NS2)
    return text


def setup():
    start_our_servers(world, ZG, WORK)
    world["tld"] = Bind(os.path.join(WORK, "tld"), {"com.": (tld_zone(), [], [])}, probe_zone="com.")
    world["applied"] = harness.write(os.path.join(WORK, "applied.yaml"), specs(ZONES))
    world["all"] = harness.write(os.path.join(WORK, "all.yaml"), specs(ZONES + [ABSENT]))


def teardown():
    stop_all(world, ("tld", "secondary", "primary"))


def batch_verify(timeout_ms, jobs, check):
    """The batch's domain lines by zone, and its summary."""
    r = zg("batch", world["all"], "--action", "verify", "--jobs", str(jobs), "--profile", world["profile"],
           "--parent-server", "127.0.0.1:%d" % world["tld"].port, "--timeout-ms", str(timeout_ms), check=check)
    docs = [json.loads(l) for l in r.stdout.splitlines()]
    assert docs and "summary" in docs[-1], r.stdout[-2000:] + r.stderr[-2000:]
    lines = {d["zone"]: d for d in docs[:-1]}
    assert len(docs) - 1 == N + 1 and sorted(lines) == sorted(ZONES + [ABSENT]), sorted(lines)
    world["last_elapsed"] = r.elapsed
    return lines, docs[-1]["summary"]


def server(doc, name):
    """A server's state in a domain's verify document."""
    found = [s for s in doc["verify"]["servers"] if s["name"] == name]
    assert len(found) == 1, doc["verify"]["servers"]
    return found[0]


def summary_server(summary, name):
    found = [s for s in summary["servers"] if s["name"] == name]
    assert len(found) == 1, summary["servers"]
    return found[0]


def test_1_applied_zones_are_served_by_both_in_sync():
    # Each domain's apply waits for the secondary to serve its new serial: no guessing here.
    r = zg("batch", world["applied"], "--action", "apply", "--yes", "--jobs", "4", "--profile", world["profile"],
           "--wait-secondaries", str(DEADLINE), check=0)
    applied = [json.loads(l) for l in r.stdout.splitlines()][:-1]
    assert len(applied) == N and all(a["exit"] == 0 for a in applied), r.stdout[-2000:]
    # A loopback answer takes milliseconds: a generous per-query timeout for a busy machine.
    lines, s = batch_verify(10000, 8, check=1)  # the absent domain is a problem: exit 1
    for z in ZONES:
        d = lines[z]
        assert d["exit"] == 0 and d["verify"]["in_sync"] and not d["verify"]["problem"], d
        assert server(d, NS1)["serves"] and server(d, NS2)["serves"], d
        assert server(d, NS1)["serial"] == server(d, NS2)["serial"], d
    a = lines[ABSENT]
    assert a["exit"] == 1 and not a["verify"]["in_sync"], a
    assert not server(a, NS1)["serves"] and not server(a, NS2)["serves"], a
    assert server(a, NS1)["lame"] and server(a, NS2)["lame"], a
    assert (s["total"], s["ok"], s["failed"], s["by_exit"]) == (N + 1, N, 1, {"0": N, "1": 1}), s
    assert s["in_sync"] == N, s
    for name in (NS1, NS2):
        assert summary_server(s, name) == {"name": name, "served": N, "missing": 1, "missing_zones": [ABSENT],
                                           "lagging": 0, "lame": 1, "lame_zones": [ABSENT]}, s


def test_2_a_stopped_secondary_is_blamed_for_exactly_its_zones():
    world["secondary"].stop()
    # A stopped server answers nothing: each of its queries waits out the timeout (8 of a
    # domain's at a time). A short timeout and more domains at once keep the batch short.
    lines, s = batch_verify(1000, 16, check=1)
    for z in ZONES:
        d = lines[z]
        assert d["exit"] == 1 and not d["verify"]["in_sync"], d
        p, sec = server(d, NS1), server(d, NS2)
        assert p["serves"] and not p["lagging"] and not p["lame"], d
        assert not sec["serves"] and sec["serial"] is None and sec["lame"], d
        ours = next(c for c in d["verify"]["checks"] if c["check"] == "our-servers")
        blamed = [e for e in ours["evidence"] if "serves the zone" not in e]
        assert blamed and all(e.startswith(NS2) for e in blamed), ours
    assert (s["total"], s["ok"], s["failed"]) == (N + 1, 0, N + 1), s
    assert s["in_sync"] == 0, s
    assert summary_server(s, NS1) == {"name": NS1, "served": N, "missing": 1, "missing_zones": [ABSENT],
                                      "lagging": 0, "lame": 1, "lame_zones": [ABSENT]}, s
    sec = summary_server(s, NS2)
    assert (sec["served"], sec["missing"], sec["lagging"], sec["lame"]) == (0, N + 1, 0, N + 1), sec
    assert sorted(sec["missing_zones"]) == sorted(ZONES + [ABSENT]) == sorted(sec["lame_zones"]), sec
    print("batch verify of %d domains with the secondary stopped: %.1f s" % (N + 1, world["last_elapsed"]))


if __name__ == "__main__":
    harness.main(globals(), WORK)
