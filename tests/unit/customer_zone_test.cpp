#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "zonegen/customer_zone.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/migrate.hpp"

using namespace zonegen;

namespace {

// A customer's zone at an old hosting: web and mail on the old servers, its own name server
// inside the domain on the web server's address, a delegation with glue there too.
const char* kOldHosting =
    "@ 3600 IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300\n"
    "@ 3600 IN NS ns1.example.com.\n@ 3600 IN NS ns0.dns-host.example.\n"
    "ns1 3600 IN A 198.51.100.10\n"
    "@ 3600 IN A 198.51.100.10\nwww 600 IN CNAME @\n"
    "@ 3600 IN MX 10 mx.example.com.\nmx 3600 IN A 198.51.100.20\n"
    "pop 3600 IN A 198.51.100.77\nimap 3600 IN CNAME mx\nftp 3600 IN A 198.51.100.10\n"
    "mta-sts 3600 IN A 198.51.100.10\nblog 3600 IN A 203.0.113.99\n"
    "old-mail 3600 IN A 198.51.100.20\n"
    "@ 3600 IN TXT \"v=spf1 a mx -all\"\n@ 3600 IN TXT \"google-site-verification=x\"\n"
    "_dmarc 3600 IN TXT \"v=DMARC1; p=none\"\n"
    "sub 3600 IN NS ns.sub\nns.sub 3600 IN A 198.51.100.10\n";

const char* kGoogle =
    "@ 3600 IN SOA ns1.dns-host.example. h.dns-host.example. 7 7200 3600 1209600 300\n"
    "@ 3600 IN NS ns1.dns-host.example.\n@ 3600 IN NS ns2.dns-host.example.\n"
    "@ 3600 IN A 198.51.100.10\nwww 3600 IN A 198.51.100.10\n"
    "@ 3600 IN MX 1 aspmx.l.google.com.\n@ 3600 IN MX 5 alt1.aspmx.l.google.com.\n"
    "@ 3600 IN TXT \"v=spf1 include:_spf.google.com ~all\"\n"
    "google._domainkey 3600 IN TXT \"v=DKIM1; k=rsa; p=MIIB\"\n";

Zone zone_of(const std::string& text) {
    ReadOptions ro;
    ro.origin = Name::parse("example.com.");
    auto r = read_zone_text(text, "old", ro);
    EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
    return std::move(r.zone);
}

Spec spec(const std::string& pattern, const std::string& extra = "") {
    std::string s = "domain: example.com\ndns_pattern: " + pattern +
                    "\nregistrar: customer\nserver: {name: sv.example.net, ipv4: [192.0.2.30], "
                    "ipv6: ['2001:db8::30']}\ncustomer_nameservers: [ns0.dns-host.example]\n" +
                    extra;
    if (pattern == "B") s += "customer_primary: [198.51.100.60]\n";
    return parse_spec(s, "t.yaml");
}

CustomerZone build(const Spec& s, const std::string& old, std::uint32_t serial = 0) {
    GenerateOptions go;
    if (serial) go.serial = serial;
    go.now = 1795833600;  // 2026-11-28
    return build_customer_zone(s, load_profile(""), zone_of(old), go);
}

std::vector<std::string> texts(const Zone& z, const std::string& owner, RRType t) {
    std::vector<std::string> out;
    if (const RRset* s = z.find(Name::parse(owner), t))
        for (const auto& r : s->rdata()) out.push_back(rdata_text(t, r));
    return out;
}

const CustomerChange* change(const CustomerZone& cz, const std::string& owner, RRType t) {
    for (const auto& c : cz.changes)
        if (c.owner == Name::parse(owner) && c.type == t) return &c;
    return nullptr;
}

bool has_finding(const std::vector<Finding>& fs, const std::string& check) {
    for (const auto& f : fs)
        if (f.check == check) return true;
    return false;
}

using V = std::vector<std::string>;

}  // namespace

