// The records that get mail delivered (zonegen/mail_policy.hpp): DMARC, CAA, MTA-STS with
// TLS-RPT, RFC 6186 SRV; the customer's own DMARC and CAA kept in migrations.
#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/customer_zone.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/mail_setup.hpp"
#include "zonegen/migrate.hpp"

using namespace zonegen;

namespace {

Spec spec_of(const std::string& extra, const std::string& pattern = "A") {
    std::string bc = pattern == "A" ? "" : "customer_nameservers: [ns1.dns-host.example]\n";
    if (pattern == "B") bc += "customer_primary: [198.51.100.1]\n";
    return parse_spec("domain: example.com\ndns_pattern: " + pattern +
                          "\nregistrar: customer\n"
                          "server: {name: sv1.example.net, ipv4: [192.0.2.10]}\n" +
                          bc + extra,
                      "t.yaml");
}

// The default profile with `from` replaced by `to`.
Profile profile_with(const std::string& from, const std::string& to) {
    std::string t = default_profile_text();
    auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return parse_profile(t, "p.yaml");
}

const std::string kStsOff = "  # mta_sts:\n  #   policy_host: mta-sts.example.net\n";

Profile sts_profile(const std::string& extra = "") {
    return profile_with(kStsOff,
                        "  mta_sts:\n    policy_host: mta-sts.example.net\n"
                        "    certified_names: [\"{server}\"]\n"
                        "    tls_rpt: [\"mailto:tls-reports@example.net\"]\n" +
                            extra);
}

std::vector<std::string> texts(const Zone& z, const std::string& owner, RRType t) {
    std::vector<std::string> out;
    if (const RRset* s = z.find(Name::parse(owner), t))
        for (const auto& r : s->rrs) out.push_back(rdata_text(t, r.rdata));
    return out;
}

Desired build(const Spec& s, const Profile& p) {
    GenerateOptions go;
    go.serial = 1;
    return build_desired(s, p, go);
}

bool has(const std::vector<Finding>& fs, const std::string& id, Severity sev) {
    for (const auto& f : fs)
        if (f.check == id && f.severity == sev) return true;
    return false;
}

Zone read(const std::string& text) {
    ReadOptions ro;
    return read_zone_text(text, "old.zone", ro).zone;
}

const std::string kOld =
    "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.old.example. h.old.example. 7 7200 3600 "
    "1209600 300\n@ NS ns1.old.example.\n@ NS ns2.old.example.\n@ A 203.0.113.5\n"
    "www A 203.0.113.5\n@ MX 10 mail\nmail A 203.0.113.6\n"
    "@ TXT \"v=spf1 include:_spf.google.com ~all\"\n"
    "google._domainkey TXT \"v=DKIM1; k=rsa; p=\"\n"
    "_dmarc TXT \"v=DMARC1; p=quarantine; rua=mailto:d@example.com\"\n"
    "@ CAA 0 issue \"letsencrypt.org\"\n@ CAA 0 issue \"digicert.com\"\n";

}  // namespace

TEST(MailPolicy, TheDefaultProfilePublishesDmarcCaaAndSrv) {
    Desired d = build(spec_of(""), load_profile(""));
    const Zone& z = d.zone;
    EXPECT_EQ(
        texts(z, "_dmarc.example.com.", rrtype::TXT),
        std::vector<std::string>{"\"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.net\""});
    EXPECT_EQ(texts(z, "example.com.", rrtype::CAA),
              std::vector<std::string>{"0 issue \"letsencrypt.org\""});
    EXPECT_EQ(texts(z, "_submission._tcp.example.com.", rrtype::SRV),
              std::vector<std::string>{"0 1 587 mail.example.com."});
    EXPECT_EQ(texts(z, "_imaps._tcp.example.com.", rrtype::SRV),
              std::vector<std::string>{"0 1 993 mail.example.com."});
    EXPECT_EQ(texts(z, "_pop3s._tcp.example.com.", rrtype::SRV),
              std::vector<std::string>{"0 1 995 mail.example.com."});
    EXPECT_TRUE(texts(z, "_mta-sts.example.com.", rrtype::TXT).empty());
    EXPECT_EQ(count_errors(d.findings), 0u);
}

