// The customer's primary configuration for pattern B (primary_config.hpp): TSIG enforced
// when a key is given, [v6]:port in each server's syntax, ids unique per zone, and
// additions that add beside what is there (never a block that replaces it). The servers'
// own checks and live transfers are in tests/integration/test_primary_snippets.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zonegen/instructions.hpp"
#include "zonegen/primary_config.hpp"

using namespace zonegen;

namespace {

// The built-in profile, our pattern-B secondary (ns2) serving DNS on PORT.
Profile profile_on_port(int port) {
    std::string text = default_profile_text();
    const std::string ns2 = "    pattern_b: true\n";
    auto at = text.find(ns2);
    EXPECT_NE(at, std::string::npos);
    if (port != 53) text.insert(at + ns2.size(), "    dns_port: " + std::to_string(port) + "\n");
    return parse_profile(text, "p.yaml");
}

Spec spec_b(const std::string& domain, bool tsig) {
    return parse_spec("domain: " + domain +
                          "\ndns_pattern: B\nregistrar: customer\nserver: {name: sv.example.net, "
                          "ipv4: [192.0.2.10]}\ncustomer_primary: [198.51.100.1]\n"
                          "customer_nameservers: [ns1.dns-host.example]\n" +
                          (tsig ? "tsig: {algorithm: hmac-sha256, secret_file: k.key}\n" : ""),
                      "t.yaml");
}

std::string text_of(const std::vector<Snippet>& v, const std::string& server) {
    for (const auto& s : v)
        if (s.server == server) return s.text;
    ADD_FAILURE() << "no snippet for " << server;
    return "";
}

// The lines that are not comments (what the customer pastes or runs).
std::vector<std::string> content_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string line = text.substr(i, e - i);
        if (line.rfind("#", 0) != 0 && line.rfind("//", 0) != 0) out.push_back(line);
        i = e + 1;
    }
    return out;
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

}  // namespace

TEST(PrimaryConfig, FourServersBothForms) {
    Profile p = profile_on_port(53);
    for (bool tsig : {false, true}) {
        auto full = primary_config(spec_b("example.com", tsig), p, Wording("instructions", "ja"));
        auto add =
            primary_config_additions(spec_b("example.com", tsig), p, Wording("instructions", "ja"));
        ASSERT_EQ(full.size(), 4u);
        ASSERT_EQ(add.size(), 4u);
        const char* servers[] = {"BIND", "NSD", "Knot", "PowerDNS"};
        for (std::size_t i = 0; i < 4; ++i) {
            EXPECT_EQ(full[i].server, servers[i]);
            EXPECT_EQ(add[i].server, servers[i]);
        }
    }
}

TEST(PrimaryConfig, WithAKeyOnlyTheKeyAllowsTheTransfer) {
    Profile p = profile_on_port(53);
    Spec s = spec_b("example.com", true);
    for (const auto& v : {primary_config(s, p, Wording("instructions", "en")),
                          primary_config_additions(s, p, Wording("instructions", "en"))}) {
        std::string pdns = text_of(v, "PowerDNS");
        EXPECT_FALSE(has(pdns, "ALLOW-AXFR-FROM")) << pdns;  // either suffices in PowerDNS
        EXPECT_TRUE(has(pdns, "activate-tsig-key example.com xfr.example.com primary")) << pdns;
        std::string bind = text_of(v, "BIND");
        for (const auto& line : content_lines(bind)) {  // no address-only allow entry
            EXPECT_NE(line, "    198.51.100.53;") << bind;
            EXPECT_NE(line, "    2001:db8:1::53;") << bind;
            EXPECT_FALSE(has(line, "allow-transfer {") && has(line, "198.51.100.53")) << bind;
        }
        EXPECT_TRUE(has(bind, "key \"xfr.example.com\";")) << bind;
        std::string nsd = text_of(v, "NSD");
        EXPECT_TRUE(has(nsd, "provide-xfr: 198.51.100.53 xfr.example.com\n")) << nsd;
        EXPECT_TRUE(has(nsd, "provide-xfr: 2001:db8:1::53 xfr.example.com\n")) << nsd;
        EXPECT_FALSE(has(nsd, "NOKEY")) << nsd;
        std::string knot = text_of(v, "Knot");
        auto acl = knot.substr(knot.find("acl:\n"));
        EXPECT_TRUE(has(acl.substr(0, acl.find("action: transfer")), "key: xfr.example.com"))
            << knot;
    }
    std::string bind = text_of(primary_config(s, p, Wording("instructions", "en")), "BIND");
    EXPECT_TRUE(has(bind, "allow-transfer { key \"xfr.example.com\"; };")) << bind;
    // Without a key, the addresses allow it.
    Spec open = spec_b("example.com", false);
    EXPECT_TRUE(
        has(text_of(primary_config(open, p, Wording("instructions", "en")), "PowerDNS"),
            "pdnsutil set-meta example.com ALLOW-AXFR-FROM 198.51.100.53 2001:db8:1::53\n"));
    EXPECT_TRUE(has(text_of(primary_config(open, p, Wording("instructions", "en")), "BIND"),
                    "allow-transfer { 198.51.100.53; 2001:db8:1::53; };"));
    EXPECT_TRUE(has(text_of(primary_config(open, p, Wording("instructions", "en")), "NSD"),
                    "provide-xfr: 2001:db8:1::53 NOKEY\n"));
}

