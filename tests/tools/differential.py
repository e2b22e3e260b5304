#!/usr/bin/env python3
"""Differential test the project owns: a seeded generator of valid and deliberately broken
zones, each run through named-checkzone (-i local), kzonecheck and `zonegen validate`;
their accept/reject verdicts are compared.

- legal/*: odd but legal syntax (parentheses, comments, $TTL and $ORIGIN changes, relative
  names, @, omitted owners, escapes, TTL notation such as 1h30m and 1W, class present or
  omitted, TTL and class in either order), long TXT (many strings, >255 octets split),
  every rrtype libzscanner reads, and the generic RFC 3597 form (\\#);
- broken/*: zones no master-file reader may accept (a 256-octet string, a 64-octet label,
  a bad TTL unit, an unterminated parenthesis or quote, an rdata length that lies...);
- check/ID[/variant]: a zone made to trigger each check id `zonegen checks` lists (with a
  spec for the DNS-pattern checks).

Every zone where the three tools do not all agree must be listed, by case and verdicts, in
the expected-disagreements file with its RFC reason; the test fails on an unlisted
disagreement, on a listed one that no longer occurs, and on a check id with no case.
Usage: differential.py ZONEGEN SOURCE_DIR WORKDIR [--seed N] [--per-case N] [--table]"""
import argparse, base64, concurrent.futures, hashlib, json, os, random, shutil, struct, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("zonegen")
ap.add_argument("src")
ap.add_argument("work")
ap.add_argument("--seed", type=int, default=int(os.environ.get("ZONEGEN_DIFF_SEED", "13")))
ap.add_argument("--per-case", type=int, default=4, help="zones generated per case")
ap.add_argument("--table", action="store_true", help="print every zone's verdicts")
ap.add_argument("--expected", default=None, help="expected-disagreements file")
args = ap.parse_args()
EXPECTED = args.expected or os.path.join(args.src, "tests", "differential-expected.tsv")

# Checks that are about a spec, not a zone file: `generate` reports them, no zone file can
# carry them, so BIND and Knot have nothing to say. check_fixtures proves each fires.
SPEC_ONLY = {
    "ttl-mixed-refused": "generation refuses a spec whose extra record's TTL differs from its rrset's",
    "glue-not-needed": "a spec that gives addresses for a name server outside the domain",
    "tld-unknown": "a spec whose domain's TLD is not in the Public Suffix List",
    "dnssec-in-source": "a spec whose import_from zone is signed (a migration warning)",
    "mail-undecided": "a web-only pattern-A spec that neither gives an MX nor says mail: none (generate refuses it before a zone exists)",
    "mx-external": "a spec with mail whose import_from zone's MX points outside the domain",
    "ttl-explicit": "a spec whose extra record sets its rrset's TTL over the generated one",
    "server-address-special": "a spec whose managed server has a loopback, unspecified or multicast address",
    "mta-sts-mx-uncertified": "a profile whose MTA-STS policy would name an MX host the server has no certificate for",
    "caa-withheld": "a spec with a name served elsewhere (generate leaves the default CAA out)",
    "mta-sts-enforce-uncertified": "a profile whose MTA-STS mode enforce lacks a certificate for mta-sts.<domain>",
}

# ---- building blocks -----------------------------------------------------------------------


class Z:
    """One generated zone: its case, origin, text, and optionally a spec for --spec."""

    def __init__(self, case, origin, text, spec=None, extra_files=None):
        self.case, self.origin, self.text, self.spec, self.extra_files = case, origin, text, spec, extra_files or {}


def label(rng, n=None):
    n = n or rng.randint(1, 12)
    first = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return first + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n - 1))


def origin_of(rng):
    return "%s-%s.%s" % (label(rng, 5), label(rng, 4), rng.choice(["com", "net", "org", "jp", "co.jp", "example"]))


def v4(rng):
    return "%s.%d" % (rng.choice(["192.0.2", "198.51.100", "203.0.113"]), rng.randint(1, 254))


def v6(rng):
    return "2001:db8:%x::%x" % (rng.randint(0, 0xffff), rng.randint(1, 0xffff))


def hexs(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def b64(rng, n):
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(chars) for _ in range(n * 4))


def head(origin, rng, mname="ns1", ns2=None):
    """$ORIGIN, $TTL, SOA, two NS (one in zone with its address, one outside)."""
    ns2 = ns2 or "ns2.%s.example." % label(rng, 6)
    return ["$ORIGIN %s." % origin, "$TTL %d" % rng.choice([300, 3600, 86400]),
            "@ IN SOA %s hostmaster %d 14400 3600 1209600 3600" % (mname, rng.randint(1, 2**31)),
            "@ IN NS ns1", "@ IN NS %s" % ns2, "ns1 IN A %s" % v4(rng)]


