#!/usr/bin/env python3
"""plan and apply against real servers: a PowerDNS primary and secondary (gsqlite3, or gpgsql
on PostgreSQL with ZONEGEN_TEST_PDNS_BACKEND=gpgsql) and a
BIND primary for pattern B, all started here on loopback. Usage:
  test_provision.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, shutil, subprocess, sys, time, traceback, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from servers import API_KEY, DEADLINE, Bind, Pdns, dig, free_port, soa_serial
import harness
from harness import CAPTURED, api, logged_requests, loopback_profile, make_zg, start_our_servers, step_of, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)


def spec_a(domain, ipv4="192.0.2.10", extra=10):
    recs = "".join("  - {name: host%d, type: A, data: 198.51.100.%d}\n" % (i, i + 1) for i in range(extra))
    return ("domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [%s], "
            "ipv6: ['2001:db8::10']}\n" % (domain, ipv4)) + ("records:\n" + recs if extra else "")


world = {}
TSIG_SECRET = "c2VjcmV0LWZvci16b25lZ2VuLXRlc3RzLW9ubHktMDEyMzQ1Njc4OQ=="  # test-only


def setup():
    p, s = start_our_servers(world, ZG, WORK)
    # The customer's primary for pattern B (BIND): one zone that allows our secondary to
    # transfer it and notifies it, one that refuses. Its zones have mail.
    def customer_zone(name, serial, extra=""):
        return harness.customer_zone(name, serial, "@ MX 10 mail\nmail A 192.0.2.30\n"
                                                   "@ TXT \"v=spf1 ip4:192.0.2.30 ~all\"\n" + extra)
    world["customer_zone"] = customer_zone
    world["bind"] = Bind(os.path.join(WORK, "bind"), {
        "b-ok-zonegen-test.org.": (customer_zone("b-ok-zonegen-test.org", 1), ["127.0.0.1"], ["127.0.0.1 port %d" % s.dns_port]),
        "b-refused-zonegen-test.org.": (customer_zone("b-refused-zonegen-test.org", 1), [], []),
        "b-tsig-zonegen-test.org.": (customer_zone("b-tsig-zonegen-test.org", 7), ['key "xfr-zonegen-test"'], []),
        # The pattern-B examples' own zones (their customer_primary is rewritten to this BIND).
        "example.org.": (customer_zone("example.org", 3), ['key "xfr.example.org"'], []),
        "example.com.": (customer_zone("example.com", 4), ["127.0.0.1"], []),
    }, tsig_keys={"xfr-zonegen-test": ("hmac-sha256", TSIG_SECRET), "xfr.example.org": ("hmac-sha256", TSIG_SECRET)})


def teardown():
    stop_all(world, ("bind", "secondary", "primary"))


def P():
    return ["--profile", world["profile"]]


def WAIT_TRANSFER():
    # zonegen's own wait for a pattern-B transfer is 10 s unless told: a test that needs the
    # transfer done gives it the suite's generous deadline (it returns as soon as it is).
    return ["--wait-transfer", str(DEADLINE)]


# ---- tests -------------------------------------------------------------------------------

def test_examples_apply_idempotent_and_served_by_both():
    p, s = world["primary"], world["secondary"]
    for ex in ("examples/a-transfer.yaml", "examples/a-customer-idn.yaml"):
        zg("apply", ex, "--yes", *P(), check=0)
        zg("plan", ex, "--detailed-exitcode", *P(), check=0)
        gen = json.loads(zg("generate", ex, "--format", "json", *P(), check=0).stdout)
        zone = gen["zone"]
        serial = soa_serial(p.dns_port, zone)
        wait_for(lambda: soa_serial(s.dns_port, zone) == serial, "the secondary to serve " + zone)
        for rs in gen["pdns"]["rrsets"]:
            if rs["type"] == "SOA":
                continue
            want = sorted(r["content"] for r in rs["records"])
            for port, who in ((p.dns_port, "primary"), (s.dns_port, "secondary")):
                got = dig(port, rs["name"], rs["type"])
                # dig splits TXT strings by its own rule; compare them joined.
                norm = lambda xs: sorted(x.replace('" "', "") for x in xs)
                assert norm(got) == norm(want), "%s %s %s on the %s: %s, want %s" % (zone, rs["name"], rs["type"], who, got, want)
        # A second apply writes nothing and leaves the serial alone.
        r = zg("apply", ex, "--yes", "--format", "json", "--verbose", *P(), check=0)
        d = json.loads(r.stdout)
        assert d["applied"] is False, d
        writes = [l for l in r.stderr.splitlines() if re.search(r"zonegen: (POST|PATCH|PUT|DELETE) ", l)]
        assert not writes, writes
        assert soa_serial(p.dns_port, zone) == serial


def test_spec_change_one_patch_serial_up_secondary_follows():
    p, s = world["primary"], world["secondary"]
    zone = "move-zonegen-test.com."
    f1 = write(os.path.join(WORK, "move1.yaml"), spec_a("move-zonegen-test.com"))
    f2 = write(os.path.join(WORK, "move2.yaml"), spec_a("move-zonegen-test.com", ipv4="192.0.2.99"))
    zg("apply", f1, "--yes", *P(), check=0)
    wait_for(lambda: soa_serial(s.dns_port, zone) == soa_serial(p.dns_port, zone), "secondary sync")
    before = soa_serial(p.dns_port, zone)
    plan = json.loads(zg("plan", f2, "--format", "json", *P(), check=0).stdout)
    got = sorted((c["action"], c["name"], c["type"]) for c in plan["changes"])
    want = sorted([("update", zone, "A"), ("update", "www." + zone, "A"), ("update", "mail." + zone, "A"),
                   ("update", zone, "TXT")])
    assert got == want, got
    assert plan["summary"] == {"create": 0, "update": 4, "delete": 0}, plan["summary"]
    r = zg("apply", f2, "--yes", "--verbose", *P(), check=0)
    assert r.stderr.count("PATCH ") == 1, r.stderr
    after = soa_serial(p.dns_port, zone)
    assert after > before, (before, after)
    wait_for(lambda: dig(s.dns_port, "www." + zone, "A") == ["192.0.2.99"], "the secondary to follow")
    zg("plan", f2, "--detailed-exitcode", *P(), check=0)


def test_reviewed_plan_refused_when_zone_changed_behind_our_back():
    p = world["primary"]
    zone = "review-zonegen-test.com."
    f1 = write(os.path.join(WORK, "review1.yaml"), spec_a("review-zonegen-test.com"))
    f2 = write(os.path.join(WORK, "review2.yaml"), spec_a("review-zonegen-test.com", ipv4="192.0.2.77"))
    zg("apply", f1, "--yes", *P(), check=0)
    planfile = os.path.join(WORK, "review.plan.json")
    zg("plan", f2, "--out", planfile, *P(), check=0)
    api(p, "PATCH", "/zones/" + zone, {"rrsets": [{"name": "www." + zone, "type": "A", "ttl": 3600, "changetype": "REPLACE",
                                                   "records": [{"content": "203.0.113.5", "disabled": False}]}]})
    r = zg("apply", "--plan", planfile, "--yes", *P(), check=4)
    assert "changed since the plan" in r.stderr, r.stderr
    assert dig(p.dns_port, "www." + zone, "A") == ["203.0.113.5"]
    assert dig(p.dns_port, zone, "A") == ["192.0.2.10"], "something was applied"
    # Unchanged since the plan: applied exactly.
    zg("apply", f1, "--yes", *P(), check=0)
    zg("plan", f2, "--out", planfile, *P(), check=0)
    zg("apply", "--plan", planfile, "--yes", *P(), check=0)
    assert dig(p.dns_port, "www." + zone, "A") == ["192.0.2.77"]


def test_pattern_b_transfers_from_bind_and_follows_notify():
    s, b = world["secondary"], world["bind"]
    zone = "b-ok-zonegen-test.org."
    spec = write(os.path.join(WORK, "b-ok.yaml"),
                 "domain: b-ok-zonegen-test.org\ndns_pattern: B\nregistrar: customer\n"
                 "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                 "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [{name: ns1.b-ok-zonegen-test.org, ipv4: [198.51.100.53]}]\n" % b.port)
    t0 = time.time()
    d = json.loads(zg("apply", spec, "--yes", "--format", "json", *WAIT_TRANSFER(), *P(), check=0).stdout)
    assert d["transfer"] == "ok", d
    # At once, not at the next refresh (the zone's SOA says 4 hours): the bound allows a
    # loaded machine; unloaded it takes about a second.
    assert time.time() - t0 < 60, time.time() - t0
    assert dig(s.dns_port, "www." + zone, "A") == ["192.0.2.30"]
    errors = [f for f in d.get("findings", []) if f["severity"] == "error"]
    assert not errors, errors
    # Idempotent: nothing to do the second time.
    d2 = json.loads(zg("apply", spec, "--yes", "--format", "json", *P(), check=0).stdout)
    assert d2["applied"] is False, d2
    # A change on the primary, then its NOTIFY, reaches our secondary.
    b.update_zone(zone, world["customer_zone"]("b-ok-zonegen-test.org", 2, 'new TXT "after notify"\n'))
    wait_for(lambda: soa_serial(s.dns_port, zone) == 2, "the NOTIFY to reach our secondary")
    assert dig(s.dns_port, "new." + zone, "TXT") == ['"after notify"']
    # A changed customer_primary updates the Slave zone's masters (PUT, never a PATCH).
    moved = write(os.path.join(WORK, "b-ok-moved.yaml"), open(spec).read().replace("'127.0.0.1:%d'" % b.port,
                                                                                    "'127.0.0.1:%d', '127.0.0.2:%d'" % (b.port, b.port)))
    r = zg("plan", moved, "--detailed-exitcode", *P(), check=10)
    assert "masters 127.0.0.1:%d -> 127.0.0.1:%d, 127.0.0.2:%d" % (b.port, b.port, b.port) in r.stdout, r.stdout
    r = zg("apply", moved, "--yes", "--verbose", *P(), check=0)
    assert "PATCH" not in r.stderr and "PUT " in r.stderr, r.stderr
    zg("plan", moved, "--detailed-exitcode", *P(), check=0)


def test_pattern_b_with_tsig():
    s, b = world["secondary"], world["bind"]
    secret = write(os.path.join(WORK, "tsig", "xfr.key"), TSIG_SECRET + "\n")
    spec = write(os.path.join(WORK, "b-tsig.yaml"),
                 "domain: b-tsig-zonegen-test.org\ndns_pattern: B\nregistrar: transfer\n"
                 "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                 "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [ns1.dns-host.example]\n"
                 "tsig: {name: xfr-zonegen-test, algorithm: hmac-sha256, secret_file: %s}\n" % (b.port, secret))
    os.chmod(secret, 0o644)
    r = zg("apply", spec, "--yes", *P(), check=2)
    assert "chmod 600" in r.stderr, r.stderr
    os.chmod(secret, 0o600)
    d = json.loads(zg("apply", spec, "--yes", "--format", "json", *WAIT_TRANSFER(), *P(), check=0).stdout)
    assert d["transfer"] == "ok", d
    assert soa_serial(s.dns_port, "b-tsig-zonegen-test.org") == 7
    for out in CAPTURED:
        assert TSIG_SECRET not in out, "the TSIG secret leaked"


def test_pattern_b_examples_against_a_real_primary():
    s, b = world["secondary"], world["bind"]
    secret = write(os.path.join(WORK, "tsig", "example-org.key"), TSIG_SECRET + "\n")
    os.chmod(secret, 0o600)
    for ex, zone, serial in (("examples/b-transfer.yaml", "example.org", 3), ("examples/b-customer-ipv6.yaml", "example.com", 4)):
        text = open(os.path.join(SRC, ex)).read()
        # Documentation addresses are never contacted: the primary becomes our BIND.
        text = re.sub(r"customer_primary:\n(  - .*\n)+", "customer_primary: ['127.0.0.1:%d']\n" % b.port, text)
        text = re.sub(r"customer_primary: \[.*\]", "customer_primary: ['127.0.0.1:%d']" % b.port, text)
        text = text.replace("secret_file: xfr.example.org.key", "secret_file: " + secret)
        assert "127.0.0.1:%d" % b.port in text, text
        spec = write(os.path.join(WORK, os.path.basename(ex)), text)
        d = json.loads(zg("apply", spec, "--yes", "--format", "json", *WAIT_TRANSFER(), *P(), check=0).stdout)
        assert d["transfer"] == "ok", d
        assert soa_serial(s.dns_port, zone) == serial
        zg("plan", spec, "--detailed-exitcode", *P(), check=0)


def test_instructions_primary_snippet_really_works_in_bind():
    """The BIND configuration `instructions` prints for pattern B, pasted into a real BIND,
    lets our PowerDNS secondary transfer the zone (with TSIG) and receive its NOTIFY."""
    s = world["secondary"]
    zone = "snippet-zonegen-test.org"
    port = free_port()
    secret_file = write(os.path.join(WORK, "snippet", "xfr.key"), TSIG_SECRET + "\n")
    os.chmod(secret_file, 0o600)
    spec = write(os.path.join(WORK, "snippet", "spec.yaml"),
                 "domain: %s\ndns_pattern: B\nregistrar: customer\nserver: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                 "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [ns1.dns-host.example]\n"
                 "tsig: {name: snippet-key, algorithm: hmac-sha256, secret_file: %s}\n" % (zone, port, secret_file))
    ins = json.loads(zg("instructions", spec, "--format", "json", "--lang", "en", *P(), check=0).stdout)
    snippet = next(x["text"] for x in ins["primary_config"] if x["server"] == "BIND")
    assert TSIG_SECRET not in snippet and "snippet-key" in snippet, snippet
    zfile = os.path.join(WORK, "snippet", "bind", "zone.db")
    os.makedirs(os.path.dirname(zfile), exist_ok=True)
    open(zfile, "w").write(world["customer_zone"](zone, 10))
    conf = snippet.replace("(your zone file)", zfile).replace("(the shared secret we sent you)", TSIG_SECRET)
    b2 = Bind(os.path.join(WORK, "snippet", "bind"), {}, extra_conf=conf, probe_zone=zone, port=port)
    try:
        d = json.loads(zg("apply", spec, "--yes", "--format", "json", *WAIT_TRANSFER(), *P(), check=0).stdout)
        assert d["transfer"] == "ok", d
        assert soa_serial(s.dns_port, zone) == 10
        b2.update_zone(zone + ".", world["customer_zone"](zone, 11, 'new TXT "notified"\n'), path=zfile)
        wait_for(lambda: soa_serial(s.dns_port, zone) == 11, "the snippet's NOTIFY to reach our secondary")
    finally:
        b2.stop()


def test_pattern_b_refused_transfer_is_pending_or_exit_3():
    b = world["bind"]
    spec = write(os.path.join(WORK, "b-refused.yaml"),
                 "domain: b-refused-zonegen-test.org\ndns_pattern: B\nregistrar: customer\n"
                 "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                 "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [ns1.dns-host.example]\n" % b.port)
    d = json.loads(zg("apply", spec, "--yes", "--format", "json", *P(), check=0).stdout)
    assert d["transfer"] == "pending", d
    r = zg("apply", spec, "--yes", "--wait-transfer", "3", *P(), check=3)
    assert "allow AXFR" in r.stderr and "127.0.0.1" in r.stderr, r.stderr


def test_pattern_c_has_nothing_on_our_servers_and_a_to_c_is_guarded():
    f = write(os.path.join(WORK, "c.yaml"), open(os.path.join(SRC, "examples/c-transfer-cojp.yaml")).read()
              .replace("example.co.jp", "c-zonegen-test.jp"))
    r = zg("plan", f, "--detailed-exitcode", *P(), check=0)
    assert "nothing of c-zonegen-test.jp. lives on our servers" in r.stdout, r.stdout
    zg("apply", f, "--yes", *P(), check=0)
    # A zone that was pattern A (on our primary) and becomes C: its deletion is shown and
    # refused without --force.
    p = world["primary"]
    a = write(os.path.join(WORK, "a-to-c-a.yaml"), spec_a("atoc-zonegen-test.com", extra=0))
    c = write(os.path.join(WORK, "a-to-c-c.yaml"), "domain: atoc-zonegen-test.com\ndns_pattern: C\nregistrar: customer\n"
              "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\ncustomer_nameservers: [ns1.dns-host.example]\n")
    zg("apply", a, "--yes", *P(), check=0)
    r = zg("plan", c, "--detailed-exitcode", *P(), check=10)
    assert "- zone atoc-zonegen-test.com." in r.stdout and "unsafe" in r.stdout, r.stdout
    zg("apply", c, "--yes", *P(), check=4)
    assert dig(p.dns_port, "atoc-zonegen-test.com", "A") == ["192.0.2.10"]
    zg("apply", c, "--yes", "--force", *P(), check=0)
    zg("plan", c, "--detailed-exitcode", *P(), check=0)


def test_wrong_key_and_server_down_exit_3():
    keyfile = write(os.path.join(WORK, "keys", "api.key"), API_KEY + "\n")
    os.chmod(keyfile, 0o640)
    r = zg("plan", "examples/a-transfer.yaml", "--pdns-api-key-file", keyfile, *P(), env={"PDNS_API_KEY": ""}, check=2)
    assert "chmod 600" in r.stderr, r.stderr
    os.chmod(keyfile, 0o600)
    zg("plan", "examples/a-transfer.yaml", "--pdns-api-key-file", keyfile, *P(), env={"PDNS_API_KEY": ""}, check=0)
    r = zg("plan", "examples/a-transfer.yaml", *P(), env={"PDNS_API_KEY": ""}, check=2)
    assert "PDNS_API_KEY" in r.stderr, r.stderr
    r = zg("plan", "examples/a-transfer.yaml", *P(), env={"PDNS_API_KEY": "wrong-key-0000"}, check=3)
    assert "API key was refused" in r.stderr, r.stderr
    assert "wrong-key-0000" not in r.stdout + r.stderr
    closed = free_port()
    f = write(os.path.join(WORK, "down.yaml"), spec_a("down-zonegen-test.com"))
    r = zg("apply", f, "--yes", "--pdns-url", "http://127.0.0.1:%d" % closed, *P(), check=3)
    assert "connection refused" in r.stderr, r.stderr
    r = zg("apply", f, "--yes", "--pdns-url", "http://127.0.0.1:%d" % closed, "--format", "json", *P(), check=3)
    assert json.loads(r.stdout)["error"]["kind"] == "backend"
    # Nothing half-applied: the zone is not on the real server either.
    zg("plan", f, "--detailed-exitcode", *P(), check=10)


def test_422_shows_powerdns_message_and_applies_nothing():
    p = world["primary"]
    zone = "reject-zonegen-test.com."
    f = write(os.path.join(WORK, "reject.yaml"), spec_a("reject-zonegen-test.com"))
    zg("apply", f, "--yes", *P(), check=0)
    f2 = write(os.path.join(WORK, "reject2.yaml"), spec_a("reject-zonegen-test.com", ipv4="192.0.2.55"))
    planfile = os.path.join(WORK, "reject.plan.json")
    zg("plan", f2, "--out", planfile, *P(), check=0)
    doc = json.load(open(planfile))
    # A reviewer's hand-edit that makes the zone invalid (a CNAME beside the A at www) is
    # refused before any write, as generate would refuse it (issue 13, defect 2).
    edited = json.loads(json.dumps(doc))
    edited["changes"].append({"action": "create", "name": "www." + zone, "type": "CNAME", "before": None,
                              "after": {"ttl": 3600, "rdata": ["elsewhere.example.net."]}})
    json.dump(edited, open(planfile, "w"))
    r = zg("apply", "--plan", planfile, "--yes", *P(), check=1)
    assert "cname-and-other-data" in r.stderr, r.stderr
    # One PowerDNS refuses though the zone is valid DNS: an MX target that is not a host name.
    doc["changes"].append({"action": "create", "name": "mx2." + zone, "type": "MX", "before": None,
                           "after": {"ttl": 3600, "rdata": ["10 a\\.b.example.net."]}})
    json.dump(doc, open(planfile, "w"))
    r = zg("apply", "--plan", planfile, "--yes", *P(), check=3)
    assert "HTTP 422" in r.stderr and "non-hostname" in r.stderr, r.stderr
    assert dig(p.dns_port, zone, "A") == ["192.0.2.10"], "the PATCH was half applied"


def test_safety_limits_refuse_then_force():
    p = world["primary"]
    zone = "limits-zonegen-test.com."
    f1 = write(os.path.join(WORK, "limits1.yaml"), spec_a("limits-zonegen-test.com", extra=0))
    zg("apply", f1, "--yes", *P(), check=0)  # 8 rrsets + host records below
    body = "".join("  - {name: h%d, type: A, data: 198.51.100.%d}\n" % (i, i + 1) for i in range(4))
    f2 = write(os.path.join(WORK, "limits2.yaml"), spec_a("limits-zonegen-test.com", extra=0) + "records:\n" + body)
    zg("apply", f2, "--yes", *P(), check=0)
    f3 = write(os.path.join(WORK, "limits3.yaml"),
               spec_a("limits-zonegen-test.com", ipv4="192.0.2.66", extra=0).replace("2001:db8::10", "2001:db8::66") + "records:\n" + body)
    r = zg("apply", f3, "--yes", *P(), check=4)
    assert "unsafe" in r.stderr and "%" in r.stderr, r.stderr
    assert dig(p.dns_port, zone, "A") == ["192.0.2.10"], "an unsafe plan was applied"
    zg("apply", f3, "--yes", "--force", *P(), check=0)
    assert dig(p.dns_port, zone, "A") == ["192.0.2.66"]


def test_zone_file_target():
    path = os.path.join(WORK, "file-target", "example.co.jp.zone")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    zg("apply", "examples/a-transfer.yaml", "--target", path, "--yes", "--serial", "2026112801", check=0)
    zg("validate", path, check=0)
    first = open(path).read()
    d = json.loads(zg("apply", "examples/a-transfer.yaml", "--target", path, "--yes", "--format", "json", check=0).stdout)
    assert d["applied"] is False and open(path).read() == first
    f2 = write(os.path.join(WORK, "file2.yaml"), open(os.path.join(SRC, "examples/a-transfer.yaml")).read()
               .replace("192.0.2.10", "192.0.2.11").replace("2001:db8::10", "2001:db8::11"))
    # A server move touches 7 of this zone's 16 rrsets: over the 30 % limit, so --force.
    zg("apply", f2, "--target", path, "--yes", check=4)
    d = json.loads(zg("apply", f2, "--target", path, "--yes", "--force", "--format", "json", check=0).stdout)
    assert d["applied"] is True and d["serial_after"] > d["serial_before"], d
    zg("plan", f2, "--target", path, "--detailed-exitcode", check=0)


def test_two_applies_at_once_leave_one_whole_state():
    p = world["primary"]
    zone = "race-zonegen-test.com"
    f1 = write(os.path.join(WORK, "race1.yaml"), spec_a(zone, ipv4="192.0.2.41"))
    f2 = write(os.path.join(WORK, "race2.yaml"), spec_a(zone, ipv4="192.0.2.42"))
    zg("apply", f1, "--yes", *P(), check=0)
    e = dict(os.environ, PDNS_API_KEY=API_KEY)
    procs = [subprocess.Popen([ZG, "apply", f, "--yes", "--force", *P()], cwd=SRC, env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in (f2, f1, f2)]
    for pr in procs:
        out, err = pr.communicate(timeout=120)
        CAPTURED.append(out + err)
        assert pr.returncode in (0, 3), (pr.returncode, err)
    # Whatever the order, the zone is exactly one spec's, never a mix.
    a = zg("plan", f1, "--detailed-exitcode", *P()).returncode
    b = zg("plan", f2, "--detailed-exitcode", *P()).returncode
    assert 0 in (a, b), (a, b)
    assert len(set(dig(p.dns_port, zone, "A") + dig(p.dns_port, "www." + zone, "A") + dig(p.dns_port, "mail." + zone, "A"))) == 1


def test_server_killed_during_a_200_zone_batch_then_a_rerun_completes():
    p = world["primary"]
    stdin = "".join(json.dumps({"domain": "kill%03d-zonegen-test.com" % i, "dns_pattern": "A", "registrar": "customer",
                                "server": {"name": "sv.example.net", "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}}) + "\n"
                    for i in range(200))
    e = dict(os.environ, PDNS_API_KEY=API_KEY)
    proc = subprocess.Popen([ZG, "batch", "-", "--action", "apply", "--yes", "--jobs", "4", "--pdns-timeout", "30", *P()],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=SRC, env=e)
    proc.stdin.write(stdin)
    proc.stdin.close()
    lines = []
    while len(lines) < 30:
        l = proc.stdout.readline()
        assert l, "the batch ended before the server could be killed"
        lines.append(l)
    p.kill()
    try:
        rest, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=600)
    finally:
        p.start()
    CAPTURED.append("".join(lines) + rest + err)
    results = [json.loads(l) for l in (lines + rest.splitlines()) if l.strip()]
    summary = results[-1]["summary"]
    assert proc.returncode == 3 and summary["ok"] >= 20 and summary["failed"] > 0, summary
    # Every zone is either fully applied or untouched: a plan shows nothing to do, or a
    # zone that does not exist yet — or the empty shell PowerDNS leaves when it dies between
    # creating a zone and committing its records (README, plan and apply), which the plan
    # says it will recreate whole.
    r = subprocess.run([ZG, "batch", "-", "--action", "plan", "--jobs", "4", *P()], input=stdin, capture_output=True,
                       text=True, cwd=SRC, env=e, timeout=600)
    CAPTURED.append(r.stdout + r.stderr)
    for x in (json.loads(l) for l in r.stdout.splitlines()):
        if "summary" in x:
            continue
        assert x["exit"] == 0, x
        pl = x["plan"]
        shell = empty_shell(pl) and pl["existing_rrsets"] == 0 and all(c["action"] == "create" for c in pl["changes"])
        assert not pl["exists"] or not pl["changes"] or shell, "half applied: %s" % json.dumps(pl)[:3000]
    # A re-run completes the rest. The only failure a re-run may meet is the test PowerDNS's
    # SQLite refusing a write it cannot queue ("database is locked", HTTP 500, which zonegen
    # rightly reports as exit 3): then the next re-run finishes those zones.
    for attempt in range(3):
        r = subprocess.run([ZG, "batch", "-", "--action", "apply", "--yes", "--jobs", "4", *P()], input=stdin,
                           capture_output=True, text=True, cwd=SRC, env=e, timeout=900)
        CAPTURED.append(r.stdout + r.stderr)
        failed = [x for x in map(json.loads, r.stdout.splitlines()) if x.get("exit")]
        why = json.dumps([{"zone": x.get("zone"), "error": x.get("error")} for x in failed])[:3000]
        if r.returncode == 0 or not all("database is locked" in json.dumps(x.get("error")) for x in failed if "zone" in x):
            break
    assert r.returncode == 0, why
    r = subprocess.run([ZG, "batch", "-", "--action", "plan", "--jobs", "4", *P()], input=stdin, capture_output=True,
                       text=True, cwd=SRC, env=e, timeout=600)
    assert all(not x["plan"]["changes"] for x in map(json.loads, r.stdout.splitlines()) if "plan" in x)


# The specs of test_batch_of_specs_5_bad_then_a_rerun_applies_nothing: 200, or
# ZONEGEN_TEST_BATCH_ZONES (a multiple of 5, at least 40). The gpgsql run takes fewer: PowerDNS's
# API opens a database connection per request, a new PostgreSQL process each (README, Tests).
BATCH_ZONES = int(os.environ.get("ZONEGEN_TEST_BATCH_ZONES") or 200)
assert BATCH_ZONES % 5 == 0 and BATCH_ZONES >= 40, BATCH_ZONES


def test_batch_of_specs_5_bad_then_a_rerun_applies_nothing():
    lines, every = [], BATCH_ZONES // 5
    for i in range(BATCH_ZONES):
        spec = {"domain": "batch%03d-zonegen-test.com" % i, "dns_pattern": "A", "registrar": "customer",
                "server": {"name": "sv%d.example.net" % i, "ipv4": ["192.0.2.%d" % (i % 250 + 1)]}}
        if i % every == 7:  # 5 deliberately bad ones
            spec = [dict(spec, domain="co.jp"),
                    dict(spec, records=[{"name": "www", "type": "CNAME", "data": "x.example.net."}]),
                    dict(spec, server={"name": "sv.example.net", "ipv4": ["192.0.2.300"]}),
                    dict(spec, dns_pattern="D"),
                    dict(spec, colour="blue")][i // every]
        lines.append(json.dumps(spec))
    stdin = "\n".join(lines) + "\n"
    e = dict(os.environ, PDNS_API_KEY=API_KEY)

    def batch():
        r = subprocess.run([ZG, "batch", "-", "--action", "apply", "--yes", "--jobs", "4", *P()], input=stdin,
                           capture_output=True, text=True, cwd=SRC, env=e, timeout=900)
        CAPTURED.append(r.stdout + r.stderr)
        out = [json.loads(l) for l in r.stdout.splitlines()]
        return r.returncode, [o for o in out if "summary" not in o], out[-1]["summary"]

    def locked(results):
        return [x for x in results if x["exit"] == 3 and "database is locked" in json.dumps(x.get("error"))]

    rc, results, summary = batch()
    applied = {x["zone"] for x in results if x["exit"] == 0 and x["apply"]["applied"]}
    # The test PowerDNS keeps its zones in SQLite, which refuses a write it cannot queue
    # (HTTP 500 "database is locked": exit 3 for that domain, the others unaffected); a busy
    # machine makes that likelier. A repeat applies those, as a re-run would in production.
    for _ in range(3):
        if not locked(results):
            break
        rc, results, summary = batch()
        applied |= {x["zone"] for x in results if x["exit"] == 0 and x["apply"]["applied"]}
    assert rc == 2, (rc, summary)  # the highest code any domain had
    # A batch does not wait on the secondaries (README, Batch): not asked, null.
    assert all(s["in_sync"] is None for x in results if x["exit"] == 0 for s in x["apply"]["secondaries"])
    failed = [x for x in results if x["exit"] != 0]
    assert len(results) == BATCH_ZONES and summary["ok"] == BATCH_ZONES - 5 and len(failed) == 5, summary
    for x in failed:
        assert x["error"]["message"], x
    assert sorted(x["exit"] for x in failed) == [1, 2, 2, 2, 2], failed
    assert all(x["zone"] in applied for x in results if x["exit"] == 0)
    rc, results, summary = batch()
    assert rc == 2 and summary["ok"] == BATCH_ZONES - 5, summary
    assert not any(x["apply"]["applied"] for x in results if x["exit"] == 0), "a re-run wrote something"


def test_a_new_and_an_unchanged_zone_cost_the_documented_requests():
    # README, Batch: what a new and an unchanged pattern-A zone cost on the primary.
    p = world["primary"]
    f = write(os.path.join(WORK, "requests.yaml"), spec_a("requests-zonegen-test.com", extra=0))

    def primary_requests():
        r = zg("apply", f, "--yes", "--verbose", "--wait-secondaries", "0", "--format", "json", *P(), check=0)
        calls = []
        for line in r.stderr.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] in ("GET", "POST", "PUT", "PATCH", "DELETE") and parts[2].startswith(p.url):
                path = parts[2][len(p.url):].replace("/api/v1/servers/localhost", "")
                calls.append(parts[1] + " " + path.replace("requests-zonegen-test.com.", "Z"))
        return calls, json.loads(r.stdout)

    calls, doc = primary_requests()
    # The first 404 of a run is confirmed by asking the server itself ("GET " the server:
    # a wrong URL path or server_id answers 404 too). No GET after the POST: PowerDNS's
    # answer to it is the zone as created, and the metadata PUTs do not change it.
    assert calls == ["GET /zones/Z", "GET ", "POST /zones", "PUT /zones/Z/metadata/ALLOW-AXFR-FROM",
                     "PUT /zones/Z/metadata/ALSO-NOTIFY", "PUT /zones/Z/notify"], calls
    assert doc["applied"] is True and doc["serial_after"], doc
    assert all(s["in_sync"] is None for s in doc["secondaries"]), doc  # not asked
    calls, doc = primary_requests()
    assert calls == ["GET /zones/Z", "GET /zones/Z/metadata"], calls
    assert doc["applied"] is False and doc["serial_after"] == doc["serial_before"], doc
    # And the secondary got the zone all the same (NOTIFY, or its Slave zone's retrieve).
    s = world["secondary"]
    wait_for(lambda: soa_serial(s.dns_port, "requests-zonegen-test.com") == doc["serial_after"],
             "the secondary to serve requests-zonegen-test.com")


def lean_profile(primary, name):
    """The loopback profile on PRIMARY with pdns.transfer_settings: server (the lean mode)."""
    prof = open(loopback_profile(ZG, primary, world["secondary"], os.path.join(WORK, name))).read()
    assert "  transfer_settings: zone\n" in prof, "profile layout changed"
    prof = prof.replace("  transfer_settings: zone\n", "  transfer_settings: server\n", 1)
    return write(os.path.join(WORK, name), prof)


def primary_calls(stderr, url, zone):
    calls = []
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("GET", "POST", "PUT", "PATCH", "DELETE") and parts[2].startswith(url):
            path = parts[2][len(url):].replace("/api/v1/servers/localhost", "")
            calls.append(parts[1] + " " + path.replace(zone + ".", "Z"))
    return calls


def test_lean_mode_is_refused_on_a_primary_without_the_transfer_settings():
    # The world's primary has PowerDNS's default allow-axfr-ips (loopback) and no
    # also-notify: a zone made without its own metadata would never be notified.
    p, s = world["primary"], world["secondary"]
    prof = lean_profile(p, "lean-refused.yaml")
    f = write(os.path.join(WORK, "lean-refused.yaml.spec"), spec_a("lean-refused-zonegen-test.com", extra=0))
    r = zg("apply", f, "--yes", "--profile", prof, check=4)
    assert "also-notify does not list 127.0.0.1:%d (ns2.example.net.)" % s.dns_port in r.err, r.err
    assert "allow-axfr-ips" not in r.err, r.err  # 127.0.0.0/8 by default: covered
    try:
        api(p, "GET", "/zones/lean-refused-zonegen-test.com.")
        raise AssertionError("the zone was made: nothing may be written")
    except urllib.error.HTTPError as e:
        assert e.code == 404, e


def test_lean_mode_makes_a_new_zone_with_one_post_and_rereads_it_with_one_get():
    # README, Batch: with the transfer settings server-wide, a new zone is GET (absent),
    # POST, NOTIFY; an unchanged one a single GET. The secondary gets it all the same.
    s = world["secondary"]
    d = os.path.join(WORK, "lean-primary")
    shutil.rmtree(d, ignore_errors=True)
    p = Pdns(d, extra_conf="also-notify=127.0.0.1:%d\nallow-axfr-ips=127.0.0.0/8\n" % s.dns_port,
             backend=harness.pdns_backend(), pg=world.get("postgres"))
    try:
        prof = lean_profile(p, "lean.yaml")
        zones = ["lean%d-zonegen-test.com" % i for i in range(3)]
        f = write(os.path.join(WORK, "lean.spec.yaml"), spec_a(zones[0], extra=0))
        r = zg("apply", f, "--yes", "--verbose", "--wait-secondaries", "0", "--format", "json", "--profile", prof, check=0)
        calls = primary_calls(r.err, p.url, zones[0])
        assert calls == ["GET /zones/Z", "GET ", "GET /config", "POST /zones", "PUT /zones/Z/notify"], calls
        doc = json.loads(r.out)
        wait_for(lambda: soa_serial(s.dns_port, zones[0]) == doc["serial_after"], "the secondary to serve " + zones[0])
        r = zg("apply", f, "--yes", "--verbose", "--wait-secondaries", "0", "--profile", prof, check=0)
        assert primary_calls(r.err, p.url, zones[0]) == ["GET /zones/Z", "GET /config"], r.err
        # A batch: the server's settings read once, then one request per unchanged zone.
        specs = "".join(json.dumps({"domain": z, "dns_pattern": "A", "registrar": "customer",
                                    "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"],
                                               "ipv6": ["2001:db8::10"]}}) + "\n" for z in zones)
        zg("batch", "-", "--action", "apply", "--yes", "--profile", prof, input=specs, check=0)
        # PowerDNS writes its log line after answering: the batch's last lines may lag it.
        wait_for(lambda: all("PUT /zones/%s./notify" % z in logged_requests(p) for z in zones[1:]),
                 "PowerDNS to log the first batch's requests")
        before = len(logged_requests(p))
        r = zg("batch", "-", "--action", "apply", "--yes", "--profile", prof, input=specs, check=0)
        wait_for(lambda: len(logged_requests(p)) >= before + 4, "PowerDNS to log the re-apply")
        calls = sorted(re.sub(r"lean\d-zonegen-test.com.", "Z", c) for c in logged_requests(p)[before:])
        assert calls == ["GET /config"] + ["GET /zones/Z"] * 3, calls
        assert not any(x.get("apply", {}).get("applied") for x in map(json.loads, r.out.splitlines())), r.out
    finally:
        p.stop()


def test_assume_new_creates_without_reading_and_reads_one_that_exists():
    # batch --assume-new (a wave of new customers): each zone POSTed without a GET first; one
    # that is there already answers 409, and is then read and planned as any other.
    p, s = world["primary"], world["secondary"]
    zones = ["new%d-zonegen-test.com" % i for i in range(3)] + ["old-zonegen-test.com"]
    spec = lambda z: json.dumps({"domain": z, "dns_pattern": "A", "registrar": "customer",  # noqa: E731
                                 "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]}}) + "\n"
    zg("batch", "-", "--action", "apply", "--yes", *P(), input=spec(zones[-1]), check=0)
    old_serial = soa_serial(p.dns_port, zones[-1])
    # PowerDNS writes its log line after answering: that apply's last line may lag it.
    wait_for(lambda: "PUT /zones/%s./notify" % zones[-1] in logged_requests(p), "PowerDNS to log the first apply")
    r = zg("batch", "-", "--action", "plan", "--assume-new", *P(), input=spec(zones[0]), check=2)
    assert "--assume-new is for --action apply" in r.err, r.err
    before = len(logged_requests(p))
    r = zg("batch", "-", "--action", "apply", "--yes", "--assume-new", *P(), input="".join(map(spec, zones)), check=0)
    lines = {x["zone"]: x for x in map(json.loads, r.out.splitlines()) if "zone" in x}
    wait_for(lambda: all("PUT /zones/%s./notify" % z in logged_requests(p)[before:] for z in zones[:3])
             and logged_requests(p)[before:].count("POST /zones") >= 4, "PowerDNS to log the batch")
    calls = logged_requests(p)[before:]
    for z in zones[:3]:
        assert lines[z + "."]["exit"] == 0 and lines[z + "."]["apply"]["applied"], lines[z + "."]
        assert "GET /zones/%s." % z not in calls, (z, calls)
        wait_for(lambda: soa_serial(s.dns_port, z) == lines[z + "."]["apply"]["serial_after"], "the secondary to serve " + z)
    old = lines[zones[-1] + "."]
    assert old["exit"] == 0 and old["apply"]["applied"] is False, old  # read, found unchanged
    assert "GET /zones/%s." % zones[-1] in calls, calls
    assert calls.count("POST /zones") == 4, calls  # the old one's answered 409
    assert soa_serial(p.dns_port, zones[-1]) == old_serial
    # A zone to remove (pattern C) is read all the same: its deletion is planned (and here
    # refused, the parent cannot be asked), not skipped as if the zone were not there.
    c = json.dumps({"domain": zones[0], "dns_pattern": "C", "registrar": "customer",
                    "customer_nameservers": ["ns1.dns-host.example", "ns2.dns-host.example"],
                    "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]}}) + "\n"
    r = zg("batch", "-", "--action", "apply", "--yes", "--assume-new", *P(), input=c, check=4)
    assert "delet" in r.out, r.out


def empty_shell(plan):
    """The plan recreates a Master zone left without records (its zone step says so)."""
    z = step_of(plan, "zone")
    return bool(z and isinstance(z["before"], dict) and z["before"].get("empty_shell"))


def test_an_empty_shell_of_an_interrupted_creation_is_recreated_whole():
    # PowerDNS creates a zone, then commits its records in a transaction: killed in between,
    # it leaves a Master zone without a single rrset. Made here directly in its database.
    p = world["primary"]
    p.sql("INSERT INTO domains (name, type) VALUES ('shell-zonegen-test.com', 'MASTER');"
          "INSERT INTO domains (name, type, master) VALUES ('slave-shell-zonegen-test.com', 'SLAVE', '192.0.2.7');")
    f = write(os.path.join(WORK, "shell.yaml"), spec_a("shell-zonegen-test.com", extra=0))
    pl = json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)
    assert pl["exists"] and empty_shell(pl) and pl["existing_rrsets"] == 0, pl
    assert pl["changes"] and all(c["action"] == "create" for c in pl["changes"]), pl
    d = json.loads(zg("apply", f, "--yes", "--format", "json", *P(), check=0).stdout)
    assert d["applied"] is True, d
    zg("plan", f, "--detailed-exitcode", *P(), check=0)
    assert soa_serial(p.dns_port, "shell-zonegen-test.com"), "the recreated zone is not served"
    # An empty Slave zone is a transfer still pending, not a shell: turning it into A is a
    # kind change, refused without --force.
    g = write(os.path.join(WORK, "slave-shell.yaml"), spec_a("slave-shell-zonegen-test.com", extra=0))
    pl = json.loads(zg("plan", g, "--format", "json", *P(), check=0).stdout)
    assert not empty_shell(pl) and pl["unsafe"], pl
    zg("apply", g, "--yes", *P(), check=4)


def spec_with(domain, records):
    return spec_a(domain, extra=0) + "records:\n" + "".join("  - " + json.dumps(r) + "\n" for r in records)


def test_invalid_desired_zone_refused_by_plan_apply_and_batch():
    # Issue 13, defect 2: what generate refuses is never written by plan, apply or batch.
    p = world["primary"]
    cases = {
        "mx-cname": [{"name": "alias", "type": "CNAME", "data": "host.example.net."},
                     {"name": "@", "type": "MX", "data": "5 alias"}],
        "no-glue": [{"name": "sub", "type": "NS", "data": "ns1.sub"}],
        "below-dname": [{"name": "d", "type": "DNAME", "data": "target.example.net."},
                        {"name": "x.d", "type": "A", "data": "192.0.2.5"}],
        "dname-ns": [{"name": "d", "type": "DNAME", "data": "target.example.net."},
                     {"name": "d", "type": "NS", "data": "ns.example.net."}],
    }
    lines = []
    for name, recs in cases.items():
        domain = "inv-%s-zonegen-test.com" % name
        f = write(os.path.join(WORK, "invalid", name + ".yaml"), spec_with(domain, recs))
        zg("generate", f, check=1)
        for cmd in (["plan", f], ["apply", f, "--yes"]):
            r = zg(*cmd, "--format", "json", *P(), check=1)
            err = json.loads(r.stdout)["error"]
            assert err["kind"] == "invalid" and any(x["severity"] == "error" for x in err["findings"]), err
        assert not soa_serial(p.dns_port, domain), "an invalid zone was written: " + domain
        lines.append(json.dumps({"domain": domain, "dns_pattern": "A", "registrar": "customer",
                                 "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]}, "records": recs}))
    good = json.dumps({"domain": "inv-good-zonegen-test.com", "dns_pattern": "A", "registrar": "customer",
                       "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]}})
    e = dict(os.environ, PDNS_API_KEY=API_KEY)
    r = subprocess.run([ZG, "batch", "-", "--action", "apply", "--yes", *P()], input="\n".join(lines + [good]) + "\n",
                       capture_output=True, text=True, cwd=SRC, env=e, timeout=300)
    CAPTURED.append(r.stdout + r.stderr)
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert r.returncode == 1 and out[-1]["summary"]["ok"] == 1, r.stdout
    assert sorted(x["exit"] for x in out[:-1]) == [0, 1, 1, 1, 1], r.stdout
    for name in cases:
        assert not soa_serial(p.dns_port, "inv-%s-zonegen-test.com" % name)
    assert soa_serial(p.dns_port, "inv-good-zonegen-test.com")


def test_errors_already_live_are_reported_and_do_not_block():
    p = world["primary"]
    zone = "live-errors-zonegen-test.com."
    f = write(os.path.join(WORK, "live-errors1.yaml"), spec_a(zone[:-1], extra=1))
    zg("apply", f, "--yes", *P(), check=0)
    # Someone else's delegation without glue, straight through the API: an error already live.
    api(p, "PATCH", "/zones/" + zone, {"rrsets": [{"name": "sub." + zone, "type": "NS", "ttl": 3600, "changetype": "REPLACE",
                                                   "records": [{"content": "ns1.sub." + zone, "disabled": False}]}]})
    f2 = write(os.path.join(WORK, "live-errors2.yaml"), spec_a(zone[:-1], extra=2))
    pl = json.loads(zg("plan", f2, "--format", "json", *P(), check=0).stdout)
    assert any(x["check"] == "glue-missing" for x in pl["findings"]), pl["findings"]
    r = zg("plan", f2, *P(), check=0)
    assert "glue-missing" in r.stdout, r.stdout
    zg("apply", f2, "--yes", *P(), check=0)
    assert dig(p.dns_port, "host1." + zone, "A") == ["198.51.100.2"]
    # A change that adds an error of its own is still refused.
    f3 = write(os.path.join(WORK, "live-errors3.yaml"),
               spec_a(zone[:-1], extra=2) + "  - {name: alias, type: CNAME, data: host.example.net.}\n"
               "  - {name: mx2, type: MX, data: 5 alias}\n")
    zg("apply", f3, "--yes", *P(), check=1)
    assert not dig(p.dns_port, "alias." + zone, "CNAME")


def test_reviewed_plan_naming_another_server_never_gets_the_key():
    # Issue 13, defect 3: the key goes only to this run's URL, never to the plan's.
    import http.server, threading
    seen = []

    class Catch(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            seen.append(dict(self.headers))
            self.send_response(404)
            self.end_headers()
        do_PATCH = do_PUT = do_POST = do_DELETE = do_GET

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catch)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        f = write(os.path.join(WORK, "otherserver.yaml"), spec_a("otherserver-zonegen-test.com"))
        planfile = os.path.join(WORK, "otherserver.plan.json")
        zg("plan", f, "--out", planfile, *P(), check=0)
        doc = json.load(open(planfile))
        doc["server"] = "http://127.0.0.1:%d" % srv.server_address[1]
        json.dump(doc, open(planfile, "w"))
        for extra in ([], ["--pdns-url", world["primary"].url]):
            r = zg("apply", "--plan", planfile, "--yes", *extra, *P(), check=2)
            assert doc["server"] in r.stderr and world["primary"].url in r.stderr, r.stderr
        assert not seen, seen
        assert not soa_serial(world["primary"].dns_port, "otherserver-zonegen-test.com")
    finally:
        srv.shutdown()


def test_file_target_of_another_zone_refused():
    # Issue 13, defect 5.
    d = os.path.join(WORK, "other-origin")
    text = "$ORIGIN other.example.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
    soa_only = "$TTL 300\nother.example. SOA ns1.other.example. h.other.example. 1 2 3 4 5\nother.example. NS ns1.example.net.\n"
    for name, body in (("origin.zone", text), ("soa.zone", soa_only)):
        path = write(os.path.join(d, name), body)
        for cmd in (["plan"], ["apply", "--yes"]):
            r = zg(*cmd, "examples/a-transfer.yaml", "--target", path, check=2)
            assert "other.example." in r.stderr and "example.co.jp." in r.stderr, r.stderr
        assert open(path).read() == body, "the file of another zone was rewritten"


def test_text_apply_without_asking_the_secondaries():
    # Issue 13, defect 6: text output with --wait-secondaries 0 (in_sync null).
    f = write(os.path.join(WORK, "nowait.yaml"), spec_a("nowait-zonegen-test.com", extra=0))
    r = zg("apply", f, "--yes", "--wait-secondaries", "0", *P(), check=0)
    assert "applied" in r.stdout and "not asked" in r.stdout, r.stdout


def test_tsig_secret_quoted_by_powerdns_is_never_printed():
    # Issue 13, defect 8: PowerDNS's 422 quoted a secret it cannot decode. Since issue 14
    # a secret that is not base64 is refused before any request (exit 2), never quoted.
    b = world["bind"]
    bad = "not-base64-but-secret-8c1f!!"
    secret = write(os.path.join(WORK, "tsig", "bad.key"), bad + "\n", mode=0o600)
    spec = write(os.path.join(WORK, "b-badtsig.yaml"),
                 "domain: b-badtsig-zonegen-test.org\ndns_pattern: B\nregistrar: customer\n"
                 "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                 "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [ns1.dns-host.example]\n"
                 "tsig: {name: bad-zonegen-test, algorithm: hmac-sha256, secret_file: %s}\n" % (b.port, secret))
    for fmt in ("text", "json"):
        r = zg("apply", spec, "--yes", "--format", fmt, *P(), check=2)
        assert "tsig.secret_file" in r.stdout + r.stderr and "base64" in r.stdout + r.stderr, r.stdout + r.stderr
        assert bad not in r.stdout + r.stderr and "secret-8c1f" not in r.stdout + r.stderr
    names = [k["name"].rstrip(".") for k in api(world["secondary"], "GET", "/tsigkeys")]
    assert "bad-zonegen-test" not in names, "a refused secret reached PowerDNS: %s" % names


def test_wrong_url_path_or_server_id_is_exit_3_not_an_absent_zone():
    # Issue 13, defect 10: PowerDNS answers the same 404 for both; the server is asked.
    p = world["primary"]
    f = write(os.path.join(WORK, "wrongpath.yaml"), spec_a("wrongpath-zonegen-test.com"))
    for url in (p.url + "/wrong", p.url + "/api"):
        r = zg("plan", f, "--pdns-url", url, *P(), check=3)
        assert "server_id" in r.stderr and "+ zone" not in r.stdout, (r.stdout, r.stderr)
        zg("apply", f, "--yes", "--pdns-url", url, *P(), check=3)
    prof = write(os.path.join(WORK, "wrong-sid.yaml"), open(world["profile"]).read().replace("server_id: localhost", "server_id: nosuch", 1))
    assert "nosuch" in open(prof).read()
    r = zg("plan", f, "--profile", prof, check=3)
    assert "nosuch" in r.stderr, r.stderr
    # The zone really is absent: with the right URL it is a creation.
    r = zg("plan", f, "--detailed-exitcode", *P(), check=10)
    assert "+ zone wrongpath-zonegen-test.com." in r.stdout, r.stdout
    assert not soa_serial(p.dns_port, "wrongpath-zonegen-test.com")


def test_pattern_b_batch_does_not_wait_and_a_rerun_requests_nothing():
    # Issue 13, defect 11 (README, Batch): no 10 s wait per domain, no repeated axfr-retrieve.
    b = world["bind"]
    # Zones our BIND does not serve: the worst case, no transfer ever comes.
    lines = [json.dumps({"domain": "b-batch1-zonegen-test.org", "dns_pattern": "B", "registrar": "customer",
                         "server": {"name": "sv3.example.net", "ipv4": ["192.0.2.30"]},
                         "customer_primary": ["127.0.0.1:%d" % b.port], "customer_nameservers": ["ns1.dns-host.example"]}),
             json.dumps({"domain": "b-batch2-zonegen-test.org", "dns_pattern": "B", "registrar": "customer",
                         "server": {"name": "sv3.example.net", "ipv4": ["192.0.2.30"]},
                         "customer_primary": ["127.0.0.1:%d" % b.port], "customer_nameservers": ["ns1.dns-host.example"]})]
    e = dict(os.environ, PDNS_API_KEY=API_KEY)
    t0 = time.time()
    r = subprocess.run([ZG, "batch", "-", "--action", "apply", "--yes", *P()], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, cwd=SRC, env=e, timeout=300)
    elapsed = time.time() - t0
    CAPTURED.append(r.stdout + r.stderr)
    assert r.returncode == 0, r.stdout + r.stderr
    out = [json.loads(l) for l in r.stdout.splitlines()][:-1]
    assert all(x["apply"]["transfer"] == "pending" for x in out), out
    assert elapsed < 10, "a batch of two pattern-B domains took %.1f s: it waited for transfers" % elapsed
    # An unchanged re-run (still pending): one GET, no axfr-retrieve, no wait.
    spec = write(os.path.join(WORK, "b-batch1-rerun.json"), lines[0])
    for _ in range(2):
        r = zg("apply", spec, "--yes", "--verbose", "--format", "json", *P(), check=0)
        calls = [l.split()[1] for l in r.stderr.splitlines() if re.match(r"zonegen: (GET|POST|PUT|PATCH|DELETE) ", l)]
        assert calls == ["GET"], r.stderr
        assert json.loads(r.stdout)["transfer"] == "pending"
        assert r.elapsed < 8, r.elapsed


RRTYPE_RECORDS = [
    ("t-a", "A", "192.0.2.1"), ("t-ns", "NS", "ns1.example.net."), ("t-cname", "CNAME", "target.example.net."),
    ("t-ptr", "PTR", "host.example.net."), ("t-hinfo", "HINFO", '"cpu" "os"'),
    ("t-minfo", "MINFO", "rmail.example.net. email.example.net."), ("t-mx", "MX", "10 mail.example.net."),
    ("t-txt", "TXT", '"hello world" "second \\"quoted\\" ;" "日本語"'), ("t-rp", "RP", "mbox.example.net. txt.example.net."),
    ("t-afsdb", "AFSDB", "1 afs.example.net."), ("t-rt", "RT", "10 relay.example.net."),
    ("t-key", "KEY", "256 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
    ("t-aaaa", "AAAA", "2001:db8::1"), ("t-aaaa-mapped", "AAAA", "::ffff:192.0.2.1"),
    ("t-loc", "LOC", "35 41 22.000 N 139 41 30.000 E 40.00m 10000m 10m 10m"),
    ("t-loc-minute", "LOC", "1 1 0.000 N 2 3 0.000 W -24m 1m 200m 10m"), ("t-loc-short", "LOC", "52 22 N 4 53 E 10m"),
    ("t-srv", "SRV", "0 5 5060 sip.example.net."), ("t-naptr", "NAPTR", '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.net!" .'),
    ("t-kx", "KX", "10 kx.example.net."),
    ("t-cert", "CERT", "PKIX 0 0 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
    ("t-dname", "DNAME", "target.example.net."), ("t-apl", "APL", "1:192.0.2.0/24 !2:2001:db8::/32"),
    ("t-ns", "DS", "12345 13 2 2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"),
    ("t-sshfp", "SSHFP", "4 2 2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"),
    ("t-ipseckey", "IPSECKEY", "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="),
    ("t-ipseckey0", "IPSECKEY", "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=="),
    ("@", "DNSKEY", "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
    ("t-dhcid", "DHCID", "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA="),
    ("_443._tcp.t-tlsa", "TLSA", "3 1 1 2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"),
    ("t-smimea", "SMIMEA", "3 1 1 2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"),
    ("@", "CDS", "12345 13 2 2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"),
    ("@", "CDNSKEY", "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
    ("t-openpgpkey", "OPENPGPKEY", "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
    ("t-csync", "CSYNC", "66 3 A NS AAAA"),
    ("t-zonemd", "ZONEMD", "2018031500 1 1 " + "2BB183AF5F22588179A53B0A98631FAD1A292118ABCDEF0123456789ABCDEF01"
     "2BB183AF5F22588179A53B0A98631FAD"),
    ("t-svcb", "SVCB", "1 svc.example.net. alpn=h2,h3 port=8443 ipv4hint=192.0.2.1"),
    ("t-https", "HTTPS", "1 . mandatory=alpn alpn=h2,h3 no-default-alpn port=443 ipv4hint=192.0.2.1 ech=AEX+DQBBpQAgACB/ ipv6hint=2001:db8::1 key65001"),
    ("t-spf", "SPF", '"v=spf1 -all"'), ("t-nid", "NID", "10 0014:4fff:ff20:ee64"), ("t-l32", "L32", "10 10.1.2.0"),
    ("t-l64", "L64", "10 2001:0db8:1140:1000"), ("t-lp", "LP", "10 l64-subnet.example.net."),
    ("t-eui48", "EUI48", "00-00-5e-00-53-2a"), ("t-eui64", "EUI64", "00-00-5e-ef-10-00-00-2a"),
    ("t-uri", "URI", '10 1 "ftp://ftp1.example.com/public"'), ("t-caa", "CAA", '0 issue "ca.example.net; account=1"'),
    ("t-type65280", "TYPE65280", "\\# 4 0A000001"), ("t-type65281", "TYPE65281", "\\# 0"),
]


def test_every_rrtype_round_trips_through_powerdns():
    # Issue 13, defect 14: one record of every type zonegen accepts (and the forms PowerDNS
    # prints its own way) applied, re-planned empty, and served.
    p = world["primary"]
    zone = "rrtypes-zonegen-test.com"
    recs = [{"name": n, "type": t, "data": d} for n, t, d in RRTYPE_RECORDS]
    f = write(os.path.join(WORK, "rrtypes.yaml"), spec_with(zone, recs))
    gen = os.path.join(WORK, "rrtypes.zone")
    zg("generate", f, "-o", gen, check=0)
    accepted = {t for _, t, _ in RRTYPE_RECORDS}
    assert len(accepted) >= 45, len(accepted)
    zg("apply", f, "--yes", "--force", "--wait-secondaries", "0", *P(), check=0)
    r = zg("plan", f, "--detailed-exitcode", *P())
    assert r.returncode == 0, r.stdout + r.stderr
    for n, t, _ in RRTYPE_RECORDS:
        name = zone + "." if n == "@" else n + "." + zone + "."
        if t == "DS" or n == "t-ns":
            continue  # below a delegation: the parent side, not answered authoritatively
        assert dig(p.dns_port, name, t), "dig %s %s: no answer" % (name, t)
    # What the server serves is exactly the generated zone (but the SOA's serial).
    r = zg("diff", gen, "axfr://127.0.0.1:%d/%s" % (p.dns_port, zone), "--format", "json", *P(), check=0)
    # PowerDNS answers DNSKEY, CDS and CDNSKEY queries from the records (dug above) but
    # leaves them out of AXFR unless direct-dnskey is set.
    changes = [c for c in json.loads(r.stdout)["changes"]
               if c["type"] != "SOA" and not (c["type"] in ("DNSKEY", "CDS", "CDNSKEY") and c["action"] == "delete")]
    assert not changes, changes


# ---- the apply path: steps, drift, the journal and rollback (issue 16) ----------------------

def test_drift_in_metadata_or_a_secondarys_masters_is_a_pending_step():
    p, s = world["primary"], world["secondary"]
    zone = "drift-zonegen-test.com"
    f = write(os.path.join(WORK, "drift.yaml"), spec_a(zone, extra=0))
    zg("apply", f, "--yes", "--wait-secondaries", "0", *P(), check=0)
    zg("plan", f, "--detailed-exitcode", *P(), check=0)
    # Behind zonegen's back: the primary's ALSO-NOTIFY, then the secondary's masters.
    api(p, "PUT", "/zones/%s./metadata/ALSO-NOTIFY" % zone, {"metadata": ["192.0.2.99:53"]})
    r = zg("plan", f, "--detailed-exitcode", *P(), check=10)
    assert "~ metadata ALSO-NOTIFY 192.0.2.99:53 -> " in r.stdout, r.stdout
    zg("apply", f, "--yes", "--wait-secondaries", "0", *P(), check=0)
    zg("plan", f, "--detailed-exitcode", *P(), check=0)
    api(s, "PUT", "/zones/%s." % zone, {"kind": "Slave", "masters": ["192.0.2.98"]})
    r = zg("plan", f, "--detailed-exitcode", *P(), check=10)
    assert "masters 192.0.2.98 -> " in r.stdout and "ns2." in r.stdout, r.stdout
    zg("apply", f, "--yes", "--wait-secondaries", "0", *P(), check=0)
    zg("plan", f, "--detailed-exitcode", *P(), check=0)
    assert api(s, "GET", "/zones/%s." % zone)["masters"] == ["127.0.0.1:%d" % p.dns_port]
    # A secondary that does not answer keeps nothing pending: waiting is not a change.
    assert json.loads(zg("plan", f, "--format", "json", *P(), check=0).stdout)["steps"] == []


def test_a_saved_plan_lists_every_request_apply_sends():
    zone = "requests-listed-zonegen-test.com"
    f = write(os.path.join(WORK, "listed.yaml"), spec_a(zone, extra=2))
    planfile = os.path.join(WORK, "listed.plan.json")
    text = zg("plan", f, "--out", planfile, *P(), check=0).stdout
    r = zg("apply", "--plan", planfile, "--yes", "--verbose", *P(), check=0)
    writes = [" ".join(l.split()[1:3]) for l in r.stderr.splitlines()
              if len(l.split()) >= 3 and l.split()[1] in ("POST", "PUT", "PATCH", "DELETE")]
    assert writes, r.stderr
    plan = json.load(open(planfile))
    listed = [q for st in plan["steps"] for q in st["requests"]]
    settle = " ".join(plan["settle"])
    for w in writes:
        assert w in listed or w in settle, "%s is not in the plan:\n%s" % (w, text)
        assert w in text, "%s is not in the plan's text:\n%s" % (w, text)
    # And each listed request was sent, in the plan's order.
    sent = [w for w in writes if w in listed]
    assert sent == listed, (sent, listed)


def journal_world():
    j = os.path.join(WORK, "journal", "changes.jsonl")
    os.makedirs(os.path.dirname(j), exist_ok=True)
    return ["--journal", j]


def answers(zone, name, rtype="A"):
    p, s = world["primary"], world["secondary"]
    return sorted(dig(p.dns_port, name + "." + zone + ".", rtype)), sorted(dig(s.dns_port, name + "." + zone + ".", rtype))


def in_sync(zone):
    p, s = world["primary"], world["secondary"]
    serial = soa_serial(p.dns_port, zone)
    wait_for(lambda: soa_serial(s.dns_port, zone) == serial, "the secondary to serve " + zone)


def test_rollback_to_the_first_entry_restores_both_servers():
    zone = "rollback-zonegen-test.com"
    J = journal_world()
    first = write(os.path.join(WORK, "rb1.yaml"), spec_a(zone, ipv4="192.0.2.10", extra=1))
    second = write(os.path.join(WORK, "rb2.yaml"), spec_a(zone, ipv4="192.0.2.20", extra=3))
    d1 = json.loads(zg("apply", first, "--yes", "--format", "json", *J, *P(), check=0).stdout)
    in_sync(zone)
    after_first = answers(zone, "www"), answers(zone, "host0"), answers(zone, "host2")
    # A server move: over the safety limit on a small zone, so --force (as a reviewer would).
    d2 = json.loads(zg("apply", second, "--yes", "--force", "--format", "json", *J, *P(), check=0).stdout)
    in_sync(zone)
    assert answers(zone, "www") == (["192.0.2.20"], ["192.0.2.20"])
    assert d1["journal_id"] and d2["journal_id"] and d1["journal_id"] < d2["journal_id"], (d1, d2)
    # Without --yes it is a plan; with --yes it runs it.
    r = zg("rollback", zone, "--to", d1["journal_id"], *J, *P(), check=0)
    assert "not applied" in r.stdout and "www.%s. A" % zone in r.stdout, r.stdout
    zg("rollback", zone, "--to", d1["journal_id"], "--yes", "--force", *J, *P(), check=0)
    in_sync(zone)
    assert (answers(zone, "www"), answers(zone, "host0"), answers(zone, "host2")) == after_first
    assert after_first[2] == ([], [])
    hist = json.loads(zg("history", zone, "--format", "json", *J, *P(), check=0).stdout)
    assert [e["command"] for e in hist] == ["apply", "apply", "rollback"], hist
    assert all(e["status"] == "done" for e in hist), hist
    # The spec's own plan now shows the second apply's changes again: nothing was left over.
    zg("plan", first, "--detailed-exitcode", *P(), check=0)


def test_rollback_conflicts_with_a_change_made_outside_zonegen():
    p = world["primary"]
    zone = "rollback-conflict-zonegen-test.com"
    J = journal_world()
    d1 = json.loads(zg("apply", write(os.path.join(WORK, "rbc1.yaml"), spec_a(zone, extra=0)), "--yes",
                       "--wait-secondaries", "0", "--format", "json", *J, *P(), check=0).stdout)
    zg("apply", write(os.path.join(WORK, "rbc2.yaml"), spec_a(zone, ipv4="192.0.2.21", extra=0)), "--yes",
       "--force", "--wait-secondaries", "0", *J, *P(), check=0)
    api(p, "PATCH", "/zones/%s." % zone, {"rrsets": [{"name": "www.%s." % zone, "type": "A", "ttl": 60, "changetype": "REPLACE",
                                                      "records": [{"content": "192.0.2.66", "disabled": False}]}]})
    r = zg("rollback", zone, "--to", d1["journal_id"], "--yes", "--force", *J, *P(), check=4)
    assert "www.%s. A" % zone in r.stderr, r.stderr
    assert dig(p.dns_port, "www.%s." % zone, "A") == ["192.0.2.66"]


def test_undoing_a_creation_deletes_the_zone_only_with_force():
    p, s = world["primary"], world["secondary"]
    zone = "rollback-create-zonegen-test.com"
    J = journal_world()
    zg("apply", write(os.path.join(WORK, "rbn.yaml"), spec_a(zone, extra=0)), "--yes", *J, *P(), check=0)
    in_sync(zone)
    r = zg("rollback", zone, "--yes", *J, *P(), check=4)
    assert "deletes the zone" in r.stderr, r.stderr
    assert soa_serial(p.dns_port, zone)
    r = zg("rollback", zone, "--yes", "--force", *J, *P(), check=0)
    assert "- zone %s." % zone in r.stdout, r.stdout
    for server in (p, s):
        try:
            api(server, "GET", "/zones/%s." % zone)
            raise AssertionError("%s still has %s" % (server.url, zone))
        except urllib.error.HTTPError as e:
            assert e.code in (404, 422), e


if __name__ == "__main__":
    harness.main(globals(), WORK)  # only the tests named after WORKDIR, when some are
