#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zonegen/errors.hpp"
#include "zonegen/instructions.hpp"

using namespace zonegen;

namespace {

Spec spec(const std::string& domain, const std::string& pattern, const std::string& reg) {
    std::string extra = pattern == "A" ? "" : "customer_nameservers: [ns1.dns-host.example]\n";
    if (pattern == "B") extra += "customer_primary: [198.51.100.1]\n";
    return parse_spec("domain: " + domain + "\ndns_pattern: " + pattern + "\nregistrar: " + reg +
                          "\nserver: {name: sv.example.net, ipv4: [192.0.2.10]}\n" + extra,
                      "t.yaml");
}

// "id earliest..latest" of every step.
std::vector<std::string> dates(const Instructions& in) {
    std::vector<std::string> out;
    for (const auto& s : in.steps)
        out.push_back(s.id + " " + (s.date ? s.date->to_string() : "-") + ".." +
                      (s.date_latest ? s.date_latest->to_string() : "-"));
    return out;
}

}  // namespace

TEST(Instructions, ProceduresAreNumberedAsTheGuide) {
    Profile p = load_profile("");
    Date d = Date::parse("2026-11-30");
    EXPECT_EQ(build_instructions(spec("example.com", "A", "transfer"), p, "en", d, std::nullopt)
                  .procedure,
              1);
    EXPECT_EQ(build_instructions(spec("example.com", "B", "transfer"), p, "en", d, std::nullopt)
                  .procedure,
              2);
    EXPECT_EQ(build_instructions(spec("example.com", "C", "transfer"), p, "en", d, std::nullopt)
                  .procedure,
              2);
    EXPECT_EQ(build_instructions(spec("example.com", "A", "customer"), p, "en", d, std::nullopt)
                  .procedure,
              3);
    EXPECT_EQ(build_instructions(spec("example.com", "B", "customer"), p, "en", d, std::nullopt)
                  .procedure,
              4);
    EXPECT_EQ(build_instructions(spec("example.com", "C", "customer"), p, "en", d, std::nullopt)
                  .procedure,
              4);
}

TEST(Instructions, AFridayBeforeTheSeptemberHolidaysLandsEachStepOnABusinessDay) {
    // 2026-09-18 is a Friday; 19-20 weekend, 21 Respect for the Aged, 22 citizen's holiday,
    // 23 equinox: the next business day is the 24th.
    Instructions in = build_instructions(spec("example.com", "A", "transfer"), load_profile(""),
                                         "en", Date::parse("2026-09-18"), std::nullopt);
    // The transfer takes 3-10 business days (Mon 28 Sep - Wed 7 Oct); the DNS setup 1-3 more
    // (Mon 12 Oct is Sports Day); the parallel period starts when the NS change has taken
    // effect, up to 48 hours later.
    EXPECT_EQ(dates(in), (std::vector<std::string>{
                             "registrar_contact 2026-09-18..2026-09-18",
                             "transfer_application 2026-09-18..2026-09-18",
                             "transfer_filing 2026-09-18..2026-09-18",
                             "transfer_complete 2026-09-28..2026-10-07",
                             "dns_application 2026-09-28..2026-10-07",
                             "dns_setup 2026-09-29..2026-10-13",
                             "ns_change 2026-09-29..2026-10-13",
                             "dns_setup_complete 2026-09-29..2026-10-13",
                             "parallel 2026-09-29..2026-10-15",
                             "cancel 2026-10-13..2026-10-29",
                         }));
    Instructions in3 = build_instructions(spec("example.com", "A", "customer"), load_profile(""),
                                          "en", Date::parse("2026-09-18"), std::nullopt);
    EXPECT_EQ(dates(in3)[1], "dns_setup 2026-09-24..2026-09-28");  // the next business day on
}

