#!/usr/bin/env python3
"""The primary configuration `instructions` prints for pattern B, in real BIND, NSD, Knot and
PowerDNS primaries on loopback. For each server, four zones at once: two set up new from
`primary_config` (one with a TSIG key, one without) and two the primary already serves,
with another secondary (127.0.0.2), given `primary_config_additions` merged into their
configuration as the text says. The configuration passes the server's own check
(named-checkconf, nsd-checkconf, knotc conf-check; PowerDNS runs the pdnsutil commands on
its gsqlite3 database); our PowerDNS secondary transfers every zone (`zonegen apply`) and
follows the primary's NOTIFY after a serial bump; with a key, an unsigned transfer from our
address is refused; the other secondary still transfers. Then the same texts for a profile
whose secondary has IPv6 and port 5300 pass the checks (in English), with the port in each
server's syntax. Usage: test_primary_snippets.py ZONEGEN SOURCE_DIR WORKDIR"""
import base64, json, os, shlex, subprocess, sys

sys.path.insert(0, os.path.dirname(__file__))
from servers import DEADLINE, Bind, Knot, Nsd, Pdns, free_port, soa_serial
import harness
from harness import CAPTURED, customer_zone, make_zg, start_our_servers, stop_all, test_no_output_ever_holds_the_key, wait_for, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
world = {}
OTHER = "127.0.0.2"  # the customer's other secondary, which the additions must keep
OTHER_NOTIFY_PORT = 5399  # where the primaries notify it (nothing listens: harmless)
PLACEHOLDERS = {"ja": ("(ゾーンファイル)", "(当社からお伝えした共有鍵)"),
                "en": ("(your zone file)", "(the shared secret we sent you)")}


def setup():
    start_our_servers(world, ZG, WORK)


def teardown():
    stop_all(world, ("customer", "secondary", "primary"))


