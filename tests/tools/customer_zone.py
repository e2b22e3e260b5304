#!/usr/bin/env python3
"""Patterns B and C with import_from, end to end through the command line (no servers):
the customer's complete new zone equals the old zone with exactly the listed
customer_changes applied, loads in named-checkzone and kzonecheck, holds none of the old
web/mail records; an MX elsewhere is never replaced silently (mx-external), records at the
old hosts move, a www CNAME goes, our secondary joins the NS rrset at its TTL; the
instructions say the changes in words; without import_from the fragment never trips
ttl-mixed. Usage: customer_zone.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795833600")  # 2026-11-28: serial 2026112801
ENV.pop("PDNS_API_KEY", None)
SERVER_V4, SERVER_V6 = "192.0.2.10", "2001:db8::10"

SOA = "@ 3600 IN SOA %s hostmaster.%s %s 14400 3600 1209600 300\n"

# name -> (zone text without SOA, ORIGIN), realistic customer zones.
ZONES = {
    # An old shared hosting: web and mail there, the customer's own ns1 on the web address,
    # a delegation with glue on it too, a wildcard to the web server.
    "old-hosting": """\
@ 3600 IN NS ns1.{d}.
@ 3600 IN NS ns0.dns-host.example.
ns1 3600 IN A 198.51.100.10
@ 3600 IN A 198.51.100.10
www 600 IN CNAME {d}.
* 3600 IN A 198.51.100.10
@ 3600 IN MX 10 mx.{d}.
mx 3600 IN A 198.51.100.20
pop 3600 IN A 198.51.100.21
smtp 3600 IN A 198.51.100.20
imap 3600 IN CNAME mx.{d}.
ftp 3600 IN A 198.51.100.10
blog 3600 IN A 203.0.113.99
@ 3600 IN TXT "v=spf1 a mx -all"
@ 3600 IN TXT "google-site-verification=abc"
_dmarc 3600 IN TXT "v=DMARC1; p=quarantine"
sub 3600 IN NS ns.sub.{d}.
ns.sub 3600 IN A 198.51.100.10
_sip._tcp 3600 IN SRV 10 60 5060 sip.example.net.
@ 3600 IN CAA 0 issue "letsencrypt.org"
""",
    # A relay: in-domain MX, SendGrid DKIM and link-branding CNAMEs that must stay.
    "sendgrid": """\
@ 86400 IN NS ns1.dns-host.example.
@ 86400 IN NS ns2.dns-host.example.
@ 300 IN A 198.51.100.30
www 300 IN A 198.51.100.30
www 300 IN AAAA 2001:db8:30::1
@ 3600 IN MX 10 mail.{d}.
mail 3600 IN A 198.51.100.31
webmail 3600 IN CNAME mail.{d}.
s1._domainkey 3600 IN CNAME s1.domainkey.u123.wl.sendgrid.net.
s2._domainkey 3600 IN CNAME s2.domainkey.u123.wl.sendgrid.net.
em123 3600 IN CNAME u123.wl.sendgrid.net.
@ 3600 IN TXT "v=spf1 a mx include:sendgrid.net ~all"
_mta-sts 3600 IN TXT "v=STSv1; id=20240101"
mta-sts 3600 IN A 198.51.100.30
_smtp._tls 3600 IN TXT "v=TLSRPTv1; rua=mailto:tls@{d}"
""",
    # Google Workspace: mail elsewhere; the web on an old host reached by a CNAME.
    "google": """\
@ 3600 IN NS ns1.dns-host.example.
@ 3600 IN NS ns2.dns-host.example.
@ 3600 IN A 198.51.100.40
www 3600 IN CNAME web.old-hosting.example.
ftp 3600 IN CNAME web.old-hosting.example.
@ 3600 IN MX 1 aspmx.l.google.com.
@ 3600 IN MX 5 alt1.aspmx.l.google.com.
@ 3600 IN MX 10 alt3.aspmx.l.google.com.
@ 3600 IN TXT "v=spf1 include:_spf.google.com ~all"
google._domainkey 3600 IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx6BwKznH4zrTb85s2RyqXSMH45/+9Ekowot3lTP1XIZPOa86dazynFUqkUFXh12sxgWg++HSMIxKU1jQ8oTHXsicxMGxyFy1RsLbAQubi1m7lJPZOSHkKBUbS/mMre7Fk0Az7sfh55vkz8w90f6RT0Tasa6h" "x+g7SblYMm7Hv1MlzG7B96tEKvUiuB1HqMXsvNhBoMZJ48veylVEZtabu9IVjU1/IMQ49dl0tLXZBh2dhoP9+a9sFuCy4j8NSb0qDu+muFuasiJxJXVjppQXxA0jiRAtB3F+nUKDUNqyAoqV4oGjNmbW964a4DFPcL2QWxZ2jr9hj2ZFZgPnREynxwIDAQAB"
""",
    # Microsoft 365.
    "m365": """\
