"""Real servers for the integration tests: PowerDNS Authoritative (gsqlite3 or gpgsql on
PostgreSQL), BIND, Knot, NSD and Unbound, on 127.0.0.1 and free ports, in a scratch
directory, stopped by pid. A server that does not start is a test failure, loudly."""
import glob, os, pwd, re, shutil, signal, socket, subprocess, tempfile, time, urllib.request

API_KEY = "zonegen-test-key-5f1d0c"  # a test key; the tests grep all output for it
PG_PASSWORD = "zonegen-test-pg-3c9a71"  # PowerDNS's database password, a test value
# How long any wait for a server (start, answer, transfer, NOTIFY) may take before it is a
# failure: generous, for a 2-core CI machine under load; every wait polls for its event and
# returns as soon as it happens. ZONEGEN_TEST_DEADLINE overrides it.
DEADLINE = int(os.environ.get("ZONEGEN_TEST_DEADLINE", "120"))


def public_addr():
    """A loopback address (127.x.y.z, not 127.0.0.1) whose port 53 is free over UDP and TCP:
    where a server a resolver finds by delegation (glue, port 53 only) listens. Binding port
    53 needs root, which the tests have inside their network namespace."""
    import random
    for _ in range(200):
        addr = "127.%d.%d.%d" % (random.randint(1, 254), random.randint(0, 255), random.randint(2, 254))
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, \
                 socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                s.bind((addr, 53))
                u.bind((addr, 53))
            return addr
        except PermissionError as e:
            raise RuntimeError("cannot bind port 53 (run inside scripts/netns.sh, as root there): %s" % e)
        except OSError:
            continue
    raise RuntimeError("no loopback address with port 53 free")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The same port must be free for UDP too.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", port))
    return port


class Server:
    def __init__(self, name, proc, workdir):
        self.name, self.proc, self.workdir = name, proc, workdir

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        p = os.path.join(self.workdir, "log")
        return open(p, errors="replace").read()[-3000:] if os.path.exists(p) else ""