TEST(PrimaryConfig, Ipv6WithAPortInEachServersSyntax) {
    Profile p = profile_on_port(5300);
    for (bool tsig : {false, true}) {
        Spec s = spec_b("example.com", tsig);
        std::string k = tsig ? " key \"xfr.example.com\"" : "";
        for (const auto& v : {primary_config(s, p, Wording("instructions", "ja")),
                              primary_config_additions(s, p, Wording("instructions", "ja"))}) {
            EXPECT_TRUE(has(text_of(v, "BIND"), "2001:db8:1::53 port 5300" + k + ";"));
            EXPECT_TRUE(has(text_of(v, "BIND"), "198.51.100.53 port 5300" + k + ";"));
            EXPECT_TRUE(has(text_of(v, "NSD"), "notify: 2001:db8:1::53@5300 "));
            EXPECT_TRUE(
                has(text_of(v, "Knot"), "address: [198.51.100.53@5300, 2001:db8:1::53@5300]"));
            EXPECT_TRUE(has(text_of(v, "PowerDNS"),
                            " ALSO-NOTIFY 198.51.100.53:5300 [2001:db8:1::53]:5300\n"));
            for (const auto& sn : v)  // a different, valid address: never
                EXPECT_FALSE(has(sn.text, "2001:db8:1::53:5300")) << sn.server << "\n" << sn.text;
            // The transfer comes from the address, not the port.
            EXPECT_TRUE(has(text_of(v, "Knot"), "address: [198.51.100.53, 2001:db8:1::53]"));
        }
    }
}

TEST(PrimaryConfig, KnotIdsAreTheZonesOwn) {
    EXPECT_EQ(knot_remote_id(Name::parse("example.com.")), "managed-secondary-example.com");
    EXPECT_EQ(knot_acl_id(Name::parse("example.com.")), "managed-secondary-xfr-example.com");
    EXPECT_NE(knot_remote_id(Name::parse("foo-co.jp.")), knot_remote_id(Name::parse("foo.co.jp.")));
    Profile p = profile_on_port(53);
    std::string one = text_of(
        primary_config(spec_b("example.com", true), p, Wording("instructions", "en")), "Knot");
    std::string two = text_of(
        primary_config(spec_b("example.net", true), p, Wording("instructions", "en")), "Knot");
    EXPECT_TRUE(has(one, "id: managed-secondary-example.com\n"));
    EXPECT_TRUE(has(one, "notify: managed-secondary-example.com\n"));
    EXPECT_TRUE(has(one, "acl: managed-secondary-xfr-example.com\n"));
    EXPECT_TRUE(has(one, "id: xfr.example.com\n"));
    EXPECT_FALSE(has(two, "example.com"));
}

