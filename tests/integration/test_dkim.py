#!/usr/bin/env python3
"""DKIM end to end (issue 17): `zonegen dkim-keygen` makes the keys, `apply` publishes them on
the real PowerDNS started here, and a message signed with the private key zonegen wrote
verifies against the record read back with dig, python3-dkim (Debian's DKIM library) being
the verifier; a signature by another key does not. Then a rotation: two selectors published,
the old one removed only when the spec retires it. Usage: test_dkim.py ZONEGEN SOURCE_DIR WORKDIR"""
import base64, json, os, re, stat, sys

sys.path.insert(0, os.path.dirname(__file__))
try:
    import dkim
except ImportError:
    # python3-dkim is a Debian package: the system Python's dist-packages hold it even when
    # another python3 (a pyenv one) runs this script. It is pure Python.
    sys.path.append("/usr/lib/python3/dist-packages")
    import dkim  # noqa: E402  (no skip: the acceptance test needs a real verifier)
from servers import dig
import harness
from harness import make_zg, start_our_servers, stop_all, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
world = {}
DOMAIN = "dkim-zonegen-test.com"
KEYS = os.path.join(WORK, "spec")  # the specs and their key files (the spec's directory)
MESSAGE = (b"From: Tanaka <tanaka@" + DOMAIN.encode() + b">\r\nTo: sato@example.net\r\n"
           b"Subject: DKIM test\r\nDate: Mon, 07 Dec 2026 09:00:00 +0900\r\n"
           b"Message-ID: <dkim-test@" + DOMAIN.encode() + b">\r\n\r\nHello.\r\n")


def setup():
    start_our_servers(world, ZG, WORK)
    os.makedirs(KEYS)
    os.chmod(KEYS, 0o700)


def teardown():
    stop_all(world, ("secondary", "primary"))


def P():
    return ["--profile", world["profile"]]


def keygen(name, *args, check=0):
    return zg("dkim-keygen", os.path.join(KEYS, name), *args, check=check)


def spec(keys, retired=()):
    text = ("domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, "
            "ipv4: [192.0.2.10]}\nservices: [web, mail]\ndkim:\n" % DOMAIN)
    text += "".join("  - {selector: %s, key_file: %s}\n" % (s, f) for s, f in keys)
    if retired:
        text += "dkim_retired: [%s]\n" % ", ".join(retired)
    return write(os.path.join(KEYS, "spec.yaml"), text)


def published(selector):
    """The TXT at SELECTOR._domainkey.DOMAIN from PowerDNS (dig), its strings joined."""
    out = dig(world["primary"].dns_port, "%s._domainkey.%s" % (selector, DOMAIN), "TXT")
    return ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', line)) for line in out]


def dnsfunc(name, timeout=5):
    """python3-dkim's DNS: the answer dig got from our PowerDNS."""
    n = name.decode() if isinstance(name, bytes) else name
    sel = n[: n.lower().index("._domainkey.")]
    txt = published(sel)
    return txt[0].encode() if txt else None


def signing_key(name):
    """The key file zonegen wrote as python3-dkim takes it: the PEM for RSA, the base64 of the
    32-octet seed (the end of the PKCS#8 DER) for Ed25519."""
    pem = open(os.path.join(KEYS, name), "rb").read()
    if b"ed25519" not in name.encode():
        return pem
    der = base64.b64decode(b"".join(l for l in pem.splitlines() if not l.startswith(b"-----")))
    return base64.b64encode(der[-32:])


def changes(plan):
    """A plan's changes but the SOA's (its serial follows any change)."""
    return [(c["name"], c["type"], c["action"]) for c in plan["changes"] if c["type"] != "SOA"]


def sign(selector, key_name, alg):
    return dkim.sign(MESSAGE, selector.encode(), DOMAIN.encode(), signing_key(key_name),
                     signature_algorithm=alg, include_headers=[b"from", b"to", b"subject", b"date"])


# ---- tests -------------------------------------------------------------------------------

def test_1_keygen_writes_the_key_0600_prints_only_the_public_record():
    r = keygen("rsa.pem", "--format", "json")
    d = json.loads(r.stdout)
    path = os.path.join(KEYS, "rsa.pem")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, oct(os.stat(path).st_mode)
    pem = open(path).read()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----"), pem[:40]
    assert d["type"] == "rsa" and d["bits"] == 2048 and d["record"].startswith("v=DKIM1; k=rsa; p=MIIB"), d
    body = [l for l in pem.splitlines() if not l.startswith("-----")]
    for line in body:
        assert line not in r.stdout + r.stderr, "the private key was printed"
    # Never over an existing file: exit 2, the file unchanged.
    again = keygen("rsa.pem", check=2)
    assert "exists" in again.stderr and open(path).read() == pem, again.stderr
    # Under 2048 bits is refused; Ed25519 on request; a second RSA key for the mismatch test.
    keygen("weak.pem", "--bits", "1024", check=2)
    assert not os.path.exists(os.path.join(KEYS, "weak.pem"))
    e = json.loads(keygen("ed25519.pem", "--type", "ed25519", "--format", "json").stdout)
    assert e["record"].startswith("v=DKIM1; k=ed25519; p=") and len(base64.b64decode(e["record"].split("p=")[1])) == 32, e
    keygen("other-rsa.pem")
    keygen("other-ed25519.pem", "--type", "ed25519")
    text = keygen("new-rsa.pem").stdout
    assert "v=DKIM1; k=rsa; p=" in text and "key_file:" in text, text


