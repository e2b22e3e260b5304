// Inputs the fuzzers found (fuzz/regressions/), replayed as unit tests too.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "backends/dnsquery.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/rdata.hpp"
#include "zonegen/spec.hpp"

using namespace zonegen;

namespace {
std::string slurp(const std::string& p) {
    std::ifstream in(std::string(ZONEGEN_SOURCE_DIR) + "/" + p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST(Regression, YamlCppLoadAllLoopIsAnInputError) {
    std::string text = slurp("fuzz/regressions/spec/yamlcpp-loadall-loop");
    ASSERT_FALSE(text.empty());
    EXPECT_THROW(parse_spec(text, "r.yaml"), InputError);
    EXPECT_THROW(parse_spec("a: 1\n---\nb: 2\n", "r.yaml"), InputError);  // more than one document
}

TEST(Regression, MalformedRdataFromTheWireIsLeftOutNotLoopedOn) {
    std::string wire = slurp("fuzz/regressions/axfr/srv-name-overrun");
    ASSERT_FALSE(wire.empty());
    DnsAnswer a = parse_dns_message(wire);
    for (const auto& r : a.answer) EXPECT_TRUE(rdata_well_formed(r.type, r.rdata));
}

TEST(Regression, RdataShapeIsChecked) {
    EXPECT_TRUE(rdata_well_formed(rrtype::MX, std::string("\0\x0a\x04mail\0", 8)));
    EXPECT_FALSE(
        rdata_well_formed(rrtype::MX, std::string("\0\x0a\x04mai", 7)));  // name runs past the end
    EXPECT_FALSE(rdata_well_formed(rrtype::SRV, std::string("\xc0\0\x02\x01", 4)));
    EXPECT_FALSE(rdata_well_formed(rrtype::A, std::string("\1\2\3", 3)));
    EXPECT_EQ(rdata_text(rrtype::A, std::string("\1\2\3", 3)), "\\# 3 010203");
    std::string bad("\0\x0a\x04mai", 7);
    EXPECT_THROW(canonicalize_rdata(rrtype::MX, bad), RdataError);
}

// The rdata fuzzer's round trip: libknot printed a CAA tag's ')' unescaped, so the printed
// record did not parse back. Tags are letters and digits (RFC 8659), refused otherwise.
TEST(Regression, CaaTagIsLettersAndDigits) {
    std::string input = slurp("fuzz/regressions/rdata/caa-tag-paren");
    ASSERT_FALSE(input.empty());
    const Name origin = Name::parse("example.");
    EXPECT_THROW(parse_rdata(rrtype::CAA, input.substr(1), origin), RdataError);
    EXPECT_THROW(parse_rdata(rrtype::CAA, "0 is\\)sue \"ca.example\"", origin), RdataError);
    EXPECT_THROW(parse_rdata(rrtype::CAA, "0 \"\" \"ca.example\"", origin), RdataError);
    std::string wire = parse_rdata(rrtype::CAA, "128 issuewild \"ca.example\"", origin);
    EXPECT_EQ(rdata_text(rrtype::CAA, wire), "128 issuewild \"ca.example\"");
    std::string raw("\0\x02i)ca", 6);  // from a zone file or a transfer: refused the same way
    EXPECT_THROW(canonicalize_rdata(rrtype::CAA, raw), RdataError);
}
