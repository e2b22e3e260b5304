#include "zonegen/instructions.hpp"
#include "zonegen/text.hpp"

#include <nlohmann/json.hpp>

#include "zonegen/customer_zone.hpp"
#include "zonegen/dnssec.hpp"
#include "zonegen/domain.hpp"
#include "zonegen/errors.hpp"
#include "zonegen/schedule.hpp"

namespace zonegen {
namespace {

using nlohmann::json;

const char* const kGtlds[] = {"com", "net", "org", "info", "biz", "mobi"};

Duration duration_of(const Profile& p, const std::string& key, Duration fallback) {
    auto it = p.durations.find(key);
    return it == p.durations.end() ? fallback : it->second;
}

// The DS records of the customer's zone with their DNSKEYs: the JSON output's "ds" and what
// the texts list.
json ds_json(const std::vector<DsRecord>& ds) {
    auto out = json::array();
    for (const auto& d : ds)
        out.push_back({{"key_tag", d.key_tag},
                       {"algorithm", d.algorithm},
                       {"digest_type", d.digest_type},
                       {"digest", d.digest},
                       {"dnskey", d.dnskey},
                       {"record", d.to_string()}});
    return out;
}

// The procedure, step by step: C++ decides which steps, in which order and on which dates;
// every word comes from the wording (templates/instructions.<lang>.yaml).
struct Builder {
    const Spec& spec;
    const Profile& profile;
    const Wording& w;
    BusinessCalendar cal;
    Instructions out;
    Date out_start;
    json facts = json::object();  // what every text may name

    bool ja() const { return w.lang() == "ja"; }
    std::string say(const std::string& key, const json& extra = json::object()) const {
        json ctx = facts;
        if (extra.is_object()) ctx.update(extra);
        return w.say(key, ctx);
    }
    std::string dates(const Span& s) const { return format_date_range(s.lo, s.hi, ja()); }
    std::string dom() const {
        return out.domain_unicode.empty() ? bare(spec.domain) : out.domain_unicode;
    }
    bool transfer_reg() const { return spec.registrar == Registrar::transfer; }
    bool signed_old_zone() const {
        return spec.old_zone_signed || (out.migration && out.migration->dnssec);
    }

    // The facts of this customer every text may use (README, "Customer texts").
    void gather_facts(bool gtld, const std::string& tld) {
        const bool a = spec.pattern == Pattern::A, b = spec.pattern == Pattern::B;
        std::string test_domain;
        if (!profile.test_domain_suffix.empty())
            test_domain =
                spec.domain.first_label() + "." + bare(Name::parse(profile.test_domain_suffix));
        facts = {{"domain", dom()},
                 {"ascii", out.domain_unicode.empty() ? json(nullptr) : json(bare(spec.domain))},
                 {"server", bare(spec.server.name)},
                 {"web", spec.web},
                 {"mail", spec.mail},
                 {"mail_none", spec.mail_none},
                 {"web_and_mail", spec.web && spec.mail},
                 {"web_only", spec.web && !spec.mail},
                 {"mail_only", spec.mail && !spec.web},
                 {"pattern_a", a},
                 {"pattern_b", b},
                 {"pattern_c", !a && !b},
                 {"transfer", transfer_reg()},
                 {"gtld", gtld},
                 {"tld", tld},
                 {"jp", tld == "jp"},
                 {"tsig", spec.tsig.has_value()},
                 {"test_domain", test_domain.empty() ? json(nullptr) : json(test_domain)},
                 {"notice_max", notice.max},
                 {"transfer_min", transfer.min},
                 {"transfer_max", transfer.max},
                 // The name-server change waits for a DNSSEC step (a DS removal or addition).
                 {"switch_waits", signed_old_zone()}};
        facts["secondary"] = facts["secondary_addresses"] = nullptr;
        if (b) {
            facts["secondary"] = bare(profile.pattern_b_secondary().name);
            facts["secondary_addresses"] =
                join(profile.pattern_b_secondary().endpoints(), say("separator"));
        }
        facts["services"] = say("services");
        std::vector<std::string> names;
        for (const auto& ns : out.nameservers) names.push_back(bare(ns.name));
        facts["ns_list"] = join(names, say("separator"));
    }

