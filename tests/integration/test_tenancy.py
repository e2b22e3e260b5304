#!/usr/bin/env python3
"""Tenancy against real servers (issue 14, items 1 and 4): a PowerDNS primary and secondary
and BIND as customers' primaries, on loopback. One customer never reaches another's zone or
TSIG key: the account in PowerDNS's zone `account`, TSIG keys that are plan steps and never
overwrite another zone's, and the control panel's mode (control_panel: true), where another
account's zone, in any spelling, changes nothing and exits 4. Usage:
  test_tenancy.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, shutil, sys, urllib.error

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Bind, Pdns, soa_serial
import harness
from harness import CAPTURED, api, customer_zone, loopback_profile, make_zg, start_our_servers, step_of, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
world = {}

# Test-only TSIG secrets (base64): the victim's, the attacker's, a rotated one.
VICTIM_SECRET = "dmljdGltLXNlY3JldC1mb3Item9uZWdlbi10ZW5hbmN5LXRlc3Q="
ATTACKER_SECRET = "YXR0YWNrZXItc2VjcmV0LWZvci16b25lZ2VuLXRlbmFuY3k="
ROTATED_SECRET = "cm90YXRlZC1zZWNyZXQtZm9yLXpvbmVnZW4tdGVuYW5jeQ=="
SECRETS = (VICTIM_SECRET, ATTACKER_SECRET, ROTATED_SECRET)

LEGACY_KEY = "xfr-shared-zonegen-test"  # a key named outside any domain, as before issue 14
VICTIM_B = "victim-b-zonegen-test.org"
VICTIM_A = "victim-panel-zonegen-test.com"
VICTIM_TXT = "victim-only-zonegen-marker"
SECONDARY_ONLY = "victim-secondary-zonegen-test.org"  # a pattern-B zone: on our secondary only
EDITED = "edited-plan-zonegen-test.org"

# Every spelling that maps to the same domain (issue 14, item 4).
def spellings(domain):
    label, rest = domain.split(".", 1)
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in domain)
    return {
        "canonical": domain,
        "full-width": full,
        "soft hyphen": label[:3] + "\u00ad" + label[3:] + "." + rest,
        "zero-width space": label[:3] + "\u200b" + label[3:] + "." + rest,
        "ideographic full stop": domain.replace(".", "\u3002"),
        "upper case": domain.upper(),
        "trailing dot": domain + ".",
    }


def setup():
    p, s = start_our_servers(world, ZG, WORK)
    # The secrets the specs name live under the test's directory (secrets_dir).
    write(world["profile"], open(world["profile"]).read() + "secrets_dir: %s\n" % os.path.abspath(WORK))
    # The control panel's profile: the same servers, control_panel: true.
    world["panel"] = write(os.path.join(WORK, "panel.yaml"), open(world["profile"]).read() + "control_panel: true\n")
    world["bind"] = Bind(os.path.join(WORK, "bind"), {
        VICTIM_B + ".": (customer_zone(VICTIM_B, 1), ['key "%s"' % LEGACY_KEY], []),
        "keys-zonegen-test.org.": (customer_zone("keys-zonegen-test.org", 1), ['key "xfr.keys-zonegen-test.org"'], []),
        "b-account-zonegen-test.org.": (customer_zone("b-account-zonegen-test.org", 1), ["127.0.0.1"], []),
        SECONDARY_ONLY + ".": (customer_zone(SECONDARY_ONLY, 1), ["127.0.0.1"], []),
        EDITED + ".": (customer_zone(EDITED, 1), ["127.0.0.1"], []),
    }, tsig_keys={LEGACY_KEY: ("hmac-sha256", VICTIM_SECRET),
                  "xfr.keys-zonegen-test.org": ("hmac-sha256", VICTIM_SECRET)})
    for name, secret in (("victim", VICTIM_SECRET), ("attacker", ATTACKER_SECRET), ("rotated", ROTATED_SECRET)):
        world[name + "_key"] = write(os.path.join(WORK, "tsig", name + ".key"), secret + "\n", mode=0o600)


def teardown():
    stop_all(world, ("bind", "secondary", "primary"))


def P():
    return ["--profile", world["profile"]]


def PANEL():
    return ["--profile", world["panel"]]


def spec_a(domain, account=None, ipv4="192.0.2.10", extra=""):
    return ("domain: \"%s\"\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [%s]}\n"
            % (domain, ipv4)) + ("account: %s\n" % account if account else "") + extra


def spec_b(domain, account=None, tsig=None):
    b = world["bind"]
    return ("domain: \"%s\"\ndns_pattern: B\nregistrar: customer\nserver: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
            "customer_primary: ['127.0.0.1:%d']\ncustomer_nameservers: [ns1.dns-host.example]\n" % (domain, b.port)
            + ("account: %s\n" % account if account else "") + ("tsig: %s\n" % tsig if tsig else ""))


def spec_c(domain, account):
    return ("domain: \"%s\"\ndns_pattern: C\nregistrar: customer\nserver: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
            "customer_nameservers: [ns1.dns-host.example]\naccount: %s\n" % (domain, account))


def zone_doc(pdns, zone):
    try:
        return api(pdns, "GET", "/zones/" + zone.rstrip(".") + ".")
    except urllib.error.HTTPError as e:
        if e.code in (404, 422):
            return None
        raise


def tsig_key(pdns, name):
    try:
        return api(pdns, "GET", "/tsigkeys/" + name.rstrip(".") + ".")
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def everything(pdns):
    """What a refused command must leave as it was: every zone (records, account, serial,
    masters, keys) and every TSIG key with its secret."""
    zones = sorted(z["id"] for z in api(pdns, "GET", "/zones"))
    keys = sorted(k["id"] for k in api(pdns, "GET", "/tsigkeys"))

    def zone(z):
        doc = api(pdns, "GET", "/zones/" + z)
        for volatile in ("last_check", "notified_serial"):  # a secondary's own checks
            doc.pop(volatile, None)
        return doc
    return {"zones": {z: zone(z) for z in zones},
            "keys": {k: api(pdns, "GET", "/tsigkeys/" + k) for k in keys}}


def no_secret_printed():
    for out in CAPTURED:
        for secret in SECRETS:
            assert secret not in out, "a TSIG secret leaked: " + out[:300]


# ---- item 1: TSIG keys -------------------------------------------------------------------

def test_item1_another_domain_with_the_same_key_name_no_longer_overwrites_the_victims_key():
    """Issue 14, item 1, as reproduced on the old main: the victim's pattern-B zone transfers
    with a key; a spec for another domain naming the same key (with its own secret) used to
    PUT its secret over the victim's, unseen in the plan, breaking the victim's transfers.
    The key name here is the old kind (outside any domain), which the engineer's CLI still
    takes: the key exists with another secret and is not the attacker zone's, so exit 4."""
    s, b = world["secondary"], world["bind"]
    victim = write(os.path.join(WORK, "item1", "victim.yaml"),
                   spec_b(VICTIM_B, tsig="{name: %s, algorithm: hmac-sha256, secret_file: %s}" % (LEGACY_KEY, world["victim_key"])))
    d = json.loads(zg("apply", victim, "--yes", "--format", "json", "--wait-transfer", str(DEADLINE), *P(), check=0).stdout)
    assert d["transfer"] == "ok", d
    before = everything(s)
    attacker = write(os.path.join(WORK, "item1", "attacker.yaml"),
                     spec_b("attacker-b-zonegen-test.org",
                            tsig="{name: %s, algorithm: hmac-sha256, secret_file: %s}" % (LEGACY_KEY, world["attacker_key"])))
    for cmd in (["apply", attacker, "--yes"], ["plan", attacker], ["apply", attacker, "--yes", "--force"],
                ["batch", "--action", "apply", "--yes", attacker]):
        r = zg(*cmd, *P(), check=4)
        out = r.stderr + r.stdout
        assert "TSIG key %s." % LEGACY_KEY in out and "never replaces" in out, out
    assert everything(s) == before, "a refused command changed PowerDNS"
    assert tsig_key(s, LEGACY_KEY)["key"] == VICTIM_SECRET
    # The victim's transfers still work: a new serial on its primary reaches our secondary.
    b.update_zone(VICTIM_B + ".", customer_zone(VICTIM_B, 2, 'after TXT "still transferring"\n'))
    api(s, "PUT", "/zones/%s./axfr-retrieve" % VICTIM_B)
    wait_for(lambda: soa_serial(s.dns_port, VICTIM_B) == 2, "the victim's next transfer")
    key_step = step_of(d, "tsig-key %s." % LEGACY_KEY)
    assert key_step["before"] is None and key_step["after"]["same_secret"] is True, key_step
    no_secret_printed()