class Zone:
    """One customer zone: NEW (set up from primary_config) or not (primary_config_additions
    into an existing configuration), with a TSIG key or without."""

    def __init__(self, server, new, keyed, workdir, lang="ja"):
        self.name = "snip-%s-%s-%s.com" % (server.lower(), "new" if new else "old", "key" if keyed else "open")
        self.new, self.keyed, self.lang = new, keyed, lang
        self.key = "xfr." + self.name
        self.secret = base64.b64encode(os.urandom(32)).decode()
        self.file = write(os.path.join(workdir, self.name + ".zone"), customer_zone(self.name, 1))

    def spec(self, primary, workdir):
        """The pattern-B spec (the key's secret in a 0600 file) and the instructions' snippet
        of SERVER for it, the placeholders filled in as the customer does."""
        text = ("domain: %s\ndns_pattern: B\nregistrar: customer\nserver: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                "customer_primary: ['%s']\ncustomer_nameservers: [ns1.dns-host.example]\n" % (self.name, primary))
        if self.keyed:
            key_file = write(os.path.join(workdir, self.name + ".key"), self.secret + "\n", mode=0o600)
            text += "tsig: {algorithm: hmac-sha256, secret_file: %s}\n" % key_file
        self.spec_file = write(os.path.join(workdir, self.name + ".yaml"), text)
        return self.spec_file

    def snippet(self, server, profile):
        ins = json.loads(zg("instructions", self.spec_file, "--format", "json", "--lang", self.lang,
                            "--profile", profile, check=0).stdout)
        field = "primary_config" if self.new else "primary_config_additions"
        assert [x["server"] for x in ins[field]] == ["BIND", "NSD", "Knot", "PowerDNS"], ins[field]
        text = next(x["text"] for x in ins[field] if x["server"] == server)
        zonefile, secret = PLACEHOLDERS[self.lang]
        assert (secret in text) == self.keyed, text  # never the secret itself
        assert self.secret not in text
        if self.new:
            assert zonefile in text, text
        return text.replace(zonefile, self.file).replace(secret, self.secret)


def blocks(text):
    """The snippet as [(comment, content lines)]: each run of comment lines with the lines
    that follow it (what the comment says to do with them)."""
    out = []
    for line in text.splitlines():
        if line.startswith("#") or line.startswith("//"):
            if not out or out[-1][1]:
                out.append(["", []])
            out[-1][0] += line + "\n"
        else:
            if not out:
                out.append(["", []])
            out[-1][1].append(line)
    return [(c, ls) for c, ls in out if ls]


# ---- each server's configuration: the new zones' snippets, the existing zones merged ------

def bind_existing(z):
    return ('zone "%s" {\n    type primary;\n    file "%s";\n    allow-transfer { %s; };\n'
            "    also-notify { %s port %d; };\n};\n" % (z.name, z.file, OTHER, OTHER, OTHER_NOTIFY_PORT))


def bind_merge(existing, additions):
    top, zone = "", existing
    for comment, lines in blocks(additions):
        entries = " ".join(l.strip() for l in lines)
        if lines[0].startswith("key "):
            top += "\n".join(lines) + "\n"
        elif "allow-transfer {" in comment:
            zone = zone.replace("allow-transfer { %s; " % OTHER, "allow-transfer { %s; %s " % (OTHER, entries))
        elif "also-notify {" in comment:
            zone = zone.replace("also-notify { %s port %d; " % (OTHER, OTHER_NOTIFY_PORT),
                                "also-notify { %s port %d; %s " % (OTHER, OTHER_NOTIFY_PORT, entries))
        else:
            raise AssertionError("a BIND addition with no place to go: " + comment + "\n".join(lines))
    assert zone.count(";") > existing.count(";"), zone
    return top + zone


def bind_conf(new, old):
    return "".join(new) + "".join(bind_merge(bind_existing(z), add) for z, add in old)


def nsd_existing(z):
    return ('zone:\n    name: "%s"\n    zonefile: "%s"\n    provide-xfr: %s NOKEY\n    notify: %s@%d NOKEY\n'
            % (z.name, z.file, OTHER, OTHER, OTHER_NOTIFY_PORT))


def nsd_merge(existing, additions):
    top, zone = "", existing
    for comment, lines in blocks(additions):
        if lines[0] == "key:":
            top += "\n".join(lines) + "\n"
        elif all(l.startswith("    provide-xfr: ") or l.startswith("    notify: ") for l in lines):
            zone += "\n".join(lines) + "\n"  # the zone: clause's lines, beside the other secondary's
        else:
            raise AssertionError("an NSD addition with no place to go: " + comment + "\n".join(lines))
    return top + zone


def nsd_conf(new, old):
    return "".join(new) + "".join(nsd_merge(nsd_existing(z), add) for z, add in old)


KNOT_OTHER = ("remote:\n  - id: other-secondary\n    address: %s@%d\n"
              "acl:\n  - id: other-secondary-xfr\n    address: %s\n    action: transfer\n" % (OTHER, OTHER_NOTIFY_PORT, OTHER))


def knot_conf(new, old):
    sections, entries = KNOT_OTHER, ""
    for z, add in old:
        entry = "  - domain: %s\n    file: %s\n    notify: other-secondary\n    acl: other-secondary-xfr\n" % (z.name, z.file)
        for comment, lines in blocks(add):
            if lines[0] in ("key:", "remote:", "acl:"):
                sections += "\n".join(lines) + "\n"  # before the zone: section
            elif all(l.startswith("    notify: ") or l.startswith("    acl: ") for l in lines):
                entry += "\n".join(lines) + "\n"
            else:
                raise AssertionError("a Knot addition with no place to go: " + comment + "\n".join(lines))
        entries += entry
    return sections + ("zone:\n" + entries if entries else "") + "".join(new)


def pdnsutil(workdir, *args):
    r = subprocess.run(["pdnsutil", "--config-dir=" + workdir, *args], capture_output=True, text=True)
    assert r.returncode == 0, "pdnsutil %s: %s%s" % (" ".join(args), r.stdout, r.stderr)
    return r.stdout


def pdns_run(workdir, snippet):
    """Runs the snippet's commands (its lines that are not comments) on WORKDIR's PowerDNS."""
    cmds = [shlex.split(l) for comment, lines in blocks(snippet) for l in lines if l.strip()]
    assert cmds and all(c[0] == "pdnsutil" for c in cmds), snippet
    for c in cmds:
        pdnsutil(workdir, *c[1:])
    return cmds


def pdns_existing(workdir, z):
    pdnsutil(workdir, "load-zone", z.name, z.file)
    pdnsutil(workdir, "set-kind", z.name, "primary")
    pdnsutil(workdir, "set-meta", z.name, "ALLOW-AXFR-FROM", OTHER)
    pdnsutil(workdir, "set-meta", z.name, "ALSO-NOTIFY", "%s:%d" % (OTHER, OTHER_NOTIFY_PORT))


def meta(workdir, zone, kind):
    out = pdnsutil(workdir, "get-meta", zone, kind)
    line = next((l for l in out.splitlines() if l.startswith(kind + " = ")), kind + " = ")
    return sorted(v.strip() for v in line.split(" = ", 1)[1].split(",") if v.strip())


# ---- live: the customer's primary serves, our secondary transfers and follows NOTIFY ------

def axfr_soas(port, zone, source):
    """The SOA lines of an unsigned AXFR of ZONE from SOURCE: 2 when it is allowed, 0 when
    refused."""
    r = subprocess.run(["dig", "+tcp", "+time=10", "+tries=1", "-b", source, "-p", str(port), "@127.0.0.1", zone, "AXFR"],
                       capture_output=True, text=True)
    return [l for l in r.stdout.splitlines() if not l.startswith(";") and "\tSOA\t" in l]


def zones_for(server, workdir):
    return [Zone(server, new, keyed, workdir) for new in (True, False) for keyed in (True, False)]


def snippets_for(server, zones, port, workdir):
    for z in zones:
        z.spec("127.0.0.1:%d" % port, workdir)
    new = [z.snippet(server, world["profile"]) for z in zones if z.new]
    old = [(z, z.snippet(server, world["profile"])) for z in zones if not z.new]
    for z, add in old:  # the additions name every line's place; never a block of their own
        content = "\n".join(l for _, lines in blocks(add) for l in lines)
        assert "zone \"" + z.name + "\" {" not in content and "load-zone" not in content, add
        assert "set-meta" not in content and not content.startswith("zone:"), add
    return new, old


def transfer_and_notify(server, zones, port, bump):
    s = world["secondary"]
    for z in zones:
        d = json.loads(zg("apply", z.spec_file, "--yes", "--format", "json", "--wait-transfer", str(DEADLINE),
                          "--profile", world["profile"], check=0).stdout)
        assert d["transfer"] == "ok", (server, z.name, d)
        assert soa_serial(s.dns_port, z.name) == 1, (server, z.name)
    for z in zones:
        soas = axfr_soas(port, z.name, "127.0.0.1")  # our secondary's address, no key
        assert len(soas) == (0 if z.keyed else 2), (server, z.name, "unsigned AXFR from our address", soas)
        if not z.new:  # the other secondary keeps its transfer
            assert len(axfr_soas(port, z.name, OTHER)) == 2, (server, z.name, "the other secondary lost its transfer")
    for z in zones:
        bump(z, customer_zone(z.name, 2, 'new TXT "after notify"\n'))
    for z in zones:
        wait_for(lambda: soa_serial(s.dns_port, z.name) == 2, "%s's NOTIFY for %s to reach our secondary" % (server, z.name))
    for out in CAPTURED:
        for z in zones:
            assert z.secret not in out, "a TSIG secret leaked"


def test_bind():
    workdir = os.path.join(WORK, "bind")
    zones, port = zones_for("BIND", workdir), free_port()
    new, old = snippets_for("BIND", zones, port, workdir)
    conf = bind_conf(new, old)
    assert "allow-transfer { %s; key \"xfr.snip-bind-old-key.com\"; }" % OTHER in conf, conf
    world["customer"] = b = Bind(workdir, {}, extra_conf=conf, probe_zone=zones[0].name, port=port)  # named-checkconf first
    try:
        def bump(z, text):
            write(z.file, text)
            b.update_zone(z.name, text, path=z.file)
        transfer_and_notify("BIND", zones, port, bump)
    finally:
        b.stop()


def test_nsd():
    workdir = os.path.join(WORK, "nsd")
    zones, port = zones_for("NSD", workdir), free_port()
    new, old = snippets_for("NSD", zones, port, workdir)
    world["customer"] = n = Nsd(workdir, nsd_conf(new, old), zones[0].name, port=port)  # nsd-checkconf first
    try:
        def bump(z, text):
            write(z.file, text)
            n.reload_zone(z.name)
        transfer_and_notify("NSD", zones, port, bump)
    finally:
        n.stop()


def test_knot():
    workdir = os.path.join(WORK, "knot")
    zones, port = zones_for("Knot", workdir), free_port()
    new, old = snippets_for("Knot", zones, port, workdir)
    world["customer"] = k = Knot(workdir, knot_conf(new, old), zones[0].name, port=port)  # knotc conf-check first
    try:
        def bump(z, text):
            write(z.file, text)
            k.reload_zone(z.name)
        transfer_and_notify("Knot", zones, port, bump)
    finally:
        k.stop()


def test_powerdns():
    workdir = os.path.join(WORK, "pdns-customer")
    # The customer's PowerDNS: allow-axfr-ips emptied (its default lets loopback transfer
    # anything, and our test secondary is on loopback); NOTIFY on its own serial check.
    world["customer"] = p = Pdns(workdir, secondary_cycle=True, extra_conf="allow-axfr-ips=\nsecondary=no\n")
    try:
        zones = zones_for("PowerDNS", workdir)
        new, old = snippets_for("PowerDNS", zones, p.dns_port, workdir)
        for z, add in old:
            pdns_existing(workdir, z)
        for text in new:
            pdns_run(workdir, text)
        for z, add in old:
            pdns_run(workdir, add)
        for z in zones:
            want_allow = [] if z.keyed else ["127.0.0.1"]
            if not z.new:
                want_allow = sorted(want_allow + [OTHER])
            assert meta(workdir, z.name, "ALLOW-AXFR-FROM") == want_allow, (z.name, meta(workdir, z.name, "ALLOW-AXFR-FROM"))
            want_notify = ["127.0.0.1:%d" % world["secondary"].dns_port] + ([] if z.new else ["%s:%d" % (OTHER, OTHER_NOTIFY_PORT)])
            assert meta(workdir, z.name, "ALSO-NOTIFY") == sorted(want_notify), meta(workdir, z.name, "ALSO-NOTIFY")
            assert meta(workdir, z.name, "TSIG-ALLOW-AXFR") == ([z.key] if z.keyed else [])
        wait_for(lambda: all(soa_serial(p.dns_port, z.name) == 1 for z in zones), "the customer's PowerDNS to serve")

        def bump(z, text):
            write(z.file, text)
            pdnsutil(workdir, "load-zone", z.name, z.file)  # its serial check sends the NOTIFY
        transfer_and_notify("PowerDNS", zones, p.dns_port, bump)
    finally:
        p.stop()


def test_ipv6_and_a_port_in_each_servers_syntax():
    """A profile whose secondary has IPv6 and serves on port 5300 (documentation addresses,
    never contacted): the English texts pass the same checks, the port in each server's
    syntax, never "2001:db8:1::53:5300"."""
    workdir = os.path.join(WORK, "v6")
    prof = zg("profile", check=0).stdout.replace("    pattern_b: true\n", "    pattern_b: true\n    dns_port: 5300\n", 1)
    assert "dns_port: 5300" in prof
    profile = write(os.path.join(workdir, "profile.yaml"), prof)
    texts = {}
    zones = [Zone("v6", new, keyed, workdir, lang="en") for new in (True, False) for keyed in (True, False)]
    for z in zones:
        z.spec("198.51.100.1", workdir)
    for server in ("BIND", "NSD", "Knot", "PowerDNS"):
        new = [z.snippet(server, profile) for z in zones if z.new]
        old = [(z, z.snippet(server, profile)) for z in zones if not z.new]
        texts[server] = new + [a for _, a in old]
        for t in texts[server]:
            assert "2001:db8:1::53:5300" not in t, t
        if server == "BIND":
            conf = write(os.path.join(workdir, "named.conf"), bind_conf(new, old))
            r = subprocess.run(["named-checkconf", conf], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr + open(conf).read()
            assert "2001:db8:1::53 port 5300 key \"xfr.snip-v6-new-key.com\"" in open(conf).read()
        elif server == "NSD":
            conf = write(os.path.join(workdir, "nsd.conf"), nsd_conf(new, old))
            r = subprocess.run(["nsd-checkconf", conf], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr + open(conf).read()
            assert "notify: 2001:db8:1::53@5300 xfr.snip-v6-new-key.com" in open(conf).read()
        elif server == "Knot":
            conf = write(os.path.join(workdir, "knot.conf"), knot_conf(new, old))
            r = subprocess.run(["knotc", "-c", conf, "conf-check"], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr + open(conf).read()
            assert "address: [198.51.100.53@5300, 2001:db8:1::53@5300]" in open(conf).read()
        else:
            pd = os.path.join(workdir, "pdns")
            world["customer"] = p = Pdns(pd, extra_conf="allow-axfr-ips=\nsecondary=no\n")
            try:
                for z, add in old:
                    pdns_existing(pd, z)
                for t in new + [a for _, a in old]:
                    pdns_run(pd, t)
                for z in zones:
                    want = ["198.51.100.53:5300", "[2001:db8:1::53]:5300"] + ([] if z.new else ["%s:%d" % (OTHER, OTHER_NOTIFY_PORT)])
                    assert meta(pd, z.name, "ALSO-NOTIFY") == sorted(want), meta(pd, z.name, "ALSO-NOTIFY")
            finally:
                p.stop()


def test_customer_primary_at_our_name_servers_address_is_refused():
    """customer_primary at an address of our name servers is exit 2 naming the key, at any
    port, even where allowed_customer_networks lists our addresses; nothing is sent (no
    server is needed: the documentation addresses are never contacted)."""
    workdir = os.path.join(WORK, "ours")
    prof = zg("profile", check=0).stdout.replace(
        "allowed_customer_networks: []", "allowed_customer_networks: [198.51.100.0/24, \"2001:db8::/32\"]")
    assert "198.51.100.0/24" in prof
    profile = write(os.path.join(workdir, "profile.yaml"), prof)
    for primary, shown in (("198.51.100.53:5300", "198.51.100.53:5300"), ("[2001:db8:1::53]:5353", "[2001:db8:1::53]:5353")):
        spec = write(os.path.join(workdir, "b.yaml"),
                     "domain: ours-zonegen-test.com\ndns_pattern: B\nregistrar: customer\n"
                     "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                     "customer_primary: [203.0.113.53, '%s']\ncustomer_nameservers: [ns1.dns-host.example]\n" % primary)
        for cmd in (["instructions"], ["generate"], ["plan"]):
            r = zg(*cmd, spec, "--profile", profile, check=2)
            want = "'customer_primary[1]': %s is the address of our name server ns2.example.net." % shown
            assert want in r.stderr, (cmd, r.stderr)
    # A neighbouring address the profile allows is the customer's to name.
    spec = write(os.path.join(workdir, "b.yaml"), open(spec).read().replace(primary, "198.51.100.54:5300"))
    zg("instructions", spec, "--profile", profile, check=0)


if __name__ == "__main__":
    harness.main(globals(), WORK)
