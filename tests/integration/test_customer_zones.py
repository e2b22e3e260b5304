#!/usr/bin/env python3
"""Issue 15's acceptance corpus: realistic customer zones (tests/customer-zones/*.zone) and
their expected migration outcome per pattern and services (tests/customer-zones/expected.json,
whose "about" says what each field means).

  files  (no server): every case of the data through `zonegen generate` with `import_from`
         the zone: the exit code and issue 15's findings as the data says; for a success,
         the new zone loads in BIND and Knot, holds none of the old addresses listed, moves
         and keeps what the data lists, and for B and C equals the old zone with exactly
         the printed customer_changes applied (rrset by rrset), SOA kept with a greater
         serial (RFC 1982), the customer's NS (B: plus our secondary at their NS TTL).
  live   (servers, in the network namespace): for each zone's `live` pattern-B case, a
         BIND primary serves the old zone, our PowerDNS secondary is set up by `zonegen
         apply` and transfers it; the change list (not zonegen's printed zone) is applied
         to the primary's zone and reloaded; the secondary follows the NOTIFY and serves
         exactly the changed zone at the new serial.

Usage: test_customer_zones.py ZONEGEN SOURCE_DIR WORKDIR files|live"""
import ipaddress, json, os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Bind, soa_serial
from harness import (CAPTURED, fresh_dir, make_zg, run, start_our_servers, stop_all, test_no_output_ever_holds_the_key,
                     wait_for, write)

ZG, SRC, WORK, MODE = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
zg = make_zg(ZG, SRC)
CORPUS = os.path.join(SRC, "tests", "customer-zones")
DATA = json.load(open(os.path.join(CORPUS, "expected.json")))
SERVER = DATA["server"]
SERVER_ADDRS = {str(ipaddress.ip_address(a)) for a in SERVER.get("ipv4", []) + SERVER.get("ipv6", [])}
ISSUE15 = set(DATA["checks"])
DNSSEC_TYPES = {"DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY"}
world = {}
RESULTS = []  # (case, problems), for the summary at the end


# ---- zones as sets of records, canonical (ldns-read-zone -c: RFC 4034 6.2) ----------------

def ldns_canon(path):
    """The records of the zone file PATH as {(owner, type): (ttls, {rdata})}, canonical."""
    r = subprocess.run(["ldns-read-zone", "-c", path], capture_output=True, text=True)
    if r.returncode:
        raise AssertionError("ldns-read-zone %s: %s" % (path, r.stderr.strip()))
    rrsets = {}
    for line in r.stdout.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        f = line.split(None, 4)
        owner, ttl, rtype, rdata = f[0].lower(), int(f[1]), f[3].upper(), f[4] if len(f) > 4 else ""
        ttls, rds = rrsets.setdefault((owner, rtype), (set(), set()))
        ttls.add(ttl)
        rds.add(rdata)
    return rrsets


def canon_rdata(origin, items, workdir):
    """Canonical rdata of ITEMS [(type, rdata text as zonegen or the data gives it)], in order,
    read by ldns under ORIGIN (so a relative name means what it means in the zone)."""
    if not items:
        return []
    lines = ["$ORIGIN %s" % origin]
    for i, (rtype, rdata) in enumerate(items):
        # ldns keeps one SOA per file: SOA rdata is made canonical by canon_soa.
        if rtype.upper() == "SOA":
            continue
        lines.append("r%d.canon.invalid. 3600 IN %s %s" % (i, rtype, rdata))
    path = write(os.path.join(workdir, "canon-aux.zone"), "\n".join(lines) + "\n")
    got = ldns_canon(path)
    out = []
    for i, (rtype, rdata) in enumerate(items):
        if rtype.upper() == "SOA":
            out.append(canon_soa(rdata, origin))
            continue
        rds = got.get(("r%d.canon.invalid." % i, rtype.upper()), (None, set()))[1]
        if len(rds) != 1:
            raise AssertionError("cannot read %s %r" % (rtype, items[i][1]))
        out.append(next(iter(rds)))
    return out


