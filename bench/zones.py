"""The bench's zones: three shapes of the same size, written once and reused.

- ``names``: one A record per name (the shape of a large reverse or host zone);
- ``rrsets``: many records per rrset: names with 4 A, 3 AAAA, 2 MX and 2 TXT (11 records);
- ``hosting``: a hosting provider's mix, a block of 18 records per customer: web A and AAAA,
  a www CNAME, MX with SPF, DMARC and a 2048-bit DKIM key (a TXT of two strings), SRV, CAA,
  and a delegated subzone with its NS and glue.

``write(shape, n, path, change)`` writes about n records under bench.example; ``change`` is
the share of records whose rdata differs (for the diff rows).
"""
import os

ORIGIN = "bench.example"
SHAPES = ("names", "rrsets", "hosting")
HEAD = ("$ORIGIN bench.example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 14400 3600 1209600 3600\n"
        "@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n")
# A real 2048-bit RSA public key (392 base64 characters: more than one 255-octet string).
DKIM = ("v=DKIM1; k=rsa; p="
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwgqvUEsgPPrYWgsRMbdq3ricHi6P5O1jbjY0rxN2FnAcYZlpvyO0CkdnREyqE234ujQlIS3kJRtUDNCG9GbvJ0ShaMO7ZWP5RvfMi1M7ZQjknyZjea7AdmNYqu/bgUTH4x6YxUUBLMGTTDa97Niu9s0aZ2ia"
        "ZiP5Cs3I7wZ0OmCSDYhptbmPvi34Wviv7qPGvB97+ARDnFcgsS/r7DrriLpiJ4TisGqBpe0ieKqZp8moEr9bqUjb1DnEkOdTiIJDGoHaW0sHySHeDsJIrqmWeE/35FWgOb8Qd0pgyFQ4XfswkAJM6/gamIcyzyYIKU08VjSdnZLr/b91hlvqQ2J/NwIDAQAB")


def _ip4(i, bump=0):
    return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, ((i & 255) + bump) & 255)


def _names(n, f, changed):
    for i in range(n):
        f.write("h%d A %s\n" % (i, _ip4(i, changed(i))))


def _rrsets(n, f, changed):
    for i in range((n + 10) // 11):
        b = changed(i)
        f.write("n%d A %s\n" % (i, _ip4(4 * i, b)))
        for k in range(1, 4):
            f.write(" A %s\n" % _ip4(4 * i + k))
        for k in range(3):
            f.write(" AAAA 2001:db8:%x::%x\n" % (i & 0xffff, k + 1))
        f.write(" MX 10 mx1.example.net.\n MX 20 mx2.example.net.\n")
        f.write(' TXT "v=spf1 a mx -all"\n TXT "site-verification=%08x"\n' % i)


def _hosting(n, f, changed):
    for i in range((n + 17) // 18):
        c, b = "c%d" % i, changed(i)
        f.write("%s A %s\n %s AAAA 2001:db8:%x::%x\n" % (c, _ip4(i, b), "", i >> 16, (i & 0xffff) + 1))
        f.write("www.%s CNAME %s\n" % (c, c))
        f.write("%s MX 10 mail.%s\n MX 20 mx2.example.net.\n" % (c, c))
        f.write('%s TXT "v=spf1 a mx ip4:%s -all"\n' % (c, _ip4(i)))
        f.write("mail.%s A %s\n" % (c, _ip4(i)))
        f.write('_dmarc.%s TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@%s.bench.example"\n' % (c, c))
        f.write('default._domainkey.%s TXT "%s" "%s"\n' % (c, DKIM[:255], DKIM[255:]))
        f.write("_submission._tcp.%s SRV 0 1 587 mail.%s\n" % (c, c))
        f.write("_imaps._tcp.%s SRV 0 1 993 mail.%s\n" % (c, c))
        f.write('%s CAA 0 issue "letsencrypt.org"\n %s CAA 0 iodef "mailto:security@%s.bench.example"\n' % (c, "", c))
        f.write("shop.%s NS ns1.shop.%s\n NS ns2.shop.%s\n" % (c, c, c))
        f.write("ns1.shop.%s A %s\nns2.shop.%s A %s\n" % (c, _ip4(i + 1), c, _ip4(i + 2)))
        f.write("ns1.shop.%s AAAA 2001:db8:ff::%x\n" % (c, (i & 0xffff) + 1))


def write(shape, n, path, change=0.0):
    if os.path.exists(path):
        return path
    step = int(1 / change) if change else 0
    changed = lambda i: 1 if step and i % step == 0 else 0  # noqa: E731
    with open(path + ".tmp", "w") as f:
        f.write(HEAD)
        {"names": _names, "rrsets": _rrsets, "hosting": _hosting}[shape](n, f, changed)
    os.rename(path + ".tmp", path)
    return path
