#!/usr/bin/env python3
"""The network trust boundary and hostile DNS servers (issue 14, items 5 and 6), with fake
servers on loopback:
- an address a customer names (customer_primary, an import_from axfr:// host, the glue of
  customer_nameservers, verify --old-server in the control panel's mode) that is loopback,
  private, link-local or ours is refused with exit 2 naming the key, before any packet: a
  listener on that port sees nothing (nor does the PowerDNS API's port);
- allowed_customer_networks lets them through;
- a closed port, a silent one, and open ports that do not speak DNS give one message;
- a server sending one message every 1.5 s is stopped by the total deadline, a flood by
  the record and byte caps (with bounded memory);
- verify against a server that answers only the SOA finishes in about one query timeout.
Usage: test_networks.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, selectors, socket, struct, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(__file__))
from servers import free_port
import harness
from harness import CAPTURED, loopback_profile, make_zg, test_no_output_ever_holds_the_key, write

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = make_zg(ZG, SRC)
STOP = threading.Event()  # every fake server thread ends when this is set (and by its own bound)
DOMAIN = "netcheck-zonegen-test.com"


# ---- DNS wire for the fake servers (test code: the fakes must misbehave on purpose) --------

def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def parse_query(q):
    """(id, question section bytes, qname in lower case, qtype) of a query."""
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode().lower())
        i += 1 + q[i]
    (qtype,) = struct.unpack("!H", q[i + 1:i + 3])
    return q[:2], q[12:i + 5], ".".join(labels), qtype


def rr(owner, rtype, rdata, ttl=300):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


SOA_RDATA = b"\x00\x00" + struct.pack("!IIIII", 1, 7200, 3600, 1209600, 300)
APEX = b"\xc0\x0c"  # a pointer to the question's name


def message(qid, question, answers, flags=0x8400):
    return qid + struct.pack("!HHHHH", flags, 1, len(answers), 0, 0) + question + b"".join(answers)


def framed(msg):
    return struct.pack("!H", len(msg)) + msg


def host(i):
    """A distinct owner below the apex: h<i>.<zone>."""
    label = ("h%d" % i).encode()
    return bytes([len(label)]) + label + APEX


# ---- fake servers ---------------------------------------------------------------------------

class Listener:
    """A TCP listener and a UDP socket on one port that record anything that arrives."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.events = []
        self.tcp = socket.socket()
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen(16)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.tcp, selectors.EVENT_READ, "tcp")
        self.sel.register(self.udp, selectors.EVENT_READ, "udp")
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        end = time.time() + 600
        while not STOP.is_set() and not self.done.is_set() and time.time() < end:
            for key, _ in self.sel.select(timeout=0.2):
                if key.data == "tcp":
                    c, peer = self.tcp.accept()
                    self.events.append(("tcp connection", peer))
                    c.close()
                else:
                    data, peer = self.udp.recvfrom(65535)
                    self.events.append(("udp packet", peer, data[:12]))

    def close(self):
        self.done.set()
        self.thread.join()
        self.sel.close()
        self.tcp.close()
        self.udp.close()


