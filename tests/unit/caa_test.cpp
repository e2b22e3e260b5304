// CAA (RFC 8659, RFC 8657) and MTA-STS (RFC 8461): one fixture per check.
#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "validators/caa.hpp"
#include "validators/checks.hpp"
#include "validators/mta_sts.hpp"
#include "zonegen/generate.hpp"

using namespace zonegen;

namespace {

const std::vector<std::string> kLe = {"letsencrypt.org"};

// A zone with the managed server (192.0.2.10) at the apex, www, mail and *.dev, plus `extra`.
Zone zone_with(const std::string& extra) {
    ReadOptions ro;
    ro.origin = Name::parse("example.com.");
    auto r = read_zone_text(
        "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 "
        "3600\n@ 86400 IN NS ns1.example.net.\n@ 86400 IN NS ns2.example.net.\n"
        "@ 3600 IN A 192.0.2.10\nwww 3600 IN A 192.0.2.10\n"
        "mail 3600 IN A 192.0.2.10\n@ 3600 IN MX 10 mail\n"
        "shop.sub 3600 IN A 192.0.2.10\nother 3600 IN A 203.0.113.9\n" +
            extra,
        "t.zone", ro);
    EXPECT_EQ(count_errors(r.findings), 0u);
    return std::move(r.zone);
}

Spec spec_of(const std::string& extra = "") {
    return parse_spec(
        "domain: example.com\ndns_pattern: A\nregistrar: transfer\n"
        "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n" +
            extra,
        "t.yaml");
}

std::vector<Finding> caa(const Zone& z, const std::vector<std::string>& cas = kLe) {
    return check_caa(z, certificate_names(z, spec_of()), cas);
}

std::vector<Finding> only(const std::vector<Finding>& fs, const std::string& id) {
    std::vector<Finding> out;
    for (const auto& f : fs)
        if (f.check == id) out.push_back(f);
    return out;
}

bool has(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

TEST(Caa, NamesTheServerNeedsCertificatesFor) {
    Zone z = zone_with("*.dev 3600 IN A 192.0.2.10\nblog 3600 IN CNAME sv1.example.net.\n");
    auto names = certificate_names(z, spec_of());
    auto in = [&](const std::string& n, bool wild) {
        return std::find(names.begin(), names.end(), CertName{Name::parse(n), wild}) != names.end();
    };
    EXPECT_TRUE(in("example.com.", false));
    EXPECT_TRUE(in("www.example.com.", false));
    EXPECT_TRUE(in("mail.example.com.", false));
    EXPECT_TRUE(in("shop.sub.example.com.", false));
    EXPECT_TRUE(in("dev.example.com.", true));  // *.dev: a wildcard certificate
    EXPECT_TRUE(in("blog.example.com.", false));
    EXPECT_FALSE(in("other.example.com.", false));  // not the server's address
}

TEST(Caa, NoCaaPermitsEveryCa) {
    EXPECT_TRUE(caa(zone_with("")).empty());
}

TEST(Caa, AnotherCaAtTheApexForbidsOursForEveryNameBelow) {
    auto fs = caa(zone_with("@ 3600 IN CAA 0 issue \"digicert.com\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-forbids-ca");
    EXPECT_EQ(fs[0].severity, Severity::error);
    EXPECT_EQ(fs[0].owner, "example.com.");
    EXPECT_TRUE(has(fs[0].message, "www.example.com."));
    EXPECT_TRUE(has(fs[0].message, "mail.example.com."));
    EXPECT_TRUE(has(fs[0].message, "shop.sub.example.com."));
    EXPECT_TRUE(has(fs[0].message, "they permit only digicert.com"));
    EXPECT_TRUE(has(fs[0].message, "`example.com. CAA 0 issue \"letsencrypt.org\"`"));
}

TEST(Caa, TheClimbStopsAtTheFirstNameWithCaa) {
    // sub permits us: shop.sub climbs to sub and never reaches the apex's digicert.
    Zone z = zone_with(
        "@ 3600 IN CAA 0 issue \"digicert.com\"\n"
        "sub 3600 IN CAA 0 issue \"letsencrypt.org\"\n");
    EXPECT_EQ(relevant_caa(z, Name::parse("shop.sub.example.com."))->owner,
              Name::parse("sub.example.com."));
    EXPECT_EQ(relevant_caa(z, Name::parse("www.example.com."))->owner, Name::parse("example.com."));
    auto fs = caa(z);
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_FALSE(has(fs[0].message, "shop.sub"));
    // And the other way round: the apex permits us, a name below forbids.
    fs =
        caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"
                      "www 3600 IN CAA 0 issue \"sectigo.com\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].owner, "www.example.com.");
    EXPECT_TRUE(has(fs[0].message, "`www.example.com. CAA 0 issue \"letsencrypt.org\"`"));
}

TEST(Caa, ACnameInsideTheZoneIsFollowed) {
    Zone z = zone_with(
        "@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"
        "alias 3600 IN CNAME policy\npolicy 3600 IN CAA 0 issue \"digicert.com\"\n"
        "x.alias 3600 IN A 192.0.2.10\n");
    EXPECT_EQ(relevant_caa(z, Name::parse("x.alias.example.com."))->owner,
              Name::parse("policy.example.com."));
}

TEST(Caa, BelowADelegationTheChildZoneDecides) {
    Zone z = zone_with(
        "@ 3600 IN CAA 0 issue \"digicert.com\"\n"
        "child 3600 IN NS ns.child\nns.child 3600 IN A 198.51.100.1\n");
    EXPECT_EQ(relevant_caa(z, Name::parse("www.child.example.com.")), nullptr);
}

TEST(Caa, IssuewildGovernsWildcardsAndOnlyThem) {
    // issue permits us, issuewild does not: the wildcard certificate is refused, the plain
    // names are not (RFC 8659 section 4.3).
    auto fs =
        caa(zone_with("*.dev 3600 IN A 192.0.2.10\n"
                      "@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"
                      "@ 3600 IN CAA 0 issuewild \"digicert.com\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_TRUE(has(fs[0].message, "*.dev.example.com."));
    EXPECT_FALSE(has(fs[0].message, "www.example.com."));
    EXPECT_TRUE(has(fs[0].message, "`example.com. CAA 0 issuewild \"letsencrypt.org\"`"));
    EXPECT_FALSE(has(fs[0].message, "0 issue \"letsencrypt.org\""));
    // issuewild permits us, issue does not: the wildcard is fine, the names are refused.
    fs =
        caa(zone_with("*.dev 3600 IN A 192.0.2.10\n"
                      "@ 3600 IN CAA 0 issue \"digicert.com\"\n"
                      "@ 3600 IN CAA 0 issuewild \"letsencrypt.org\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_FALSE(has(fs[0].message, "*.dev"));
    EXPECT_TRUE(has(fs[0].message, "0 issue \"letsencrypt.org\""));
    // No issuewild: issue governs wildcards too.
    fs = caa(zone_with("*.dev 3600 IN A 192.0.2.10\n@ 3600 IN CAA 0 issue \"digicert.com\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_TRUE(has(fs[0].message, "*.dev.example.com."));
    EXPECT_FALSE(has(fs[0].message, "issuewild"));
    // An issuewild alone leaves plain names free.
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 0 issuewild \"digicert.com\"\n")).empty());
}

TEST(Caa, SemicolonForbidsEveryCa) {
    auto fs = caa(zone_with("@ 3600 IN CAA 0 issue \";\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-forbids-ca");
    EXPECT_TRUE(has(fs[0].message, "`issue \";\"` forbids every CA"));
    // Beside a property that permits us, ";" takes nothing away.
    EXPECT_TRUE(
        caa(zone_with("@ 3600 IN CAA 0 issue \";\"\n@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"))
            .empty());
}

TEST(Caa, ParametersAreParsedAndAccountUriIsAConstraint) {
    CaaIssue iv = parse_caa_issue(
        " letsencrypt.org ; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234; "
        "validationmethods=dns-01 ");
    ASSERT_TRUE(iv.valid);
    EXPECT_EQ(iv.issuer, "letsencrypt.org");
    ASSERT_EQ(iv.parameters.size(), 2u);
    EXPECT_EQ(iv.parameters[0].first, "accounturi");
    EXPECT_EQ(iv.parameters[0].second, "https://acme-v02.api.letsencrypt.org/acme/acct/1234");
    EXPECT_EQ(iv.parameters[1].second, "dns-01");
    EXPECT_TRUE(parse_caa_issue(";").valid);
    EXPECT_EQ(parse_caa_issue(";").issuer, "");
    EXPECT_TRUE(parse_caa_issue("letsencrypt.org;").valid);
    EXPECT_FALSE(parse_caa_issue("letsencrypt.org; accounturi").valid);  // no '='
    EXPECT_FALSE(parse_caa_issue("lets encrypt.org").valid);
    EXPECT_FALSE(parse_caa_issue("-bad.example").valid);

    // A property bound to an ACME account permits that account only: not the managed
    // server's (RFC 8657 section 3), so the set refuses the CA, naming the property.
    auto fs =
        caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org; "
                      "accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-forbids-ca");
    EXPECT_EQ(fs[0].severity, Severity::error);
    EXPECT_TRUE(
        has(fs[0].message, "accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1234"));
    EXPECT_TRUE(has(fs[0].message, "ACME account"));
    // A validation-method constraint still permits the CA, with a warning naming it.
    fs = caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org; validationmethods=http-01\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-constrained");
    EXPECT_EQ(fs[0].severity, Severity::warning);
    EXPECT_TRUE(has(fs[0].message, "validationmethods=http-01"));
    // Beside an unconstrained permission, there is nothing to say.
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org; accounturi=x:1\"\n"
                              "@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"))
                    .empty());
    // A malformed property naming our CA permits no one, and the message says why.
    fs = caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org; oops\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-forbids-ca");
    EXPECT_TRUE(has(fs[0].message, "does not follow RFC 8659's grammar"));
}

TEST(Caa, UnknownCriticalPropertyForbidsIssuance) {
    auto fs =
        caa(zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n"
                      "@ 3600 IN CAA 128 tbs \"unknown\"\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-forbids-ca");
    EXPECT_TRUE(has(fs[0].message, "critical"));
    EXPECT_TRUE(has(fs[0].message, "128 tbs"));
    // Not critical: ignored. A known tag with the flag: fine.
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 0 tbs \"unknown\"\n")).empty());
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 128 issue \"letsencrypt.org\"\n")).empty());
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 128 iodef \"mailto:x@example.com\"\n")).empty());
}