    // A step with its stable id, the guide's label ("" for a step zonegen adds), its
    // earliest and latest dates; its title and detail are the texts steps.<id>.
    void step(const std::string& id, const std::string& label, bool provider, const json& extra,
              std::optional<Duration> d, const Span& when) {
        Step s;
        s.n = static_cast<int>(out.steps.size()) + 1;
        s.id = id;
        s.guide_step = label;
        s.provider = provider;
        s.title = say("steps." + id + ".title", extra);
        s.detail = say("steps." + id + ".detail", extra);
        s.duration = d;
        s.date = when.lo;
        s.date_latest = when.hi;
        out.steps.push_back(s);
    }

    // B and C: how the customer's zone changes: the listed changes with import_from, else
    // what to replace and delete around the records below.
    std::string records_directions() const {
        if (out.migration && out.migration->customer_zone)
            return say("directions.listed", {{"count", out.migration->customer_changes.size()}});
        std::string s = say("directions.intro");
        for (const auto& line : fragment_directions(spec, profile, w)) s += "\n- " + line;
        return s;
    }

    // Procedures 1 and 2: the registrar change, up to the transfer-complete notice.
    Span transfer_steps(const Span& start) {
        step("registrar_contact", "0", false, {}, std::nullopt, start);
        step("transfer_application", "1", false, {}, std::nullopt, start);
        step("transfer_filing", "2", true, {}, transfer, start);
        Span done = later(cal, start, transfer);
        step("transfer_complete", "3", true, {}, std::nullopt, done);
        return done;
    }

    // A signed old zone: its DS leaves the parent before the name servers change, removed by
    // whoever holds the registration then (procedures 1, 2: we, once the transfer is done;
    // 3, 4: the customer, at its registrar). Returns the earliest dates of the switch.
    // With the DS TTL known, the wait also covers the old zone's longest TTL (import_from):
    // the signed answers resolvers keep from before the removal.
    Span ds_remove_step(const Span& when) {
        const std::uint32_t zone_ttl =
            out.migration && spec.old_ds_ttl ? out.migration->longest_ttl : 0;
        std::optional<std::uint32_t> ttl;
        if (spec.old_ds_ttl) ttl = *spec.old_ds_ttl + zone_ttl;
        Span clear = ds_cleared(cal, when, ttl, ds_wait);
        const int wait = days_between(when.lo, clear.lo);
        step("ds_remove", "", transfer_reg(),
             {{"ours", transfer_reg()},
              {"days", wait},
              {"ttl", spec.old_ds_ttl ? json(*spec.old_ds_ttl) : json(nullptr)},
              {"zone_ttl", zone_ttl ? json(zone_ttl) : json(nullptr)},
              {"first_switch", dates(on_business_days(cal, clear))}},
             Duration{wait, wait, "calendar_days"}, when);
        ds_step = out.steps.back().n;
        return clear;
    }

    // Our servers sign: the DS goes to the parent once the name-server change has taken
    // effect and the delegation resolvers cached before it (the parent's NS TTL, the old
    // zone's apex NS TTL: ns_cache) has expired; a DS published while resolvers still ask the
    // old servers, whose zone our key does not sign, makes the domain fail validation.
    void ds_submit_step(const Span& ns) {
        Span when = settled(ns);
        json ds = ds_json(out.ds);
        step("ds_submit", "", transfer_reg(),
             {{"ours", transfer_reg()},
              {"ds", ds},
              {"has_ds", !ds.empty()},
              {"days", settle_days()},
              {"switch_step", switch_step}},
             std::nullopt, when);
        ds_submit = out.steps.back().n;
    }

