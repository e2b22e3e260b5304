// The syntax of the mail policy records (DMARC, MTA-STS, TLS-RPT), MX targets without an
// A, and CAA syntax: one fixture per check, each zone the clean one plus the records named.
#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "validators/caa.hpp"
#include "validators/checks.hpp"
#include "validators/mail.hpp"
#include "validators/mta_sts.hpp"
#include "validators/policy_text.hpp"
#include "validators/tls_rpt.hpp"

using namespace zonegen;

namespace {

class MailRecords : public ::testing::Test {
  protected:
    // The findings of check `id` on a clean zone plus `extra`.
    static std::vector<Finding> findings(const std::string& extra, const std::string& id) {
        ReadOptions ro;
        ro.origin = Name::parse("example.com.");
        auto r = read_zone_text(
            "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 3600\n"
            "@ 86400 IN NS ns1.example.net.\n@ 86400 IN NS ns2.example.net.\n"
            "@ 3600 IN A 192.0.2.10\n@ 3600 IN MX 10 mail\n" +
                extra,
            "t.zone", ro);
        EXPECT_EQ(count_errors(r.findings), 0u);
        std::vector<Finding> out;
        for (auto& f : validate_zone(r.zone, {}))
            if (f.check == id) out.push_back(f);
        return out;
    }
    static bool has(const std::string& s, const std::string& part) {
        return s.find(part) != std::string::npos;
    }
    static const std::string kMail;
};

const std::string MailRecords::kMail = "mail 3600 IN A 192.0.2.10\n";

using Dmarc = MailRecords;

TEST_F(Dmarc, ValidReportUrisAndTagsPass) {
    EXPECT_TRUE(dmarc_problems("v=DMARC1; p=reject; rua=mailto:a@example.com, "
                               "mailto:b.c+d@sub.example.net!50m,https://r.example.org/x; "
                               "ruf=mailto:f%2Bx@example.com; fo=1:d:s; rf=afrf; ri=3600; x=y")
                    .empty());
}

TEST_F(Dmarc, ReportUrisMustBeMailtoWithAnAddressOrHttps) {
    auto one = [](const std::string& rua) {
        auto p = dmarc_problems("v=DMARC1; p=none; rua=" + rua);
        return p.size() == 1 ? p[0] : "(" + std::to_string(p.size()) + " problems)";
    };
    EXPECT_TRUE(has(one("dmarc@example.com"), "not a mailto: or https: URI"));
    EXPECT_TRUE(has(one("mailto:dmarc"), "valid mail address"));
    EXPECT_TRUE(has(one("mailto:dmarc@example"), "valid mail address"));
    EXPECT_TRUE(has(one("mailto:.a@example.com"), "valid mail address"));
    EXPECT_TRUE(has(one("mailto:a@example.com!10x"), "size limit"));
    EXPECT_TRUE(has(one("mailto:a@example.com,"), "is empty"));
    EXPECT_TRUE(has(one("mailto:a@exa_mple.com"), "valid mail address"));
    EXPECT_TRUE(has(one("https://"), "host"));
    EXPECT_TRUE(has(one("mailto:a%4@example.com"), "%-escape"));
    // Every URI of the list is checked.
    EXPECT_EQ(dmarc_problems("v=DMARC1; p=none; rua=mailto:a@example.com,x,y").size(), 2u);
}

TEST_F(Dmarc, FoRfRiValuesAreChecked) {
    EXPECT_TRUE(has(dmarc_problems("v=DMARC1; p=none; fo=2").at(0), "fo=2"));
    EXPECT_TRUE(has(dmarc_problems("v=DMARC1; p=none; fo=0:x").at(0), "fo=0:x"));
    EXPECT_TRUE(has(dmarc_problems("v=DMARC1; p=none; rf=iodef").at(0), "afrf"));
    EXPECT_TRUE(has(dmarc_problems("v=DMARC1; p=none; ri=1d").at(0), "ri=1d"));
    EXPECT_TRUE(dmarc_problems("v=DMARC1; p=none; fo=1 : d").empty());
}

TEST_F(Dmarc, SyntaxFindingOnlyAtDmarcOwners) {
    EXPECT_EQ(
        findings(kMail + "_dmarc 3600 IN TXT \"v=DMARC1; p=none; fo=9\"\n", "dmarc-syntax").size(),
        1u);
    // A DMARC-looking text at another owner is nobody's policy: not checked.
    EXPECT_TRUE(
        findings(kMail + "dmarc 3600 IN TXT \"v=DMARC1; p=maybe\"\n", "dmarc-syntax").empty());
    EXPECT_TRUE(
        findings(kMail + "_dmarc.sub 3600 IN TXT \"v=DMARC1; p=none\"\n", "dmarc-syntax").empty());
}

TEST_F(Dmarc, TwoRecordsAtOneNameAreAnError) {
    auto fs = findings(kMail +
                           "_dmarc 3600 IN TXT \"v=DMARC1; p=none\"\n"
                           "_dmarc 3600 IN TXT \"v=DMARC1; p=reject\"\n"
                           "_dmarc 3600 IN TXT \"some other text\"\n",
                       "dmarc-multiple");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::error);
    EXPECT_TRUE(has(fs[0].message, "no DMARC policy"));
    // One DMARC record beside other TXT is fine.
    EXPECT_TRUE(findings(kMail + "_dmarc 3600 IN TXT \"v=DMARC1; p=none\"\n"
                                 "_dmarc 3600 IN TXT \"other\"\n",
                         "dmarc-multiple")
                    .empty());
}