class Postgres(Server):
    """PostgreSQL (Debian's binaries, the newest version installed) as PowerDNS's gpgsql
    database: a cluster of its own, initdb'd in a scratch directory, on 127.0.0.1 and a free
    port (its unix socket in the same directory). PostgreSQL refuses to run as root: as root
    (CI), it runs as the `postgres` system user (setpriv), and its directory is a fresh one
    under the system's temporary directory, owned by that user (a checkout under /root is
    not reachable by it); otherwise it runs as the caller. A test database: fsync off.
    create_database() makes one database and role per PowerDNS, with the gpgsql schema."""

    SCHEMA = "/usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql"

    def __init__(self, workdir, standby_of=None):
        # STANDBY_OF: another Postgres; this one is then its hot standby (streaming
        # replication from a base backup), read-only, following every change it commits.
        os.makedirs(workdir, exist_ok=True)
        self.bindir = self.find_bindir()
        self.port = free_port()
        self.run_as = self.unprivileged_user()
        self.root = tempfile.mkdtemp(prefix="zonegen-pg-")  # data and socket, removed at stop
        self.data, self.sock = os.path.join(self.root, "data"), self.root
        if self.run_as:
            os.chown(self.root, self.run_as.pw_uid, self.run_as.pw_gid)
        super().__init__("postgres", None, workdir)
        try:
            if standby_of:
                self.base_backup(standby_of)
            else:
                self.initdb()
            self.start()
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def find_bindir():
        found = glob.glob("/usr/lib/postgresql/*/bin/postgres")
        if not found:
            raise RuntimeError("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/postgres): "
                               "scripts/deps.sh installs it")
        newest = max(found, key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/")[4])])
        return os.path.dirname(newest)

    @staticmethod
    def unprivileged_user():
        """Whom to run PostgreSQL as: the `postgres` user when we are root, else nobody
        else (the caller)."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no `postgres` user to run PostgreSQL as "
                               "(Debian's postgresql package makes it)")

    def as_user(self, argv):
        if not self.run_as:
            return argv
        return ["setpriv", "--reuid=%d" % self.run_as.pw_uid, "--regid=%d" % self.run_as.pw_gid,
                "--init-groups", "--"] + argv

    def env(self):
        e = dict(os.environ, LC_ALL="C", LANG="C")
        if self.run_as:
            e.update(HOME=self.root, USER=self.run_as.pw_name, LOGNAME=self.run_as.pw_name)
        return e

    def initdb(self):
        r = subprocess.run(self.as_user([os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", "postgres",
                                         "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                                         "--locale=C", "--no-sync"]),
                           capture_output=True, text=True, cwd=self.root, env=self.env())
        if r.returncode:
            raise RuntimeError("initdb failed (as %s): %s%s" % (self.run_as.pw_name if self.run_as else "the caller",
                                                               r.stdout[-2000:], r.stderr[-2000:]))

    def base_backup(self, primary):
        """This cluster as PRIMARY's standby: pg_basebackup over PRIMARY's unix socket (its
        superuser may replicate there, as initdb allows), -R writing standby.signal and the
        primary_conninfo the standby streams from."""
        r = subprocess.run(self.as_user([os.path.join(self.bindir, "pg_basebackup"), "-h", primary.sock, "-p",
                                         str(primary.port), "-U", "postgres", "-D", self.data, "-R",
                                         "--wal-method=stream", "--checkpoint=fast", "--no-sync"]),
                           capture_output=True, text=True, cwd=self.root, env=self.env())
        if r.returncode:
            raise RuntimeError("pg_basebackup failed: " + r.stdout[-2000:] + r.stderr[-2000:])

    def start(self):
        log = open(os.path.join(self.workdir, "log"), "a")
        settings = {"listen_addresses": "127.0.0.1", "port": self.port, "unix_socket_directories": self.sock,
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "dynamic_shared_memory_type": "mmap", "max_connections": 100, "logging_collector": "off"}
        argv = [os.path.join(self.bindir, "postgres"), "-D", self.data]
        for k, v in settings.items():
            argv += ["-c", "%s=%s" % (k, v)]
        self.proc = subprocess.Popen(self.as_user(argv), stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
                                     env=self.env())
        deadline = time.time() + DEADLINE
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited at start:\n" + self.log())
            ready = subprocess.run([os.path.join(self.bindir, "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                    str(self.port), "-t", "5"], env=self.env())
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("postgres did not accept connections within %d s:\n" % DEADLINE + self.log())

    def stop(self):
        # SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, sql, db="postgres", user="postgres", password=None, file=None):
        """Runs SQL (or FILE) in DB as USER: the superuser over the unix socket (trust), any
        other role over TCP with its PASSWORD (as PowerDNS connects). Stops at the first
        error, loudly."""
        host = self.sock if password is None else "127.0.0.1"
        argv = [os.path.join(self.bindir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p",
                str(self.port), "-U", user, "-d", db] + (["-f", file] if file else ["-c", sql])
        env = dict(self.env(), PGPASSWORD=password) if password else self.env()
        r = subprocess.run(argv, capture_output=True, text=True, env=env)
        if r.returncode:
            raise RuntimeError("psql in %s as %s failed: %s" % (db, user, r.stderr[-2000:]))
        return r.stdout

    def create_database(self, name):
        """A fresh database NAME owned by a login role NAME (password PG_PASSWORD), with
        PowerDNS's gpgsql schema loaded as that role (so it owns the tables): what README's
        PostgreSQL set-up does. Returns NAME."""
        name = "pdns_" + re.sub(r"[^a-z0-9_]", "_", name.lower())
        self.psql("DROP DATABASE IF EXISTS %s" % name)
        self.psql("DROP ROLE IF EXISTS %s" % name)
        self.psql("CREATE ROLE %s LOGIN PASSWORD '%s'" % (name, PG_PASSWORD))
        self.psql("CREATE DATABASE %s OWNER %s" % (name, name))
        self.psql(None, db=name, user=name, password=PG_PASSWORD, file=self.SCHEMA)
        return name

    # PowerDNS's own gpgsql query stores a TSIG key with a plain INSERT, so changing a key's
    # secret through the API (PUT /tsigkeys/NAME) is an HTTP 500 ("duplicate key value
    # violates unique constraint namealgoindex"; SQLite's query is a REPLACE): README's
    # set-up replaces it with an upsert.
    SET_TSIG_KEY = ("insert into tsigkeys (name,algorithm,secret) values($1,$2,$3) "
                    "on conflict (name,algorithm) do update set secret=excluded.secret")

    def pdns_conf(self, name):
        """pdns.conf's backend lines for database NAME (create_database's), as README's
        PostgreSQL set-up gives them."""
        return (f"launch=gpgsql\ngpgsql-host=127.0.0.1\ngpgsql-port={self.port}\ngpgsql-dbname={name}\n"
                f"gpgsql-user={name}\ngpgsql-password={PG_PASSWORD}\ngpgsql-dnssec=yes\n"
                f"gpgsql-set-tsig-key-query={self.SET_TSIG_KEY}\n")


class Pdns(Server):
    def __init__(self, workdir, secondary_cycle=False, only_notify="", extra_conf="", public=False,
                 backend="gsqlite3", pg=None, dbname=None):
        # only_notify="" (as README advises for production): NOTIFY goes to the ALSO-NOTIFY
        # targets zonegen sets, with no lookup of the zone's NS names (which, without a
        # reachable resolver, stalls a notify call for seconds).
        # PUBLIC: it also listens on port 53 of a loopback address of its own (public_addr),
        # where a resolver following a delegation's glue finds it (self.public_addr).
        # BACKEND: "gsqlite3" (a database file in WORKDIR) or "gpgsql": a fresh database of
        # its own (named after WORKDIR) in PG, a running Postgres; or, given DBNAME, that
        # existing database (a read-only replica reading PG, a hot standby).
        os.makedirs(workdir, exist_ok=True)
        self.backend = backend
        self.dns_port, self.api_port = free_port(), free_port()
        self.public_addr = public_addr() if public else None
        listen = "127.0.0.1:%d" % self.dns_port + (", %s:53" % self.public_addr if public else "")
        self.url = "http://127.0.0.1:%d" % self.api_port
        if backend == "gsqlite3":
            backend_conf = self._gsqlite3(workdir)
        elif backend == "gpgsql":
            if pg is None:
                raise ValueError("backend gpgsql needs pg=<a running Postgres>")
            self.pg, self.dbname = pg, dbname or pg.create_database(os.path.basename(os.path.normpath(workdir)))
            backend_conf = pg.pdns_conf(self.dbname)
        else:
            raise ValueError("unknown PowerDNS backend " + backend)
        conf = backend_conf + f"""local-address={listen}