    // A multi-signer move (RFC 8901 model 2), once our servers serve the zone: each signer
    // publishes the other's keys, our DS joins the old one at the parent, and the name
    // servers change only when resolvers can have seen both (the DS TTL, as for a removal).
    // Returns the earliest dates of the switch.
    Span cosign_steps(const Span& setup) {
        json ds = ds_json(out.ds);
        step("cosign_keys", "", false, {{"ds", ds}, {"has_ds", !ds.empty()}}, std::nullopt, setup);
        Span add = next_business_days(cal, setup);
        Span clear = ds_cleared(cal, add, spec.old_ds_ttl, ds_wait);
        const int wait = days_between(add.lo, clear.lo);
        const int keys_step = out.steps.back().n;
        step("ds_add", "", transfer_reg(),
             {{"ours", transfer_reg()},
              {"keys_step", keys_step},
              {"ds", ds},
              {"has_ds", !ds.empty()},
              {"days", wait},
              {"ttl", spec.old_ds_ttl ? json(*spec.old_ds_ttl) : json(nullptr)},
              {"first_switch", dates(on_business_days(cal, clear))}},
             Duration{wait, wait, "calendar_days"}, add);
        ds_step = out.steps.back().n;
        return clear;
    }

    // A multi-signer move, once the switch has settled (as for ds_submit): the old DS leaves
    // the parent, and we then take the old provider's keys out of our zone.
    void ds_retire_step(const Span& ns) {
        step("ds_retire", "", transfer_reg(),
             {{"ours", transfer_reg()}, {"days", settle_days()}, {"switch_step", switch_step}},
             std::nullopt, settled(ns));
    }

    // When a name-server change made on `ns` has settled: it has taken effect (ns_update) and
    // the delegation resolvers cached before it (ns_cache) has expired, counted from the end
    // of the day it took effect (it may do so late in that day): never early.
    int settle_days() const { return ns_cache.max + 1; }
    Span settled(const Span& ns) const {
        Span effect = later(cal, ns, ns_update);
        return on_business_days(
            cal, later(cal, effect, Duration{settle_days(), settle_days(), ns_cache.unit}));
    }

    // The name-server change no sooner than `earliest` nor than the DS allows.
    Span switch_dates(const Span& earliest, const std::optional<Span>& ds_clear) const {
        return ds_clear ? on_business_days(cal, latest_of(earliest, *ds_clear)) : earliest;
    }

    // The name-server change: after a transfer we file it with the registrar (procedures 1,
    // 2), else the customer asks its registrar (3, 4), or with C only checks it.
    void ns_change(const std::string& label, const Span& ns) {
        const bool ours = transfer_reg();
        const bool check_only = !ours && spec.pattern == Pattern::C;
        step("ns_change", label, ours,
             {{"ours", ours},
              {"check_only", check_only},
              {"change_step", change_step ? json(change_step) : json(nullptr)},
              {"ds_step", ds_step ? json(ds_step) : json(nullptr)},
              {"cosign", spec.multi_signer}},
             ns_update, ns);
        switch_step = out.steps.back().n;
    }

    // Procedures 1 and 3: our DNS serves the zone, then the name servers change.
    Span pattern_a_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        step("dns_application", t ? "4" : "1", false, {}, lead, ready);
        Span setup = later(cal, ready, lead);
        step("dns_setup", t ? "5" : "2", true, {}, std::nullopt, setup);
        if (t) {
            Span ns = switch_dates(setup, spec.multi_signer ? cosign_steps(setup) : ds_clear);
            ns_change("5", ns);
            step("dns_setup_complete", "6", true, {}, std::nullopt, ns);
            return ns;
        }
        step("dns_setup_complete", "3", true, {}, std::nullopt, setup);
        Span ns = switch_dates(setup, spec.multi_signer ? cosign_steps(setup) : ds_clear);
        ns_change("4", ns);
        return ns;
    }

    // Procedures 2 and 4 with B: the customer's primary serves the zone and our secondary
    // has transferred it before the name servers change. The guide has the primary set up
    // after the change, which leaves our secondary lame in between.
    Span pattern_b_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        step("dns_application", t ? "4-1" : "1-1", false, {}, lead, ready);
        Span setup = later(cal, ready, lead);
        step("dns_setup", t ? "5" : "2", true, {}, std::nullopt, setup);
        step("dns_setup_complete", t ? "6" : "3", true, {}, std::nullopt, setup);
        step("primary_setup", t ? "7" : "5", false, {{"directions", records_directions()}},
             std::nullopt, setup);
        Span check = next_business_days(cal, setup);
        step("transfer_check", "", true, {}, std::nullopt, check);
        Span ns = switch_dates(next_business_days(cal, check), ds_clear);
        ns_change(t ? "5" : "4", ns);
        return ns;
    }

