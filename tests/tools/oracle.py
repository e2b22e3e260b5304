#!/usr/bin/env python3
"""The real validators are the oracle: every generated zone (the examples and a matrix of
specs) must pass named-checkzone -k fail -i local, kzonecheck and ldns-read-zone, and
zonegen's own validate with the pattern's rules. B and C fragments are checked wrapped in
a test SOA and NS. One `generate --format json` per spec (its "text" is the zone), the
specs spread over the cores: few processes, so a loaded machine only makes it slower.
Usage: oracle.py ZONEGEN SOURCE_DIR WORKDIR"""
import concurrent.futures, glob, json, os, re, shutil, subprocess, sys

ZG, SRC, WORK = sys.argv[1:4]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795833600")
WRAP = ("$ORIGIN {0}\n$TTL 3600\n"
        "@ 3600 IN SOA ns1.customer-test.example. hostmaster.customer-test.example. 1 14400 3600 604800 3600\n"
        "@ 86400 IN NS ns1.customer-test.example.\n@ 86400 IN NS ns3.customer-test.example.\n")
# Warnings a spec asks for: an SPF include it names, a TLD
# missing from the Public Suffix List.
ALLOWED = re.compile(r"\((spf-include-unknown|tld-unknown)\)")
# An IPv6-only server (its spec names no IPv4 address) asks for a mail host without an A.
ALLOWED_IPV6_ONLY = re.compile(r"\((spf-include-unknown|tld-unknown|mx-target-ipv6-only)\)")


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV)


def check(spec):
    """None when every validator accepts the spec's zone, else the reason."""
    label = os.path.basename(spec)
    g = run(ZG, "generate", spec, "--format", "json")
    if g.returncode != 0:
        return "%s: generate exited %d: %s" % (label, g.returncode, g.stderr.strip()[:300])
    j = json.loads(g.stdout)
    origin, frag = j["zone"], j["fragment"]
    own = os.path.join(WORK, label + (".frag" if frag else ".zone"))
    with open(own, "w") as f:
        f.write(j["text"])
    zone = own
    if frag:
        zone = os.path.join(WORK, label + ".zone")
        with open(zone, "w") as f:
            f.write(WRAP.format(origin) + j["text"])
    for cmd in (["named-checkzone", "-k", "fail", "-i", "local", origin, zone],
                ["kzonecheck", "-o", origin, zone], ["ldns-read-zone", zone]):
        r = run(*cmd)
        if r.returncode != 0:
            return "%s: %s: %s" % (label, cmd[0], (r.stdout + r.stderr).strip()[:500])
    v = run(ZG, "validate", own, *(["--fragment"] if frag else []), "--spec", spec)
    lines = (v.stdout + v.stderr).splitlines()
    with open(spec) as f:
        allowed = ALLOWED if "ipv4" in f.read() else ALLOWED_IPV6_ONLY
    bad = [l for l in lines if re.search(r": (error|warning): ", l) and not allowed.search(l)]
    if v.returncode != 0 or bad:
        return "%s: zonegen validate --spec (exit %d):\n%s" % (label, v.returncode, "\n".join((bad or lines)[:5]))
    return None


def dkim_specs():
    """tests/dkim's specs beside their test keys, copied with mode 0600 (git keeps no modes,
    and zonegen reads a secret only when no one else may)."""
    d = os.path.join(WORK, "dkim")
    shutil.copytree(os.path.join(SRC, "tests/dkim"), d)
    for f in glob.glob(os.path.join(d, "*.pem")):
        os.chmod(f, 0o600)
    return sorted(glob.glob(os.path.join(d, "*.yaml")))


def main():
    for t in ("named-checkzone", "kzonecheck", "ldns-read-zone"):
        if not shutil.which(t):
            print("FAIL: %s is not installed (run scripts/deps.sh)" % t)
            return 1
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(os.path.join(WORK, "matrix"))
    if subprocess.run([sys.executable, os.path.join(SRC, "tests/tools/matrix.py"), os.path.join(WORK, "matrix")]).returncode:
        return 1
    specs = sorted(glob.glob(os.path.join(SRC, "examples/*.yaml"))) + sorted(glob.glob(os.path.join(WORK, "matrix/*.json")))
    specs += dkim_specs()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(check, specs))
    failed = [r for r in results if r]
    for r in failed:
        print("FAIL " + r)
    print("oracle: %d passed, %d failed (named-checkzone, kzonecheck, ldns-read-zone, zonegen validate)"
          % (len(specs) - len(failed), len(failed)))
    if len(specs) < 206:
        print("FAIL: expected at least 206 specs (6 examples + 200 matrix), got %d" % len(specs))
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
