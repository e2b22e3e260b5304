#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backends/zonefile.hpp"
#include "zonegen/diff.hpp"

using namespace zonegen;

namespace {

Zone zone_of(const std::string& text) {
    ReadOptions ro;
    ro.origin = Name::parse("example.com.");
    auto r = read_zone_text(text, "t", ro);
    EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
    return std::move(r.zone);
}

const char* kBase =
    "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
    "@ 86400 IN NS ns1.example.net.\n"
    "www 3600 IN A 192.0.2.1\n";

}  // namespace

TEST(Diff, TableOfCases) {
    struct Case {
        const char* name;
        std::string before, after;
        std::size_t create, update, remove;
    };
    std::vector<Case> cases = {
        {"identical", kBase, kBase, 0, 0, 0},
        {"serial only", kBase,
         "@ 3600 IN SOA ns1.example.net. h.example.net. 99 14400 3600 1209600 3600\n"
         "@ 86400 IN NS ns1.example.net.\nwww 3600 IN A 192.0.2.1\n",
         0, 0, 0},
        {"case, order, TTL notation", kBase,
         "WWW 1h IN A 192.0.2.1\n@ 1d IN NS NS1.EXAMPLE.NET.\n"
         "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n",
         0, 0, 0},
        {"new address", kBase, std::string(kBase) + "www 3600 IN A 192.0.2.2\n", 0, 1, 0},
        {"ttl", kBase,
         "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
         "@ 86400 IN NS ns1.example.net.\nwww 300 IN A 192.0.2.1\n",
         0, 1, 0},
        {"create and delete", kBase,
         "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
         "@ 86400 IN NS ns1.example.net.\nweb 3600 IN A 192.0.2.1\n",
         1, 0, 1},
        {"soa timer", kBase,
         "@ 3600 IN SOA ns1.example.net. h.example.net. 1 28800 3600 1209600 3600\n"
         "@ 86400 IN NS ns1.example.net.\nwww 3600 IN A 192.0.2.1\n",
         0, 1, 0},
    };
    for (const auto& c : cases) {
        Plan p = diff_zones(zone_of(c.before), zone_of(c.after));
        EXPECT_EQ(p.count(Action::create), c.create) << c.name;
        EXPECT_EQ(p.count(Action::update), c.update) << c.name;
        EXPECT_EQ(p.count(Action::remove), c.remove) << c.name;
    }
}

TEST(Diff, DeletesComeFirstAndJsonFollowsTheContract) {
    Plan p = diff_zones(zone_of(std::string(kBase) + "zzz 60 IN TXT \"old\"\n"),
                        zone_of(std::string(kBase) + "aaa 60 IN TXT \"new\"\n"));
    ASSERT_EQ(p.changes.size(), 2u);
    EXPECT_EQ(p.changes[0].action, Action::remove);
    auto j = plan_json(p);
    EXPECT_EQ(j["zone"], "example.com.");
    EXPECT_EQ(j["changes"][0]["action"], "delete");
    EXPECT_TRUE(j["changes"][0]["after"].is_null());
    EXPECT_EQ(j["changes"][1]["after"]["rdata"][0], "\"new\"");
    EXPECT_EQ(j["changes"][1]["name"], "aaa.example.com.");
    EXPECT_EQ(j["summary"]["create"], 1);
    EXPECT_EQ(j["summary"]["delete"], 1);
}

namespace {

std::string soa(std::uint32_t serial, std::uint32_t minimum = 3600) {
    return soa_wire(Soa{Name::parse("ns1.example.net."), Name::parse("h.example.net."), serial,
                        14400, 3600, 1209600, minimum});
}

}  // namespace

TEST(SoaIgnoringSerial, TheSerialAloneIsNoDifference) {
    EXPECT_EQ(soa_without_serial(soa(1)), soa_without_serial(soa(2026120701)));
    EXPECT_EQ(parse_soa(soa_without_serial(soa(7)))->serial, 0u);
    EXPECT_NE(soa_without_serial(soa(1)), soa_without_serial(soa(1, 300)));
    const std::string not_soa = "\x01x";
    EXPECT_EQ(soa_without_serial(not_soa), not_soa);
}

TEST(SoaIgnoringSerial, ComparedStateZeroesSoaSerialsOnly) {
    RRsetState a{3600, {soa(1)}}, b{3600, {soa(2)}};
    EXPECT_NE(a, b);
    EXPECT_EQ(compared_state(rrtype::SOA, a), compared_state(rrtype::SOA, b));
    EXPECT_NE(compared_state(rrtype::SOA, a), compared_state(rrtype::SOA, {300, {soa(2)}}));
    // Another type's rdata is compared as it is, even bytes that would parse as a SOA.
    EXPECT_NE(compared_state(rrtype::TXT, a), compared_state(rrtype::TXT, b));
}

TEST(SoaIgnoringSerial, TheDiffSeesNoChangeForANewSerial) {
    Zone before = zone_of(kBase);
    std::string text = kBase;
    text.replace(text.find(" 1 14400"), 8, " 9 14400");
    EXPECT_TRUE(diff_zones(before, zone_of(text)).empty());
    text.replace(text.find(" 3600\n"), 6, " 300\n");
    EXPECT_EQ(diff_zones(before, zone_of(text)).count(Action::update), 1u);
}
