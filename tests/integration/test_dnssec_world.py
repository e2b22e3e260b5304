#!/usr/bin/env python3
"""The loopback DNSSEC world (dnssec_world.py) behaves as the Internet does: a signed test
TLD (Knot) whose key a validating resolver (unbound) trusts, the customer's old provider
(Knot, signing) and our PowerDNS as the new provider. Checked step by step with the
resolver's verdicts: the TLD validates; an unsigned child is insecure; a signed child with
its DS is secure (ECDSA and RSA); THE CLASSIC OUTAGE (the NS switched to an unsigned
PowerDNS zone while the old DS stays) is bogus; the safe order (a) (DS removed, its TTL
waited out, NS switched, signed on PowerDNS, its DS published) never is; the old provider
keeps a foreign DNSKEY in Knot's incremental mode (the multi-signer order's first half).
Prints a timeline (step, seconds, verdicts). Usage: test_dnssec_world.py ZONEGEN SOURCE_DIR WORKDIR
(ZONEGEN is not run: the world is what is under test)."""
import os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Pdns
import harness
from harness import api
from dnssec_world import DnssecWorld, OldZone, norm_ds, norm_dnskey, served_dnskeys, served_ds

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SHOP, PLAIN, RSA, MULTI = "shop.zgtest.", "plain.zgtest.", "rsa.zgtest.", "multi.zgtest."
OLD_BODY = "@ A 203.0.113.80\n@ MX 10 mail\nmail A 203.0.113.25\n"
OLD_A, OLD_MX = ["203.0.113.80"], ["10 mail.%s" % SHOP]
NEW_A, NEW_MX = ["192.0.2.80"], ["10 mail.%s" % SHOP]
OUR_NS = "ns1.example.net."  # outside the TLD, as our real name servers are: a world host

world, timeline = {}, []
T0 = time.time()


def setup():
    world["pdns"] = pdns = Pdns(os.path.join(WORK, "pdns"), public=True)
    world["w"] = DnssecWorld(os.path.join(WORK, "world"), {
        SHOP: OldZone(OLD_BODY),
        PLAIN: OldZone("@ A 203.0.113.81\n", signed=False),
        RSA: OldZone("@ A 203.0.113.82\n", algorithm="rsasha256"),
        MULTI: OldZone("@ A 203.0.113.83\n", dnskey_management="incremental")}, hosts={OUR_NS: pdns.public_addr})
    record("world started (PowerDNS, TLD, old provider, resolver)", T0, "-")


def teardown():
    if "w" in world:
        world["w"].stop()
    if "pdns" in world:
        world["pdns"].stop()
    print("\nTimeline (seconds since the test started; each step's own duration):")
    print("%7s %7s  %-70s %s" % ("at", "took", "step", "verdicts"))
    for at, took, step, verdicts in timeline:
        print("%7.1f %7.1f  %-70s %s" % (at, took, step, verdicts))


def record(step, started, verdicts):
    now = time.time()
    timeline.append((now - T0, now - started, step, verdicts))


def ours():
    return {OUR_NS: [world["pdns"].public_addr]}


def verdicts(name, types=("A", "MX")):
    return {t: world["w"].resolve(name, t) for t in types}


def summary(answers):
    return ", ".join("%s %s" % (t, a.verdict) for t, a in answers.items())


def until(goal, what, allowed, names=((SHOP, "A"), (SHOP, "MX"))):
    """The world's until() for NAMES (the shop's A and MX by default)."""
    return world["w"].until(names, goal, what, allowed)


def not_yet_delegated(rtype, a):
    """Before a new delegation reaches the resolver: the name proven absent, securely."""
    return a.rcode == "NXDOMAIN" and a.verdict == "secure"


def pdns_zone(name, a):
    """Our zone on PowerDNS, unsigned: apex NS ns1.example.net., A, MX and the mail host."""
    def rr(n, t, *c):
        return {"name": n, "type": t, "ttl": 3, "records": [{"content": x, "disabled": False} for x in c]}
    api(world["pdns"], "POST", "/zones", {
        "name": name, "kind": "Native", "nameservers": [],
        "rrsets": [rr(name, "SOA", "%s hostmaster.example.net. 1 3600 600 86400 3" % OUR_NS), rr(name, "NS", OUR_NS),
                   rr(name, "A", a), rr(name, "MX", "10 mail." + name), rr("mail." + name, "A", "192.0.2.25")]})


def pdns_sign(name):
    """Signs NAME on PowerDNS (one CSK, ECDSAP256SHA256) as zonegen will, rectifies, waits
    until the public address serves its DNSKEY; the key's DNSKEY and SHA-256 DS."""
    pdns = world["pdns"]
    key = api(pdns, "POST", "/zones/%s/cryptokeys" % name, {"keytype": "csk", "active": True, "algorithm": "ecdsa256"})
    api(pdns, "PUT", "/zones/%s/rectify" % name)
    harness.wait_for(lambda: norm_dnskey(key["dnskey"]) in served_dnskeys(53, name, pdns.public_addr),
                     "PowerDNS to serve %s's DNSKEY" % name)
    ds = [norm_ds(d) for d in key["ds"] if d.split()[2] == "2"]
    assert len(ds) == 1, key["ds"]
    # The DS PowerDNS reports is the one computed from the key it serves.
    assert served_ds(53, name, pdns.public_addr) == ds, (served_ds(53, name, pdns.public_addr), ds)
    return key["dnskey"], ds


