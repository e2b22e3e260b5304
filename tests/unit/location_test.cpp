// What a location string is (zonegen/location.hpp): a zone file, pdns:[ZONE], or
// axfr://HOST[:PORT]/ZONE.
#include <gtest/gtest.h>

#include "zonegen/errors.hpp"
#include "zonegen/location.hpp"

using namespace zonegen;

namespace {

std::string error_of(const std::string& text) {
    try {
        Location::parse(text);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(parsed)";
}

}  // namespace

TEST(LocationKindOf, ByThePrefixAloneAnythingElseAFile) {
    EXPECT_EQ(location_kind("pdns:"), LocationKind::pdns);
    EXPECT_EQ(location_kind("pdns:bad..name"), LocationKind::pdns);
    EXPECT_EQ(location_kind("axfr://"), LocationKind::axfr);
    EXPECT_EQ(location_kind("zones/example.com.zone"), LocationKind::file);
    EXPECT_EQ(location_kind("./pdns:example.com"), LocationKind::file);
    EXPECT_EQ(location_kind("PDNS:example.com"), LocationKind::file);
    EXPECT_EQ(location_kind("axfr:/x/y"), LocationKind::file);
    EXPECT_EQ(location_kind("-"), LocationKind::file);
    EXPECT_TRUE(is_file_location("example.com.zone"));
    EXPECT_FALSE(is_file_location("pdns:example.com"));
    EXPECT_FALSE(is_file_location("axfr://192.0.2.1/example.com"));
}

TEST(LocationFile, IsThePathAsWritten) {
    Location l = Location::parse("zones/example.com.zone");
    EXPECT_EQ(l.kind, LocationKind::file);
    EXPECT_EQ(l.text, "zones/example.com.zone");
    EXPECT_FALSE(l.zone);
}

TEST(LocationPdns, TheZoneIsOptionalItsTrailingDotToo) {
    EXPECT_FALSE(Location::parse("pdns:").zone);
    EXPECT_EQ(Location::parse("pdns:Example.COM").zone, Name::parse("example.com."));
    EXPECT_EQ(Location::parse("pdns:example.com.").zone, Name::parse("example.com."));
    EXPECT_EQ(error_of("pdns:bad..name"), "'pdns:bad..name': empty label in 'bad..name.'");
}

TEST(LocationAxfr, HostPortAndZone) {
    Location l = Location::parse("axfr://192.0.2.1/example.com");
    EXPECT_EQ(l.kind, LocationKind::axfr);
    EXPECT_EQ(l.host, "192.0.2.1");
    EXPECT_EQ(l.port, 53);
    EXPECT_EQ(l.zone, Name::parse("example.com."));
    l = Location::parse("axfr://ns1.example.net:5353/example.com.");
    EXPECT_EQ(l.host, "ns1.example.net");
    EXPECT_EQ(l.port, 5353);
    l = Location::parse("axfr://[2001:db8::53]:5300/example.com");
    EXPECT_EQ(l.host, "2001:db8::53");
    EXPECT_EQ(l.port, 5300);
    l = Location::parse("axfr://[2001:db8::53]/example.com");
    EXPECT_EQ(l.host, "2001:db8::53");
    EXPECT_EQ(l.port, 53);
}

TEST(LocationAxfr, EachMalformedPartIsNamed) {
    EXPECT_EQ(error_of("axfr://192.0.2.1"),
              "'axfr://192.0.2.1' names no zone: axfr://HOST[:PORT]/ZONE");
    EXPECT_EQ(error_of("axfr://192.0.2.1/"),
              "'axfr://192.0.2.1/' names no zone: axfr://HOST[:PORT]/ZONE");
    EXPECT_EQ(error_of("axfr://:53/example.com"), "'axfr://:53/example.com' names no host");
    EXPECT_EQ(error_of("axfr://[]/example.com"), "'axfr://[]/example.com' names no host");
    for (const char* bad : {"axfr://h:0/x", "axfr://h:65536/x", "axfr://h:5x/x", "axfr://[::1]x/x"})
        EXPECT_EQ(error_of(bad), "'" + std::string(bad) + "': bad port") << bad;
    EXPECT_EQ(error_of("axfr://[::1/x"), "'axfr://[::1/x': missing ']'");
    EXPECT_EQ(error_of("axfr://h/a..b"), "'axfr://h/a..b': empty label in 'a..b.'");
}

TEST(SameServer, ATrailingSlashIsNoDifference) {
    EXPECT_TRUE(same_server("http://127.0.0.1:8081", "http://127.0.0.1:8081/"));
    EXPECT_TRUE(same_server("http://127.0.0.1:8081//", "http://127.0.0.1:8081"));
    EXPECT_TRUE(same_server("", "/"));
    EXPECT_FALSE(same_server("http://127.0.0.1:8081", "http://127.0.0.1:8082"));
    EXPECT_FALSE(same_server("http://127.0.0.1:8081/api", "http://127.0.0.1:8081"));
}