TEST(MailPolicy, ADomainWithoutMailRejectsSpoofsAndOffersNoMailClientRecords) {
    Desired d = build(spec_of("services: [web]\nmail: none\n"), load_profile(""));
    EXPECT_EQ(
        texts(d.zone, "_dmarc.example.com.", rrtype::TXT),
        std::vector<std::string>{"\"v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.net\""});
    EXPECT_TRUE(texts(d.zone, "_imaps._tcp.example.com.", rrtype::SRV).empty());
}

TEST(MailPolicy, TheSpecsOwnDmarcAndCaaReplaceTheDefaults) {
    Desired d =
        build(spec_of("records:\n"
                      "  - {name: _dmarc, type: TXT, data: '\"v=DMARC1; p=reject\"'}\n"
                      "  - {name: \"@\", type: CAA, data: '0 issue \"letsencrypt.org\"'}\n"
                      "  - {name: \"@\", type: CAA, data: '0 iodef \"mailto:x@example.com\"'}\n"),
              load_profile(""));
    EXPECT_EQ(texts(d.zone, "_dmarc.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=DMARC1; p=reject\""});
    EXPECT_EQ(texts(d.zone, "example.com.", rrtype::CAA).size(), 2u);
}

TEST(MailPolicy, MtaStsRecordsAndThePolicyFollowTheMxSet) {
    Profile p = sts_profile();
    Spec s = spec_of(
        "records:\n  - {name: \"@\", type: MX, data: 10 sv1.example.net.}\n"
        "services: [web]\n");
    Desired one = build(s, p);
    auto pol = mta_sts_policy(one.zone, s, p, nullptr);
    // services: [web] with an MX of its own: mail is not our service, no MTA-STS.
    EXPECT_FALSE(pol);
    Spec mail = spec_of("");
    Profile p2 = parse_profile(
        [&] {
            std::string t = default_profile_text();
            t.replace(t.find("data: \"10 mail\""), 15, "data: \"10 {server}\"");
            t.replace(t.find(kStsOff), kStsOff.size(),
                      "  mta_sts:\n    policy_host: mta-sts.example.net\n"
                      "    certified_names: [\"{server}\"]\n"
                      "    tls_rpt: [\"mailto:tls-reports@example.net\"]\n");
            return t;
        }(),
        "p.yaml");
    Desired a = build(mail, p2);
    auto pa = mta_sts_policy(a.zone, mail, p2, nullptr);
    ASSERT_TRUE(pa);
    EXPECT_EQ(pa->text,
              "version: STSv1\r\nmode: testing\r\nmx: sv1.example.net\r\nmax_age: 604800\r\n");
    EXPECT_EQ(pa->id.size(), 32u);
    EXPECT_EQ(texts(a.zone, "_mta-sts.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=STSv1; id=" + pa->id + "\""});
    EXPECT_EQ(texts(a.zone, "mta-sts.example.com.", rrtype::CNAME),
              std::vector<std::string>{"mta-sts.example.net."});
    EXPECT_EQ(texts(a.zone, "_smtp._tls.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=TLSRPTv1; rua=mailto:tls-reports@example.net\""});
    EXPECT_EQ(count_errors(a.findings), 0u);
    EXPECT_FALSE(has(a.findings, "mta-sts-mx-uncertified", Severity::warning));
    // A second MX changes the policy, and its id with it.
    Spec two = spec_of(
        "records:\n  - {name: \"@\", type: MX, data: 20 sv1.example.net.}\n"
        "  - {name: \"@\", type: MX, data: 30 backup.example.net.}\n");
    Desired b = build(two, p2);
    auto pb = mta_sts_policy(b.zone, two, p2, nullptr);
    ASSERT_TRUE(pb);
    EXPECT_NE(pb->id, pa->id);
    EXPECT_NE(pb->text.find("mx: backup.example.net\r\n"), std::string::npos);
    EXPECT_EQ(texts(b.zone, "_mta-sts.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=STSv1; id=" + pb->id + "\""});
    // backup.example.net has no certificate of ours: a warning in testing mode.
    EXPECT_TRUE(has(b.findings, "mta-sts-mx-uncertified", Severity::warning));
}