@ 3600 IN NS ns1.dns-host.example.
@ 3600 IN NS ns2.dns-host.example.
@ 3600 IN A 198.51.100.50
www 3600 IN A 198.51.100.50
@ 3600 IN MX 0 {dash}.mail.protection.outlook.com.
autodiscover 3600 IN CNAME autodiscover.outlook.com.
selector1._domainkey 3600 IN CNAME selector1-{dash}._domainkey.contoso.onmicrosoft.com.
@ 3600 IN TXT "v=spf1 include:spf.protection.outlook.com -all"
@ 3600 IN TXT "MS=ms12345678"
""",
}


def zg(*args, check=None, cwd=None):
    r = subprocess.run([ZG, *args], capture_output=True, text=True, env=ENV, cwd=cwd or WORK,
                       timeout=120)
    if check is not None and r.returncode != check:
        raise AssertionError("zonegen %s: exit %d (want %d)\nstdout: %s\nstderr: %s"
                             % (" ".join(args), r.returncode, check, r.stdout[-3000:], r.stderr[-3000:]))
    return r


def path(*p):
    return os.path.join(WORK, *p)


def write(name, text):
    with open(path(name), "w") as f:
        f.write(text)
    return path(name)


def old_zone(kind, domain, serial=2024010101):
    body = ZONES[kind].format(d=domain, dash=domain.replace(".", "-"))
    mname = "ns1.%s." % domain if kind == "old-hosting" else "ns1.dns-host.example."
    return "$ORIGIN %s.\n$TTL 3600\n" % domain + SOA % (mname, domain + ".", serial) + body


def spec(name, domain, pattern, zone_file, extra=""):
    s = ("domain: %s\ndns_pattern: %s\nregistrar: customer\nserver: {name: sv1.example.net, "
         "ipv4: [%s], ipv6: ['%s']}\ncustomer_nameservers: [ns1.dns-host.example, "
         "ns2.dns-host.example]\nimport_from: %s\n%s" % (domain, pattern, SERVER_V4, SERVER_V6,
                                                         zone_file, extra))
    if pattern == "B":
        s += "customer_primary: [198.51.100.99]\n"
    return write(name, s)


def rrsets(zone_file, origin):
    """(owner, type) -> (ttl, sorted rdata) of a zone normalised by `zonegen import`."""
    r = zg("import", zone_file, "--origin", origin, check=0)
    out = {}
    for line in r.stdout.splitlines():
        if not line or line.startswith(";") or line.startswith("$"):
            continue
        owner, ttl, klass, rtype, rdata = line.split(None, 4)
        assert klass == "IN", line
        key = (owner, rtype)
        ttls, rds = out.get(key, (set(), []))
        ttls.add(int(ttl))
        rds.append(rdata.strip())
        out[key] = (ttls, rds)
    return {k: (next(iter(t)) if len(t) == 1 else tuple(sorted(t)), sorted(rd)) for k, (t, rd) in out.items()}


def relative(owner, origin):
    return "@" if owner == origin + "." else owner[: -len(origin) - 2]


def apply(old, changes, origin):
    new = dict(old)
    for c in changes:
        key = (relative(c["owner"], origin), c["type"])
        if c["action"] == "delete":
            assert key in new, "delete of an rrset the old zone lacks: %s" % (key,)
            assert sorted(c["before"]) == new[key][1], (key, c["before"], new[key])
            del new[key]
        elif c["action"] == "replace":
            assert key in new, "replace of an rrset the old zone lacks: %s" % (key,)
            assert sorted(c["before"]) == new[key][1], (key, c["before"], new[key])
            new[key] = (c["ttl"], sorted(c["after"]))
        else:
            assert c["action"] == "add", c
            assert key not in new, "add of an rrset the old zone has: %s" % (key,)
            assert c["before"] == [], c
            new[key] = (c["ttl"], sorted(c["after"]))
    return new


def generate_customer_zone(kind, domain, pattern, extra=""):
    """Generates, checks the change list's contract and both servers' loaders; returns
    (old rrsets, new rrsets, changes, json document)."""
    old_file = write("%s-%s.old" % (kind, pattern), old_zone(kind, domain))
    sp = spec("%s-%s.yaml" % (kind, pattern), domain, pattern, os.path.basename(old_file), extra)
    doc = json.loads(zg("generate", sp, "--format", "json", check=0).stdout)
    zone_text = zg("generate", sp, "--format", "zone", check=0).stdout
    assert zone_text == doc["text"]
    new_file = write("%s-%s.new" % (kind, pattern), zone_text)
    old, new = rrsets(old_file, domain), rrsets(new_file, domain)
    changes = doc["customer_changes"]
    assert changes, "no changes"
    for c in changes:
        assert set(c) == {"action", "owner", "type", "ttl", "before", "after", "reason"}, c
        assert c["reason"], c
    assert apply(old, changes, domain) == new, "the changes do not make the printed zone"
    soa_old, soa_new = old[("@", "SOA")][1][0].split(), new[("@", "SOA")][1][0].split()
    assert int(soa_new[2]) != int(soa_old[2]) and soa_new[:2] == soa_old[:2], (soa_old, soa_new)
    r = subprocess.run(["named-checkzone", "-k", "fail", "-i", "local", domain, new_file],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, "named-checkzone: " + r.stdout + r.stderr
    r = subprocess.run(["kzonecheck", "-o", domain, new_file], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, "kzonecheck: " + r.stdout + r.stderr
    v = zg("validate", new_file, "--spec", sp)
    assert v.returncode == 0 and "ttl-mixed" not in v.stdout, v.stdout
    return old, new, changes, doc


def reason(changes, owner, rtype):
    for c in changes:
        if c["owner"] == owner and c["type"] == rtype:
            return c
    return None


def no_old_web_mail(new, old_addresses):
    for (owner, rtype), (_, rds) in new.items():
        if rtype in ("A", "AAAA") and owner in ("@", "www", "mail"):
            assert not set(rds) & old_addresses, (owner, rtype, rds)


# ---- the customer's zone, B and C -----------------------------------------------------------

def test_old_hosting_b_and_c():
    d = "old-hosting-zonegen-test.com"
    for pattern in ("B", "C"):
        old, new, changes, doc = generate_customer_zone("old-hosting", d, pattern)
        assert doc["fragment"] is False and doc["serial"] == 2026112801
        assert new[("@", "A")][1] == [SERVER_V4] and new[("@", "AAAA")][1] == [SERVER_V6]
        assert ("www", "CNAME") not in new and new[("www", "A")][1] == [SERVER_V4]
        assert reason(changes, "www.%s." % d, "CNAME")["action"] == "delete"
        assert new[("@", "MX")][1] == ["10 mail.%s." % d]
        spf = [t for t in new[("@", "TXT")][1] if "v=spf1" in t]
        assert spf == ['"v=spf1 ip4:%s ip6:%s a mx -all"' % (SERVER_V4, SERVER_V6)], spf
        # Records at the old hosts moved, each with its reason; the others untouched.
        for name in ("*", "ftp", "mx", "smtp", "pop"):
            assert new[(name, "A")][1] == [SERVER_V4], name
            assert reason(changes, "%s.%s." % (name, d), "A")["reason"], name
        for key in (("ns1", "A"), ("ns.sub", "A"), ("sub", "NS"), ("blog", "A"), ("_sip._tcp", "SRV"),
                    ("_dmarc", "TXT"), ("imap", "CNAME"), ("@", "CAA")):
            assert new[key] == old[key], key
        no_old_web_mail(new, {"198.51.100.10", "198.51.100.20", "198.51.100.21"})
        ns = new[("@", "NS")]
        if pattern == "B":
            assert ns == (3600, sorted(old[("@", "NS")][1] + ["ns2.example.net."])), ns
        else:
            assert ns == old[("@", "NS")] and reason(changes, d + ".", "NS") is None


def test_sendgrid_relay_keeps_its_cnames_and_moves_the_mail():
    d = "relay-zonegen-test.net"
    old, new, changes, _ = generate_customer_zone("sendgrid", d, "B")
    for key in (("s1._domainkey", "CNAME"), ("s2._domainkey", "CNAME"), ("em123", "CNAME"),
                ("_mta-sts", "TXT"), ("_smtp._tls", "TXT"), ("webmail", "CNAME")):
        assert new[key] == old[key], key
    assert new[("mta-sts", "A")][1] == [SERVER_V4]  # the old web host's address
    # Replaced rrsets keep their TTL (the web lowered to 300 for the switch); the NS rrset
    # stays at 86400 with ours in it.
    assert new[("@", "A")] == (300, [SERVER_V4]) and new[("www", "AAAA")] == (300, [SERVER_V6])
    assert new[("@", "NS")][0] == 86400 and "ns2.example.net." in new[("@", "NS")][1]
    spf = [t for t in new[("@", "TXT")][1] if "v=spf1" in t]
    assert spf == ['"v=spf1 ip4:%s ip6:%s a mx include:sendgrid.net ~all"' % (SERVER_V4, SERVER_V6)]


def test_google_workspace_mx_is_never_replaced_silently():
    d = "gws-zonegen-test.com"
    old_file = write("gws.old", old_zone("google", d))
    sp = spec("gws.yaml", d, "C", "gws.old")
    r = zg("generate", sp, "--format", "zone")
    assert r.returncode == 1 and r.stdout == "", (r.returncode, r.stdout)
    assert "(mx-external)" in r.stderr and "aspmx.l.google.com" in r.stderr, r.stderr
    assert "alt3.aspmx.l.google.com" in r.stderr and "replace_external_mx: true" in r.stderr
    assert "services" in r.stderr
    j = json.loads(zg("generate", sp, "--format", "json").stdout)
    assert any(f["check"] == "mx-external" for f in j["error"]["findings"]), j
    r = zg("instructions", sp)
    assert r.returncode == 1 and "(mx-external)" in r.stderr, r.stderr
    # Pattern A migration too.
    spa = write("gws-a.yaml", "domain: %s\ndns_pattern: A\nregistrar: customer\nserver: "
                "{name: sv1.example.net, ipv4: [%s]}\nimport_from: gws.old\n" % (d, SERVER_V4))
    r = zg("generate", spa)
    assert r.returncode == 1 and "(mx-external)" in r.stderr, r.stderr
    assert os.path.exists(old_file)


def test_google_workspace_web_only_keeps_the_mail_and_moves_the_web():
    d = "gws-zonegen-test.com"
    old, new, changes, _ = generate_customer_zone("google", d, "C", "services: [web]\n")
    for key in (("@", "MX"), ("@", "TXT"), ("google._domainkey", "TXT")):
        assert new[key] == old[key], key
    # www and ftp were CNAMEs to the old web host elsewhere: www gets addresses, ftp follows.
    assert ("www", "CNAME") not in new and new[("www", "A")][1] == [SERVER_V4]
    assert new[("ftp", "CNAME")][1] == ["sv1.example.net."]
    assert "web.old-hosting.example" in reason(changes, "ftp.%s." % d, "CNAME")["reason"]


def test_google_workspace_replace_external_mx_moves_it():
    d = "gws-zonegen-test.com"
    _, new, changes, _ = generate_customer_zone("google", d, "B", "replace_external_mx: true\n")
    assert new[("@", "MX")][1] == ["10 mail.%s." % d]
    assert reason(changes, d + ".", "MX")["action"] == "replace"


def test_m365_web_only():
    d = "m365-zonegen-test.co.jp"
    old, new, _, _ = generate_customer_zone("m365", d, "B", "services: [web]\n")
    for key in (("@", "MX"), ("@", "TXT"), ("autodiscover", "CNAME"), ("selector1._domainkey", "CNAME")):
        assert new[key] == old[key], key
    r = zg("generate", spec("m365-mail.yaml", d, "B", "m365-B.old"))
    assert r.returncode == 1 and "mail.protection.outlook.com" in r.stderr, r.stderr


def test_signed_zone_b_leaves_the_signatures_to_the_customer():
    """A zone the customer signs (BIND's dnssec-signzone here): the new zone is the unsigned
    data with our changes; the customer's signer signs it again."""
    d = "signed-zonegen-test.com"
    unsigned = write("signed.unsigned", old_zone("old-hosting", d))
    keys = path("keys")
    os.makedirs(keys, exist_ok=True)
    for extra in ([], ["-f", "KSK"]):
        subprocess.run(["dnssec-keygen", "-q", "-K", keys, "-a", "ECDSAP256SHA256", *extra, d],
                       check=True, capture_output=True, timeout=120)
    r = subprocess.run(["dnssec-signzone", "-q", "-S", "-K", keys, "-d", WORK, "-o", d, "-f", path("signed.old"),
                        unsigned], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    sp = spec("signed.yaml", d, "B", "signed.old")
    doc = json.loads(zg("generate", sp, "--format", "json", check=0).stdout)
    deleted = {c["type"] for c in doc["customer_changes"] if c["action"] == "delete"}
    assert {"RRSIG", "NSEC", "DNSKEY"} <= deleted, deleted
    new_file = write("signed.new", doc["text"])
    new = rrsets(new_file, d)
    assert apply(rrsets(path("signed.old"), d), doc["customer_changes"], d) == new
    assert not {t for (_, t) in new} & {"RRSIG", "NSEC", "NSEC3", "DNSKEY", "CDS", "CDNSKEY"}
    # A warning: load it through the signer (the keys, and so the DS, stay).
    warn = [f for f in doc["findings"] if f["check"] == "dnssec-in-source"]
    assert warn and warn[0]["severity"] == "warning" and "signer" in warn[0]["message"], doc["findings"]
    for cmd in (["named-checkzone", "-k", "fail", d, new_file], ["kzonecheck", "-o", d, new_file]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, " ".join(cmd) + ": " + r.stdout + r.stderr


def test_serial_wraps_and_is_never_equal():
    d = "serial-zonegen-test.com"
    # 2^32 - 1: the date is greater in RFC 1982 terms (the wrap itself: the unit tests).
    for old_serial, want in ((4294967295, 2026112801), (2026112801, 2026112802), (2024010101, 2026112801),
                             (3000000000, 3000000001)):
        write("serial.old", old_zone("m365", d, old_serial))
        sp = spec("serial.yaml", d, "C", "serial.old", "services: [web]\n")
        doc = json.loads(zg("generate", sp, "--format", "json", check=0).stdout)
        assert doc["serial"] == want, (old_serial, doc["serial"])
    r = zg("generate", sp, "--serial", "3000000000")
    assert r.returncode == 2 and "not greater" in r.stderr, r.stderr


def test_instructions_say_the_changes_in_words():
    d = "old-hosting-zonegen-test.com"
    write("words.old", old_zone("old-hosting", d))
    sp = spec("words.yaml", d, "B", "words.old")
    ja = zg("instructions", sp, "--lang", "ja", "--start", "2026-12-01", check=0).stdout
    assert "次のレコードを変更してください" in ja, ja
    for word in ("【削除】www.%s. CNAME" % d, "【変更】%s. A" % d, "【追加】www.%s. A" % d, "理由: "):
        assert word in ja, word
    assert "下記のレコードを追加し" not in ja
    en = zg("instructions", sp, "--lang", "en", "--start", "2026-12-01", check=0).stdout
    assert "delete: www.%s. CNAME" % d in en and "add these records" not in en.lower(), en
    j = json.loads(zg("instructions", sp, "--format", "json", "--start", "2026-12-01", check=0).stdout)
    assert j["customer_changes"] and j["customer_records"].startswith("お客さまのゾーン"), j["customer_records"][:200]


def test_without_import_the_fragment_says_what_to_replace_and_keeps_the_ns_ttl():
    d = "fragment-zonegen-test.com"
    sp = write("frag.yaml", "domain: %s\ndns_pattern: B\nregistrar: customer\nserver: {name: "
               "sv1.example.net, ipv4: [%s]}\ncustomer_primary: [198.51.100.99]\n"
               "customer_nameservers: [ns1.dns-host.example]\n" % (d, SERVER_V4))
    frag = zg("generate", sp, check=0).stdout
    assert "Replace, do not just add" in frag and "delete the A, AAAA and CNAME" in frag, frag
    assert "86400" not in frag
    # Pasted into the customer's zone (old web and mail records deleted as told): one TTL
    # per rrset, no ttl-mixed, and BIND loads it.
    body = "\n".join(l for l in frag.splitlines() if l and not l.startswith((";", "$")))
    zone = ("$ORIGIN %s.\n$TTL 3600\n" % d + SOA % ("ns1.dns-host.example.", d + ".", 1) +
            "@ IN NS ns1.dns-host.example.\n@ IN NS ns2.dns-host.example.\n" + body + "\n")
    f = write("pasted.zone", zone)
    v = zg("validate", f, "--spec", sp)
    assert v.returncode == 0 and "ttl-mixed" not in v.stdout, v.stdout
    r = subprocess.run(["named-checkzone", "-k", "fail", d, f], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    ja = zg("instructions", sp, "--lang", "ja", "--start", "2026-12-01", check=0).stdout
    assert "置き換えてください" in ja and "既存のレコードに" in ja and "TTL は既存の NS" in ja, ja


if __name__ == "__main__":
    harness.main(globals(), WORK)
