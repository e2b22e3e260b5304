#!/usr/bin/env python3
"""Zone sources and migration against real servers: the same zone from a file, PowerDNS
and an AXFR from BIND diff empty; an old provider's zone (BIND) is imported into a
pattern-A zone on PowerDNS and every non-web/mail record answers as before; AXFR
failures (refused, timeout, TSIG mismatch, truncated stream) exit 3 and leave no file.
Usage: test_sources.py ZONEGEN SOURCE_DIR WORKDIR"""
import datetime, json, os, shutil, socket, struct, subprocess, sys, threading, time, traceback

sys.path.insert(0, os.path.dirname(__file__))
from servers import API_KEY, Bind, Pdns, dig, dig_any_section, free_port, soa_serial
import harness
from harness import CAPTURED, api, loopback_profile, make_zg, start_our_servers, stop_all, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
TSIG_SECRET = "c2VjcmV0LWZvci16b25lZ2VuLXRlc3RzLW9ubHktMDEyMzQ1Njc4OQ=="  # test-only

# The old provider's zone: 30 records of 12 types.
OLD = """$ORIGIN oldzone-zonegen-test.com.
$TTL 3600
@        SOA   ns1.oldprovider.example. hostmaster.oldprovider.example. 2024010101 7200 3600 1209600 300
@        NS    ns1.oldprovider.example.
@        NS    ns2.oldprovider.example.
@        A     203.0.113.80
@        AAAA  2001:db8:ffff::80
www      CNAME @
@        MX    10 mx1.oldprovider.example.
@        MX    20 mx2.oldprovider.example.
@        TXT   "v=spf1 include:_spf.oldprovider.example ~all"
@        TXT   "google-site-verification=abc123"
@        CAA   0 issue "letsencrypt.org"
@        CAA   0 iodef "mailto:security@oldzone-zonegen-test.com"
sel1._domainkey TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx6BwKznH4zrTb85s2RyqXSMH45/+9Ekowot3lTP1XIZPOa86dazynFUqkUFXh12sxgWg++HSMIxKU1jQ8oTHXsicxMGxyFy1RsLbAQubi1m7lJPZOSHkKBUbS/mMre7Fk0Az7sfh55vkz8w90f6RT0Tasa6h" "x+g7SblYMm7Hv1MlzG7B96tEKvUiuB1HqMXsvNhBoMZJ48veylVEZtabu9IVjU1/IMQ49dl0tLXZBh2dhoP9+a9sFuCy4j8NSb0qDu+muFuasiJxJXVjppQXxA0jiRAtB3F+nUKDUNqyAoqV4oGjNmbW964a4DFPcL2QWxZ2jr9hj2ZFZgPnREynxwIDAQAB"
_sip._tcp SRV  10 60 5060 sip.example.net.
_xmpp-client._tcp SRV 5 0 5222 chat.example.net.
sub      NS    ns1.sub
sub      NS    ns2.sub
ns1.sub  A     198.51.100.7
ns2.sub  A     198.51.100.8
*.dev    A     198.51.100.9
shop     CNAME shops.example.net.
host1    A     198.51.100.10
host1    AAAA  2001:db8:ffff::10
host1    SSHFP 1 1 0123456789ABCDEF0123456789ABCDEF01234567
_443._tcp.host1 TLSA 3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
@        NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.oldzone-zonegen-test.com.
_sip._udp SRV 10 60 5060 sip.example.net.
legacy   TXT   "kept as it was"
ftp      CNAME host1
"""



world = {}


def setup():
    p, s = start_our_servers(world, ZG, WORK)
    world["bind"] = Bind(os.path.join(WORK, "bind"), {
        "oldzone-zonegen-test.com.": (OLD, ["127.0.0.1"], []),
        "refused-zonegen-test.com.": (OLD.replace("oldzone-zonegen-test.com", "refused-zonegen-test.com"), [], []),
        "tsig-zonegen-test.com.": (OLD.replace("oldzone-zonegen-test.com", "tsig-zonegen-test.com"), ['key "xfr"'], []),
    }, tsig_keys={"xfr": ("hmac-sha256", TSIG_SECRET)})
    world["old_file"] = write(os.path.join(WORK, "old.zone"), OLD)


def teardown():
    stop_all(world, ("bind", "secondary", "primary"))


def P():
    return ["--profile", world["profile"]]


def axfr(zone):
    return "axfr://127.0.0.1:%d/%s" % (world["bind"].port, zone)


# ---- tests -------------------------------------------------------------------------------