def zone(case, origin, lines, **kw):
    return Z(case, origin, "\n".join(lines) + "\n", **kw)


# ---- every rrtype libzscanner reads, with valid rdata ----------------------------------------

# An RSA/SHA-256 public key (RFC 3110 form): random bytes would not decode as one.
# DKIM public keys (SubjectPublicKeyInfo, base64) of RSA keys whose private halves were not kept.
DKIM_RSA_2048 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5AC/0kcpVoqItPe5a3WFS2k/WtgJTiZJJsyboBr35/baf7hxCwF1boKlimpDPRfloHjdi/mSsgPFQmbpK39y8c3oBlgSxbwg3Oo5TsJQH2I712pUKV1EHOJ84iswh+7XG4Gx0RUMkQCAh3XDSdCpDBKWm/CsejeBBkthR8oTGk+WFrvgGW7onBVuorEW9ULuLs06sK3Dp2B26OC8Z/WtmE3h2o6gepQxmdz6LvuE8Wwc1tE1Tw39v4p0bRZBBiVv7hrHC3/6QQo42le4TUiEPEgWymRHfDlpudtLdpDtbiR57olhVBzl1ZB9MT2i4cKXtqGwQohSuiMFS1rl2u0pwIDAQAB"
DKIM_RSA_1024 = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDWAmOmyncws1jvQdXDk9xxpeCO2F/daFou6ekfS5kgUqBExBKE1A4/OldI3Bt0muX01p/sWkEiuJqhsg82AR92LpCYIzsB5Z5ccd7dnAg3HSCCTSVm7iLzcfDITjEwFwqa2re9zG8mSwTjI5wnMGpCVcmCVCjd2lGEGJ5yUQhNNwIDAQAB"
DKIM_RSA_512 = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAJ3U6R0vjVhty8VAyz7YfESXpPMOuD4hIeglRNAVnqYE2rZ27HZtmnBMbqBgyRKELk8hkcXYiuV7D0Iu4UN3aLECAwEAAQ=="
RSA_KEY = ("AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQ"
           "lNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+"
           "sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrU"
           "B5qihylGa8subX2Nn6UwNR1AkUTV74bU=")


def cds_of(origin, flags=257, alg=8):
    """The SHA-256 CDS (RFC 7344, the DS form of RFC 4034 section 5.1.4) of RSA_KEY at ORIGIN:
    BIND refuses a CDS or CDNSKEY that matches no DNSKEY of the zone."""
    rdata = struct.pack("!HBB", flags, 3, alg) + base64.b64decode(RSA_KEY)
    wire = b"".join(bytes([len(l)]) + l.lower().encode() for l in origin.rstrip(".").split(".")) + b"\0"
    acc = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
    tag = (acc + (acc >> 16)) & 0xFFFF
    return "%d %d 2 %s" % (tag, alg, hashlib.sha256(wire + rdata).hexdigest().upper())


