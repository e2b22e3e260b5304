#!/usr/bin/env python3
"""Issue 17 through the command line (no servers): the default profile's DMARC, CAA and SRV
records, MTA-STS and TLS-RPT from a profile with a policy host (the zone through
named-checkzone, kzonecheck and ldns-read-zone; the policy file and the _mta-sts id change
together with the MX set), `mail-setup` (the DMARC report authorisation, --policy-out,
mode enforce refused with nothing written), and the customer's own DMARC kept. Usage:
  mail_records_cli.py ZONEGEN SOURCE_DIR WORKDIR"""
import json, os, re, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

ZG, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
zg = harness.make_zg(ZG, WORK, {"PDNS_API_KEY": None})  # no server here: no API key


def write(name, text):
    p = os.path.join(WORK, name)
    with open(p, "w") as f:
        f.write(text)
    return p


def spec(name, extra=""):
    return write(name, "domain: example.com\ndns_pattern: A\nregistrar: customer\n"
                       "server: {name: sv1.example.net, ipv4: [192.0.2.10], ipv6: [\"2001:db8::10\"]}\n"
                       + extra)


def profile(name, mode="testing", certified='["{server}"]', mx="{server}"):
    text = open(os.path.join(SRC, "templates", "profile.yaml")).read()
    text = text.replace('data: "10 mail"', 'data: "10 %s"' % mx)
    off = "  # mta_sts:\n  #   policy_host: mta-sts.example.net\n"
    assert off in text
    return write(name, text.replace(off, "  mta_sts:\n    policy_host: mta-sts.example.net\n"
                                          "    mode: %s\n    certified_names: %s\n"
                                          "    tls_rpt: [\"mailto:tls-reports@example.net\"]\n"
                                          % (mode, certified)))


def records(zone_text, owner, rtype):
    return [l.split(None, 4)[4] for l in zone_text.splitlines()
            if l.split()[:1] == [owner] and len(l.split()) > 4 and l.split()[3] == rtype]


