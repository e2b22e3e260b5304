// Records (zonegen/records.hpp): an rrset's records in one buffer, read back as views.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "zonegen/records.hpp"
#include "zonegen/zone.hpp"

using namespace zonegen;

TEST(Records, KeepEachRecordsRdataTtlAndLineInOrder) {
    Records r;
    EXPECT_TRUE(r.empty());
    r.push_back(std::string("\x0a\x00\x00\x01", 4), 300, 7);
    r.push_back(std::string(300, 'x'), 60, 9);  // longer than one header's length octet
    r.insert(r.begin(), "ab", 0, 0);
    ASSERT_EQ(r.size(), 3u);
    std::vector<std::string> seen;
    for (Rr rr : r) seen.emplace_back(rr.rdata);
    EXPECT_EQ(seen, (std::vector<std::string>{"ab", std::string("\x0a\x00\x00\x01", 4),
                                              std::string(300, 'x')}));
    EXPECT_EQ(r[1].ttl, 300u);
    EXPECT_EQ(r[1].line, 7);
    EXPECT_EQ(r[2].rdata.size(), 300u);
    EXPECT_EQ(r[2].ttl, 60u);
    EXPECT_EQ(r.front().rdata, "ab");
    // What a record costs: its rdata and the ten-octet header, nothing per record beyond.
    EXPECT_EQ(r.bytes(), 3 * Records::kHeader + 2 + 4 + 300);
}

TEST(Records, RdataOverTheWireLimitIsRefused) {
    Records r;
    EXPECT_THROW(r.push_back(std::string(65536, 'x'), 0, 0), std::length_error);
    EXPECT_TRUE(r.empty());
}

TEST(Records, AStrictZoneKeepsThemSortedAndUnique) {
    Zone z(Name::parse_fqdn("example.com"));
    Name www = Name::parse_fqdn("www.example.com");
    for (const char* ip : {"192.0.2.3", "192.0.2.1", "192.0.2.3", "192.0.2.2"})
        ASSERT_FALSE(z.add(www, rrtype::A, 300, parse_rdata(rrtype::A, ip, z.origin())));
    const RRset* s = z.find(www, rrtype::A);
    ASSERT_NE(s, nullptr);
    std::vector<std::string> text;
    for (Rr rr : s->rrs) text.push_back(rdata_text(rrtype::A, rr.rdata));
    EXPECT_EQ(text, (std::vector<std::string>{"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
    EXPECT_EQ(z.record_count(), 3u);
}
