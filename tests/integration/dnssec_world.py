"""A loopback DNSSEC world for the integration tests: a signed test TLD (Knot, automatic
signing) holding the delegations, the customer's old provider (Knot, the customer's zones
signed or not), and a validating resolver (unbound) that trusts the TLD's key and nothing
else. Our PowerDNS is the new provider: the caller starts it with `public=True` and
delegates to its `public_addr`. Everything listens on loopback: the resolver on 127.0.0.1
and a free port, the servers a delegation names on port 53 of a 127.x address of their own
(glue carries no port), so it runs only inside the tests' network namespace.

    world = DnssecWorld(workdir, old_zones={"shop.zgtest.": OldZone("@ A 203.0.113.80\\n")})
    world.set_delegation("shop.zgtest.", world.old_ns(), world.old_ds("shop.zgtest."))
    world.resolve("shop.zgtest.", "A").verdict       # "secure"
    world.stop()

All TTLs are a few seconds (the TLD's `ttl`, the old zones' `ttl`, the resolver's cache cap
`max_cache_ttl`): a test waits one out honestly when it shows caching, or calls flush()."""
import os, subprocess, tempfile, time

from servers import DEADLINE, Knot, Unbound, soa_serial

ALGORITHMS = ("ecdsap256sha256", "rsasha256", "ed25519")


class OldZone:
    """A customer's zone at the old provider. BODY: its records below the apex SOA and NS
    (which the provider writes, naming its own server), relative to the zone, e.g.
    "@ A 203.0.113.80\\n@ MX 10 mail\\nmail A 203.0.113.25\\n". SIGNED: Knot signs it with one
    CSK of ALGORITHM. DNSKEY_MANAGEMENT "incremental" keeps DNSKEYs Knot did not make (a
    foreign provider's key, for the multi-signer order); "full" (Knot's default) drops them."""

    def __init__(self, body, signed=True, algorithm="ecdsap256sha256", dnskey_management="full"):
        assert algorithm in ALGORITHMS, algorithm
        assert dnskey_management in ("full", "incremental"), dnskey_management
        self.body, self.signed, self.algorithm, self.dnskey_management = body, signed, algorithm, dnskey_management
        self.foreign = []  # DNSKEY rdata added by add_dnskey


class Answer:
    """What the resolver said: rcode ("NOERROR", "SERVFAIL", "NXDOMAIN"...), ad (the AD
    flag), answers (the rdata of the asked type, sorted), ede (the extended DNS error text,
    "" when none), cd_rcode and cd_answers (the same question asked with CD, only after a
    SERVFAIL), and the verdict: "secure" (NOERROR or NXDOMAIN with AD), "insecure" (without
    AD), "bogus" (SERVFAIL, yet NOERROR or NXDOMAIN with checking disabled: a validation
    failure), "servfail" (SERVFAIL either way: the servers, not DNSSEC)."""

    def __init__(self, rcode, ad, answers, ede):
        self.rcode, self.ad, self.answers, self.ede = rcode, ad, answers, ede
        self.cd_rcode, self.cd_answers = None, []
        self.verdict = ("secure" if ad else "insecure") if rcode in ("NOERROR", "NXDOMAIN") else "servfail"

    def __repr__(self):
        cd = " (with CD: %s %s)" % (self.cd_rcode, self.cd_answers) if self.cd_rcode else ""
        return "<%s: %s%s %s%s%s>" % (self.verdict, self.rcode, " ad" if self.ad else "", self.answers,
                                     " EDE %s" % self.ede if self.ede else "", cd)


def norm_ds(rdata):
    """A DS rdata compared as values: key tag, algorithm, digest type, digest in upper case."""
    f = rdata.split()
    return "%s %s %s %s" % (f[0], f[1], f[2], "".join(f[3:]).upper())


def norm_dnskey(rdata):
    f = rdata.split()
    return "%s %s %s %s" % (f[0], f[1], f[2], "".join(f[3:]))


def served_dnskeys(port, zone, server="127.0.0.1"):
    """The DNSKEY rdata SERVER serves at ZONE's apex (normalized: the key in one piece)."""
    r = subprocess.run(["dig", "+short", "+norecurse", "+time=5", "+tries=2", "-p", str(port), "@" + server,
                        zone, "DNSKEY"], capture_output=True, text=True)
    return sorted(norm_dnskey(l) for l in r.stdout.splitlines() if l.strip())