def canon_soa(rdata, origin):
    f = rdata.split()
    if len(f) != 7 or not all(x.isdigit() for x in f[2:]):
        raise AssertionError("cannot read SOA %r" % rdata)
    return " ".join([abs_name(f[0], origin), abs_name(f[1], origin)] + [str(int(x)) for x in f[2:]])


def abs_name(rel, origin):
    if rel == "@":
        return origin
    return rel.lower() if rel.endswith(".") else rel.lower() + "." + origin


def zone_text(rrsets, origin):
    soa = [(k, v) for k, v in rrsets.items() if k[1] == "SOA"]
    rest = sorted((k, v) for k, v in rrsets.items() if k[1] != "SOA")
    lines = ["$ORIGIN %s" % origin]
    for (owner, rtype), (ttls, rds) in soa + rest:
        for rd in sorted(rds):
            lines.append("%s %d IN %s %s" % (owner, min(ttls), rtype, rd))
    return "\n".join(lines) + "\n"


# ---- small DNS helpers ----------------------------------------------------------------

def txt_value(rdata):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', rdata))


def norm_token(tok):
    tok = tok.strip('"').lower()
    for prefix in ("ip4:", "ip6:", "a:", "mx:", "include:", "+ip4:", "~ip4:", "-ip4:", "?ip4:"):
        if tok.startswith(prefix):
            tok = tok[len(prefix):]
    tok = tok.split("/")[0].rstrip(".")
    try:
        return str(ipaddress.ip_address(tok))
    except ValueError:
        return tok


def norm_gone(x):
    try:
        return str(ipaddress.ip_address(x))
    except ValueError:
        return x.lower().rstrip(".")


def resolve(rrsets, name, depth=0):
    """The addresses NAME has inside the zone (following CNAMEs in it; a CNAME to the
    server's name counts as its addresses); None when it leads out of the zone."""
    if depth > 8:
        return None
    if (name, "CNAME") in rrsets:
        target = next(iter(rrsets[(name, "CNAME")][1])).lower()
        if target.rstrip(".") == SERVER["name"].lower():
            return set(SERVER_ADDRS)
        if not any(k[0] == target for k in rrsets):
            return None
        return resolve(rrsets, target, depth + 1)
    addrs = set()
    for t in ("A", "AAAA"):
        addrs |= {str(ipaddress.ip_address(r)) for r in rrsets.get((name, t), (None, set()))[1]}
    return addrs


def rfc1982_greater(new, old):
    return new != old and ((new > old and new - old < 2 ** 31) or (new < old and old - new > 2 ** 31))


def soa_fields(rrsets, origin):
    rd = next(iter(rrsets[(origin, "SOA")][1])).split()
    return rd[0].lower(), rd[1].lower(), int(rd[2]), [int(x) for x in rd[3:7]]


_profile_cache = {}


def our_pattern_b_secondary(profile):
    """The name of the profile's pattern_b secondary, read from `zonegen profile`."""
    if profile not in _profile_cache:
        text = open(profile).read() if profile else subprocess.run([ZG, "profile"], capture_output=True, text=True,
                                                                   check=True).stdout
        name = None
        for line in text.splitlines():
            m = re.match(r"\s*-?\s*name:\s*(\S+)", line)
            if m:
                name = m.group(1)
            if re.match(r"\s*pattern_b:\s*true", line):
                _profile_cache[profile] = name.lower().rstrip(".") + "."
        assert profile in _profile_cache, "no pattern_b secondary in the profile"
    return _profile_cache[profile]


# ---- the spec of one case -------------------------------------------------------------

