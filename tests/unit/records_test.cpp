// Records (zonegen/records.hpp): an rrset's records in one block of its zone's store, read
// back as views.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "zonegen/records.hpp"
#include "zonegen/zone.hpp"

using namespace zonegen;

TEST(Records, KeepEachRecordsRdataTtlAndLineInOrder) {
    RecordStore store;
    Records r, other;
    EXPECT_TRUE(r.empty());
    store.append(r, std::string("\x0a\x00\x00\x01", 4), 300, 7);
    store.append(other, "zz", 1, 1);  // r is no longer the block written last: it moves
    store.append(r, std::string(300, 'x'), 60, 9);  // longer than one header's length octet
    store.insert(r, r.begin(), "ab", 0, 0);
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
    RecordStore store;
    Records r;
    EXPECT_THROW(store.append(r, std::string(65536, 'x'), 0, 0), std::length_error);
    EXPECT_TRUE(r.empty());
}

TEST(Records, BlocksStayWhereTheyAreAsTheStoreGrows) {
    RecordStore store;
    Records first;
    store.append(first, "keep", 5, 1);
    std::vector<Records> many(5000);
    for (auto& r : many) store.append(r, std::string(200, 'y'), 1, 2);  // several buffers
    EXPECT_EQ(first.front().rdata, "keep");
    EXPECT_EQ(many.back().front().rdata, std::string(200, 'y'));
    store.assign(first, {"b", "c"}, 9);
    EXPECT_EQ(first.size(), 2u);
    EXPECT_EQ(first[1].rdata, "c");
    EXPECT_EQ(first[1].ttl, 9u);
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

TEST(Records, ACopiedZoneHoldsItsOwnNamesAndRecords) {
    Zone copy(Name::parse_fqdn("example.com"));
    {
        Zone z(Name::parse_fqdn("example.com"));
        Name www = Name::parse_fqdn("www.example.com");
        z.add_loose(www, rrtype::A, 300, parse_rdata(rrtype::A, "192.0.2.1", z.origin()), 3);
        z.add_loose(www, rrtype::AAAA, 300, parse_rdata(rrtype::AAAA, "2001:db8::1", z.origin()),
                    4);
        copy = z;
    }  // the original is gone
    const RRset* s = copy.find(Name::parse_fqdn("www.example.com"), rrtype::AAAA);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->owner.to_string(), "www.example.com.");
    EXPECT_EQ(rdata_text(rrtype::AAAA, s->rrs.front().rdata), "2001:db8::1");
    EXPECT_EQ(s->line(), 4);
    EXPECT_EQ(copy.record_count(), 2u);
    // Its rrsets share one owner name.
    EXPECT_EQ(&copy.find(s->owner, rrtype::A)->owner, &s->owner);
}

TEST(Records, TheLastBlockTakesARecordAnywhereInPlace) {
    RecordStore store;
    Records r;
    store.append(r, "b", 1, 1);
    store.append(r, "d", 1, 2);
    const char* at = r.begin().position();
    store.insert(r, r.begin(), "a", 1, 3);  // still the block written last: no copy of it
    auto it = r.begin();
    ++it;
    store.insert(r, ++it, "c", 1, 4);
    EXPECT_EQ(r.begin().position(), at);
    std::string seen;
    for (Rr rr : r) seen += std::string(rr.rdata);
    EXPECT_EQ(seen, "abcd");
    EXPECT_EQ(r[2].line, 4);
}

TEST(Records, AMovedZoneLeavesItsSourceEmpty) {
    Zone z(Name::parse_fqdn("example.com"));
    Name www = Name::parse_fqdn("www.example.com");
    z.add_loose(www, rrtype::A, 300, parse_rdata(rrtype::A, "192.0.2.1", z.origin()), 1);
    Zone moved(std::move(z));
    EXPECT_EQ(moved.record_count(), 1u);
    EXPECT_TRUE(z.empty());  // NOLINT(bugprone-use-after-move): what a move leaves is the point
    EXPECT_EQ(z.record_count(), 0u);
    // The source takes records again without touching the other's.
    z.add_loose(www, rrtype::A, 300, parse_rdata(rrtype::A, "192.0.2.2", z.origin()), 2);
    EXPECT_EQ(rdata_text(rrtype::A, moved.find(www, rrtype::A)->rrs.front().rdata), "192.0.2.1");
    EXPECT_EQ(rdata_text(rrtype::A, z.find(www, rrtype::A)->rrs.front().rdata), "192.0.2.2");
}