def test_same_zone_from_file_pdns_and_axfr_diffs_empty():
    p = world["primary"]
    zone = "oldzone-zonegen-test.com"
    # Put the same zone on PowerDNS through its own loader (not through zonegen).
    subprocess.run(["pdnsutil", "--config-dir=" + p.workdir, "load-zone", zone, world["old_file"]],
                   capture_output=True, text=True, check=True)
    subprocess.run(["pdnsutil", "--config-dir=" + p.workdir, "set-kind", zone, "native"], capture_output=True, check=True)
    sources = [world["old_file"], "pdns:" + zone, axfr(zone)]
    for i in range(3):
        for j in range(3):
            if i == j:
                continue
            r = zg("diff", sources[i], sources[j], "--detailed-exitcode", *P(), check=0)
            assert "0 to create, 0 to update, 0 to delete" in r.stdout, r.stdout
    # import writes a normalised file that diffs empty against the source too.
    out = os.path.join(WORK, "imported.zone")
    zg("import", axfr(zone), "-o", out, *P(), check=0)
    zg("diff", out, world["old_file"], "--detailed-exitcode", check=0)
    zg("validate", out, check=0)
    subprocess.run(["pdnsutil", "--config-dir=" + p.workdir, "delete-zone", zone], capture_output=True, check=True)


def test_migration_keeps_every_non_web_mail_record():
    p, s, b = world["primary"], world["secondary"], world["bind"]
    zone = "oldzone-zonegen-test.com."
    spec = write(os.path.join(WORK, "migrate.yaml"),
                 "domain: oldzone-zonegen-test.com\ndns_pattern: A\nregistrar: transfer\n"
                 "server: {name: sv9.example.net, ipv4: [192.0.2.90], ipv6: ['2001:db8::90']}\n"
                 "import_from: %s\n" % axfr(zone))
    # The old provider's MX is outside the domain: never replaced silently (issue 15).
    r = zg("plan", spec, *P())
    assert r.returncode == 1 and "(mx-external)" in r.stderr and "mx1.oldprovider.example" in r.stderr, r.stderr
    with open(spec, "a") as f:
        f.write("replace_external_mx: true\n")
    plan = json.loads(zg("plan", spec, "--format", "json", *P(), check=0).stdout)
    items = {(i["name"], i["type"]): i for i in plan["migration"]["items"]}
    assert items[(zone, "NS")]["action"] == "replaced" and "old provider" in items[(zone, "NS")]["reason"]
    assert items[(zone, "A")]["action"] == "replaced"
    assert items[("www." + zone, "CNAME")]["action"] == "replaced"
    assert items[("sel1._domainkey." + zone, "TXT")]["action"] == "kept"
    zg("apply", spec, "--yes", *P(), check=0)
    zg("plan", spec, "--detailed-exitcode", *P(), check=0)
    wait_for(lambda: soa_serial(s.dns_port, zone) == soa_serial(p.dns_port, zone), "the secondary")
    web_mail = {(zone, "A"), (zone, "AAAA"), (zone, "MX"), (zone, "TXT"), (zone, "NS"), (zone, "SOA"),
                ("www." + zone, "CNAME")}
    checked = 0
    for line in OLD.splitlines():
        f = line.split()
        if not f or f[0].startswith("$"):
            continue
        name = zone if f[0] == "@" else f[0] + "." + zone
        rtype = f[1]
        if (name, rtype) in web_mail:
            continue
        look = dig_any_section if ".sub." in "." + name else dig
        old = look(b.port, name, rtype)
        assert old, "BIND does not answer %s %s" % (name, rtype)
        for port, who in ((p.dns_port, "primary"), (s.dns_port, "secondary")):
            new = look(port, name, rtype)
            assert new == old, "%s %s on our %s: %s, before: %s" % (name, rtype, who, new, old)
        checked += 1
    assert checked >= 18, checked
    for port in (p.dns_port, s.dns_port):
        assert dig(port, zone, "A") == ["192.0.2.90"]
        assert dig(port, "www." + zone, "A") == ["192.0.2.90"]
        assert dig(port, zone, "MX") == ["10 mail." + zone]
        txt = dig(port, zone, "TXT")
        assert '"google-site-verification=abc123"' in txt, txt
        assert any("ip4:192.0.2.90" in t and "include:_spf.oldprovider.example" in t for t in txt), txt
        assert sum("v=spf1" in t for t in txt) == 1, txt