def oracles(z):
    for cmd in (["named-checkzone", "-k", "fail", "-i", "local", "example.com", z],
                ["kzonecheck", "-o", "example.com", z], ["ldns-read-zone", z]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, (cmd, r.stdout, r.stderr)


def test_the_default_profiles_zone_has_dmarc_caa_and_srv_and_passes_the_validators():
    z = os.path.join(WORK, "default.zone")
    r = zg("generate", spec("default.yaml"), "-o", z)
    assert r.returncode == 0, r.err
    text = open(z).read()
    assert records(text, "_dmarc", "TXT") == ['"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.net"'], text
    assert records(text, "@", "CAA") == ['0 issue "letsencrypt.org"'], text
    assert records(text, "_submission._tcp", "SRV") == ["0 1 587 mail.example.com."], text
    assert records(text, "_imaps._tcp", "SRV") == ["0 1 993 mail.example.com."], text
    assert records(text, "_pop3s._tcp", "SRV") == ["0 1 995 mail.example.com."], text
    assert "_mta-sts" not in text
    oracles(z)
    v = zg("validate", z, "--spec", spec("default.yaml"))
    assert v.returncode == 0 and "0 errors, 0 warnings" in v.err + v.out, (v.out, v.err)


def test_mta_sts_records_the_policy_file_and_its_id_change_together_with_the_mx_set():
    p = profile("sts.yaml")
    s1 = spec("one.yaml")
    z = os.path.join(WORK, "sts.zone")
    assert zg("generate", s1, "--profile", p, "-o", z).returncode == 0
    text = open(z).read()
    oracles(z)
    sts = records(text, "_mta-sts", "TXT")
    assert len(sts) == 1 and re.fullmatch(r'"v=STSv1; id=[0-9a-f]{32}"', sts[0]), sts
    assert records(text, "mta-sts", "CNAME") == ["mta-sts.example.net."], text
    assert records(text, "_smtp._tls", "TXT") == ['"v=TLSRPTv1; rua=mailto:tls-reports@example.net"'], text
    pol = os.path.join(WORK, "mta-sts.txt")
    m = zg("mail-setup", s1, "--profile", p, "--format", "json", "--policy-out", pol)
    assert m.returncode == 0, m.err
    doc = json.loads(m.out)
    assert sts[0] == '"v=STSv1; id=%s"' % doc["mta_sts"]["id"], (sts, doc)
    body = open(pol, "rb").read()
    assert body == b"version: STSv1\r\nmode: testing\r\nmx: sv1.example.net\r\nmax_age: 604800\r\n", body
    assert doc["mta_sts"]["mx"] == ["sv1.example.net"] and doc["mta_sts"]["policy"] == body.decode()
    # Another MX host: a new policy, a new id, both at once.
    s2 = spec("two.yaml", "records:\n  - {name: \"@\", type: MX, data: 20 sv1.example.net.}\n"
                          "  - {name: \"@\", type: MX, data: 30 backup.example.net.}\n")
    g2 = zg("generate", s2, "--profile", p)
    assert g2.returncode == 0, g2.err
    assert "(mta-sts-mx-uncertified)" in g2.err, g2.err  # backup.example.net: no certificate of ours
    sts2 = records(g2.out, "_mta-sts", "TXT")
    m2 = json.loads(zg("mail-setup", s2, "--profile", p, "--format", "json").out)
    assert m2["mta_sts"]["id"] != doc["mta_sts"]["id"]
    assert sts2 == ['"v=STSv1; id=%s"' % m2["mta_sts"]["id"]], (sts2, m2)
    assert "mx: backup.example.net\r\n" in m2["mta_sts"]["policy"]


def test_enforce_without_certificates_is_refused_and_writes_nothing():
    p = profile("enforce.yaml", mode="enforce", mx="mail")
    s = spec("enf.yaml")
    pol = os.path.join(WORK, "enforce-mta-sts.txt")
    m = zg("mail-setup", s, "--profile", p, "--policy-out", pol)
    assert m.returncode == 1, (m.returncode, m.err)
    assert "(mta-sts-mx-uncertified)" in m.err and "(mta-sts-enforce-uncertified)" in m.err, m.err
    assert not os.path.exists(pol)
    z = os.path.join(WORK, "enforce.zone")
    g = zg("generate", s, "--profile", p, "-o", z)
    assert g.returncode == 1 and not os.path.exists(z), (g.returncode, g.err)
    ok = profile("enforce-ok.yaml", mode="enforce", mx="mail",
                 certified='["mail.{domain}", "mta-sts.{domain}"]')
    assert zg("generate", s, "--profile", ok, "-o", z).returncode == 0
    oracles(z)


def test_mail_setup_names_the_dmarc_report_authorisation_and_refuses_a_policy_without_a_host():
    s = spec("ms.yaml")
    m = zg("mail-setup", s)
    assert m.returncode == 0, m.err
    assert 'example.com._report._dmarc.example.net. 3600 IN TXT "v=DMARC1"' in m.out, m.out
    doc = json.loads(zg("mail-setup", s, "--format", "json").out)
    assert doc["dmarc"]["report_authorizations"] == [{
        "name": "example.com._report._dmarc.example.net.", "type": "TXT", "data": '"v=DMARC1"',
        "uri": "mailto:dmarc-reports@example.net"}], doc
    assert doc["mta_sts"] is None
    r = zg("mail-setup", s, "--policy-out", os.path.join(WORK, "none.txt"))
    assert r.returncode == 2 and "mail.mta_sts.policy_host" in r.err, (r.returncode, r.err)
    # The customer's own DMARC: kept, no authorisation of ours needed.
    own = spec("own.yaml", "records:\n  - {name: _dmarc, type: TXT, data: '\"v=DMARC1; p=reject; rua=mailto:d@example.com\"'}\n")
    doc = json.loads(zg("mail-setup", own, "--format", "json").out)
    assert doc["dmarc"]["zonegen_default"] is False and doc["dmarc"]["report_authorizations"] == [], doc
    g = zg("generate", own)
    assert records(g.out, "_dmarc", "TXT") == ['"v=DMARC1; p=reject; rua=mailto:d@example.com"'], g.out


def test_a_migration_keeps_the_customers_dmarc_and_spf_senders_and_doubles_neither():
    write("old.zone", "$ORIGIN example.com.\n$TTL 3600\n"
                      "@ SOA ns1.old.example. h.old.example. 7 7200 3600 1209600 300\n"
                      "@ NS ns1.old.example.\n@ NS ns2.old.example.\n@ A 203.0.113.5\n"
                      "www A 203.0.113.5\n@ MX 10 mail\nmail A 203.0.113.6\n"
                      "@ TXT \"v=spf1 include:_spf.google.com ~all\"\n"
                      "_dmarc TXT \"v=DMARC1; p=quarantine; rua=mailto:d@example.com\"\n")
    r = zg("generate", spec("mig.yaml", "import_from: old.zone\n"), "--format", "json")
    assert r.returncode == 0, r.err
    doc = json.loads(r.out)
    text = doc["text"]
    assert records(text, "_dmarc", "TXT") == ['"v=DMARC1; p=quarantine; rua=mailto:d@example.com"'], text
    spf = [t for t in records(text, "@", "TXT") if "v=spf1" in t]
    assert len(spf) == 1 and "include:_spf.google.com" in spf[0] and "ip4:192.0.2.10" in spf[0], spf
    kept = [i for i in doc["migration"]["items"] if i["name"] == "_dmarc.example.com."]
    assert kept and kept[0]["action"] == "kept", kept


OLD_OWN = ("$ORIGIN example.com.\n$TTL 3600\n"
           "@ SOA ns1.old.example. h.old.example. 7 7200 3600 1209600 300\n"
           "@ NS ns1.old.example.\n@ NS ns2.old.example.\n@ A 203.0.113.5\n"
           "www A 203.0.113.5\n@ MX 10 mail\nmail A 203.0.113.6\n"
           "@ TXT \"v=spf1 ip4:203.0.113.6 include:_spf.sendgrid.example -all\"\n"
           "_dmarc CNAME example-com._dmarc.dmarc-service.example.\n"
           "_mta-sts TXT \"v=STSv1; id=2024\"\nmta-sts A 203.0.113.5\n"
           "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n")


def test_the_customers_own_senders_dmarc_alias_and_mta_sts_survive_a_migration_in_a_and_c():
    write("own.zone", OLD_OWN)
    google = "records:\n  - {name: \"@\", type: TXT, data: '\"v=spf1 include:_spf.google.com ~all\"'}\n"
    p = profile("sts-mig.yaml")
    for pattern in ("A", "C"):
        extra = "import_from: own.zone\n" + google
        if pattern == "C":
            extra += "customer_nameservers: [ns1.dns-host.example, ns2.dns-host.example]\n"
        s = write("own-%s.yaml" % pattern, open(spec("tmp.yaml")).read().replace(
            "dns_pattern: A", "dns_pattern: " + pattern) + extra)
        r = zg("generate", s, "--profile", p, "--format", "json")
        assert r.returncode == 0, (pattern, r.err, r.out)
        text = json.loads(r.out)["text"]
        spf = [t for t in records(text, "@", "TXT") if "v=spf1" in t]
        # One SPF: the old senders, the server and the spec's Google include; the old qualifier.
        assert len(spf) == 1 and "include:_spf.sendgrid.example" in spf[0] and \
            "include:_spf.google.com" in spf[0] and "ip4:192.0.2.10" in spf[0] and \
            spf[0].endswith('-all"'), (pattern, spf)
        # The hosted DMARC alias is the customer's own: kept, no TXT of ours beside it.
        assert records(text, "_dmarc", "CNAME") == ["example-com._dmarc.dmarc-service.example."], (pattern, text)
        assert records(text, "_dmarc", "TXT") == [], (pattern, text)
        # MTA-STS is the managed server's now: ours replaces theirs, one of each.
        sts = records(text, "_mta-sts", "TXT")
        assert len(sts) == 1 and "id=2024" not in sts[0], (pattern, sts)
        assert records(text, "mta-sts", "CNAME") == ["mta-sts.example.net."], (pattern, text)
        assert records(text, "mta-sts", "A") == [], (pattern, text)
        assert len(records(text, "_smtp._tls", "TXT")) == 1, (pattern, text)


def test_mail_setup_refuses_what_generate_refuses_and_a_policy_for_a_domain_without_mail():
    undecided = spec("undecided.yaml", "services: [web]\n")
    assert zg("generate", undecided).returncode == 1
    r = zg("mail-setup", undecided)
    assert r.returncode == 1 and "(mail-undecided)" in r.err, (r.returncode, r.err)
    none = spec("none.yaml", "services: [web]\nmail: none\n")
    out = os.path.join(WORK, "none-policy.txt")
    r = zg("mail-setup", none, "--profile", profile("sts-none.yaml"), "--policy-out", out)
    assert r.returncode == 2 and "mail is not a service" in r.err and not os.path.exists(out), (r.returncode, r.err)


def test_pattern_c_without_mail_says_the_null_mx_bounces_mail_in_both_languages():
    s = write("c-none.yaml", "domain: example.com\ndns_pattern: C\nregistrar: customer\n"
                             "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n"
                             "customer_nameservers: [ns1.dns-host.example, ns2.dns-host.example]\n"
                             "services: [web]\nmail: none\n")
    ja = zg("instructions", s, "--lang", "ja")
    en = zg("instructions", s, "--lang", "en")
    assert ja.returncode == 0 and en.returncode == 0, (ja.err, en.err)
    assert "ヌルMX" in ja.out and "送信者に返送されます" in ja.out and "変更しないでください" not in ja.out, ja.out
    assert "returned to its senders" in en.out and "Leave the mail records" not in en.out, en.out


if __name__ == "__main__":
    harness.main(globals(), WORK)