# ---- the world -----------------------------------------------------------------------------

def test_1_tld_validates():
    t = time.time()
    w = world["w"]
    soa, dnskey = w.resolve("zgtest.", "SOA"), w.resolve("zgtest.", "DNSKEY")
    assert soa.verdict == "secure" and soa.ad and soa.rcode == "NOERROR", soa
    assert soa.answers[0].startswith("a.nic.zgtest. "), soa
    assert dnskey.verdict == "secure" and dnskey.answers, dnskey
    # The resolver trusts exactly the TLD's key (a DS it read from the running Knot), and the
    # test TLD is not declared insecure anywhere.
    conf = open(w.resolver.conf).read()
    assert 'trust-anchor: "zgtest. DS %s"' % w.tld_ds()[0] in conf, conf
    assert "domain-insecure" not in conf and "forward-zone" not in conf, conf
    # A name the TLD does not have is proven absent, securely (NSEC).
    nx = w.resolve("nothing-here.zgtest.", "A")
    assert nx.rcode == "NXDOMAIN" and nx.verdict == "secure", nx
    record("TLD SOA, DNSKEY, an absent name", t, "SOA %s, DNSKEY %s, NXDOMAIN %s" % (soa.verdict, dnskey.verdict, nx.verdict))


def test_2_unsigned_child_insecure():
    t = time.time()
    w = world["w"]
    w.set_delegation(PLAIN, w.old_ns(), [])
    a = until(lambda t_, a: a.rcode == "NOERROR", "the new delegation", not_yet_delegated, ((PLAIN, "A"),))["A"]
    assert a.verdict == "insecure" and not a.ad, a
    assert a.answers == ["203.0.113.81"], a
    record("unsigned child at the old provider, no DS", t, "A " + a.verdict)


def test_3_signed_child_secure():
    t = time.time()
    w = world["w"]
    ds = w.old_ds(SHOP)
    assert len(ds) == 1 and ds[0].split()[1:3] == ["13", "2"], ds
    # The DS computed from the served DNSKEY is the one Knot's own key manager gives.
    km = subprocess.run(["keymgr", "-c", w.old.knot.conf, SHOP, "ds"], capture_output=True, text=True)
    assert km.returncode == 0 and any(norm_ds(l.split(None, 2)[2]) == ds[0] for l in km.stdout.splitlines()
                                      if " DS " in l), (km.stdout, km.stderr, ds)
    w.set_delegation(SHOP, w.old_ns(), ds)
    # The TLD's NSEC the resolver cached with plain.zgtest.'s referral (plain -> the apex)
    # covers shop.zgtest.: until it expires the resolver proves the name absent on its own
    # (aggressive NSEC, RFC 8198), as resolvers on the Internet do after a new delegation.
    got = until(lambda t_, a: a.rcode == "NOERROR", "the new delegation", not_yet_delegated)
    assert all(a.verdict == "secure" and a.rcode == "NOERROR" for a in got.values()), got
    assert got["A"].answers == OLD_A and got["MX"].answers == OLD_MX, got
    record("signed child (ECDSAP256SHA256) at the old provider, its DS at the TLD", t, summary(got))
    t = time.time()
    rsa_ds = w.old_ds(RSA)
    assert len(rsa_ds) == 1 and rsa_ds[0].split()[1] == "8", rsa_ds
    w.set_delegation(RSA, w.old_ns(), rsa_ds)
    a = until(lambda t_, a: a.rcode == "NOERROR", "the new delegation", not_yet_delegated, ((RSA, "A"),))["A"]
    assert a.verdict == "secure" and a.answers == ["203.0.113.82"], a
    assert all(k.split()[2] == "8" for k in w.old_dnskeys(RSA)), w.old_dnskeys(RSA)
    record("signed child (RSASHA256) at the old provider, its DS at the TLD", t, "A " + a.verdict)


def test_4_classic_outage_ns_switched_with_the_old_ds():
    """The NS moves to our unsigned zone while the old provider's DS stays at the TLD."""
    t = time.time()
    w = world["w"]
    pdns_zone(SHOP, NEW_A[0])
    w.set_delegation(SHOP, ours(), w.old_ds(SHOP))
    # Until the resolver's cached answers expire it still answers with the old, secure data;
    # then every validating resolver fails the domain.
    got = until(lambda t_, a: a.verdict == "bogus", "the domain to go bogus",
                lambda t_, a: a.verdict == "bogus" or (a.verdict == "secure" and a.answers == (OLD_A if t_ == "A" else OLD_MX)))
    for rtype, a in got.items():
        assert a.rcode == "SERVFAIL" and not a.answers, a
        # The data is there: with checking disabled the resolver hands out our zone's records.
        assert a.cd_rcode == "NOERROR" and a.cd_answers == (NEW_A if rtype == "A" else NEW_MX), a
        assert "DNSKEY Missing" in a.ede or "DNSSEC Bogus" in a.ede, a
    assert "validation failure <%s A IN>" % SHOP in w.resolver_log() or \
        "validation failure <%s MX IN>" % SHOP in w.resolver_log(), w.resolver_log()
    record("OUTAGE: NS to unsigned PowerDNS, old DS kept (cache let expire)", t,
           summary(got) + " (EDE %s)" % got["A"].ede.split(":")[0])