def tcp_server(handle, seconds=120):
    """A TCP server on a free loopback port calling handle(conn, query_or_None) per
    connection, each in its own thread; it stops by itself after SECONDS."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.2)
    end = time.time() + seconds

    def one(c):
        try:
            c.settimeout(5)
            head = c.recv(2)
            q = b""
            if len(head) == 2:
                (n,) = struct.unpack("!H", head)
                while len(q) < n:
                    part = c.recv(n - len(q))
                    if not part:
                        break
                    q += part
            handle(c, q, end)
        except OSError:
            pass
        finally:
            c.close()

    def serve():
        while not STOP.is_set() and time.time() < end:
            try:
                c, _ = srv.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


def good_axfr(c, q, end):
    qid, question, _, _ = parse_query(q)
    soa = rr(APEX, 6, SOA_RDATA)
    c.sendall(framed(message(qid, question, [soa, rr(host(1), 1, bytes([192, 0, 2, 1])), soa])))


def slow_axfr(c, q, end):
    """The opening SOA, then one record every 1.5 s, never the closing SOA."""
    qid, question, _, _ = parse_query(q)
    c.sendall(framed(message(qid, question, [rr(APEX, 6, SOA_RDATA)])))
    i = 0
    while time.time() < end and not STOP.is_set():
        time.sleep(1.5)
        i += 1
        c.sendall(framed(message(qid, question, [rr(host(i), 1, bytes([192, 0, 2, i % 250]))])))


def dripping(c, q, end):
    """A valid first message, one byte every 0.5 s."""
    qid, question, _, _ = parse_query(q)
    for b in framed(message(qid, question, [rr(APEX, 6, SOA_RDATA)])):
        if time.time() > end or STOP.is_set():
            return
        c.sendall(bytes([b]))
        time.sleep(0.5)


def flood(record):
    """The opening SOA, then messages of 200 records made by RECORD(i), without end."""
    def handle(c, q, end):
        qid, question, _, _ = parse_query(q)
        c.sendall(framed(message(qid, question, [rr(APEX, 6, SOA_RDATA)])))
        i = 0
        while time.time() < end and not STOP.is_set():
            recs = [record(i + k) for k in range(200)]
            i += 200
            c.sendall(framed(message(qid, question, recs)))
    return handle


def silent(c, q, end):
    while time.time() < end and not STOP.is_set():
        time.sleep(0.2)


def http_like(c, q, end):
    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def ssh_like(c, q, end):
    c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    silent(c, q, end)


def udp_soa_only(seconds=120):
    """A UDP server answering SOA queries for DOMAIN (authoritatively) and nothing else."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    asked = []
    end = time.time() + seconds

    def serve():
        while not STOP.is_set() and time.time() < end:
            try:
                q, peer = s.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            qid, question, qname, qtype = parse_query(q)
            asked.append((qname, qtype))
            if qtype == 6 and qname == DOMAIN:
                s.sendto(message(qid, question, [rr(APEX, 6, SOA_RDATA)]), peer)
        s.close()

    threading.Thread(target=serve, daemon=True).start()
    return s.getsockname()[1], asked


# ---- profiles and specs ---------------------------------------------------------------------

class At:
    def __init__(self, dns_port=None, api_port=None):
        self.dns_port = dns_port or free_port()
        self.url = "http://127.0.0.1:%d" % (api_port or free_port())


def profile(name, allowed="[127.0.0.0/8]", extra="", primary=None, secondary=None):
    """The built-in profile with our name servers on loopback ports (closed unless given)."""
    path = loopback_profile(ZG, primary or At(), secondary or At(), os.path.join(WORK, name + ".yaml"))
    text = open(path).read().replace("allowed_customer_networks: [127.0.0.0/8]",
                                     "allowed_customer_networks: " + allowed)
    return write(path, text + extra)


def spec(name, body, domain=DOMAIN):
    return write(os.path.join(WORK, name + ".yaml"),
                 "domain: %s\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: [192.0.2.10]}\n%s"
                 % (domain, body))


def spec_b(name, primary):
    return spec(name, "dns_pattern: B\ncustomer_primary: ['%s']\ncustomer_nameservers: [ns1.dns-host.example]\n"
                % primary)


def spec_import(name, source):
    return spec(name, "dns_pattern: A\nimport_from: %s\n" % source)


# ---- tests ----------------------------------------------------------------------------------