TEST(Instructions, NameServersGlueAndRequests) {
    Profile p = load_profile("");
    Spec b = parse_spec(
        "domain: example.com\ndns_pattern: B\nregistrar: customer\nserver: {name: sv.example.net, "
        "ipv4: [192.0.2.10]}\n"
        "customer_primary: [198.51.100.1]\ncustomer_nameservers: [{name: ns1.example.com, ipv4: "
        "[198.51.100.1]}]\n",
        "t.yaml");
    Instructions in =
        build_instructions(b, p, "en", Date::parse("2026-11-30"), std::string("records"));
    auto j = instructions_json(in);
    EXPECT_EQ(j["nameservers"], nlohmann::json({"ns1.example.com.", "ns2.example.net."}));
    EXPECT_EQ(j["glue"][0]["name"], "ns1.example.com.");
    EXPECT_EQ(j["ds"], nlohmann::json::array());
    EXPECT_NE(in.registrar_request.find("ns2.example.net"), std::string::npos);
    EXPECT_NE(in.registrar_request.find("198.51.100.1"), std::string::npos);
    ASSERT_EQ(in.snippets.size(), 4u);
    EXPECT_NE(in.snippets[0].text.find("allow-transfer { 198.51.100.53; 2001:db8:1::53; };"),
              std::string::npos);
}

TEST(Instructions, RefusesATransferOfATldWeCannotTakeOver) {
    EXPECT_THROW(build_instructions(spec("example.tokyo", "A", "transfer"), load_profile(""), "ja",
                                    Date::parse("2026-11-30"), std::nullopt),
                 InputError);
    EXPECT_NO_THROW(build_instructions(spec("example.tokyo", "A", "customer"), load_profile(""),
                                       "ja", Date::parse("2026-11-30"), std::nullopt));
}

namespace {

Spec signed_spec(const std::string& reg, const std::string& extra = "") {
    return parse_spec("domain: example.com\ndns_pattern: A\nregistrar: " + reg +
                          "\nserver: {name: sv.example.net, ipv4: [192.0.2.10]}\ndnssec: true\n" +
                          extra,
                      "t.yaml");
}

const Step& step_named(const Instructions& in, const std::string& id) {
    for (const auto& s : in.steps)
        if (s.id == id) return s;
    throw std::logic_error("no step " + id);
}

}  // namespace

TEST(InstructionsDnssec, TheDsIsRegisteredOnceTheCachedDelegationHasExpired) {
    // ns_update up to 48 hours, then the longest cached delegation (ns_cache: 2 days).
    Instructions in = build_instructions(signed_spec("customer"), load_profile(""), "en",
                                         Date::parse("2026-12-14"), std::nullopt);
    ASSERT_TRUE(in.dnssec);
    const Step& ns = step_named(in, "ns_change");
    const Step& ds = step_named(in, "ds_submit");
    EXPECT_FALSE(ds.provider);  // registrar: customer: the customer registers it
    EXPECT_GT(ds.n, ns.n);
    EXPECT_GE(days_between(*ns.date, *ds.date), 2);
    EXPECT_GE(days_between(*ns.date_latest, *ds.date_latest), 4);
    EXPECT_NE(ds.detail.find("once our name servers have started signing"), std::string::npos);
    EXPECT_NE(
        ds_line(in, Wording::builtin("instructions", "en")).find("step " + std::to_string(ds.n)),
        std::string::npos);
}

TEST(InstructionsDnssec, TheDsValuesAreInTheStepAndTheJson) {
    DsRecord d;
    d.key_tag = 53490;
    d.algorithm = 13;
    d.digest = "D436D8FD1C5C055CE9C1F587424300D6AE614A3D2B42462714076CC34F770C88";
    d.dnskey = "257 3 13 dBLTzV17J6oPD93BvMkZnBs1pvY4YkTy";
    Instructions in =
        build_instructions(signed_spec("transfer"), load_profile(""), "ja",
                           Date::parse("2026-12-14"), std::nullopt, std::nullopt, {d});
    const Step& ds = step_named(in, "ds_submit");
    EXPECT_TRUE(ds.provider);  // a transferred registration: we register it
    EXPECT_NE(ds.detail.find("キータグ：53490"), std::string::npos) << ds.detail;
    EXPECT_NE(ds.detail.find(d.digest), std::string::npos);
    auto j = instructions_json(in);
    EXPECT_EQ(j["dnssec"], true);
    ASSERT_EQ(j["ds"].size(), 1u);
    EXPECT_EQ(j["ds"][0]["record"], "53490 13 2 " + d.digest);
    EXPECT_EQ(j["ds"][0]["dnskey"], d.dnskey);
}