def test_item1_a_spec_naming_another_zones_key_is_a_spec_error():
    """With control_panel: true a spec names only its own domain's keys: the victim's key,
    under the victim's domain or of the old kind, is exit 2 before anything is read."""
    s = world["secondary"]
    before = everything(s)
    for name in ("xfr." + VICTIM_B, LEGACY_KEY):
        spec = write(os.path.join(WORK, "item1", "panel-attacker.yaml"),
                     spec_b("attacker-b-zonegen-test.org", account="cust-attacker",
                            tsig="{name: %s, algorithm: hmac-sha256, secret_file: %s}" % (name, world["attacker_key"])))
        for cmd in (["plan", spec], ["apply", spec, "--yes", "--force"], ["generate", spec]):
            r = zg(*cmd, *PANEL(), check=2)
            assert "'tsig.name'" in r.stderr and "is not attacker-b-zonegen-test.org. or a name below it" in r.stderr, r.stderr
    assert everything(s) == before


def test_item1_a_key_under_the_domain_that_the_zone_does_not_use_is_never_replaced():
    """A key named below the attacker's own domain but made for another zone by hand (the
    victim's zone transfers with it): the attacker's zone does not use it, so exit 4."""
    s = world["secondary"]
    name = "xfr.attacker2-zonegen-test.org"
    api(s, "POST", "/tsigkeys", {"name": name, "algorithm": "hmac-sha256", "key": VICTIM_SECRET})
    api(s, "PUT", "/zones/%s." % VICTIM_B, {"slave_tsig_key_ids": [name + "."]})
    try:
        before = everything(s)
        spec = write(os.path.join(WORK, "item1", "attacker2.yaml"),
                     spec_b("attacker2-zonegen-test.org", account="cust-attacker",
                            tsig="{algorithm: hmac-sha256, secret_file: %s}" % world["attacker_key"]))
        for prof in (P(), PANEL()):
            r = zg("apply", spec, "--yes", "--force", *prof, check=4)
            assert "the zone does not transfer with it" in r.stderr, r.stderr
        assert everything(s) == before
        assert tsig_key(s, name)["key"] == VICTIM_SECRET
    finally:
        api(s, "PUT", "/zones/%s." % VICTIM_B, {"slave_tsig_key_ids": [LEGACY_KEY + "."]})


