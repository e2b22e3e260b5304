// Rdata in PowerDNS's own text (issue 13, defect 14): what PowerDNS 4's API accepts, and
// its text read back to the same wire.
#include <gtest/gtest.h>

#include "backends/pdns_content.hpp"

using namespace zonegen;

namespace {

std::string wire(RRType t, const std::string& text) {
    return parse_rdata(t, text, Name::parse("example.com."));
}

void round_trips(RRType t, const std::string& text, const std::string& want) {
    std::string w = wire(t, text);
    std::string got = pdns_content(t, w);
    EXPECT_EQ(got, want) << text;
    EXPECT_EQ(pdns_parse_content(t, got), w) << got;
}

}  // namespace

TEST(PdnsContent, LocInPowerDns4Form) {
    const RRType loc = 29;
    round_trips(loc, "35 41 22.000 N 139 41 30.000 E 40.00m 10000m 10m 10m",
                "35 41 22.000 N 139 41 30.000 E 40.00m 10000.00m 10.00m 10.00m");
    round_trips(loc, "52 22 N 4 53 W 10m",
                "52 22 0.000 N 4 53 0.000 W 10.00m 1.00m 10000.00m 10.00m");
    // PowerDNS 4 prints this whole minute as 0'60": that is what its API compares with.
    round_trips(loc, "1 1 0 N 2 3 0 E 0m",
                "1 0 60.000 N 2 2 60.000 E 0.00m 1.00m 10000.00m 10.00m");
}

TEST(PdnsContent, OtherTypesPowerDnsPrintsItsOwnWay) {
    round_trips(rrtype::AAAA, "::ffff:192.0.2.1", "::ffff:c000:201");
    round_trips(rrtype::AAAA, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
    round_trips(rrtype::AAAA, "::", "::");
    round_trips(45, "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
                "10 0 2 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==");
    round_trips(rrtype::HTTPS, "1 . alpn=h2 ech=AEX+DQBBpQAgACB/ key65001",
                "1 . alpn=h2 ech=\"AEX+DQBBpQAgACB/\" key65001=\"\"");
    round_trips(65281, "\\# 0", "\\# 0 ");
    EXPECT_EQ(pdns_type_name(21), "TYPE21");  // RT: unknown to PowerDNS 4
    round_trips(21, "10 relay.example.net.", "\\# 21 000a0572656c6179076578616d706c65036e657400");
    round_trips(rrtype::TXT, "\"a\" \"b c\"", "\"a\" \"b c\"");
}

TEST(PdnsContent, LocInPowerDns5Form) {
    auto w = parse_rdata(29, "1 1 0 N 2 3 0 E 0m", Name::parse("example.com."));
    EXPECT_EQ(pdns_loc_exact(w), "1 1 0.000 N 2 3 0.000 E 0.00m 1.00m 10000.00m 10.00m");
    EXPECT_EQ(pdns_parse_content(29, pdns_loc_exact(w)), w);
    auto origin = parse_rdata(29, "0 0 0 N 0 0 0 E 0m", Name::parse("example.com."));
    EXPECT_EQ(pdns_loc_exact(origin), "0 0 0.000 N 0 0 0.000 E 0.00m 1.00m 10000.00m 10.00m");
    auto south =
        parse_rdata(29, "42 21 43.952 S 71 5 6.344 W -24m 1m 200m", Name::parse("example.com."));
    EXPECT_EQ(pdns_loc_exact(south), "42 21 43.952 S 71 5 6.344 W -24.00m 1.00m 200.00m 10.00m");
}
