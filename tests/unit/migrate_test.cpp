#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/spf.hpp"

using namespace zonegen;

namespace {

Zone old_zone() {
    ReadOptions ro;
    ro.origin = Name::parse("example.com.");
    auto r = read_zone_text(
        "@ 3600 IN SOA ns1.old.example. h.old.example. 5 7200 3600 1209600 300\n"
        "@ 3600 IN NS ns1.old.example.\n@ 3600 IN NS ns2.old.example.\n"
        "@ 3600 IN A 203.0.113.1\nwww 3600 IN CNAME @\n@ 3600 IN MX 10 mx.old.example.\n"
        "@ 3600 IN TXT \"v=spf1 include:_spf.old.example -all\"\n@ 3600 IN TXT \"verify=1\"\n"
        "_sip._tcp 3600 IN SRV 10 60 5060 sip.example.net.\n@ 3600 IN DNSKEY 257 3 13 "
        "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
        "\n",
        "old", ro);
    EXPECT_TRUE(r.findings.empty());
    return std::move(r.zone);
}

Spec spec(const std::string& services) {
    return parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver: {name: sv.example.net, "
        "ipv4: [192.0.2.10]}\nservices: " +
            services + "\n",
        "t.yaml");
}

const MigrationItem* item(const Migration& m, const std::string& name, RRType t) {
    for (const auto& i : m.items)
        if (i.owner == Name::parse(name) && i.type == t) return &i;
    return nullptr;
}

}  // namespace

TEST(Migrate, ReplacesWebMailSoaNsKeepsTheRestAndMergesSpf) {
    Migration m;
    Desired d = build_migrated(spec("[web, mail]"), load_profile(""), old_zone(),
                               {std::uint32_t{1}, 0}, &m);
    EXPECT_EQ(item(m, "example.com.", rrtype::NS)->action, "replaced");
    EXPECT_EQ(item(m, "example.com.", rrtype::A)->action, "replaced");
    EXPECT_EQ(item(m, "example.com.", rrtype::MX)->action, "replaced");
    EXPECT_EQ(item(m, "www.example.com.", rrtype::CNAME)->action, "replaced");
    EXPECT_EQ(item(m, "_sip._tcp.example.com.", rrtype::SRV)->action, "kept");
    EXPECT_EQ(item(m, "example.com.", rrtype::DNSKEY)->action, "dropped");
    EXPECT_TRUE(m.dnssec);
    const RRset* txt = d.zone.find(Name::parse("example.com."), rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    int spf = 0;
    bool verify = false;
    for (const auto& r : txt->rrs) {
        if (is_spf(r.rdata)) {
            ++spf;
            EXPECT_EQ(join_txt(r.rdata), "v=spf1 ip4:192.0.2.10 include:_spf.old.example -all");
        }
        verify |= join_txt(r.rdata) == "verify=1";
    }
    EXPECT_EQ(spf, 1);
    EXPECT_TRUE(verify);
    EXPECT_EQ(d.zone.find(Name::parse("www.example.com."), rrtype::CNAME), nullptr);
    EXPECT_NE(d.zone.find(Name::parse("_sip._tcp.example.com."), rrtype::SRV), nullptr);
    bool warned = false;
    for (const auto& f : d.findings) warned |= f.check == "dnssec-in-source";
    EXPECT_TRUE(warned);
}

TEST(Migrate, WithoutMailTheOldMxAndSpfStay) {
    Migration m;
    Desired d =
        build_migrated(spec("[web]"), load_profile(""), old_zone(), {std::uint32_t{1}, 0}, &m);
    EXPECT_EQ(item(m, "example.com.", rrtype::MX)->action, "kept");
    const RRset* mx = d.zone.find(Name::parse("example.com."), rrtype::MX);
    ASSERT_NE(mx, nullptr);
    EXPECT_EQ(rdata_text(rrtype::MX, mx->rrs.front().rdata), "10 mx.old.example.");
    // The kept MX is where mail goes: decided (validators: mail-undecided).
    Profile p = load_profile("");
    Spec s = spec("[web]");
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &p;
    for (const auto& f : validate_zone(d.zone, vo)) EXPECT_NE(f.check, "mail-undecided");
}