    // Procedures 2 and 4 with C: the customer's own name servers serve the zone.
    Span pattern_c_steps(const Span& ready, const std::optional<Span>& ds_clear) {
        const bool t = transfer_reg();
        step("dns_change", t ? "4-2" : "1-2", false, {{"directions", records_directions()}},
             std::nullopt, ready);
        change_step = out.steps.back().n;
        Span ns = switch_dates(t ? next_business_days(cal, ready) : ready, ds_clear);
        ns_change(t ? "5" : "4", ns);
        return ns;
    }

    // The parallel period counts from when the name-server change has taken effect (the
    // registrar's update, up to 48 hours), not from the DNS setup.
    void parallel_and_cancel(const Span& ns) {
        Span effect = later(cal, ns, ns_update);
        const int days = std::max(parallel.max, profile.parallel_min_days);
        Span cancel = plus_days(effect, days);
        step("parallel", std::to_string(par_label()), false,
             {{"effect", dates(effect)},
              {"days", days},
              {"switch_step", switch_step},
              {"check_only", spec.pattern == Pattern::C && !transfer_reg()}},
             parallel, effect);
        if (out.dnssec && spec.multi_signer)
            ds_retire_step(ns);
        else if (out.dnssec)
            ds_submit_step(ns);
        step("cancel", std::to_string(par_label() + 1), false,
             {{"days", days}, {"cancel", dates(cancel)}}, std::nullopt, cancel);
    }

    // A closure or a holiday run inside the window of a step where someone has to act (the
    // parallel period and the cancellation only wait); the name-server change's window runs
    // until the change has taken effect and the parent's NS TTL has passed.
    void flag_closures() {
        for (auto& s : out.steps) {
            if (!s.date || s.id == "parallel" || s.id == "cancel") continue;
            Date end = window_end(cal, {*s.date, *s.date_latest}, s.duration);
            // The switch settles only when resolvers' cached delegations have expired.
            if (s.id == "ns_change") end = later(cal, Span::at(end), ns_cache).hi;
            s.warnings = calendar_warnings(cal, *s.date, end, profile.holiday_run_days);
            for (auto& cw : s.warnings)
                cw.message = say("warnings." + cw.kind,
                                 {{"run", dates({cw.from, cw.to})}, {"new_year", cw.new_year}});
        }
    }

    void build() {
        const bool b = spec.pattern == Pattern::B, a = spec.pattern == Pattern::A;
        const std::string tld = spec.domain.labels().back();
        bool gtld = false;
        for (auto* g : kGtlds) gtld |= tld == g;
        gather_facts(gtld, tld);

        const Span start = Span::at(cal.on_or_after(out_start));
        Span ready = start;  // the DNS work can begin: the start, or the transfer's completion
        std::optional<Span> ds_clear;
        if (transfer_reg()) ready = transfer_steps(start);
        // Multi-signer: the old DS stays until after the switch (cosign_steps, ds_retire).
        if (signed_old_zone() && !spec.multi_signer) ds_clear = ds_remove_step(ready);
        Span ns = a   ? pattern_a_steps(ready, ds_clear)
                  : b ? pattern_b_steps(ready, ds_clear)
                      : pattern_c_steps(ready, ds_clear);
        parallel_and_cancel(ns);
        flag_closures();
        registrar_notes();
        if (b) {
            out.snippets = primary_config(spec, profile, w);
            out.snippets_additions = primary_config_additions(spec, profile, w);
        }
        switch_lists();
        provisional_holidays();
    }

    // registrar: customer — the letter to the registrar; transfer — what to know of it.
    void registrar_notes() {
        if (spec.registrar == Registrar::customer) {
            json ns = json::array();
            bool glue = false;
            for (const auto& n : out.nameservers) {
                const std::vector<std::string> a = n.addresses();
                glue |= !a.empty();
                ns.push_back(
                    {{"n", ns.size() + 1},
                     {"name", bare(n.name)},
                     {"addresses", a.empty() ? json(nullptr) : json(join(a, say("separator")))}});
            }
            out.registrar_request =
                say("letter", {{"nameservers", ns},
                               {"has_glue", glue},
                               {"signed", signed_old_zone() && !spec.multi_signer},
                               {"cosign", spec.multi_signer}});
            return;
        }
        // The AuthCode, the English e-mail and the registrant's details are in the steps.
        out.transfer_notes.push_back(say("transfer_notes.duration"));
    }