def test_5_rollback_to_the_old_provider():
    t = time.time()
    w = world["w"]
    w.set_delegation(SHOP, w.old_ns(), w.old_ds(SHOP))
    w.flush()
    got = verdicts(SHOP)
    assert all(a.verdict == "secure" for a in got.values()), got
    assert got["A"].answers == OLD_A, got
    record("rollback: NS back to the old provider (resolver flushed)", t, summary(got))


def test_6_safe_order_a_never_bogus():
    w = world["w"]
    never_bogus = lambda t_, a: a.verdict in ("secure", "insecure")  # noqa: E731
    # 1. The DS removed at the TLD (the old provider still serves the signed zone).
    t = time.time()
    w.set_delegation(SHOP, w.old_ns(), [])
    removed = time.time()
    old = lambda t_, a: a.answers == (OLD_A if t_ == "A" else OLD_MX)  # noqa: E731
    new = lambda t_, a: a.answers == (NEW_A if t_ == "A" else NEW_MX)  # noqa: E731
    got = until(lambda t_, a: a.verdict == "insecure" and old(t_, a), "the domain to go insecure",
                lambda t_, a: never_bogus(t_, a) and old(t_, a))
    record("(a) 1. DS removed at the TLD (cached DS expires)", t, summary(got))
    # 2. The DS's TTL waited out honestly: no resolver can still hold the DS.
    t = time.time()
    ds_ttl = w.ttl
    time.sleep(max(0.0, removed + ds_ttl + 1 - time.time()))
    record("(a) 2. the DS TTL (%d s) waited out" % ds_ttl, t, "-")
    # 3. NS switched to our unsigned zone: insecure all the way, the answers move to ours.
    t = time.time()
    w.set_delegation(SHOP, ours(), [])
    got = until(lambda t_, a: a.verdict == "insecure" and new(t_, a), "our answers",
                lambda t_, a: a.verdict == "insecure")
    record("(a) 3. NS switched to PowerDNS, unsigned (cached NS expires)", t, summary(got))
    # 4. Signed on PowerDNS: still insecure (no DS), never bogus.
    t = time.time()
    _, ds = pdns_sign(SHOP)
    got = verdicts(SHOP)
    assert all(a.verdict == "insecure" and a.rcode == "NOERROR" for a in got.values()), got
    record("(a) 4. signed on PowerDNS (CSK ECDSAP256SHA256), no DS yet", t, summary(got))
    # 5. Our DS published: secure again, with our data; nothing bogus on the way.
    t = time.time()
    w.set_delegation(SHOP, ours(), ds)
    got = until(lambda t_, a: a.verdict == "secure" and new(t_, a), "the domain to be secure at PowerDNS",
                lambda t_, a: never_bogus(t_, a) and new(t_, a))
    record("(a) 5. PowerDNS's DS at the TLD (cached no-DS expires)", t, summary(got))


def test_7_incremental_keeps_a_foreign_dnskey():
    """The multi-signer order's first step on the old provider's side: Knot (incremental
    DNSKEY management) publishes our DNSKEY beside its own and signs the set; with both DS
    at the TLD the zone stays secure."""
    t = time.time()
    w = world["w"]
    pdns_zone(MULTI, "192.0.2.83")
    our_key, our_ds = pdns_sign(MULTI)
    old_ds = w.old_ds(MULTI)
    w.set_delegation(MULTI, w.old_ns(), old_ds)
    assert w.resolve(MULTI, "A").verdict == "secure"
    w.old_add_dnskey(MULTI, our_key)
    keys = w.old_dnskeys(MULTI)
    assert norm_dnskey(our_key) in keys and len(keys) == 2, keys
    assert w.old_ds(MULTI) == old_ds, "the foreign key is not the old provider's own"
    w.set_delegation(MULTI, w.old_ns(), old_ds + our_ds)
    w.flush()
    got = {"A": w.resolve(MULTI, "A"), "DNSKEY": w.resolve(MULTI, "DNSKEY")}
    assert got["A"].verdict == "secure" and got["A"].answers == ["203.0.113.83"], got
    assert got["DNSKEY"].verdict == "secure" and len(got["DNSKEY"].answers) == 2, got
    record("incremental: our DNSKEY in the old zone, both DS at the TLD", t, summary(got))


harness.main(globals(), WORK, last=())