TEST(Serial, Rfc1982Comparison) {
    EXPECT_TRUE(serial_greater(2, 1));
    EXPECT_FALSE(serial_greater(1, 2));
    EXPECT_FALSE(serial_greater(5, 5));
    EXPECT_TRUE(serial_greater(0, 0xffffffffu));  // wrapped
    EXPECT_TRUE(serial_greater(0x7fffffffu, 0));
    EXPECT_FALSE(serial_greater(0x80000000u, 0));  // exactly 2^31 apart: undefined, not greater
    EXPECT_FALSE(serial_greater(0, 0x80000000u));
}

TEST(Serial, DateWhenGreaterElseOldPlusOneNeverEqual) {
    EXPECT_EQ(next_serial(2024010101u, 2026112801u, std::nullopt), 2026112801u);
    EXPECT_EQ(next_serial(2026112801u, 2026112801u, std::nullopt), 2026112802u);
    EXPECT_EQ(next_serial(2026112899u, 2026112801u, std::nullopt), 2026112900u);
    EXPECT_EQ(next_serial(0xffffffffu, 0xfffffff0u, std::nullopt), 0u);  // wrap-around
    // 2026112801 is "ahead" of 2^32 - 1 (2026112802 apart): the date.
    EXPECT_EQ(next_serial(0xffffffffu, 2026112801u, std::nullopt), 2026112801u);
    // A serial "ahead" of the date in RFC 1982 terms (4000000000 - 2026112801 < 2^31).
    EXPECT_EQ(next_serial(4000000000u, 2026112801u, std::nullopt), 4000000001u);
    // 7 is "behind" 2026112801 (less than 2^31 apart): the date wins.
    EXPECT_EQ(next_serial(7u, 2026112801u, std::nullopt), 2026112801u);
    EXPECT_EQ(next_serial(10u, 1u, std::optional<std::uint32_t>(11u)), 11u);
    EXPECT_THROW(next_serial(10u, 1u, std::optional<std::uint32_t>(10u)), InputError);
    EXPECT_THROW(next_serial(10u, 1u, std::optional<std::uint32_t>(9u)), InputError);
}

TEST(CustomerZone, PatternBReplacesWebAndMailAndAddsOurSecondaryAtTheNsTtl) {
    auto cz = build(spec("B"), kOldHosting);
    const Zone& z = cz.zone;
    EXPECT_EQ(cz.serial_before, 2024010101u);
    EXPECT_EQ(cz.serial_after, 2026112801u);
    EXPECT_EQ(texts(z, "example.com.", rrtype::A), V{"192.0.2.30"});
    EXPECT_EQ(texts(z, "example.com.", rrtype::AAAA), V{"2001:db8::30"});
    EXPECT_EQ(texts(z, "www.example.com.", rrtype::A), V{"192.0.2.30"});
    EXPECT_TRUE(texts(z, "www.example.com.", rrtype::CNAME).empty());
    EXPECT_EQ(texts(z, "example.com.", rrtype::MX), V{"10 mail.example.com."});
    EXPECT_EQ(texts(z, "mail.example.com.", rrtype::A), V{"192.0.2.30"});
    // NS: ours joins theirs, at their TTL; their in-domain server untouched.
    const RRset* ns = z.find(Name::parse("example.com."), rrtype::NS);
    ASSERT_NE(ns, nullptr);
    EXPECT_EQ(ns->rrs.size(), 3u);
    for (const auto& r : ns->rrs) EXPECT_EQ(r.ttl, 3600u);
    EXPECT_EQ(texts(z, "ns1.example.com.", rrtype::A), V{"198.51.100.10"});
    EXPECT_EQ(change(cz, "ns1.example.com.", rrtype::A), nullptr);
    // The glue of a delegation is never moved, nor unrelated hosts.
    EXPECT_EQ(texts(z, "ns.sub.example.com.", rrtype::A), V{"198.51.100.10"});
    EXPECT_EQ(texts(z, "blog.example.com.", rrtype::A), V{"203.0.113.99"});
    // SPF merged, never a second one; the other TXT kept.
    auto txt = texts(z, "example.com.", rrtype::TXT);
    EXPECT_EQ(txt, (V{"\"google-site-verification=x\"",
                      "\"v=spf1 ip4:192.0.2.30 ip6:2001:db8::30 a mx -all\""}));
    EXPECT_FALSE(has_finding(cz.findings, "mx-external"));
}