    // The customer's checklists before and after the switch; only the services that move.
    void switch_lists() {
        auto& before = out.before_switch;
        before.push_back(say("before_switch.panel"));
        before.push_back(say(spec.mail        ? "before_switch.mail_accounts"
                             : spec.mail_none ? "before_switch.mail_none"
                                              : "before_switch.mail_stays"));
        if (spec.web) before.push_back(say("before_switch.web_content"));
        before.push_back(say("before_switch.access"));
        before.push_back(say("before_switch.ttl"));
        // C: pointing the records at the new server is the switch itself (dns_change).
        if (spec.pattern != Pattern::C) before.push_back(say("before_switch.point_early"));
        out.after_switch.push_back(say("after_switch.restore_ttl"));
        if (spec.mail) out.after_switch.push_back(say("after_switch.fetch_both"));
        out.after_switch.push_back(say("after_switch.cancel"));
    }

    // The provisional holidays (not yet fixed by law) within the dates of the steps.
    void provisional_holidays() {
        for (const auto& s : out.steps) {
            if (!s.date_latest) continue;
            for (int y = out_start.y; y <= s.date_latest->y; ++y)
                for (const auto& h : japanese_holidays(y))
                    if (h.provisional && h.date >= out_start && h.date <= *s.date_latest) {
                        std::string t = h.date.to_string() + " " + (ja() ? h.name_ja : h.name_en);
                        if (std::find(out.holidays_provisional.begin(),
                                      out.holidays_provisional.end(),
                                      t) == out.holidays_provisional.end())
                            out.holidays_provisional.push_back(t);
                    }
        }
    }

    // The guide numbers the parallel period after its last numbered step.
    int par_label() const {
        const bool a = spec.pattern == Pattern::A;
        const bool t = spec.registrar == Registrar::transfer;
        if (a) return t ? 7 : 5;
        return t ? 8 : 6;
    }

    // The durations: the profile's, or the guide's values.
    Duration lead = duration_of(profile, "dns_setup_lead", {1, 3, "business_days"});
    Duration transfer = duration_of(profile, "registrar_transfer", {3, 10, "business_days"});
    Duration notice = duration_of(profile, "transfer_notice", {5, 5, "business_days"});
    Duration ns_update = duration_of(profile, "ns_update", {0, 48, "hours"});
    Duration parallel = duration_of(profile, "parallel_operation", {7, 14, "calendar_days"});
    Duration ds_wait = duration_of(profile, "ds_removal_wait", {2, 2, "calendar_days"});
    Duration ns_cache = duration_of(profile, "ns_cache", {1, 2, "calendar_days"});
    int ds_step = 0;      // the number of the DS removal step, 0 without one
    int ds_submit = 0;    // the number of the DS registration step (our servers sign)
    int change_step = 0;  // C: the number of the customer's change of its zone
    int switch_step = 0;  // the number of the name-server change
};

}  // namespace

Instructions build_instructions(const Spec& spec, const Profile& profile, const Wording& w,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration, std::vector<DsRecord> ds) {
    const std::string tld = spec.domain.labels().back();
    if (spec.registrar == Registrar::transfer &&
        std::find(profile.transferable_tlds.begin(), profile.transferable_tlds.end(), tld) ==
            profile.transferable_tlds.end())
        throw InputError(
            spec.source + ": 'registrar': ." + tld +
            " domains cannot be transferred to us (we can take over " +
            join(profile.transferable_tlds, ", ") +
            "); keep the registration with the current registrar: registrar: customer");
    Builder b{spec, profile, w, BusinessCalendar(profile.closed_days), {}, start};
    Instructions& in = b.out;
    in.lang = w.lang();
    in.domain = spec.domain;
    in.domain_unicode = to_unicode(spec.domain);
    if (in.domain_unicode + "." == spec.domain.to_string()) in.domain_unicode.clear();
    in.pattern = spec.pattern;
    in.registrar = spec.registrar;
    bool a = spec.pattern == Pattern::A, t = spec.registrar == Registrar::transfer;
    in.procedure = a ? (t ? 1 : 3) : (t ? 2 : 4);
    if (a) {
        for (const auto& ns : profile.nameservers) in.nameservers.push_back(ns);
    } else {
        in.nameservers = spec.customer_nameservers;
        if (spec.pattern == Pattern::B) in.nameservers.push_back(profile.pattern_b_secondary());
    }
    for (auto& ns : in.nameservers)
        if (!ns.name.is_subdomain_of(spec.domain)) ns.ipv4.clear(), ns.ipv6.clear();
    in.customer_records = std::move(customer_records);
    in.migration = std::move(migration);
    auto signing = dnssec_intent(spec, profile);
    in.dnssec = signing && signing->sign;
    if (in.dnssec) in.ds = std::move(ds);
    b.build();
    return in;
}

