// batch --action verify's summary: per server of ours, the zones served, missing, lagging
// and lame, and the domains in sync, from each domain's verify result.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zonegen/fleet_summary.hpp"

using namespace zonegen;

namespace {

Name N(const std::string& s) {
    return Name::parse(s.ends_with(".") ? s : s + ".");
}

ServerState serving(const std::string& name, std::uint32_t serial, bool lagging = false) {
    return {N(name), true, serial, lagging, false};
}

ServerState silent(const std::string& name, bool lame = false) {
    return {N(name), false, std::nullopt, false, lame};
}

FleetDomain domain(const std::string& zone, std::vector<ServerState> servers) {
    VerifyResult r;
    r.servers = std::move(servers);
    return fleet_domain(N(zone), r);
}

class FleetSummaryTest : public ::testing::Test {
  protected:
    std::vector<FleetDomain> domains;
    nlohmann::json summary(std::size_t max_zones = 100) const {
        return fleet_summary_json(fleet_summary(domains), max_zones);
    }
};

TEST_F(FleetSummaryTest, EveryServerServingOneSerialIsInSync) {
    domains.push_back(
        domain("a.com", {serving("ns1.example.net", 5), serving("ns2.example.net", 5)}));
    domains.push_back(
        domain("b.com", {serving("ns1.example.net", 9), serving("ns2.example.net", 9)}));
    EXPECT_EQ(
        summary().dump(),
        R"({"in_sync":2,"servers":[{"lagging":0,"lame":0,"missing":0,"name":"ns1.example.net.",)"
        R"("served":2},{"lagging":0,"lame":0,"missing":0,"name":"ns2.example.net.","served":2}]})");
}

TEST_F(FleetSummaryTest, AStoppedSecondaryIsBlamedForExactlyItsZones) {
    domains.push_back(
        domain("a.com", {serving("ns1.example.net", 5), silent("ns2.example.net", true)}));
    domains.push_back(domain("b.com", {serving("ns1.example.net", 5), silent("ns2.example.net")}));
    auto s = summary();
    EXPECT_EQ(s["in_sync"], 0);
    EXPECT_EQ(s["servers"][0].dump(),
              R"({"lagging":0,"lame":0,"missing":0,"name":"ns1.example.net.","served":2})");
    EXPECT_EQ(s["servers"][1].dump(),
              R"({"lagging":0,"lame":1,"lame_zones":["a.com."],"missing":2,)"
              R"("missing_zones":["a.com.","b.com."],"name":"ns2.example.net.","served":0})");
}

TEST_F(FleetSummaryTest, ALaggingServerServesTheZoneButIsNotInSync) {
    domains.push_back(
        domain("a.com", {serving("ns1.example.net", 6), serving("ns2.example.net", 5, true)}));
    auto s = summary();
    EXPECT_EQ(s["in_sync"], 0);
    EXPECT_EQ(s["servers"][1]["served"], 1);
    EXPECT_EQ(s["servers"][1]["lagging"], 1);
    EXPECT_EQ(s["servers"][1]["lagging_zones"], nlohmann::json::array({"a.com."}));
    EXPECT_EQ(s["servers"][1]["missing"], 0);
    EXPECT_FALSE(s["servers"][1].contains("missing_zones"));
}

TEST_F(FleetSummaryTest, ServersAreListedByNameWhateverTheDomainsPatterns) {
    // A pattern-B domain has only the pattern-B secondary; a pattern-C one none of ours.
    domains.push_back(domain("b.com", {serving("ns2.example.net", 3)}));
    domains.push_back(domain("c.com", {}));
    domains.push_back(
        domain("a.com", {serving("ns1.example.net", 5), serving("ns2.example.net", 5)}));
    auto s = summary();
    EXPECT_EQ(s["in_sync"], 2);  // C is not counted: nothing of it is on our servers
    ASSERT_EQ(s["servers"].size(), 2u);
    EXPECT_EQ(s["servers"][0]["name"], "ns1.example.net.");
    EXPECT_EQ(s["servers"][0]["served"], 1);
    EXPECT_EQ(s["servers"][1]["name"], "ns2.example.net.");
    EXPECT_EQ(s["servers"][1]["served"], 2);
}

TEST_F(FleetSummaryTest, TheZoneListsAreCappedTheCountsAreNot) {
    for (int i = 0; i < 5; ++i)
        domains.push_back(domain("d" + std::to_string(i) + ".com", {silent("ns1.example.net")}));
    auto s = summary(3);
    EXPECT_EQ(s["servers"][0]["missing"], 5);
    EXPECT_EQ(s["servers"][0]["missing_zones"],
              nlohmann::json::array({"d0.com.", "d1.com.", "d2.com."}));
}

TEST_F(FleetSummaryTest, NoDomainVerifiedIsAnEmptySummary) {
    EXPECT_EQ(summary().dump(), R"({"in_sync":0,"servers":[]})");
}

TEST(FleetDomainTest, InSyncNeedsEveryServerServingOneSerial) {
    VerifyResult r;
    EXPECT_FALSE(r.in_sync());  // none of ours (pattern C)
    r.servers = {serving("ns1.example.net", 5), serving("ns2.example.net", 5)};
    EXPECT_TRUE(r.in_sync());
    r.servers[1].serial = 4;
    EXPECT_FALSE(r.in_sync());
    r.servers[1] = silent("ns2.example.net");
    EXPECT_FALSE(r.in_sync());
}

}  // namespace