TEST(CustomerZone, RecordsAtTheOldHostsMoveWithTheirReason) {
    auto cz = build(spec("B"), kOldHosting);
    const Zone& z = cz.zone;
    // ftp and mta-sts: the old web server's address; old-mail: the old MX target's address;
    // pop: the old hosting's mail service name, whatever its address.
    for (const char* n : {"ftp.example.com.", "mta-sts.example.com.", "old-mail.example.com.",
                          "pop.example.com.", "mx.example.com."}) {
        EXPECT_EQ(texts(z, n, rrtype::A), V{"192.0.2.30"}) << n;
        EXPECT_EQ(texts(z, n, rrtype::AAAA), V{"2001:db8::30"}) << n;
        const CustomerChange* c = change(cz, n, rrtype::A);
        ASSERT_NE(c, nullptr) << n;
        EXPECT_EQ(c->action, "replace");
        EXPECT_FALSE(c->reason.en.empty());
        EXPECT_FALSE(c->reason.ja.empty());
    }
    EXPECT_NE(change(cz, "ftp.example.com.", rrtype::A)->reason.en.find("198.51.100.10"),
              std::string::npos);
    EXPECT_NE(change(cz, "pop.example.com.", rrtype::A)->reason.en.find("mail service name"),
              std::string::npos);
    // imap is a CNAME to mx, which now names the managed server: it follows, unchanged.
    EXPECT_EQ(change(cz, "imap.example.com.", rrtype::CNAME), nullptr);
}

TEST(CustomerZone, WwwCnameIsDeletedBeforeItsAddressesAreAdded) {
    auto cz = build(spec("C"), kOldHosting);
    std::size_t del = 0, add = 0;
    for (std::size_t i = 0; i < cz.changes.size(); ++i) {
        if (cz.changes[i].owner == Name::parse("www.example.com.") &&
            cz.changes[i].type == rrtype::CNAME) {
            EXPECT_EQ(cz.changes[i].action, "delete");
            EXPECT_EQ(cz.changes[i].ttl, 600u);
            del = i + 1;
        }
        if (cz.changes[i].owner == Name::parse("www.example.com.") &&
            cz.changes[i].type == rrtype::A) {
            EXPECT_EQ(cz.changes[i].action, "add");
            EXPECT_TRUE(cz.changes[i].before.empty());
            add = i + 1;
        }
    }
    ASSERT_TRUE(del && add);
    EXPECT_LT(del, add);
}

TEST(CustomerZone, PatternCLeavesTheNameServersAlone) {
    auto cz = build(spec("C"), kOldHosting);
    EXPECT_EQ(change(cz, "example.com.", rrtype::NS), nullptr);
    EXPECT_EQ(texts(cz.zone, "example.com.", rrtype::NS),
              (V{"ns0.dns-host.example.", "ns1.example.com."}));
}

TEST(CustomerZone, ApplyingTheChangesGivesTheNewZoneExactly) {
    for (const char* p : {"B", "C"}) {
        Zone old = zone_of(kOldHosting);
        auto cz = build(spec(p), kOldHosting);
        Zone applied = apply_customer_changes(old, cz.changes);
        EXPECT_TRUE(zone_changes(applied, cz.zone, {}).empty()) << p;
        EXPECT_TRUE(zone_changes(cz.zone, applied, {}).empty()) << p;
        const CustomerChange* soa = change(cz, "example.com.", rrtype::SOA);
        ASSERT_NE(soa, nullptr);
        EXPECT_EQ(soa->action, "replace");
    }
}