using MtaStsRecord = MailRecords;

TEST_F(MtaStsRecord, RecordSyntax) {
    EXPECT_TRUE(mta_sts_problems("v=STSv1; id=20261201T000000;").empty());
    EXPECT_TRUE(mta_sts_problems("v=STSv1; id=abc; ext.x_y-1=value").empty());
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1; id=2026-12-01").at(0), "1-32 letters"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1; id=" + std::string(33, 'a')).at(0), "1-32"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1;").at(0), "no id="));
    EXPECT_TRUE(has(mta_sts_problems("id=1; v=STSv1").at(0), "must start with v=STSv1"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1 id=1").front(), "must start with v=STSv1"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1").front(), "followed by ';'"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1; id=1; id=2").at(0), "twice"));
    EXPECT_TRUE(has(mta_sts_problems("v=STSv1; id=1; -x=y").at(0), "not a valid field"));
}

TEST_F(MtaStsRecord, FindingsAtTheMtaStsName) {
    auto fs = findings(kMail + "_mta-sts 3600 IN TXT \"v=STSv1; id=a.b\"\n", "mta-sts-syntax");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::warning);
    auto two = findings(kMail +
                            "_mta-sts 3600 IN TXT \"v=STSv1; id=1\"\n"
                            "_mta-sts 3600 IN TXT \"v=STSv1; id=2\"\n",
                        "mta-sts-syntax");
    ASSERT_EQ(two.size(), 1u);
    EXPECT_TRUE(has(two[0].message, "no MTA-STS policy"));
    EXPECT_TRUE(
        findings(kMail + "_mta-sts 3600 IN TXT \"v=STSv1; id=1\"\n", "mta-sts-syntax").empty());
}

using TlsRpt = MailRecords;

TEST_F(TlsRpt, RecordSyntax) {
    EXPECT_TRUE(tls_rpt_problems("v=TLSRPTv1; rua=mailto:tls@example.com").empty());
    EXPECT_TRUE(
        tls_rpt_problems("v=TLSRPTv1;rua=mailto:a@example.com, https://r.example.com/v1;").empty());
    EXPECT_TRUE(has(tls_rpt_problems("v=TLSRPTv1").at(0), "no rua="));
    EXPECT_TRUE(has(tls_rpt_problems("v=TLSRPTv1; rua=ftp://x.example").at(0), "not a mailto:"));
    // No size limits in TLS-RPT: '!' must be escaped.
    EXPECT_TRUE(has(tls_rpt_problems("v=TLSRPTv1; rua=mailto:a@example.com!10m").at(0), "'!'"));
    EXPECT_TRUE(has(tls_rpt_problems("v=TLSRPTv2; rua=mailto:a@example.com").at(0), "start"));
}

TEST_F(TlsRpt, FindingsAtSmtpTls) {
    auto fs = findings(kMail + "_smtp._tls 3600 IN TXT \"v=TLSRPTv1; rua=tls@example.com\"\n",
                       "tls-rpt-syntax");
    ASSERT_EQ(fs.size(), 1u);
    auto two = findings(kMail +
                            "_smtp._tls 3600 IN TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"\n"
                            "_smtp._tls 3600 IN TXT \"v=TLSRPTv1; rua=mailto:b@example.com\"\n",
                        "tls-rpt-syntax");
    ASSERT_EQ(two.size(), 1u);
    EXPECT_TRUE(has(two[0].message, "no TLS reports"));
    // Not at _smtp._tls: not a TLS-RPT record.
    EXPECT_TRUE(
        findings(kMail + "_tls 3600 IN TXT \"v=TLSRPTv1; rua=x\"\n", "tls-rpt-syntax").empty());
}