TEST(Caa, EveryCaOfTheProfileMustBePermittedAndNoneMeansNoCheck) {
    Zone z = zone_with("@ 3600 IN CAA 0 issue \"letsencrypt.org\"\n");
    auto fs = caa(z, {"letsencrypt.org", "sectigo.com"});
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_TRUE(has(fs[0].message, "do not permit sectigo.com"));
    EXPECT_TRUE(caa(zone_with("@ 3600 IN CAA 0 issue \";\"\n"), {}).empty());
}

TEST(Caa, ValidateWithASpecRunsTheCheckOnTheZone) {
    Profile p = load_profile("");
    Spec s = spec_of(
        "services: [web, mail]\nrecords:\n"
        "  - {name: \"@\", type: CAA, data: '0 issue \"digicert.com\"'}\n");
    Desired d = build_desired(s, p, {std::uint32_t{1}, 0});
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &p;
    vo.file = s.source;
    auto fs = only(validate_zone(d.zone, vo), "caa-forbids-ca");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].line, 7);  // the records: entry
    EXPECT_EQ(fs[0].file, "t.yaml");
}

TEST(Caa, ACriticalUnknownTagIsReportedOnceWithASpec) {
    Profile p = load_profile("");
    Spec s = spec_of(
        "services: [web, mail]\nrecords:\n"
        "  - {name: \"@\", type: CAA, data: '0 issue \"letsencrypt.org\"'}\n"
        "  - {name: \"@\", type: CAA, data: '128 tbs \"x\"'}\n"
        "  - {name: other, type: CAA, data: '128 tbs \"x\"'}\n");
    Desired d = build_desired(s, p, {std::uint32_t{1}, 0});
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &p;
    auto all = validate_zone(d.zone, vo);
    // caa-forbids-ca says it for the apex, whose names the server needs; `other` is no name of
    // the server's, so only caa-critical-unknown speaks of it.
    auto forbids = only(all, "caa-forbids-ca"), unknown = only(all, "caa-critical-unknown");
    ASSERT_EQ(forbids.size(), 1u);
    EXPECT_EQ(forbids[0].owner, "example.com.");
    ASSERT_EQ(unknown.size(), 1u);
    EXPECT_EQ(unknown[0].owner, "other.example.com.");
}

