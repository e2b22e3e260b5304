"""What every integration test script shares: running zonegen (recording all it prints,
to grep for secrets), the PowerDNS API, small file helpers, the test profile pointing at
our loopback servers, a customer's zone for BIND, and the runner: `main(globals(), WORK)`
ends every script that needs nothing else, printing 'N passed, N failed'."""
import json, os, shutil, subprocess, sys, time, traceback, urllib.request

from servers import API_KEY, DEADLINE, Pdns, Postgres

CAPTURED = []  # every byte zonegen printed


def make_zg(binary, src, extra_env=None):
    def zg(*args, env=None, check=None, timeout=3 * DEADLINE, input=None):
        e = dict(os.environ, PDNS_API_KEY=API_KEY, SOURCE_DATE_EPOCH="1795833600")
        e.update(extra_env or {})
        e.update(env or {})
        e = {k: v for k, v in e.items() if v is not None}  # None: not in the environment
        t0 = time.time()
        r = subprocess.run([binary, *args], capture_output=True, text=True, env=e, cwd=src, timeout=timeout, input=input)
        r.elapsed = time.time() - t0
        r.out, r.err = r.stdout, r.stderr
        CAPTURED.append(r.stdout + r.stderr)
        if check is not None and r.returncode != check:
            raise AssertionError("zonegen %s: exit %d (want %d)\nstdout: %s\nstderr: %s"
                                 % (" ".join(args), r.returncode, check, r.stdout[-3000:], r.stderr[-2000:]))
        return r
    return zg


def api(pdns, method, path, body=None):
    req = urllib.request.Request(pdns.url + "/api/v1/servers/localhost" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"X-API-Key": API_KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=DEADLINE) as r:
        data = r.read()
        return json.loads(data) if data else None


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text)
    if mode is not None:
        os.chmod(path, mode)
    return path


def fresh_dir(path):
    """PATH, emptied (made when missing)."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def customer_zone(name, serial, extra=""):
    """A customer's zone as its own primary (BIND in the tests) serves it: SOA, NS (its own
    server and ns2.example.net.), the web at 192.0.2.30, then EXTRA's lines."""
    return ("$ORIGIN %s.\n$TTL 300\n@ SOA ns1.%s. hostmaster.%s. %d 14400 3600 1209600 300\n"
            "@ NS ns1.%s.\n@ NS ns2.example.net.\nns1 A 198.51.100.53\n@ A 192.0.2.30\nwww A 192.0.2.30\n%s"
            % (name, name, name, serial, name, extra))


def wait_for(pred, what="condition", seconds=DEADLINE):
    """Polls PRED until it holds: an event, not a guess at how long it takes. The deadline
    is generous (a loaded 2-core CI machine); a healthy run returns in well under a second."""
    end = time.time() + seconds
    while True:
        if pred():
            return
        if time.time() >= end:
            raise AssertionError("timed out after %d s waiting for %s" % (seconds, what))
        time.sleep(0.2)


def loopback_profile(binary, primary, secondary, path):
    """The built-in profile with our name servers moved to the loopback test servers."""
    prof = subprocess.run([binary, "profile"], capture_output=True, text=True, check=True).stdout
    prof = prof.replace("    ipv4: [192.0.2.53]\n    ipv6: [\"2001:db8::53\"]\n",
                        "    ipv4: [127.0.0.1]\n    dns_port: %d\n" % primary.dns_port)
    prof = prof.replace("    ipv4: [198.51.100.53]\n    ipv6: [\"2001:db8:1::53\"]\n",
                        "    ipv4: [127.0.0.1]\n    dns_port: %d\n    api_url: %s\n" % (secondary.dns_port, secondary.url))
    prof = prof.replace("url: http://127.0.0.1:8081", "url: " + primary.url)
    # The test servers a spec names (BIND as a customer's primary, fake servers) live on
    # loopback, which a customer may not name otherwise.
    prof = prof.replace("allowed_customer_networks: []", "allowed_customer_networks: [127.0.0.0/8]")
    # The parent zone plan and apply ask before creating or deleting a zone: a closed
    # loopback port (the discard port, where nothing listens in the test namespace), so the
    # question fails at once and never reaches the system resolver. A creation then carries
    # a delegation-unknown warning; a deletion needs --force, as it did before.
    prof = prof.replace("parent_servers: []", "parent_servers: [127.0.0.1:9]")
    assert str(primary.dns_port) in prof and secondary.url in prof, "profile rewrite failed"
    assert "allowed_customer_networks: [127.0.0.0/8]" in prof, "profile rewrite failed"
    assert "parent_servers: [127.0.0.1:9]" in prof, "profile rewrite failed"
    return write(path, prof)


def catalog_profile(binary, primary, secondary, knot, catalog, path, tsig_key=None):
    """The loopback profile for a catalog fleet: PRIMARY (API), SECONDARY (a PowerDNS
    consuming the catalog: no API for zonegen), KNOT (ns3, a consumer, no API), and the
    profile's `catalog` (with TSIG_KEY, transfers of it under that key)."""
    base = open(loopback_profile(binary, primary, secondary, path)).read()
    base = base.replace("    api_url: %s\n" % secondary.url, "")
    third = "  - name: ns3.example.net.\n    role: secondary\n    ipv4: [127.0.0.1]\n    dns_port: %d" % knot.port
    assert "\nsoa:" in base, "profile layout changed"
    base = base.replace("\nsoa:", "\n" + third + "\nsoa:", 1)
    cat = "catalog: {zone: %s, tsig_key: %s}\n" % (catalog, tsig_key) if tsig_key else "catalog: %s\n" % catalog
    return write(path, base + cat)


