#include <gtest/gtest.h>

#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/profile.hpp"
#include "zonegen/spec.hpp"
#include "zonegen/spf.hpp"

using namespace zonegen;

namespace {

const char* kBase = R"(dns_pattern: A
registrar: transfer
server: {name: sv1.example.net, ipv4: [192.0.2.10], ipv6: ["2001:db8::10"]}
)";

Spec spec_of(const std::string& extra, const std::string& domain = "example.com") {
    return parse_spec("domain: " + domain + "\n" + kBase + extra, "t.yaml");
}

std::string error_of(const std::string& text) {
    try {
        parse_spec(text, "t.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Spec, ParsesTheContractExample) {
    Spec s = parse_spec(R"(domain: Example.CO.JP.
dns_pattern: B
registrar: customer
server:
  name: sv1234.example.net
  ipv4: [192.0.2.10]
  ipv6: [2001:db8::10]
services: [web, mail]
customer_primary:
  - 198.51.100.53
  - "[2001:db8::53]:5300"
customer_nameservers:
  - ns1.customer.example
  - {name: ns2.example.co.jp, ipv4: [198.51.100.54]}
tsig: {name: xfr-example, algorithm: hmac-sha256, secret_file: /path/to/secret}
ttl: 1h
records:
  - {name: _dmarc, type: TXT, ttl: 3600, data: '"v=DMARC1; p=none"'}
)",
                        "t.yaml");
    EXPECT_EQ(s.domain.to_string(), "example.co.jp.");
    EXPECT_EQ(s.pattern, Pattern::B);
    EXPECT_EQ(s.registrar, Registrar::customer);
    ASSERT_EQ(s.customer_primary.size(), 2u);
    EXPECT_EQ(s.customer_primary[1].to_string(), "[2001:db8::53]:5300");
    ASSERT_EQ(s.customer_nameservers.size(), 2u);
    EXPECT_EQ(s.customer_nameservers[1].ipv4.at(0), "198.51.100.54");
    EXPECT_EQ(*s.ttl, 3600u);
    ASSERT_EQ(s.records.size(), 1u);
    EXPECT_EQ(s.records[0].owner.to_string(), "_dmarc.example.co.jp.");
    EXPECT_EQ(rdata_text(rrtype::TXT, s.records[0].rdata), "\"v=DMARC1; p=none\"");
    EXPECT_EQ(s.records[0].line, 18);
}

TEST(Spec, ConvertsIdnIncludingFullWidthForms) {
    EXPECT_EQ(spec_of("", "ｅｘａｍｐｌｅ．ｃｏ．ｊｐ").domain.to_string(), "example.co.jp.");
    EXPECT_EQ(spec_of("", "ドメイン例.com").domain.to_string(), "xn--eckwd4c7cu47r.com.");
    EXPECT_EQ(spec_of("", "MÜNCHEN-beispiel.de").domain.to_string(), "xn--mnchen-beispiel-zvb.de.");
}

TEST(Spec, RefusesWithTheKeyAndLine) {
    std::string b = std::string("domain: example.com\n") + kBase;
    EXPECT_NE(error_of(b + "colour: red\n").find("t.yaml:5: 'colour': unknown key"),
              std::string::npos);
    EXPECT_NE(error_of(kBase).find("'domain': required key is missing"), std::string::npos);
    EXPECT_NE(error_of(b + "services: [web, ftp]\n").find("'services[1]'"), std::string::npos);
    EXPECT_NE(error_of(b + "services: [web, web]\n").find("listed twice"), std::string::npos);
    EXPECT_NE(error_of(b + "customer_primary: [198.51.100.1]\n").find("only pattern B"),
              std::string::npos);
    EXPECT_NE(error_of(b + "records:\n  - {name: ns.example.org., type: A, data: 192.0.2.1}\n")
                  .find("outside the domain"),
              std::string::npos);
    EXPECT_NE(error_of(b + "records:\n  - {name: '@', type: NS, data: ns.example.org.}\n")
                  .find("apex NS"),
              std::string::npos);
    EXPECT_NE(error_of(b + "records:\n  - {name: x, type: SOA, data: a. b. 1 2 3 4 5}\n")
                  .find("SOA comes from the profile"),
              std::string::npos);
    EXPECT_NE(
        error_of(b + "records:\n  - {name: x, type: BOGUS, data: x}\n").find("unknown record type"),
        std::string::npos);
    EXPECT_NE(error_of(b + "records:\n  - {name: x, type: TXT, data: '\"a\" (\"b\")'}\n")
                  .find("unquoted '('"),
              std::string::npos);
    EXPECT_NE(error_of(b + "ttl: 4294967296\n").find("'ttl'"), std::string::npos);
    EXPECT_NE(error_of("domain: [x]\n").find("'domain': must be a single value"),
              std::string::npos);
    EXPECT_NE(error_of("{not yaml").find("not valid YAML"), std::string::npos);
    EXPECT_NE(error_of(std::string("a: 1\0b", 6)).find("NUL"), std::string::npos);
}

TEST(Spec, AcceptsServiceLabelsAndWildcardsInOwners) {
    Spec s = spec_of(
        "records:\n  - {name: '*.dev', type: A, data: 192.0.2.7}\n"
        "  - {name: _25._tcp.mail, type: TLSA, data: 3 1 1 ABCDEF}\n"
        "  - {name: abs.example.com., type: A, data: 192.0.2.8}\n");
    EXPECT_EQ(s.records[0].owner.to_string(), "*.dev.example.com.");
    EXPECT_EQ(s.records[1].owner.to_string(), "_25._tcp.mail.example.com.");
    EXPECT_EQ(s.records[2].owner.to_string(), "abs.example.com.");
}

TEST(Profile, DefaultProfileIsValidAndWithinZonemasterRanges) {
    Profile p = load_profile("");
    EXPECT_GE(p.nameservers.size(), 2u);
    EXPECT_TRUE(p.primary().primary);
    EXPECT_TRUE(p.pattern_b_secondary().pattern_b);
    EXPECT_GE(p.refresh, 14400u);
    EXPECT_GE(p.retry, 3600u);
    EXPECT_LT(p.retry, p.refresh);
    EXPECT_GE(p.expire, 604800u);
    EXPECT_GE(p.minimum, 300u);
    EXPECT_LE(p.minimum, 86400u);
    EXPECT_FALSE(p.web.empty());
    EXPECT_FALSE(p.mail.empty());
}

TEST(Profile, RefusesUnknownKeysAndBadTemplates) {
    std::string good = default_profile_text();
    EXPECT_THROW(parse_profile(good + "\nextra: 1\n", "p.yaml"), InputError);
    std::string bad = good;
    bad.replace(bad.find("\"10 mail\""), 9, "\"ten mail\"");
    try {
        parse_profile(bad, "p.yaml");
        FAIL() << "a bad template was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("templates.mail[0].data"), std::string::npos)
            << e.what();
    }
}

TEST(Profile, CertificateAuthoritiesAreIssuerDomainsLetsEncryptByDefault) {
    EXPECT_EQ(load_profile("").certificate_authorities,
              std::vector<std::string>{"letsencrypt.org"});
    std::string good = default_profile_text();
    auto with = [&](const std::string& list) {
        std::string t = good;
        auto at = t.find("certificate_authorities: [letsencrypt.org]");
        t.replace(at, std::string("certificate_authorities: [letsencrypt.org]").size(),
                  "certificate_authorities: " + list);
        return t;
    };
    EXPECT_EQ(
        parse_profile(with("[LetsEncrypt.org, sectigo.com]"), "p.yaml").certificate_authorities,
        (std::vector<std::string>{"letsencrypt.org", "sectigo.com"}));
    EXPECT_TRUE(parse_profile(with("[]"), "p.yaml").certificate_authorities.empty());
    for (const char* bad : {"[letsencrypt.org.]", "[\"lets encrypt\"]", "[localhost]",
                            "[a.example, a.example]", "letsencrypt.org"}) {
        try {
            parse_profile(with(bad), "p.yaml");
            FAIL() << bad << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("certificate_authorities"), std::string::npos)
                << e.what();
        }
    }
}