TEST(PrimaryConfig, AdditionsAddBesideWhatIsThere) {
    Profile p = profile_on_port(53);
    for (bool tsig : {false, true}) {
        auto add =
            primary_config_additions(spec_b("example.com", tsig), p, Wording("instructions", "en"));
        for (const auto& sn : add)
            for (const auto& line : content_lines(sn.text)) {
                // No zone block or zone entry of its own to paste over the existing one.
                EXPECT_NE(line.rfind("zone", 0), 0u) << sn.server << ": " << line;
                EXPECT_FALSE(has(line, "set-meta")) << line;  // set-meta replaces
                EXPECT_FALSE(has(line, "load-zone")) << line;
                EXPECT_FALSE(has(line, "allow-transfer {")) << line;
                EXPECT_FALSE(has(line, "also-notify {")) << line;
            }
        std::string pdns = text_of(add, "PowerDNS");
        EXPECT_TRUE(has(pdns,
                        "\npdnsutil add-meta example.com ALSO-NOTIFY 198.51.100.53 "
                        "2001:db8:1::53\n"))
            << pdns;
        EXPECT_EQ(has(pdns, "\npdnsutil add-meta example.com ALLOW-AXFR-FROM"), !tsig) << pdns;
        std::string bind = text_of(add, "BIND");
        EXPECT_TRUE(has(bind, "allow-transfer")) << bind;  // where each entry goes
        EXPECT_TRUE(has(bind, "also-notify")) << bind;
        EXPECT_TRUE(has(bind, "    198.51.100.53" +
                                  std::string(tsig ? " key \"xfr.example.com\"" : "") + ";\n"))
            << bind;
        std::string knot = text_of(add, "Knot");
        EXPECT_TRUE(has(knot,
                        "\n    notify: managed-secondary-example.com\n    acl: "
                        "managed-secondary-xfr-example.com\n"))
            << knot;
    }
    // The complete configuration is the one with the zone block.
    auto full = primary_config(spec_b("example.com", false), p, Wording("instructions", "en"));
    EXPECT_TRUE(has(text_of(full, "BIND"), "zone \"example.com\" {\n    type primary;"));
    EXPECT_TRUE(
        has(text_of(full, "PowerDNS"), "pdnsutil load-zone example.com '(your zone file)'"));
}

TEST(PrimaryConfig, JapaneseAndEnglishNeverTheSecret) {
    Profile p = profile_on_port(53);
    Spec s = spec_b("example.com", true);
    for (bool ja : {true, false})
        for (const auto& v :
             {primary_config(s, p, Wording("instructions", ja ? "ja" : "en")),
              primary_config_additions(s, p, Wording("instructions", ja ? "ja" : "en"))})
            for (const auto& sn : v) {
                EXPECT_TRUE(has(
                    sn.text, ja ? "(当社からお伝えした共有鍵)" : "(the shared secret we sent you)"))
                    << sn.server;
                EXPECT_EQ(has(sn.text, "(当社からお伝えした共有鍵)"), ja);
            }
    auto add = primary_config_additions(s, p, Wording("instructions", "ja"));
    EXPECT_TRUE(has(text_of(add, "BIND"), "既存の項目はそのまま残します"));
    EXPECT_TRUE(has(text_of(add, "PowerDNS"), "add-meta は既存の値に追加します"));
}

TEST(PrimaryConfig, InInstructionsJsonAndText) {
    Profile p = profile_on_port(5300);
    Instructions in = build_instructions(spec_b("example.com", true), p, "en",
                                         Date::parse("2026-11-30"), std::string("records"));
    auto j = instructions_json(in);
    ASSERT_TRUE(j["primary_config"].is_array());
    ASSERT_EQ(j["primary_config"].size(), 4u);
    ASSERT_EQ(j["primary_config_additions"].size(), 4u);
    EXPECT_EQ(j["primary_config"][3]["server"], "PowerDNS");
    EXPECT_EQ(j["primary_config_additions"][0]["server"], "BIND");
    EXPECT_EQ(j["primary_config_additions"][0]["text"],
              text_of(primary_config_additions(spec_b("example.com", true), p,
                                               Wording("instructions", "en")),
                      "BIND"));
    for (bool md : {false, true}) {
        std::string t = instructions_text(in, md);
        EXPECT_TRUE(has(t, "Primary configuration for a new zone: Knot")) << t;
        EXPECT_TRUE(has(t, "Primary configuration, additions to a zone you already serve: Knot"));
        EXPECT_FALSE(has(t, "2001:db8:1::53:5300")) << t;
        EXPECT_TRUE(has(t, "[2001:db8:1::53]:5300")) << t;  // the step names our secondary too
    }
    Instructions ja = build_instructions(spec_b("example.com", false), p, "ja",
                                         Date::parse("2026-11-30"), std::string("records"));
    EXPECT_TRUE(has(instructions_text(ja, true), "プライマリDNSの設定に追加する内容"));
    // Not pattern B: none.
    Spec c = parse_spec(
        "domain: example.com\ndns_pattern: C\nregistrar: customer\nserver: {name: "
        "sv.example.net, ipv4: [192.0.2.10]}\ncustomer_nameservers: [ns1.dns-host.example]\n",
        "c.yaml");
    auto jc = instructions_json(build_instructions(c, p, "en", Date::parse("2026-11-30"), "r"));
    EXPECT_EQ(jc["primary_config"], nlohmann::json::array());
    EXPECT_EQ(jc["primary_config_additions"], nlohmann::json::array());
}