def test_key_create_and_change_are_plan_steps_and_apply_plan_refuses_a_key_changed_since():
    s = world["secondary"]
    zone, key = "keys-zonegen-test.org", "xfr.keys-zonegen-test.org."
    secret_file = write(os.path.join(WORK, "keys", "k.key"), VICTIM_SECRET + "\n", mode=0o600)
    # No tsig.name: zonegen derives xfr.<domain>.
    spec = write(os.path.join(WORK, "keys", "spec.yaml"),
                 spec_b(zone, account="cust-keys", tsig="{algorithm: hmac-sha256, secret_file: %s}" % secret_file))
    r = zg("plan", spec, "--detailed-exitcode", *PANEL(), check=10)
    assert "+ zone %s. (Slave), account cust-keys" % zone in r.stdout, r.stdout
    rel = os.path.relpath(secret_file, WORK)  # the plan records it beneath secrets_dir
    assert "+ TSIG key %s (hmac-sha256), the secret from %s" % (key, rel) in r.stdout, r.stdout
    plan = json.loads(zg("plan", spec, "--format", "json", *PANEL(), check=0).stdout)
    key_step = step_of(plan, "tsig-key " + key)
    assert key_step["before"] is None and key_step["names_secret"] is True, key_step
    assert key_step["after"] == {"algorithm": "hmac-sha256", "same_secret": True, "secret_file": rel}, key_step
    assert plan["account"] == {"before": None, "after": "cust-keys"}, plan["account"]
    d = json.loads(zg("apply", spec, "--yes", "--format", "json", "--wait-transfer", str(DEADLINE), *PANEL(), check=0).stdout)
    assert d["transfer"] == "ok", d
    assert tsig_key(s, key)["key"] == VICTIM_SECRET
    doc = zone_doc(s, zone)
    assert doc["account"] == "cust-keys" and doc["slave_tsig_key_ids"] == [key], doc
    # Unchanged: no step.
    r = zg("plan", spec, "--detailed-exitcode", *PANEL(), check=0)
    assert "TSIG" not in r.stdout, r.stdout
    assert step_of(json.loads(zg("plan", spec, "--format", "json", *PANEL(), check=0).stdout), "tsig-key " + key) is None
    # A new secret in the file: a step the reviewer sees (never the secret itself).
    open(secret_file, "w").write(ROTATED_SECRET + "\n")
    r = zg("plan", spec, "--detailed-exitcode", *PANEL(), check=10)
    assert "~ TSIG key %s (hmac-sha256), secret changed" % key in r.stdout, r.stdout
    planfile = os.path.join(WORK, "keys", "rotate.plan.json")
    zg("plan", spec, "--out", planfile, *PANEL(), check=0)
    assert step_of(json.load(open(planfile)), "tsig-key " + key)["before"] == {"algorithm": "hmac-sha256", "same_secret": False}
    # Changed behind the plan's back (now equal to the file): the plan no longer holds.
    api(s, "PUT", "/tsigkeys/" + key, {"algorithm": "hmac-sha256", "key": ROTATED_SECRET})
    r = zg("apply", "--plan", planfile, "--yes", *PANEL(), check=4)
    assert "changed since the plan" in r.stderr and "TSIG key " + key in r.stderr, r.stderr
    assert tsig_key(s, key)["key"] == ROTATED_SECRET, "the refused plan wrote"
    # The key as the plan saw it again: the reviewed plan applies exactly.
    api(s, "PUT", "/tsigkeys/" + key, {"algorithm": "hmac-sha256", "key": VICTIM_SECRET})
    zg("apply", "--plan", planfile, "--yes", *PANEL(), check=0)
    assert tsig_key(s, key)["key"] == ROTATED_SECRET
    # A key that appeared since a plan that creates one is refused too.
    newspec = write(os.path.join(WORK, "keys", "new.yaml"),
                    spec_b("keys2-zonegen-test.org", account="cust-keys",
                           tsig="{algorithm: hmac-sha256, secret_file: %s}" % secret_file))
    zg("plan", newspec, "--out", planfile, *PANEL(), check=0)
    api(s, "POST", "/tsigkeys", {"name": "xfr.keys2-zonegen-test.org", "algorithm": "hmac-sha256", "key": VICTIM_SECRET})
    r = zg("apply", "--plan", planfile, "--yes", *PANEL(), check=4)
    assert "TSIG key xfr.keys2-zonegen-test.org." in r.stderr, r.stderr
    assert zone_doc(s, "keys2-zonegen-test.org") is None
    assert tsig_key(s, "xfr.keys2-zonegen-test.org")["key"] == VICTIM_SECRET
    zg("plan", spec, "--detailed-exitcode", *PANEL(), check=0)
    no_secret_printed()