def customer_nameservers(zone, old):
    if "customer_nameservers" in zone:
        return zone["customer_nameservers"]
    origin = zone["domain"] + "."
    out = []
    for ns in sorted(old[(origin, "NS")][1]):
        if ns == origin or ns.endswith("." + origin):
            v4 = sorted(old.get((ns, "A"), (0, set()))[1])
            v6 = sorted(old.get((ns, "AAAA"), (0, set()))[1])
            out.append(dict({"name": ns.rstrip(".")}, **({"ipv4": v4} if v4 else {}), **({"ipv6": v6} if v6 else {})))
        else:
            out.append(ns.rstrip("."))
    return out


def write_case(zone, case, casedir, old, primary=None):
    os.makedirs(casedir, exist_ok=True)
    shutil.copy(os.path.join(CORPUS, zone["file"]), os.path.join(casedir, zone["file"]))
    spec = {"domain": zone.get("spec_domain", zone["domain"]), "dns_pattern": case["pattern"],
            "registrar": zone["registrar"], "server": SERVER, "services": case["services"],
            "import_from": zone["file"]}
    if case["pattern"] == "B":
        spec["customer_primary"] = [primary or zone["customer_primary"]]
    if case["pattern"] in ("B", "C"):
        spec["customer_nameservers"] = customer_nameservers(zone, old)
    spec.update(case.get("spec", {}))
    return write(os.path.join(casedir, "spec.json"), json.dumps(spec, ensure_ascii=False, indent=1) + "\n")


def case_name(zone, case, i):
    extra = "+" + "+".join(sorted(case.get("spec", {}))) if case.get("spec") else ""
    return "%s %s %s%s #%d" % (zone["domain"], case["pattern"], "+".join(case["services"]), extra, i)


# ---- the checks -----------------------------------------------------------------------

def check_findings(case, findings, old, origin, problems):
    errs = {f["check"] for f in findings if f.get("severity") == "error"}
    warns = {f["check"] for f in findings if f.get("severity") == "warning"}
    want_e, want_w = set(case["errors"]), set(case["warnings"])
    if errs & ISSUE15 != want_e & ISSUE15:
        problems.append("issue-15 errors %s, expected %s" % (sorted(errs & ISSUE15), sorted(want_e & ISSUE15)))
    if warns & ISSUE15 != want_w & ISSUE15:
        problems.append("issue-15 warnings %s, expected %s" % (sorted(warns & ISSUE15), sorted(want_w & ISSUE15)))
    other = errs - want_e - ISSUE15
    if other:
        problems.append("unexpected errors: %s" % "; ".join(
            "%s: %s" % (f["check"], f.get("message", "")[:200]) for f in findings if f["check"] in other))
    for f in findings:
        msg = f.get("message", "")
        if f["check"] == "mx-external":
            targets = [t.split()[1].rstrip(".") for t in old.get((origin, "MX"), (0, set()))[1]]
            missing = [t for t in targets if t not in msg]
            if missing or "replace_external_mx" not in msg or "services" not in msg:
                problems.append("mx-external message must name the targets %s and both ways out (services, "
                                "replace_external_mx): %r" % (missing or targets, msg))
        if f["check"] == "caa-forbids-ca" and "letsencrypt.org" not in msg:
            problems.append("caa-forbids-ca message does not name letsencrypt.org: %r" % msg)
    return sorted(warns - ISSUE15)


def loads_in_bind_and_knot(path, origin, problems):
    r = subprocess.run(["named-checkzone", "-k", "fail", "-i", "local", origin, path], capture_output=True, text=True)
    if r.returncode:
        problems.append("named-checkzone refuses the new zone: " + (r.stdout + r.stderr).strip()[-600:])
    r = subprocess.run(["kzonecheck", "-o", origin, path], capture_output=True, text=True)
    if r.returncode:
        problems.append("kzonecheck refuses the new zone: " + (r.stdout + r.stderr).strip()[-600:])