socket-dir={workdir}
api=yes
api-key={API_KEY}
webserver=yes
webserver-address=127.0.0.1
webserver-port={self.api_port}
webserver-allow-from=127.0.0.0/8
primary=yes
secondary=yes
security-poll-suffix=
zone-cache-refresh-interval=0
cache-ttl=0
query-cache-ttl=0
negquery-cache-ttl=0
xfr-cycle-interval={1 if secondary_cycle else 60}
only-notify={only_notify}
""" + extra_conf
        open(os.path.join(workdir, "pdns.conf"), "w").write(conf)
        super().__init__("pdns", None, workdir)
        self.start()

    @staticmethod
    def _gsqlite3(workdir):
        # gsqlite3-pragma-synchronous=0: no fsync per commit. SQLite has one writer at a time
        # and refuses (HTTP 500 "database is locked") a write it cannot wait for; on a
        # loaded disk an fsync holds that lock for long. A process killed (the tests SIGKILL
        # it) loses nothing committed; only a machine crash could, which a test never has.
        db = os.path.join(workdir, "pdns.sqlite3")
        if os.path.exists(db):
            os.remove(db)
        schema = open("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql").read()
        subprocess.run(["sqlite3", db], input=schema, text=True, check=True)
        return f"launch=gsqlite3\ngsqlite3-database={db}\ngsqlite3-dnssec=yes\ngsqlite3-pragma-synchronous=0\n"

    def sql(self, statements):
        """Runs SQL STATEMENTS on this server's database, behind PowerDNS's back (a state
        only a crash leaves, say), whichever the backend."""
        if self.backend == "gpgsql":
            self.pg.psql(statements, db=self.dbname, user=self.dbname, password=PG_PASSWORD)
        else:
            subprocess.run(["sqlite3", os.path.join(self.workdir, "pdns.sqlite3"), statements], check=True)

    def start(self):
        workdir = self.workdir
        log = open(os.path.join(workdir, "log"), "a")
        self.proc = proc = subprocess.Popen(["/usr/sbin/pdns_server", "--config-dir=" + workdir, "--daemon=no",
                                             "--guardian=no", "--disable-syslog", "--loglevel=6"],
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + DEADLINE
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("pdns_server exited at start:\n" + self.log())
            try:
                req = urllib.request.Request(self.url + "/api/v1/servers", headers={"X-API-Key": API_KEY})
                urllib.request.urlopen(req, timeout=5).read()
                return
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("pdns_server did not answer its API within %d s:\n" % DEADLINE + self.log())


class Bind(Server):
    """named as a customer's primary: one zone file per zone, allow-transfer per zone."""

    def __init__(self, workdir, zones, tsig_keys=None, extra_conf="", probe_zone=None, port=None):
        # zones: {name: (zone_text, allow_transfer_list, also_notify_list)}
        # tsig_keys: {name: (algorithm, base64 secret)}
        os.makedirs(workdir, exist_ok=True)
        self.port, self.rndc_port = port or free_port(), free_port()
        self.workdir = workdir
        key = "zonegen-rndc-test-secret-0123456789"
        import base64
        secret = base64.b64encode(key.encode()).decode()
        conf = [f'key "rndc" {{ algorithm hmac-sha256; secret "{secret}"; }};',
                f'controls {{ inet 127.0.0.1 port {self.rndc_port} allow {{ 127.0.0.1; }} keys {{ "rndc"; }}; }};',
                "options {", f'  directory "{workdir}";', f"  listen-on port {self.port} {{ 127.0.0.1; }};",
                "  listen-on-v6 { none; };", f'  pid-file "{workdir}/named.pid";', "  recursion no;",
                "  notify explicit;", "  dnssec-validation no;", "};"]
        for kname, (alg, ksecret) in (tsig_keys or {}).items():
            conf.append(f'key "{kname}" {{ algorithm {alg}; secret "{ksecret}"; }};')
        for name, (text, allow, notify) in zones.items():
            f = os.path.join(workdir, name + "zone")
            open(f, "w").write(text)
            allow_s = " ".join(a + ";" for a in allow) or "none;"
            notify_s = " ".join(n + ";" for n in notify)
            conf.append(f'zone "{name}" {{ type primary; file "{f}"; allow-transfer {{ {allow_s} }};'
                        + (f" also-notify {{ {notify_s} }};" if notify else "") + " };")
        conf.append(extra_conf)
        open(os.path.join(workdir, "named.conf"), "w").write("\n".join(conf) + "\n")
        open(os.path.join(workdir, "rndc.conf"), "w").write(
            f'key "rndc" {{ algorithm hmac-sha256; secret "{secret}"; }};\n'
            f'options {{ default-key "rndc"; default-server 127.0.0.1; default-port {self.rndc_port}; }};\n')
        chk = subprocess.run(["named-checkconf", os.path.join(workdir, "named.conf")], capture_output=True, text=True)
        if chk.returncode:
            raise RuntimeError("named.conf does not check: " + chk.stdout + chk.stderr)
        log = open(os.path.join(workdir, "log"), "w")
        user = ["-u", "root"] if os.geteuid() == 0 else []
        proc = subprocess.Popen(["/usr/sbin/named", "-g", "-c", os.path.join(workdir, "named.conf")] + user,
                                stdout=log, stderr=subprocess.STDOUT)
        super().__init__("named", proc, workdir)
        deadline = time.time() + DEADLINE
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("named exited at start:\n" + self.log())
            # Ready when it answers over UDP and over TCP: named opens its TCP listener a
            # moment after UDP, and a transfer (TCP) in that moment is refused.
            probe = ["dig", "+short", "+time=1", "+tries=1", "-p", str(self.port), "@127.0.0.1",
                     probe_zone or next(iter(zones)), "SOA"]
            if all(subprocess.run(probe + t, capture_output=True, text=True).stdout.strip() for t in ([], ["+tcp"])):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("named did not serve within %d s:\n" % DEADLINE + self.log())

    def update_zone(self, name, text, path=None):
        open(path or os.path.join(self.workdir, name + "zone"), "w").write(text)
        r = subprocess.run(["rndc", "-c", os.path.join(self.workdir, "rndc.conf"), "reload", name],
                           capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("rndc reload failed: " + r.stdout + r.stderr)


def _wait_serving(server, port, zone, what):
    """Until SERVER answers ZONE's SOA over UDP and TCP (a transfer is TCP, and a server may
    open its TCP listener a moment after UDP)."""
    deadline = time.time() + DEADLINE
    while time.time() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(what + " exited at start:\n" + server.log())
        probe = ["dig", "+short", "+time=1", "+tries=1", "-p", str(port), "@127.0.0.1", zone, "SOA"]
        if all(subprocess.run(probe + t, capture_output=True, text=True).stdout.strip() for t in ([], ["+tcp"])):
            return
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("%s did not serve %s within %d s:\n" % (what, zone, DEADLINE) + server.log())


class Knot(Server):
    """knotd as a customer's primary: BODY is knot.conf's key/remote/acl/zone sections (a
    snippet under test); the server, control, database and template sections come from
    here. Checked with `knotc conf-check` first."""

    def __init__(self, workdir, body, probe_zone, port=None, public=False):
        # PUBLIC: also on port 53 of a loopback address of its own (self.public_addr), for a
        # resolver that finds it through a delegation's glue.
        os.makedirs(os.path.join(workdir, "db"), exist_ok=True)
        self.port, self.workdir = port or free_port(), workdir
        self.public_addr = public_addr() if public else None
        listen = "127.0.0.1@%d" % self.port + (", %s@53" % self.public_addr if public else "")
        self.sock = os.path.join(workdir, "knot.sock")
        self.conf = os.path.join(workdir, "knot.conf")
        head = (f"server:\n    rundir: {workdir}\n    listen: [{listen}]\n"
                f"control:\n    listen: {self.sock}\n"
                "log:\n  - target: stderr\n    any: info\n"
                f"database:\n    storage: {workdir}/db\n"
                f"template:\n  - id: default\n    storage: {workdir}\n    zonefile-sync: -1\n"
                "    journal-content: none\n")
        open(self.conf, "w").write(head + body)
        chk = subprocess.run(["knotc", "-c", self.conf, "conf-check"], capture_output=True, text=True)
        if chk.returncode:
            raise RuntimeError("knot.conf does not check: " + chk.stdout + chk.stderr)
        log = open(os.path.join(workdir, "log"), "w")
        super().__init__("knotd", subprocess.Popen(["/usr/sbin/knotd", "-c", self.conf], stdout=log,
                                                   stderr=subprocess.STDOUT), workdir)
        _wait_serving(self, self.port, probe_zone, "knotd")

    def reload_zone(self, zone):
        r = subprocess.run(["knotc", "-s", self.sock, "zone-reload", zone], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("knotc zone-reload failed: " + r.stdout + r.stderr)


def knot_catalog_consumer(workdir, primary, catalog):
    """Knot consuming CATALOG from PRIMARY (a Pdns): one zone (the catalog) and a template
    for its members, nothing per member zone. Its own probe zone tells us it has started."""
    os.makedirs(workdir, exist_ok=True)
    open(os.path.join(workdir, "probe.test.zone"), "w").write(
        "$TTL 60\n@ SOA ns.probe.test. h.probe.test. 1 60 60 600 60\n@ NS ns.probe.test.\nns A 127.0.0.1\n")
    body = (f"remote:\n  - id: primary\n    address: 127.0.0.1@{primary.dns_port}\n"
            "acl:\n  - id: from_primary\n    address: 127.0.0.1\n    action: notify\n"
            f"template:\n  - id: member\n    storage: {workdir}\n    zonefile-sync: -1\n"
            "    journal-content: none\n    master: primary\n    acl: from_primary\n"
            f"zone:\n  - domain: probe.test.\n  - domain: {catalog}\n    master: primary\n"
            "    acl: from_primary\n    catalog-role: interpret\n    catalog-template: member\n")
    return Knot(workdir, body, "probe.test.")


class Nsd(Server):
    """nsd as a customer's primary: BODY is nsd.conf's key: and zone: clauses (a snippet
    under test); the server: and remote-control: clauses come from here. Checked with
    `nsd-checkconf` first."""

    def __init__(self, workdir, body, probe_zone, port=None):
        os.makedirs(os.path.join(workdir, "xfr"), exist_ok=True)
        self.port, self.workdir = port or free_port(), workdir
        self.conf = os.path.join(workdir, "nsd.conf")
        head = ("server:\n    ip-address: 127.0.0.1\n    port: %d\n    username: \"\"\n    chroot: \"\"\n"
                "    zonesdir: \"%s\"\n    pidfile: \"%s/nsd.pid\"\n    database: \"\"\n"
                "    zonelistfile: \"%s/zone.list\"\n    xfrdfile: \"%s/xfrd.state\"\n"
                "    xfrdir: \"%s/xfr\"\n    server-count: 1\n    verbosity: 2\n"
                "remote-control:\n    control-enable: yes\n    control-interface: \"%s/nsd.sock\"\n"
                % (self.port, workdir, workdir, workdir, workdir, workdir, workdir))
        open(self.conf, "w").write(head + body)
        chk = subprocess.run(["nsd-checkconf", self.conf], capture_output=True, text=True)
        if chk.returncode:
            raise RuntimeError("nsd.conf does not check: " + chk.stdout + chk.stderr)
        log = open(os.path.join(workdir, "log"), "w")
        super().__init__("nsd", subprocess.Popen(["/usr/sbin/nsd", "-d", "-c", self.conf], stdout=log,
                                                 stderr=subprocess.STDOUT), workdir)
        _wait_serving(self, self.port, probe_zone, "nsd")

    def reload_zone(self, zone):
        r = subprocess.run(["nsd-control", "-c", self.conf, "reload", zone], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("nsd-control reload failed: " + r.stdout + r.stderr)


class Unbound(Server):
    """unbound as a validating resolver on 127.0.0.1 and a free port (self.port), with the
    given `trust-anchor:` lines and stub zones ({zone: "addr@port"}) and nothing else: no
    root (names outside the stubs cannot be resolved), no domain-insecure. Caches are
    capped at MAX_TTL seconds (negative answers and bogus verdicts too), so a test can wait
    a TTL out honestly; flush() forgets everything at once for a test that steps faster.
    Validation failures are logged (val-log-level 2) and returned as extended DNS errors."""

    def __init__(self, workdir, trust_anchors, stubs, max_ttl=5):
        os.makedirs(workdir, exist_ok=True)
        self.port, self.workdir = free_port(), workdir
        self.conf = os.path.join(workdir, "unbound.conf")
        lines = ["server:", "    interface: 127.0.0.1", "    port: %d" % self.port, "    do-ip6: no",
                 "    access-control: 127.0.0.0/8 allow", '    username: ""', '    chroot: ""',
                 '    directory: "%s"' % workdir, '    pidfile: "%s/unbound.pid"' % workdir,
                 "    use-syslog: no", '    logfile: ""', "    verbosity: 1", "    log-servfail: yes",
                 "    val-log-level: 2", "    ede: yes", '    module-config: "validator iterator"',
                 # The servers the delegations name live on 127.x addresses.
                 "    do-not-query-localhost: no",
                 "    cache-max-ttl: %d" % max_ttl, "    cache-max-negative-ttl: %d" % max_ttl,
                 "    val-bogus-ttl: %d" % max_ttl, "    infra-host-ttl: %d" % max_ttl,
                 "    infra-keep-probing: yes", "    trust-anchor-signaling: no", "    prefetch: no", "    serve-expired: no",
                 "    num-threads: 1"]
        lines += ['    trust-anchor: "%s"' % a for a in trust_anchors]
        lines += ["remote-control:", "    control-enable: yes",
                  '    control-interface: "%s/unbound.ctl"' % workdir, "    control-use-cert: no"]
        for zone, addr in stubs.items():
            lines += ["stub-zone:", '    name: "%s"' % zone, "    stub-addr: %s" % addr]
        open(self.conf, "w").write("\n".join(lines) + "\n")
        chk = subprocess.run(["unbound-checkconf", self.conf], capture_output=True, text=True)
        if chk.returncode:
            raise RuntimeError("unbound.conf does not check: " + chk.stdout + chk.stderr)
        log = open(os.path.join(workdir, "log"), "w")
        super().__init__("unbound", subprocess.Popen(["/usr/sbin/unbound", "-d", "-c", self.conf], stdout=log,
                                                     stderr=subprocess.STDOUT), workdir)
        deadline = time.time() + DEADLINE
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("unbound exited at start:\n" + self.log())
            if self.control("status", check=False).returncode == 0:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("unbound did not start within %d s:\n" % DEADLINE + self.log())

    def control(self, *args, check=True):
        r = subprocess.run(["unbound-control", "-c", self.conf, *args], capture_output=True, text=True)
        if check and r.returncode:
            raise RuntimeError("unbound-control %s failed: %s" % (" ".join(args), r.stdout + r.stderr))
        return r

    def flush(self):
        """Forgets every cached answer, key, bogus verdict and server (as a restart would)."""
        for args in (("flush_zone", "."), ("flush_bogus",), ("flush_negative",), ("flush_infra", "all"),
                     ("flush_requestlist",)):
            self.control(*args)


def dig(port, name, rtype, server="127.0.0.1"):
    r = subprocess.run(["dig", "+short", "+norecurse", "+time=5", "+tries=2", "-p", str(port), "@" + server,
                        name, rtype], capture_output=True, text=True)
    return sorted(l for l in r.stdout.splitlines() if l.strip())


def soa_serial(port, zone):
    ans = dig(port, zone, "SOA")
    return int(ans[0].split()[2]) if ans else None


def dig_any_section(port, name, rtype, server="127.0.0.1"):
    """The rdata of NAME/TYPE from any section: a delegation's NS and glue come back in
    the authority and additional sections of a referral."""
    r = subprocess.run(["dig", "+norecurse", "+noall", "+answer", "+authority", "+additional", "+time=5",
                        "+tries=1", "-p", str(port), "@" + server, name, rtype], capture_output=True, text=True)
    out = []
    want = name.rstrip(".").lower() + "."
    for line in r.stdout.splitlines():
        f = line.split(None, 4)
        if len(f) == 5 and f[0].lower() == want and f[3] == rtype:
            out.append(f[4])
    return sorted(out)
