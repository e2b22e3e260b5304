#!/usr/bin/env python3
"""A signed zone moves from the old provider to our servers, driven by zonegen, in the
loopback DNSSEC world (dnssec_world.py: a signed TLD, a validating unbound, the old
provider's Knot signing the zone). The spec says `dnssec: true` and `old_zone_signed: true`:
the instructions order the DS removal before the name-server change and our DS after it;
`apply` signs on our PowerDNS primary (the secondary serves the signed AXFR); `verify`
names the outage before it happens and while it happens; the wrong order (NS switched
while the old DS is published) is shown going bogus at the resolver; the right order (a) is
walked step by step and the resolver never answers bogus or SERVFAIL.
Usage: test_dnssec_move.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE
import harness
from harness import make_zg, start_our_servers, stop_all, test_no_output_ever_holds_the_key, write
from dnssec_world import DnssecWorld, OldZone, norm_dnskey, norm_ds

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
DOMAIN = "signed-move-zonegen-test.com"
CHILD = DOMAIN + "."
MULTI_DOMAIN = "multi-signer-zonegen-test.com"
MULTI = MULTI_DOMAIN + "."
OLD_A, NEW_A = ["203.0.113.80"], ["192.0.2.10"]
world, timeline = {}, []
T0 = time.time()


def setup():
    # direct-dnskey: the multi-signer move publishes the old provider's key as a record.
    p, s = start_our_servers(world, ZG, os.path.join(WORK, "ours"), public=True,
                             primary_conf="direct-dnskey=yes\n")
    world["w"] = w = DnssecWorld(os.path.join(WORK, "world"),
                                 {CHILD: OldZone("@ A 203.0.113.80\n@ MX 10 mail\nmail A 203.0.113.25\n"),
                                  MULTI: OldZone("@ A 203.0.113.80\n@ MX 10 mail\nmail A 203.0.113.25\n",
                                                 algorithm="rsasha256", dnskey_management="incremental")},
                                 hosts={"ns1.example.net.": p.public_addr, "ns2.example.net.": s.public_addr},
                                 tld="com.")
    world["spec"] = write(os.path.join(WORK, "spec.yaml"),
                          "domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, "
                          "ipv4: [192.0.2.10]}\ndnssec: true\nold_zone_signed: true\nold_ds_ttl: %d\n" % (DOMAIN, w.ttl))
    w.set_delegation(CHILD, w.old_ns(), w.old_ds(CHILD))
    until(lambda t, a: a.verdict == "secure" and a.answers == OLD_A if t == "A" else a.verdict == "secure",
          "the old provider's signed zone to resolve securely", lambda t, a: a.rcode == "NXDOMAIN")
    record("the old provider serves the zone signed, its DS at the parent", "A secure, MX secure")


def teardown():
    if "w" in world:
        world["w"].stop()
    stop_all(world, ("secondary", "primary"))
    print("\nTimeline (seconds since the test started; verdicts of the validating resolver):")
    for at, step, v in timeline:
        print("%7.1f  %-78s %s" % (at, step, v))


def record(step, verdicts):
    timeline.append((time.time() - T0, step, verdicts))


def ours():
    return {"ns1.example.net.": [world["primary"].public_addr], "ns2.example.net.": [world["secondary"].public_addr]}


def until(goal, what, allowed, name=CHILD):
    """The resolver's A and MX for NAME until both meet GOAL, each answer on the way GOAL or
    ALLOWED (dnssec_world.until)."""
    return world["w"].until(((name, "A"), (name, "MX")), goal, what, allowed)


def never_bogus(t, a):
    return a.verdict in ("secure", "insecure")


def verify(check=None, spec=None):
    r = zg("verify", spec or world["spec"], "--profile", world["profile"], "--parent-server",
           "127.0.0.1:%d" % world["w"].tld_server.port, "--format", "json", "--timeout-ms", "10000", check=check)
    doc = json.loads(r.stdout)
    return r.returncode, doc, {c["check"]: c for c in doc["checks"]}


def evidence(check):
    return "\n".join(check["evidence"])


# ---- tests, in order ---------------------------------------------------------------------

def test_1_instructions_order_the_ds_around_the_switch():
    doc = json.loads(zg("instructions", world["spec"], "--format", "json", "--start", "2026-12-14",
                        "--profile", world["profile"], check=0).stdout)
    ids = [s["id"] for s in doc["steps"]]
    assert ids.index("ds_remove") < ids.index("ns_change") < ids.index("ds_submit"), ids
    assert doc["dnssec"] is True and doc["ds"] == [], doc["ds"]
    # Before our servers sign there is no DS to give: exit 4.
    r = zg("instructions", world["spec"], "--with-ds", "--profile", world["profile"], check=4)
    assert "apply" in r.stderr, r.stderr


def test_2_apply_signs_and_verify_names_the_outage_switching_would_cause():
    zg("apply", world["spec"], "--yes", "--profile", world["profile"], check=0)
    harness.wait_for(lambda: verify()[2]["our-servers"]["status"] == "ok", "our servers to serve the zone signed")
    rc, doc, c = verify()
    assert rc == 1 and c["delegation"]["status"] == "problem", doc
    assert "if the name servers change while it is published" in evidence(c["delegation"]), c["delegation"]
    record("apply: signed on our PowerDNS; verify: the old DS would break a switch", "A secure (old)")


def test_3_the_wrong_order_goes_bogus_and_verify_says_so():
    w = world["w"]
    w.set_delegation(CHILD, ours(), w.old_ds(CHILD))
    got = until(lambda t, a: a.verdict == "bogus", "the wrong order to go bogus",
                lambda t, a: a.verdict == "secure" and (t != "A" or a.answers == OLD_A))
    record("WRONG ORDER: NS switched to ours while the old DS is published", "A %s, MX %s (%s)" % (
        got["A"].verdict, got["MX"].verdict, got["A"].ede))
    rc, doc, c = verify()
    assert rc == 1 and "every validating resolver fails the domain (SERVFAIL) now" in evidence(c["delegation"]), c
    # Back to the old provider, as it was.
    w.set_delegation(CHILD, w.old_ns(), w.old_ds(CHILD))
    w.flush()
    until(lambda t, a: a.verdict == "secure", "the old provider to resolve securely again", lambda t, a: False)
    record("rolled back to the old provider", "A secure, MX secure")


def test_4_the_right_order_is_never_bogus():
    w = world["w"]
    # (a) 1. The DS removed at the parent; its TTL waited out (the wait is the event).
    w.set_delegation(CHILD, w.old_ns(), [])
    until(lambda t, a: a.verdict == "insecure", "the DS removal to reach the resolver", never_bogus)
    time.sleep(w.ttl)
    rc, doc, c = verify()
    assert rc == 0 and doc["verdict"] == "ready to switch", doc
    record("(a) 1. DS removed, its TTL waited out; verify: ready", "A insecure, MX insecure")
    # (a) 2. The name servers switched to ours, no DS: insecure, our data.
    w.set_delegation(CHILD, ours(), [])
    until(lambda t, a: a.verdict == "insecure" and (t != "A" or a.answers == NEW_A),
          "our servers' answers", never_bogus)
    rc, doc, c = verify()
    assert c["delegation"]["status"] == "ok" and "no DS: the zone resolves unsigned" in evidence(c["delegation"]), c
    record("(a) 2. NS switched to our servers, no DS yet", "A insecure (ours), MX insecure")
    # (a) 3. Our DS, as instructions --with-ds gives it, registered at the parent.
    doc = json.loads(zg("instructions", world["spec"], "--with-ds", "--format", "json", "--profile",
                        world["profile"], check=0).stdout)
    ds = [d["record"] for d in doc["ds"]]
    assert len(ds) == 1, doc["ds"]
    w.set_delegation(CHILD, ours(), ds)
    until(lambda t, a: a.verdict == "secure" and (t != "A" or a.answers == NEW_A), "our DS to secure the zone",
          never_bogus)
    rc, doc, c = verify()
    assert rc == 0 and c["delegation"]["status"] == "ok", doc
    assert "is our key's" in evidence(c["delegation"]) and norm_ds(ds[0]) in evidence(c["delegation"]), c
    record("(a) 3. our DS (instructions --with-ds) at the parent; verify ok", "A secure (ours), MX secure")


def multi_spec(moving=True):
    w = world["w"]
    text = ("domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: "
            "[192.0.2.10]}\ndnssec: true\nold_zone_signed: true\nold_ds_ttl: %d\n" % (MULTI_DOMAIN, w.ttl))
    if moving:
        text += "dnssec_move: multi-signer\nold_dnskeys:\n" + "".join(
            "  - \"%s\"\n" % k for k in world["old_keys"])
    return write(os.path.join(WORK, "multi%s.yaml" % ("" if moving else "-done")), text)


def served_keys(server, zone):
    out = subprocess.run(["dig", "+norec", "+noall", "+answer", "-p", str(server.dns_port), "@127.0.0.1", zone,
                          "DNSKEY"], capture_output=True, text=True, timeout=60).stdout
    return sorted(norm_dnskey(l.split(None, 4)[4]) for l in out.splitlines() if " DNSKEY" in l or "\tDNSKEY" in l)


def test_5_multi_signer_move_is_never_bogus():
    w, p, s = world["w"], world["primary"], world["secondary"]
    w.set_delegation(MULTI, w.old_ns(), w.old_ds(MULTI))
    until(lambda t, a: a.verdict == "secure", "the old signed zone", lambda t, a: a.rcode == "NXDOMAIN", MULTI)
    world["old_keys"] = [norm_dnskey(k) for k in w.old_dnskeys(MULTI)]
    spec = multi_spec()
    # A PowerDNS without direct-dnskey (our secondary's configuration) would not serve the
    # old provider's key: the plan is refused before anything is written.
    r = zg("plan", spec, "--profile", world["profile"], "--pdns-url", s.url, check=4)
    assert "direct-dnskey" in r.stderr, r.stderr
    # (b) 1. Signed on our side with the old provider's algorithm, its key published beside ours.
    zg("apply", spec, "--yes", "--profile", world["profile"], check=0)
    doc = json.loads(zg("instructions", spec, "--with-ds", "--format", "json", "--profile", world["profile"],
                        check=0).stdout)
    ids = [x["id"] for x in doc["steps"]]
    assert ids.index("cosign_keys") < ids.index("ds_add") < ids.index("ns_change") < ids.index("ds_retire"), ids
    assert "ds_remove" not in ids and "ds_submit" not in ids, ids
    ours_key, ours_ds = norm_dnskey(doc["ds"][0]["dnskey"]), doc["ds"][0]["record"]
    # Both signers use one algorithm: the old provider's RSASHA256 (8), not the profile's.
    assert doc["ds"][0]["algorithm"] == 8 and ours_key.split()[2] == "8", doc["ds"]
    harness.wait_for(lambda: served_keys(s, MULTI) == sorted(world["old_keys"] + [ours_key]),
                     "both our servers to serve both keys")
    assert served_keys(p, MULTI) == sorted(world["old_keys"] + [ours_key])
    record("(b) 1. signed on ours (RSASHA256, as the old provider), its key beside ours", "A secure (old)")
    # (b) 2. Our key in the old zone, both DS at the parent.
    w.old_add_dnskey(MULTI, doc["ds"][0]["dnskey"])
    w.set_delegation(MULTI, w.old_ns(), [w.old_ds(MULTI)[0], ours_ds])
    until(lambda t, a: a.verdict == "secure", "both DS at the parent", never_bogus, MULTI)
    rc, v, c = verify(spec=spec)
    assert c["delegation"]["status"] == "ok" and "is our key's" in evidence(c["delegation"]), c
    record("(b) 2. our key in the old zone, both DS at the parent", "A secure, MX secure")
    # (b) 3. The switch, both DS kept: secure all along, our data at the end.
    w.set_delegation(MULTI, ours(), [w.old_ds(MULTI)[0], ours_ds])
    until(lambda t, a: a.verdict == "secure" and (t != "A" or a.answers == NEW_A), "our servers, secure",
          lambda t, a: a.verdict == "secure", MULTI)
    record("(b) 3. NS switched to ours, both DS kept", "A secure (ours), MX secure")
    # (b) 4. The old DS removed, then the old key retired from our zone (the spec without the move).
    w.set_delegation(MULTI, ours(), [ours_ds])
    until(lambda t, a: a.verdict == "secure", "only our DS", lambda t, a: False, MULTI)
    r = json.loads(zg("apply", multi_spec(moving=False), "--yes", "--format", "json", "--profile",
                      world["profile"], check=0).stdout)
    assert [x["subject"] for x in r["steps"]] == ["records"], r["steps"]
    harness.wait_for(lambda: served_keys(s, MULTI) == [ours_key], "the old key to be retired on both servers")
    w.flush()
    until(lambda t, a: a.verdict == "secure" and (t != "A" or a.answers == NEW_A), "secure with our key alone",
          lambda t, a: False, MULTI)
    rc, v, c = verify(spec=multi_spec(moving=False))
    assert rc == 0 and c["delegation"]["status"] == "ok", v
    record("(b) 4. old DS removed, old key retired from our zone", "A secure (ours), MX secure")


harness.main(globals(), WORK, tests=[test_1_instructions_order_the_ds_around_the_switch,
                                     test_2_apply_signs_and_verify_names_the_outage_switching_would_cause,
                                     test_3_the_wrong_order_goes_bogus_and_verify_says_so,
                                     test_4_the_right_order_is_never_bogus, test_5_multi_signer_move_is_never_bogus,
                                     test_no_output_ever_holds_the_key])