def test_loopback_primary_import_host_and_glue_refused_before_any_packet():
    """The acceptance criterion: exit 2 naming the key, and a listener on the named port (and
    one on the PowerDNS API's port) sees no packet and no connection."""
    target, api = Listener(), Listener()
    try:
        strict = profile("strict", allowed="[]", primary=At(api_port=api.port))
        panel = profile("strict-panel", allowed="[]", extra="control_panel: true\n")
        P = ["--profile", strict]
        b = spec_b("b-loop", "127.0.0.1:%d" % target.port)
        imp = spec_import("a-loop", "axfr://127.0.0.1:%d/%s" % (target.port, DOMAIN))
        imp_name = spec_import("a-localhost", "axfr://localhost:%d/%s" % (target.port, DOMAIN))
        glue = spec("c-glue", "dns_pattern: C\ncustomer_nameservers: [{name: ns1.%s, ipv4: [127.0.0.1]}, "
                    "ns2.dns-host.example]\n" % DOMAIN)
        cases = [
            (["generate", b], "'customer_primary[0]'"),
            (["generate", b, "--format", "pdns-json"], "'customer_primary[0]'"),
            (["plan", b], "'customer_primary[0]'"),
            (["apply", b, "--yes", "--wait-transfer", "5"], "'customer_primary[0]'"),
            (["instructions", b], "'customer_primary[0]'"),
            (["verify", b, "--timeout-ms", "500"], "'customer_primary[0]'"),
            (["generate", imp], "'import_from'"),
            (["plan", imp], "'import_from'"),
            (["apply", imp, "--yes"], "'import_from'"),
            (["instructions", imp], "'import_from'"),
            (["generate", imp_name], "'import_from'"),  # a name: resolved once, then refused
            (["generate", glue], "'customer_nameservers[0].ipv4[0]'"),
            (["instructions", glue], "'customer_nameservers[0].ipv4[0]'"),
        ]
        for args, key in cases:
            r = zg(*args, *P)
            out = r.stderr + r.stdout  # pdns-json prints its error as JSON on stdout
            assert r.returncode == 2, (args, r.returncode, r.stdout[-500:], r.stderr)
            assert key in out and "loopback" in out, (args, out)
            assert "public addresses" in out and "allowed_customer_networks" in out, out
        r = zg("plan", b, "--format", "json", *P, check=2)
        assert json.loads(r.stdout)["error"]["kind"] == "input", r.stdout
        # A batch: that domain's own line, exit 2; nothing sent.
        r = zg("batch", b, imp, "--action", "apply", "--yes", *P, check=2)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        assert [l["exit"] for l in lines if "exit" in l] == [2, 2], r.stdout
        # The control panel's mode: verify --old-server is the customer's word too.
        a = spec("a-plain", "dns_pattern: A\n")
        r = zg("verify", a, "--old-server", "127.0.0.1:%d" % target.port, "--timeout-ms", "300", "--profile", panel,
               check=2)
        assert "--old-server" in r.stderr and "loopback" in r.stderr, r.stderr
        r = zg("import", "axfr://127.0.0.1:%d/%s" % (target.port, DOMAIN), "--profile", panel, check=2)
        assert "loopback" in r.stderr, r.stderr
        time.sleep(0.5)  # anything sent would have arrived by now
        assert target.events == [], target.events
        assert api.events == [], api.events
        # Outside the control panel's mode the engineer's --old-server is asked (the listener
        # proves the check above is what kept it silent).
        zg("verify", a, "--old-server", "127.0.0.1:%d" % target.port, "--timeout-ms", "300", *P)
        deadline = time.time() + 10
        while not target.events and time.time() < deadline:
            time.sleep(0.1)
        assert target.events and target.events[0][0] == "udp packet", target.events
    finally:
        target.close()
        api.close()


def test_private_link_local_and_ours_refused():
    strict = ["--profile", profile("strict2", allowed="[]")]
    for addr, kind in [("10.0.0.53", "private"), ("192.168.1.1", "private"), ("172.20.0.1", "private"),
                       ("100.64.0.1", "carrier-grade NAT"), ("169.254.169.254", "link-local"),
                       ("[fe80::1]:53", "link-local"), ("[fd00::53]:53", "unique local"),
                       ("0.0.0.0", "unspecified"), ("224.0.0.251", "multicast"),
                       ("[::ffff:10.0.0.1]:53", "private")]:
        r = zg("generate", spec_b("b-priv", addr), *strict)
        assert r.returncode == 2 and "'customer_primary[0]'" in r.stderr and kind in r.stderr, (addr, r.stderr)
    # Ours: the built-in profile's own name servers, at any port.
    for addr, who in [("198.51.100.53", "ns2.example.net."), ("[2001:db8::53]:5300", "ns1.example.net.")]:
        r = zg("generate", spec_b("b-ours", addr))
        assert r.returncode == 2 and who in r.stderr and "'customer_primary[0]'" in r.stderr, (addr, r.stderr)
    # Our own DNS and API endpoints stay refused even where loopback is allowed.
    ns, api = At(), At()
    allowed = ["--profile", profile("allowed-ours", primary=ns, secondary=api)]
    r = zg("generate", spec_b("b-our-dns", "127.0.0.1:%d" % ns.dns_port), *allowed, check=2)
    assert "DNS service" in r.stderr and "never name our own servers" in r.stderr, r.stderr
    api_port = int(api.url.rsplit(":", 1)[1])
    r = zg("generate", spec_import("a-our-api", "axfr://127.0.0.1:%d/%s" % (api_port, DOMAIN)), *allowed, check=2)
    assert "PowerDNS API" in r.stderr, r.stderr
    # The documentation ranges are the examples' own: accepted.
    zg("generate", spec_b("b-doc", "203.0.113.53"), check=0)