def rdata_samples(rng, origin):
    key = RSA_KEY
    return {
        "A": v4(rng), "NS": "ns.%s.example." % label(rng), "CNAME": "%s.example.net." % label(rng),
        "PTR": "%s.example.net." % label(rng), "HINFO": '"PC-%d" "Linux"' % rng.randint(1, 99),
        "MINFO": "rmail.example.net. email.example.net.", "MX": "%d mail.example.net." % rng.randint(0, 100),
        "TXT": '"%s" "%s"' % (label(rng), label(rng)), "RP": "mbox.example.net. txt.example.net.",
        "AFSDB": "1 afs.example.net.", "RT": "10 relay.example.net.", "KEY": "256 3 8 " + key, "AAAA": v6(rng),
        "LOC": "35 41 22.000 N 139 41 31.000 E %d.00m 1m 10000m 10m" % rng.randint(0, 900),
        "SRV": "0 5 %d sip.example.net." % rng.randint(1, 65535),
        "NAPTR": '100 10 "S" "SIP+D2U" "" _sip._udp.example.net.', "KX": "10 kx.example.net.",
        "CERT": "1 0 0 " + b64(rng, 8), "DNAME": "%s.example.net." % label(rng),
        "APL": "1:192.0.2.0/24 !2:2001:db8::/32", "DS": "%d 8 2 %s" % (rng.randint(1, 65535), hexs(rng, 64)),
        "SSHFP": "1 1 " + hexs(rng, 40), "IPSECKEY": "10 1 2 %s %s" % (v4(rng), b64(rng, 8)),
        "RRSIG": "A 8 3 3600 20300101000000 20200101000000 %d %s. %s" % (rng.randint(1, 65535), origin, b64(rng, 16)),
        "NSEC": "next.%s. A RRSIG NSEC" % origin, "DNSKEY": "257 3 8 " + key,
        "DHCID": "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
        "NSEC3": "1 0 10 AABBCCDD 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S A RRSIG", "NSEC3PARAM": "1 0 10 AABBCCDD",
        "TLSA": "3 1 1 " + hexs(rng, 64), "SMIMEA": "3 1 1 " + hexs(rng, 64), "CDS": cds_of(origin),
        "CDNSKEY": "257 3 8 " + key, "OPENPGPKEY": b64(rng, 12), "CSYNC": "%d 3 A NS AAAA" % rng.randint(1, 99),
        "ZONEMD": "%d 1 1 %s" % (rng.randint(1, 2**31), hexs(rng, 96)),
        "SVCB": "1 svc.example.net. alpn=h2 port=%d" % rng.randint(1, 65535), "HTTPS": "1 . alpn=h2,h3",
        "SPF": '"v=spf1 -all"', "NID": "10 0014:4fff:ff20:ee64", "L32": "10 10.1.2.0",
        "L64": "10 2001:0DB8:1140:1000", "LP": "10 l64-subnet.example.net.",
        "EUI48": "00-00-5e-00-53-%02x" % rng.randint(0, 255), "EUI64": "00-00-5e-ef-10-00-00-%02x" % rng.randint(0, 255),
        "URI": '10 1 "https://www.example.net/%s"' % label(rng), "CAA": '0 issue "letsencrypt.org"',
    }


APEX_TYPES = {"DNSKEY", "CDS", "CDNSKEY", "NSEC3PARAM", "ZONEMD", "CSYNC"}


def case_rrtype(rtype):
    def make(rng):
        origin = origin_of(rng)
        lines = head(origin, rng)
        data = rdata_samples(rng, origin)[rtype]
        if rtype in APEX_TYPES:
            owner = "@"
            if rtype in ("CDS", "CDNSKEY"):  # beside the DNSKEY they point at
                lines.append("@ DNSKEY 257 3 8 " + RSA_KEY)
        elif rtype == "DS":  # at a delegation, beside its NS
            owner = "sub"
            lines.append("sub IN NS ns.%s.example." % label(rng))
        elif rtype == "NSEC3":
            owner = "2vptu5timamqttgl4luu9kg21e0aor3s"
        elif rtype == "NS":
            owner = "deleg"
        elif rtype in ("SRV",):
            owner = "_sip._tcp"
        elif rtype in ("TLSA",):
            owner = "_443._tcp.www"
        else:
            owner = label(rng)
        lines.append("%s %s %s" % (owner, rtype, data))
        if rtype == "RRSIG" or rtype == "NSEC":
            lines.append("%s A %s" % (owner, v4(rng)))
        return zone("legal/rrtype/" + rtype, origin, lines)
    return make


# ---- odd but legal syntax ----------------------------------------------------------------------

def ttl_notation(rng):
    forms = ["1h30m", "1W", "2d", "90s", "1H", "1w2d3h4m5s", "3600", "30M", "1D12H", "0"]
    return rng.choice(forms)


def legal_parens_comments(rng):
    origin = origin_of(rng)
    lines = ["$ORIGIN %s. ; the origin" % origin, "$TTL 3600",
             "@ IN SOA ns1 hostmaster ( ; a comment inside",
             "        %d ; serial" % rng.randint(1, 2**31), "        14400 ; refresh", "        3600 ; retry",
             "        1209600 ; expire", "        3600 ) ; minimum", "; a whole-line comment",
             "@ NS ( ns1 )", "@ NS ns2.%s.example. ; trailing" % label(rng), "ns1 A %s" % v4(rng),
             "txt TXT ( \"a;b\" ; not a comment inside quotes, but this is", "      \"c\" )",
             "mx MX ( 10", "  mail.example.net. )", ""]
    return zone("legal/parens-comments", origin, lines)


def legal_directives(rng):
    origin = origin_of(rng)
    sub = label(rng)
    lines = head(origin, rng)
    lines += ["$TTL %s" % ttl_notation(rng), "a A %s" % v4(rng),
              "$ORIGIN %s.%s." % (sub, origin), "www A %s" % v4(rng), "@ TXT \"at the sub origin\"",
              "$ORIGIN %s.%s." % (label(rng), origin), "host AAAA %s" % v6(rng),
              "$TTL 60", "$ORIGIN %s." % origin, "b A %s" % v4(rng)]
    return zone("legal/directives", origin, lines)