TEST(InstructionsDnssec, AnUnsignedSpecHasNoDsStepAndIgnoresDsValues) {
    Instructions in =
        build_instructions(spec("example.com", "A", "customer"), load_profile(""), "en",
                           Date::parse("2026-12-14"), std::nullopt, std::nullopt, {DsRecord{}});
    EXPECT_FALSE(in.dnssec);
    EXPECT_TRUE(in.ds.empty());
    for (const auto& s : in.steps) EXPECT_NE(s.id, "ds_submit");
}

TEST(InstructionsDnssec, AMultiSignerMoveAddsOurDsBeforeTheSwitchAndRetiresTheOldAfter) {
    Spec s = signed_spec(
        "customer",
        "old_zone_signed: true\nold_ds_ttl: 86400\ndnssec_move: multi-signer\nold_dnskeys: "
        "[\"257 3 13 "
        "kIjc/hecvnb4MIFMXVTRb53fzw/K3iyjkS2AFcrAq717t6cQFAfzDtBPqwl3MuHxUF+Nn2CyEJcgzPg/"
        "RP4ntQ==\"]\n");
    Instructions in =
        build_instructions(s, load_profile(""), "en", Date::parse("2026-12-14"), std::nullopt);
    const Step& keys = step_named(in, "cosign_keys");
    const Step& add = step_named(in, "ds_add");
    const Step& ns = step_named(in, "ns_change");
    const Step& retire = step_named(in, "ds_retire");
    EXPECT_LT(keys.n, add.n);
    EXPECT_LT(add.n, ns.n);
    EXPECT_LT(ns.n, retire.n);
    // The switch waits for the DS TTL (1 day, plus one) after our DS is added.
    EXPECT_GE(days_between(*add.date, *ns.date), 2);
    EXPECT_GE(days_between(*ns.date, *retire.date), 2);
    for (const auto& st : in.steps) EXPECT_NE(st.id, "ds_remove");
    for (const auto& st : in.steps) EXPECT_NE(st.id, "ds_submit");
    EXPECT_NE(ns.detail.find("Keep every DS record: remove none."), std::string::npos) << ns.detail;
    EXPECT_NE(in.registrar_request.find("keep every DS record"), std::string::npos);
    EXPECT_EQ(in.registrar_request.find("remove the DS record"), std::string::npos);
}

TEST(InstructionsDnssec, TheDsRemovalWaitCoversTheOldZonesLongestTtl) {
    Spec s = spec("example.com", "A", "customer");
    s.old_zone_signed = true;
    s.old_ds_ttl = 86400;
    Migration m;
    m.dnssec = true;
    m.longest_ttl = 172800;  // a day of DS and two of the old zone's answers: 3 days, plus one
    Instructions in =
        build_instructions(s, load_profile(""), "en", Date::parse("2026-12-14"), std::nullopt, m);
    const Step& ds = step_named(in, "ds_remove");
    EXPECT_EQ(ds.duration->max, 4);
    EXPECT_NE(ds.detail.find("the current zone's longest TTL of 172800 seconds"), std::string::npos)
        << ds.detail;
    Instructions plain =
        build_instructions(s, load_profile(""), "en", Date::parse("2026-12-14"), std::nullopt);
    EXPECT_EQ(step_named(plain, "ds_remove").duration->max, 2);
}