# ---- item 4: accounts and spellings --------------------------------------------------------

def victim_a():
    """The victim's pattern-A zone, made through the control panel's profile."""
    p = world["primary"]
    if zone_doc(p, VICTIM_A) is None:
        spec = write(os.path.join(WORK, "panel", "victim.yaml"),
                     spec_a(VICTIM_A, account="cust-victim", extra="records:\n  - {name: secret, type: TXT, data: %s}\n" % VICTIM_TXT))
        zg("apply", spec, "--yes", "--wait-secondaries", str(DEADLINE), *PANEL(), check=0)
    s = world["secondary"]
    wait_for(lambda: soa_serial(s.dns_port, VICTIM_A) == soa_serial(p.dns_port, VICTIM_A), "the secondary's copy")
    return p


def test_the_account_is_written_to_powerdns_on_create():
    p, s = victim_a(), world["secondary"]
    assert zone_doc(p, VICTIM_A)["account"] == "cust-victim"
    # Our secondary's copy of an A zone carries it too.
    wait_for(lambda: zone_doc(s, VICTIM_A) is not None, "the secondary's zone")
    assert zone_doc(s, VICTIM_A)["account"] == "cust-victim"
    # A pattern-B zone too (on our pattern-B secondary).
    spec = write(os.path.join(WORK, "panel", "b-new.yaml"), spec_b("b-account-zonegen-test.org", account="cust-b"))
    zg("apply", spec, "--yes", "--wait-transfer", str(DEADLINE), *PANEL(), check=0)
    assert zone_doc(s, "b-account-zonegen-test.org")["account"] == "cust-b"
    # The same spec again: nothing to do.
    zg("plan", spec, "--detailed-exitcode", *PANEL(), check=0)