Instructions build_instructions(const Spec& spec, const Profile& profile, const std::string& lang,
                                const Date& start, std::optional<std::string> customer_records,
                                std::optional<Migration> migration, std::vector<DsRecord> ds) {
    if (lang != "ja" && lang != "en") throw UsageError("--lang must be ja or en");
    if (profile.texts_dir.empty())
        return build_instructions(spec, profile, Wording::builtin("instructions", lang), start,
                                  std::move(customer_records), std::move(migration), std::move(ds));
    return build_instructions(spec, profile, Wording("instructions", lang, profile.texts_dir),
                              start, std::move(customer_records), std::move(migration),
                              std::move(ds));
}

std::optional<Duration> shown_duration(const Step& s) {
    if (s.id == "parallel") return std::nullopt;
    return s.duration;
}

std::string duration_text(const Duration& d, const Wording& w) {
    return w.say("duration." + d.unit, {{"min", d.min},
                                        {"max", d.max},
                                        {"range", d.min != d.max && d.min != 0},
                                        {"up_to", d.min == 0 && d.min != d.max},
                                        {"plural", d.max != 1}});
}

std::string ds_line(const Instructions& in, const Wording& w) {
    auto submit = std::find_if(in.steps.begin(), in.steps.end(),
                               [](const Step& s) { return s.id == "ds_submit"; });
    if (submit != in.steps.end()) return w.say("nameservers.ds_ours", {{"ds_step", submit->n}});
    auto add = std::find_if(in.steps.begin(), in.steps.end(),
                            [](const Step& s) { return s.id == "ds_add"; });
    auto retire = std::find_if(in.steps.begin(), in.steps.end(),
                               [](const Step& s) { return s.id == "ds_retire"; });
    if (add != in.steps.end() && retire != in.steps.end())
        return w.say("nameservers.ds_multi", {{"add_step", add->n}, {"retire_step", retire->n}});
    auto ds = std::find_if(in.steps.begin(), in.steps.end(),
                           [](const Step& s) { return s.id == "ds_remove"; });
    return ds == in.steps.end() ? w.say("nameservers.ds_none", nlohmann::json::object())
                                : w.say("nameservers.ds_signed", {{"ds_step", ds->n}});
}

