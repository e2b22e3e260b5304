// The order and the dates of the migration steps (issue 15, part 5), checked by the steps'
// ids for the four procedures, with and without a signed old zone, on start dates around
// the New Year closure and Golden Week.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zonegen/errors.hpp"
#include "zonegen/instructions.hpp"

using namespace zonegen;

namespace {

struct Case {
    Case(std::string p, std::string r, bool s = false)
        : pattern(std::move(p)), registrar(std::move(r)), signed_zone(s) {}
    std::string pattern, registrar;
    bool signed_zone = false;
    std::optional<std::uint32_t> ds_ttl;
};

Spec spec_of(const Case& c) {
    std::string y = "domain: example.com\ndns_pattern: " + c.pattern +
                    "\nregistrar: " + c.registrar +
                    "\nserver: {name: sv.example.net, ipv4: [192.0.2.10]}\n";
    if (c.pattern != "A") y += "customer_nameservers: [ns1.dns-host.example]\n";
    if (c.pattern == "B") y += "customer_primary: [198.51.100.1]\n";
    if (c.signed_zone) y += "old_zone_signed: true\n";
    if (c.ds_ttl) y += "old_ds_ttl: " + std::to_string(*c.ds_ttl) + "\n";
    return parse_spec(y, "t.yaml");
}

Instructions build(const Case& c, const std::string& start, const Profile& p) {
    return build_instructions(spec_of(c), p, "ja", Date::parse(start), std::string("; records\n"));
}

int index_of(const Instructions& in, const std::string& id) {
    for (std::size_t i = 0; i < in.steps.size(); ++i)
        if (in.steps[i].id == id) return static_cast<int>(i);
    return -1;
}

const Step& get(const Instructions& in, const std::string& id) {
    int i = index_of(in, id);
    if (i < 0) throw std::runtime_error("no step " + id);
    return in.steps[static_cast<std::size_t>(i)];
}

bool has_warning(const Step& s, const std::string& kind, const std::string& from,
                 const std::string& to) {
    for (const auto& w : s.warnings)
        if (w.kind == kind && w.from.to_string() == from && w.to.to_string() == to) return true;
    return false;
}

// Whether a day of [a, b] falls in the New Year closure (29 Dec - 3 Jan) / in the Golden
// Week run of 2027 (Sat 1 - Wed 5 May).
bool touches_new_year(const Date& a, const Date& b) {
    for (Date d = a; d <= b; d = d.plus_days(1))
        if ((d.m == 12 && d.d >= 29) || (d.m == 1 && d.d <= 3)) return true;
    return false;
}
bool touches_golden_week_2027(const Date& a, const Date& b) {
    return a <= Date::parse("2027-05-05") && b >= Date::parse("2027-05-01");
}

std::vector<std::string> required_ids(const Case& c) {
    std::vector<std::string> v;
    if (c.registrar == "transfer")
        v = {"registrar_contact", "transfer_application", "transfer_filing", "transfer_complete"};
    if (c.signed_zone) v.push_back("ds_remove");
    if (c.pattern == "A") v.insert(v.end(), {"dns_application", "dns_setup", "dns_setup_complete"});
    if (c.pattern == "B")
        v.insert(v.end(), {"dns_application", "dns_setup", "dns_setup_complete", "primary_setup",
                           "transfer_check"});
    if (c.pattern == "C") v.push_back("dns_change");
    v.insert(v.end(), {"ns_change", "parallel", "cancel"});
    return v;
}

// Every rule of the issue, on one procedure.
void check_rules(const Case& c, const std::string& start, const Profile& p) {
    SCOPED_TRACE(c.pattern + "/" + c.registrar + (c.signed_zone ? " signed" : " unsigned") +
                 " from " + start);
    Instructions in = build(c, start, p);
    BusinessCalendar cal(p.closed_days);

    // The ids: the procedure's steps, each once, and nothing signed-only without a signature.
    std::vector<std::string> want = required_ids(c), got;
    for (const auto& s : in.steps) got.push_back(s.id);
    EXPECT_EQ(got.size(), want.size());
    for (const auto& id : want) EXPECT_EQ(std::count(got.begin(), got.end(), id), 1) << id;
    EXPECT_EQ(index_of(in, "ds_remove") >= 0, c.signed_zone);

    // Dates: each a range that holds, and never earlier than the step before.
    for (std::size_t i = 0; i < in.steps.size(); ++i) {
        const Step& s = in.steps[i];
        ASSERT_TRUE(s.date && s.date_latest) << s.id;
        EXPECT_LE(*s.date, *s.date_latest) << s.id;
        EXPECT_EQ(s.n, static_cast<int>(i) + 1);
        if (i) {
            EXPECT_LE(*in.steps[i - 1].date, *s.date) << s.id;
            EXPECT_LE(*in.steps[i - 1].date_latest, *s.date_latest) << s.id;
        }
        if (s.provider && s.id != "ds_remove") {
            EXPECT_TRUE(cal.is_business_day(*s.date)) << s.id;
        }
    }

    const Step& ns = get(in, "ns_change");
    // Who changes the name servers: we, when the registration is ours by then.
    EXPECT_EQ(ns.provider, c.registrar == "transfer");
    if (c.registrar == "transfer") {
        const Step& done = get(in, "transfer_complete");
        EXPECT_EQ(*done.date, cal.add_business_days(*get(in, "transfer_filing").date, 3));
        EXPECT_EQ(*done.date_latest, cal.add_business_days(*get(in, "transfer_filing").date, 10));
        EXPECT_LT(index_of(in, "transfer_complete"), index_of(in, "ns_change"));
    }

    // B: the primary configured and our transfer confirmed before the NS change.
    if (c.pattern == "B") {
        const Step& prim = get(in, "primary_setup");
        const Step& check = get(in, "transfer_check");
        EXPECT_LT(index_of(in, "primary_setup"), index_of(in, "transfer_check"));
        EXPECT_LT(index_of(in, "transfer_check"), index_of(in, "ns_change"));
        EXPECT_LT(*prim.date, *check.date);
        EXPECT_LT(*check.date, *ns.date);
        EXPECT_LT(*prim.date_latest, *check.date_latest);
        EXPECT_LT(*check.date_latest, *ns.date_latest);
        EXPECT_FALSE(prim.provider);
        EXPECT_TRUE(check.provider);
        EXPECT_LT(index_of(in, "dns_setup"), index_of(in, "primary_setup"));
    }

    // A signed old zone: the DS goes first, removed by whoever holds the registration then,
    // at least max(DS TTL, the profile's minimum) before the switch.
    if (c.signed_zone) {
        const Step& ds = get(in, "ds_remove");
        EXPECT_LT(index_of(in, "ds_remove"), index_of(in, "ns_change"));
        if (c.registrar == "transfer") {
            EXPECT_TRUE(ds.provider);  // we are the registrar once the transfer is complete
            EXPECT_GT(index_of(in, "ds_remove"), index_of(in, "transfer_complete"));
            EXPECT_GE(*ds.date, *get(in, "transfer_complete").date);
        } else {
            EXPECT_FALSE(ds.provider);
            EXPECT_EQ(index_of(in, "ds_remove"), 0);
        }
        int wait = 2;  // the default profile's ds_removal_wait
        if (auto it = p.durations.find("ds_removal_wait"); it != p.durations.end())
            wait = it->second.max;
        if (c.ds_ttl) wait = std::max(wait, static_cast<int>((*c.ds_ttl + 86399) / 86400));
        EXPECT_GE(days_between(*ds.date, *ns.date), wait);
        EXPECT_GE(days_between(*ds.date_latest, *ns.date_latest), wait);
        EXPECT_GE(days_between(*ds.date, *ns.date), 2);  // never "one day before"
    }

    // The parallel period starts when the NS change has taken effect (0-48 h after it), and
    // the old server goes 14 days after that at the earliest.
    const Step& par = get(in, "parallel");
    EXPECT_EQ(*par.date, *ns.date);
    EXPECT_EQ(*par.date_latest, ns.date_latest->plus_days(2));
    const Step& cancel = get(in, "cancel");
    EXPECT_EQ(*cancel.date, par.date->plus_days(14));
    EXPECT_EQ(*cancel.date_latest, par.date_latest->plus_days(14));
    EXPECT_EQ(index_of(in, "cancel"), static_cast<int>(in.steps.size()) - 1);

    // A step whose dates touch the New Year closure or Golden Week says so.
    for (const auto& s : in.steps) {
        if (s.id == "parallel" || s.id == "cancel") {
            EXPECT_TRUE(s.warnings.empty()) << s.id;
            continue;
        }
        if (touches_new_year(*s.date, *s.date_latest)) {
            bool closure = false;
            for (const auto& w : s.warnings) closure |= w.kind == "closure";
            EXPECT_TRUE(closure) << s.id;
        }
        if (touches_golden_week_2027(*s.date, *s.date_latest)) {
            EXPECT_TRUE(has_warning(s, "holiday_run", "2027-05-01", "2027-05-05")) << s.id;
        }
        for (const auto& w : s.warnings) {
            EXPECT_GE(w.to, *s.date) << s.id;
            EXPECT_FALSE(w.message.empty());
        }
    }
}

const std::vector<Case> kProcedures = {
    {"A", "transfer"}, {"B", "transfer"}, {"C", "transfer"},  // procedures 1, 2, 2
    {"A", "customer"}, {"B", "customer"}, {"C", "customer"},  // procedures 3, 4, 4
};

}  // namespace