using MxTarget = MailRecords;

TEST_F(MxTarget, Ipv6OnlyInZoneTargetWarns) {
    auto fs = findings("mail 3600 IN AAAA 2001:db8::25\n", "mx-target-ipv6-only");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::warning);
    EXPECT_TRUE(has(fs[0].message, "mail.example.com."));
    EXPECT_TRUE(findings("mail 3600 IN AAAA 2001:db8::25\nmail 3600 IN A 192.0.2.25\n",
                         "mx-target-ipv6-only")
                    .empty());
    // Through a wildcard, as a resolver would see it.
    EXPECT_EQ(findings("*.example.com. 3600 IN AAAA 2001:db8::25\n", "mx-target-ipv6-only").size(),
              1u);
    // A target outside the zone: its addresses cannot be seen here.
    EXPECT_TRUE(findings("@ 3600 IN MX 20 mx.example.net.\nmail 3600 IN A 192.0.2.25\n",
                         "mx-target-ipv6-only")
                    .empty());
    // No address at all stays mx-target-no-address alone.
    EXPECT_TRUE(findings("", "mx-target-ipv6-only").empty());
    EXPECT_EQ(findings("", "mx-target-no-address").size(), 1u);
}

using CaaSyntax = MailRecords;

TEST_F(CaaSyntax, MalformedPropertiesWarn) {
    auto one = [&](const std::string& caa) {
        auto fs = findings(kMail + "@ 3600 IN CAA " + caa + "\n", "caa-syntax");
        return fs.size() == 1 ? fs[0].message : "(" + std::to_string(fs.size()) + " findings)";
    };
    EXPECT_TRUE(has(one("0 issue \"letsencrypt.org; validationmethods\""), "section 4.2"));
    EXPECT_TRUE(has(one("0 issuewild \"-bad.example\""), "section 4.2"));
    EXPECT_TRUE(has(one("0 iodef \"security@example.com\""), "iodef"));
    EXPECT_TRUE(has(one("0 iodef \"ftp://example.com/\""), "iodef"));
    EXPECT_TRUE(has(one("64 issue \"letsencrypt.org\""), "flags 64"));
    EXPECT_TRUE(has(one("0 abcdefghijklmnop \"x\""), "1-15 letters"));
    for (const char* ok :
         {"0 issue \"letsencrypt.org\"", "0 issue \";\"",
          "128 issue \"letsencrypt.org; accounturi=https://a.example/1\"",
          "0 iodef \"mailto:security@example.com\"", "0 iodef \"https://iodef.example.com/\"",
          "0 contactemail \"a@example.com\""})
        EXPECT_EQ(one(ok), "(0 findings)") << ok;
}

TEST_F(CaaSyntax, TagWithOtherCharactersFromTheWire) {
    // The zone reader refuses such a tag; a transferred zone or PowerDNS may still hold one.
    Zone z(Name::parse("example.com."));
    const std::string tag = "contact-email", value = "a@example.com";
    z.add_loose(Name::parse("example.com."), rrtype::CAA, 3600,
                std::string(1, '\0') + static_cast<char>(tag.size()) + tag + value, 0);
    auto fs = check_caa_syntax(z, {});
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].check, "caa-syntax");
    EXPECT_TRUE(has(fs[0].message, "1-15 letters"));
}

TEST_F(CaaSyntax, CriticalUnknownTagIsAnError) {
    auto fs = findings(kMail + "sub 3600 IN CAA 128 tbs \"x\"\n", "caa-critical-unknown");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::error);
    EXPECT_EQ(fs[0].owner, "sub.example.com.");
    EXPECT_TRUE(
        findings(kMail + "sub 3600 IN CAA 128 tbs \"x\"\n", "caa-syntax").empty());  // said once
    EXPECT_TRUE(findings(kMail + "sub 3600 IN CAA 0 tbs \"x\"\n", "caa-critical-unknown").empty());
}

TEST(PolicyText, MailAddresses) {
    EXPECT_TRUE(mail_address("a.b+c@example.com"));
    EXPECT_TRUE(mail_address("\"a b\"@example.com"));
    EXPECT_FALSE(mail_address("a..b@example.com"));
    EXPECT_FALSE(mail_address("@example.com"));
    EXPECT_FALSE(mail_address("a@-example.com"));
    EXPECT_FALSE(mail_address("a b@example.com"));
}

}  // namespace