TEST(CustomerZone, AnMxElsewhereIsAnErrorNamingTheTargetsAndTheWaysOut) {
    auto cz = build(spec("B"), kGoogle);
    ASSERT_TRUE(has_finding(cz.findings, "mx-external"));
    for (const auto& f : cz.findings)
        if (f.check == "mx-external") {
            EXPECT_EQ(f.severity, Severity::error);
            EXPECT_NE(f.message.find("aspmx.l.google.com"), std::string::npos);
            EXPECT_NE(f.message.find("alt1.aspmx.l.google.com"), std::string::npos);
            EXPECT_NE(f.message.find("services"), std::string::npos);
            EXPECT_NE(f.message.find("replace_external_mx: true"), std::string::npos);
        }
    // An error: generation stops, nothing is printed (the cli tests prove it).
    EXPECT_GT(count_errors(cz.findings), 0u);
}

TEST(CustomerZone, RecordsAddToTheCustomersRrset) {
    auto cz =
        build(spec("C", "records: [{name: '@', type: CAA, data: '0 issue \"letsencrypt.org\"'}]\n"),
              std::string(kOldHosting) + "@ 3600 IN CAA 0 issue \"digicert.com\"\n");
    EXPECT_EQ(texts(cz.zone, "example.com.", rrtype::CAA),
              (V{"0 issue \"digicert.com\"", "0 issue \"letsencrypt.org\""}));
    EXPECT_EQ(cz.zone.find(Name::parse("example.com."), rrtype::CAA)->ttl(), 3600u);
}

TEST(CustomerZone, WebOnlyKeepsAnMxElsewhereAndItsSpf) {
    auto cz = build(spec("C", "services: [web]\n"), kGoogle);
    EXPECT_FALSE(has_finding(cz.findings, "mx-external"));
    EXPECT_EQ(change(cz, "example.com.", rrtype::MX), nullptr);
    EXPECT_EQ(change(cz, "example.com.", rrtype::TXT), nullptr);
    EXPECT_EQ(change(cz, "google._domainkey.example.com.", rrtype::TXT), nullptr);
    EXPECT_EQ(texts(cz.zone, "www.example.com.", rrtype::A), V{"192.0.2.30"});
}

TEST(CustomerZone, ReplaceExternalMxMovesTheMail) {
    auto cz = build(spec("C", "replace_external_mx: true\n"), kGoogle);
    EXPECT_FALSE(has_finding(cz.findings, "mx-external"));
    EXPECT_EQ(texts(cz.zone, "example.com.", rrtype::MX), V{"10 mail.example.com."});
    EXPECT_EQ(change(cz, "example.com.", rrtype::MX)->action, "replace");
}

TEST(CustomerZone, ReplaceExternalMxNeedsMail) {
    EXPECT_THROW(spec("C", "services: [web]\nreplace_external_mx: true\n"), InputError);
}

TEST(CustomerZone, WebAndMailOnOneOldHostOnlyWebMovingKeepsTheMailHost) {
    // The web moves; the mail (MX to mx.example.com, on the web's old address) stays.
    auto cz = build(spec("C", "services: [web]\n"),
                    "@ 3600 IN SOA ns1.dns-host.example. h.dns-host.example. 7 7200 3600 1209600 "
                    "300\n@ 3600 IN NS ns1.dns-host.example.\n@ 3600 IN A 198.51.100.10\n"
                    "@ 3600 IN MX 10 mx.example.com.\nmx 3600 IN A 198.51.100.10\n"
                    "pop 3600 IN A 198.51.100.10\n");
    EXPECT_EQ(texts(cz.zone, "mx.example.com.", rrtype::A), V{"198.51.100.10"});
    EXPECT_EQ(texts(cz.zone, "pop.example.com.", rrtype::A), V{"198.51.100.10"});
    EXPECT_EQ(texts(cz.zone, "example.com.", rrtype::A), V{"192.0.2.30"});
}