TEST(InstructionsDates, OrderRulesHoldForEveryProcedureAroundTheClosures) {
    Profile p = load_profile("");
    for (const std::string start : {"2026-12-25", "2026-12-28", "2027-04-28", "2027-04-30",
                                    "2026-09-18", "2027-12-24", "2027-06-01"})
        for (Case c : kProcedures)
            for (bool sig : {false, true}) {
                c.signed_zone = sig;
                check_rules(c, start, p);
                if (sig) {
                    c.ds_ttl = 7 * 86400;  // a long DS TTL pushes the switch
                    check_rules(c, start, p);
                }
            }
}

TEST(InstructionsDates, TheProfilesDsWaitIsTheFloor) {
    Profile p = parse_profile(default_profile_text() + "\n", "p.yaml");
    p.durations["ds_removal_wait"] = Duration{5, 5, "calendar_days"};
    for (Case c : kProcedures) {
        c.signed_zone = true;
        check_rules(c, "2027-06-01", p);
        Instructions in = build(c, "2027-06-01", p);
        EXPECT_GE(days_between(*get(in, "ds_remove").date, *get(in, "ns_change").date), 5);
    }
}

TEST(InstructionsDates, ImportedSignaturesMakeTheOldZoneSigned) {
    Migration m;
    m.dnssec = true;
    Instructions in = build_instructions(spec_of({"A", "customer"}), load_profile(""), "en",
                                         Date::parse("2027-06-01"), std::nullopt, m);
    ASSERT_GE(index_of(in, "ds_remove"), 0);
    EXPECT_EQ(index_of(in, "ds_remove"), 0);
    EXPECT_GE(days_between(*get(in, "ds_remove").date, *get(in, "ns_change").date), 2);
}