TEST(MailPolicy, EnforceIsRefusedWithoutCertificatesForTheMxAndThePolicyName) {
    // The default MX is mail.example.com: not certified (the shared server's own name is).
    Profile p = sts_profile("    mode: enforce\n");
    Desired d = build(spec_of(""), p);
    EXPECT_TRUE(has(d.findings, "mta-sts-mx-uncertified", Severity::error));
    EXPECT_TRUE(has(d.findings, "mta-sts-enforce-uncertified", Severity::error));
    Profile ok = sts_profile("    mode: enforce\n");
    ok.mta_sts->certified = {"mail.{domain}", "mta-sts.{domain}"};
    Desired e = build(spec_of(""), ok);
    EXPECT_EQ(count_errors(e.findings), 0u);
    // testing mode with the same gap: a warning, and the records are published.
    Desired t = build(spec_of(""), sts_profile());
    EXPECT_EQ(count_errors(t.findings), 0u);
    EXPECT_TRUE(has(t.findings, "mta-sts-mx-uncertified", Severity::warning));
}

TEST(MailPolicy, DmarcReportsOutsideTheDomainNeedTheReportDomainsConsent) {
    Spec s = spec_of("");
    auto a = dmarc_authorizations(s, load_profile(""));
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].owner.to_string(), "example.com._report._dmarc.example.net.");
    EXPECT_EQ(a[0].text, "v=DMARC1");
    Profile wild = profile_with("wildcard_authorization: false", "wildcard_authorization: true");
    EXPECT_TRUE(dmarc_authorizations(s, wild).empty());
    Profile inside = profile_with("mailto:dmarc-reports@example.net", "mailto:d@example.com");
    EXPECT_TRUE(dmarc_authorizations(s, inside).empty());
}