def check_content(zone, case, old, new, origin, casedir, problems):
    rel = lambda n: abs_name(n, origin)
    # No record points at an address or host that must be gone. (Not SPF terms: the old
    # mail host may still send during the parallel operation; its ip4: goes when it is
    # cancelled.)
    gone = {norm_gone(g) for g in case.get("gone", [])}
    for (owner, rtype), (_, rds) in sorted(new.items()):
        if rtype == "TXT":
            continue
        for rd in rds:
            hit = {norm_token(t) for t in re.split(r'[\s"]+', rd) if t} & gone
            if hit:
                problems.append("still names %s: %s %s %s" % (sorted(hit), owner, rtype, rd))
    # Moved names resolve to the managed server.
    for n in case.get("to_server", []):
        addrs = resolve(new, rel(n))
        if not addrs or not addrs <= SERVER_ADDRS or not set(SERVER["ipv4"]) <= addrs:
            problems.append("%s resolves to %s, not the managed server %s" % (rel(n), addrs, sorted(SERVER_ADDRS)))
    if case.get("mail"):
        mx = new.get((origin, "MX"), (0, set()))[1]
        if not mx:
            problems.append("no MX at the apex, though mail moves to the managed server")
        for rd in sorted(mx):
            target = rd.split()[1].lower()
            addrs = resolve(new, target) if target != "." else None
            if target.rstrip(".") != SERVER["name"] and (not addrs or not addrs <= SERVER_ADDRS):
                problems.append("MX %s leads to %s, not the managed server" % (rd, addrs))
    # Untouched rrsets.
    for owner, rtype in zone.get("always_kept", []) + case.get("kept", []):
        key = (rel(owner), rtype)
        if key not in old:
            problems.append("DATA: kept %s %s is not in the old zone" % key)
        elif new.get(key) != old[key]:
            problems.append("%s %s changed: %s -> %s" % (key[0], rtype, sorted(old[key][1]),
                                                         sorted(new[key][1]) if key in new else "(gone)"))
    has = case.get("has", [])
    for (owner, rtype, _), want in zip(has, canon_rdata(origin, [(h[1], h[2]) for h in has], casedir)):
        if want not in new.get((rel(owner), rtype), (0, set()))[1]:
            problems.append("missing %s %s %s" % (rel(owner), rtype, want))
    apex_txt = [txt_value(rd) for rd in new.get((origin, "TXT"), (0, set()))[1]]
    for s in case.get("apex_txt_has", []):
        if not any(s in t for t in apex_txt):
            problems.append("no apex TXT holds %r: %s" % (s, apex_txt))
    for t in case.get("absent_types", []):
        found = [k for k in new if k[1] == t]
        if found:
            problems.append("%s records remain: %s" % (t, found[:3]))
    # Generic: one SPF per name (RFC 7208 3.2), one TTL per rrset (RFC 2181 5.2).
    for (owner, rtype), (ttls, rds) in new.items():
        if rtype == "TXT" and sum(txt_value(rd).lower().startswith("v=spf1") for rd in rds) > 1:
            problems.append("two SPF records at %s" % owner)
        if len(ttls) > 1 and rtype != "RRSIG":  # RRSIGs take the TTL of the rrset each covers
            problems.append("%s %s has TTLs %s" % (owner, rtype, sorted(ttls)))


def check_soa_ns(case, old, new, origin, profile, problems):
    if (origin, "SOA") not in new:
        problems.append("no SOA")
        return
    o_m, o_r, o_serial, o_t = soa_fields(old, origin)
    n_m, n_r, n_serial, n_t = soa_fields(new, origin)
    old_ns, new_ns = old[(origin, "NS")], new.get((origin, "NS"), (set(), set()))
    if case["pattern"] == "A":
        return
    if (n_m, n_r, n_t) != (o_m, o_r, o_t) or new[(origin, "SOA")][0] != old[(origin, "SOA")][0]:
        problems.append("the customer's SOA was not kept: %s -> %s" % (sorted(old[(origin, "SOA")][1]),
                                                                      sorted(new[(origin, "SOA")][1])))
    if not rfc1982_greater(n_serial, o_serial):
        problems.append("serial %d is not greater than the old %d (RFC 1982)" % (n_serial, o_serial))
    want = set(old_ns[1]) | ({our_pattern_b_secondary(profile)} if case["pattern"] == "B" else set())
    if new_ns[1] != want or new_ns[0] != old_ns[0]:
        problems.append("apex NS %s TTL %s, expected %s TTL %s" % (sorted(new_ns[1]), sorted(new_ns[0]),
                                                                   sorted(want), sorted(old_ns[0])))