def test_allowed_networks_let_loopback_through():
    port = tcp_server(good_axfr)
    P = ["--profile", profile("allowed")]
    r = zg("generate", spec_import("a-ok", "axfr://127.0.0.1:%d/%s" % (port, DOMAIN)), *P, check=0)
    assert re.search(r"\nh1\s+300\s+IN\s+A\s+192\.0\.2\.1\n", r.stdout), r.stdout
    r = zg("generate", spec_b("b-ok", "127.0.0.1:5300"), "--format", "pdns-json", *P, check=0)
    assert json.loads(r.stdout)["masters"] == ["127.0.0.1:5300"], r.stdout


def test_closed_open_and_dns_ports_give_one_message():
    """Closed, silent, HTTP-like and SSH-like ports: one message (the port aside), and the same
    time (the deadline), for a customer-named server; a DNS server's answer is DNS."""
    closed = free_port()
    ports = {"closed": closed, "silent": tcp_server(silent), "http": tcp_server(http_like),
             "ssh": tcp_server(ssh_like)}
    panel = ["--profile", profile("panel", extra="control_panel: true\n")]
    texts, times = {}, {}
    for what, port in ports.items():
        r = zg("import", "axfr://127.0.0.1:%d/%s" % (port, DOMAIN), "--timeout", "2", *panel, check=3)
        texts[what] = r.stderr.replace(str(port), "PORT")
        times[what] = r.elapsed
        assert "no DNS answer from 127.0.0.1:PORT within 2 s" in texts[what], r.stderr
    assert len(set(texts.values())) == 1, texts
    for what, t in times.items():
        assert 1.9 <= t < 8, (what, t)  # each waits out the deadline, none longer
    print("  uniform failures (s):", {k: round(v, 2) for k, v in times.items()})
    # The same through a spec's import_from, under the profile's zone_transfer.max_seconds.
    path = profile("short")
    write(path, open(path).read().replace("max_seconds: 10", "max_seconds: 2"))
    short = ["--profile", path]
    a = zg("plan", spec_import("i-closed", "axfr://127.0.0.1:%d/%s" % (closed, DOMAIN)), *short, check=3)
    b = zg("plan", spec_import("i-http", "axfr://127.0.0.1:%d/%s" % (ports["http"], DOMAIN)), *short, check=3)
    assert a.stderr.replace(str(closed), "P").replace("i-closed", "S") == \
        b.stderr.replace(str(ports["http"]), "P").replace("i-http", "S"), (a.stderr, b.stderr)


def test_slow_server_is_stopped_by_the_total_deadline():
    port = tcp_server(slow_axfr)
    r = zg("import", "axfr://127.0.0.1:%d/%s" % (port, DOMAIN), "--timeout", "2", check=3)
    assert "did not finish within 2 s" in r.stderr, r.stderr
    assert r.elapsed < 5, r.elapsed  # 2 s and start-up; the old per-read timeout ran past 40 s
    port = tcp_server(dripping)
    d = zg("import", "axfr://127.0.0.1:%d/%s" % (port, DOMAIN), "--timeout", "2", check=3)
    assert "no DNS answer" in d.stderr, d.stderr
    assert d.elapsed < 5, d.elapsed
    print("  one message per 1.5 s: stopped after %.2f s; one byte per 0.5 s: %.2f s" % (r.elapsed, d.elapsed))