TEST(MailPolicy, ProfileValuesAreCheckedWithTheKeyNamed) {
    auto error = [](const std::string& from, const std::string& to) {
        try {
            profile_with(from, to);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(error("mailto:dmarc-reports@example.net", "dmarc-reports@example.net")
                  .find("mail.dmarc.rua[0]"),
              std::string::npos);
    EXPECT_NE(error("policy: none ", "policy: maybe ").find("mail.dmarc.policy"),
              std::string::npos);
    EXPECT_NE(error("srv: [submission, imaps, pop3s]", "srv: [smtp]").find("mail.autoconfig.srv"),
              std::string::npos);
    EXPECT_NE(error("  iodef: \"\"", "  iodef: \"x@example.net\"").find("caa.iodef"),
              std::string::npos);
}

TEST(MailPolicy, AMigrationKeepsTheCustomersDmarcCaaDkimAndSpfSenders) {
    Spec s = spec_of("import_from: old.zone\n");
    Migration m;
    GenerateOptions go;
    go.serial = 1;
    Desired d = build_migrated(s, load_profile(""), read(kOld), go, &m);
    EXPECT_EQ(texts(d.zone, "_dmarc.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=DMARC1; p=quarantine; rua=mailto:d@example.com\""});
    EXPECT_EQ(texts(d.zone, "example.com.", rrtype::CAA).size(), 2u);
    EXPECT_EQ(texts(d.zone, "google._domainkey.example.com.", rrtype::TXT).size(), 1u);
    auto txt = texts(d.zone, "example.com.", rrtype::TXT);
    ASSERT_EQ(txt.size(), 1u);  // one SPF, the old senders and ours
    EXPECT_NE(txt[0].find("include:_spf.google.com"), std::string::npos);
    EXPECT_NE(txt[0].find("ip4:192.0.2.10"), std::string::npos);
    // ... and the mail client records are added.
    EXPECT_EQ(texts(d.zone, "_imaps._tcp.example.com.", rrtype::SRV).size(), 1u);
    MailSetup ms = mail_setup(s, load_profile(""), d);
    EXPECT_FALSE(ms.dmarc_ours);
    EXPECT_TRUE(ms.authorizations.empty());
}

TEST(MailPolicy, PatternBKeepsTheCustomersDmarcAndListsTheRecordsToAdd) {
    Spec s = spec_of("import_from: old.zone\n", "B");
    GenerateOptions go;
    go.serial = 100;
    CustomerZone cz = build_customer_zone(s, load_profile(""), read(kOld), go);
    EXPECT_EQ(texts(cz.zone, "_dmarc.example.com.", rrtype::TXT),
              std::vector<std::string>{"\"v=DMARC1; p=quarantine; rua=mailto:d@example.com\""});
    bool srv = false, dmarc = false, caa = false;
    for (const auto& c : cz.changes) {
        srv |= c.type == rrtype::SRV && c.action == "add";
        dmarc |= c.owner.to_string() == "_dmarc.example.com.";
        caa |= c.type == rrtype::CAA;
    }
    EXPECT_TRUE(srv);
    EXPECT_FALSE(dmarc);
    EXPECT_FALSE(caa);
    // Without a DMARC of their own, ours is among the records to add, with its reason.
    std::string no_dmarc = kOld;
    no_dmarc.erase(no_dmarc.find("_dmarc"), no_dmarc.find("@ CAA") - no_dmarc.find("_dmarc"));
    CustomerZone c2 = build_customer_zone(s, load_profile(""), read(no_dmarc), go);
    bool added = false;
    for (const auto& c : c2.changes)
        if (c.owner.to_string() == "_dmarc.example.com." && c.action == "add")
            added = c.reason.en.rfind("DMARC", 0) == 0 && !c.reason.ja.empty();
    EXPECT_TRUE(added);
}

TEST(MailPolicy, NoDefaultCaaWhenANameIsServedElsewhere) {
    Desired d = build(spec_of("records:\n  - {name: shop, type: A, data: 198.51.100.7}\n"),
                      load_profile(""));
    EXPECT_TRUE(texts(d.zone, "example.com.", rrtype::CAA).empty());
    EXPECT_TRUE(has(d.findings, "caa-withheld", Severity::warning));
    // An import with a host elsewhere: the same, and the migration report adds no CAA.
    std::string old = kOld;
    old.erase(old.find("@ CAA"));
    old += "vpn A 198.51.100.9\n";
    Migration m;
    GenerateOptions go;
    go.serial = 1;
    Desired mig =
        build_migrated(spec_of("import_from: old.zone\n"), load_profile(""), read(old), go, &m);
    EXPECT_TRUE(texts(mig.zone, "example.com.", rrtype::CAA).empty());
    EXPECT_TRUE(has(mig.findings, "caa-withheld", Severity::warning));
    for (const auto& i : m.items) EXPECT_NE(i.type, rrtype::CAA);
    // Pattern B from the customer's zone: no CAA among the changes either.
    go.serial = 100;
    CustomerZone cz = build_customer_zone(spec_of("import_from: old.zone\n", "B"), load_profile(""),
                                          read(old), go);
    for (const auto& c : cz.changes) EXPECT_NE(c.type, rrtype::CAA);
    // Without the foreign host, the import gets the default CAA.
    std::string clean = kOld;
    clean.erase(clean.find("@ CAA"));
    Desired ok = build_migrated(spec_of("import_from: old.zone\n"), load_profile(""), read(clean),
                                go, nullptr);
    EXPECT_EQ(texts(ok.zone, "example.com.", rrtype::CAA),
              std::vector<std::string>{"0 issue \"letsencrypt.org\""});
}

TEST(MailPolicy, ValidateWithTheSpecChecksTheCertificatesOfThePolicyInForce) {
    Spec s = spec_of("");
    Profile testing = sts_profile();
    Desired d = build(s, testing);  // published in testing mode: mail.example.com uncertified
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &testing;
    auto fs = validate_zone(d.zone, vo);
    EXPECT_TRUE(has(fs, "mta-sts-mx-uncertified", Severity::warning));
    EXPECT_FALSE(has(fs, "mta-sts-stale", Severity::warning));
    // Without a policy host in the profile, the same record is someone else's: stale.
    Profile none = load_profile("");
    vo.profile = &none;
    EXPECT_TRUE(has(validate_zone(d.zone, vo), "mta-sts-stale", Severity::warning));
}