def test_panel_another_accounts_zone_in_any_spelling_changes_nothing_and_exits_4():
    """The acceptance of issue 14: with the control panel's settings, a spec for another
    account's zone, in any spelling, changes nothing and exits 4 — for A (a move of its
    records), B (turning it into a Slave zone) and C (deleting it), through plan, apply,
    apply --force and batch. The account is checked first, so a spelling the panel's mode
    does not take still gets exit 4 for another account's zone."""
    p, s = victim_a(), world["secondary"]
    before = (everything(p), everything(s))
    checked = 0
    for what, domain in spellings(VICTIM_A).items():
        for kind, text in (("A", spec_a(domain, account="cust-attacker", ipv4="203.0.113.66")),
                           ("B", spec_b(domain, account="cust-attacker")),
                           ("C", spec_c(domain, "cust-attacker"))):
            spec = write(os.path.join(WORK, "panel", "attack.yaml"), text)
            for cmd in (["plan", spec], ["apply", spec, "--yes"], ["apply", spec, "--yes", "--force"],
                        ["batch", "--action", "apply", "--yes", "--force", spec]):
                r = zg(*cmd, *PANEL())
                assert r.returncode == 4, "%s, pattern %s, %s: exit %d\n%s%s" % (what, kind, cmd[0], r.returncode, r.stdout, r.stderr)
                assert "belongs to another account" in r.stdout + r.stderr, r.stdout + r.stderr
                assert "cust-victim" not in r.stdout + r.stderr, "the other account's id was shown"
                checked += 1
    assert checked == 7 * 3 * 4
    assert (everything(p), everything(s)) == before, "a refused command changed PowerDNS"


def test_panel_import_from_pdns_of_another_accounts_zone_is_refused():
    p = victim_a()
    for what, domain in spellings(VICTIM_A).items():
        spec = write(os.path.join(WORK, "panel", "import.yaml"),
                     spec_a(domain, account="cust-attacker", extra='import_from: "pdns:"\n'))
        for cmd in (["generate", spec], ["generate", spec, "--format", "json"], ["instructions", spec],
                    ["plan", spec, "--target", os.path.join(WORK, "panel", "out.zone")]):
            r = zg(*cmd, *PANEL())
            assert r.returncode == 4, "%s %s: exit %d %s" % (what, cmd[0], r.returncode, r.stderr)
            assert VICTIM_TXT not in r.stdout + r.stderr, "the other account's zone was printed"
    # import and diff of pdns: name the account with --account; the panel's mode needs it.
    src = "pdns:" + VICTIM_A
    r = zg("import", src, "--account", "cust-attacker", *PANEL(), check=4)
    assert VICTIM_TXT not in r.stdout + r.stderr
    zg("diff", src, src, "--account", "cust-attacker", *PANEL(), check=4)
    r = zg("import", src, *PANEL(), check=2)
    assert "--account" in r.stderr, r.stderr
    assert VICTIM_TXT in zg("import", src, "--account", "cust-victim", *PANEL(), check=0).stdout
    # The engineer's CLI with an account checks it too.
    zg("import", src, "--account", "cust-attacker", *P(), check=4)
    assert VICTIM_TXT in zg("import", src, *P(), check=0).stdout