def apply_changes(old, changes, origin, casedir, problems):
    """OLD with CHANGES applied rrset by rrset (as the README defines customer_changes)."""
    items = []
    for ch in changes:
        items += [(ch.get("type", ""), rd) for rd in ch.get("before", []) + ch.get("after", [])]
    canon = iter(canon_rdata(origin, items, casedir))
    new = {k: (set(v[0]), set(v[1])) for k, v in old.items()}
    seen = set()
    for ch in changes:
        before = {next(canon) for _ in ch.get("before", [])}
        after = {next(canon) for _ in ch.get("after", [])}
        key = (str(ch.get("owner")).lower(), str(ch.get("type")).upper())
        act = ch.get("action")
        where = "change %s %s %s" % (act, key[0], key[1])
        if not ch.get("reason"):
            problems.append(where + ": no reason")
        if key in seen:
            problems.append(where + ": a second change to the same rrset")
        seen.add(key)
        if not isinstance(ch.get("ttl"), int):
            problems.append(where + ": no integer ttl (%r)" % ch.get("ttl"))
            ch = dict(ch, ttl=-1)
        if act == "add":
            if key in old:
                problems.append(where + ": the rrset exists already (%s)" % sorted(old[key][1]))
            if before or not after:
                problems.append(where + ": an add has before %s, after %s" % (sorted(before), sorted(after)))
            new[key] = ({int(ch["ttl"])}, after)
        elif act in ("replace", "delete"):
            if key not in old:
                problems.append(where + ": no such rrset in the old zone")
            elif before != old[key][1]:
                problems.append(where + ": before %s, but the old zone has %s" % (sorted(before), sorted(old[key][1])))
            if act == "replace":
                if not after:
                    problems.append(where + ": a replace with nothing after")
                new[key] = ({int(ch["ttl"])}, after)
            else:
                if after:
                    problems.append(where + ": a delete with after %s" % sorted(after))
                new.pop(key, None)
        else:
            problems.append("unknown action %r" % act)
    return new


def compare_zones(want, got, what, problems):
    for key in sorted(set(want) | set(got)):
        if want.get(key) != got.get(key):
            problems.append("%s: %s %s is %s, expected %s" % (
                what, key[0], key[1], (sorted(got[key][0]), sorted(got[key][1])) if key in got else "absent",
                (sorted(want[key][0]), sorted(want[key][1])) if key in want else "absent"))