nlohmann::json instructions_json(const Instructions& in) {
    auto ns = nlohmann::json::array(), glue = nlohmann::json::array();
    for (const auto& n : in.nameservers) {
        ns.push_back(n.name.to_string());
        if (auto addrs = n.addresses(); !addrs.empty())
            glue.push_back({{"name", n.name.to_string()}, {"addresses", addrs}});
    }
    auto date = [](const std::optional<Date>& d) {
        return d ? nlohmann::json(d->to_string()) : nlohmann::json(nullptr);
    };
    auto steps = nlohmann::json::array();
    for (const auto& s : in.steps) {
        auto warnings = nlohmann::json::array();
        for (const auto& w : s.warnings)
            warnings.push_back({{"kind", w.kind},
                                {"from", w.from.to_string()},
                                {"to", w.to.to_string()},
                                {"message", w.message}});
        steps.push_back({{"n", s.n},
                         {"id", s.id},
                         {"guide_step", s.guide_step.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(s.guide_step)},
                         {"actor", s.provider ? "provider" : "customer"},
                         {"title", s.title},
                         {"detail", s.detail},
                         {"duration", s.duration ? nlohmann::json{{"min", s.duration->min},
                                                                  {"max", s.duration->max},
                                                                  {"unit", s.duration->unit}}
                                                 : nlohmann::json(nullptr)},
                         {"date", date(s.date)},
                         {"date_latest", date(s.date_latest)},
                         {"warnings", warnings}});
    }
    auto snippets = [](const std::vector<Snippet>& v) {
        auto a = nlohmann::json::array();
        for (const auto& sn : v) a.push_back({{"server", sn.server}, {"text", sn.text}});
        return a;
    };
    return {
        {"domain", in.domain.to_string()},
        {"domain_unicode",
         in.domain_unicode.empty() ? nlohmann::json(nullptr) : nlohmann::json(in.domain_unicode)},
        {"lang", in.lang},
        {"dns_pattern", to_string(in.pattern)},
        {"registrar", to_string(in.registrar)},
        {"procedure", in.procedure},
        {"nameservers", ns},
        {"glue", glue},
        {"dnssec", in.dnssec},
        {"ds", ds_json(in.ds)},
        {"steps", steps},
        {"registrar_request", in.registrar_request.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(in.registrar_request)},
        {"transfer_notes", in.transfer_notes},
        {"customer_records",
         in.customer_records ? nlohmann::json(*in.customer_records) : nlohmann::json(nullptr)},
        {"primary_config", snippets(in.snippets)},
        {"primary_config_additions", snippets(in.snippets_additions)},
        {"before_switch", in.before_switch},
        {"after_switch", in.after_switch},
        {"provisional_holidays", in.holidays_provisional},
        {"migration", in.migration && !in.migration->customer_zone ? migration_json(*in.migration)
                                                                   : nlohmann::json(nullptr)},
        {"customer_changes", in.migration && in.migration->customer_zone
                                 ? customer_changes_json(in.migration->customer_changes)
                                 : nlohmann::json(nullptr)}};
}

namespace {

// The text (or Markdown) of the instructions, section by section; every word from the
// wording.
struct TextWriter {
    const Instructions& in;
    const Wording& w;
    bool md;
    bool ja = in.lang == "ja";
    std::string out{};

    std::string say(const std::string& key, const json& ctx = json::object()) const {
        return w.say(key, ctx);
    }
    std::string h1(const std::string& t) const {
        return md ? "# " + t + "\n\n" : t + "\n" + std::string(40, '=') + "\n";
    }
    std::string h2(const std::string& t) const {
        return md ? "\n## " + t + "\n\n" : "\n" + t + "\n" + std::string(40, '-') + "\n";
    }
    std::string block(const std::string& text) const {
        std::string t = text;
        if (!t.empty() && t.back() != '\n') t += '\n';
        return md ? "```\n" + t + "```\n" : t;
    }
    // The title, the DNS pattern, the registration and the procedure's number.
    void header() {
        const bool idn = !in.domain_unicode.empty();
        out += h1(say("headings.title", {{"domain", idn ? in.domain_unicode : bare(in.domain)},
                                         {"ascii", idn ? json(bare(in.domain)) : json(nullptr)}}));
        std::string li = md ? "- " : "";
        const json ctx = {
            {"pattern", say(std::string("pattern.") + to_string(in.pattern))},
            {"registration", say(std::string("registration.") + to_string(in.registrar))},
            {"procedure", in.procedure}};
        for (const char* k : {"text.pattern", "text.registration", "text.procedure"})
            out += li + say(k, ctx) + "\n";
    }

    void nameservers() {
        out += h2(say("headings.nameservers"));
        for (const auto& n : in.nameservers) {
            const std::vector<std::string> a = n.addresses();
            const std::string name = md ? "`" + bare(n.name) + "`" : bare(n.name);
            out +=
                (md ? "- " : "  ") +
                say("nameservers.line",
                    {{"name", name},
                     {"addresses", a.empty() ? json(nullptr) : json(join(a, say("separator")))}}) +
                "\n";
        }
        out += "\n" + ds_line(in, w) + "\n";
    }