def test_panel_apply_plan_edited_to_another_account_is_refused():
    p = victim_a()
    spec = write(os.path.join(WORK, "panel", "own-move.yaml"),
                 spec_a(VICTIM_A, account="cust-victim", ipv4="192.0.2.11",
                        extra="records:\n  - {name: secret, type: TXT, data: %s}\n" % VICTIM_TXT))
    planfile = os.path.join(WORK, "panel", "own.plan.json")
    zg("plan", spec, "--out", planfile, *PANEL(), check=0)
    before = everything(p)
    doc = json.load(open(planfile))
    for edit in ({"before": "cust-victim", "after": "cust-attacker"}, {"before": None, "after": "cust-attacker"},
                 {"before": "cust-attacker", "after": "cust-attacker"}):
        doc["account"] = edit
        edited = write(os.path.join(WORK, "panel", "edited.plan.json"), json.dumps(doc))
        r = zg("apply", "--plan", edited, "--yes", "--force", *PANEL(), check=4)
        assert "another account" in r.stderr or "changed since the plan" in r.stderr, r.stderr
    doc["account"] = {"before": "cust-victim", "after": None}
    write(os.path.join(WORK, "panel", "edited.plan.json"), json.dumps(doc))
    # (--force: the safety limit, which this 4-of-13 move crosses, is not what is tested.)
    zg("apply", "--plan", os.path.join(WORK, "panel", "edited.plan.json"), "--yes", "--force", *PANEL(), check=2)
    assert everything(p) == before
    # Unedited, the owner's plan applies.
    zg("apply", "--plan", planfile, "--yes", "--force", "--wait-secondaries", "0", *PANEL(), check=0)
    assert zone_doc(p, VICTIM_A)["account"] == "cust-victim"


def test_panel_takes_only_the_canonical_spelling_of_its_own_or_a_new_domain():
    p = victim_a()
    before = everything(p)
    for what, domain in spellings(VICTIM_A).items():
        if what == "canonical":
            continue
        spec = write(os.path.join(WORK, "panel", "own.yaml"), spec_a(domain, account="cust-victim"))
        for cmd in (["plan", spec], ["apply", spec, "--yes"], ["generate", spec], ["instructions", spec],
                    ["verify", spec, "--timeout-ms", "200"]):
            r = zg(*cmd, *PANEL(), check=2)
            assert "'domain'" in r.stderr and "not in canonical form" in r.stderr and \
                "'%s'" % VICTIM_A in r.stderr, r.stderr
        # The engineer's CLI keeps the friendly conversion.
        zg("plan", spec, *P(), check=0)
    # A new domain in such a spelling: exit 2, nothing created.
    new_zone = "newzone-panel-zonegen-test.com"
    for what, domain in spellings(new_zone).items():
        if what == "canonical":
            continue
        spec = write(os.path.join(WORK, "panel", "new.yaml"), spec_a(domain, account="cust-new"))
        zg("apply", spec, "--yes", *PANEL(), check=2)
    assert zone_doc(p, new_zone) is None
    assert everything(p) == before


def test_panel_needs_an_account_before_any_request():
    spec = write(os.path.join(WORK, "panel", "noaccount.yaml"), spec_a("noaccount-zonegen-test.com"))
    for cmd in (["plan", spec], ["apply", spec, "--yes"]):
        r = zg(*cmd, "--verbose", *PANEL(), check=2)
        assert "needs the customer's account" in r.stderr and " GET " not in r.stderr, r.stderr
    zg("generate", spec, *PANEL(), check=0)  # no PowerDNS: no account needed


def test_a_zone_without_account_the_engineer_adopts_the_panel_refuses():
    p = world["primary"]
    zone = "unowned-zonegen-test.com"
    zg("apply", write(os.path.join(WORK, "adopt", "plain.yaml"), spec_a(zone)), "--yes", "--wait-secondaries", "0", *P(), check=0)
    assert zone_doc(p, zone)["account"] == ""
    spec = write(os.path.join(WORK, "adopt", "owned.yaml"), spec_a(zone, account="cust-adopt"))
    before = everything(p)
    r = zg("apply", spec, "--yes", "--force", *PANEL(), check=4)
    assert "has no account" in r.stderr, r.stderr
    assert everything(p) == before
    # The engineer's plan shows the adoption as a step; apply makes it.
    r = zg("plan", spec, "--detailed-exitcode", *P(), check=10)
    assert "~ zone %s., account (none) -> cust-adopt" % zone in r.stdout, r.stdout
    plan = json.loads(zg("plan", spec, "--format", "json", *P(), check=0).stdout)
    assert plan["account"] == {"before": None, "after": "cust-adopt"} and plan["has_changes"], plan
    zg("apply", spec, "--yes", "--wait-secondaries", "0", *P(), check=0)
    assert zone_doc(p, zone)["account"] == "cust-adopt"
    zg("plan", spec, "--detailed-exitcode", *PANEL(), check=0)
    # Once owned, the engineer's CLI cannot move it to another account either, --force or not.
    other = write(os.path.join(WORK, "adopt", "other.yaml"), spec_a(zone, account="cust-other"))
    zg("apply", other, "--yes", "--force", *P(), check=4)
    assert zone_doc(p, zone)["account"] == "cust-adopt"