def run_case(zone, case, i, profile=None):
    """Runs one case; returns (problems, notes, the new zone applied from the change list)."""
    origin = zone["domain"] + "."
    casedir = os.path.join(WORK, "cases", "%s-%s-%d" % (zone["domain"], case["pattern"], i))
    shutil.rmtree(casedir, ignore_errors=True)
    old = ldns_canon(os.path.join(CORPUS, zone["file"]))
    spec = write_case(zone, case, casedir, old, world.get("primary_addr"))
    P = ["--profile", profile] if profile else []
    problems, notes = [], []
    r = zg("generate", spec, "--format", "json", *P)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        doc = None
    if r.returncode != case["exit"]:
        err = (doc or {}).get("error") or {}
        why = err.get("message") or "; ".join("%s: %s" % (f["check"], f.get("message", "")) for f in
                                              (doc or {}).get("findings", []) + err.get("findings", []))
        problems.append("exit %d, expected %d: %s" % (r.returncode, case["exit"], (why or r.stderr)[-800:]))
    if doc is None:
        problems.append("--format json printed no JSON: %r" % r.stdout[:300])
        return problems, notes, None
    findings = doc.get("findings") or (doc.get("error") or {}).get("findings") or []
    notes += check_findings(case, findings, old, origin, problems)
    if r.returncode != 0 or case["exit"] != 0:
        return problems, notes, None
    z = zg("generate", spec, "--format", "zone", *P)
    if z.returncode != 0:
        problems.append("--format zone exit %d: %s" % (z.returncode, z.stderr[-500:]))
        return problems, notes, None
    if "text" in doc and doc["text"] != z.stdout:
        problems.append("the JSON's text differs from --format zone")
    path = write(os.path.join(casedir, "new.zone"), z.stdout)
    loads_in_bind_and_knot(path, origin, problems)
    try:
        new = ldns_canon(path)
    except AssertionError as e:
        problems.append(str(e))
        return problems, notes, None
    check_content(zone, case, old, new, origin, casedir, problems)
    check_soa_ns(case, old, new, origin, profile, problems)
    applied = None
    if case["pattern"] in ("B", "C"):
        changes = doc.get("customer_changes")
        if not isinstance(changes, list):
            problems.append("no customer_changes in the JSON")
        else:
            applied = apply_changes(old, changes, origin, casedir, problems)
            compare_zones(new, applied, "the old zone with customer_changes applied", problems)
            if not changes:
                problems.append("customer_changes is empty")
    return problems, notes, applied


def case_test(zone, case, i):
    def t():
        problems, notes, _ = run_case(zone, case, i)
        RESULTS.append((case_name(zone, case, i), problems))
        if notes:
            print("  note: other warnings: %s" % ", ".join(notes))
        assert not problems, "\n  " + "\n  ".join(problems)
    t.__name__ = "test_" + case_name(zone, case, i)
    return t


def test_data_is_consistent():
    """The data itself: every zone file loads in BIND and Knot, every case names its
    pattern, services and exit, a kept rrset exists in the old zone and holds no gone
    address, the live cases are pattern-B successes."""
    names = set()
    for z in DATA["zones"]:
        origin = z["domain"] + "."
        path = os.path.join(CORPUS, z["file"])
        problems = []
        loads_in_bind_and_knot(path, origin, problems)
        assert not problems, (z["file"], problems)
        old = ldns_canon(path)
        for i, c in enumerate(z["cases"]):
            assert c["pattern"] in "ABC" and c["services"] and c["exit"] in (0, 1, 2), c
            assert set(c["errors"] + c["warnings"]) <= ISSUE15 | set(), c
            assert (c["exit"] == 1) == bool(c["errors"]), c
            if c.get("live"):
                assert c["pattern"] == "B" and c["exit"] == 0, c
            gone = {norm_gone(g) for g in c.get("gone", [])}
            for owner, rtype in z["always_kept"] + c.get("kept", []):
                key = (abs_name(owner, origin), rtype)
                assert key in old, (z["file"], key)
                for rd in old[key][1]:
                    assert not {norm_token(t) for t in rd.split()} & gone, (z["file"], key, rd)
            names.add(case_name(z, c, i))
    assert len(DATA["zones"]) >= 12 and len(names) == sum(len(z["cases"]) for z in DATA["zones"])


# ---- live: pattern B against BIND and our PowerDNS secondary ----------------------------

def live_cases():
    return [(z, c, i) for z in DATA["zones"] for i, c in enumerate(z["cases"]) if c.get("live")]


def setup_live():
    p, s = start_our_servers(world, ZG, WORK)
    zones = {}
    for z, c, i in live_cases():
        zones[z["domain"] + "."] = (open(os.path.join(CORPUS, z["file"])).read(), ["127.0.0.1"],
                                    ["127.0.0.1 port %d" % s.dns_port])
    world["bind"] = b = Bind(os.path.join(WORK, "bind"), zones)
    world["primary_addr"] = "127.0.0.1:%d" % b.port


