// Reading zone files (backends/zonefile.hpp): a large file is handed back to the system as
// it is parsed, and the last line need not end in a newline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "backends/zonefile.hpp"

using namespace zonegen;

// Over 1 MiB (the step at which parsed pages are handed back), the last record without a
// newline: the scanner reads that line from a buffer of its own, outside the file's mapping,
// and nothing may be handed back past the mapping.
TEST(ZoneFile, ALargeFileWhoseLastLineHasNoNewlineReadsWhole) {
    char tmpl[] = "/tmp/zonegen-zonefile-test-XXXXXX";
    int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        std::ofstream out(tmpl);
        out << "$ORIGIN big.example.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
               "@ NS ns1\nns1 A 192.0.2.1\n";
        for (int i = 0; i < 60000; ++i)
            out << "host" << i << " A 10." << (i >> 16) << "." << ((i >> 8) & 255) << "."
                << (i & 255) << "\n";
        out << "last A 192.0.2.99";  // no newline
    }
    ReadOptions o;
    ReadResult r = read_zone_file(tmpl, o);
    std::remove(tmpl);
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(r.zone.record_count(), 60004u);
    ASSERT_NE(r.zone.find(Name::parse_fqdn("last.big.example"), rrtype::A), nullptr);
    ASSERT_NE(r.zone.find(Name::parse_fqdn("host0.big.example"), rrtype::A), nullptr);
}
