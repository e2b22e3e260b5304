// The network trust boundary: CIDR matching, the special-purpose ranges, "ours", and the
// spec keys a refusal names.
#include <gtest/gtest.h>

#include "zonegen/customer_networks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

using namespace zonegen;

namespace {

// The built-in profile with allowed_customer_networks (and anything else) replaced.
Profile profile_with(const std::string& allowed, const std::string& extra = "") {
    std::string text = default_profile_text();
    const std::string line = "allowed_customer_networks: []";
    auto at = text.find(line);
    EXPECT_NE(at, std::string::npos);
    text.replace(at, line.size(), "allowed_customer_networks: " + allowed + "\n" + extra);
    return parse_profile(text, "p.yaml");
}

std::string profile_error(const std::string& allowed, const std::string& extra = "") {
    try {
        profile_with(allowed, extra);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

Spec spec_b(const std::string& primary, const std::string& nameservers = "[ns1.dns-host.example]",
            const std::string& extra = "") {
    return parse_spec(
        "domain: example.com\ndns_pattern: B\nregistrar: customer\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\ncustomer_primary: " +
            primary + "\ncustomer_nameservers: " + nameservers + "\n" + extra,
        "b.yaml");
}

std::string refusal_of(const Spec& s, const Profile& p) {
    try {
        check_customer_addresses(s, p);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Cidr, ParsesNetworksAndRefusesBadOnes) {
    EXPECT_EQ(parse_cidr("127.0.0.0/8")->to_string(), "127.0.0.0/8");
    EXPECT_EQ(parse_cidr("2001:DB8:0::/32")->to_string(), "2001:db8::/32");
    EXPECT_EQ(parse_cidr("192.0.2.7")->to_string(), "192.0.2.7/32");
    EXPECT_EQ(parse_cidr("::1")->to_string(), "::1/128");
    EXPECT_EQ(parse_cidr("0.0.0.0/0")->to_string(), "0.0.0.0/0");
    std::string why;
    EXPECT_FALSE(parse_cidr("127.0.0.1/8", &why));
    EXPECT_NE(why.find("host bits"), std::string::npos);
    for (const char* bad : {"127.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1",
                            "example.com/8", "", "10.0.0/8", "10.0.0.0/8/8"})
        EXPECT_FALSE(parse_cidr(bad)) << bad;
}

TEST(Cidr, MatchesAtItsEdges) {
    auto ten = *parse_cidr("10.0.0.0/8");
    EXPECT_TRUE(ten.contains("10.0.0.0"));
    EXPECT_TRUE(ten.contains("10.255.255.255"));
    EXPECT_FALSE(ten.contains("11.0.0.0"));
    EXPECT_FALSE(ten.contains("9.255.255.255"));
    EXPECT_TRUE(ten.contains("::ffff:10.1.2.3"));  // IPv4-mapped is its IPv4 address
    EXPECT_FALSE(ten.contains("::a01:203"));       // IPv4-compatible is not
    auto odd = *parse_cidr("172.16.0.0/12");
    EXPECT_TRUE(odd.contains("172.31.255.255"));
    EXPECT_FALSE(odd.contains("172.32.0.0"));
    auto ula = *parse_cidr("fc00::/7");
    EXPECT_TRUE(ula.contains("fdff:ffff::1"));
    EXPECT_FALSE(ula.contains("fe00::1"));
    EXPECT_FALSE(ula.contains("10.0.0.1"));
    auto all = *parse_cidr("0.0.0.0/0");
    EXPECT_TRUE(all.contains("255.255.255.255"));
    EXPECT_FALSE(all.contains("::1"));
    EXPECT_FALSE(all.contains("not an address"));
}

TEST(CustomerNetworks, SpecialPurposeRangesAreNotPublic) {
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1", "loopback"},
        {"127.255.255.254", "loopback"},
        {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},
        {"192.168.1.1", "private"},
        {"100.64.0.1", "carrier-grade NAT"},
        {"100.127.255.255", "carrier-grade NAT"},
        {"169.254.169.254", "link-local"},
        {"0.0.0.0", "unspecified"},
        {"0.1.2.3", "unspecified"},
        {"224.0.0.1", "multicast"},
        {"239.255.255.255", "multicast"},
        {"240.0.0.1", "reserved"},
        {"255.255.255.255", "reserved"},
        {"198.18.0.1", "benchmarking"},
        {"192.0.0.1", "IETF protocol"},
        {"192.88.99.1", "6to4 relay"},
        {"::1", "loopback"},
        {"::", "unspecified"},
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:192.168.0.1", "private"},
        {"::a01:203", "reserved (::/8"},
        {"fc00::1", "unique local"},
        {"fd12:3456::1", "unique local"},
        {"fe80::1", "link-local"},
        {"febf::1", "link-local"},
        {"fec0::1", "site-local"},
        {"ff02::1", "multicast"},
        {"100::1", "discard-only"},
        {"2001::1", "IETF protocol"},   // Teredo
        {"2002:7f00:1::", "loopback"},  // 6to4 of 127.0.0.1
        {"64:ff9b::a00:1", "private"},  // NAT64 of 10.0.0.1
        {"64:ff9b:1::1", "local-use NAT64"},
        {"4000::1", "outside 2000::/3"},
    };
    for (const auto& [addr, kind] : cases) {
        const char* got = non_public_kind(addr);
        ASSERT_NE(got, nullptr) << addr;
        EXPECT_NE(std::string(got).find(kind), std::string::npos) << addr << ": " << got;
    }
    for (const char* pub :
         {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
          "198.20.0.1", "192.0.2.1", "198.51.100.53", "203.0.113.1", "169.253.0.1",
          "223.255.255.255", "2001:db8::1", "2606:4700::1111", "2002:808:808::1",
          "64:ff9b::808:808", "::ffff:8.8.8.8", "2001:200::1", "3fff::1"})
        EXPECT_EQ(non_public_kind(pub), nullptr) << pub;
}

TEST(CustomerNetworks, OursAndTheAllowedNetworks) {
    const Profile builtin = profile_with("[]");
    const CustomerNetworks none(builtin);
    EXPECT_NE(none.refusal("127.0.0.1", 53)->find("loopback"), std::string::npos);
    EXPECT_NE(none.refusal("::ffff:127.0.0.1", 53)->find("loopback"), std::string::npos);
    // Our name servers' addresses (any port) and the PowerDNS API's host.
    EXPECT_NE(none.refusal("198.51.100.53", 5300)->find("ns2.example.net."), std::string::npos);
    EXPECT_NE(none.refusal("2001:db8::53", 53)->find("ns1.example.net."), std::string::npos);
    EXPECT_FALSE(none.refusal("198.51.100.54", 53));
    EXPECT_FALSE(none.refusal("2001:db8::54", 53));

    const CustomerNetworks loop(profile_with("[127.0.0.0/8, \"198.51.100.0/24\"]"));
    EXPECT_FALSE(loop.refusal("127.0.0.1", 5353));
    EXPECT_FALSE(loop.refusal("198.51.100.53", 5300));  // listed: our address, another port
    EXPECT_TRUE(loop.refusal("::1", 53));               // not listed
    EXPECT_TRUE(loop.refusal("10.0.0.1", 53));
    // Our own endpoints stay refused whatever is listed: the API (pdns.url 127.0.0.1:8081)
    // and a name server's DNS port.
    EXPECT_NE(loop.refusal("127.0.0.1", 8081)->find("PowerDNS API"), std::string::npos);
    EXPECT_NE(loop.refusal("198.51.100.53", 53)->find("DNS service"), std::string::npos);

    std::string text = default_profile_text();
    text.replace(text.find("http://127.0.0.1:8081"), 21, "https://[2001:db8:9::1]/api");
    const CustomerNetworks api(parse_profile(text, "p.yaml"));
    EXPECT_NE(api.refusal("2001:db8:9::1", 443)->find("PowerDNS API"), std::string::npos);
    EXPECT_NE(api.refusal("2001:db8:9::1", 22)->find("host of our PowerDNS API"),
              std::string::npos);
}

TEST(CustomerNetworks, ProfileKeysAreChecked) {
    EXPECT_NE(profile_error("[127.0.0.1/8]").find("'allowed_customer_networks[0]'"),
              std::string::npos);
    EXPECT_NE(profile_error("[10.0.0.0/8, example.com]").find("'allowed_customer_networks[1]'"),
              std::string::npos);
    EXPECT_NE(profile_error("127.0.0.0/8").find("allowed_customer_networks"), std::string::npos);
    Profile p = profile_with("[\"2001:DB8::/32\"]", "control_panel: true\n");
    EXPECT_EQ(p.allowed_customer_networks, std::vector<std::string>{"2001:db8::/32"});
    EXPECT_TRUE(p.control_panel);
    EXPECT_EQ(p.max_transfer_records, 200000u);
    EXPECT_EQ(p.max_transfer_bytes, 64u << 20);
    EXPECT_EQ(p.max_transfer_seconds, 10);
    std::string text = default_profile_text();
    text.replace(text.find("max_records: 200000"), 19, "max_records: 0");
    try {
        parse_profile(text, "p.yaml");
        ADD_FAILURE() << "max_records: 0 accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("zone_transfer.max_records"), std::string::npos);
    }
}

TEST(CustomerNetworks, EachSpecKeyIsNamed) {
    const Profile p = profile_with("[]");
    EXPECT_NE(refusal_of(spec_b("['127.0.0.1:5300']"), p).find("'customer_primary[0]'"),
              std::string::npos);
    EXPECT_NE(refusal_of(spec_b("[192.0.2.53, '[fe80::1]:53']"), p).find("'customer_primary[0]'"),
              std::string::npos);  // 192.0.2.53 is our ns1
    EXPECT_NE(refusal_of(spec_b("[203.0.113.5, '[fe80::1]:53']"), p).find("'customer_primary[1]'"),
              std::string::npos);
    std::string glue = refusal_of(spec_b("[203.0.113.5]",
                                         "[ns0.dns-host.example, {name: ns1.example.com, ipv4: "
                                         "[203.0.113.6], ipv6: ['2001:db8::6', 'fd00::6']}]"),
                                  p);
    EXPECT_NE(glue.find("'customer_nameservers[1].ipv6[1]'"), std::string::npos) << glue;
    EXPECT_NE(glue.find("unique local"), std::string::npos) << glue;
    Spec imp = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: customer\nserver: {name: sv1.example.net, "
        "ipv4: [192.0.2.10]}\nimport_from: axfr://10.0.0.53:5353/example.com\n",
        "a.yaml");
    EXPECT_NE(refusal_of(imp, p).find("a.yaml: 'import_from': 10.0.0.53:5353 is a private"),
              std::string::npos)
        << refusal_of(imp, p);
    EXPECT_EQ(refusal_of(spec_b("[203.0.113.5, '[2001:db8:100::53]:5300']"), p), "");
    // Every command that generates for the spec refuses it the same way, exit 2.
    GenerateOptions go;
    EXPECT_THROW(build_desired(spec_b("['127.0.0.1']"), p, go), InputError);
    EXPECT_NO_THROW(build_desired(spec_b("['127.0.0.1']"), profile_with("[127.0.0.0/8]"), go));
}

TEST(CustomerNetworks, CustomerPrimaryAtOurNameServersAddressIsRefusedAtAnyPort) {
    // Even where allowed_customer_networks lists our own addresses (an operator whose
    // customers sit in its own network), the customer's primary is never our name server's
    // host: our secondary would transfer the zone from our own server.
    const Profile p = profile_with("[198.51.100.0/24, \"2001:db8::/32\", 192.0.2.0/24]");
    for (const std::string primary :
         {"['198.51.100.53:5300']", "[198.51.100.53]", "['[2001:db8:1::53]:5300']",
          "['2001:DB8:1:0::53']", "['::ffff:198.51.100.53']",
          "[203.0.113.5, '192.0.2.53:53000']"}) {
        std::string why = refusal_of(spec_b(primary), p);
        EXPECT_NE(why.find("'customer_primary["), std::string::npos) << primary << ": " << why;
        EXPECT_NE(why.find("is the address of our name server ns"), std::string::npos)
            << primary << ": " << why;
    }
    EXPECT_NE(refusal_of(spec_b("[203.0.113.5, '192.0.2.53:53000']"), p)
                  .find("'customer_primary[1]': 192.0.2.53:53000 is the address of our name "
                        "server ns1.example.net."),
              std::string::npos);
    EXPECT_EQ(refusal_of(spec_b("['198.51.100.54:5300']"), p), "");  // a neighbour: allowed
    // Every command that generates for the spec refuses it, exit 2 (InputError).
    GenerateOptions go;
    EXPECT_THROW(build_desired(spec_b("['198.51.100.53:5300']"), p, go), InputError);
    // A test bench (our name servers on loopback): the port tells the servers apart there;
    // our own DNS port stays refused.
    std::string text = default_profile_text();
    auto swap = [&text](const std::string& from, const std::string& to) {
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    };
    swap("    ipv4: [192.0.2.53]\n    ipv6: [\"2001:db8::53\"]\n",
         "    ipv4: [127.0.0.1]\n    dns_port: 5300\n");
    swap("allowed_customer_networks: []", "allowed_customer_networks: [127.0.0.0/8]");
    const Profile bench = parse_profile(text, "p.yaml");
    EXPECT_EQ(refusal_of(spec_b("['127.0.0.1:5301']"), bench), "");
    EXPECT_NE(refusal_of(spec_b("['127.0.0.1:5300']"), bench).find("DNS service"),
              std::string::npos);
}