def axfr(port, zone, path):
    r = subprocess.run(["dig", "+noall", "+answer", "+time=10", "+tries=1", "-p", str(port), "@127.0.0.1", zone, "AXFR"],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    # An AXFR repeats the SOA at its end.
    write(path, "\n".join(lines[:-1] if len(lines) > 1 else lines) + "\n")
    return ldns_canon(path)


def live_test(zone, case, i):
    def t():
        s, b = world["secondary"], world["bind"]
        origin = zone["domain"] + "."
        old = ldns_canon(os.path.join(CORPUS, zone["file"]))
        old_serial = soa_fields(old, origin)[2]
        casedir = os.path.join(WORK, "cases", "%s-%s-%d" % (zone["domain"], case["pattern"], i))
        problems, _, applied = run_case(zone, case, i, world["profile"])
        # The live proof runs whenever there is a change list to apply; the file checks'
        # problems fail the test at the end.
        assert applied, "no change list to apply:\n  " + "\n  ".join(problems)
        spec = os.path.join(casedir, "spec.json")
        d = json.loads(zg("apply", spec, "--yes", "--format", "json", "--wait-transfer", str(DEADLINE),
                          "--profile", world["profile"], check=0).stdout)
        assert d["transfer"] == "ok", d
        wait_for(lambda: soa_serial(s.dns_port, origin) == old_serial, "our secondary to hold the old zone")
        # The change list applied to the customer's primary, and reloaded: BIND notifies.
        new_serial = soa_fields(applied, origin)[2]
        b.update_zone(origin, zone_text(applied, origin))
        wait_for(lambda: soa_serial(b.port, origin) == new_serial, "BIND to serve the changed zone")
        wait_for(lambda: soa_serial(s.dns_port, origin) == new_serial, "our secondary to follow the NOTIFY")
        served = axfr(s.dns_port, origin, os.path.join(casedir, "secondary.zone"))
        diff = []
        # Exactly the changed zone, but for the DNSSEC records of a signed one: PowerDNS
        # serves a presigned zone's NSEC and RRSIGs itself (their TTLs, and an NSEC for a
        # name the customer's signer has not yet covered); its keys must be the customer's.
        unsigned = lambda z: {k: v for k, v in z.items() if k[1] not in DNSSEC_TYPES}
        compare_zones(unsigned(applied), unsigned(served), "our secondary", diff)
        keys = lambda z: {k: v[1] for k, v in z.items() if k[1] == "DNSKEY"}
        if keys(applied) != keys(served):
            diff.append("our secondary's DNSKEYs %s, the primary's %s" % (keys(served), keys(applied)))
        assert not diff, "\n  " + "\n  ".join(diff)
        # And it holds none of the old addresses the data lists.
        check_content(zone, case, old, served, origin, casedir, diff)
        assert not diff, "\n  " + "\n  ".join(diff)
        assert not problems, "served as changed, but the file checks fail:\n  " + "\n  ".join(problems)
    t.__name__ = "test_live " + case_name(zone, case, i)
    return t


if __name__ == "__main__":
    if MODE == "files":
        fresh_dir(WORK)
        tests = [test_data_is_consistent] + [case_test(z, c, i) for z in DATA["zones"]
                                             for i, c in enumerate(z["cases"])]
        rc = run(tests, lambda: None, lambda: None)
        print("\nSummary by case (the first problem of each failing one):")
        for name, problems in RESULTS:
            print("  %-4s %s%s" % ("FAIL" if problems else "ok", name, ": " + " ".join(problems[0].split())[:200] if problems else ""))
        sys.exit(rc)
    if MODE == "live":
        tests = [live_test(z, c, i) for z, c, i in live_cases()] + [test_no_output_ever_holds_the_key]
        sys.exit(run(tests, setup_live, lambda: stop_all(world, ("bind", "secondary", "primary"))))
    sys.exit("usage: test_customer_zones.py ZONEGEN SOURCE_DIR WORKDIR files|live")