def legal_origin_relative(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    lines += ["$ORIGIN %s" % label(rng),  # relative: appended to the current origin (RFC 1035 5.1)
              "www A %s" % v4(rng)]
    return zone("legal/origin-relative", origin, lines)


def legal_owners(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    n = label(rng)
    lines += ["%s A %s" % (n, v4(rng)), "    AAAA %s" % v6(rng), "\tTXT \"the same owner\"",
              "%s.%s. A %s" % (label(rng), origin, v4(rng)), "@ MX 10 %s" % n, "@ TXT \"apex\"",
              "*.wild A %s" % v4(rng), "%s.%s MX 0 ." % (label(rng), label(rng)),
              "%s CNAME %s" % (label(rng), n)]
    return zone("legal/owners", origin, lines)


def legal_escapes(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    lines += [r'txt TXT "quote \" backslash \\ decimal \065\066 semicolon ; paren ( )"',
              r'esc\065pe A %s' % v4(rng), r'txt2 TXT "\000\255\127" "\195\169"',
              r'_srv._tcp SRV 0 0 1 target\045host.example.net.', r'caa CAA 0 issue "ca.example.net; account=\"x\""',
              r'@ TXT unquoted\ with\ spaces']
    return zone("legal/escapes", origin, lines)


def legal_txt_8bit(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    lines += ['txt TXT "%s" "caf\u00e9"' % rng.choice(["日本語", "é", "ü"])]
    return zone("legal/txt-8bit", origin, lines)


def legal_ttl_class(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    for i in range(6):
        t = ttl_notation(rng)
        form = rng.choice(["{o} {t} IN A {a}", "{o} IN {t} A {a}", "{o} {t} A {a}", "{o} IN A {a}", "{o} A {a}",
                           "{o} {t} in a {a}"])
        lines.append(form.format(o="t%d" % i, t=t, a=v4(rng)))
    return zone("legal/ttl-class", origin, lines)


def legal_long_txt(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    lines.append('dkim TXT "v=DKIM1; k=rsa; " "p=%s" "%s"' % ("Q" * 253, b64(rng, 40)))
    lines.append('many TXT %s' % " ".join('"%s"' % label(rng, rng.randint(1, 60)) for _ in range(rng.randint(5, 40))))
    lines.append('full TXT "%s"' % ("x" * 255))
    lines.append('empty TXT ""')
    return zone("legal/long-txt", origin, lines)


def legal_generic(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    a = [rng.randint(0, 255) for _ in range(4)]
    lines += ["gen TYPE%d \\# 4 %s" % (rng.randint(65280, 65534), hexs(rng, 8)),
              "gena A \\# 4 %02x%02x%02x%02x" % tuple(a), "genempty TYPE65400 \\# 0",
              "gentxt TXT \\# 6 05%s" % "68656c6c6f", "gentype TYPE1 192.0.2.%d" % rng.randint(1, 254)]
    return zone("legal/generic", origin, lines)


def legal_generic_class(rng):
    origin = origin_of(rng)
    lines = head(origin, rng)
    lines += ["genclass CLASS1 A 192.0.2.%d" % rng.randint(1, 254)]  # RFC 3597 section 5
    return zone("legal/generic-class", origin, lines)


def legal_mixed(rng):
    """Random concatenation of legal fragments in one zone."""
    origin = origin_of(rng)
    lines = head(origin, rng)
    samples = rdata_samples(rng, origin)
    kinds = [t for t in samples if t not in APEX_TYPES and t not in ("NS", "DS", "CNAME", "DNAME", "RRSIG", "NSEC", "NSEC3")]
    for i in range(rng.randint(5, 25)):
        t = rng.choice(kinds)
        ttl = rng.choice(["", ttl_notation(rng) + " "])
        cls = rng.choice(["", "IN "])
        lines.append("m%d %s%s%s %s" % (i, ttl, cls, t, samples[t]))
    return zone("legal/mixed", origin, lines)


# ---- deliberately broken -----------------------------------------------------------------------

def broken(name, line_fn):
    def make(rng):
        origin = origin_of(rng)
        lines = head(origin, rng)
        lines.append(line_fn(rng, origin))
        return zone("broken/" + name, origin, lines)
    return make


BROKEN = {
    "txt-256": lambda r, o: 'x TXT "%s"' % ("y" * 256),
    "label-64": lambda r, o: "%s A %s" % ("l" * 64, v4(r)),
    "name-256": lambda r, o: "%s. A %s" % (".".join(["a" * 60] * 4) + "." + o, v4(r)),
    "ttl-unit": lambda r, o: "x 1x A %s" % v4(r),
    "paren-unclosed": lambda r, o: "x TXT ( \"a\"",
    "quote-unclosed": lambda r, o: 'x TXT "abc',
    "ipv4-bad": lambda r, o: "x A 192.0.2.%d" % r.randint(256, 999),
    "ipv6-bad": lambda r, o: "x AAAA 2001:db8::g",
    "type-unknown": lambda r, o: "x FOOBAR 1",
    "generic-length": lambda r, o: "x TYPE65300 \\# 5 0102",
    "escape-999": lambda r, o: "x\\999 A %s" % v4(r),
    "mx-no-pref": lambda r, o: "x MX mail.example.net.",
    "rdata-missing": lambda r, o: "x A",
    "ttl-directive-bad": lambda r, o: "$TTL abc",
    "origin-directive-bad": lambda r, o: "$ORIGIN ..",
    "class-unknown": lambda r, o: "x CH A %s" % v4(r),
    "base64-bad": lambda r, o: "x OPENPGPKEY !!!notbase64",
    "srv-port-big": lambda r, o: "_s._tcp SRV 0 0 70000 t.example.net.",
}


# ---- one (or more) zones per check id ---------------------------------------------------------

def checks_cases():
    C = {}

    def add(cid, fn, variant=None):
        C["check/" + cid + ("/" + variant if variant else "")] = fn

    def with_lines(extra):
        def make_case(case):
            def make(rng):
                origin = origin_of(rng)
                lines = head(origin, rng)
                lines += extra(rng, origin)
                return zone(case, origin, lines)
            return make
        return make_case

    def plain(cid, extra, variant=None):
        name = "check/" + cid + ("/" + variant if variant else "")
        C[name] = with_lines(extra)(name)

    plain("syntax", lambda r, o: ["x A %s extra" % v4(r)])
    plain("owner-outside-zone", lambda r, o: ["%s.example.net. A %s" % (label(r), v4(r))])
    plain("ttl-range", lambda r, o: ["x %d A %s" % (r.randint(2**31, 2**32 - 1), v4(r))])
    plain("hostname-syntax", lambda r, o: ["%s_%s A %s" % (label(r), label(r), v4(r))], "address-owner")
    plain("hostname-syntax", lambda r, o: ["@ MX 10 mail_%s.example.net." % label(r)], "mx-target")
    plain("target-ip-literal", lambda r, o: ["@ MX 10 %s." % v4(r)])
    plain("cname-and-other-data", lambda r, o: ["www CNAME t.example.net.", "www A %s" % v4(r)])
    plain("cname-multiple", lambda r, o: ["www CNAME a.example.net.", "www CNAME b.example.net."])
    plain("dname-multiple", lambda r, o: ["d DNAME a.example.net.", "d DNAME b.example.net."])
    plain("dname-and-ns", lambda r, o: ["d DNAME a.example.net.", "d NS ns.example.net."])
    plain("duplicate-record", lambda r, o: ["x A 192.0.2.1", "x A 192.0.2.1"])
    plain("ttl-mixed", lambda r, o: ["x 300 A 192.0.2.1", "x 600 A 192.0.2.2"])
    plain("data-below-dname", lambda r, o: ["d DNAME a.example.net.", "x.d A %s" % v4(r)])
    plain("data-below-delegation", lambda r, o: ["sub NS ns.example.net.", 'x.sub TXT "%s"' % label(r)])
    plain("target-is-cname", lambda r, o: ["@ MX 10 alias", "alias CNAME mail.example.net."], "mx")
    plain("target-is-cname", lambda r, o: ["_sip._tcp SRV 0 0 5060 alias", "alias CNAME sip.example.net."], "srv")
    plain("target-is-cname", lambda r, o: ["sub NS alias", "alias CNAME ns.example.net."], "ns-delegation")
    plain("soa-not-at-apex", lambda r, o: ["sub SOA ns1 hostmaster 1 14400 3600 1209600 3600"])
    plain("ns-target-no-address", lambda r, o: ["@ NS ns3"])
    plain("glue-missing", lambda r, o: ["sub NS ns.sub"])
    plain("mx-target-no-address", lambda r, o: ["@ MX 10 nomail"])
    plain("ds-at-apex", lambda r, o: ["@ DS 12345 8 2 " + hexs(r, 64)])
    plain("ds-not-at-delegation", lambda r, o: ["x A %s" % v4(r), "x DS 12345 8 2 " + hexs(r, 64)])
    plain("dnskey-not-at-apex", lambda r, o: ["x DNSKEY 256 3 8 " + RSA_KEY])
    plain("spf-multiple", lambda r, o: ['@ TXT "v=spf1 -all"', '@ TXT "v=spf1 ip4:%s -all"' % v4(r)])
    plain("spf-syntax", lambda r, o: ['@ TXT "v=spf1 ip4:999.1.1.1 bogus:x -all"'])
    plain("spf-lookups", lambda r, o: ['@ TXT "v=spf1 %s" " %s -all"' % (" ".join("a:h%d.%s" % (i, o) for i in range(6)),
                                                                        " ".join("a:h%d.%s" % (i, o) for i in range(6, 12)))]
          + ["h%d A %s" % (i, v4(r)) for i in range(12)])
    plain("spf-include-unknown", lambda r, o: ['@ TXT "v=spf1 include:_spf.%s.example -all"' % label(r)])
    plain("dmarc-syntax", lambda r, o: ['_dmarc TXT "v=DMARC1; p=sometimes"'])
    plain("dmarc-multiple", lambda r, o: ['_dmarc TXT "v=DMARC1; p=none"', '_dmarc TXT "v=DMARC1; p=reject"'])
    plain("mta-sts-syntax", lambda r, o: ['_mta-sts TXT "v=STSv1; id=%s-%s"' % (label(r), label(r))])
    plain("tls-rpt-syntax", lambda r, o: ['_smtp._tls TXT "v=TLSRPTv1; rua=%s@%s.example"' % (label(r), label(r))])
    plain("mx-target-ipv6-only", lambda r, o: ["@ MX 10 mx6", "mx6 AAAA 2001:db8::%x" % r.randint(1, 0xffff)])
    plain("caa-syntax", lambda r, o: ['@ CAA 0 iodef "%s@%s.example"' % (label(r), label(r))])
    plain("caa-critical-unknown", lambda r, o: ['@ CAA 128 %s "x"' % label(r)[:10]])
    # DKIM: an RSA key cut short (issue 17's 203 characters), 512 and 1024 bits, v= not first.
    plain("dkim-key-invalid", lambda r, o: ['%s._domainkey TXT "v=DKIM1; k=rsa; p=%s"' % (label(r), DKIM_RSA_2048[:203])])
    plain("dkim-key-weak", lambda r, o: ['%s._domainkey TXT "v=DKIM1; k=rsa; p=%s"' % (label(r), DKIM_RSA_512)])
    plain("dkim-key-short", lambda r, o: ['%s._domainkey TXT "v=DKIM1; k=rsa; p=%s"' % (label(r), DKIM_RSA_1024)])
    plain("dkim-syntax", lambda r, o: ['%s._domainkey TXT "k=rsa; v=DKIM1; p=%s" "%s"'
                                       % (label(r), DKIM_RSA_2048[:200], DKIM_RSA_2048[200:])])
    plain("null-mx-not-alone", lambda r, o: ["@ MX 0 .", "@ MX 10 mx.%s.example." % label(r)])

    def no_head(case, lines_fn):
        def make(rng):
            origin = origin_of(rng)
            return zone(case, origin, lines_fn(rng, origin))
        C[case] = make

    no_head("check/soa-missing", lambda r, o: ["$ORIGIN %s." % o, "$TTL 3600", "@ NS ns1", "@ NS ns2.example.net.",
                                               "ns1 A %s" % v4(r)])
    no_head("check/soa-multiple", lambda r, o: head(o, r) + ["@ SOA ns1 other 2 14400 3600 1209600 3600"])
    no_head("check/soa-timers", lambda r, o: ["$ORIGIN %s." % o, "$TTL 3600", "@ SOA ns1 hostmaster 1 60 10 600 5",
                                              "@ NS ns1", "@ NS ns2.example.net.", "ns1 A %s" % v4(r)])
    no_head("check/ns-apex-missing", lambda r, o: ["$ORIGIN %s." % o, "$TTL 3600",
                                                   "@ SOA ns1.example.net. hostmaster 1 14400 3600 1209600 3600",
                                                   "www A %s" % v4(r)])
    no_head("check/ns-apex-count", lambda r, o: ["$ORIGIN %s." % o, "$TTL 3600",
                                                 "@ SOA ns1 hostmaster 1 14400 3600 1209600 3600", "@ NS ns1",
                                                 "ns1 A %s" % v4(r)])

    def included(rng):
        origin = origin_of(rng)
        lines = head(origin, rng) + ["$INCLUDE inc-%s.db" % origin]
        return zone("check/include-refused", origin, lines,
                    extra_files={"inc-%s.db" % origin: "inc A %s\n" % v4(rng)})
    C["check/include-refused"] = included

    # The DNS-pattern checks: a zone `generate` made from a spec, then broken, validated
    # with --spec. BIND and Knot know no patterns.
    def pattern(cid, mutate):
        def make(rng):
            dom = origin_of(rng)
            ip = v4(rng)
            spec = {"domain": dom, "dns_pattern": "A", "registrar": "customer",
                    "server": {"name": "sv%d.example.net" % rng.randint(1, 99), "ipv4": [ip]},
                    "services": ["web", "mail"]}
            return Z("check/" + cid, dom, None, spec=(spec, mutate))
        C["check/" + cid] = make

    pattern("pattern-ns", lambda t, r: t.replace("86400 IN NS     ns2.example.net.", "86400 IN NS     ns.other.example.", 1)
            if "ns2.example.net." in t else t + "@ 86400 IN NS ns.other.example.\n")
    pattern("pattern-mname", lambda t, r: t.replace("IN SOA    ns1.example.net.", "IN SOA    ns9.other.example.", 1))
    pattern("pattern-records", lambda t, r: "\n".join(
        l if not (l.startswith("www ") and " A " in l) else l.rsplit(None, 1)[0] + " 203.0.113.251"
        for l in t.splitlines()) + "\n")
    pattern("pattern-spf", lambda t, r: "\n".join(l if "v=spf1" not in l else l.split("TXT")[0] + 'TXT "v=spf1 -all"'
                                                  for l in t.splitlines()) + "\n")
    # CAA and MTA-STS about the names the managed server serves (validated with --spec).
    # (The generated zone's own CAA, which permits the profile's CA, makes way for the case's.)
    def no_caa(t):
        return "".join(l + "\n" for l in t.splitlines() if " IN CAA " not in l)
    pattern("caa-forbids-ca", lambda t, r: no_caa(t) + '@ 3600 IN CAA 0 issue "%s"\n' % r.choice(
        ["digicert.com", "sectigo.com", ";"]))
    pattern("caa-constrained", lambda t, r: no_caa(t) + '@ 3600 IN CAA 0 issue "letsencrypt.org; '
            'validationmethods=%s"\n' % r.choice(["http-01", "dns-01", "http-01,dns-01"]))
    pattern("mta-sts-stale", lambda t, r: t + '_mta-sts 3600 IN TXT "v=STSv1; id=%d"\n' % r.randint(1, 10**9))
    return C


# ---- running the tools -------------------------------------------------------------------------

def materialise(z, idx, rng):
    d = os.path.join(args.work, "z%04d" % idx)
    os.makedirs(d, exist_ok=True)
    spec_path = None
    if z.spec is not None:
        spec, mutate = z.spec
        spec_path = os.path.join(d, "spec.json")
        json.dump(spec, open(spec_path, "w"))
        r = subprocess.run([args.zonegen, "generate", spec_path], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("FAIL %s: generate exited %d: %s" % (z.case, r.returncode, r.stderr))
        z.text = mutate(r.stdout, rng)
    for name, text in z.extra_files.items():
        open(os.path.join(d, name), "w").write(text)
    path = os.path.join(d, "zone.db")
    open(path, "w", encoding="utf-8", errors="surrogateescape").write(z.text)
    return path, spec_path


def verdict(rc):
    return "accept" if rc == 0 else "reject" if rc == 1 else "exit%d" % rc


def run_one(item):
    idx, z, path, spec_path = item
    d = os.path.dirname(path)
    named = subprocess.run(["named-checkzone", "-i", "local", z.origin, path], capture_output=True, text=True,
                           errors="replace", cwd=d, timeout=120)
    knot = subprocess.run(["kzonecheck", "-o", z.origin, path], capture_output=True, text=True, errors="replace",
                          cwd=d, timeout=120)
    cmd = [args.zonegen, "validate", path, "--origin", z.origin] + (["--spec", spec_path] if spec_path else [])
    ours = subprocess.run(cmd, capture_output=True, text=True, errors="replace", cwd=d, timeout=120)
    # BIND's exit status is 1 for any rejection; Knot's too (semantic errors included).
    v = (verdict(min(named.returncode, 1)), verdict(min(knot.returncode, 1)), verdict(ours.returncode))
    first = lambda out: next((l for l in out.splitlines() if l.strip()), "")
    why = {"named": first(named.stdout + named.stderr), "knot": first(knot.stdout + knot.stderr),
           "zonegen": next((l for l in ours.stdout.splitlines() if ": error: " in l), first(ours.stdout + ours.stderr))}
    # A check/ID case must make zonegen report ID: otherwise the case tests nothing.
    missed = None
    if z.case.startswith("check/"):
        cid = z.case.split("/")[1]
        if "(%s)" % cid not in ours.stdout:
            missed = "zonegen did not report %s: %s" % (cid, ours.stdout[-500:])
    return idx, z, v, why, missed


def load_expected():
    rows = {}
    for n, line in enumerate(open(EXPECTED, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != 5 or not f[4].strip():
            raise SystemExit("FAIL %s:%d: want CASE<TAB>BIND<TAB>KNOT<TAB>ZONEGEN<TAB>REASON" % (EXPECTED, n))
        rows[(f[0], f[1], f[2], f[3])] = f[4]
    return rows


def main():
    for t in ("named-checkzone", "kzonecheck"):
        if not shutil.which(t):
            print("FAIL: %s is not installed (run scripts/deps.sh)" % t)
            return 1
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    rng = random.Random(args.seed)
    cases = {}
    probe = rdata_samples(random.Random(0), "x.example")
    for t in sorted(probe):
        cases["legal/rrtype/" + t] = case_rrtype(t)
    for name, fn in [("legal/parens-comments", legal_parens_comments), ("legal/directives", legal_directives),
                     ("legal/owners", legal_owners), ("legal/escapes", legal_escapes),
                     ("legal/ttl-class", legal_ttl_class), ("legal/long-txt", legal_long_txt),
                     ("legal/generic", legal_generic), ("legal/mixed", legal_mixed),
                     ("legal/origin-relative", legal_origin_relative), ("legal/txt-8bit", legal_txt_8bit),
                     ("legal/generic-class", legal_generic_class)]:
        cases[name] = fn
    for name, fn in BROKEN.items():
        cases["broken/" + name] = broken(name, fn)
    cases.update(checks_cases())

    # Every check id has a case (or is a spec-only check, named above with its reason).
    ids = subprocess.run([args.zonegen, "checks"], capture_output=True, text=True, check=True).stdout.split("\n")
    ids = [l.split("\t")[0] for l in ids if l.strip()]
    covered = {c.split("/")[1] for c in cases if c.startswith("check/")}
    missing = [i for i in ids if i not in covered and i not in SPEC_ONLY]
    if missing:
        print("FAIL: check ids with no differential case: %s" % ", ".join(missing))
        return 1

    items = []
    idx = 0
    for name in sorted(cases):
        # legal/mixed is the random soup: more of it.
        for k in range(args.per_case * (5 if name == "legal/mixed" else 1)):
            idx += 1
            z = cases[name](rng)
            path, spec_path = materialise(z, idx, rng)
            items.append((idx, z, path, spec_path))
    expected = load_expected()
    seen = {}
    unlisted = []
    unfired = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for idx, z, v, why, missed in ex.map(run_one, items):
            if missed:
                unfired.append((idx, z.case, missed))
            if args.table:
                print("%04d\t%s\t%s\t%s\t%s\t%s" % (idx, z.case, *v, why["zonegen"][:100]))
            if len(set(v)) == 1:
                continue
            key = (z.case, *v)
            seen[key] = seen.get(key, 0) + 1
            if key not in expected:
                unlisted.append((idx, key, why))
    fails = 0
    for idx, key, why in unlisted:
        fails += 1
        print("FAIL z%04d %s: BIND %s, Knot %s, zonegen %s (unlisted)\n  named: %s\n  knot: %s\n  zonegen: %s"
              % (idx, key[0], key[1], key[2], key[3], why["named"][:200], why["knot"][:200], why["zonegen"][:200]))
    for idx, case, missed in unfired:
        fails += 1
        print("FAIL z%04d %s: %s" % (idx, case, missed))
    for key in expected:
        if key not in seen:
            fails += 1
            print("FAIL listed disagreement no longer occurs: %s (BIND %s, Knot %s, zonegen %s)" % key)
    kinds = len({k[0] for k in seen})
    print("differential: %d zones from %d cases (seed %d); %d where the three tools disagree, in %d listed cases "
          "(%s); %d unlisted" % (len(items), len(cases), args.seed, sum(seen.values()), kinds,
                                 ", ".join("%s %d" % (k[0], n) for k, n in sorted(seen.items())), len(unlisted)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