TEST(MtaSts, APolicyKeptWhileMailMovesIsAWarningSayingWhatToUpdate) {
    Zone z = zone_with(
        "_mta-sts 3600 IN TXT \"v=STSv1; id=20240101T000000\"\n"
        "_smtp._tls 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n"
        "mta-sts 3600 IN A 192.0.2.10\n");
    auto fs = check_mta_sts(z, spec_of("services: [web, mail]\n"));
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "mta-sts-stale");
    EXPECT_EQ(fs[0].severity, Severity::warning);
    EXPECT_EQ(fs[0].owner, "_mta-sts.example.com.");
    const auto& m = fs[0].message;
    EXPECT_TRUE(has(m, "https://mta-sts.example.com/.well-known/mta-sts.txt"));
    EXPECT_TRUE(has(m, "mx: lines to mail.example.com"));
    EXPECT_TRUE(has(m, "id=20240101T000000"));
    EXPECT_TRUE(has(m, "change the id="));
    EXPECT_TRUE(has(m, "mode: none"));
    EXPECT_TRUE(has(m, "must be published there"));  // mta-sts points at the server now
    EXPECT_TRUE(has(m, "_smtp._tls) may stay"));
    // Mail that does not move: the policy still names the right hosts.
    EXPECT_TRUE(check_mta_sts(z, spec_of("services: [web]\nmail: none\n")).empty());
    // Not a policy record.
    EXPECT_TRUE(check_mta_sts(zone_with("_mta-sts 3600 IN TXT \"hello\"\n"),
                              spec_of("services: [web, mail]\n"))
                    .empty());
}
