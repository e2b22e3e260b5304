#!/usr/bin/env python3
"""Domain control against a real parent: BIND on loopback serves a parent zone `test.` whose
delegations point at our name servers (ns1/ns2.example.net, the test profile's), elsewhere,
or nowhere; our PowerDNS primary and secondary hold the zones. Shown: deleting a zone is
refused (exit 4) while the parent still delegates it to us, goes through with --force and
the plan says so, and is no longer objected to once the delegation has moved away;
creating a zone the parent already delegates to us (no zone on our servers) is flagged;
a parent that cannot be asked is a warning on creation and unsafe on deletion, and fails at
once; a batch waits for a silent parent once. Usage:
  test_domain_control.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, socket, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from servers import Bind, dig
from harness import api, collect, make_zg, run, start_our_servers, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
world = {}

PARENT_ZONE = """$ORIGIN test.
$TTL 300
@ SOA a.nic.test. hostmaster.nic.test. {serial} 7200 3600 864000 300
@ NS a.nic.test.
a.nic A 127.0.0.1
; delegated to our servers
taken NS ns1.example.net.
taken NS ns2.example.net.
gone NS ns1.example.net.
gone NS ns2.example.net.
moved NS {moved}
; another name, with one of our addresses as glue
alias NS ns.alias.test.
ns.alias A 127.0.0.1
; a zone this server also serves itself (it answers with AA)
both NS ns1.example.net.
; delegated elsewhere
elsewhere NS ns.old-provider.example.
"""

BOTH_ZONE = """$ORIGIN both.test.
$TTL 300
@ SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 864000 300
@ NS ns1.example.net.
"""


def parent_zone(serial=1, moved="ns1.example.net."):
    return PARENT_ZONE.format(serial=serial, moved=moved)


def setup():
    start_our_servers(world, ZG, WORK)
    world["parent"] = Bind(os.path.join(WORK, "parent"),
                           {"test.": (parent_zone(), [], []), "both.test.": (BOTH_ZONE, [], [])})
    world["at"] = "127.0.0.1:%d" % world["parent"].port
    # The profile naming the parent (profile key parent_servers); the harness's own names a
    # closed loopback port, where nothing answers.
    prof = open(world["profile"]).read()
    assert "parent_servers: [127.0.0.1:9]" in prof, "the harness profile names no closed parent"
    world["parent_profile"] = write(os.path.join(WORK, "parent-profile.yaml"),
                                    prof.replace("parent_servers: [127.0.0.1:9]", "parent_servers: [%s]" % world["at"]))
    world["resolver_profile"] = write(os.path.join(WORK, "resolver-profile.yaml"),
                                      prof.replace("parent_servers: [127.0.0.1:9]", "parent_servers: []"))


def teardown():
    stop_all(world, ("parent", "secondary", "primary"))


def P():
    return ["--profile", world["parent_profile"]]


def spec(domain, pattern="A"):
    if pattern == "C":
        text = ("domain: %s\ndns_pattern: C\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [192.0.2.10]}\n"
                "customer_nameservers: [ns1.dns-host.example]\n" % domain)
    else:
        text = "domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [192.0.2.10]}\n" % domain
    return write(os.path.join(WORK, "specs", "%s-%s.yaml" % (domain, pattern)), text)


def plan_json(path, *extra):
    return json.loads(zg("plan", path, "--format", "json", *extra, check=0).stdout)


def exists_on_primary(zone):
    try:
        api(world["primary"], "GET", "/zones/" + zone + ".")
        return True
    except Exception as e:
        if getattr(e, "code", None) == 404:
            return False
        raise


def create_forced(domain):
    """A zone the parent delegates to us, created on purpose (--force after the check)."""
    zg("apply", spec(domain), "--yes", "--force", "--wait-secondaries", "0", *P(), check=0)
    assert exists_on_primary(domain), domain


# ---- creation ------------------------------------------------------------------------------

def test_creation_flagged_when_the_parent_already_delegates_to_us():
    f = spec("taken.test")
    d = plan_json(f, "--parent-server", world["at"], "--profile", world["profile"])  # the option beats the profile's
    g = d["delegation"]
    assert g["change"] == "create" and g["verdict"] == "ours" and g["answered"], g
    assert g["via"] == "parent_servers" and g["asked"] == [world["at"]] and g["answered_by"] == world["at"], g
    assert g["ns"] == ["ns1.example.net.", "ns2.example.net."] and g["ours"] == g["ns"], g
    assert "already delegates taken.test. to our servers" in d["unsafe"], d["unsafe"]
    assert "a former customer may have left the delegation behind" in d["unsafe"], d["unsafe"]
    r = zg("apply", f, "--yes", *P(), check=4)
    assert "takes the domain over" in r.stderr and "nothing was applied" in r.stderr, r.stderr
    assert not exists_on_primary("taken.test"), "an unsafe creation was applied"
    r = zg("apply", f, "--yes", "--force", "--wait-secondaries", "0", *P(), check=0)
    assert "(overridden by --force)" in r.stdout, r.stdout
    assert ("delegation: the parent (answered by %s) delegates taken.test. to ns1.example.net., "
            "ns2.example.net.: our servers" % world["at"]) in r.stdout, r.stdout
    assert exists_on_primary("taken.test")
    # Existing now: a re-plan asks nothing.
    assert plan_json(f, *P())["delegation"] is None


def test_creation_of_a_new_customers_domain_is_not_flagged():
    for domain, verdict, ns in (("fresh.test", "none", []), ("elsewhere.test", "elsewhere", ["ns.old-provider.example."])):
        f = spec(domain)
        d = plan_json(f, *P())
        g = d["delegation"]
        assert g["verdict"] == verdict and g["ns"] == ns and g["ours"] == [], g
        assert d["unsafe"] is None, d["unsafe"]
        assert not [x for x in d["findings"] if x["check"] == "delegation-unknown"], d["findings"]
        zg("apply", f, "--yes", "--wait-secondaries", "0", *P(), check=0)
        assert exists_on_primary(domain)
    # The parent's "no such name" names it (an authoritative NXDOMAIN carries its SOA).
    assert plan_json(spec("fresh2.test"), *P())["delegation"]["parent"] == "test."


def test_our_address_under_another_name_and_a_parent_serving_the_zone_itself():
    d = plan_json(spec("alias.test"), *P())
    assert d["delegation"]["ours"] == ["ns.alias.test. (127.0.0.1)"], d["delegation"]
    assert d["delegation"]["addresses"] == {"ns.alias.test.": ["127.0.0.1"]}, d["delegation"]
    assert "already delegates alias.test." in d["unsafe"], d["unsafe"]
    d = plan_json(spec("both.test"), *P())
    assert d["delegation"]["authoritative"] and d["delegation"]["verdict"] == "ours", d["delegation"]
    assert "already delegates both.test." in d["unsafe"], d["unsafe"]


# ---- deletion ------------------------------------------------------------------------------

def test_deletion_refused_while_delegated_and_forced_says_so():
    create_forced("gone.test")
    c = spec("gone.test", "C")
    r = zg("plan", c, "--detailed-exitcode", *P(), check=10)
    assert "- zone gone.test." in r.stdout, r.stdout
    assert ("unsafe: the parent still delegates gone.test. to our servers (ns1.example.net., ns2.example.net.): "
            "deleting it would leave a dangling delegation anyone on our shared servers could claim; change the "
            "name servers at the registrar first (--force to apply anyway)") in r.stdout, r.stdout
    r = zg("apply", c, "--yes", "--format", "json", *P(), check=4)
    err = json.loads(r.stdout)["error"]
    assert err["kind"] == "unsafe" and "dangling delegation" in err["message"], err
    assert exists_on_primary("gone.test") and dig(world["primary"].dns_port, "gone.test", "SOA"), "deleted anyway"
    # A reviewed plan keeps the verdict: refused without --force, applied with it.
    saved = os.path.join(WORK, "gone.plan.json")
    zg("plan", c, "--out", saved, *P(), check=0)
    doc = json.load(open(saved))
    assert doc["delegation"]["verdict"] == "ours" and doc["delegation"]["change"] == "delete", doc["delegation"]
    zg("apply", "--plan", saved, "--yes", *P(), check=4)
    r = zg("apply", "--plan", saved, "--yes", "--force", "--format", "json", *P(), check=0)
    out = json.loads(r.stdout)
    assert out["applied"] and out["delegation"]["verdict"] == "ours", out
    assert "dangling delegation" in out["unsafe"], out["unsafe"]
    assert not exists_on_primary("gone.test")


def test_deletion_no_longer_objected_to_once_the_delegation_moved_away():
    create_forced("moved.test")
    c = spec("moved.test", "C")
    assert "still delegates moved.test." in plan_json(c, *P())["unsafe"]
    # The customer changed the name servers at the registrar: the parent now delegates
    # elsewhere.
    world["parent"].update_zone("test.", parent_zone(2, "ns.new-provider.example."))
    wait_for(lambda: subprocess.run(["dig", "+norecurse", "+short", "-p", str(world["parent"].port), "@127.0.0.1",
                                     "test.", "SOA"], capture_output=True, text=True).stdout.split()[2:3] == ["2"],
             "the parent to serve serial 2")
    d = plan_json(c, *P())
    assert d["delegation"]["verdict"] == "elsewhere" and d["delegation"]["ns"] == ["ns.new-provider.example."], d
    # Only the safety limit every zone deletion has (--force, as before) is left.
    assert d["unsafe"] == "the plan deletes the zone moved.test.", d["unsafe"]
    r = zg("apply", c, "--yes", "--force", *P(), check=0)
    assert "delegates moved.test. to ns.new-provider.example.: not ours" in r.stdout, r.stdout
    assert not exists_on_primary("moved.test")


# ---- a parent that cannot be asked ---------------------------------------------------------

def test_parent_cannot_be_asked_warns_on_creation_and_refuses_deletion():
    closed = ["--profile", world["profile"]]  # parent_servers: [127.0.0.1:9], nothing listens
    f = spec("unasked.test")
    d = plan_json(f, *closed)
    g = d["delegation"]
    assert not g["answered"] and g["verdict"] == "unknown" and g["why"] == "127.0.0.1:9: connection refused", g
    assert d["unsafe"] is None, d["unsafe"]
    warn = [x for x in d["findings"] if x["check"] == "delegation-unknown"]
    assert warn and warn[0]["severity"] == "warning" and "connection refused" in warn[0]["message"], d["findings"]
    zg("apply", f, "--yes", "--wait-secondaries", "0", *closed, check=0)
    c = spec("unasked.test", "C")
    r = zg("apply", c, "--yes", *closed, check=4)
    assert "could not be asked" in r.stderr and "cannot be shown safe" in r.stderr, r.stderr
    assert exists_on_primary("unasked.test")
    zg("apply", c, "--yes", "--force", *closed, check=0)
    assert not exists_on_primary("unasked.test")


def test_system_resolver_out_of_reach_in_the_namespace_fails_at_once():
    # No parent_servers: the parent's servers come from /etc/resolv.conf's resolver, which
    # no packet reaches from this namespace: the failure is immediate, never a 2 s timeout.
    r = zg("plan", spec("resolver.test"), "--format", "json", "--profile", world["resolver_profile"], check=0)
    g = json.loads(r.stdout)["delegation"]
    assert g["via"] == "resolver" and not g["answered"] and g["why"], g
    assert "no answer within" not in g["why"], g["why"]
    assert r.elapsed < 3.5, "the plan took %.1f s: a resolver query waited for its timeout" % r.elapsed


def test_a_batch_waits_for_a_silent_parent_once():
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never answers
    silent.bind(("127.0.0.1", 0))
    at = "127.0.0.1:%d" % silent.getsockname()[1]
    try:
        specs = [spec("quiet%d.test" % i) for i in range(3)]
        r = zg("batch", *specs, "--action", "plan", "--jobs", "1", "--parent-server", at, *P())
        lines = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{") and '"zone"' in l]
        whys = sorted(l["plan"]["delegation"]["why"] for l in lines)
        assert len(whys) == 3, r.stdout
        assert whys.count(at + ": no answer within 2000 ms (2 tries)") == 1, whys
        assert whys.count(at + ": silent earlier in this run, not asked again") == 2, whys
        assert all(l["plan"]["unsafe"] is None for l in lines), lines
    finally:
        silent.close()


def test_bad_parent_servers_are_usage_and_input_errors():
    r = zg("plan", spec("fresh.test"), "--parent-server", "ns.example.net", *P(), check=2)
    assert "--parent-server" in r.stderr, r.stderr
    bad = write(os.path.join(WORK, "bad-profile.yaml"),
                open(world["parent_profile"]).read().replace("parent_servers: [%s]" % world["at"],
                                                             "parent_servers: [a.nic.test]"))
    r = zg("plan", spec("fresh.test"), "--profile", bad, check=2)
    assert "parent_servers[0]" in r.stderr, r.stderr


def test_a_zone_file_target_never_asks():
    target = os.path.join(WORK, "file-target.zone")
    d = plan_json(spec("taken.test"), "--target", target, *P())
    assert d["delegation"] is None and d["unsafe"] is None, d


if __name__ == "__main__":
    tests = collect(globals(), last=["test_no_output_ever_holds_the_key"])
    if len(sys.argv) > 4:
        tests = [t for t in tests if t.__name__ in sys.argv[4:] or t.__name__ == "test_no_output_ever_holds_the_key"]
    sys.exit(run(tests, setup, teardown))