def test_import_reports_dnssec_in_the_old_zone():
    signed = write(os.path.join(WORK, "signed", "old.zone"), OLD.replace("legacy   TXT", "@ DNSKEY 257 3 13 "
                   "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\nlegacy TXT"))
    spec = write(os.path.join(WORK, "signed", "spec.yaml"),
                 "domain: oldzone-zonegen-test.com\ndns_pattern: A\nregistrar: transfer\n"
                 "server: {name: sv9.example.net, ipv4: [192.0.2.90]}\nimport_from: old.zone\n"
                 "replace_external_mx: true\n")
    r = zg("generate", spec, check=0)
    assert "(dnssec-in-source)" in r.stderr and "Remove the DS" in r.stderr, r.stderr
    assert "DNSKEY" not in r.stdout
    # The instructions gain the safe order and list what the migration keeps and drops.
    ins = json.loads(zg("instructions", spec, "--format", "json", "--lang", "en", "--start", "2026-12-01", check=0).stdout)
    ids = [st["id"] for st in ins["steps"]]
    ds = ins["steps"][ids.index("ds_remove")]
    assert ids.index("transfer_complete") < ids.index("ds_remove") < ids.index("dns_application"), ids
    # We hold the registration once the transfer is complete: the DS removal is ours, and the
    # NS change waits at least two days after it.
    assert ds["actor"] == "provider", ds
    ns = ins["steps"][ids.index("ns_change")]
    gap = lambda key: (datetime.date.fromisoformat(ns[key]) - datetime.date.fromisoformat(ds[key])).days
    assert gap("date") >= 2 and gap("date_latest") >= 2, (ds, ns)
    actions = {(i["name"], i["type"]): i["action"] for i in ins["migration"]["items"]}
    assert actions[("oldzone-zonegen-test.com.", "DNSKEY")] == "dropped"
    assert actions[("sel1._domainkey.oldzone-zonegen-test.com.", "TXT")] == "kept"


def fake_server(behaviour):
    """A TCP DNS server that misbehaves: 'silent' accepts and never answers; 'truncated'
    sends the opening SOA and one record, then closes."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    conns = []

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            conns.append(c)
            if behaviour == "silent":
                continue
            try:
                data = c.recv(2)
                (n,) = struct.unpack("!H", data)
                q = b""
                while len(q) < n:
                    q += c.recv(n - len(q))
                qid = q[:2]
                question = q[12:]
                soa = b"\xc0\x0c" + struct.pack("!HHIH", 6, 1, 300, 22) + b"\x00\x00" + struct.pack("!IIIII", 1, 2, 3, 4, 5)
                a = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 1])
                msg = qid + struct.pack("!HHHHH", 0x8400, 1, 2, 0, 0) + question + soa + a
                c.sendall(struct.pack("!H", len(msg)) + msg)
                c.close()
            except Exception:
                c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return port, srv, conns


def test_axfr_failures_exit_3_and_leave_no_file():
    out = os.path.join(WORK, "fail", "out.zone")
    os.makedirs(os.path.dirname(out), exist_ok=True)

    # The bounds prove a failure ends by itself (a timeout works); they allow a loaded machine.
    def fails(source, words, *extra, seconds=120):
        r = zg("import", source, "-o", out, *extra, check=3)
        assert any(w in r.stderr for w in words), r.stderr
        assert not os.path.exists(out), "a partial file was left"
        assert not [f for f in os.listdir(os.path.dirname(out))], os.listdir(os.path.dirname(out))
        assert r.elapsed < seconds, r.elapsed
        return r

    fails(axfr("refused-zonegen-test.com"), ["REFUSED", "refused"])
    wrong = write(os.path.join(WORK, "keys", "wrong.key"), "d3Jvbmctc2VjcmV0LWZvci16b25lZ2VuLXRlc3RzLTAxMjM0NTY3OA==\n", 0o600)
    fails(axfr("tsig-zonegen-test.com"), ["TSIG", "NOTAUTH"], "--tsig-name", "xfr", "--tsig-secret-file", wrong)
    good = write(os.path.join(WORK, "keys", "good.key"), TSIG_SECRET + "\n", 0o600)
    zg("import", axfr("tsig-zonegen-test.com"), "-o", os.path.join(WORK, "tsig.zone"), "--tsig-name", "xfr",
       "--tsig-secret-file", good, check=0)
    # A closed port and a silent one give the same message (no port scanning through it).
    closed = free_port()
    r1 = fails("axfr://127.0.0.1:%d/x-zonegen-test.com" % closed, ["no DNS answer from 127.0.0.1:%d" % closed])
    port, srv, _ = fake_server("silent")
    try:
        r2 = fails("axfr://127.0.0.1:%d/x-zonegen-test.com" % port, ["no DNS answer from 127.0.0.1:%d" % port],
                   "--timeout", "2", seconds=60)
    finally:
        srv.close()
    assert r1.stderr.replace(str(closed), "P").replace("10 s", "N s") == \
        r2.stderr.replace(str(port), "P").replace("2 s", "N s"), (r1.stderr, r2.stderr)
    port, srv, _ = fake_server("truncated")
    try:
        fails("axfr://127.0.0.1:%d/x-zonegen-test.com" % port, ["truncated", "ended", "closing SOA"])
    finally:
        srv.close()
    for s in CAPTURED:
        assert TSIG_SECRET not in s and API_KEY not in s, "a secret leaked"


if __name__ == "__main__":
    harness.main(globals(), WORK)
