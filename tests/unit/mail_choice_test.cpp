// Web-only pattern A: mail goes where the spec says (an MX, or `mail: none`), never silently
// to the web server's address; null MX (RFC 7505) rules; no mail steps in the instructions.
#include <gtest/gtest.h>

#include "backends/zonefile.hpp"
#include "validators/checks.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/generate.hpp"
#include "zonegen/instructions.hpp"
#include "zonegen/migrate.hpp"
#include "zonegen/spf.hpp"

using namespace zonegen;

namespace {

Spec spec_of(const std::string& extra, const std::string& pattern = "A",
             const std::string& registrar = "transfer") {
    std::string bc = pattern == "A" ? "" : "customer_nameservers: [ns1.dns-host.example]\n";
    if (pattern == "B") bc += "customer_primary: [198.51.100.1]\n";
    return parse_spec("domain: example.com\ndns_pattern: " + pattern + "\nregistrar: " + registrar +
                          "\nserver: {name: sv1.example.net, ipv4: [192.0.2.10]}\n" + bc + extra,
                      "t.yaml");
}

std::string error_of(const std::string& extra, const std::string& pattern = "A") {
    try {
        spec_of(extra, pattern);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

std::vector<Finding> findings(const Spec& s, const Desired& d) {
    static const Profile p = load_profile("");
    ValidateOptions vo;
    vo.spec = &s;
    vo.profile = &p;
    vo.file = s.source;
    auto out = d.findings;
    auto v = validate_zone(d.zone, vo);
    out.insert(out.end(), v.begin(), v.end());
    return out;
}

std::vector<Finding> generate(const Spec& s) {
    return findings(s, build_desired(s, load_profile(""), {std::uint32_t{1}, 0}));
}

int count(const std::vector<Finding>& fs, const std::string& id) {
    int n = 0;
    for (const auto& f : fs) n += f.check == id;
    return n;
}

const Name kApex = Name::parse("example.com.");

}  // namespace

TEST(MailChoice, WebOnlyPatternAWithoutMxIsUndecided) {
    Spec s = spec_of("services: [web]\n");
    auto fs = generate(s);
    ASSERT_EQ(count(fs, "mail-undecided"), 1);
    for (const auto& f : fs)
        if (f.check == "mail-undecided") {
            EXPECT_EQ(f.severity, Severity::error);
            EXPECT_NE(f.message.find("records:"), std::string::npos);
            EXPECT_NE(f.message.find("mail: none"), std::string::npos);
        }
    // No null MX is ever made by default.
    Desired d = build_desired(s, load_profile(""), {std::uint32_t{1}, 0});
    EXPECT_EQ(d.zone.find(kApex, rrtype::MX), nullptr);
}

TEST(MailChoice, AnMxFromRecordsDecides) {
    auto fs = generate(spec_of(
        "services: [web]\nrecords:\n  - {name: \"@\", type: MX, data: 1 aspmx.l.google.com.}\n"));
    EXPECT_EQ(count(fs, "mail-undecided"), 0);
    EXPECT_EQ(count_errors(fs), 0u);
}

TEST(MailChoice, AnMxFromTheImportedZoneDecides) {
    ReadOptions ro;
    ro.origin = kApex;
    auto old = read_zone_text(
        "@ 3600 IN SOA ns1.old.example. h.old.example. 5 7200 3600 "
        "1209600 300\n@ 3600 IN NS ns1.old.example.\n"
        "@ 3600 IN MX 10 mx.mail-provider.example.\n",
        "old", ro);
    Spec s = spec_of("services: [web]\n");
    Desired d = build_migrated(s, load_profile(""), old.zone, {std::uint32_t{1}, 0}, nullptr);
    EXPECT_EQ(count(findings(s, d), "mail-undecided"), 0);
    // Without one, the same spec is undecided.
    auto bare = read_zone_text(
        "@ 3600 IN SOA ns1.old.example. h.old.example. 5 7200 3600 "
        "1209600 300\n@ 3600 IN NS ns1.old.example.\n",
        "old", ro);
    d = build_migrated(s, load_profile(""), bare.zone, {std::uint32_t{1}, 0}, nullptr);
    EXPECT_EQ(count(findings(s, d), "mail-undecided"), 1);
}

TEST(MailChoice, MailNoneGivesANullMxAndSpfMinusAll) {
    Spec s = spec_of("services: [web]\nmail: none\n");
    EXPECT_TRUE(s.mail_none);
    Desired d = build_desired(s, load_profile(""), {std::uint32_t{1}, 0});
    const RRset* mx = d.zone.find(kApex, rrtype::MX);
    ASSERT_NE(mx, nullptr);
    ASSERT_EQ(mx->rrs.size(), 1u);
    EXPECT_EQ(rdata_text(rrtype::MX, mx->rrs.front().rdata), "0 .");
    const RRset* txt = d.zone.find(kApex, rrtype::TXT);
    ASSERT_NE(txt, nullptr);
    ASSERT_EQ(txt->rrs.size(), 1u);
    EXPECT_EQ(join_txt(txt->rrs.front().rdata), "v=spf1 -all");
    EXPECT_EQ(d.zone.find(Name::parse("mail.example.com."), rrtype::A), nullptr);
    auto fs = findings(s, d);
    EXPECT_TRUE(fs.empty()) << fs.front().check << ": " << fs.front().message;
    // A records: "v=spf1 -all" is the same thing, written once.
    Spec s2 = spec_of(
        "services: [web]\nmail: none\nrecords:\n"
        "  - {name: \"@\", type: TXT, data: '\"v=spf1 -all\"'}\n");
    Desired d2 = build_desired(s2, load_profile(""), {std::uint32_t{1}, 0});
    EXPECT_EQ(d2.zone.find(kApex, rrtype::TXT)->rrs.size(), 1u);
}

TEST(MailChoice, MailNoneIsRefusedWhereItCannotHold) {
    EXPECT_NE(error_of("mail: none\n").find("'mail'"), std::string::npos);  // mail is a service
    EXPECT_NE(error_of("services: [web, mail]\nmail: none\n").find("mail is in services"),
              std::string::npos);
    EXPECT_NE(error_of("services: [web]\nmail: nothing\n").find("one value is none"),
              std::string::npos);
    EXPECT_EQ(error_of("services: [web]\nmail: none\n", "C"), "");  // B, C: records to add
    // Beside an MX at the apex (RFC 7505 section 3) or an SPF that authorises senders.
    EXPECT_NE(error_of("services: [web]\nmail: none\nrecords:\n"
                       "  - {name: \"@\", type: MX, data: 10 mx.example.net.}\n")
                  .find("'records[0].data'"),
              std::string::npos);
    EXPECT_NE(error_of("services: [web]\nmail: none\nrecords:\n"
                       "  - {name: \"@\", type: TXT, data: '\"v=spf1 include:x.example -all\"'}\n")
                  .find("RFC 7505 section 4.2"),
              std::string::npos);
    // An MX elsewhere in the domain is another name's business.
    EXPECT_EQ(error_of("services: [web]\nmail: none\nrecords:\n"
                       "  - {name: sub, type: MX, data: 10 mx.example.net.}\n"),
              "");
}

TEST(MailChoice, NullMxBesideAnotherMxIsAnError) {
    ReadOptions ro;
    ro.origin = kApex;
    auto r = read_zone_text(
        "@ 3600 IN SOA ns1.example.net. h.example.net. 1 14400 3600 1209600 "
        "3600\n@ 3600 IN NS ns1.example.net.\n@ 3600 IN NS ns2.example.net.\n"
        "@ 3600 IN MX 0 .\n@ 3600 IN MX 10 mx.example.net.\n",
        "t.zone", ro);
    auto fs = validate_zone(r.zone, {});
    ASSERT_EQ(count(fs, "null-mx-not-alone"), 1);
    for (const auto& f : fs)
        if (f.check == "null-mx-not-alone") {
            EXPECT_EQ(f.severity, Severity::error);
        }
}

TEST(MailChoice, MailNoneReplacesTheImportedMxAndSpfWithItsReason) {
    ReadOptions ro;
    ro.origin = kApex;
    auto old = read_zone_text(
        "@ 3600 IN SOA ns1.old.example. h.old.example. 5 7200 3600 "
        "1209600 300\n@ 3600 IN NS ns1.old.example.\n"
        "@ 3600 IN MX 10 mx.old.example.\n"
        "@ 3600 IN TXT \"v=spf1 include:_spf.old.example ~all\"\n"
        "@ 3600 IN TXT \"verify=1\"\n",
        "old", ro);
    Spec s = spec_of("services: [web]\nmail: none\n");
    Migration m;
    Desired d = build_migrated(s, load_profile(""), old.zone, {std::uint32_t{1}, 0}, &m);
    EXPECT_EQ(rdata_text(rrtype::MX, d.zone.find(kApex, rrtype::MX)->rrs.front().rdata), "0 .");
    int spf = 0;
    for (const auto& rr : d.zone.find(kApex, rrtype::TXT)->rrs)
        if (is_spf(rr.rdata)) {
            ++spf;
            EXPECT_EQ(join_txt(rr.rdata), "v=spf1 -all");
        }
    EXPECT_EQ(spf, 1);
    for (const auto& i : m.items)
        if (i.owner == kApex && (i.type == rrtype::MX || i.type == rrtype::TXT)) {
            EXPECT_TRUE(i.why.key == "null_mx" || i.why.key == "spf_null") << i.why.key;
        }
    EXPECT_EQ(count_errors(findings(s, d)), 0u);
}

// Every procedure (1-4), both languages: a web-only customer gets no mail step.
TEST(MailChoice, WebOnlyInstructionsHaveNoMailSteps) {
    const Profile p = load_profile("");
    const std::vector<std::string> mail_words_ja = {
        "メールアカウント", "メールソフト", "メールが届かなく", "メールやアクセス",
        "Webとメール",      "Web・メール",  "NS・A・MX"};
    const std::vector<std::string> mail_words_en = {"mail account", "fetch mail",
                                                    "no more mail", "mail and visitors",
                                                    "web and mail", "A and MX"};
    for (const char* pattern : {"A", "B", "C"})
        for (const char* reg : {"transfer", "customer"})
            for (const char* lang : {"ja", "en"}) {
                std::string extra = std::string("services: [web]\n") +
                                    (std::string(pattern) == "A" ? "mail: none\n" : "");
                Spec s = spec_of(extra, pattern, reg);
                Instructions in =
                    build_instructions(s, p, lang, Date::parse("2026-11-30"), std::nullopt);
                std::string all;
                for (const auto& st : in.steps) all += st.title + "\n" + st.detail + "\n";
                for (const auto& x : in.before_switch) all += x + "\n";
                for (const auto& x : in.after_switch) all += x + "\n";
                for (const auto& w : std::string(lang) == "ja" ? mail_words_ja : mail_words_en)
                    EXPECT_EQ(all.find(w), std::string::npos)
                        << pattern << "/" << reg << "/" << lang << ": '" << w << "' in:\n"
                        << all;
                // ... and says where mail stays (or that none is received).
                bool a = std::string(pattern) == "A";
                std::string where = std::string(lang) == "ja"
                                        ? (a ? "ヌルMX" : "現在ご利用のメールサービスのまま")
                                        : (a ? "null MX" : "Mail stays with your current");
                EXPECT_NE(all.find(where), std::string::npos)
                    << pattern << "/" << reg << "/" << lang << "\n"
                    << all;
            }
}

TEST(MailChoice, WebAndMailInstructionsKeepTheMailSteps) {
    const Profile p = load_profile("");
    for (const char* pattern : {"A", "B", "C"}) {
        Spec s = spec_of("", pattern);
        Instructions in = build_instructions(s, p, "ja", Date::parse("2026-11-30"), std::nullopt);
        std::string all;
        for (const auto& x : in.before_switch) all += x;
        for (const auto& x : in.after_switch) all += x;
        EXPECT_NE(all.find("メールアカウントのユーザIDをすべて登録"), std::string::npos);
        EXPECT_NE(all.find("メールソフト"), std::string::npos);
    }
}