TEST(InstructionsDates, TransferRangesAndTheNewYearClosure) {
    Profile p = load_profile("");
    // Procedure 1 from Fri 25 Dec 2026: three business days are Mon 28 Dec, Mon 4 and Tue 5
    // Jan; ten reach Fri 15 Jan (Mon 11 Jan is Coming of Age Day).
    Instructions in = build({"A", "transfer"}, "2026-12-25", p);
    const Step& done = get(in, "transfer_complete");
    EXPECT_EQ(done.date->to_string(), "2027-01-05");
    EXPECT_EQ(done.date_latest->to_string(), "2027-01-15");
    EXPECT_TRUE(has_warning(get(in, "transfer_filing"), "closure", "2026-12-29", "2027-01-03"));
    EXPECT_TRUE(has_warning(get(in, "transfer_filing"), "holiday_run", "2027-01-09", "2027-01-11"));
    // A switch just before the closure is flagged on the NS change itself.
    Instructions late = build({"A", "customer"}, "2027-12-24", p);
    const Step& ns = get(late, "ns_change");
    EXPECT_EQ(ns.date->to_string(), "2027-12-27");
    EXPECT_TRUE(has_warning(ns, "closure", "2027-12-29", "2028-01-03")) << ns.date->to_string();
    // A switch on Fri 25 Dec takes effect by Sunday, but resolvers move on into the closure.
    Instructions c4 = build({"C", "customer"}, "2026-12-25", p);
    EXPECT_EQ(get(c4, "ns_change").date_latest->to_string(), "2026-12-25");
    EXPECT_TRUE(has_warning(get(c4, "ns_change"), "closure", "2026-12-29", "2027-01-03"));
    // Nothing to flag in June.
    for (const auto& c : kProcedures)
        for (const auto& s : build(c, "2027-06-01", p).steps) EXPECT_TRUE(s.warnings.empty());
}