TEST(CustomerZone, SignaturesAreLeftToTheCustomersSigner) {
    std::string signed_zone = std::string(kGoogle) +
                              "@ 3600 IN DNSKEY 257 3 13 "
                              "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+"
                              "KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n";
    auto cz = build(spec("C", "services: [web]\n"), signed_zone);
    const CustomerChange* c = change(cz, "example.com.", rrtype::DNSKEY);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->action, "delete");
    EXPECT_EQ(cz.zone.find(Name::parse("example.com."), rrtype::DNSKEY), nullptr);
    EXPECT_TRUE(has_finding(cz.findings, "dnssec-in-source"));
}

TEST(CustomerZone, AnAliasOfAnOldMailHostElsewhereFollowsTheMail) {
    auto cz = build(spec("C", "replace_external_mx: true\n"),
                    "@ 3600 IN SOA ns1.dns-host.example. h.dns-host.example. 7 7200 3600 1209600 "
                    "300\n@ 3600 IN NS ns1.dns-host.example.\n"
                    "@ 3600 IN MX 10 mail.old-hosting.example.\n"
                    "pop 3600 IN CNAME mail.old-hosting.example.\n"
                    "smtp-relay 3600 IN CNAME smtp.relay.example.\n");
    EXPECT_EQ(texts(cz.zone, "pop.example.com.", rrtype::CNAME), V{"sv.example.net."});
    EXPECT_EQ(texts(cz.zone, "smtp-relay.example.com.", rrtype::CNAME), V{"smtp.relay.example."});
}

TEST(CustomerZone, ChangesInWordsInBothLanguages) {
    auto cz = build(spec("B"), kOldHosting);
    std::string ja = customer_changes_text(cz.changes, Name::parse("example.com."),
                                           Wording("instructions", "ja"));
    std::string en = customer_changes_text(cz.changes, Name::parse("example.com."),
                                           Wording("instructions", "en"));
    EXPECT_NE(ja.find("次のレコードを変更してください"), std::string::npos);
    EXPECT_NE(ja.find("【削除】www.example.com. CNAME"), std::string::npos);
    EXPECT_NE(ja.find("【追加】"), std::string::npos);
    EXPECT_NE(ja.find("【変更】"), std::string::npos);
    EXPECT_NE(en.find("delete: www.example.com. CNAME"), std::string::npos);
    EXPECT_EQ(en.find("add these records"), std::string::npos);
}

TEST(Migrate, PatternAWithAnMxElsewhereIsAnError) {
    Spec s = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver: {name: sv.example.net, "
        "ipv4: [192.0.2.10]}\n",
        "t.yaml");
    Migration m;
    Desired d = build_migrated(s, load_profile(""), zone_of(kGoogle), {std::uint32_t{1}, 0}, &m);
    EXPECT_TRUE(has_finding(d.findings, "mx-external"));
}

TEST(Migrate, PatternAMovesRecordsAtTheOldHosts) {
    Spec s = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver: {name: sv.example.net, "
        "ipv4: [192.0.2.10]}\n",
        "t.yaml");
    Migration m;
    Desired d =
        build_migrated(s, load_profile(""), zone_of(kOldHosting), {std::uint32_t{1}, 0}, &m);
    EXPECT_FALSE(has_finding(d.findings, "mx-external"));
    EXPECT_EQ(texts(d.zone, "ftp.example.com.", rrtype::A), V{"192.0.2.10"});
    EXPECT_EQ(texts(d.zone, "pop.example.com.", rrtype::A), V{"192.0.2.10"});
    EXPECT_EQ(texts(d.zone, "blog.example.com.", rrtype::A), V{"203.0.113.99"});
    bool reported = false;
    for (const auto& i : m.items)
        if (i.owner == Name::parse("ftp.example.com.") && i.type == rrtype::A)
            reported =
                i.action == "replaced" && i.why.words.en.find("198.51.100.10") != std::string::npos;
    EXPECT_TRUE(reported);
}
