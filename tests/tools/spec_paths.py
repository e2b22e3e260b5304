#!/usr/bin/env python3
"""Issue 14, items 2 and 8: the files a spec names stay under the profile's secrets_dir and
import_dirs, are opened once and judged by their descriptor, and no error quotes a file or
tells anything about a path outside those directories. Also the operator's own secret files
(--pdns-api-key-file, --tsig-secret-file): never a symlink, never another user's.

No server: PowerDNS is http://127.0.0.1:0, where nothing can listen. A secret that is
accepted therefore ends in exit 3 (connection refused) and a refused one in exit 2, before
any request. zonegen runs as root (which can read every file, so only the confinement stops
it) and, for the tests about other local users, as the unprivileged users zgtest-a and
zgtest-b (tests/tools/local_users.py; root is required, CI runs as root). Usage:
  spec_paths.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, shutil, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import collect, run_each  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local_users import as_user_argv, ensure_user, public_copy, public_dir, require_root, run_as

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
NO_SERVER = "http://127.0.0.1:0"
# Base64 itself, the worst case: as a TSIG secret it would pass every check of its form.
API_KEY = "YXBpLWtleS1vZi10aGUtc3BlYy1wYXRoLXRlc3RzLTdj"
TSIG = "dHNpZy1zZWNyZXQtb2YtdGhlLXRlc3RzLTQ0MWI="
TEXT = "plain text, not base64: 1f9a-secret"
ONE_SECRET = "tsig.secret_file: not a readable secret under secrets_dir"
ONE_IMPORT = "import_from: not a readable zone file under import_dirs"
ENV = dict(os.environ, PDNS_API_KEY=API_KEY, SOURCE_DATE_EPOCH="1795833600")
OUTPUT = []  # everything zonegen printed
PUBLIC = []  # directories outside WORK, removed at the end


def W(*parts):
    return os.path.join(WORK, *parts)


def put(path, text, mode=0o600, owner=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    if owner:
        os.chown(path, *owner)
    return path


def zg(*args, user=None, check=None):
    argv = [ZG if not user else USER_ZG, *args]
    if user:
        argv = as_user_argv(user, argv)
    r = subprocess.run(argv, capture_output=True, text=True, env=ENV, cwd="/", timeout=120)
    OUTPUT.append(r.stdout + r.stderr)
    if check is not None:
        assert r.returncode == check, "exit %d (want %d): %s\n%s" % (r.returncode, check, " ".join(args), r.stdout + r.stderr)
    return r


def spec_b(secret_file, where=None):
    """A pattern-B spec naming SECRET_FILE, in the specs directory (or WHERE)."""
    path = os.path.join(where or W("specs"), "b.yaml")
    return put(path, "domain: paths-zonegen-test.org\ndns_pattern: B\nregistrar: customer\n"
                     "server: {name: sv3.example.net, ipv4: [192.0.2.30]}\n"
                     "customer_primary: ['198.51.100.10']\ncustomer_nameservers: [ns1.dns-host.example]\n"
                     "tsig: {name: xfr-paths, algorithm: hmac-sha256, secret_file: '%s'}\n" % secret_file, 0o644)


def spec_a_import(source):
    return put(W("specs", "a.yaml"), "domain: paths-zonegen-test.com\ndns_pattern: A\nregistrar: customer\n"
                                     "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\nimport_from: '%s'\n" % source, 0o644)


def plan_with(secret_file, profile=None, user=None):
    return zg("plan", spec_b(secret_file), "--profile", profile or PROFILE, "--pdns-url", NO_SERVER, user=user)


def refused(r, message=None):
    """Exit 2, the one message when given, and nothing of any secret or file content."""
    out = r.stdout + r.stderr
    assert r.returncode == 2, (r.returncode, out)
    if message:
        assert r.stderr.strip() == "zonegen: " + message, out
    for secret in (API_KEY, TSIG, TEXT):
        assert secret not in out, "a file's content in the output: " + out
    return r


def accepted(r):
    """The secret passed: the run went on to PowerDNS, which is not there (exit 3)."""
    assert r.returncode == 3 and "127.0.0.1:0" in r.stderr, (r.returncode, r.stdout + r.stderr)
    return r


ZONE = ("$ORIGIN paths-zonegen-test.com.\n$TTL 300\n@ SOA ns.old.example. h.old.example. 1 3600 600 86400 300\n"
        "@ NS ns.old.example.\nkeep TXT \"kept\"\n")


def setup():
    global PROFILE
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.chmod(WORK, 0o755)
    os.makedirs(W("secrets", "sub"), mode=0o700)
    os.makedirs(W("private"), mode=0o700)
    os.makedirs(W("imports"), mode=0o755)
    os.makedirs(W("specs"), mode=0o755)
    put(W("private", "api.key"), API_KEY + "\n")
    put(W("private", "other.key"), TSIG + "\n")
    put(W("private", "old.zone"), ZONE, 0o644)
    put(W("secrets", "xfr.key"), TSIG + "\n")
    put(W("secrets", "sub", "xfr.key"), TSIG + "\n")
    put(W("secrets", "group.key"), TSIG + "\n", 0o640)
    put(W("secrets", "text.key"), TEXT + "\n")
    put(W("secrets", "api-copy.key"), API_KEY + "\n")
    os.symlink("../private/api.key", W("secrets", "out.key"))
    os.symlink("xfr.key", W("secrets", "in.key"))
    os.symlink("../private", W("secrets", "privdir"))
    put(W("imports", "old.zone"), ZONE, 0o644)
    os.symlink("../private/old.zone", W("imports", "out.zone"))
    prof = subprocess.run([ZG, "profile"], capture_output=True, text=True, check=True).stdout
    prof = prof.replace("url: http://127.0.0.1:8081", "url: " + NO_SERVER)
    PROFILE = put(W("profile.yaml"), prof + "secrets_dir: %s\nimport_dirs: [%s]\n" % (W("secrets"), W("imports")), 0o644)


# ---- tsig.secret_file ----------------------------------------------------------------------

def test_a_secret_inside_secrets_dir_is_accepted():
    for path in ("xfr.key", "sub/xfr.key", W("secrets", "xfr.key"), "./sub//xfr.key"):
        accepted(plan_with(path))


def test_secret_file_pointing_at_the_api_key_file_is_refused():
    # Item 2: apply stored the API key's file as a TSIG key for our secondary to sign with.
    for path in (W("private", "api.key"), "../private/api.key", W("secrets", "..", "private", "api.key"),
                 "out.key", "privdir/api.key"):
        refused(plan_with(path), ONE_SECRET)
        r = zg("plan", spec_b(path), "--profile", PROFILE, "--pdns-url", NO_SERVER, "--format", "json")
        assert r.returncode == 2 and json.loads(r.stdout)["error"] == {"kind": "input", "message": ONE_SECRET}, r.stdout


def test_outside_paths_that_exist_and_that_do_not_give_one_message():
    outputs = set()
    for path in (W("private", "other.key"), W("private", "missing.key"), "/etc/shadow", "/etc/no-such-file",
                 "/proc/self/environ", "../private/other.key", "../private/missing.key", "missing.key",
                 "in.key", W("secrets"), "/"):
        r = refused(plan_with(path), ONE_SECRET)
        outputs.add(r.stdout + r.stderr)
    assert len(outputs) == 1, outputs


def test_group_readable_or_unreadable_secret_inside_is_refused_without_its_content():
    r = refused(plan_with("group.key"))
    assert "chmod 600" in r.stderr and "group.key" in r.stderr, r.stderr
    r = refused(plan_with("text.key"))
    assert "base64" in r.stderr and "not shown" in r.stderr, r.stderr


def test_the_api_key_is_never_a_tsig_secret():
    # A copy of the API key inside secrets_dir (a hard link would be the same).
    r = refused(plan_with("api-copy.key"))
    assert "API key" in r.stderr, r.stderr


def test_apply_of_a_plan_file_keeps_the_confinement():
    # The plan file records the secret's path; apply reads it again, under secrets_dir.
    def plan_doc(tsig):
        zone = "paths-zonegen-test.org."
        after = {"kind": "Slave", "masters": ["198.51.100.10"], "account": "", "transfer_keys": ["xfr-paths."]}
        return {"plan_version": 2, "target": "pdns:", "target_kind": "powerdns", "server": NO_SERVER, "zone": zone,
                "dns_pattern": "B", "exists": False, "role": {"before": "absent", "after": "secondary"},
                "account": {"before": None, "after": None}, "existing_rrsets": 0, "unsafe": None, "changes": [],
                "settle": [],
                "steps": [{"subject": "tsig-key xfr-paths.", "server": NO_SERVER, "text": "+ TSIG key", "before": None,
                           "after": dict({"algorithm": "hmac-sha256", "same_secret": True}, **tsig), "requests": [],
                           "names_secret": True},
                          {"subject": "zone", "server": NO_SERVER, "text": "+ zone", "before": None, "after": after,
                           "requests": []}]}

    def apply(tsig):
        f = put(W("specs", "plan.json"), json.dumps(plan_doc(tsig)), 0o644)
        return zg("apply", "--plan", f, "--yes", "--profile", PROFILE, "--pdns-url", NO_SERVER)
    accepted(apply({"secret_file": "xfr.key"}))
    refused(apply({"secret_file": "../private/api.key"}), ONE_SECRET)
    refused(apply({"secret_file": W("private", "api.key")}), ONE_SECRET)
    # A directory the plan names does not widen the profile's secrets_dir.
    refused(apply({"secret_file": W("private", "api.key")[1:], "secrets_dir": "/"}), ONE_SECRET)


def test_without_secrets_dir_the_specs_own_directory_confines():
    plain = put(W("plain-profile.yaml"), open(PROFILE).read().split("secrets_dir:")[0], 0o644)
    accepted(zg("plan", spec_b("xfr.key", W("secrets")), "--profile", plain, "--pdns-url", NO_SERVER))
    msg = "tsig.secret_file: not a readable secret under the spec's directory (the profile sets no secrets_dir)"
    for path in ("../private/api.key", W("private", "api.key"), "out.key"):
        refused(zg("plan", spec_b(path, W("secrets")), "--profile", plain, "--pdns-url", NO_SERVER), msg)
    # A spec on standard input has no directory: only a profile's secrets_dir can hold its files.
    text = open(spec_b("xfr.key", W("secrets"))).read()
    r = subprocess.run([ZG, "plan", "-", "--profile", plain, "--pdns-url", NO_SERVER], input=text,
                       capture_output=True, text=True, env=ENV, cwd=W("secrets"), timeout=60)
    assert r.returncode == 2 and "standard input" in r.stderr, r.stderr


# ---- import_from ---------------------------------------------------------------------------

def test_import_from_a_file_outside_import_dirs_is_refused():
    r = zg("generate", spec_a_import("old.zone"), "--profile", PROFILE, check=0)
    assert "kept     keep.paths-zonegen-test.com." in r.stderr and "\"kept\"" in r.stdout, r.stdout + r.stderr
    zg("generate", spec_a_import(W("imports", "old.zone")), "--profile", PROFILE, check=0)
    outputs = set()
    for source in (W("private", "old.zone"), "../private/old.zone", "out.zone", W("private", "api.key"),
                   "/etc/passwd", "/etc/no-such-file", "missing.zone", W("imports")):
        for cmd in ("generate", "instructions"):
            r = refused(zg(cmd, spec_a_import(source), "--profile", PROFILE), ONE_IMPORT)
            outputs.add(r.stderr)
    assert len(outputs) == 1, outputs
    assert not any("root:" in o for o in OUTPUT), "a line of /etc/passwd was printed"


# ---- other local users ---------------------------------------------------------------------

def test_another_users_file_is_never_used():
    a, b = ensure_user("zgtest-a"), ensure_user("zgtest-b")
    # zonegen as root: a secret of zgtest-b's in secrets_dir (mode 0600, root can read it).
    put(W("secrets", "b-owned.key"), TSIG + "\n", 0o600, owner=b)
    r = refused(plan_with("b-owned.key"))
    assert "owned by another user" in r.stderr, r.stderr
    put(W("imports", "b-owned.zone"), ZONE, 0o644, owner=b)
    r = refused(zg("generate", spec_a_import("b-owned.zone"), "--profile", PROFILE))
    assert "owned by another user" in r.stderr, r.stderr
    # zonegen as zgtest-a, its secrets_dir a shared sticky directory zgtest-b can write to.
    shared = public_dir("zg-paths-shared-")
    os.chmod(shared, 0o1777)
    specs = public_dir("zg-paths-specs-")
    PUBLIC.extend([shared, specs])
    put(os.path.join(shared, "a.key"), TSIG + "\n", 0o600, owner=a)
    # zgtest-b plants files, as itself.
    assert run_as("zgtest-b", ["sh", "-c", "umask 077; echo %s > %s/b-private.key; echo %s > %s/b-group.key; "
                               "ln -s %s %s/b-link.key" % (TSIG, shared, TSIG, shared, os.path.join(shared, "a.key"), shared)]).returncode == 0
    os.chown(os.path.join(shared, "b-group.key"), b[0], a[1])  # readable by zgtest-a through its group
    os.chmod(os.path.join(shared, "b-group.key"), 0o640)
    prof = put(os.path.join(specs, "profile.yaml"), open(PROFILE).read().replace(W("secrets"), shared), 0o644)
    put(os.path.join(specs, "api.key"), API_KEY + "\n", 0o600, owner=a)

    def as_a(secret):
        return zg("plan", spec_b(secret, specs), "--profile", prof, "--pdns-url", NO_SERVER, user="zgtest-a")
    accepted(as_a("a.key"))
    r = refused(as_a("b-group.key"))
    assert "owned by another user" in r.stderr, r.stderr
    refused(as_a("b-private.key"), ONE_SECRET)  # unreadable for zgtest-a: nothing said about it
    refused(as_a("b-link.key"), ONE_SECRET)  # a symlink, even to zgtest-a's own key
    # The operator's API key file: zgtest-b's is refused even where it can be read.
    put(os.path.join(specs, "b-api.key"), API_KEY + "\n", 0o600, owner=b)
    r = refused(zg("plan", spec_b("xfr.key", W("secrets")), "--profile", PROFILE, "--pdns-url", NO_SERVER,
                   "--pdns-api-key-file", os.path.join(specs, "b-api.key")))
    assert "owned by another user" in r.stderr and "API key file" in r.stderr, r.stderr


# ---- the operator's secret files -----------------------------------------------------------

def test_operator_secret_files_are_opened_once_without_following_a_symlink():
    key = put(W("private", "op-api.key"), API_KEY + "\n")
    link = W("private", "op-link.key")
    os.symlink(key, link)
    spec = spec_b("xfr.key")
    accepted(zg("plan", spec, "--profile", PROFILE, "--pdns-url", NO_SERVER, "--pdns-api-key-file", key))
    r = refused(zg("plan", spec, "--profile", PROFILE, "--pdns-url", NO_SERVER, "--pdns-api-key-file", link))
    assert "symbolic link" in r.stderr, r.stderr
    os.chmod(key, 0o640)
    r = refused(zg("plan", spec, "--profile", PROFILE, "--pdns-url", NO_SERVER, "--pdns-api-key-file", key))
    assert "chmod 600" in r.stderr, r.stderr
    fifo = W("private", "op-fifo")
    os.mkfifo(fifo, 0o600)
    r = refused(zg("plan", spec, "--profile", PROFILE, "--pdns-url", NO_SERVER, "--pdns-api-key-file", fifo))
    assert "not a regular file" in r.stderr, r.stderr
    # --tsig-secret-file: the same rules, and content that is not base64 is not quoted.
    tlink = W("private", "op-tsig-link.key")
    os.symlink(W("secrets", "xfr.key"), tlink)
    for f, why in ((tlink, "symbolic link"), (W("secrets", "text.key"), "base64")):
        r = refused(zg("import", "axfr://127.0.0.1:53/paths-zonegen-test.com", "--tsig-name", "xfr",
                       "--tsig-secret-file", f))
        assert why in r.stderr, r.stderr


def main():
    require_root()
    global USER_ZG
    setup()
    bindir = public_dir("zg-paths-bin-")
    USER_ZG = public_copy(ZG, bindir)
    # The HTTP module beside it, where the program looks first.
    public_copy(os.path.join(os.path.dirname(os.path.abspath(ZG)), "zonegen-http.so"), bindir)
    PUBLIC.append(bindir)
    tests = collect(globals())
    failed = run_each(tests)
    for out in OUTPUT:
        if API_KEY in out or TSIG in out or TEXT in out:
            failed += 1
            print("FAIL a secret or a file's content was printed:", out[:300])
            break
    for d in PUBLIC:
        shutil.rmtree(d, ignore_errors=True)
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