def logged_requests(pdns):
    """The API requests PDNS's webserver has logged (one line each), as "METHOD PATH" with
    PATH below the server ("GET /zones/example.com.", "GET /config")."""
    import re
    out = []
    with open(os.path.join(pdns.workdir, "log"), errors="replace") as f:
        for line in f:
            m = re.search(r'"(GET|POST|PUT|PATCH|DELETE) /api/v1/servers/[^/ ]+(\S*) HTTP', line)
            if m:
                out.append(m.group(1) + " " + m.group(2))
    return out


def soa_many(port, zones, workdir):
    """Each of ZONES' SOA serial as the server on 127.0.0.1:PORT answers it, by name without
    the final dot (one dig for all: `-f`, its batch file in WORKDIR)."""
    batch = write(os.path.join(workdir, "dig-%d.txt" % port),
                  "".join("-p %d @127.0.0.1 %s SOA +norec +noall +answer +time=2 +tries=1\n" % (port, z) for z in zones))
    out = subprocess.run(["dig", "-f", batch], capture_output=True, text=True, timeout=max(DEADLINE, len(zones))).stdout
    serials = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 7 and f[3] == "SOA":
            serials[f[0].rstrip(".")] = int(f[6])
    return serials


def test_no_output_ever_holds_the_key():
    """Run last (a script imports it): no byte zonegen printed held the API key."""
    assert CAPTURED, "nothing was captured"
    for out in CAPTURED:
        assert API_KEY not in out, "the API key leaked: " + out[:500]


def pdns_backend():
    """Our PowerDNS servers' backend: ZONEGEN_TEST_PDNS_BACKEND, gsqlite3 (the default) or
    gpgsql (PostgreSQL, started with the world)."""
    backend = os.environ.get("ZONEGEN_TEST_PDNS_BACKEND") or "gsqlite3"
    if backend not in ("gsqlite3", "gpgsql"):
        raise RuntimeError("ZONEGEN_TEST_PDNS_BACKEND=%s: gsqlite3 or gpgsql" % backend)
    return backend


def start_our_servers(world, binary, work, public=False, primary_conf=""):
    """A fresh WORK, our PowerDNS primary and secondary started in it (world["primary"],
    world["secondary"]) and the profile pointing at them (world["profile"]). PUBLIC: each
    also listens on port 53 of a loopback address of its own (.public_addr), where a
    resolver following a delegation finds it (the DNSSEC world, dnssec_world.py).
    PRIMARY_CONF: lines added to the primary's pdns.conf. Their backend is pdns_backend()'s;
    on gpgsql one PostgreSQL (world["postgres"]) holds a database for each, and stop_all
    stops it after everything else."""
    fresh_dir(work)
    backend, pg = pdns_backend(), None
    if backend == "gpgsql":
        world["postgres"] = pg = Postgres(os.path.join(work, "postgres"))
    world["primary"] = Pdns(os.path.join(work, "primary"), public=public, extra_conf=primary_conf,
                            backend=backend, pg=pg)
    world["secondary"] = Pdns(os.path.join(work, "secondary"), secondary_cycle=True, public=public,
                              backend=backend, pg=pg)
    p, s = world["primary"], world["secondary"]
    world["profile"] = loopback_profile(binary, p, s, os.path.join(work, "profile.yaml"))
    return p, s


def collect(namespace, last=(), key=None):
    """A script's test_ functions in name order (or by KEY of each), those named in LAST at
    the end (a check over everything the others printed, say)."""
    tests = [v for k, v in sorted(namespace.items()) if k.startswith("test_") and callable(v)]
    if key:
        tests.sort(key=key)
    return sorted(tests, key=lambda t: t.__name__ in last)


def run_each(tests):
    """Runs TESTS, printing PASS or FAIL (with the traceback) for each; the number failed."""
    failed = 0
    for t in tests:
        start = time.time()
        try:
            t()
            print("PASS %s (%.1f s)" % (t.__name__, time.time() - start), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc()
    return failed


def run(tests, setup, teardown):
    try:
        setup()
    except Exception:
        traceback.print_exc()
        print("0 passed, %d failed" % len(tests))
        teardown()
        return 1
    try:
        failed = run_each(tests)
    finally:
        teardown()
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed else 0


def stop_all(world, names):
    """Stops the servers NAMES of WORLD in that order, then the database under our PowerDNS
    servers (world["postgres"], when start_our_servers started one)."""
    for k in names:
        if k in world:
            world[k].stop()
    if "postgres" in world and "postgres" not in names:
        world["postgres"].stop()


def step_of(plan, subject):
    """The step of a plan (or apply) document whose subject is `subject`, else None."""
    found = [s for s in plan["steps"] if s["subject"] == subject]
    assert len(found) <= 1, plan["steps"]
    return found[0] if found else None


def main(namespace, work, tests=None, last=("test_no_output_ever_holds_the_key",), key=None):
    """A test script's entry point: `harness.main(globals(), WORK)` as its last line. A fresh
    WORK, then the script's setup() (when it has one), its tests, its teardown() whatever
    happened, 'N passed, N failed', and the exit status. The tests: TESTS in that order, else
    every test_ function (collect: by name or KEY, those in LAST at the end); when the command
    line names some after ZONEGEN SOURCE_DIR WORKDIR, only those (and those in LAST)."""
    fresh_dir(work)
    if tests is None:
        tests = collect(namespace, last, key)
    if sys.argv[4:]:
        unknown = set(sys.argv[4:]) - {t.__name__ for t in tests}
        if unknown:  # a renamed test must not leave a registration running fewer, silently
            sys.exit("no such test: " + ", ".join(sorted(unknown)))
        tests = [t for t in tests if t.__name__ in sys.argv[4:] or t.__name__ in last]
    nothing = lambda: None  # noqa: E731
    sys.exit(run(tests, namespace.get("setup", nothing), namespace.get("teardown", nothing)))