TEST(InstructionsDates, JsonCarriesIdsRangesAndWarnings) {
    Instructions in = build({"B", "transfer", true}, "2026-12-25", load_profile(""));
    auto j = instructions_json(in);
    std::vector<std::string> ids;
    for (const auto& s : j["steps"]) {
        ids.push_back(s["id"]);
        EXPECT_TRUE(s.contains("date_latest"));
        EXPECT_TRUE(s["warnings"].is_array());
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"registrar_contact", "transfer_application",
                                             "transfer_filing", "transfer_complete", "ds_remove",
                                             "dns_application", "dns_setup", "dns_setup_complete",
                                             "primary_setup", "transfer_check", "ns_change",
                                             "parallel", "cancel"}));
    const auto& filing = j["steps"][2];
    EXPECT_EQ(filing["warnings"][0]["kind"], "closure");
    EXPECT_EQ(filing["warnings"][0]["from"], "2026-12-29");
    EXPECT_EQ(filing["warnings"][0]["to"], "2027-01-03");
    EXPECT_EQ(j["steps"][3]["date"], "2027-01-05");
    EXPECT_EQ(j["steps"][3]["date_latest"], "2027-01-15");
    EXPECT_TRUE(j["steps"][4]["guide_step"].is_null());  // ds_remove: not a step of the guide
    EXPECT_TRUE(j["steps"][9]["guide_step"].is_null());  // transfer_check
    EXPECT_EQ(j["steps"][4]["actor"], "provider");
}

TEST(InstructionsDates, TextShowsWeekdaysRangesAndTheWarnings) {
    Profile p = load_profile("");
    Spec s = spec_of({"A", "transfer"});
    std::string ja = instructions_text(
        build_instructions(s, p, "ja", Date::parse("2026-12-25"), std::nullopt), false);
    EXPECT_NE(
        ja.find(
            "レジストラ変更完了通知」メールの送付\n   予定日：2027年1月5日（火）～1月15日（金）"),
        std::string::npos)
        << ja;
    EXPECT_NE(ja.find("予定日：2026年12月25日（金）"), std::string::npos);
    EXPECT_NE(ja.find("年末年始休業（2026年12月29日（火）～2027年1月3日（日））"),
              std::string::npos);
    // Full-width parentheses around the weekday, never half-width ones.
    EXPECT_EQ(ja.find("日("), std::string::npos);
    std::string en = instructions_text(
        build_instructions(s, p, "en", Date::parse("2026-12-25"), std::nullopt), false);
    EXPECT_NE(en.find("Transfer-complete notice\n   When: Tue 5 Jan – Fri 15 Jan 2027"),
              std::string::npos)
        << en;
    EXPECT_NE(en.find("New Year closure (Tue 29 Dec 2026 – Sun 3 Jan 2027)"), std::string::npos);
}

TEST(InstructionsDates, PrimarySendsNotifyToOurSecondary) {
    Instructions ja = build({"B", "customer"}, "2027-06-01", load_profile(""));
    const std::string& d = get(ja, "primary_setup").detail;
    EXPECT_NE(d.find("当社セカンダリへ NOTIFY を送る設定"), std::string::npos) << d;
    EXPECT_EQ(d.find("NOTIFYを許可"), std::string::npos) << d;
    Instructions en = build_instructions(spec_of({"B", "customer"}), load_profile(""), "en",
                                         Date::parse("2027-06-01"), std::nullopt);
    EXPECT_NE(get(en, "primary_setup").detail.find("send NOTIFY to it"), std::string::npos);
}

TEST(InstructionsDates, SpecAndProfileKeys) {
    std::string base =
        "domain: example.com\ndns_pattern: A\nregistrar: customer\nserver: {name: sv.example.net, "
        "ipv4: [192.0.2.10]}\n";
    Spec s = parse_spec(base + "old_zone_signed: true\nold_ds_ttl: 1d\n", "t.yaml");
    EXPECT_TRUE(s.old_zone_signed);
    EXPECT_EQ(s.old_ds_ttl, 86400u);
    EXPECT_THROW(parse_spec(base + "old_ds_ttl: 3600\n", "t.yaml"), InputError);
    EXPECT_THROW(parse_spec(base + "old_zone_signed: maybe\n", "t.yaml"), InputError);
    EXPECT_EQ(load_profile("").holiday_run_days, 3);
    EXPECT_EQ(load_profile("").durations.at("ds_removal_wait").max, 2);
    std::string two = default_profile_text();
    two.replace(two.find("holiday_run_days: 3"), 19, "holiday_run_days: 2");
    try {
        parse_profile(two, "p.yaml");
        FAIL() << "holiday_run_days: 2 accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("every weekend"), std::string::npos) << e.what();
    }
}
