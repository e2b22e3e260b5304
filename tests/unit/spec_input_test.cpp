// Hostile and odd customer specs (issue 13): encodings, TTL notation, misspelt keys, TTLs of
// records: beside generated rrsets, server addresses, and the provider's time zone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "validators/checks.hpp"
#include "zonegen/address.hpp"
#include "zonegen/calendar.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/time_zone.hpp"
#include "zonegen/utf8.hpp"
#include "zonegen/yaml_util.hpp"

using namespace zonegen;

namespace {

const std::string kHead =
    "domain: example.com\n"
    "dns_pattern: A\n"
    "registrar: transfer\n"
    "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n";

const std::string kJsonHead =
    R"({"domain": "example.com", "dns_pattern": "A", "registrar": "transfer",)"
    R"( "server": {"name": "sv1.example.net", "ipv4": ["192.0.2.10"]})";

std::string error_of(const std::string& text, const std::string& source = "t.yaml") {
    try {
        parse_spec(text, source);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string profile_error_of(const std::string& text) {
    try {
        parse_profile(text, "p.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

// The message is what main prints and puts in the JSON error object: it must be UTF-8.
void expect_printable(const std::string& message) {
    EXPECT_TRUE(is_utf8(message)) << message;
    EXPECT_NO_THROW((void)(nlohmann::json{{"message", message}}.dump())) << message;
}

std::vector<Finding> all_findings(const Spec& s, const Profile& p, std::time_t now = 0) {
    GenerateOptions go;
    go.now = now;
    if (now == 0) go.serial = 1;
    Desired d = build_desired(s, p, go);
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &p;
    auto more = validate_zone(d.zone, vo);
    d.findings.insert(d.findings.end(), more.begin(), more.end());
    return d.findings;
}

std::vector<std::string> checks_of(const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.check);
    return out;
}

std::string yamlx_closest(const std::string& key) {
    return yamlx::closest_key(
        key, {"domain", "dns_pattern", "registrar", "server", "services", "customer_primary",
              "customer_nameservers", "tsig", "ttl", "import_from", "records"});
}

// The default profile with another time_zone.
std::string profile_in(const std::string& zone) {
    std::string text = default_profile_text();
    const std::string key = "time_zone: Asia/Tokyo";
    text.replace(text.find(key), key.size(), "time_zone: " + zone);
    return text;
}

// 2026-12-01T20:00:00Z, already 2026-12-02 05:00 in Japan.
constexpr std::time_t kUtcEveningDec1 = 1796155200;

}  // namespace

// ---- UTF-8 ----------------------------------------------------------------------------------

TEST(Utf8, FollowsRfc3629) {
    EXPECT_TRUE(is_utf8("plain ascii"));
    EXPECT_TRUE(is_utf8("日本語 ドメイン 🎌"));
    EXPECT_EQ(utf8_error_at("ab\xff"), 2u);
    EXPECT_EQ(utf8_error_at("\xc0\x80"), 0u);          // overlong NUL
    EXPECT_EQ(utf8_error_at("x\xed\xa0\x80"), 1u);     // a surrogate (U+D800)
    EXPECT_EQ(utf8_error_at("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
    EXPECT_EQ(utf8_error_at("\xe6\x97"), 0u);          // cut short
    EXPECT_EQ(utf8_error_at("\x82\xa8\x8b\x71"), 0u);  // Shift_JIS
}

TEST(Utf8, PrintableEscapesBadBytesAndControlsOnly) {
    EXPECT_EQ(printable("日本.yaml"), "日本.yaml");
    EXPECT_EQ(printable("a\xff.yaml"), "a\\xFF.yaml");
    EXPECT_EQ(printable("a\nb\\c\xfe"), "a\\x0Ab\\\\c\\xFE");
    EXPECT_EQ(printable(printable("a\xff")), printable("a\xff"));
}

TEST(SpecUtf8, ValueNotUtf8IsRefusedNamingKeyAndLine) {
    std::string msg = error_of(kHead + "records:\n  - {name: '@', type: TXT, data: \"x\xff\"}\n");
    EXPECT_NE(msg.find("t.yaml:6: 'records[0].data': the value is not valid UTF-8 (byte 0xFF"),
              std::string::npos)
        << msg;
    expect_printable(msg);
}

TEST(SpecUtf8, KeyNotUtf8IsRefusedPrintably) {
    std::string msg = error_of(kHead + "col\xffour: red\n");
    EXPECT_NE(msg.find("t.yaml:5: 'col\\xFFour': the key is not valid UTF-8"), std::string::npos)
        << msg;
    expect_printable(msg);
    msg = error_of(kJsonHead + ", \"ttl\xff\": 1}");
    EXPECT_NE(msg.find("'ttl\\xFF': the key is not valid UTF-8"), std::string::npos) << msg;
    expect_printable(msg);
}

TEST(SpecUtf8, ShiftJisFileIsRefused) {
    // "# 顧客\n" and a TXT "お客様", as Shift_JIS.
    std::string sjis = "# \x8c\xda\x8b\x71\n" + kHead +
                       "records:\n  - {name: '@', type: TXT, data: \"\x82\xa8\x8b\x71\x97\x6c\"}\n";
    std::string msg = error_of(sjis);
    EXPECT_NE(msg.find("t.yaml:7: 'records[0].data': the value is not valid UTF-8"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("Shift_JIS"), std::string::npos) << msg;
    expect_printable(msg);
    // Only the comment: the line is named.
    msg = error_of("# \x8c\xda\x8b\x71\n" + kHead);
    EXPECT_NE(msg.find("t.yaml:1: not valid UTF-8 (byte 0x8C, column 3)"), std::string::npos)
        << msg;
}

TEST(SpecUtf8, InJsonTooAndInABrokenDocument) {
    std::string msg = error_of(R"({"domain": "example.com", "dns_pattern": "A",)"
                               "\n \"registrar\": \"trans\xfe\"}");
    EXPECT_NE(msg.find("t.yaml:2: 'registrar': the value is not valid UTF-8 (byte 0xFE"),
              std::string::npos)
        << msg;
    msg = error_of("domain: \"example.com\n\xff");  // no YAML either: the UTF-8 error wins
    EXPECT_NE(msg.find("t.yaml:2: not valid UTF-8"), std::string::npos) << msg;
    expect_printable(msg);
}

TEST(SpecUtf8, FileNameNotUtf8IsPrintedEscaped) {
    std::string msg = error_of(kHead + "ttl: x\n",
                               "dir/sp\xff"
                               "ec.yaml");
    EXPECT_EQ(msg.rfind("dir/sp\\xFFec.yaml:5: 'ttl'", 0), 0u) << msg;
    expect_printable(msg);
    Spec s = parse_spec(kHead,
                        "sp\xff"
                        "ec.yaml");
    EXPECT_EQ(s.source, "sp\\xFFec.yaml");
    try {
        load_spec(
            "/nonexistent/sp\xff"
            "ec.yaml");
        FAIL() << "a missing file was read";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("sp\\xFFec.yaml: cannot open"), std::string::npos)
            << e.what();
        expect_printable(e.what());
    }
}

TEST(SpecUtf8, ProfileNotUtf8IsRefused) {
    std::string bad = default_profile_text();
    bad.replace(bad.find("example-hosting"), 15, "example-\xffhosting");
    std::string msg = profile_error_of(bad);
    EXPECT_NE(msg.find("'name': the value is not valid UTF-8"), std::string::npos) << msg;
}

// ---- TTLs -----------------------------------------------------------------------------------

TEST(SpecTtl, FloatWithoutFractionIsWholeSeconds) {
    EXPECT_EQ(*parse_spec(kHead + "ttl: 3600.0\n", "t.yaml").ttl, 3600u);
    EXPECT_EQ(*parse_spec(kHead + "ttl: 3600.\n", "t.yaml").ttl, 3600u);
    EXPECT_EQ(*parse_spec(kJsonHead + ", \"ttl\": 3600.0}", "t.json").ttl, 3600u);
    Spec s = parse_spec(kJsonHead + R"(, "records": [{"name": "www", "type": "TXT", "ttl": 300.00,)"
                                    R"( "data": "x"}]})",
                        "t.json");
    EXPECT_EQ(*s.records.at(0).ttl, 300u);
    EXPECT_EQ(*parse_spec(kHead + "ttl: 1h30m\n", "t.yaml").ttl, 5400u);
    EXPECT_EQ(*parse_spec(kHead + "ttl: 2147483647\n", "t.yaml").ttl, 2147483647u);
}

TEST(SpecTtl, AnythingButWholeSecondsIsRefusedNamingTheKey) {
    for (std::string bad :
         {"1.5", "1e3", "1E3", "1_000", "-1", "-0", "+5", "0x10", "2147483648", "4294967296",
          "99999999999999999999", ".0", "3600.5", "1.0h", "", "3w3000000000s"}) {
        std::string msg = error_of(kHead + "ttl: '" + bad + "'\n");
        EXPECT_NE(msg.find("t.yaml:5: 'ttl': '" + bad + "' is not a TTL"), std::string::npos)
            << bad << ": " << msg;
        msg = error_of(kJsonHead + R"(, "records": [{"name": "www", "type": "TXT", "ttl": )" +
                       (bad.empty() ? "\"\"" : bad) + R"(, "data": "x"}]})");
        EXPECT_NE(msg.find("'records[0].ttl': '" + bad + "' is not a TTL"), std::string::npos)
            << bad << ": " << msg;
    }
    // A sum of units that overflows 64 bits is refused, not wrapped.
    std::string many;
    for (int i = 0; i < 8000; ++i) many += "2147483647w";
    EXPECT_NE(error_of(kHead + "ttl: " + many + "\n").find("is not a TTL"), std::string::npos);
}

TEST(SpecTtl, ProfileTtlsAreReadTheSameWay) {
    std::string text = default_profile_text();
    std::string good = text, bad = text;
    good.replace(good.find("default: 3600"), 13, "default: 3600.0");
    EXPECT_EQ(parse_profile(good, "p.yaml").ttl_default, 3600u);
    bad.replace(bad.find("default: 3600"), 13, "default: 1.5");
    EXPECT_NE(profile_error_of(bad).find("'ttl.default': '1.5' is not a TTL"), std::string::npos);
}

// ---- Unknown keys ---------------------------------------------------------------------------

TEST(SpecKeys, MisspeltKeyIsUnknownNotMissing) {
    std::string msg = error_of(
        "domain: example.com\ndns_patern: A\nregistrar: transfer\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n");
    EXPECT_NE(msg.find("t.yaml:2: 'dns_patern': unknown key `dns_patern` (did you mean "
                       "`dns_pattern`?)"),
              std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("required"), std::string::npos) << msg;
}

TEST(SpecKeys, NestedMisspeltKeysToo) {
    std::string msg = error_of(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\n"
        "server: {nmae: sv1.example.net, ipv4: [192.0.2.10]}\n");
    EXPECT_NE(msg.find("t.yaml:4: 'server.nmae': unknown key `nmae` (did you mean `name`?)"),
              std::string::npos)
        << msg;
    msg = error_of(kHead + "records:\n  - {name: www, type: A, tll: 60, data: 192.0.2.1}\n");
    EXPECT_NE(msg.find("'records[0].tll': unknown key `tll` (did you mean `ttl`?)"),
              std::string::npos)
        << msg;
    msg = error_of(kHead + "Domain: example.org\n");  // case only
    EXPECT_NE(msg.find("unknown key `Domain` (did you mean `domain`?)"), std::string::npos) << msg;
}

TEST(SpecKeys, FarOffKeyListsTheKnownOnes) {
    std::string msg = error_of(kHead + "colour: red\n");
    EXPECT_NE(msg.find("'colour': unknown key `colour` (known here: domain, dns_pattern"),
              std::string::npos)
        << msg;
}

TEST(SpecKeys, ProfileMisspeltKeys) {
    std::string bad = default_profile_text();
    bad.replace(bad.find("refresh: 14400"), 7, "refrsh");
    std::string msg = profile_error_of(bad);
    EXPECT_NE(msg.find("'soa.refrsh': unknown key `refrsh` (did you mean `refresh`?)"),
              std::string::npos)
        << msg;
}

TEST(SpecKeys, ClosestKeyIsConservative) {
    EXPECT_EQ(yamlx_closest("dns_patern"), "dns_pattern");
    EXPECT_EQ(yamlx_closest("regsitrar"), "registrar");  // a transposition
    EXPECT_EQ(yamlx_closest("colour"), "");
    EXPECT_EQ(yamlx_closest("tl"), "ttl");
    EXPECT_EQ(yamlx_closest("xyz"), "");
}

// ---- TTL of records: beside generated rrsets ------------------------------------------------

TEST(GenerateTtl, ExplicitTtlWinsForTheWholeRrsetWithoutCascade) {
    Profile p = load_profile("");
    Spec s = parse_spec(
        kHead +
            "ttl: 600\nrecords:\n"
            "  - {name: '@', type: TXT, ttl: 3600, data: google-site-verification=abc}\n",
        "t.yaml");
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_desired(s, p, go);
    const RRset* txt = d.zone.find(s.domain, rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    EXPECT_EQ(txt->rrs.size(), 2u);  // the verification and the SPF
    for (const auto& rr : txt->rrs) EXPECT_EQ(rr.ttl, 3600u);
    EXPECT_EQ(d.zone.find(s.domain, rrtype::A)->ttl(), 600u);
    auto fs = all_findings(s, p);
    EXPECT_EQ(count_errors(fs), 0u);
    EXPECT_EQ(checks_of(fs), std::vector<std::string>{"ttl-explicit"});
    EXPECT_EQ(fs.at(0).severity, Severity::warning);
    EXPECT_EQ(fs.at(0).line, 7);
    EXPECT_EQ(fs.at(0).file, "t.yaml");
}

TEST(GenerateTtl, ExplicitTtlBesideATemplateRecord) {
    Profile p = load_profile("");
    Spec s = parse_spec(kHead + "records:\n  - {name: www, type: A, ttl: 60, data: 192.0.2.99}\n",
                        "t.yaml");
    auto fs = all_findings(s, p);
    // (192.0.2.99 is not the managed server's: www is partly served elsewhere, so no CAA.)
    EXPECT_EQ(checks_of(fs), (std::vector<std::string>{"ttl-explicit", "caa-withheld"}));
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_desired(s, p, go);
    const RRset* www = d.zone.find(Name::parse("www.example.com."), rrtype::A);
    ASSERT_EQ(www->rrs.size(), 2u);
    for (const auto& rr : www->rrs) EXPECT_EQ(rr.ttl, 60u);
}

TEST(GenerateTtl, TwoExplicitTtlsInOneRrsetAreRefused) {
    Profile p = load_profile("");
    Spec s = parse_spec(kHead +
                            "records:\n  - {name: www, type: TXT, ttl: 60, data: one}\n"
                            "  - {name: www, type: TXT, ttl: 120, data: two}\n",
                        "t.yaml");
    auto fs = all_findings(s, p);
    ASSERT_EQ(count_errors(fs), 1u);
    EXPECT_EQ(fs.at(0).check, "ttl-mixed-refused");
    EXPECT_EQ(fs.at(0).line, 7);
}

TEST(GenerateTtl, RecordWithoutTtlJoinsTheRrsetAtItsTtl) {
    Profile p = load_profile("");
    Spec s = parse_spec(kHead +
                            "records:\n  - {name: '@', type: TXT, ttl: 300, data: one}\n"
                            "  - {name: '@', type: TXT, data: two}\n",
                        "t.yaml");
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_desired(s, p, go);
    const RRset* txt = d.zone.find(s.domain, rrtype::TXT);
    ASSERT_EQ(txt->rrs.size(), 3u);  // one, two and the SPF
    for (const auto& rr : txt->rrs) EXPECT_EQ(rr.ttl, 300u);
    EXPECT_EQ(count_errors(all_findings(s, p)), 0u);
}

TEST(GenerateTtl, UserSpfWithItsOwnTtlIsMergedNotCascaded) {
    Profile p = load_profile("");
    Spec s = parse_spec(kHead +
                            "ttl: 600\nrecords:\n"
                            "  - {name: '@', type: TXT, ttl: 3600, data: '\"v=spf1 mx ~all\"'}\n",
                        "t.yaml");
    auto fs = all_findings(s, p);
    EXPECT_EQ(count_errors(fs), 0u);
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_desired(s, p, go);
    EXPECT_TRUE(d.spf_merged);
    const RRset* txt = d.zone.find(s.domain, rrtype::TXT);
    ASSERT_EQ(txt->rrs.size(), 1u);
    EXPECT_EQ(txt->ttl(), 3600u);
    EXPECT_EQ(txt->rrs[0].line, 7);  // the merged record keeps the spec's line
}

// ---- server: addresses ----------------------------------------------------------------------

TEST(SpecServer, SpecialAddressesAreClassified) {
    EXPECT_STREQ(special_address("127.0.0.1"), "loopback");
    EXPECT_STREQ(special_address("127.8.9.10"), "loopback");
    EXPECT_STREQ(special_address("::1"), "loopback");
    EXPECT_STREQ(special_address("0.0.0.0"), "unspecified");
    EXPECT_STREQ(special_address("::"), "unspecified");
    EXPECT_STREQ(special_address("224.0.0.1"), "multicast");
    EXPECT_STREQ(special_address("239.255.255.250"), "multicast");
    EXPECT_STREQ(special_address("ff02::1"), "multicast");
    EXPECT_STREQ(special_address("169.254.1.1"), "link-local");
    EXPECT_STREQ(special_address("fe80::1"), "link-local");
    EXPECT_STREQ(special_address("::ffff:127.0.0.1"), "loopback");
    EXPECT_EQ(special_address("192.0.2.10"), nullptr);
    EXPECT_EQ(special_address("2001:db8::10"), nullptr);
    EXPECT_EQ(special_address("223.255.255.255"), nullptr);
    EXPECT_EQ(special_address("not an address"), nullptr);
}

TEST(SpecServer, LoopbackUnspecifiedOrMulticastServerWarns) {
    Profile p = load_profile("");
    for (std::string addrs : {"ipv4: [127.0.0.1]", "ipv4: [0.0.0.0]", "ipv6: ['::1']",
                              "ipv4: [224.0.0.251]", "ipv6: ['ff02::fb']"}) {
        Spec s = parse_spec(
            "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver:\n"
            "  name: sv1.example.net\n  " +
                addrs + "\n",
            "t.yaml");
        auto fs = all_findings(s, p);
        EXPECT_EQ(count_errors(fs), 0u) << addrs;
        // An IPv6-only server's mail host has no A either (mx-target-ipv6-only).
        std::vector<std::string> want{"server-address-special"};
        if (addrs.rfind("ipv6", 0) == 0) want.push_back("mx-target-ipv6-only");
        ASSERT_EQ(checks_of(fs), want) << addrs;
        EXPECT_EQ(fs[0].severity, Severity::warning);
        EXPECT_EQ(fs[0].line, 6) << addrs;
    }
    EXPECT_TRUE(parse_spec(kHead, "t.yaml").warnings.empty());
}

TEST(SpecServer, LoopbackNameServersInAProfileStayQuiet) {
    std::string text = default_profile_text();
    for (auto [from, to] : {std::pair<std::string, std::string>{"192.0.2.53", "127.0.0.1"},
                            {"198.51.100.53", "127.0.0.2"},
                            {"\"2001:db8::53\"", "\"::1\""}}) {
        text.replace(text.find(from), from.size(), to);
    }
    Profile p = parse_profile(text, "loopback.yaml");
    Spec s = parse_spec(kHead, "t.yaml");
    EXPECT_TRUE(all_findings(s, p).empty());
}

// ---- The provider's time zone ---------------------------------------------------------------

TEST(TimeZone, SerialDateIsTheProfilesDay) {
    load_profile("");                                      // Asia/Tokyo by default
    EXPECT_EQ(date_serial(kUtcEveningDec1), 2026120201u);  // in the zone in use
    EXPECT_EQ(date_serial(kUtcEveningDec1, "Asia/Tokyo"), 2026120201u);
    EXPECT_EQ(date_serial(kUtcEveningDec1, "UTC"), 2026120101u);
    EXPECT_EQ(date_serial(kUtcEveningDec1 - 5 * 3600 - 1, "Asia/Tokyo"), 2026120101u);

    Profile p = load_profile("");
    EXPECT_EQ(p.time_zone, "Asia/Tokyo");
    Spec s = parse_spec(kHead, "t.yaml");
    GenerateOptions go;
    go.now = kUtcEveningDec1;
    EXPECT_EQ(build_desired(s, p, go).serial, 2026120201u);

    std::string utc = profile_in("UTC");
    EXPECT_EQ(build_desired(s, parse_profile(utc, "p.yaml"), go).serial, 2026120101u);
}

TEST(TimeZone, ZonesWithSummerTimeFollowTheDatabase) {
    if (!time_zone_known("America/New_York")) GTEST_SKIP() << "no tzdata";
    // 2026-07-01T03:00Z is June 30 in New York (EDT, UTC-4), July 1 in Tokyo.
    EXPECT_EQ(date_serial(1782874800, "America/New_York"), 2026063001u);
    EXPECT_EQ(date_serial(1782874800, "Asia/Tokyo"), 2026070101u);
}

TEST(TimeZone, TodayHonoursSourceDateEpochInTheZone) {
    const char* old = std::getenv("SOURCE_DATE_EPOCH");
    std::string saved = old ? old : "";
    ::setenv("SOURCE_DATE_EPOCH", std::to_string(kUtcEveningDec1).c_str(), 1);
    load_profile("");
    EXPECT_EQ(Date::today().to_string(), "2026-12-02");
    EXPECT_EQ(Date::today("UTC").to_string(), "2026-12-01");
    EXPECT_EQ(date_serial(generation_time()), 2026120201u);
    // `instructions` and apply take the day of the zone of the profile they loaded.
    parse_profile(profile_in("UTC"), "p.yaml");
    EXPECT_EQ(time_zone_in_use(), "UTC");
    EXPECT_EQ(Date::today().to_string(), "2026-12-01");
    EXPECT_EQ(date_serial(generation_time()), 2026120101u);
    load_profile("");
    EXPECT_EQ(Date::today().to_string(), "2026-12-02");
    if (old)
        ::setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
    else
        ::unsetenv("SOURCE_DATE_EPOCH");
}

TEST(TimeZone, ProfileRefusesUnknownZones) {
    for (std::string bad :
         {"Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "JST-9", "Asia/Tokyo/", ""}) {
        std::string msg = profile_error_of(profile_in("'" + bad + "'"));
        EXPECT_NE(msg.find("'time_zone': '" + bad + "' is not a time zone"), std::string::npos)
            << bad << ": " << msg;
    }
}

TEST(TimeZone, TokyoAndUtcWorkWithoutTheDatabase) {
    const char* old = std::getenv("TZDIR");
    std::string saved = old ? old : "";
    ::setenv("TZDIR", "/nonexistent-tz-database", 1);
    EXPECT_TRUE(time_zone_known("Asia/Tokyo"));
    EXPECT_TRUE(time_zone_known("UTC"));
    EXPECT_FALSE(time_zone_known("Europe/Paris"));
    if (old)
        ::setenv("TZDIR", saved.c_str(), 1);
    else
        ::unsetenv("TZDIR");
}

// ---- User trial (issue 13, second round) ----------------------------------------------------

TEST(SpecTrial, YamlAliasesAndAnchorsAreRefusedBeforeAnyWalk) {
    // Eight levels of nine aliases: 9^8 leaves for a walk; refused at once, naming the line.
    std::string laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char c = 'b'; c <= 'h'; ++c) {
        std::string prev = std::string(1, static_cast<char>(c - 1));
        laughs += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) laughs += (i ? ", *" : "*") + prev;
        laughs += "]\n";
    }
    EXPECT_EQ(error_of(laughs),
              "t.yaml:1: YAML aliases are not accepted in a spec (nor anchors, & and *): write "
              "each value out");
    EXPECT_EQ(error_of("x: &v 1\n" + kHead), error_of(laughs));  // an anchor alone
    EXPECT_EQ(error_of(kHead + "ttl: &t 60\nimport_from: *t\n").substr(0, 30),
              "t.yaml:5: YAML aliases are not");
    // A profile is trusted: anchors stay allowed there.
    std::string profile = default_profile_text();
    profile.replace(profile.find("time_zone: Asia/Tokyo"), 21, "time_zone: &tz Asia/Tokyo");
    EXPECT_EQ(parse_profile(profile, "p.yaml").time_zone, "Asia/Tokyo");
}

TEST(SpecTrial, TextAfterTheSpecDocumentIsRefused) {
    EXPECT_EQ(error_of(kJsonHead + R"(} {"domain": "evil.com"})", "t.json"),
              "t.json:1: text after the end of the spec document at line 1");
    EXPECT_EQ(error_of(kJsonHead + "}\n\n[1]\n", "t.json"),
              "t.json:3: text after the end of the spec document at line 3");
    EXPECT_EQ(error_of(kJsonHead + "}\n# a comment\n", "t.json"), "(accepted)");
    EXPECT_EQ(error_of(kHead + "...\n"), "(accepted)");
}

TEST(SpecTrial, NullIsAbsentForOptionalKeys) {
    Spec s = parse_spec(kJsonHead + R"(, "services": null, "customer_primary": null,)"
                                    R"( "customer_nameservers": null, "tsig": null, "ttl": null,)"
                                    R"( "import_from": null, "records": null})",
                        "t.json");
    EXPECT_TRUE(s.web && s.mail);
    EXPECT_FALSE(s.ttl);
    EXPECT_FALSE(s.tsig);
    EXPECT_TRUE(s.import_from.empty());
    EXPECT_TRUE(s.records.empty());
    s = parse_spec(kJsonHead + R"(, "records": [{"name": "www", "type": "A", "ttl": null,)"
                               R"( "data": "192.0.2.1"}]})",
                   "t.json");
    ASSERT_EQ(s.records.size(), 1u);
    EXPECT_FALSE(s.records[0].ttl);
    EXPECT_EQ(error_of(R"({"domain": null})", "t.json"),
              "t.json:1: 'domain': required key `domain` is null");
    EXPECT_EQ(error_of(kHead + "records:\n  - {name: www, type: A, data: ~}\n"),
              "t.yaml:6: 'records[0].data': required key `data` is null");
}

TEST(SpecTrial, ControlCharactersInAnyStringAreRefusedEscaped) {
    const std::string json = R"({"domain": "example.com\u0000evil"})";
    EXPECT_EQ(error_of(json, "t.json"),
              "t.json:1: 'domain': control character (octet 12) in the value, which no name or "
              "record data may hold: 'example.com\\x00evil'");
    EXPECT_EQ(error_of("domain: \"example.com\\0\"\n"),
              "t.yaml:1: 'domain': control character (octet 12) in the value, which no name or "
              "record data may hold: 'example.com\\x00'");
    EXPECT_NE(error_of(kHead + "records:\n  - {name: www, type: TXT, data: \"a\\x1bb\"}\n")
                  .find("t.yaml:6: 'records[0].data': control character (octet 2)"),
              std::string::npos);
    EXPECT_NE(error_of(kHead + "\"tt\\nl\": 60\n").find("t.yaml:5: 'tt\\x0Al': control character"),
              std::string::npos);
    expect_printable(error_of(json, "t.json"));
    // A tab is not refused here (the value's own parser decides).
    EXPECT_EQ(error_of(kHead + "records:\n  - {name: www, type: TXT, data: \"a\\tb\"}\n"),
              "(accepted)");
}

TEST(SpecTrial, Utf16And32FilesAreNamed) {
    const std::string le(
        "\xFF\xFE"
        "d\0o\0",
        6),
        be("\xFE\xFF\0d\0o", 6);
    EXPECT_EQ(error_of(le), "t.yaml: the file is UTF-16; save it as UTF-8");
    EXPECT_EQ(error_of(be), "t.yaml: the file is UTF-16; save it as UTF-8");
    EXPECT_EQ(error_of(std::string("\xFF\xFE\0\0d\0\0\0", 8)),
              "t.yaml: the file is UTF-32; save it as UTF-8");
    EXPECT_EQ(error_of(std::string("\0\0\xFE\xFF\0\0\0d", 8)),
              "t.yaml: the file is UTF-32; save it as UTF-8");
    EXPECT_EQ(profile_error_of(le), "p.yaml: the file is UTF-16; save it as UTF-8");
}

TEST(SpecTrial, BroadcastReservedAndDiscardAddressesAreSpecial) {
    EXPECT_STREQ(special_address("255.255.255.255"), "the broadcast address");
    EXPECT_STREQ(special_address("240.0.0.1"), "reserved (240.0.0.0/4)");
    EXPECT_STREQ(special_address("254.1.2.3"), "reserved (240.0.0.0/4)");
    EXPECT_STREQ(special_address("::ffff:255.255.255.255"), "the broadcast address");
    EXPECT_STREQ(special_address("100::1"), "discard-only (100::/64)");
    EXPECT_EQ(special_address("100:0:0:1::1"), nullptr);
    EXPECT_EQ(special_address("239.255.255.255"), std::string("multicast"));
    Spec s = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver:\n"
        "  name: sv1.example.net\n  ipv4: [192.0.2.10, 255.255.255.255]\n",
        "t.yaml");
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_EQ(s.warnings[0].check, "server-address-special");
    EXPECT_EQ(s.warnings[0].line, 6);
    EXPECT_NE(s.warnings[0].message.find("'server.ipv4[1]': 255.255.255.255 is the broadcast"),
              std::string::npos);
}

TEST(SpecTrial, RepeatedRecordsEntryWarnsAtItsLine) {
    Spec s = parse_spec(kHead +
                            "records:\n"
                            "  - {name: www, type: TXT, data: \"x\"}\n"
                            "  - {name: www, type: TXT, data: \"y\"}\n"
                            "  - {name: WWW, type: TXT, data: \"x\"}\n",
                        "t.yaml");
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_EQ(s.warnings[0].check, "duplicate-record");
    EXPECT_EQ(s.warnings[0].severity, Severity::warning);
    EXPECT_EQ(s.warnings[0].line, 8);
    EXPECT_EQ(s.warnings[0].owner, "www.example.com.");
    EXPECT_NE(s.warnings[0].message.find("repeats the one at line 6"), std::string::npos);
    auto fs = all_findings(s, load_profile(""));
    EXPECT_EQ(count_errors(fs), 0u);
    auto ids = checks_of(fs);
    EXPECT_EQ(std::count(ids.begin(), ids.end(), "duplicate-record"), 1) << fs.size();
}
