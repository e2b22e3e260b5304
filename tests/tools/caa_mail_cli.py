#!/usr/bin/env python3
"""Issue 15, parts 3 and 4, through the command line (no servers): CAA against the
profile's certificate authorities (records:, import_from, validate --spec, the profile key),
the MTA-STS warning, a web-only pattern-A spec that must say where mail goes, `mail: none`
(its zone through named-checkzone, kzonecheck and ldns-read-zone), and instructions with no
mail step for a web-only customer in every procedure and language. Usage:
  caa_mail_cli.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, shutil, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = harness.make_zg(ZG, WORK, {"PDNS_API_KEY": None})  # no server here: no API key


def write(name, text):
    p = os.path.join(WORK, name)
    with open(p, "w") as f:
        f.write(text)
    return p


def spec(name, extra, pattern="A", registrar="customer", services=None):
    text = ("domain: example.com\ndns_pattern: %s\nregistrar: %s\n"
            "server: {name: sv1.example.net, ipv4: [192.0.2.10], ipv6: [\"2001:db8::10\"]}\n"
            % (pattern, registrar))
    if services is not None:
        text += "services: [%s]\n" % ", ".join(services)
    if pattern in "BC":
        text += "customer_nameservers: [ns1.dns-host.example, ns2.dns-host.example]\n"
    if pattern == "B":
        text += "customer_primary: [203.0.113.53]\n"
    return write(name, text + extra)


def checks_of(doc):
    return [f["check"] for f in doc.get("findings", [])]


def test_web_only_pattern_a_without_a_choice_is_mail_undecided_and_writes_nothing():
    s = spec("undecided.yaml", "", services=["web"])
    out = os.path.join(WORK, "undecided.zone")
    r = zg("generate", s, "-o", out)
    assert r.returncode == 1, (r.returncode, r.err)
    assert "(mail-undecided)" in r.err and "mail: none" in r.err and "records:" in r.err, r.err
    assert not os.path.exists(out)
    j = zg("generate", s, "--format", "json")
    assert j.returncode == 1 and "mail-undecided" in j.out, (j.returncode, j.out)


def test_an_mx_in_records_decides():
    s = spec("mx.yaml", "records:\n  - {name: \"@\", type: MX, data: 1 aspmx.l.google.com.}\n",
             services=["web"])
    r = zg("generate", s, "--format", "json")
    assert r.returncode == 0, r.err
    doc = json.loads(r.out)
    assert "mail-undecided" not in checks_of(doc), doc["findings"]
    assert "IN MX     1 aspmx.l.google.com." in doc["text"], doc["text"]


def test_mail_none_zone_has_the_null_mx_and_passes_bind_knot_and_ldns():
    s = spec("none.yaml", "mail: none\n", services=["web"])
    z = os.path.join(WORK, "none.zone")
    r = zg("generate", s, "-o", z)
    assert r.returncode == 0 and r.err == "", (r.returncode, r.err)
    text = open(z).read()
    mx = [l for l in text.splitlines() if " IN MX " in l]
    assert len(mx) == 1 and mx[0].split()[-2:] == ["0", "."], mx
    assert '"v=spf1 -all"' in text, text
    assert "mail.example.com" not in text, text
    for cmd in (["named-checkzone", "-k", "fail", "-i", "local", "example.com", z],
                ["kzonecheck", "-o", "example.com", z], ["ldns-read-zone", z]):
        if shutil.which(cmd[0]) is None:
            raise AssertionError("%s is not installed (run scripts/deps.sh)" % cmd[0])
        v = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert v.returncode == 0, (cmd, v.stdout, v.stderr)
    # zonegen's own validator agrees, with the pattern's rules.
    v = zg("validate", z, "--spec", s)
    assert v.returncode == 0 and "0 errors, 0 warnings" in v.out, v.out


def test_mail_none_is_refused_where_it_contradicts_the_spec():
    cases = [("both.yaml", "mail: none\n", None, "mail is in services"),
             ("value.yaml", "mail: off\n", ["web"], "one value is none"),
             ("mx.yaml", "mail: none\nrecords:\n  - {name: \"@\", type: MX, data: 10 mx.example.net.}\n",
              ["web"], "RFC 7505 section 3"),
             ("spf.yaml", "mail: none\nrecords:\n  - {name: \"@\", type: TXT, data: '\"v=spf1 include:x.example ~all\"'}\n",
              ["web"], "RFC 7505 section 4.2")]
    for name, extra, services, want in cases:
        r = zg("generate", spec("bad-" + name, extra, services=services))
        assert r.returncode == 2 and ("'mail'" in r.err or "'records[0].data'" in r.err), (name, r.returncode, r.err)
        assert want in r.err, (name, r.err)


def test_mail_none_for_c_puts_the_null_mx_in_the_records_to_add():
    s = spec("c-none.yaml", "mail: none\n", pattern="C", services=["web"])
    r = zg("generate", s)
    assert r.returncode == 0, r.err
    assert "Replace every MX at @ with the null MX" in r.out and "IN MX     0 ." in r.out, r.out


def test_caa_for_another_ca_in_records_is_an_error_with_the_fix():
    s = spec("caa.yaml", "records:\n  - {name: \"@\", type: CAA, data: '0 issue \"digicert.com\"'}\n")
    r = zg("generate", s)
    assert r.returncode == 1, (r.returncode, r.err)
    line = next(l for l in r.err.splitlines() if "(caa-forbids-ca)" in l)
    assert line.startswith(s + ":6: error: [example.com.]"), line
    assert 'add `example.com. CAA 0 issue "letsencrypt.org"`' in line, line
    assert "www.example.com." in line and "mail.example.com." in line, line


def test_caa_in_the_imported_zone_and_mta_sts_kept_while_mail_moves():
    old = ("$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.old.example. h.old.example. 7 7200 3600 1209600 300\n"
           "@ NS ns1.old.example.\n@ NS ns2.old.example.\n@ A 203.0.113.5\nwww A 203.0.113.5\n"
           "@ MX 10 mail\nmail A 203.0.113.6\n"
           "_mta-sts TXT \"v=STSv1; id=20240101T000000\"\n"
           "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n")
    write("old-digicert.zone", old + "@ CAA 0 issue \"digicert.com\"\n")
    write("old-le.zone", old + "@ CAA 0 issue \"letsencrypt.org\"\n@ CAA 0 issuewild \";\"\n")
    r = zg("generate", spec("imp1.yaml", "import_from: old-digicert.zone\n"), "--format", "json")
    assert r.returncode == 1, (r.returncode, r.out, r.err)
    assert "caa-forbids-ca" in r.out, r.out
    r = zg("generate", spec("imp2.yaml", "import_from: old-le.zone\n"), "--format", "json")
    assert r.returncode == 0, (r.returncode, r.out, r.err)
    doc = json.loads(r.out)
    sts = [f for f in doc["findings"] if f["check"] == "mta-sts-stale"]
    assert len(sts) == 1 and sts[0]["severity"] == "warning" and sts[0]["owner"] == "_mta-sts.example.com.", doc["findings"]
    m = sts[0]["message"]
    assert "https://mta-sts.example.com/.well-known/mta-sts.txt" in m and "mail.example.com" in m and "id=" in m, m
    # Web only: mail stays where it is, the policy is right as it is.
    r = zg("generate", spec("imp3.yaml", "import_from: old-le.zone\n", services=["web"]), "--format", "json")
    assert r.returncode == 0 and "mta-sts-stale" not in checks_of(json.loads(r.out)), r.out


def test_validate_with_a_spec_and_the_profiles_certificate_authorities():
    s = spec("val.yaml", "")
    z = os.path.join(WORK, "val.zone")
    assert zg("generate", s, "-o", z).returncode == 0
    with open(z, "a") as f:
        f.write("@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n")
    assert zg("validate", z, "--spec", s).returncode == 0
    prof = open(os.path.join(SRC, "templates", "profile.yaml")).read()
    assert "certificate_authorities: [letsencrypt.org]" in prof
    p_other = write("p-other.yaml", prof.replace("certificate_authorities: [letsencrypt.org]",
                                                  "certificate_authorities: [sectigo.com]"))
    p_none = write("p-none.yaml", prof.replace("certificate_authorities: [letsencrypt.org]",
                                                "certificate_authorities: []"))
    p_bad = write("p-bad.yaml", prof.replace("certificate_authorities: [letsencrypt.org]",
                                              "certificate_authorities: [letsencrypt.org.]"))
    r = zg("validate", z, "--spec", s, "--profile", p_other)
    assert r.returncode == 1 and "(caa-forbids-ca)" in r.out and "sectigo.com" in r.out, r.out
    with open(z, "a") as f:
        f.write("@ 3600 IN CAA 0 issue \";\"\n")
    assert zg("validate", z, "--spec", s).returncode == 0  # ";" beside a permission takes nothing
    os.remove(z)
    assert zg("generate", s, "-o", z).returncode == 0
    # The zone's own CAA (the profile's CA, caa.publish) makes way for a set that forbids all.
    kept = [l for l in open(z).read().splitlines() if " IN CAA " not in l]
    with open(z, "w") as f:
        f.write("\n".join(kept) + "\n@ 3600 IN CAA 0 issue \";\"\n")
    assert zg("validate", z, "--spec", s).returncode == 1
    assert zg("validate", z, "--spec", s, "--profile", p_none).returncode == 0
    r = zg("generate", s, "--profile", p_bad)
    assert r.returncode == 2 and "'certificate_authorities[0]'" in r.err, (r.returncode, r.err)
    r = zg("profile", "--format", "json")
    assert json.loads(r.out)["certificate_authorities"] == ["letsencrypt.org"], r.out


MAIL_JA = ["メールアカウント", "メールソフト", "メールが届かなく", "メールやアクセス", "Webとメール",
           "Web・メール", "NS・A・MX"]
MAIL_EN = ["mail account", "fetch mail", "no more mail", "mail and visitors", "web and mail", "A and MX"]


def test_web_only_instructions_have_no_mail_step_in_any_procedure_or_language():
    seen = set()
    for pattern in "ABC":
        for registrar in ("transfer", "customer"):
            extra = "mail: none\n" if pattern == "A" else ""
            s = spec("inst-%s-%s.yaml" % (pattern, registrar), extra, pattern, registrar, ["web"])
            for lang, words in (("ja", MAIL_JA), ("en", MAIL_EN)):
                for fmt in ("text", "markdown", "json"):
                    r = zg("instructions", s, "--lang", lang, "--format", fmt, "--start", "2026-11-30")
                    assert r.returncode == 0, (pattern, registrar, lang, fmt, r.err)
                    out = r.out
                    if fmt == "json":
                        doc = json.loads(out)
                        seen.add(doc["procedure"])
                        out = "\n".join([st["title"] + "\n" + st["detail"] for st in doc["steps"]] +
                                        doc["before_switch"] + doc["after_switch"])
                    for w in words:
                        assert w not in out, (pattern, registrar, lang, fmt, w, out)
    assert seen == {1, 2, 3, 4}, seen


if __name__ == "__main__":
    harness.main(globals(), WORK)
