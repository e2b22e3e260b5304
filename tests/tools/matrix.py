#!/usr/bin/env python3
"""Writes a matrix of customer specs (JSON, one per file) into DIR: every pattern and
registrar, services, address families, and extra records with quotes, semicolons,
backslashes, long TXT and many types; web-only pattern A with an MX or mail: none."""
import itertools, json, os, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
domains = ["example.com", "example.co.jp", "example.jp", "example.org", "example.net",
           "xn--eckwd4c7cu47r.com", "example.info", "münchen-beispiel.de", "example.biz", "sub-domain-1.example"]
families = [("v4", ["192.0.2.10"], []), ("v6", [], ["2001:db8::10"]),
            ("dual", ["192.0.2.10", "192.0.2.11"], ["2001:db8::10"])]
services = [["web", "mail"], ["web"], ["mail"]]
extras = [
    [],
    [{"name": "_dmarc", "type": "TXT", "data": '"v=DMARC1; p=reject; rua=mailto:d@example.net"'}],
    [{"name": "quote", "type": "TXT", "data": r'"say \"hello\"; and \\ goodbye"'}],
    [{"name": "long", "type": "TXT", "data": '"' + "a" * 255 + '" "' + "b" * 100 + '"'}],
    [{"name": "@", "type": "TXT", "data": '"v=spf1 include:_spf.example.net ~all"'},
     {"name": "@", "type": "TXT", "data": '"google-site-verification=abc;def"'}],
    [{"name": "_sip._tcp", "type": "SRV", "data": "10 60 5060 sip.example.net."},
     {"name": "@", "type": "CAA", "data": '0 issue "letsencrypt.org"'},
     {"name": "*.dev", "type": "A", "data": "198.51.100.7"},
     {"name": "shop", "type": "CNAME", "data": "shops.example.net."}],
    [{"name": "sel._domainkey", "type": "TXT",
      "data": '"v=DKIM1; k=rsa; " "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx6BwKznH4zrTb85s2RyqXSMH45/+9Ekowot3lTP1XIZPOa86dazynFUqkUFXh12sxgWg++HSMIxKU1jQ8oTHXsicxMGxyFy1RsLbAQubi1m7lJPZOSHkKBUbS/mMre7Fk0Az7sfh55vkz8w90f6RT0Tasa6h" "x+g7SblYMm7Hv1MlzG7B96tEKvUiuB1HqMXsvNhBoMZJ48veylVEZtabu9IVjU1/IMQ49dl0tLXZBh2dhoP9+a9sFuCy4j8NSb0qDu+muFuasiJxJXVjppQXxA0jiRAtB3F+nUKDUNqyAoqV4oGjNmbW964a4DFPcL2QWxZ2jr9hj2ZFZgPnREynxwIDAQAB"'}],
]
n = 0
for (dom, (fam, v4, v6), svc, extra, pattern, reg) in itertools.product(
        domains, families, services, range(len(extras)), "ABC", ["transfer", "customer"]):
    # Every 17th combination: 17 is prime to every axis' length, so each value of each
    # axis still appears, and the choice is the same on every run.
    n += 1
    if n % 17:
        continue
    spec = {"domain": dom, "dns_pattern": pattern, "registrar": reg,
            "server": {"name": "sv%d.example.net" % n}, "services": svc,
            "records": extras[extra]}
    if v4: spec["server"]["ipv4"] = v4
    if v6: spec["server"]["ipv6"] = v6
    if pattern == "B":
        spec["customer_primary"] = ["203.0.113.53"]
    if pattern in "BC":
        spec["customer_nameservers"] = ["ns1.dns-host.example", "ns2.dns-host.example"]
    if n % 5 == 0:
        spec["ttl"] = 600
    if pattern == "A" and svc == ["web"]:
        # Web only: the spec says where mail goes (mail-undecided otherwise): the MX of the
        # customer's mail service, or mail: none (a null MX; never beside an SPF that
        # authorises senders).
        spf = any(r["name"] == "@" and "v=spf1" in r["data"] for r in extras[extra])
        if spf or n % 2 == 0:
            spec["records"] = extras[extra] + [{"name": "@", "type": "MX", "data": "10 mx.mail-provider.example."}]
        else:
            spec["mail"] = "none"
    with open(os.path.join(out, "spec-%04d.json" % n), "w") as f:
        json.dump(spec, f, ensure_ascii=False)