    // A step's detail with its warnings; a run already explained in full is only named.
    std::string step_detail(const Step& s, std::vector<Date>& explained) const {
        std::string detail = s.detail;
        for (const auto& cw : s.warnings) {
            bool again = std::find(explained.begin(), explained.end(), cw.from) != explained.end();
            if (again && s.id != "ns_change") continue;  // said above; the switch says it again
            std::string text = again ? say("warnings.again_" + cw.kind,
                                           {{"run", format_date_range(cw.from, cw.to, ja)}})
                                     : cw.message;
            detail += "\n" + say("text.note", {{"text", text}});
            if (!again) explained.push_back(cw.from);
        }
        return detail;
    }

    void step(const Step& s, std::vector<Date>& explained) {
        const json ctx = {
            {"n", s.n},
            {"actor", say(s.provider ? "actor.provider" : "actor.customer")},
            {"title", s.title},
            {"when", s.date ? format_date_range(*s.date, s.date_latest.value_or(*s.date), ja)
                            : say("text.unknown_date")},
            // The parallel period's length is in its words ("at least 14 days").
            {"duration",
             shown_duration(s) ? json(duration_text(*shown_duration(s), w)) : json(nullptr)},
            {"guide_step", s.guide_step.empty() ? json(nullptr) : json(s.guide_step)},
            {"starts", s.id == "parallel"}};  // a period: its first day
        out += say("text.step", ctx) + (md ? "\n\n" : "\n");
        const std::string indent = "   ";
        out += indent + say("text.when", ctx) + (md ? "\n\n" : "\n");
        std::string detail = step_detail(s, explained);
        std::size_t i = 0;
        while (i <= detail.size()) {
            std::size_t e = detail.find('\n', i);
            if (e == std::string::npos) e = detail.size();
            out += indent + detail.substr(i, e - i) + (md ? "\n\n" : "\n");
            i = e + 1;
        }
    }

    void steps() {
        out += h2(say("headings.steps"));
        std::vector<Date> explained;  // runs whose warning was given in full already
        for (const auto& s : in.steps) step(s, explained);
        if (!in.holidays_provisional.empty())
            out += (md ? "\n" : "") +
                   say("text.note",
                       {{"text",
                         say("warnings.provisional",
                             {{"holidays", join(in.holidays_provisional, say("separator"))}})}}) +
                   "\n";
    }

    // The registrar's request, the transfer notes, the records and the primary's configuration.
    void documents() {
        if (!in.registrar_request.empty()) {
            out += h2(say("headings.registrar_request"));
            out += block(in.registrar_request);
        }
        if (!in.transfer_notes.empty()) {
            out += h2(say("headings.transfer_notes"));
            for (const auto& n : in.transfer_notes) out += (md ? "- " : "  * ") + n + "\n";
        }
        if (in.migration && !in.migration->customer_zone) {
            out += h2(say("headings.migration"));
            out += block(migration_text(*in.migration, w));
        }
        if (in.customer_records) {
            out += h2(say("headings.customer_records"));
            out += block(*in.customer_records);
        }
        for (const auto& sn : in.snippets) {
            out += h2(say("headings.primary_config", {{"server", sn.server}}));
            out += block(sn.text);
        }
        for (const auto& sn : in.snippets_additions) {
            out += h2(say("headings.primary_config_additions", {{"server", sn.server}}));
            out += block(sn.text);
        }
    }

    // A checklist: before the switch (above the steps, which refer to it) or after it.
    void checklist(const std::string& heading, const std::vector<std::string>& items) {
        out += h2(say(heading));
        for (const auto& x : items) out += (md ? "- [ ] " : "  [ ] ") + x + "\n";
    }
};

}  // namespace

std::string instructions_text(const Instructions& in, const Wording& w, bool md) {
    TextWriter tw{in, w, md};
    tw.header();
    tw.nameservers();
    tw.checklist("headings.before_switch", in.before_switch);
    tw.steps();
    tw.documents();
    tw.checklist("headings.after_switch", in.after_switch);
    return tw.out;
}

std::string instructions_text(const Instructions& in, bool md) {
    return instructions_text(in, Wording::builtin("instructions", in.lang), md);
}

}  // namespace zonegen
