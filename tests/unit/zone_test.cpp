#include "zonegen/zone.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace zonegen;

namespace {

// Random names around an origin: below it, at it, beside it and above it, with short and long
// labels, shared prefixes, zero octets and high octets, so that the zone's eight-octet order
// keys meet every case where they must step aside for a full comparison.
std::vector<Name> random_names(const Name& origin, std::mt19937& rng, int n) {
    const std::string alphabet = std::string("ab-z09") + '\0' + '\x01' + '\x80' + '\xff';
    auto label = [&](int max) {
        std::uniform_int_distribution<int> len(1, max), pick(0, int(alphabet.size()) - 1);
        std::string l;
        for (int i = len(rng); i > 0; --i) l.push_back(alphabet[pick(rng)]);
        return l;
    };
    std::uniform_int_distribution<int> depth(0, 3), kind(0, 9), max_len(1, 12);
    std::vector<Name> out;
    for (int i = 0; i < n; ++i) {
        std::vector<std::string> labels;
        for (int d = depth(rng); d > 0; --d) labels.push_back(label(max_len(rng)));
        int k = kind(rng);
        if (k == 0) {
            out.push_back(Name::from_labels(labels));  // near the root, outside the zone
            continue;
        }
        auto base = origin.labels();
        if (k == 1) base.front() += "x";  // a sibling of the origin
        labels.insert(labels.end(), base.begin(), base.end());
        out.push_back(Name::from_labels(labels));
    }
    return out;
}

}  // namespace

TEST(Zone, IterationFollowsCanonicalOrderForAnyNames) {
    std::mt19937 rng(20261128);
    for (const char* o : {"example.com.", "a.", "x\\000y.example."}) {
        Name origin = Name::parse(o);
        Zone z(origin);
        auto names = random_names(origin, rng, 3000);
        for (const auto& n : names) {
            z.add_loose(n, rrtype::TXT, 300, "\x01x", 1);
            z.add_loose(n, rrtype::A, 300, std::string("\x0a\0\0\x01", 4), 1);
        }
        std::vector<RRKey> want;
        for (const auto& n : names)
            for (RRType t : {rrtype::A, rrtype::TXT}) want.push_back(RRKey{n, t});
        std::sort(want.begin(), want.end());
        want.erase(std::unique(want.begin(), want.end()), want.end());
        std::vector<RRKey> got;
        for (const auto& s : z.rrsets()) got.push_back(RRKey{s.owner, s.type});
        ASSERT_EQ(got.size(), want.size()) << o;
        for (std::size_t i = 0; i < got.size(); ++i)
            ASSERT_EQ(got[i], want[i]) << o << " position " << i << ": " << got[i].owner.to_string()
                                       << " where " << want[i].owner.to_string() << " belongs";
        for (const auto& n : names) {
            const RRset* s = z.find(n, rrtype::A);
            ASSERT_NE(s, nullptr) << n.to_string();
            EXPECT_EQ(s->owner, n);
        }
        EXPECT_EQ(z.record_count(), 2 * names.size());
    }
}

TEST(Zone, RecordCountFollowsSetAndErase) {
    Name origin = Name::parse("example.com.");
    Zone z(origin);
    Name www = Name::parse("www.example.com.");
    EXPECT_FALSE(z.add(www, rrtype::A, 300, std::string("\xc0\x00\x02\x01", 4)));
    EXPECT_FALSE(z.add(www, rrtype::A, 300, std::string("\xc0\x00\x02\x02", 4)));
    EXPECT_FALSE(z.add(www, rrtype::A, 300, std::string("\xc0\x00\x02\x02", 4)));  // the same
    EXPECT_EQ(z.record_count(), 2u);
    z.set(www, rrtype::A, 300, {std::string("\xc0\x00\x02\x09", 4)});
    EXPECT_EQ(z.record_count(), 1u);
    z.set(origin, rrtype::TXT, 300,
          {"\x01"
           "a",
           "\x01"
           "b"});
    EXPECT_EQ(z.record_count(), 3u);
    z.erase(www, rrtype::A);
    EXPECT_EQ(z.record_count(), 2u);
    EXPECT_EQ(z.find(www, rrtype::A), nullptr);
    Zone copy = z;
    copy.add_loose(www, rrtype::AAAA, 300, std::string(16, '\0'), 3);
    EXPECT_EQ(copy.record_count(), 3u);
    EXPECT_EQ(z.record_count(), 2u);
    EXPECT_EQ(z.types_at(www).size(), 0u);
    EXPECT_EQ(copy.types_at(www), std::vector<RRType>{rrtype::AAAA});
}
