// DNSSEC settings (zonegen/dnssec.hpp): the spec's dnssec:, the profile's dnssec: block, and
// the DS ldns computes for a DNSKEY (backends/dnssec_ds.hpp).
#include <gtest/gtest.h>

#include "backends/dnssec_ds.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"

using namespace zonegen;

namespace {

Spec spec_with(const std::string& pattern, const std::string& extra) {
    std::string text = "domain: example.com\ndns_pattern: " + pattern +
                       "\nregistrar: customer\nserver: {name: sv1.example.net, ipv4: "
                       "[192.0.2.10]}\n" +
                       (pattern == "B" ? "customer_primary: [198.51.100.53]\n" : "") +
                       (pattern != "A" ? "customer_nameservers: [{name: ns1.example.com, "
                                         "ipv4: [198.51.100.53]}]\n"
                                       : "") +
                       extra;
    return parse_spec(text, "t.yaml");
}

Profile profile_with(const std::string& extra) {
    return parse_profile(default_profile_text() + extra, "p.yaml");
}

std::string profile_error(const std::string& extra) {
    try {
        profile_with(extra);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(DnssecIntent, TheSpecDecidesElseTheProfile) {
    Profile off = load_profile("");
    Profile on = profile_with("dnssec: {default: true}\n");
    EXPECT_FALSE(dnssec_intent(spec_with("A", ""), off)->sign);
    EXPECT_TRUE(dnssec_intent(spec_with("A", ""), on)->sign);
    EXPECT_FALSE(dnssec_intent(spec_with("A", "dnssec: false\n"), on)->sign);
    EXPECT_TRUE(dnssec_intent(spec_with("A", "dnssec: true\n"), off)->sign);
    auto d = dnssec_intent(spec_with("A", "dnssec: true\n"), off);
    EXPECT_EQ(d->algorithm, "ECDSAP256SHA256");
    EXPECT_EQ(d->nsec3param(), "1 0 0 -");
}

TEST(DnssecIntent, NoneOutsidePatternA) {
    EXPECT_FALSE(dnssec_intent(spec_with("B", ""), load_profile("")));
    EXPECT_FALSE(dnssec_intent(spec_with("C", "dnssec: false\n"), load_profile("")));
}

TEST(DnssecSpec, TrueOutsidePatternAIsRefusedNamingTheKey) {
    try {
        spec_with("B", "dnssec: true\n");
        FAIL() << "accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("'dnssec'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("pattern A"), std::string::npos) << e.what();
    }
}

TEST(DnssecProfile, AlgorithmAndDenial) {
    Profile p = profile_with("dnssec: {algorithm: ed25519, denial: nsec}\n");
    EXPECT_EQ(p.dnssec.algorithm, "ED25519");
    EXPECT_FALSE(p.dnssec.nsec3);
    EXPECT_NE(profile_error("dnssec: {algorithm: RSASHA1}\n").find("'dnssec.algorithm'"),
              std::string::npos);
    EXPECT_NE(profile_error("dnssec: {denial: nsec5}\n").find("'dnssec.denial'"),
              std::string::npos);
    EXPECT_NE(profile_error("dnssec: {sign: true}\n").find("'dnssec.sign'"), std::string::npos);
}

TEST(DsOfDnskey, Sha256AsPowerDnsComputesIt) {
    // A CSK PowerDNS 4.7 made for sig-test.com., and the SHA-256 DS its cryptokeys API gave.
    const std::string key =
        "257 3 13 dBLTzV17J6oPD93BvMkZnBs1pvY4YkTy/roWcALDLY58/z2JGi8jRBz3/XHbFrRlsZoVH0BaGg4T1W+qY"
        "eYPQg==";
    const Name zone = Name::parse("sig-test.com.");
    DsRecord ds = ds_of_dnskey(zone, key);
    EXPECT_EQ(ds.to_string(),
              "53490 13 2 D436D8FD1C5C055CE9C1F587424300D6AE614A3D2B42462714076CC34F770C88");
    EXPECT_EQ(dnskey_key_tag(zone, key), 53490);
    EXPECT_THROW(ds_of_dnskey(zone, "257 3 13 !!!"), InputError);
}

namespace {

const char* kRsaKey =
    "257 3 8 AwEAAdug/L739i0mgN2nuK/bhxu3wFn5Ud9nK2+XUmZQlPUEZUC5YZvm1rfMmEWTGBn87fFxEu/"
    "kjFZHJ55JLzqsbbpVHLbmKCTT2gYR2FV2WDKROGKuYbVkJIXdKAjJ0ONuK507NinYvlWXIoxHn22KAWOd9wKgSTNHBlmG"
    "kX+ts3hh";
const char* kEcdsaKey =
    "257 3 13 kIjc/hecvnb4MIFMXVTRb53fzw/K3iyjkS2AFcrAq717t6cQFAfzDtBPqwl3MuHxUF+Nn2CyEJcgzPg/"
    "RP4ntQ==";

std::string move_error(const std::string& extra) {
    try {
        spec_with("A", extra);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(DnssecMultiSigner, OurKeyTakesTheOldProvidersAlgorithm) {
    Spec s = spec_with("A", std::string("dnssec: true\nold_zone_signed: true\ndnssec_move: "
                                        "multi-signer\nold_dnskeys: [\"") +
                                kRsaKey + "\"]\n");
    EXPECT_TRUE(s.multi_signer);
    ASSERT_EQ(s.old_dnskeys.size(), 1u);
    EXPECT_EQ(dnssec_intent(s, load_profile(""))->algorithm, "RSASHA256");
    Spec e = spec_with("A", std::string("dnssec: true\nold_zone_signed: true\ndnssec_move: "
                                        "multi-signer\nold_dnskeys: [\"") +
                                kEcdsaKey + "\"]\n");
    EXPECT_EQ(dnssec_intent(e, profile_with("dnssec: {algorithm: ED25519}\n"))->algorithm,
              "ECDSAP256SHA256");
}

TEST(DnssecMultiSigner, RefusedWithoutWhatItNeedsNamingTheKey) {
    const std::string key = std::string("old_dnskeys: [\"") + kEcdsaKey + "\"]\n";
    EXPECT_NE(move_error("dnssec_move: multi-signer\n" + key).find("'dnssec_move'"),
              std::string::npos);
    EXPECT_NE(move_error("dnssec: true\nold_zone_signed: true\n" + key).find("'old_dnskeys'"),
              std::string::npos);
    EXPECT_NE(move_error("dnssec: true\nold_zone_signed: true\ndnssec_move: multi-signer\n")
                  .find("needs the old provider's DNSKEYs"),
              std::string::npos);
    EXPECT_NE(move_error("dnssec: true\nold_zone_signed: true\ndnssec_move: multi-signer\n"
                         "old_dnskeys: [\"257 3 5 AwEAAa==\"]\n")
                  .find("'old_dnskeys[0]'"),
              std::string::npos);
    EXPECT_NE(move_error(std::string("dnssec: true\nold_zone_signed: true\ndnssec_move: "
                                     "multi-signer\nold_dnskeys: [\"") +
                         kEcdsaKey + "\", \"" + kRsaKey + "\"]\n")
                  .find("two algorithms"),
              std::string::npos);
    EXPECT_NE(move_error("dnssec_move: sideways\n").find("'dnssec_move'"), std::string::npos);
}