# ---- the secondaries and edited plans (found in review) ------------------------------------

def test_another_accounts_zone_on_our_secondary_only_is_refused():
    """A pattern-B zone lives on our secondary alone. A pattern-A spec for that domain from
    another account finds no zone on the primary; apply would have created one there and
    re-pointed the victim's Slave zone on the secondary to our primary. Every server of ours
    with an API is checked: exit 4, nothing changed on either."""
    p, s = world["primary"], world["secondary"]
    victim = write(os.path.join(WORK, "secondary-only", "victim.yaml"), spec_b(SECONDARY_ONLY, account="cust-victim-sec"))
    d = json.loads(zg("apply", victim, "--yes", "--format", "json", "--wait-transfer", str(DEADLINE), *PANEL(), check=0).stdout)
    assert d["transfer"] == "ok", d
    assert zone_doc(s, SECONDARY_ONLY)["account"] == "cust-victim-sec"
    before = (everything(p), everything(s))
    attacker = write(os.path.join(WORK, "secondary-only", "attacker.yaml"), spec_a(SECONDARY_ONLY, account="cust-attacker-sec"))
    for profile in (PANEL(), P()):
        r = zg("plan", attacker, *profile, check=4)
        assert SECONDARY_ONLY in r.stderr and "cust-victim-sec" not in r.stderr, r.stderr
        zg("apply", attacker, "--yes", "--force", *profile, check=4)
    assert (everything(p), everything(s)) == before


def test_apply_plan_checks_what_an_edited_zone_step_would_write():
    """A plan file is text: the zone apply creates is exactly its zone step's "after", and
    that is checked as any input before any write: masters a customer may not name and a
    key that is not the zone's own are refused (exit 2), and so is another account."""
    s = world["secondary"]
    spec = write(os.path.join(WORK, "edited", "spec.yaml"), spec_b(EDITED, account="cust-edited"))
    planfile = os.path.join(WORK, "edited", "plan.json")
    zg("plan", spec, "--out", planfile, *PANEL(), check=0)
    plan = json.load(open(planfile))
    zone_step = step_of(plan, "zone")
    masters = zone_step["after"]["masters"]
    before = everything(s)
    for field, value, want in (("masters", ["10.0.0.1"], "plan file: masters[0]"),
                               ("transfer_keys", [LEGACY_KEY + "."], "is not %s. or a name below it" % EDITED),
                               ("account", "cust-attacker", "another account than the plan's")):
        edited = json.loads(json.dumps(plan))
        step_of(edited, "zone")["after"][field] = value
        write(planfile, json.dumps(edited))
        r = zg("apply", "--plan", planfile, "--yes", *PANEL(), check=2)
        assert want in r.stderr, (field, r.stderr)
        assert everything(s) == before
    write(planfile, json.dumps(plan))
    zg("apply", "--plan", planfile, "--yes", *PANEL(), check=0)
    doc = zone_doc(s, EDITED)
    assert doc["masters"] == masters and not doc.get("slave_tsig_key_ids"), doc
    assert doc["account"] == "cust-edited", doc


if __name__ == "__main__":
    harness.main(globals(), WORK, tests=[
        test_item1_another_domain_with_the_same_key_name_no_longer_overwrites_the_victims_key,
        test_item1_a_spec_naming_another_zones_key_is_a_spec_error,
        test_item1_a_key_under_the_domain_that_the_zone_does_not_use_is_never_replaced,
        test_key_create_and_change_are_plan_steps_and_apply_plan_refuses_a_key_changed_since,
        test_the_account_is_written_to_powerdns_on_create,
        test_panel_another_accounts_zone_in_any_spelling_changes_nothing_and_exits_4,
        test_panel_import_from_pdns_of_another_accounts_zone_is_refused,
        test_panel_apply_plan_edited_to_another_account_is_refused,
        test_panel_takes_only_the_canonical_spelling_of_its_own_or_a_new_domain,
        test_panel_needs_an_account_before_any_request,
        test_a_zone_without_account_the_engineer_adopts_the_panel_refuses,
        test_another_accounts_zone_on_our_secondary_only_is_refused,
        test_apply_plan_checks_what_an_edited_zone_step_would_write,
        no_secret_printed,
        test_no_output_ever_holds_the_key])