TEST(Profile, NullMxIsNoLongerAProfileDefault) {
    std::string good = default_profile_text();
    std::string t = good;
    t.replace(t.find("spf_all: \"~all\""), 15, "spf_all: \"~all\"\n  null_mx_without_mail: true");
    try {
        parse_profile(t, "p.yaml");
        FAIL() << "null_mx_without_mail: true was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("mail: none"), std::string::npos) << e.what();
    }
    t = good;
    t.replace(t.find("spf_all: \"~all\""), 15, "spf_all: \"~all\"\n  null_mx_without_mail: false");
    EXPECT_NO_THROW(parse_profile(t, "p.yaml"));
}

TEST(Generate, SpfIsMergedNeverDoubled) {
    Profile p = load_profile("");
    Spec s = spec_of(
        "records:\n  - {name: '@', type: TXT, data: '\"v=spf1 include:_spf.example.org -all\"'}\n"
        "  - {name: '@', type: TXT, data: '\"verification=123\"'}\n");
    Desired d = build_desired(s, p, {std::uint32_t{1}, 0});
    const RRset* txt = d.zone.find(s.domain, rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    int spf = 0;
    for (const auto& rr : txt->rrs)
        if (is_spf(rr.rdata)) {
            ++spf;
            EXPECT_EQ(join_txt(rr.rdata),
                      "v=spf1 ip4:192.0.2.10 ip6:2001:db8::10 include:_spf.example.org -all");
        }
    EXPECT_EQ(spf, 1);
    EXPECT_TRUE(d.spf_merged);
    EXPECT_EQ(txt->rrs.size(), 2u);
}

TEST(Generate, MergeSpfSkipsTermsAlreadyPresent) {
    EXPECT_EQ(merge_spf("v=spf1 ip4:192.0.2.10 mx ~all", "ip4:192.0.2.10 ip6:2001:db8::1"),
              "v=spf1 ip6:2001:db8::1 ip4:192.0.2.10 mx ~all");
}

TEST(Generate, ComposedSpfSplitsAt255Octets) {
    Profile p = load_profile("");
    std::string v4;
    for (int i = 1; i <= 30; ++i)
        v4 += std::string(i > 1 ? ", " : "") + "192.0.2." + std::to_string(i);
    Spec s = parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\nserver: {name: sv.example.net, "
        "ipv4: [" +
            v4 + "]}\n",
        "t.yaml");
    Desired d = build_desired(s, p, {std::uint32_t{1}, 0});
    const RRset* txt = d.zone.find(s.domain, rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    auto strings = txt_strings(txt->rrs.front().rdata);
    ASSERT_GT(strings.size(), 1u);
    for (const auto& str : strings) EXPECT_LE(str.size(), 255u);
}

TEST(Generate, WebOnlyPatternAMakesNoMailRecordsByDefault) {
    // Not even a null MX: the spec must say where mail goes (mail_choice_test.cpp).
    Profile p = load_profile("");
    Desired d = build_desired(spec_of("services: [web]\n"), p, {std::uint32_t{1}, 0});
    EXPECT_TRUE(d.findings.empty());
    EXPECT_EQ(d.zone.find(Name::parse("example.com."), rrtype::MX), nullptr);
    EXPECT_EQ(d.zone.find(Name::parse("example.com."), rrtype::TXT), nullptr);
}

TEST(Generate, CnameBesideTemplateDataIsRefused) {
    Profile p = load_profile("");
    Desired d = build_desired(
        spec_of("records:\n  - {name: www, type: CNAME, data: elsewhere.example.org.}\n"), p,
        {std::uint32_t{1}, 0});
    ASSERT_EQ(count_errors(d.findings), 1u);
    EXPECT_EQ(d.findings[0].check, "cname-and-other-data");
    EXPECT_EQ(d.findings[0].line, 6);  // the line of the record in the spec
}

TEST(Generate, SerialIsDateBased) {
    EXPECT_EQ(date_serial(1795833600), 2026112801u);  // 2026-11-28
}
