#include <gtest/gtest.h>

#include "zonegen/name.hpp"

using zonegen::Name;
using zonegen::NameError;

TEST(Name, ParsesAndPrints) {
    Name o = Name::parse("Example.CO.jp.");
    EXPECT_EQ(o.to_string(), "example.co.jp.");
    EXPECT_EQ(Name::parse("www", &o).to_string(), "www.example.co.jp.");
    EXPECT_EQ(Name::parse("@", &o), o);
    EXPECT_EQ(Name::parse("a\\.b.example.").to_string(), "a\\.b.example.");
    EXPECT_EQ(Name::parse("\\065.example.").to_string(), "a.example.");
    EXPECT_EQ(Name::parse(".").to_string(), ".");
}

TEST(Name, EnforcesLimits) {
    EXPECT_THROW(Name::parse(std::string(64, 'a') + ".example."), NameError);
    EXPECT_NO_THROW(Name::parse(std::string(63, 'a') + ".example."));
    std::string long_name;
    for (int i = 0; i < 4; ++i) long_name += std::string(63, 'a') + ".";
    EXPECT_THROW(Name::parse(long_name), NameError);  // 4*64+1 = 257 octets
    EXPECT_THROW(Name::parse("a..b."), NameError);
    EXPECT_THROW(Name::parse("relative"), NameError);
    EXPECT_THROW(Name::parse("bad\\"), NameError);
    EXPECT_THROW(Name::parse("\\999.x."), NameError);
}

TEST(Name, CanonicalOrderFollowsRfc4034) {
    // The example of RFC 4034 section 6.1.
    std::vector<std::string> sorted = {"example.",         "a.example.",      "yljkjljk.a.example.",
                                       "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
                                       "\\001.z.example.", "*.z.example.",    "\\200.z.example."};
    for (std::size_t i = 0; i + 1 < sorted.size(); ++i)
        EXPECT_LT(Name::parse(sorted[i]), Name::parse(sorted[i + 1]))
            << sorted[i] << " < " << sorted[i + 1];
}

TEST(Name, Relations) {
    Name o = Name::parse("example.com.");
    EXPECT_TRUE(Name::parse("a.b.example.com.").is_subdomain_of(o));
    EXPECT_TRUE(o.is_subdomain_of(o));
    EXPECT_FALSE(Name::parse("badexample.com.").is_subdomain_of(o));
    EXPECT_EQ(Name::parse("a.b.example.com.").relative_to(o), "a.b");
    EXPECT_EQ(o.relative_to(o), "@");
    EXPECT_EQ(Name::parse("ns1.example.net.").relative_to(o), "ns1.example.net.");
    EXPECT_EQ(Name::parse("www.example.com.").parent(), o);
    EXPECT_TRUE(Name::parse("*.example.com.").is_wildcard());
}

TEST(Name, AnFqdnIsAbsoluteWithOrWithoutItsTrailingDot) {
    const Name want = Name::parse("example.co.jp.");
    EXPECT_EQ(Name::parse_fqdn("example.co.jp"), want);
    EXPECT_EQ(Name::parse_fqdn("example.co.jp."), want);
    EXPECT_EQ(Name::parse_fqdn("Example.CO.JP"), want);
    EXPECT_EQ(Name::parse_fqdn("xfr.example.co.jp").label_count(), 4u);
    EXPECT_EQ(Name::parse_fqdn("."), Name());
    EXPECT_EQ(Name::parse_fqdn("a\\.b.example").to_string(), "a\\.b.example.");
    EXPECT_THROW(Name::parse_fqdn(""), NameError);
    EXPECT_THROW(Name::parse_fqdn("a..example"), NameError);
    EXPECT_THROW(Name::parse_fqdn(std::string(64, 'a') + ".example"), NameError);
}