def test_2_a_real_signature_verifies_against_the_record_pdns_serves():
    s = spec([("rsa2026", "rsa.pem"), ("ed2026", "ed25519.pem")])
    zg("apply", s, "--yes", *P(), check=0)
    want = json.loads(keygen("unused.pem", "--format", "json").stdout)  # not published
    rsa = published("rsa2026")
    assert len(rsa) == 1 and rsa[0].startswith("v=DKIM1; k=rsa; p=MIIB") and rsa[0] != want["record"], rsa
    assert len(published("ed2026")) == 1, published("ed2026")
    for sel, key, alg in (("rsa2026", "rsa.pem", b"rsa-sha256"), ("ed2026", "ed25519.pem", b"ed25519-sha256")):
        signed = sign(sel, key, alg) + MESSAGE
        assert dkim.verify(signed, dnsfunc=dnsfunc), "%s: zonegen's key and its record do not verify" % sel
        # The same message altered fails: the verifier really checks.
        assert not dkim.verify(signed.replace(b"Hello.", b"Hullo."), dnsfunc=dnsfunc), sel


def test_3_a_signature_by_another_key_does_not_verify():
    for sel, key, alg in (("rsa2026", "other-rsa.pem", b"rsa-sha256"), ("ed2026", "other-ed25519.pem", b"ed25519-sha256")):
        signed = sign(sel, key, alg) + MESSAGE
        assert not dkim.verify(signed, dnsfunc=dnsfunc), "%s: a signature by another key verified" % sel


def test_4_rotation_the_old_selector_goes_only_when_retired():
    # Step 1: the new key beside the old one; the old one unchanged.
    s = spec([("rsa2026", "rsa.pem"), ("ed2026", "ed25519.pem"), ("rsa2027", "new-rsa.pem")])
    plan = json.loads(zg("plan", s, "--format", "json", *P(), check=0).stdout)
    subjects = changes(plan)
    assert subjects == [("rsa2027._domainkey.%s." % DOMAIN, "TXT", "create")], plan["changes"]
    zg("apply", s, "--yes", *P(), check=0)
    assert published("rsa2026") and published("rsa2027"), "both selectors are published"
    signed = sign("rsa2027", "new-rsa.pem", b"rsa-sha256") + MESSAGE
    assert dkim.verify(signed, dnsfunc=dnsfunc), "the new key does not verify"
    # Left out of dkim: only, the old selector is no longer ours: kept, never deleted silently.
    s = spec([("ed2026", "ed25519.pem"), ("rsa2027", "new-rsa.pem")])
    zg("plan", s, "--detailed-exitcode", *P(), check=0)
    # Step 3: retired, it goes.
    s = spec([("ed2026", "ed25519.pem"), ("rsa2027", "new-rsa.pem")], retired=["rsa2026"])
    plan = json.loads(zg("plan", s, "--format", "json", *P(), check=0).stdout)
    subjects = changes(plan)
    assert subjects == [("rsa2026._domainkey.%s." % DOMAIN, "TXT", "delete")], plan["changes"]
    zg("apply", s, "--yes", *P(), check=0)
    assert published("rsa2026") == [] and published("rsa2027"), published("rsa2026")
    zg("plan", s, "--detailed-exitcode", *P(), check=0)


def test_5_a_missing_key_file_is_exit_2_and_nothing_is_written():
    s = spec([("rsa2028", "missing.pem")])
    for cmd in ("generate", "plan"):
        r = zg(cmd, s, *P(), check=2)
        assert "dkim.key_file" in r.stderr, r.stderr
    assert not os.path.exists(os.path.join(KEYS, "missing.pem"))


def test_6_a_new_key_under_the_same_selector_replaces_the_old_record():
    s = spec([("ed2026", "ed25519.pem"), ("rsa2027", "other-rsa.pem")])
    plan = json.loads(zg("plan", s, "--format", "json", *P(), check=0).stdout)
    assert changes(plan) == [("rsa2027._domainkey.%s." % DOMAIN, "TXT", "update")], plan["changes"]
    zg("apply", s, "--yes", *P(), check=0)
    assert len(published("rsa2027")) == 1, published("rsa2027")  # never both keys
    signed = sign("rsa2027", "other-rsa.pem", b"rsa-sha256") + MESSAGE
    assert dkim.verify(signed, dnsfunc=dnsfunc), "the replacing key does not verify"
    signed = sign("rsa2027", "new-rsa.pem", b"rsa-sha256") + MESSAGE
    assert not dkim.verify(signed, dnsfunc=dnsfunc), "the replaced key still verifies"


if __name__ == "__main__":
    harness.main(globals(), WORK, key=lambda t: int(t.__name__.split("_")[1]))
