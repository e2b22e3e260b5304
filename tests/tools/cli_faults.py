#!/usr/bin/env python3
"""The command line under hostile input and faults, without servers: bytes that are not
UTF-8, inputs that are missing, the same domain twice in a batch, standard output that
cannot be written (/dev/full), secrets typed as unknown options, zone files of another
zone, and the JSON forms of profile and import. Usage:
  cli_faults.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795833600")
ENV.pop("PDNS_API_KEY", None)


def zg(*args, stdout=subprocess.PIPE, stdin=None, timeout=120):
    r = subprocess.run([ZG, *args], stdout=stdout, stderr=subprocess.PIPE, stdin=stdin, env=ENV,
                       cwd=SRC, timeout=timeout)
    r.out = r.stdout.decode("utf-8", "replace") if r.stdout is not None else ""
    r.err = r.stderr.decode("utf-8", "replace")
    return r


def path(*parts):
    return os.path.join(WORK, *parts)


def write(name, data):
    p = path(name) if isinstance(name, str) else os.path.join(os.fsencode(WORK), name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def spec_a(domain, extra=""):
    return ("domain: %s\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, "
            "ipv4: [192.0.2.10]}\n%s" % (domain, extra))


def one_json(r):
    """stdout must be exactly one JSON document."""
    return json.loads(r.out)


def batch_lines(r):
    lines = [json.loads(l) for l in r.out.splitlines()]
    assert lines and "summary" in lines[-1], "no summary: " + r.out[-2000:] + r.err[-2000:]
    return lines[:-1], lines[-1]["summary"]


# ---- defect 1: bytes that are not UTF-8 never abort ---------------------------------------

def test_non_utf8_spec_and_file_name_give_json_errors_not_abort():
    bad = write("bad-utf8.yaml", b"domain: ex\xffample.com\ndns_pattern: A\ncolour\xfe: blue\n")
    sjis = write("sjis.yaml", "domain: example.com\n# 日本語\nmemo: テスト\n".encode("shift_jis"))
    odd_name = write(b"\xff\xfe-missing.yaml", b"").decode("utf-8", "surrogateescape")
    os.remove(os.fsencode(odd_name))
    for spec in (bad, sjis, odd_name):
        for cmd in (["plan", spec, "--target", path("t.zone")], ["generate", spec], ["instructions", spec]):
            r = zg(*cmd, "--format", "json")
            assert r.returncode == 2, (cmd, r.returncode, r.err)
            doc = one_json(r)
            assert doc["error"]["kind"] in ("input", "usage") and doc["error"]["message"], doc
            r = zg(*cmd)
            assert r.returncode == 2 and r.err.startswith("zonegen: "), (cmd, r.returncode, r.err)


def test_batch_with_non_utf8_specs_reports_each_and_the_others_run():
    d = path("utf8-batch")
    os.makedirs(d)
    write("utf8-batch/good.yaml", spec_a("good-utf8-zonegen-test.com"))
    write("utf8-batch/bad.yaml", b"domain: ex\xffample.com\ndns_pattern: A\n")
    write(os.path.join(b"utf8-batch", b"\xe9t\xe9.yaml"), spec_a("latin1-name-zonegen-test.com"))
    r = zg("batch", d, "--action", "generate")
    assert r.returncode == 2, (r.returncode, r.err)
    lines, summary = batch_lines(r)
    assert summary["total"] == 3 and summary["ok"] == 2 and summary["failed"] == 1, summary
    bad = [l for l in lines if l["exit"]]
    assert len(bad) == 1 and bad[0]["exit"] == 2 and bad[0]["spec"].endswith("bad.yaml"), bad
    assert {l.get("zone") for l in lines if not l["exit"]} == {"good-utf8-zonegen-test.com.", "latin1-name-zonegen-test.com."}


# ---- defect 7: a missing or unreadable input is its own line ------------------------------

def test_batch_missing_and_unreadable_inputs_get_their_own_lines():
    good = write("b7-good.yaml", spec_a("b7-good-zonegen-test.com"))
    missing = path("b7-missing.yaml")
    not_a_dir = os.path.join(good, "x.yaml")  # ENOTDIR
    r = zg("batch", missing, good, not_a_dir, "--action", "generate")
    assert r.returncode == 2, (r.returncode, r.err)
    lines, summary = batch_lines(r)
    assert summary == {"total": 3, "ok": 1, "failed": 2, "by_exit": {"0": 1, "2": 2}}, summary
    by_spec = {l["spec"]: l for l in lines}
    for p in (missing, not_a_dir):
        assert by_spec[p]["exit"] == 2 and p in by_spec[p]["error"]["message"], by_spec[p]
    assert by_spec[good]["exit"] == 0 and by_spec[good]["zone"] == "b7-good-zonegen-test.com."


# ---- defect 13: the same domain twice in one batch ----------------------------------------

def test_batch_duplicate_domain_refuses_every_copy_before_any_work():
    zones = path("dup-zones")
    os.makedirs(zones)
    a = write("dup-a.yaml", spec_a("dup-zonegen-test.com"))
    b = write("dup-b.yaml", spec_a("DUP-Zonegen-Test.COM."))  # the same domain, spelt otherwise
    other = write("dup-other.yaml", spec_a("other-dup-zonegen-test.com"))
    r = zg("batch", a, other, b, "--action", "generate", "--write-zones", zones)
    assert r.returncode == 2, (r.returncode, r.err)
    lines, summary = batch_lines(r)
    assert summary["ok"] == 1 and summary["failed"] == 2, summary
    by_spec = {l["spec"]: l for l in lines}
    for p in (a, b):
        l = by_spec[p]
        assert l["exit"] == 2 and l["zone"] == "dup-zonegen-test.com.", l
        assert "dup-zonegen-test.com." in l["error"]["message"] and a in l["error"]["message"] and b in l["error"]["message"], l
    assert by_spec[other]["exit"] == 0
    assert sorted(os.listdir(zones)) == ["other-dup-zonegen-test.com.zone"], os.listdir(zones)


# ---- defect 9: standard output that cannot be written -------------------------------------

def big_zone():
    lines = ["$ORIGIN big.example.", "$TTL 3600",
             "@ SOA ns1.example.net. hostmaster.example.net. 1 14400 3600 1209600 3600",
             "@ NS ns1.example.net.", "@ NS ns2.example.net."]
    lines += ["h%d A 192.0.2.%d" % (i, i % 250 + 1) for i in range(20000)]
    return write("big.zone", "\n".join(lines) + "\n")


def test_stdout_write_failure_exits_3_for_every_command():
    spec = write("full.yaml", spec_a("full-zonegen-test.com"))
    target = write("full-target.zone", "")
    os.remove(target)
    z1 = write("full1.zone", "$ORIGIN full-zonegen-test.com.\n@ 3600 SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
                             "@ 3600 NS ns1.example.net.\nwww 3600 A 192.0.2.1\n")
    z2 = write("full2.zone", "$ORIGIN full-zonegen-test.com.\n@ 3600 SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
                             "@ 3600 NS ns1.example.net.\nwww 3600 A 192.0.2.2\n")
    big = big_zone()
    cases = [["plan", spec, "--target", target], ["validate", z1], ["diff", z1, z2],
             ["apply", spec, "--target", target], ["instructions", spec],
             ["batch", spec, "--action", "generate"], ["checks"], ["profile"], ["generate", spec],
             ["import", z1],
             # larger than any buffer: the write fails part-way
             ["import", big], ["validate", big]]
    for cmd in cases:
        for fmt in ([], ["--format", "json"]):
            with open("/dev/full", "wb") as full:
                r = zg(*cmd, *fmt, stdout=full)
            assert r.returncode == 3, (cmd, fmt, r.returncode, r.err)
            msgs = [l for l in r.err.splitlines() if "standard output" in l]
            assert len(msgs) == 1, (cmd, fmt, r.err)


def test_closed_pipe_is_a_write_failure_not_a_death_by_sigpipe():
    big = path("big.zone") if os.path.exists(path("big.zone")) else big_zone()
    spec = write("pipe.yaml", spec_a("pipe-zonegen-test.com"))
    for cmd in (["import", big], ["validate", big], ["batch", spec, "--action", "plan",
                                                      "--target", path("pipe.zone")]):
        r, w = os.pipe()
        os.close(r)  # the reader went away before zonegen wrote
        try:
            p = zg(*cmd, stdout=w)
        finally:
            os.close(w)
        assert p.returncode == 3, (cmd, p.returncode, p.err)
        assert len([l for l in p.err.splitlines() if "standard output" in l]) == 1, (cmd, p.err)


# ---- defect 15: secrets typed on the command line, JSON forms, other zones ----------------

def test_unknown_secret_options_are_never_echoed():
    spec = write("s15.yaml", spec_a("s15-zonegen-test.com"))
    secret = "s3cr3t-Value-0123456789"
    for args in (["plan", spec, "--pdns-api-key=" + secret], ["plan", "--pdns-api-key", secret, spec],
                 ["apply", spec, "--yes", "--api-key", secret], ["batch", spec, "--password=" + secret],
                 ["--pdns-api-key=" + secret, "plan", spec], ["plan", spec, "--tsig-secret=" + secret],
                 ["plan", spec, "-k" + secret], ["plan", spec, "--colour=" + secret]):
        for fmt in ([], ["--format", "json"]):
            r = zg(*args, *fmt)
            assert r.returncode == 2, (args, r.returncode, r.err)
            assert secret not in r.out + r.err, (args, r.out, r.err)
            if fmt:
                assert one_json(r)["error"]["kind"] == "usage"
            else:
                assert "zonegen: " in r.err, r.err
    r = zg("plan", spec, "--pdns-api-key=" + secret)
    assert "--pdns-api-key" in r.err, r.err  # the name is said, to fix the typo
    assert "PDNS_API_KEY or give --pdns-api-key-file" in r.err, r.err  # and where the key goes


def test_a_key_with_a_line_break_and_credentials_in_the_url_are_refused_unsent():
    """PDNS_API_KEY becomes a header line: a line break in it would add headers (found by a
    user trial: a fake server received `X-Evil: 1`). Credentials in --pdns-url would be
    printed wherever the URL is. Both refused before any connection, neither repeated."""
    spec = write("s15k.yaml", spec_a("s15k-zonegen-test.com"))
    global ENV
    saved = ENV
    try:
        ENV = dict(saved, PDNS_API_KEY="abc\r\nX-Evil: 1")
        for fmt in ([], ["--format", "json"]):
            r = zg("plan", spec, "--pdns-url", "http://127.0.0.1:9/", *fmt)
            assert r.returncode == 2, (r.returncode, r.out, r.err)
            assert "X-Evil" not in r.out + r.err and "control character" in r.out + r.err, (r.out, r.err)
        ENV = dict(saved, PDNS_API_KEY="k3y-0123456789")
        for fmt in ([], ["--format", "json"]):
            r = zg("plan", spec, "--pdns-url", "http://admin:Passw0rd-XYZ@127.0.0.1:9/", "--verbose", *fmt)
            assert r.returncode == 2, (r.returncode, r.out, r.err)
            assert "Passw0rd-XYZ" not in r.out + r.err and "credentials" in r.out + r.err, (r.out, r.err)
    finally:
        ENV = saved

def test_profile_and_import_take_format_json():
    r = zg("profile", "--format", "json")
    assert r.returncode == 0, r.err
    p = one_json(r)
    assert p["name"] == "example-hosting" and p["soa"]["refresh"] == 14400, p
    assert p["nameservers"][0]["name"] == "ns1.example.net" and p["nameservers"][0]["ipv6"] == ["2001:db8::53"], p
    z = write("imp.zone", "$ORIGIN imp-zonegen-test.com.\n$TTL 300\n@ SOA ns1.example.net. h.example.net. 7 14400 3600 1209600 300\n"
                          "@ NS ns1.example.net.\nwww A 192.0.2.1\n")
    r = zg("import", z, "--format", "json")
    assert r.returncode == 0, r.err
    d = one_json(r)
    assert d["zone"] == "imp-zonegen-test.com." and d["records"] == 3 and "\nwww " in d["text"], d
    assert isinstance(d["findings"], list), d
    out = path("imp.json")
    zg("import", z, "--format", "json", "-o", out)
    assert json.load(open(out))["zone"] == "imp-zonegen-test.com."


def test_diff_of_two_zones_and_import_from_of_another_zone_are_refused():
    a = write("za.zone", "$ORIGIN a-zone-zonegen-test.com.\n$TTL 300\n@ SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                         "@ NS ns1.example.net.\nwww A 192.0.2.1\n")
    b = write("zb.zone", "$ORIGIN b-zone-zonegen-test.com.\n$TTL 300\n@ SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                         "@ NS ns1.example.net.\nwww A 192.0.2.1\n")
    bare = write("zbare.zone", "$TTL 300\n@ SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                               "@ NS ns1.example.net.\nwww A 192.0.2.2\n")
    for args in ([a, b], [b, a], ["--origin", "a-zone-zonegen-test.com", a, b]):
        r = zg("diff", *args)
        assert r.returncode == 2, (args, r.returncode, r.out, r.err)
        assert "a-zone-zonegen-test.com." in r.err and "b-zone-zonegen-test.com." in r.err, r.err
    r = zg("diff", a, b, "--format", "json")
    assert r.returncode == 2 and one_json(r)["error"]["message"], r.out
    # NEW without $ORIGIN takes OLD's zone, as before.
    r = zg("diff", a, bare, "--detailed-exitcode")
    assert r.returncode == 10 and "www.a-zone-zonegen-test.com." in r.out, (r.returncode, r.out, r.err)
    spec = write("imp-other.yaml", spec_a("a-zone-zonegen-test.com", "import_from: zb.zone\n"))
    for cmd in (["generate", spec], ["plan", spec, "--target", path("imp-other-target.zone")]):
        r = zg(*cmd)
        assert r.returncode == 2, (cmd, r.returncode, r.out, r.err)
        assert "a-zone-zonegen-test.com." in r.err and "b-zone-zonegen-test.com." in r.err, r.err
    ok = write("imp-same.yaml", spec_a("a-zone-zonegen-test.com", "import_from: za.zone\n"))
    r = zg("generate", ok)
    assert r.returncode == 0, r.err


# ---- user trial: a shared zone-file target, edited plans, files of another zone, output --

def test_batch_of_several_domains_refuses_a_zone_file_target_before_any_work():
    a = write("shared-a.yaml", spec_a("shared-a-zonegen-test.com"))
    b = write("shared-b.yaml", spec_a("shared-b-zonegen-test.com"))
    target = path("shared.zone")
    for action in (["apply", "--yes"], ["plan"]):
        for fmt in ([], ["--format", "json"]):
            r = zg("batch", a, b, "--action", *action, "--target", target, *fmt)
            assert r.returncode == 2, (action, fmt, r.returncode, r.out, r.err)
            msg = one_json(r)["error"]["message"] if fmt else r.err
            assert "--target" in msg and target in msg, (action, msg)
            assert not os.path.exists(target), action
    r = zg("batch", a, "--action", "apply", "--yes", "--target", target)  # one domain: fine
    assert r.returncode == 0 and os.path.exists(target), (r.returncode, r.out, r.err)
    r = zg("batch", a, b, "--action", "generate")  # no target involved
    assert r.returncode == 0, (r.returncode, r.err)


def test_apply_of_a_plan_edited_to_another_zone_is_refused_before_any_write():
    spec = write("edit.yaml", spec_a("edit-zonegen-test.com"))
    target, saved = path("edit.zone"), path("edit-plan.json")
    r = zg("plan", spec, "--target", target, "--out", saved)
    assert r.returncode == 0, r.err
    doc = json.load(open(saved))
    doc["zone"] = "other-edit-zonegen-test.com."
    edited = write("edit-plan-other.json", json.dumps(doc))
    r = zg("apply", "--plan", edited, "--yes")
    assert r.returncode == 2, (r.returncode, r.out, r.err)
    assert "plan file: edit-zonegen-test.com. " in r.err, r.err  # the owner, and the zone:
    assert "is not in the plan's zone other-edit-zonegen-test.com." in r.err, r.err
    assert not os.path.exists(target)
    # The same against PowerDNS: refused from the file alone, before any request.
    doc.update(target="pdns:", server="http://127.0.0.1:9/")
    edited = write("edit-plan-pdns.json", json.dumps(doc))
    r = zg("apply", "--plan", edited, "--yes", "--pdns-url", "http://127.0.0.1:9/")
    assert r.returncode == 2 and "is not in the plan's zone other-edit-zonegen-test.com." in r.err, (r.returncode, r.err)
    r = zg("apply", "--plan", saved, "--yes")  # the plan as made still applies
    assert r.returncode == 0 and os.path.exists(target), (r.returncode, r.err)


def test_a_file_of_another_zone_without_origin_is_refused_by_diff_and_validate():
    mine = write("mine.zone", "$ORIGIN mine-zonegen-test.com.\n$TTL 300\n@ SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                              "@ NS ns1.example.net.\nwww A 192.0.2.1\n")
    other = write("other-abs.zone", "$TTL 300\nother-zonegen-test.com. SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                                    "other-zonegen-test.com. NS ns1.example.net.\nwww.other-zonegen-test.com. A 192.0.2.1\n")
    r = zg("diff", mine, other)
    assert r.returncode == 2, (r.returncode, r.out, r.err)
    assert "mine-zonegen-test.com." in r.err and "other-zonegen-test.com." in r.err, r.err
    spec = write("mine.yaml", spec_a("mine-zonegen-test.com"))
    foreign = write("other-origin.zone", "$ORIGIN other-zonegen-test.com.\n@ 300 SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n")
    for args in ([other, "--spec", spec], [other, "--origin", "mine-zonegen-test.com"], [foreign, "--spec", spec]):
        r = zg("validate", *args)
        assert r.returncode == 2, (args, r.returncode, r.out, r.err)
        lines = r.err.splitlines()
        assert len(lines) == 1 and "is a zone file of other-zonegen-test.com." in lines[0], (args, r.err)
        assert "not of mine-zonegen-test.com." in lines[0] and r.out == "", (args, r.out, r.err)
    r = zg("validate", other)  # no zone asked for: the file is read as whatever it is
    assert r.returncode == 2 and "no $ORIGIN" in r.err, (r.returncode, r.err)
    r = zg("validate", mine, "--origin", "mine-zonegen-test.com")
    assert r.returncode in (0, 1), (r.returncode, r.err)
    # A parent's $ORIGIN with absolute owners (as BIND dumps) is the zone its SOA names.
    dump = write("dump.zone", "$ORIGIN .\n$TTL 300\nmine-zonegen-test.com SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 300\n"
                              "mine-zonegen-test.com NS ns1.example.net.\n$ORIGIN mine-zonegen-test.com.\nwww A 192.0.2.1\n")
    r = zg("validate", dump, "--origin", "mine-zonegen-test.com")
    assert r.returncode in (0, 1) and ": 3 records" in r.out, (r.returncode, r.out, r.err)
    r = zg("validate", dump, "--origin", "other-zonegen-test.com")
    assert r.returncode == 2 and "is a zone file of mine-zonegen-test.com." in r.err, (r.returncode, r.err)


def test_apply_says_it_applied_when_stdout_fails_and_force_is_not_suggested_once_given():
    spec = write("done.yaml", spec_a("done-zonegen-test.com"))
    for i, fmt in enumerate(([], ["--format", "json"])):
        target = path("done-%d.zone" % i)
        with open("/dev/full", "wb") as full:
            r = zg("apply", spec, "--target", target, "--yes", *fmt, stdout=full)
        assert r.returncode == 3 and os.path.exists(target), (fmt, r.returncode, r.err)
        msgs = [l for l in r.err.splitlines() if "standard output" in l]
        assert len(msgs) == 1 and ("applied to " + target) in msgs[0], (fmt, r.err)
    live = write("unsafe.zone", "$ORIGIN done-zonegen-test.com.\n$TTL 300\n@ SOA ns9.example.org. h.example.org. 5 14400 3600 1209600 300\n"
                                "@ NS ns9.example.org.\n@ NS ns8.example.org.\nwww A 192.0.2.7\n")
    r = zg("apply", spec, "--target", live)
    assert r.returncode == 0 and "unsafe: " in r.out and "(--force to apply anyway)" in r.out, r.out
    for extra in ([], ["--yes"]):
        r = zg("apply", spec, "--target", live, "--force", *extra)
        assert r.returncode == 0 and "unsafe: " in r.out, (extra, r.returncode, r.out, r.err)
        assert "--force to apply anyway" not in r.out and "overridden by --force" in r.out, (extra, r.out)


if __name__ == "__main__":
    harness.main(globals(), WORK)
