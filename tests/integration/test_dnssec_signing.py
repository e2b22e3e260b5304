#!/usr/bin/env python3
"""DNSSEC signing on our servers (issue 19, part 1): a pattern-A spec with `dnssec: true`
applied to a real PowerDNS primary signs the zone through the cryptokeys API; both our
servers serve it signed; the AXFR verifies with ldns-verify-zone; a re-plan is empty;
turning it off is refused without --force; a plan file's dnssec step is checked.
Usage: test_dnssec_signing.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, subprocess, sys

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, soa_serial
import harness
from harness import CAPTURED, api, make_zg, start_our_servers, step_of, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
ZONE = "signed-zonegen-test.com"
world = {}


def spec(domain, dnssec=True, extra=""):
    return write(os.path.join(WORK, "specs", domain + ("" if dnssec else "-off") + ".yaml"),
                 "domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, "
                 "ipv4: [192.0.2.10]}\ndnssec: %s\n%s" % (domain, "true" if dnssec else "false", extra))


def setup():
    start_our_servers(world, ZG, WORK)
    prof = open(world["profile"]).read()
    write(os.path.join(WORK, "profile-nsec.yaml"),
          prof + "dnssec: {algorithm: ED25519, denial: nsec}\n")


def teardown():
    stop_all(world, ("secondary", "primary"))


def P(profile=None):
    return ["--profile", profile or world["profile"]]


def dig(server, name, rtype, *opts):
    return subprocess.run(["dig", "+dnssec", "+norec", "+time=5", "+tries=2", *opts, "-p", str(server.dns_port),
                           "@127.0.0.1", name, rtype], capture_output=True, text=True, timeout=60).stdout


def signed_answer(server, name, rtype):
    out = dig(server, name, rtype)
    return "status: NOERROR" in out and re.search(r"\sRRSIG\s+%s\s" % rtype, out) is not None


def wait_secondary_in_sync(zone):
    p, s = world["primary"], world["secondary"]
    wait_for(lambda: soa_serial(p.dns_port, zone) and soa_serial(s.dns_port, zone) == soa_serial(p.dns_port, zone),
             "the secondary to serve the primary's serial")


def axfr_verifies(server, zone, path):
    out = subprocess.run(["dig", "-p", str(server.dns_port), "@127.0.0.1", zone, "AXFR", "+onesoa"],
                         capture_output=True, text=True, timeout=120).stdout
    assert "RRSIG" in out and "DNSKEY" in out, out[-2000:]
    write(path, out)
    r = subprocess.run(["ldns-verify-zone", path], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


# ---- tests -------------------------------------------------------------------------------

def test_1_apply_signs_and_both_servers_serve_signatures():
    f = spec(ZONE)
    plan = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    step = step_of(plan, "dnssec")
    assert step and step["after"]["signed"] is True, plan["steps"]
    assert step["after"]["nsec3param"] == "1 0 0 -" and step["after"]["soa_edit"] == "INCEPTION-INCREMENT", step
    assert [s["subject"] for s in plan["steps"]].index("dnssec") < [s["subject"] for s in plan["steps"]].index(
        "secondary ns2.example.net."), "the secondary must be created after the zone is signed"
    zg("apply", f, "--yes", "--verbose", *P(), check=0)
    keys = api(world["primary"], "GET", "/zones/%s./cryptokeys" % ZONE)
    assert len(keys) == 1 and keys[0]["keytype"] == "csk" and keys[0]["algorithm"] == "ECDSAP256SHA256", keys
    z = api(world["primary"], "GET", "/zones/%s." % ZONE)
    assert z["dnssec"] and z["nsec3param"] == "1 0 0 -" and z["soa_edit"] == "INCEPTION-INCREMENT", z
    assert z["soa_edit_api"] == "DEFAULT", z
    wait_secondary_in_sync(ZONE)
    for server in (world["primary"], world["secondary"]):
        for name, rtype in ((ZONE, "SOA"), (ZONE, "A"), (ZONE, "MX"), ("www." + ZONE, "A"), (ZONE, "DNSKEY")):
            assert signed_answer(server, name, rtype), (server.name, name, rtype, dig(server, name, rtype))
        nx = dig(server, "no-such-name." + ZONE, "A")
        assert "status: NXDOMAIN" in nx and re.search(r"\sNSEC3\s", nx), nx


def test_2_axfr_of_both_servers_verifies():
    for server in (world["primary"], world["secondary"]):
        out = axfr_verifies(server, ZONE, os.path.join(WORK, "axfr-%s.zone" % server.name))
        assert "NSEC3PARAM" in out, out[-1000:]


def test_3_reapply_writes_nothing():
    f = spec(ZONE)
    plan = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    assert plan["steps"] == [], plan["steps"]
    zg("plan", f, "--detailed-exitcode", *P(), check=0)
    r = json.loads(zg("apply", f, "--yes", "--format", "json", *P(), check=0).stdout)
    assert r["applied"] is False and r["steps_run"] == 0, r
    assert len(api(world["primary"], "GET", "/zones/%s./cryptokeys" % ZONE)) == 1


def test_4_a_record_change_keeps_the_zone_signed():
    f = spec(ZONE, extra="records:\n  - {name: shop, type: A, data: 198.51.100.7}\n")
    r = json.loads(zg("apply", f, "--yes", "--format", "json", *P(), check=0).stdout)
    assert r["applied"] and [s["subject"] for s in r["steps"]] == ["records"], r["steps"]
    wait_secondary_in_sync(ZONE)
    for server in (world["primary"], world["secondary"]):
        assert signed_answer(server, "shop." + ZONE, "A"), dig(server, "shop." + ZONE, "A")
    axfr_verifies(world["secondary"], ZONE, os.path.join(WORK, "axfr-after-change.zone"))


def served_ds_by_ldns(server, zone):
    """The SHA-256 DS of the SEP key the server serves, as ldns-key2ds computes it."""
    out = subprocess.run(["dig", "+norec", "+noall", "+answer", "-p", str(server.dns_port), "@127.0.0.1", zone,
                          "DNSKEY"], capture_output=True, text=True, timeout=60).stdout
    keys = [l for l in out.splitlines() if re.search(r"\sDNSKEY\s+257\s", l)]
    assert len(keys) == 1, out
    path = write(os.path.join(WORK, "served.dnskey"), keys[0] + "\n")
    r = subprocess.run(["ldns-key2ds", "-n", "-2", path], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    f = r.stdout.split()
    return "%s %s %s %s" % (f[-4], f[-3], f[-2], f[-1].upper())


def test_4b_instructions_give_the_served_ds():
    f = spec(ZONE)
    doc = json.loads(zg("instructions", f, "--with-ds", "--format", "json", "--start", "2026-12-14", *P(),
                        "--pdns-url", world["primary"].url, check=0).stdout)
    assert doc["dnssec"] is True and len(doc["ds"]) == 1, doc["ds"]
    want = served_ds_by_ldns(world["primary"], ZONE)
    assert doc["ds"][0]["record"] == want, (doc["ds"], want)
    assert served_ds_by_ldns(world["secondary"], ZONE) == want
    ids = [s["id"] for s in doc["steps"]]
    assert ids.index("ds_submit") > ids.index("ns_change"), ids
    sub = doc["steps"][ids.index("ds_submit")]
    assert sub["actor"] == "customer" and want.split()[-1] in sub["detail"], sub
    assert sub["date"] > doc["steps"][ids.index("ns_change")]["date"], doc["steps"]
    for lang in ("ja", "en"):
        text = zg("instructions", f, "--with-ds", "--lang", lang, *P(), check=0).stdout
        assert want.split()[-1] in text and want.split()[0] in text, text
    # Before the zone is signed there is no DS to give: exit 4, nothing written.
    out = os.path.join(WORK, "unsigned-instructions.json")
    r = zg("instructions", spec("not-yet-signed-zonegen-test.com"), "--with-ds", "-o", out, *P(), check=4)
    assert "apply" in r.stderr and not os.path.exists(out), r.stderr
    # A spec that does not sign: a usage error.
    r = zg("instructions", spec(ZONE, dnssec=False), "--with-ds", *P(), check=2)
    assert "dnssec" in r.stderr, r.stderr


def test_5_turning_it_off_is_refused_without_force():
    f = spec(ZONE, dnssec=False, extra="records:\n  - {name: shop, type: A, data: 198.51.100.7}\n")
    plan = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    step = step_of(plan, "dnssec")
    assert step and step["after"] == {"signed": False}, plan["steps"]
    # The requests name the keys to delete by their ids, as PowerDNS lists them.
    ids = [k["id"] for k in api(world["primary"], "GET", "/zones/%s./cryptokeys" % ZONE)]
    deletes = [r for r in step["requests"] if r.startswith("DELETE ")]
    assert [r.rsplit("/", 1)[1] for r in deletes] == [str(i) for i in ids], step["requests"]
    assert plan["unsafe"] and "DS" in plan["unsafe"] and "parent" in plan["unsafe"], plan["unsafe"]
    r = zg("apply", f, "--yes", *P(), check=4)
    assert "DS" in r.stderr, r.stderr
    assert api(world["primary"], "GET", "/zones/%s." % ZONE)["dnssec"], "nothing may change"


def test_6_plan_file_with_an_edited_dnssec_step_is_refused():
    other = "edited-signed-zonegen-test.com"
    f = spec(other)
    planfile = os.path.join(WORK, "signed.plan.json")
    zg("plan", f, "--out", planfile, *P(), check=0)
    doc = json.load(open(planfile))
    step_of(doc, "dnssec")["after"]["nsec3param"] = "1 0 500 abcd"
    write(planfile, json.dumps(doc))
    r = zg("apply", "--plan", planfile, "--yes", *P(), check=2)
    assert "dnssec" in r.stderr and "nsec3param" in r.stderr, r.stderr
    assert api_zone_absent(other), "nothing may be written"


def api_zone_absent(zone):
    try:
        api(world["primary"], "GET", "/zones/%s." % zone)
        return False
    except Exception as e:
        return getattr(e, "code", None) == 404


def test_7_profile_chooses_ed25519_and_nsec():
    other = "nsec-zonegen-test.com"
    prof = os.path.join(WORK, "profile-nsec.yaml")
    zg("apply", spec(other), "--yes", *P(prof), check=0)
    keys = api(world["primary"], "GET", "/zones/%s./cryptokeys" % other)
    assert [k["algorithm"] for k in keys] == ["ED25519"], keys
    wait_secondary_in_sync(other)
    nx = dig(world["secondary"], "no-such-name." + other, "A")
    assert "status: NXDOMAIN" in nx and re.search(r"\sNSEC\s", nx) and not re.search(r"\sNSEC3\s", nx), nx
    axfr_verifies(world["primary"], other, os.path.join(WORK, "axfr-nsec.zone"))
    assert json.loads(zg("plan", spec(other), "--format", "json", *P(prof), check=0).stdout)["steps"] == []


def test_8_no_private_key_in_any_output():
    for out in CAPTURED:
        assert "Private-key-format" not in out and "PrivateKey" not in out, out[:500]


harness.main(globals(), WORK, last=("test_8_no_private_key_in_any_output", "test_no_output_ever_holds_the_key"))
