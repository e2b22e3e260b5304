// SPF (zonegen/spf.hpp): which TXT is an SPF, its terms and grammar, and the managed
// server merged into one.
#include <gtest/gtest.h>

#include "zonegen/rdata.hpp"
#include "zonegen/spf.hpp"

using namespace zonegen;

namespace {

HostAddrs server(std::vector<std::string> v4, std::vector<std::string> v6) {
    HostAddrs h;
    h.name = Name::parse("sv1.example.net.");
    h.ipv4 = std::move(v4);
    h.ipv6 = std::move(v6);
    return h;
}

}  // namespace

TEST(SpfRecognised, ByItsConcatenatedStringsCaseInsensitively) {
    EXPECT_TRUE(is_spf(txt_wire("v=spf1")));
    EXPECT_TRUE(is_spf(txt_wire("v=spf1 mx -all")));
    EXPECT_TRUE(is_spf(txt_wire("V=SPF1 -all")));
    EXPECT_TRUE(
        is_spf(std::string("\x04v=sp\x07"
                           "f1 -all",
                           13)));  // two strings, one text
    EXPECT_FALSE(is_spf(txt_wire("v=spf10 -all")));
    EXPECT_FALSE(is_spf(txt_wire(" v=spf1 -all")));
    EXPECT_FALSE(is_spf(txt_wire("v=spf")));
    EXPECT_FALSE(is_spf(txt_wire("google-site-verification=abc")));
}

TEST(SpfTerms, SplitAtRunsOfSpaces) {
    EXPECT_EQ(spf_terms("  v=spf1   mx  -all "),
              (std::vector<std::string>{"v=spf1", "mx", "-all"}));
    EXPECT_TRUE(spf_terms("").empty());
    EXPECT_EQ(spf_terms_lower("v=spf1 IP4:192.0.2.1 MX"),
              (std::set<std::string>{"v=spf1", "ip4:192.0.2.1", "mx"}));
}

TEST(SpfServerTerms, EveryAddressIPv4First) {
    EXPECT_EQ(spf_server_terms(server({"192.0.2.10", "192.0.2.11"}, {"2001:db8::10"})),
              "ip4:192.0.2.10 ip4:192.0.2.11 ip6:2001:db8::10");
    EXPECT_EQ(spf_server_terms(server({}, {"2001:db8::10"})), "ip6:2001:db8::10");
    EXPECT_EQ(spf_server_terms(server({}, {})), "");
}

TEST(SpfMissingServerTerms, ATermOrItsPlusFormAuthorises) {
    HostAddrs s = server({"192.0.2.10"}, {"2001:db8::10"});
    EXPECT_TRUE(
        spf_missing_server_terms("v=spf1 ip4:192.0.2.10 +IP6:2001:db8::10 -all", s).empty());
    EXPECT_EQ(spf_missing_server_terms("v=spf1 ip4:192.0.2.10 -all", s),
              (std::vector<std::string>{"ip6:2001:db8::10"}));
    EXPECT_EQ(spf_missing_server_terms("", s),
              (std::vector<std::string>{"ip4:192.0.2.10", "ip6:2001:db8::10"}));
    // A qualifier other than "+" does not authorise.
    EXPECT_EQ(spf_missing_server_terms("v=spf1 ~ip4:192.0.2.10 ip6:2001:db8::10", s),
              (std::vector<std::string>{"ip4:192.0.2.10"}));
}

TEST(SpfMerge, AfterTheVersionSkippingTermsPresent) {
    EXPECT_EQ(merge_spf("v=spf1 ip4:192.0.2.10 mx ~all", "ip4:192.0.2.10 ip6:2001:db8::1"),
              "v=spf1 ip6:2001:db8::1 ip4:192.0.2.10 mx ~all");
    EXPECT_EQ(merge_spf("v=spf1 +IP4:192.0.2.10 -all", "ip4:192.0.2.10"),
              "v=spf1 +IP4:192.0.2.10 -all");
    EXPECT_EQ(merge_spf("v=spf1", "ip4:192.0.2.10"), "v=spf1 ip4:192.0.2.10");
}

TEST(SpfMerge, WireRdataIsJoinedMergedAndSplitAt255Octets) {
    std::string include(250, 'a');
    std::string rdata = txt_wire("v=spf1 include:" + include + ".example -all");
    std::string merged = merge_spf_wire(rdata, "ip4:192.0.2.10");
    EXPECT_EQ(join_txt(merged), "v=spf1 ip4:192.0.2.10 include:" + include + ".example -all");
    EXPECT_EQ(txt_strings(merged).size(), 2u);
    EXPECT_EQ(txt_strings(merged).front().size(), 255u);
}

TEST(SpfMerge, OnlyTheFirstSpfOfAnRrsetTheOthersUnchanged) {
    std::vector<std::string> rd = {txt_wire("verify=1"), txt_wire("v=spf1 mx -all"),
                                   txt_wire("v=spf1 a -all")};
    ASSERT_TRUE(merge_first_spf(rd, "ip4:192.0.2.10"));
    EXPECT_EQ(join_txt(rd[0]), "verify=1");
    EXPECT_EQ(join_txt(rd[1]), "v=spf1 ip4:192.0.2.10 mx -all");
    EXPECT_EQ(join_txt(rd[2]), "v=spf1 a -all");

    std::vector<std::string> none = {txt_wire("verify=1")};
    EXPECT_FALSE(merge_first_spf(none, "ip4:192.0.2.10"));
    EXPECT_EQ(none, std::vector<std::string>{txt_wire("verify=1")});
}

TEST(SpfGrammar, AValidRecordCountsItsLookupsAndNamesItsIncludes) {
    SpfSyntax s = parse_spf(
        "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mail.example.com/24 "
        "include:_spf.example.net exists:%{i}.x.example ptr redirect=_spf.example.org");
    EXPECT_TRUE(s.errors.empty()) << s.errors.front();
    EXPECT_EQ(s.lookups, 6);  // a, mx, include, exists, ptr, redirect
    EXPECT_EQ(s.includes, (std::vector<Name>{Name::parse("_spf.example.net."),
                                             Name::parse("_spf.example.org.")}));
}

TEST(SpfGrammar, EachBadTermIsNamed) {
    EXPECT_EQ(parse_spf("v=spf2 -all").errors,
              std::vector<std::string>{"does not start with v=spf1"});
    EXPECT_EQ(parse_spf("v=spf1 ip4:192.0.2.300 -all").errors,
              std::vector<std::string>{"bad term 'ip4:192.0.2.300'"});
    EXPECT_EQ(parse_spf("v=spf1 ip4:192.0.2.0/33").errors,
              std::vector<std::string>{"bad term 'ip4:192.0.2.0/33'"});
    EXPECT_EQ(parse_spf("v=spf1 include: -all").errors,
              std::vector<std::string>{"bad term 'include:'"});
    EXPECT_EQ(parse_spf("v=spf1 allow").errors, std::vector<std::string>{"bad term 'allow'"});
    EXPECT_EQ(parse_spf("v=spf1 redirect=a.example redirect=b.example").errors,
              std::vector<std::string>{"redirect= appears twice"});
    EXPECT_EQ(parse_spf("v=spf1 exp=bad..name").errors,
              std::vector<std::string>{"bad domain in exp=bad..name"});
}