def run_measured(args):
    """Runs zonegen; (exit code, stderr, seconds, peak RSS in MiB) of that one process."""
    t0 = time.time()
    p = subprocess.Popen([ZG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=SRC)
    err = p.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    CAPTURED.append(err)
    return p.returncode, err, time.time() - t0, usage.ru_maxrss / 1024


def peak_rss_limit_mib():
    """What 200,000 records may take: 400 MiB, or twice that for a sanitizer build, whose
    shadow memory and quarantine of freed blocks (256 MiB by default) inflate the resident
    size whatever the program holds (seen at 413 MiB there)."""
    with open(ZG, "rb") as f:
        sanitized = b"__asan_init" in f.read()
    return 800 if sanitized else 400


def test_flooding_server_is_stopped_by_the_caps():
    a_records = tcp_server(flood(lambda i: rr(host(i), 1, struct.pack("!I", 0xC0000200 + i % 256))))
    src = "axfr://127.0.0.1:%d/%s" % (a_records, DOMAIN)
    # The default cap (200,000 records), with the memory it takes.
    code, err, secs, mib = run_measured(["import", src, "--timeout", "60", "-o", os.path.join(WORK, "flood.zone")])
    assert code == 3 and "more than 200000 records" in err and "zone_transfer.max_records" in err, (code, err)
    assert mib < peak_rss_limit_mib(), (mib, peak_rss_limit_mib())
    assert not os.path.exists(os.path.join(WORK, "flood.zone"))
    print("  endless A records: stopped at the 200,000-record cap after %.2f s, peak RSS %.0f MiB" % (secs, mib))
    # A profile's own caps.
    small = profile("small-caps")
    write(small, open(small).read().replace("max_records: 200000", "max_records: 1000")
          .replace("max_bytes: 67108864", "max_bytes: 100000"))
    r = zg("import", src, "--profile", small, check=3)
    assert "more than 1000 records" in r.stderr, r.stderr
    big_txt = tcp_server(flood(lambda i: rr(host(i), 16, b"\xff" + b"x" * 255)))
    r = zg("import", "axfr://127.0.0.1:%d/%s" % (big_txt, DOMAIN), "--profile", small, check=3)
    assert "more than 100000 bytes" in r.stderr and "zone_transfer.max_bytes" in r.stderr, r.stderr
    # The spec's import_from is bound by the same caps.
    r = zg("generate", spec_import("i-flood", src), "--profile", small, check=3)
    assert "more than 1000 records" in r.stderr, r.stderr


def test_verify_against_a_server_answering_only_the_soa_finishes_quickly():
    port, asked = udp_soa_only()
    both = At(dns_port=port)
    prof = profile("soa-only", primary=both, secondary=At(dns_port=port))
    records = "".join("  - {name: h%d, type: A, data: 192.0.2.%d}\n" % (i, i) for i in range(1, 93))
    s = spec("a-100", "dns_pattern: A\nrecords:\n" + records)
    n = json.loads(zg("generate", s, "--format", "json", "--profile", prof, check=0).stdout)["text"].count("\n")
    r = zg("verify", s, "--profile", prof, "--format", "json", check=1)
    doc = json.loads(r.stdout)
    ours = doc["checks"][0]
    assert ours["check"] == "our-servers" and ours["status"] == "problem", ours
    assert any("no answer" in e for e in ours["evidence"]), ours["evidence"]
    # Before: one query at a time, 2 s each, 53 s for 100 records on one server. Now about
    # two query timeouts: the first 8 in flight, and the few sent while they time out.
    assert r.elapsed < 12, r.elapsed
    print("  verify of a ~%d-line zone against a SOA-only server: %.2f s, %d queries reached it"
          % (n, r.elapsed, len(asked)))


def teardown():
    STOP.set()


if __name__ == "__main__":
    harness.main(globals(), WORK)