def ds_of(zone, dnskey):
    """The SHA-256 DS of one DNSKEY rdata of ZONE, as ldns-key2ds computes it."""
    with tempfile.NamedTemporaryFile("w", suffix=".key") as f:
        f.write("%s 3600 IN DNSKEY %s\n" % (zone, dnskey))
        f.flush()
        r = subprocess.run(["ldns-key2ds", "-n", "-2", f.name], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("ldns-key2ds failed: " + r.stdout + r.stderr)
    return norm_ds(r.stdout.split(None, 4)[4])


def served_ds(port, zone, server="127.0.0.1", exclude=()):
    """The DS (SHA-256) of every key-signing key (flags 257) SERVER serves for ZONE: what a
    registrar is handed. EXCLUDE: DNSKEY rdata to leave out (a foreign provider's key)."""
    skip = {norm_dnskey(k) for k in exclude}
    return sorted(ds_of(zone, k) for k in served_dnskeys(port, zone, server) if k.split()[0] == "257" and k not in skip)


def _policies(algorithms_and_modes, ttl):
    out = ["policy:"]
    for alg, mode in sorted(algorithms_and_modes):
        # One CSK, never rolled; the DNSKEY TTL and every delay a few seconds.
        out += ["  - id: %s-%s" % (alg, mode), "    algorithm: %s" % alg, "    single-type-signing: on",
                "    dnskey-ttl: %d" % ttl, "    zone-max-ttl: %d" % ttl, "    propagation-delay: 0",
                "    ksk-lifetime: 0", "    zsk-lifetime: 0", "    cds-cdnskey-publish: none",
                "    dnskey-management: %s" % mode]
        if mode == "incremental":
            # Knot refuses incremental management without it: a key it retired stays
            # known for this long, so it is not mistaken for a foreign one.
            out.append("    delete-delay: 1d")
    return "\n".join(out) + "\n"


def _wait(pred, what):
    end = time.time() + DEADLINE
    while not pred():
        if time.time() >= end:
            raise AssertionError("timed out after %d s waiting for %s" % (DEADLINE, what))
        time.sleep(0.1)


class OldProvider:
    """The customer's old provider: Knot serving OLD_ZONES ({name: OldZone}) at
    self.knot.public_addr (port 53) as NS_NAME, and on 127.0.0.1:self.knot.port."""

    def __init__(self, workdir, zones, ns_name, ttl):
        self.workdir, self.zones, self.ns_name, self.ttl = workdir, zones, ns_name, ttl
        self.serial = {z: 1 for z in zones}
        body = _policies({(z.algorithm, z.dnskey_management) for z in zones.values() if z.signed}, ttl)
        body += "zone:\n"
        for name, z in zones.items():
            self._write(name)
            body += "  - domain: %s\n    file: %s\n" % (name, self._file(name))
            if z.signed:
                body += "    dnssec-signing: on\n    dnssec-policy: %s-%s\n" % (z.algorithm, z.dnskey_management)
        self.knot = Knot(os.path.join(workdir, "old-provider"), body, next(iter(zones)), public=True)
        try:
            for name, z in zones.items():
                if z.signed:
                    _wait(lambda: self.dnskeys(name), "the old provider to sign " + name)
        except BaseException:
            self.knot.stop()
            raise

    def _file(self, name):
        return os.path.join(self.workdir, "old-%szone" % name)

    def _write(self, name):
        z = self.zones[name]
        text = "$ORIGIN %s\n$TTL %d\n@ SOA %s hostmaster.%s %d 3600 600 86400 %d\n@ NS %s\n%s" % (
            name, self.ttl, self.ns_name, name, self.serial[name], self.ttl, self.ns_name, z.body)
        text += "".join("@ %d DNSKEY %s\n" % (self.ttl, k) for k in z.foreign)
        os.makedirs(self.workdir, exist_ok=True)
        open(self._file(name), "w").write(text)

    def dnskeys(self, name):
        return served_dnskeys(self.knot.port, name)

    def ds(self, name):
        return served_ds(self.knot.port, name, exclude=self.zones[name].foreign)

    def add_dnskey(self, name, dnskey):
        """Publishes a foreign DNSKEY (rdata) in NAME, signed by the old provider's key: the
        old provider's half of the multi-signer order. Needs dnskey_management "incremental";
        waits until it is served."""
        z = self.zones[name]
        assert z.signed and z.dnskey_management == "incremental", "Knot keeps a foreign DNSKEY only in incremental mode"
        z.foreign.append(norm_dnskey(dnskey))
        self.serial[name] += 1
        self._write(name)
        self.knot.reload_zone(name)
        _wait(lambda: norm_dnskey(dnskey) in self.dnskeys(name), "the old provider to serve the foreign DNSKEY")


class DnssecWorld:
    """The world (see the module's text). OLD_ZONES: {name: OldZone} at the old provider,
    names under TLD. HOSTS: {name server name outside the TLD: address}, e.g. our
    {"ns1.example.net.": pdns.public_addr}: the TLD's server also serves each as a tiny
    unsigned zone the resolver reaches by a stub (no root here), so a delegation may name
    it. TTL: the TLD's and the old zones' TTL; MAX_CACHE_TTL: the resolver's cache cap."""

    def __init__(self, workdir, old_zones, hosts=None, tld="zgtest.", ttl=3, max_cache_ttl=5):
        self.workdir, self.tld, self.ttl = workdir, tld, ttl
        self.hosts = dict(hosts or {})
        for host, addr in self.hosts.items():
            assert host.endswith(".") and not host.endswith("." + tld) and addr, (host, addr)
        self.delegations = {}  # child: (ns {name: [addresses]}, [DS rdata])
        self.serial = 1
        self.old = self.tld_server = self.resolver = None
        try:
            self.old = OldProvider(workdir, old_zones, "ns1.old-provider." + tld, ttl)
            self._start_tld()
            anchor = served_ds(self.tld_server.port, tld)
            assert anchor, "the TLD serves no key-signing key"
            stubs = {tld: "127.0.0.1@%d" % self.tld_server.port}
            stubs.update({h: "127.0.0.1@%d" % self.tld_server.port for h in self.hosts})
            self.resolver = Unbound(os.path.join(workdir, "resolver"), ["%s DS %s" % (tld, a) for a in anchor], stubs,
                                    max_ttl=max_cache_ttl)
        except BaseException:
            self.stop()
            raise

    # ---- the TLD -------------------------------------------------------------------------

    def _tld_file(self):
        return os.path.join(self.workdir, "tld-%szone" % self.tld)

    def _tld_text(self):
        t, ttl = self.tld, self.ttl
        lines = ["$ORIGIN %s" % t, "$TTL %d" % ttl,
                 "@ SOA a.nic.%s hostmaster.nic.%s %d 3600 600 86400 %d" % (t, t, self.serial, ttl),
                 "@ NS a.nic.%s" % t, "a.nic.%s A 127.0.0.1" % t, "%s A %s" % (self.old.ns_name, self.old.knot.public_addr)]
        glue = {}
        for child, (ns, ds) in sorted(self.delegations.items()):
            lines += ["%s NS %s" % (child, n) for n in sorted(ns)]
            lines += ["%s DS %s" % (child, d) for d in ds]
            for name, addrs in ns.items():
                if name.endswith("." + t) and name != self.old.ns_name:
                    glue.setdefault(name, set()).update(addrs)
        lines += ["%s A %s" % (name, a) for name, addrs in sorted(glue.items()) for a in sorted(addrs)]
        return "\n".join(lines) + "\n"

    def _start_tld(self):
        open(self._tld_file(), "w").write(self._tld_text())
        body = _policies({("ecdsap256sha256", "full")}, self.ttl) + "zone:\n"
        body += "  - domain: %s\n    file: %s\n    dnssec-signing: on\n    dnssec-policy: ecdsap256sha256-full\n" % (
            self.tld, self._tld_file())
        for host, addr in self.hosts.items():
            f = os.path.join(self.workdir, "host-%szone" % host)
            open(f, "w").write("$ORIGIN %s\n$TTL %d\n@ SOA a.nic.%s hostmaster.nic.%s 1 3600 600 86400 %d\n"
                               "@ NS a.nic.%s\n@ A %s\n" % (host, self.ttl, self.tld, self.tld, self.ttl, self.tld, addr))
            body += "  - domain: %s\n    file: %s\n" % (host, f)
        self.tld_server = Knot(os.path.join(self.workdir, "tld"), body, self.tld)
        _wait(lambda: served_dnskeys(self.tld_server.port, self.tld), "the TLD to be signed")

    def served_delegation(self, child):
        """(NS names, DS rdata) the TLD's server serves for CHILD, asked directly."""
        port = self.tld_server.port

        def section(rtype, flag):
            r = subprocess.run(["dig", "+norecurse", "+noall", flag, "+time=5", "+tries=2", "-p", str(port),
                                "@127.0.0.1", child, rtype], capture_output=True, text=True)
            out = []
            for line in r.stdout.splitlines():
                f = line.split(None, 4)
                if len(f) == 5 and f[0].lower() == child.lower() and f[3] == rtype:
                    out.append(f[4])
            return out
        return sorted(n.lower() for n in section("NS", "+authority")), sorted(norm_ds(d) for d in section("DS", "+answer"))

    def set_delegation(self, child, ns, ds):
        """Rewrites CHILD's delegation in the TLD: NS ({name: [IPv4 addresses]}: a name under
        the TLD gets its A records there, as glue below CHILD or as the TLD's own data; a
        name outside it must be one of HOSTS) and DS (DS rdata, [] for none; as old_ds() or
        PowerDNS's cryptokeys give it). Knot re-signs; returns once the TLD's server serves
        the new serial with exactly these NS and DS. ns={} removes the delegation."""
        for name in ns:
            assert name.endswith("." + self.tld) or name in self.hosts, "%s: not in the TLD, not a host" % name
        if ns:
            self.delegations[child] = ({n.lower(): list(a) for n, a in ns.items()}, [norm_ds(d) for d in ds])
        else:
            self.delegations.pop(child, None)
        before = soa_serial(self.tld_server.port, self.tld)
        self.serial = max(self.serial, before or 0) + 1
        open(self._tld_file(), "w").write(self._tld_text())
        self.tld_server.reload_zone(self.tld)
        want = (sorted(n.lower() for n in ns), sorted(norm_ds(d) for d in ds)) if ns else ([], [])
        _wait(lambda: (soa_serial(self.tld_server.port, self.tld) or 0) >= self.serial
              and self.served_delegation(child) == want, "the TLD to serve %s's new delegation %s" % (child, want))

    def tld_ds(self):
        """The TLD's own DS (the resolver's trust anchor)."""
        return served_ds(self.tld_server.port, self.tld)

    # ---- the old provider ------------------------------------------------------------------

    def old_ns(self):
        """The old provider's delegation, for set_delegation: {its name server: [address]}."""
        return {self.old.ns_name: [self.old.knot.public_addr]}

    def old_ds(self, zone):
        """The DS (SHA-256) of the old provider's key for ZONE, from the DNSKEY it serves."""
        return self.old.ds(zone)

    def old_dnskeys(self, zone):
        """Every DNSKEY rdata the old provider serves for ZONE (foreign ones included)."""
        return self.old.dnskeys(zone)

    def old_add_dnskey(self, zone, dnskey):
        """Publishes a foreign DNSKEY in the old provider's ZONE (dnskey_management
        "incremental" only), signed by the old provider; waits until it is served."""
        self.old.add_dnskey(zone, dnskey)

    # ---- the resolver ----------------------------------------------------------------------

    def _ask(self, name, rtype, cd):
        args = ["dig", "-p", str(self.resolver.port), "@127.0.0.1", name, rtype, "+dnssec", "+noall", "+comments",
                "+answer", "+time=%d" % DEADLINE, "+tries=1", "+nosplit"] + (["+cd"] if cd else [])
        r = subprocess.run(args, capture_output=True, text=True)
        rcode, ad, ede, answers = None, False, "", []
        for line in r.stdout.splitlines():
            if line.startswith(";; ->>HEADER<<-"):
                rcode = line.split("status:")[1].split(",")[0].strip()
            elif line.startswith(";; flags:"):
                ad = "ad" in line.split(";")[2].split(":")[1].split()
            elif line.startswith("; EDE:"):
                ede = line[len("; EDE:"):].strip()
            elif line and not line.startswith(";"):
                f = line.split(None, 4)
                if len(f) == 5 and f[3] == rtype:
                    answers.append(f[4])
        if rcode is None:
            raise RuntimeError("no answer from the resolver for %s %s: %s" % (name, rtype, r.stdout + r.stderr))
        return Answer(rcode, ad, sorted(answers), ede)

    def resolve(self, name, rtype):
        """Asks the validating resolver NAME/RTYPE (DO set); an Answer with its verdict. A
        SERVFAIL is asked again with CD: an answer then means the data is there but does
        not validate ("bogus")."""
        a = self._ask(name, rtype, cd=False)
        if a.rcode == "SERVFAIL":
            c = self._ask(name, rtype, cd=True)
            a.cd_rcode, a.cd_answers = c.rcode, c.answers
            if c.rcode in ("NOERROR", "NXDOMAIN"):
                a.verdict = "bogus"
        return a

    def until(self, names, goal, what, allowed):
        """Asks the resolver NAMES ([(name, type)]) every 0.2 s until every answer meets
        GOAL(type, answer); each answer on the way meets GOAL or ALLOWED (the property the
        step is about: never bogus, say; one type may get there before another). The answers
        that met GOAL, by type."""
        end = time.time() + DEADLINE
        while True:
            got = {t: self.resolve(n, t) for n, t in names}
            if all(goal(t, a) for t, a in got.items()):
                return got
            for t, a in got.items():
                assert goal(t, a) or allowed(t, a), "while waiting for %s: %s %s" % (what, t, a)
            if time.time() >= end:
                raise AssertionError("timed out after %d s waiting for %s: %s" % (DEADLINE, what, got))
            time.sleep(0.2)

    def flush(self):
        """The resolver forgets everything it cached (answers, keys, verdicts, servers)."""
        self.resolver.flush()

    def resolver_log(self):
        return self.resolver.log()

    def stop(self):
        """Stops every server the world started, by pid (safe to call twice)."""
        for s in (self.resolver, self.tld_server, self.old and self.old.knot):
            if s:
                s.stop()
