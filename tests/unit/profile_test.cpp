// The provider profile's name servers (zonegen/profile.hpp).
#include <gtest/gtest.h>

#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"

using namespace zonegen;

namespace {

ProviderNs ns(std::vector<std::string> v4, std::vector<std::string> v6, std::uint16_t port = 53) {
    ProviderNs n;
    n.name = Name::parse("ns1.example.net.");
    n.ipv4 = std::move(v4);
    n.ipv6 = std::move(v6);
    n.dns_port = port;
    return n;
}

}  // namespace

TEST(ProviderNsAddress, TheFirstIPv4ElseTheFirstIPv6) {
    EXPECT_EQ(ns({"192.0.2.53", "192.0.2.54"}, {"2001:db8::53"}).first_address(), "192.0.2.53");
    EXPECT_EQ(ns({}, {"2001:db8::53", "2001:db8::54"}).first_address(), "2001:db8::53");
}

TEST(ProviderNsAddress, TheBuiltInProfilesServersEachHaveOne) {
    Profile p = load_profile("");
    ASSERT_FALSE(p.nameservers.empty());
    for (const auto& n : p.nameservers) EXPECT_EQ(n.first_address(), n.ipv4.front());
}

TEST(ProviderNsAddress, EndpointsCarryAPortOtherThan53) {
    EXPECT_EQ(ns({"192.0.2.53"}, {"2001:db8::53"}).endpoints(),
              (std::vector<std::string>{"192.0.2.53", "2001:db8::53"}));
    EXPECT_EQ(ns({"127.0.0.1"}, {"::1"}, 5300).endpoints(),
              (std::vector<std::string>{"127.0.0.1:5300", "[::1]:5300"}));
}

namespace {

Profile with(const std::string& extra) {
    return parse_profile(default_profile_text() + extra, "p.yaml");
}

}  // namespace

TEST(ProfileCatalog, NoneUnlessNamed) {
    EXPECT_FALSE(load_profile("").catalog.has_value());
}

TEST(ProfileCatalog, ANameAlone) {
    Profile p = with("catalog: catalog.hosting.invalid\n");
    ASSERT_TRUE(p.catalog.has_value());
    EXPECT_EQ(p.catalog->to_string(), "catalog.hosting.invalid.");
    EXPECT_FALSE(p.catalog_tsig_key.has_value());
}

TEST(ProfileCatalog, ZoneAndTsigKey) {
    Profile p = with("catalog: {zone: catalog.hosting.invalid., tsig_key: catalog-xfr}\n");
    EXPECT_EQ(p.catalog->to_string(), "catalog.hosting.invalid.");
    EXPECT_EQ(p.catalog_tsig_key->to_string(), "catalog-xfr.");
}

TEST(ProfileCatalog, ABadNameOrKeyIsNamed) {
    for (const char* bad : {"catalog: \"bad..name\"\n", "catalog: {zone: a.invalid, tsig: k}\n",
                            "catalog: {tsig_key: k}\n"}) {
        try {
            with(bad);
            ADD_FAILURE() << bad;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("catalog"), std::string::npos) << e.what();
        }
    }
}

namespace {

Profile with_pdns(const std::string& line) {
    std::string text = default_profile_text();
    std::string at = "  transfer_settings: zone\n";
    auto pos = text.find(at);
    EXPECT_NE(pos, std::string::npos) << "the built-in profile's pdns block changed";
    return parse_profile(text.replace(pos, at.size(), line), "p.yaml");
}

}  // namespace

TEST(ProfilePdns, TransferSettingsPerZoneUnlessServerWide) {
    EXPECT_FALSE(load_profile("").pdns_server_transfers);
    EXPECT_FALSE(with_pdns("  transfer_settings: zone\n").pdns_server_transfers);
    EXPECT_TRUE(with_pdns("  transfer_settings: server\n").pdns_server_transfers);
    try {
        with_pdns("  transfer_settings: global\n");
        ADD_FAILURE() << "global accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("pdns.transfer_settings"), std::string::npos)
            << e.what();
    }
}
